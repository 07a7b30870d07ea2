"""``release-actions changelog check|notes|lint|new`` through the CLI's one entry point."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from release_actions.cli import main

KAC = """# Changelog

## [Unreleased]

## [1.1.0] - 2024-03-02
### Added
- A `--json` flag, see [#12].

## [1.0.0] - 2024-01-31
### Added
- First release.

[#12]: https://github.com/o/r/issues/12
"""


def cli(cwd: Path, *argv: str) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["changelog", *argv], environ={}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


def test_notes_prints_the_body_with_its_links(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(KAC)
    code, out = cli(tmp_path, "notes", "--version", "v1.1.0", "--path", "CHANGELOG.md")
    assert code == 0
    assert (
        out
        == "### Added\n- A `--json` flag, see [#12].\n\n[#12]: https://github.com/o/r/issues/12\n"
    )


def test_notes_prints_only_the_body_on_stdout_and_diagnostics_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``release-actions changelog notes … > notes.md`` gets the notes and nothing else."""
    (tmp_path / "CHANGELOG.md").write_bytes(
        b"## 1.1.0\n- caf\xe9 fix\n\n## 1.0.0\n### Fixed\nNone.\n"
    )
    code = main(
        ["changelog", "notes", "--version", "1.1.0", "--path", "CHANGELOG.md"],
        environ={},
        cwd=tmp_path,
    )
    captured = capsys.readouterr()
    assert (code, captured.out) == (0, "- caf\ufffd fix\n")
    assert captured.err == (
        "warning: CHANGELOG.md is not valid UTF-8; the bytes that are not were replaced\n"
    )

    code = main(
        ["changelog", "notes", "--version", "1.0.0", "--path", "CHANGELOG.md"],
        environ={},
        cwd=tmp_path,
    )
    captured = capsys.readouterr()
    assert (code, captured.out) == (0, "### Fixed\nNone.\n")
    assert captured.err.endswith(
        "warning: CHANGELOG.md:4: the entry for 1.0.0 is empty: it holds only headings or "
        "placeholders such as 'None.'\n"
    )


def test_notes_inside_actions_cannot_run_workflow_commands(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("## 1.0.0\n- fix\n::add-mask::x\n::error::boom\n")
    (tmp_path / "output").touch()
    stream = io.StringIO()
    code = main(
        ["changelog", "notes", "--version", "1.0.0", "--path", "CHANGELOG.md"],
        environ={"GITHUB_OUTPUT": str(tmp_path / "output")},
        stream=stream,
        cwd=tmp_path,
    )
    assert code == 0
    match = re.fullmatch(
        r"::stop-commands::(?P<token>[0-9a-f]{32})\n(?P<body>.*)\n::(?P=token)::\n",
        stream.getvalue(),
        flags=re.DOTALL,
    )
    assert match is not None, stream.getvalue()
    assert match["body"] == "- fix\n::add-mask::x\n::error::boom"


def test_notes_for_a_missing_entry_exits_1(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(KAC)
    code, out = cli(tmp_path, "notes", "--version", "2.0.0", "--path", "CHANGELOG.md")
    assert code == 1
    assert out == (
        "error: CHANGELOG.md:5: no entry for 2.0.0 in CHANGELOG.md "
        "(latest entry is 1.1.0 at line 5); version 2.0.0 needs one\n"
    )
    code, out = cli(tmp_path, "notes", "--version", "1.0.0", "--path", "NEWS.md")
    assert (code, out) == (1, "error: NEWS.md not found\n")


def test_notes_trims(tmp_path: Path) -> None:
    body = "\n".join(f"- change {n}" for n in range(500))
    (tmp_path / "CHANGELOG.md").write_text(f"## 1.0.0\n{body}\n")
    code, out = cli(
        tmp_path, "notes", "--version", "1.0.0", "--path", "CHANGELOG.md", "--max-chars", "1000"
    )
    assert code == 0 and len(out) <= 1001 and "Truncated" in out


def test_check_runs_the_release_gate_locally(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(KAC)
    (tmp_path / "VERSION").write_text("v1.1.0\n")
    code, out = cli(tmp_path, "check", "--version", "1.1.0", "--version-file", "VERSION")
    assert code == 0, out
    assert "| CL010 | Version files agree with the version | ✅ passed |" in out
    code, out = cli(
        tmp_path, "check", "--version", "1.2.0", "--tag", "v1.2.0", "--profile", "keepachangelog"
    )
    assert code == 1
    assert "error: CHANGELOG.md:5: no entry for 1.2.0 in CHANGELOG.md" in out
    code, out = cli(tmp_path, "check", "--version", "1.0.0", "--path", "docs/{major}.{minor}.md")
    assert code == 1 and "docs/1.0.md not found for version 1.0.0" in out


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    assert cli(tmp_path, "check", "--version", "latest")[0] == 2
    assert cli(tmp_path, "new", "--version", "1.0.0", "--date", "tomorrow")[0] == 2
    assert cli(tmp_path, "lint")[0] == 2


def test_lint_several_files(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(KAC)
    (tmp_path / "OLD.md").write_text("## 1.0.0\n## 1.0.0\n")
    code, out = cli(tmp_path, "lint", "CHANGELOG.md")
    assert (code, out) == (0, "1 changelog file(s) checked: no errors\n")
    code, out = cli(tmp_path, "lint", "CHANGELOG.md", "--profile", "keepachangelog")
    assert code == 0  # warnings do not fail
    assert "warning: CHANGELOG.md:5: [1.1.0] has no link definition" in out
    code, out = cli(tmp_path, "lint", "CHANGELOG.md", "OLD.md", "MISSING.md")
    assert code == 1
    assert "error: OLD.md:2: 1.0.0 appears 2 times (lines 1, 2)" in out
    assert "error: MISSING.md not found" in out


TEMPLATE = """<!-- START doctoc generated TOC please keep comment here to allow auto update -->
- [v0.0.0](#v000)
<!-- END doctoc generated TOC please keep comment here to allow auto update -->

# v0.0.0
## Downloads for v0.0.0

Download v0.0.0 in the [v0.0.0 release page](https://github.com/Project-HAMi/HAMi/releases/tag/v0.0.0).

## Changelog since v0.0.0
#### Bug Fixes
None.
"""


def test_new_scaffolds_per_minor_files_from_the_template(tmp_path: Path) -> None:
    docs = tmp_path / "docs/CHANGELOG"
    docs.mkdir(parents=True)
    (docs / "CHANGELOG-0.0.0.md").write_text(TEMPLATE)
    (docs / "CHANGELOG-1.1.md").write_text("# v1.1.3\n- fix\n\n# v1.1.0\n- first\n")
    path = "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"

    code, out = cli(tmp_path, "new", "--version", "1.2.0", "--path", path)
    assert (code, out) == (0, "Created docs/CHANGELOG/CHANGELOG-1.2.md for 1.2.0 at line 5\n")
    created = (docs / "CHANGELOG-1.2.md").read_text()
    assert "# v1.2.0\n## Downloads for v1.2.0" in created
    assert "## Changelog since v1.1.3" in created

    code, out = cli(tmp_path, "new", "--version", "v1.2.1", "--path", path)
    assert code == 0 and out.startswith("Added an entry to docs/CHANGELOG/CHANGELOG-1.2.md")
    updated = (docs / "CHANGELOG-1.2.md").read_text()
    assert updated.index("# v1.2.1") < updated.index("# v1.2.0\n")
    assert "## Changelog since v1.2.0" in updated

    before = (docs / "CHANGELOG-1.2.md").read_bytes()
    code, out = cli(tmp_path, "new", "--version", "1.2.1", "--path", path)
    assert (code, out) == (
        0,
        "docs/CHANGELOG/CHANGELOG-1.2.md already has an entry for 1.2.1 at line 5; nothing to do\n",
    )
    assert (docs / "CHANGELOG-1.2.md").read_bytes() == before

    # A scaffolded entry is placeholders only: the release gate refuses it until it is filled.
    code, out = cli(tmp_path, "check", "--version", "1.2.1", "--path", path)
    assert code == 1 and "CL003" in out


def test_new_keeps_crlf_and_bom(tmp_path: Path) -> None:
    original = "\ufeff# Changelog\r\n\r\n## v1.0.0 - 2024-01-01\r\n- first\r\n".encode()
    (tmp_path / "CHANGELOG.md").write_bytes(original)
    code, _ = cli(tmp_path, "new", "--version", "1.1.0", "--date", "2024-02-01")
    assert code == 0
    assert (tmp_path / "CHANGELOG.md").read_bytes() == (
        "\ufeff# Changelog\r\n\r\n## v1.1.0 - 2024-02-01\r\n\r\nNone.\r\n\r\n"
        "## v1.0.0 - 2024-01-01\r\n- first\r\n"
    ).encode()


def test_notes_for_unreleased_and_for_the_latest_entry(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(
        KAC.replace("## [Unreleased]\n", "## [Unreleased]\n- Soon.\n")
    )
    code, out = cli(tmp_path, "notes", "--version", "Unreleased", "--path", "CHANGELOG.md")
    assert (code, out) == (0, "- Soon.\n")
    code, out = cli(tmp_path, "notes", "--latest", "--path", "CHANGELOG.md")
    assert code == 0 and out.startswith("### Added\n- A `--json` flag, see [#12].\n")
    code, out = cli(tmp_path, "notes", "--latest", "--version", "1.0.0", "--path", "CHANGELOG.md")
    assert code == 2 and "not allowed with argument" in out
    (tmp_path / "EMPTY.md").write_text("## [Unreleased]\n- Soon.\n")
    code, out = cli(tmp_path, "notes", "--latest", "--path", "EMPTY.md")
    assert (code, out) == (1, "error: EMPTY.md has no released entry\n")
