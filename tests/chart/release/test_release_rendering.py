"""Pure renderers of the release: notes, the index diff and the step summary."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from release_actions.chart.loader.chart_file import ChartFile
from release_actions.chart.release.notes import chart_notes
from release_actions.chart.release.summary import ChartRow, render_summary
from release_actions.chart.repo.diff import unified_index_diff
from release_actions.chart.repo.index import merge_index
from release_actions.errors import ReleaseActionsError
from support.shared_data import shared_data

INDEXES = shared_data("indexes")


def chart(**metadata: object) -> ChartFile:
    return ChartFile(
        directory=Path("charts/hami"),
        metadata={"apiVersion": "v2", "name": "hami", "version": "2.10.0", **metadata},
    )


# -- release notes --------------------------------------------------------------------------


def test_notes_from_artifacthub_changes_with_kinds_and_links() -> None:
    changes = (
        "- kind: added\n  description: NUMA-aware binpacking\n"
        "- kind: security\n  description: Bump base image\n"
        "  links:\n  - name: CVE-2025-1\n    url: https://cve.example/1\n"
    )
    notes = chart_notes(chart(annotations={"artifacthub.io/changes": changes}, description="d"))
    assert notes == (
        "- **Added**: NUMA-aware binpacking\n"
        "- **Security**: Bump base image ([CVE-2025-1](https://cve.example/1))"
    )


def test_notes_from_plain_string_changes() -> None:
    notes = chart_notes(chart(annotations={"artifacthub.io/changes": "- Fix a typo\n- Add ARM\n"}))
    assert notes == "- Fix a typo\n- Add ARM"


def test_notes_fall_back_to_the_description() -> None:
    assert chart_notes(chart(description="  A GPU scheduler  ")) == "A GPU scheduler"
    assert chart_notes(chart()) == ""


@pytest.mark.parametrize("changes", ["kind: added", "- [unclosed", "- 42"])
def test_malformed_changes_are_an_error_on_the_chart(changes: str) -> None:
    with pytest.raises(ReleaseActionsError, match=r"artifacthub\.io/changes") as error:
        chart_notes(chart(annotations={"artifacthub.io/changes": changes}))
    assert error.value.location is not None
    assert error.value.location.file == "charts/hami/Chart.yaml"


# -- the index diff -------------------------------------------------------------------------


def entry(name: str, version: str) -> dict[str, object]:
    return {
        "apiVersion": "v2",
        "name": name,
        "version": version,
        "digest": "ab" * 32,
        "urls": [f"https://example.com/{name}-{version}.tgz"],
        "created": "2025-01-01T00:00:00Z",
        "description": f"{name} chart",
    }


# The two smallest real indexes: difflib, the reference, takes seconds on the larger ones.
SMALL_INDEXES = sorted(INDEXES.glob("*.yaml"), key=lambda path: path.stat().st_size)[:2]


@pytest.mark.parametrize("index", SMALL_INDEXES, ids=lambda path: path.name)
def test_the_index_diff_equals_difflib_on_real_indexes(index: Path) -> None:
    before = index.read_text(encoding="utf-8")
    after = merge_index(
        before,
        [entry("zzz-new-chart", "1.0.0"), entry("aaa-new-chart", "0.1.0")],
        generated=datetime(2030, 1, 1, tzinfo=UTC),
    )
    expected = "".join(
        difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), "a/index.yaml", "b/index.yaml", n=2
        )
    )
    assert unified_index_diff(before, after, path="index.yaml") == expected


def test_no_difference_gives_an_empty_diff() -> None:
    assert unified_index_diff("a: 1\n", "a: 1\n", path="index.yaml") == ""


def apply_patch(before: str, patch: str) -> str:
    """Apply a unified diff (as written by unified_index_diff) to ``before``."""
    old = before.splitlines(keepends=True)
    result: list[str] = []
    position = 0
    for line in patch.splitlines(keepends=True)[2:]:
        if line.startswith("@@"):
            match = re.match(r"@@ -(\d+)(?:,(\d+))? ", line)
            assert match
            start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
            result.extend(old[position:start])
            position = start
        elif line.startswith(" "):
            assert old[position] == line[1:]
            result.append(line[1:])
            position += 1
        elif line.startswith("-"):
            assert old[position] == line[1:]
            position += 1
        elif line.startswith("+"):
            result.append(line[1:])
    result.extend(old[position:])
    return "".join(result)


lines = st.lists(st.sampled_from(["a:\n", "  b: 1\n", "  - c\n", "    d: 2\n", "e: 3\n"]))


@given(before=lines, after=lines)
def test_the_index_diff_turns_before_into_after(before: list[str], after: list[str]) -> None:
    old, new = "".join(before), "".join(after)
    patch = unified_index_diff(old, new, path="index.yaml")
    assert (patch == "") == (old == new)
    if patch:
        assert apply_patch(old, patch) == new


# -- the step summary ------------------------------------------------------------------------


def test_summary_table_has_status_and_links() -> None:
    rows = [
        ChartRow(
            name="hami",
            version="2.10.0",
            status="released",
            path="charts/hami",
            tag="hami-2.10.0",
            release_url="https://github.com/o/r/releases/tag/hami-2.10.0",
            asset_url="https://github.com/o/r/releases/download/hami-2.10.0/hami-2.10.0.tgz",
            digest="0123456789abcdef" * 4,
        ),
        ChartRow(name="web", version="0.1.0", status="failed", error="a | pipe\nand a newline"),
        ChartRow(name="old", version="1.0.0", status="published"),
    ]
    summary = render_summary(rows, index_line="Index: updated.")
    assert summary.startswith("### Chart release\n")
    assert (
        "| `hami` (charts/hami) | 2.10.0 | released |"
        " [hami-2.10.0](https://github.com/o/r/releases/tag/hami-2.10.0) |"
        " [sha256 `0123456789ab`](https://github.com/o/r/releases/download/hami-2.10.0/"
        "hami-2.10.0.tgz) |"
    ) in summary
    assert "| failed: a \\| pipe and a newline |" in summary
    assert "| `old` | 1.0.0 | already published |  |  |" in summary
    assert summary.rstrip().endswith("Index: updated.")


def test_summary_without_charts_says_so() -> None:
    summary = render_summary([], index_line="Index: unchanged.", dry_run=True)
    assert summary.startswith("### Chart release (dry run)")
    assert "No charts found." in summary
