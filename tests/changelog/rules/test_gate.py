from __future__ import annotations

import datetime
import textwrap

import pytest

from release_actions.changelog.reading.loose_version import LooseVersion, parse_loose_version
from release_actions.changelog.reading.model import Changelog, has_content
from release_actions.changelog.reading.parser import parse_changelog
from release_actions.changelog.rules.gate import date_matches_tag, file_missing, release_gate
from release_actions.changelog.rules.version_files import VersionFile, check_version_files
from release_actions.errors import InputError


def parse(text: str) -> Changelog:
    return parse_changelog(textwrap.dedent(text).lstrip("\n"), "docs/CHANGELOG/CHANGELOG-1.2.md")


def version(text: str) -> LooseVersion:
    parsed = parse_loose_version(text)
    assert parsed is not None
    return parsed


PER_MINOR = """
# v1.2.1
## Downloads for v1.2.1

Download v1.2.1 in the [v1.2.1 release page](https://github.com/o/r/releases/tag/v1.2.1).

## Changelog since v1.2.0
### Changes by Kind
#### Bug Fixes
None.

#### Others
None.

# v1.2.0
## Downloads for v1.2.0

Download v1.2.0 in the [v1.2.0 release page](https://github.com/o/r/releases/tag/v1.2.0).

## Changelog since v1.1.0
#### Bug Fixes
- Fix the scheduler (#12)

# v1.2.0-rc.1
- the first candidate
"""


def test_missing_file_message() -> None:
    finding = file_missing("docs/CHANGELOG/CHANGELOG-2.10.md", "tag v2.10.0")
    assert finding.rule == "CL001"
    assert finding.message == "docs/CHANGELOG/CHANGELOG-2.10.md not found for tag v2.10.0"
    assert finding.file == "docs/CHANGELOG/CHANGELOG-2.10.md"


def test_complete_entry_passes() -> None:
    changelog = parse(PER_MINOR)
    gate = release_gate(changelog, version("v1.2.0"), subject="tag v1.2.0")
    assert gate.findings == ()
    assert gate.entry is not None and gate.entry.line == 14


def test_placeholder_only_entry_is_empty() -> None:
    changelog = parse(PER_MINOR)
    gate = release_gate(changelog, version("1.2.1"), subject="tag v1.2.1")
    (finding,) = gate.findings
    assert (finding.rule, finding.line) == ("CL003", 1)
    assert finding.message.startswith("the entry for v1.2.1 is empty")
    assert gate.entry is changelog.entries[0]  # the notes can still be shown


def test_missing_entry_names_the_latest() -> None:
    changelog = parse(PER_MINOR)
    (finding,) = release_gate(changelog, version("1.2.2"), subject="tag v1.2.2").findings
    assert (finding.rule, finding.file, finding.line) == (
        "CL002",
        "docs/CHANGELOG/CHANGELOG-1.2.md",
        1,
    )
    assert finding.message == (
        "no entry for 1.2.2 in docs/CHANGELOG/CHANGELOG-1.2.md "
        "(latest entry is v1.2.1 at line 1); tag v1.2.2 needs one"
    )


def test_a_prerelease_entry_does_not_stand_in_for_the_final_tag() -> None:
    changelog = parse("# v1.3.0-rc.2\n- rc2\n# v1.3.0-rc.1\n- rc1\n")
    (finding,) = release_gate(changelog, version("1.3.0"), subject="tag v1.3.0").findings
    assert (finding.rule, finding.line) == ("CL015", 1)
    assert "only the prerelease v1.3.0-rc.2 (line 1)" in finding.message
    # ...but a prerelease tag is satisfied by its own entry.
    gate = release_gate(changelog, version("1.3.0-rc.1"), subject="tag v1.3.0-rc.1")
    assert gate.findings == () and gate.entry is not None and gate.entry.line == 3


def test_a_short_version_heading_covers_the_padded_tag() -> None:
    changelog = parse("## v2.2\n- old style\n")
    assert release_gate(changelog, version("2.2.0"), subject="tag v2.2.0").findings == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("None.", False),
        ("### Added\n\n### Fixed", False),
        ("**Bug fixes**\n\n- n/a", False),
        ("_Nothing has changed._", False),
        ("<!--\nfill me in\n-->", False),
        ("----\n- TODO", False),
        ("- Fixed a crash", True),
        ("A paragraph.", True),
        ("```\ncode\n```", True),
    ],
)
def test_what_counts_as_content(body: str, expected: bool) -> None:
    changelog = parse_changelog(f"## 1.0.0\n{body}\n")
    assert has_content(changelog.entries[0]) is expected


def test_date_against_the_tag() -> None:
    changelog = parse_changelog("## v2.4.0 - 2024-09-29\n- x\n", "CHANGELOG.md")
    entry = changelog.entries[0]
    finding = date_matches_tag(entry, datetime.date(2024, 9, 28), file="CHANGELOG.md", tag="v2.4.0")
    assert finding is not None
    assert (finding.rule, finding.severity, finding.line) == ("CL005", "warning", 1)
    assert finding.message == "v2.4.0 is dated 2024-09-29, but tag v2.4.0 was made on 2024-09-28"
    assert date_matches_tag(entry, datetime.date(2024, 9, 29), file="x", tag="v2.4.0") is None


HAMI_FILES = {
    "charts/hami/Chart.yaml": 'apiVersion: v2\nname: hami\nversion: 2.10.0\nappVersion: "2.9.0"\n',
    "charts/hami/values.yaml": 'global:\n  imageTag: "v2.10.0"\n  other: [1, 2]\n',
    "VERSION": "v2.10.0",
}


def check(
    specs: list[str], files: dict[str, str] = HAMI_FILES
) -> list[tuple[str | None, int | None, str]]:
    findings = check_version_files(
        [VersionFile.parse(spec) for spec in specs],
        "2.10.0",
        subject="tag v2.10.0",
        read=files.get,
    )
    assert all(finding.rule == "CL010" for finding in findings)
    return [(finding.file, finding.line, finding.message) for finding in findings]


def test_version_files_agree_after_normalising_v() -> None:
    assert (
        check(
            ["charts/hami/Chart.yaml:version", "charts/hami/values.yaml:global.imageTag", "VERSION"]
        )
        == []
    )


def test_version_file_mismatch_points_at_the_key() -> None:
    assert check(["charts/hami/Chart.yaml:appVersion"]) == [
        ("charts/hami/Chart.yaml", 4, "charts/hami/Chart.yaml appVersion 2.9.0 != tag v2.10.0")
    ]
    assert check(["VERSION"], {"VERSION": "\n v2.9.0 \n"}) == [
        ("VERSION", 2, "VERSION v2.9.0 != tag v2.10.0")
    ]


def test_version_file_problems() -> None:
    assert check(["missing.yaml:version"]) == [
        ("missing.yaml", None, "missing.yaml not found (version-files)")
    ]
    assert check(["charts/hami/values.yaml:global.nope"])[0][2] == (
        "charts/hami/values.yaml has no key global.nope"
    )
    assert check(["charts/hami/values.yaml:global.other"])[0][2] == (
        "charts/hami/values.yaml global.other is not a single value"
    )
    broken = check(["Chart.yaml:version"], {"Chart.yaml": "version: [1.0\n"})
    assert broken[0][0] == "Chart.yaml" and "is not valid YAML" in broken[0][2]
    assert check(["VERSION"], {"VERSION": "\n"})[0][2] == "VERSION is empty"


@pytest.mark.parametrize("spec", ["Chart.yaml:", ":version", " : "])
def test_bad_version_file_specs(spec: str) -> None:
    with pytest.raises(InputError, match="version-files"):
        VersionFile.parse(spec)
