from __future__ import annotations

from release_actions.changelog.reading.locate import PathFilter, PathTemplate
from release_actions.changelog.reading.model import Entry
from release_actions.changelog.reading.parser import parse_changelog
from release_actions.changelog.rules.pull_request import (
    PullRequestFacts,
    check_added_lines,
    check_touched,
    diff_base,
    line_changes,
    skip_reason,
)

PER_MINOR = (PathTemplate("docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"),)
ROOT = (PathTemplate("CHANGELOG.md"),)


def pull(*files: str, labels: tuple[str, ...] = (), author: str = "alice") -> PullRequestFacts:
    return PullRequestFacts(number=7, author=author, labels=labels, changed_files=files)


def test_skip_by_label_case_insensitively_or_by_author() -> None:
    labels = ["skip-changelog", "dependencies"]
    authors = ["dependabot[bot]", "renovate[bot]"]
    assert (
        skip_reason(pull(labels=("Skip-Changelog",)), labels, authors) == "label 'Skip-Changelog'"
    )
    assert skip_reason(pull(labels=("🔧 tooling",)), ["🔧 tooling"], []) == "label '🔧 tooling'"
    assert skip_reason(pull(author="dependabot[bot]"), labels, authors) == "author dependabot[bot]"
    assert skip_reason(pull(labels=("bug",)), labels, authors) is None


def test_a_pull_request_without_a_changelog_change() -> None:
    finding = check_touched(
        pull("pkg/scheduler.go", "pkg/util.go", "a.go", "b.go"),
        ROOT,
        PathFilter(),
        severity="error",
        skip_labels=["skip-changelog"],
        file="CHANGELOG.md",
    )
    assert finding is not None
    assert (finding.rule, finding.severity, finding.file) == ("CL008", "error", "CHANGELOG.md")
    assert finding.message == (
        "pull request #7 changes pkg/scheduler.go, pkg/util.go, a.go and 1 more but not the "
        "changelog (CHANGELOG.md): add an entry, or add the label 'skip-changelog'"
    )


def test_touching_any_per_minor_file_counts() -> None:
    assert (
        check_touched(
            pull("pkg/a.go", "docs/CHANGELOG/CHANGELOG-1.2.md"),
            PER_MINOR,
            PathFilter(),
            severity="error",
            skip_labels=[],
        )
        is None
    )
    finding = check_touched(
        pull("pkg/a.go", "docs/CHANGELOG/notes.md", "vendor/CHANGELOG.md"),
        PER_MINOR + ROOT,
        PathFilter(),
        severity="warning",
        skip_labels=[],
        file="docs/CHANGELOG/CHANGELOG-1.2.md",
    )
    assert finding is not None and finding.severity == "warning"
    assert finding.file == "docs/CHANGELOG/CHANGELOG-1.2.md"


def test_require_for_paths_with_exclusions() -> None:
    require = PathFilter(("pkg/**", "charts/", "*.go", "!**/*_test.go", "!docs/**"))
    needs = [
        path
        for path in ["pkg/a/b.txt", "charts/hami/values.yaml", "cmd/main.go", "cmd/main_test.go"]
        if require.matches(path)
    ]
    assert needs == ["pkg/a/b.txt", "charts/hami/values.yaml", "cmd/main.go"]
    assert not require.matches("docs/guide.md")
    assert (
        check_touched(
            pull("docs/guide.md", "README.md"), ROOT, require, severity="error", skip_labels=[]
        )
        is None
    )


def test_line_changes_count_net_additions() -> None:
    base = "# v1.2.0\n- one\n- two\n"
    head = "# v1.2.0\n- one, fixed typo\n- two\n- three\n"
    changes = line_changes(base, head)
    assert changes.added == (4,)
    assert changes.touched == {2, 4}
    new_file = line_changes(None, "# v1.3.0\n- x")
    assert new_file.added == (1, 2)
    grew = line_changes("a\nx\nb\n", "a\ny\nz\nb\n")
    assert grew.added == (3,) and grew.touched == {2, 3}


HEAD = """# Changelog

## Unreleased
- a new feature

## v1.2.1 - 2024-02-01
- a fix
- a late addition

## v1.2.0 - 2024-01-01
- first

[1.2.1]: https://x
"""
BASE = """# Changelog

## Unreleased

## v1.2.1 - 2024-02-01
- a fix

## v1.2.0 - 2024-01-01
- first
"""


def released_up_to(key: str):  # type: ignore[no-untyped-def]
    def is_released(entry: Entry) -> bool:
        return entry.version.key <= key and not entry.version.unreleased

    return is_released


def test_lines_added_under_a_released_entry() -> None:
    changelog = parse_changelog(HEAD, "CHANGELOG.md")
    changes = line_changes(BASE, HEAD)
    findings = check_added_lines(
        changelog,
        HEAD.split("\n"),
        changes,
        is_released=released_up_to("1.2.1"),
        severity="error",
    )
    assert [(f.rule, f.line) for f in findings] == [("CL009", 8)]
    assert findings[0].message == (
        "line 8 added under v1.2.1 (line 6), which is already released: move the change to "
        "Unreleased or to the next version"
    )
    # Not tagged yet: v1.2.1 is the open version, and lines may go there.
    assert (
        check_added_lines(
            changelog,
            HEAD.split("\n"),
            changes,
            is_released=released_up_to("1.2.0"),
            severity="error",
        )
        == []
    )


def test_a_new_section_and_a_renamed_heading_are_open() -> None:
    base = "## Unreleased\n- x\n\n## v1.0.0\n- first\n"
    renamed = "## v1.1.0 - 2024-03-01\n- x\n- y\n\n## v1.0.0\n- first\n"
    changelog = parse_changelog(renamed)
    assert (
        check_added_lines(
            changelog,
            renamed.split("\n"),
            line_changes(base, renamed),
            is_released=lambda entry: True,
            severity="error",
        )
        == []
    )
    appended = "## v1.0.0\n- first\n\n## v1.0.1 - 2024-03-01\n- fix\n- more\n"
    changelog = parse_changelog(appended)
    assert (
        check_added_lines(
            changelog,
            appended.split("\n"),
            line_changes("## v1.0.0\n- first\n", appended),
            is_released=lambda entry: entry.version.key == "1.0.0",
            severity="error",
        )
        == []
    )


def test_several_lines_under_one_released_entry_make_one_finding() -> None:
    base = "## v2.9.0 - 2026-05-19\n**New features**\n- a\n"
    head = "## v2.9.0 - 2026-05-19\n**New features**\n- a\n- b\n- c\n"
    findings = check_added_lines(
        parse_changelog(head, "CHANGELOG.md"),
        head.split("\n"),
        line_changes(base, head),
        is_released=lambda entry: True,
        severity="warning",
    )
    assert [(f.line, f.severity) for f in findings] == [(4, "warning")]
    assert findings[0].message.startswith("lines 4-5 added under v2.9.0 (line 1)")


def test_the_diff_base_is_the_merge_commits_first_parent() -> None:
    merge = ["main-tip", "pr-head"]
    assert diff_base(merge, base_sha="stale", head_sha="pr-head") == "main-tip"
    assert diff_base(merge, base_sha="stale", head_sha="") == "main-tip"
    # A branch that merged main into itself: its merge is not GitHub's test merge.
    assert diff_base(merge, base_sha="stale", head_sha="other") == "stale"
    assert diff_base(["parent"], base_sha="stale", head_sha="pr-head") == "stale"
    assert diff_base([], base_sha="", head_sha="pr-head") == ""
