"""The sample in examples/changelog/ passes the checks its README shows."""

from __future__ import annotations

import io
from pathlib import Path

from release_actions.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "changelog"
PER_MINOR = "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"


def cli(*argv: str) -> tuple[int, str]:
    stream = io.StringIO()
    return main(["changelog", *argv], environ={}, stream=stream, cwd=EXAMPLE), stream.getvalue()


def test_the_release_gate_passes_for_the_latest_patch() -> None:
    code, out = cli(
        "check",
        "--version",
        "v1.2.1",
        "--tag",
        "v1.2.1",
        "--path",
        PER_MINOR,
        "--version-file",
        "charts/hami/Chart.yaml:version",
        "--version-file",
        "charts/hami/Chart.yaml:appVersion",
        "--version-file",
        "VERSION",
    )
    assert code == 0, out


def test_lint_and_notes() -> None:
    code, out = cli("lint", "docs/CHANGELOG/CHANGELOG-0.0.0.md", "docs/CHANGELOG/CHANGELOG-1.2.md")
    assert (code, out) == (0, "2 changelog file(s) checked: no errors\n")
    code, out = cli("notes", "--version", "1.2.0", "--path", "docs/CHANGELOG/CHANGELOG-1.2.md")
    assert code == 0
    assert "```yaml\n# values.yaml\nscheduler:" in out  # the fenced "#" is not a heading
    assert out.rstrip().endswith("### Deprecation\nNone.")


def test_a_minor_without_its_file_fails() -> None:
    code, out = cli("check", "--version", "1.3.0", "--path", PER_MINOR)
    assert code == 1
    assert "docs/CHANGELOG/CHANGELOG-1.3.md not found for version 1.3.0" in out
