"""``changelog release``: Unreleased becomes a version, and only the lines involved change."""

from __future__ import annotations

import datetime
import difflib
import io
from pathlib import Path

import pytest

from release_actions.changelog.promote import NothingToRelease, promote_unreleased
from release_actions.changelog.reading.loose_version import LooseVersion, parse_loose_version
from release_actions.cli import main

DAY = datetime.date(2026, 12, 5)

KAC = """# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added
- A `--json` flag.

## [1.1.0] - 2024-03-02
### Fixed
- A crash.

## [1.0.0] - 2024-01-31
### Added
- First release.

[unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
"""


def version(text: str) -> LooseVersion:
    parsed = parse_loose_version(text)
    assert parsed is not None
    return parsed


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines removed and added, as a diff sees them."""
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def test_unreleased_becomes_the_version_and_only_the_lines_involved_change() -> None:
    promotion = promote_unreleased(KAC, version("1.2.0"), DAY)
    removed, added = changed_lines(KAC, promotion.text)
    assert removed == ["[unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD"]
    assert added == [
        "",
        "## [1.2.0] - 2026-12-05",
        "[unreleased]: https://github.com/o/r/compare/v1.2.0...HEAD",
        "[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0",
    ]
    lines = promotion.text.splitlines()
    assert lines[4:9] == ["## [Unreleased]", "", "## [1.2.0] - 2026-12-05", "", "### Added"]
    assert (promotion.line, promotion.heading) == (7, "## [1.2.0] - 2026-12-05")
    assert promotion.text.endswith("\n")


def test_releasing_twice_is_refused_with_the_line_of_the_entry() -> None:
    once = promote_unreleased(KAC, version("1.2.0"), DAY).text
    with pytest.raises(NothingToRelease, match=r"already has an entry for 1\.2\.0 at line 7"):
        promote_unreleased(once, version("v1.2.0"), DAY, allow_empty=True)


def test_an_empty_unreleased_is_refused_unless_allowed() -> None:
    empty = KAC.replace("### Added\n- A `--json` flag.\n\n", "")
    with pytest.raises(NothingToRelease, match=r"Unreleased section .* is empty.*--allow-empty"):
        promote_unreleased(empty, version("1.2.0"), DAY)
    promotion = promote_unreleased(empty, version("1.2.0"), DAY, allow_empty=True)
    assert "## [Unreleased]\n\n## [1.2.0] - 2026-12-05\n\n## [1.1.0]" in promotion.text


def test_a_layout_without_unreleased_points_to_changelog_new() -> None:
    hami = "# v2.9\n\n## v2.9.0 - 2026-06-01\n- fix\n"
    with pytest.raises(NothingToRelease) as raised:
        promote_unreleased(hami, version("2.9.1"), DAY, path="docs/CHANGELOG/CHANGELOG-2.9.md")
    assert raised.value.message == (
        "docs/CHANGELOG/CHANGELOG-2.9.md has no Unreleased section to release from; in a "
        "changelog kept without one (such as one file per minor version), add the entry with "
        "`release-actions changelog new --version 2.9.1`"
    )


def test_the_file_style_is_followed_v_in_headings_and_a_tag_prefix() -> None:
    text = (
        "## Unreleased\n- new\n\n## [v0.3.0] - 2025-01-01\n- old\n\n"
        "[Unreleased]: https://gitlab.com/g/p/-/compare/app-v0.3.0...main\n"
        "[v0.3.0]: https://gitlab.com/g/p/-/compare/app-v0.2.0...app-v0.3.0\n"
    )
    promotion = promote_unreleased(text, version("0.4.0"), DAY)
    assert promotion.text == (
        "## Unreleased\n\n## [v0.4.0] - 2026-12-05\n- new\n\n## [v0.3.0] - 2025-01-01\n- old\n\n"
        "[Unreleased]: https://gitlab.com/g/p/-/compare/app-v0.4.0...main\n"
        "[v0.4.0]: https://gitlab.com/g/p/-/compare/app-v0.3.0...app-v0.4.0\n"
        "[v0.3.0]: https://gitlab.com/g/p/-/compare/app-v0.2.0...app-v0.3.0\n"
    )


def test_oldest_first_files_keep_unreleased_at_the_bottom() -> None:
    text = "# Changelog\n\n## [1.0.0] - 2024-01-01\n- first\n\n## [Unreleased]\n- second\n"
    promotion = promote_unreleased(text, version("1.1.0"), DAY)
    assert promotion.text == (
        "# Changelog\n\n## [1.0.0] - 2024-01-01\n- first\n\n"
        "## [1.1.0] - 2026-12-05\n- second\n\n## [Unreleased]\n"
    )
    assert promotion.line == 6


def test_a_link_that_is_not_a_compare_link_is_left_with_a_note() -> None:
    text = "## [Unreleased]\n- new\n\n[Unreleased]: https://example.com/changes\n"
    promotion = promote_unreleased(text, version("1.0.0"), DAY)
    assert promotion.text.endswith("[Unreleased]: https://example.com/changes\n")
    assert promotion.notes == (
        "the [Unreleased] link is not a compare link (https://example.com/changes): left as it is",
    )


def test_a_pep_440_version_is_spelled_as_given() -> None:
    text = (
        "## [Unreleased]\n- new\n\n## [2.0.0] - 2024-06-14\n- old\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v2.0.0...HEAD\n"
    )
    promotion = promote_unreleased(text, version("2.1.0rc1"), DAY)
    assert "## [2.1.0rc1] - 2026-12-05" in promotion.text
    assert "[2.1.0rc1]: https://github.com/o/r/compare/v2.0.0...v2.1.0rc1" in promotion.text


def cli(cwd: Path, *argv: str) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["changelog", "release", *argv], environ={}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


def test_the_command_keeps_crlf_and_the_bom(tmp_path: Path) -> None:
    original = b"\xef\xbb\xbf" + KAC.replace("\n", "\r\n").encode()
    (tmp_path / "CHANGELOG.md").write_bytes(original)
    code, out = cli(tmp_path, "1.2.0", "--date", "2026-12-05")
    assert code == 0
    assert out == (
        "Released 1.2.0 in CHANGELOG.md: '## [1.2.0] - 2026-12-05' at line 7, "
        "with an empty Unreleased above it.\n"
    )
    expected = promote_unreleased(KAC, version("1.2.0"), DAY).text
    assert (tmp_path / "CHANGELOG.md").read_bytes() == b"\xef\xbb\xbf" + expected.replace(
        "\n", "\r\n"
    ).encode()


def test_a_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(KAC)
    code, out = cli(tmp_path, "1.2.0", "--date", "2026-12-05", "--dry-run")
    assert code == 0
    assert (tmp_path / "CHANGELOG.md").read_text() == KAC
    assert out.startswith(
        "Would release 1.2.0 in CHANGELOG.md: Unreleased becomes '## [1.2.0] - 2026-12-05' "
        "at line 7. Nothing was written.\n--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n"
    )
    assert "+[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0\n" in out


def test_refusals_are_one_line_errors_that_change_nothing(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_bytes(b"## [Unreleased]\n- caf\xe9\n")
    code, out = cli(tmp_path, "1.0.0")
    assert (code, out) == (
        1,
        "error: CHANGELOG.md is not valid UTF-8; it is left as it is\n",
    )
    code, out = cli(tmp_path, "1.0.0", "--path", "NEWS.md")
    assert (code, out) == (1, "error: NEWS.md not found\n")
    code, out = cli(tmp_path, "Unreleased")
    assert code == 2 and "must be a version such as 1.2.0" in out


def test_a_tag_prefix_with_digits_is_read_from_the_previous_version() -> None:
    text = (
        "## [Unreleased]\n- new\n\n## [1.1.0] - 2025-01-01\n- old\n\n"
        "[Unreleased]: https://github.com/o/r/compare/k8s-operator-v1.1.0...HEAD\n"
    )
    promotion = promote_unreleased(text, version("1.2.0"), DAY)
    assert promotion.text.endswith(
        "[Unreleased]: https://github.com/o/r/compare/k8s-operator-v1.2.0...HEAD\n"
        "[1.2.0]: https://github.com/o/r/compare/k8s-operator-v1.1.0...k8s-operator-v1.2.0\n"
    )
