"""Issue 9, low: annotations are capped; the rest are counted and listed in the step summary.

20,000 duplicate changelog headings printed 19,999 ``::error`` lines, of which GitHub shows a
few. The first ``MAX_ANNOTATIONS`` of each kind are annotations; one warning says how many more
there were, and the step summary lists them.
"""

from __future__ import annotations

import io
from pathlib import Path

from release_actions.cli import main
from release_actions.errors import SourceLocation
from release_actions.runner import MAX_ANNOTATIONS, Runner


def actions(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }


def test_past_the_cap_annotations_go_to_the_summary_with_a_count(tmp_path: Path) -> None:
    stream = io.StringIO()
    runner = Runner(actions(tmp_path), stream)
    for number in range(1, 101):
        runner.error(f"problem {number} <b>`x`</b>", location=SourceLocation("f.md", number))
    for number in range(3):
        runner.warning(f"warning {number}")
    runner.finish()

    lines = stream.getvalue().splitlines()
    assert sum(line.startswith("::error") for line in lines) == MAX_ANNOTATIONS
    assert sum(line.startswith("::warning") for line in lines) == 3 + 1
    assert lines[-1] == (
        f"::warning::and {100 - MAX_ANNOTATIONS} errors more, not annotated (only the first"
        f" {MAX_ANNOTATIONS} of each kind are): see the step summary"
    )
    summary = (tmp_path / "summary.md").read_text()
    assert f"- error: f.md:{MAX_ANNOTATIONS + 1}: problem {MAX_ANNOTATIONS + 1}" in summary
    assert "- error: f.md:100: problem 100 &lt;b>&#96;x&#96;&lt;/b>" in summary
    assert "problem 1 " not in summary  # annotated already


def test_on_a_terminal_every_annotation_is_printed() -> None:
    errors = io.StringIO()
    runner = Runner({}, io.StringIO(), errors)
    for number in range(100):
        runner.error(f"problem {number}")
    runner.finish()
    assert errors.getvalue().count("error: problem") == 100


def test_20000_duplicate_changelog_headings_print_a_bounded_number_of_lines(
    tmp_path: Path,
) -> None:
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n" + "## [1.0.0] - 2024-01-01\n### Added\n- x\n\n" * 20_000
    )
    stream = io.StringIO()

    code = main(
        ["changelog", "lint", "CHANGELOG.md"],
        environ=actions(tmp_path),
        stream=stream,
        cwd=tmp_path,
    )

    assert code == 1
    lines = stream.getvalue().splitlines()
    assert sum(line.startswith("::error") for line in lines) == MAX_ANNOTATIONS
    held_back = [line for line in lines if "errors more, not annotated" in line]
    assert len(held_back) == 1 and held_back[0].startswith("::warning::and 19,9")
    assert (tmp_path / "summary.md").read_text().count("- error: ") > 1000
