"""The step summary of a release run: one table row per chart, then what happened to the index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# What happened to a chart in this run, in words for the table.
STATUS_TEXT = {
    "released": "released",
    "completed": "released (asset added to an existing release)",
    "reused": "release existed; index completed",
    "published": "already published",
    "planned": "would be released (dry run)",
    "failed": "failed",
    "not-tagged": "not named by this run's tag",
    "indexed": "added to the index (no GitHub release: publish leaves it out)",
    "packaged": "packaged (publish names neither a GitHub release nor the index)",
}


@dataclass(frozen=True)
class ChartRow:
    name: str
    version: str
    status: str
    path: str = ""
    tag: str = ""
    release_url: str = ""
    asset_url: str = ""
    digest: str = ""
    error: str = ""
    note: str = ""


def render_summary(
    rows: Sequence[ChartRow],
    *,
    index_line: str,
    dry_run: bool = False,
    title: str = "Chart release",
) -> str:
    heading = f"### {title}" + (" (dry run)" if dry_run else "")
    if not rows:
        return f"{heading}\n\nNo charts found.\n\n{index_line}\n"
    lines = [
        heading,
        "",
        "| Chart | Version | Status | Release | Package |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines.extend(_row(row) for row in rows)
    lines.extend(["", index_line, ""])
    return "\n".join(lines)


def _row(row: ChartRow) -> str:
    status = STATUS_TEXT.get(row.status, row.status)
    if row.error or row.note:
        status += f": {row.error or row.note}"
    release = _link(row.tag, row.release_url) if row.tag else ""
    package = _link(f"sha256 `{row.digest[:12]}`", row.asset_url) if row.digest else ""
    name = f"`{_cell(row.name)}`" + (f" ({_cell(row.path)})" if row.path else "")
    return f"| {name} | {_cell(row.version)} | {_cell(status)} | {release} | {package} |"


def _link(text: str, url: str) -> str:
    return f"[{_cell(text)}]({url})" if url else _cell(text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
