"""The parser on real changelogs, copied byte for byte into ../shared/data/changelogs/."""

from __future__ import annotations

import datetime

import pytest

from release_actions.changelog.notes.entry import entry_notes
from release_actions.changelog.promote import promote_unreleased
from release_actions.changelog.reading.loose_version import LooseVersion, parse_loose_version
from release_actions.changelog.reading.model import Changelog
from release_actions.changelog.reading.parser import decode, read_changelog
from release_actions.changelog.rules.gate import release_gate
from release_actions.changelog.rules.lint import LintOptions, lint
from support.shared_data import shared_data

DATA = shared_data("changelogs")
pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the real changelogs are not checked out at {DATA}"
)


def load(name: str) -> Changelog:
    return read_changelog(DATA / name, name)


def version(text: str) -> LooseVersion:
    parsed = parse_loose_version(text)
    assert parsed is not None
    return parsed


def keys(changelog: Changelog) -> list[str]:
    return [entry.version.key for entry in changelog.entries]


def first_line(changelog: Changelog, key: str) -> str:
    (entry,) = [entry for entry in changelog.entries if entry.version.key == key]
    return entry.body.splitlines()[0]


def rules_found(changelog: Changelog, **options: str) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in lint(changelog, LintOptions(**options))]  # type: ignore[arg-type]


def test_hami_root_changelog() -> None:
    changelog = load("hami__CHANGELOG.md")
    found = keys(changelog)
    assert len(found) == 46
    assert found[:3] == ["1.0.1", "1.0.1.1", "1.0.1.2"]
    assert "2.2" in found and "1.1.1.0" in found
    assert "2.3.5" not in found  # a gap is not an error
    group = changelog.entries[found.index("2.3")]
    assert (group.line, group.level, group.body) == (162, 1, "")
    last = changelog.entries[-1]
    assert (last.title, last.line, last.date) == (
        "v2.9.0 - 2026-05-19",
        392,
        datetime.date(2026, 5, 19),
    )
    assert first_line(changelog, "2.9.0") == "**New features**"
    assert first_line(changelog, "1.0.1.1") == "**Bugs fixed**"
    # Ascending is how HAMi writes it: backports (v2.5.3 before v2.6.0) are in version order.
    assert rules_found(changelog, order="asc") == []
    assert rules_found(changelog, order="desc") == [("CL006", 3)]


def test_hami_has_no_entry_for_its_latest_tag() -> None:
    changelog = load("hami__CHANGELOG.md")
    gate = release_gate(changelog, version("2.10.0"), subject="tag v2.10.0")
    assert gate.entry is None
    (finding,) = gate.findings
    assert finding.rule == "CL002"
    assert finding.message.startswith(
        "no entry for 2.10.0 in hami__CHANGELOG.md (latest entry is v2.9.0 at line 392)"
    )
    assert release_gate(changelog, version("v2.9.0"), subject="tag v2.9.0").findings == ()


def test_karmada_per_minor_file() -> None:
    changelog = load("karmada__docs_CHANGELOG_CHANGELOG-1.18.md")
    assert keys(changelog) == [
        "1.18.2",
        "1.18.1",
        "1.18.0",
        "1.18.0-rc.0",
        "1.18.0-beta.0",
        "1.18.0-alpha.2",
        "1.18.0-alpha.1",
    ]
    assert changelog.entries[0].line == 97  # the doctoc TOC above holds no entries
    assert first_line(changelog, "1.18.2") == "## Downloads for v1.18.2"
    assert rules_found(changelog, order="desc") == []
    gate = release_gate(changelog, version("1.18.0"), subject="tag v1.18.0")
    assert gate.findings == () and gate.entry is changelog.entries[2]
    assert gate.entry.body.splitlines()[-1] == "- @zhzhuang-zju"


def test_karmada_file_without_version_headings() -> None:
    changelog = load("karmada__docs_CHANGELOG_CHANGELOG-1.0.md")
    assert changelog.entries == ()
    assert rules_found(changelog) == [("CL014", 1)]
    gate = release_gate(changelog, version("1.0.0"), subject="tag v1.0.0")
    assert "it has no version entries" in gate.findings[0].message


def test_keep_a_changelog_own_file() -> None:
    changelog = load("keep-a-changelog__CHANGELOG.md")
    found = keys(changelog)
    assert found[:3] == ["unreleased", "2.0.0", "1.1.2"]
    assert found[-1] == "0.0.1" and len(found) == 17
    assert changelog.entries[0].body == ""
    assert changelog.entries[1].date == datetime.date(2026, 6, 7)
    assert first_line(changelog, "2.0.0").startswith("2.0.0 is the first major revision")
    assert first_line(changelog, "1.1.2") == "### Added"
    assert rules_found(changelog, profile="keepachangelog") == []
    # [SemVer] and [@user] are link definitions but not versions: no orphan warnings.
    assert "semver" in changelog.links
    oldest = changelog.entries[-1]
    assert "[SemVer]" not in oldest.body  # the definitions at the bottom are not its body
    notes = entry_notes(changelog, changelog.entries[found.index("0.1.0")])
    assert notes.endswith("[SemVer]: https://semver.org")


def test_colin_b_keepachangelog_with_pep440_prereleases() -> None:
    changelog = load("colin-b-keepachangelog__CHANGELOG.md")
    found = keys(changelog)
    assert found[:4] == ["unreleased", "2.0.0", "2.0.0-dev.5", "2.0.0-dev.4"]
    assert changelog.entries[2].title == "[2.0.0.dev5] - 2023-01-03"
    assert changelog.entries[2].status == "prereleased"
    assert first_line(changelog, "2.0.0") == "### Removed"
    assert rules_found(changelog, profile="keepachangelog", order="desc") == []


def test_release_please_with_mixed_levels_and_a_triple_duplicate() -> None:
    changelog = load("release-please__CHANGELOG.md")
    assert len(changelog.entries) == 364
    assert sum(1 for entry in changelog.entries if entry.level == 3) == 106
    newest = changelog.entries[0]
    assert (newest.version.key, newest.date) == ("17.11.1", datetime.date(2026, 7, 31))
    patch = next(entry for entry in changelog.entries if entry.version.key == "13.17.1")
    assert (patch.level, patch.body.splitlines()[0]) == (3, "### Bug Fixes")
    duplicates = [f for f in lint(changelog, LintOptions()) if f.rule == "CL007"]
    assert [(f.line, f.message) for f in duplicates] == [
        (1330, "13.16.3 appears 3 times (lines 1321, 1330, 1337)"),
        (1337, "13.16.3 appears again (first at line 1321)"),
    ]
    assert rules_found(changelog) == [("CL007", 1330), ("CL007", 1337)]


def test_express_setext_headings() -> None:
    changelog = load("express__History.md")
    found = keys(changelog)
    assert len(found) == 299
    assert found[:4] == ["unreleased", "5.2.1", "5.2.0", "5.1.0"]
    unreleased = changelog.entries[0]
    assert (unreleased.title, unreleased.level) == ("Unreleased Changes", 1)
    assert unreleased.body.splitlines()[0] == "## 🐞 Bug fixes"
    assert "```js" in unreleased.body
    release = changelog.entries[1]
    assert (release.line, release.date) == (51, datetime.date(2025, 12, 1))
    assert release.body.startswith("* Revert security fix for [CVE-2024-51999]")
    typo = next(entry for entry in changelog.entries if entry.version.key == "2.4.2")
    assert (typo.line, typo.date) == (3210, datetime.date(2011, 7, 6))
    assert changelog.entries[-1].version.key == "0.0.1"
    assert rules_found(changelog) == []


def test_changie_on_dates() -> None:
    changelog = load("changie__CHANGELOG.md")
    assert len(changelog.entries) == 52
    newest = changelog.entries[0]
    assert (newest.title, newest.date) == ("v1.26.0 on 2026-08-20", datetime.date(2026, 8, 20))
    assert first_line(changelog, "1.26.0") == "### ✨ Added"
    assert changelog.entries[-1].body == "Initial release"
    assert rules_found(changelog) == []


def test_towncrier_restructuredtext() -> None:
    changelog = load("towncrier__NEWS.rst")
    found = keys(changelog)
    assert len(found) == 26
    assert found[:3] == ["24.8.0", "24.7.1", "24.7.0"]
    assert "22.12.0-rc.1" in found and "22.8.0-rc.1" in found
    assert changelog.entries[0].prefix == "Towncrier"
    assert first_line(changelog, "24.8.0") == "No changes since the previous release candidate."
    undated = next(entry for entry in changelog.entries if entry.version.key == "17.1.0")
    assert (undated.title, undated.date) == ("towncrier 17.1.0", None)
    assert rules_found(changelog) == []


def test_moq_generated_changelog() -> None:
    changelog = load("moq__changelog.md")
    assert len(changelog.entries) == 113
    assert changelog.entries[0].title == "Unreleased"
    assert first_line(changelog, "unreleased") == ":bug: Fixed bugs:"
    second = changelog.entries[1]
    assert second.link == "https://github.com/devlooped/moq/tree/v4.20.72"
    assert second.date == datetime.date(2024, 9, 7)
    assert first_line(changelog, "4.20.72").startswith("[Full Changelog]")
    # moq really does list a few old releases out of version order.
    disorder = [line for rule, line in rules_found(changelog) if rule == "CL006"]
    assert disorder == [1760, 1809, 1857, 1895, 2015, 2107, 2139, 2155]


def test_polly_bare_versions_and_word_labels() -> None:
    changelog = load("polly__CHANGELOG.md")
    found = keys(changelog)
    assert found[:2] == ["8.7.0", "8.6.6"]
    assert changelog.entries[0].line == 7  # below <!-- next-release -->
    assert {"5.0.4-pre", "5.0.3", "5.0.2-alpha"} <= set(found)
    assert found[-1] == "1.1.0"
    assert rules_found(changelog) == []


def test_k8ssandra_per_minor_with_lower_case_unreleased() -> None:
    changelog = load("k8ssandra-operator__CHANGELOG_CHANGELOG-1.10.md")
    # "update to cass-operator v1.18.2" in prose, and the fenced example, are not entries.
    assert keys(changelog) == ["unreleased", "1.10.3", "1.10.2", "1.10.1", "1.10.0"]
    assert changelog.entries[0].title == "unreleased"
    assert first_line(changelog, "1.10.3").startswith("* [BUGFIX] [#1110]")
    assert rules_found(changelog) == []


def test_every_real_file_parses_and_every_entry_maps_back() -> None:
    for path in sorted(DATA.iterdir()):
        if path.name == "README.md":
            continue
        changelog = read_changelog(path, path.name)
        lines = path.read_text(encoding="utf-8").splitlines()
        for entry in changelog.entries:
            assert entry.title in lines[entry.line - 1], (path.name, entry.line)
            assert entry.line <= entry.end_line or entry.body == ""


@pytest.mark.parametrize(
    ("name", "previous_tag"),
    [
        ("keep-a-changelog__CHANGELOG.md", "v2.0.0"),
        ("colin-b-keepachangelog__CHANGELOG.md", "v2.0.0"),
    ],
)
def test_the_release_step_on_real_keep_a_changelog_files(name: str, previous_tag: str) -> None:
    text, _ = decode((DATA / name).read_bytes())
    promotion = promote_unreleased(
        text, version("2.1.0"), datetime.date(2026, 12, 5), allow_empty=True
    )
    old, new = text.splitlines(), promotion.text.splitlines()
    assert len(new) == len(old) + 3  # a blank and a heading, and the new link
    added = [line for line in new if line not in old]
    assert added[0] == "## [2.1.0] - 2026-12-05"
    assert added[1].endswith("/compare/v2.1.0...HEAD")
    assert added[2].startswith("[2.1.0]: ") and added[2].endswith(
        f"/compare/{previous_tag}...v2.1.0"
    )
