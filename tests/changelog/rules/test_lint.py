from __future__ import annotations

import textwrap

from release_actions.changelog.reading.model import Finding
from release_actions.changelog.reading.parser import parse_changelog
from release_actions.changelog.rules.lint import LintOptions, lint, lint_rules


def run(text: str, **options: str) -> list[Finding]:
    changelog = parse_changelog(textwrap.dedent(text).lstrip("\n"), "CHANGELOG.md")
    return lint(changelog, LintOptions(**options))  # type: ignore[arg-type]


def brief(findings: list[Finding]) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.severity, f.line) for f in findings]


def test_empty_and_versionless_files_are_clear_findings() -> None:
    assert [(f.rule, f.message) for f in run("")] == [("CL014", "changelog file is empty")]
    assert [(f.rule, f.message) for f in run("  \n\n")] == [("CL014", "changelog file is empty")]
    (finding,) = run("# Changelog\n\nNothing yet.\n")
    assert finding.rule == "CL014"
    assert finding.message.startswith("no version entries in CHANGELOG.md")
    assert (finding.file, finding.line) == ("CHANGELOG.md", 1)


def test_duplicates_name_every_line() -> None:
    findings = run(
        """
        ## 1.1.0
        ## v1.0.0
        ## 1.0.0
        ## [1.0.0]
        """
    )
    assert brief(findings) == [("CL007", "error", 3), ("CL007", "error", 4)]
    assert [finding.message for finding in findings] == [
        "1.0.0 appears 3 times (lines 2, 3, 4)",
        "1.0.0 appears again (first at line 2)",
    ]


def test_many_repeats_keep_the_findings_linear_in_size() -> None:
    """Each repeat listing every line made the messages grow with the square of the repeats."""
    repeats = 1000
    changelog = parse_changelog("## 1.0.0\n- a\n" * repeats, "CHANGELOG.md")
    findings = lint(changelog, LintOptions(order="any"))
    assert len(findings) == repeats - 1
    assert sum(len(finding.message) for finding in findings) < 60 * repeats
    assert findings[0].message == (
        "1.0.0 appears 1000 times (lines 1, 3, 5, 7, 9, 11, 13, 15, 17, 19 and 990 more)"
    )
    assert findings[-1].message == "1.0.0 appears again (first at line 1)"


def test_out_of_order_entries_name_both_lines() -> None:
    findings = run(
        """
        ## Unreleased
        ## 2.0.0
        ## 1.0.0
        ## 1.5.0
        ## 0.9.0
        """
    )
    assert brief(findings) == [("CL006", "error", 4)]
    assert findings[0].message == (
        "1.5.0 (line 4) is newer than 1.0.0 above it (line 3); order is 'desc' (newest first)"
    )


def test_ascending_files_and_any_order() -> None:
    ascending = """
        ## v1.0.0
        ## v1.1.0
        ## v2.2
        ## v2.2.7
        """
    assert run(ascending, order="asc") == []
    assert run(ascending, order="any") == []
    (whole_file,) = run(ascending)
    assert whole_file.rule == "CL006"
    assert "lists versions oldest first, but order is 'desc'" in whole_file.message
    assert brief(run("## 1.0\n## 2.0\n## 1.5\n", order="asc")) == [("CL006", "error", 3)]


def test_prereleases_sort_below_their_release() -> None:
    assert run("## 1.18.0\n## 1.18.0-rc.0\n## 1.18.0-beta.0\n## 1.18.0-alpha.2\n") == []
    assert brief(run("## 1.18.0-rc.0\n## 1.18.0\n")) == [("CL006", "error", 2)]


def test_bad_dates() -> None:
    findings = run(
        """
        ## 1.2.0 - 2024-02-30
        ## 1.1.0 - 2024-1-5
        ## 1.0.0 - 2024-01-05
        """
    )
    assert brief(findings) == [("CL004", "error", 1), ("CL004", "error", 2)]
    assert findings[0].message == (
        "1.2.0 has the date '2024-02-30', which is not a valid YYYY-MM-DD date"
    )


KAC_PROBLEMS = """
# Changelog

## [1.1.0] - 2024-03-02
### Added
- a
### Improvements
- b

## [Unreleased]

## [1.0.0]
### Fixed
- c

[1.1.0]: https://x/compare/v1.0.0...v1.1.0
[0.9.0]: https://x/compare/v0.8.0...v0.9.0
[SemVer]: https://semver.org
"""


def test_keep_a_changelog_profile() -> None:
    findings = run(KAC_PROBLEMS, profile="keepachangelog")
    assert brief(findings) == [
        ("CL011", "error", 9),
        ("CL004", "error", 11),
        ("CL012", "warning", 6),
        ("CL013", "warning", 9),
        ("CL013", "warning", 11),
        ("CL013", "warning", 16),
    ]
    messages = [f.message for f in findings]
    assert "the Unreleased section must be the first entry" in messages[0]
    assert messages[1] == "1.0.0 has no release date: write '## [1.0.0] - YYYY-MM-DD'"
    assert messages[2].startswith("'Improvements' under 1.1.0 is not a Keep a Changelog type")
    assert messages[5] == "the link definition [0.9.0] has no entry"
    # The default profile does not apply Keep a Changelog's rules.
    assert run(KAC_PROBLEMS) == []


def test_keep_a_changelog_without_unreleased() -> None:
    findings = run("## [1.0.0] - 2024-01-01\n### ✨ Added\n- x\n", profile="keepachangelog")
    assert brief(findings) == [("CL011", "error", 1), ("CL013", "warning", 1)]


def test_lint_rules_listed_for_the_summary() -> None:
    assert [rule.id for rule in lint_rules(LintOptions())] == ["CL014", "CL007", "CL006", "CL004"]
    assert [rule.id for rule in lint_rules(LintOptions(profile="keepachangelog"))][-3:] == [
        "CL011",
        "CL012",
        "CL013",
    ]
