"""The step summary: what ran, what it found, and a preview of the release notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..notes import trim_notes
from ..reading import Entry
from .report import CheckRow

PREVIEW_CHARS = 4000
_ICONS = {
    "passed": "✅ passed",
    "failed": "❌ failed",
    "warning": "⚠️ warning",
    "skipped": "⏭️ skipped",
}


@dataclass(frozen=True)
class SummaryFacts:
    mode: str
    subject: str = ""
    file: str = ""
    entry: Entry | None = None
    notes: str | None = None
    skip_reason: str = ""
    release: str = ""  # what happened to the GitHub release body, when asked to update it
    pull: str = ""  # what happened to the release pull request (release-pr mode)


def render_summary(facts: SummaryFacts, rows: Sequence[CheckRow]) -> str:
    lines = [f"### Changelog check ({facts.mode})", ""]
    if facts.subject:
        lines += [f"Checked {facts.subject}" + (f" in `{facts.file}`." if facts.file else "."), ""]
    if facts.skip_reason:
        lines += [f"Changelog requirement skipped: {_cell(facts.skip_reason)}.", ""]
    if rows:
        lines += ["| Rule | Check | Result | Details |", "|---|---|---|---|"]
        lines += [
            f"| {row.rule.id} | {row.rule.check} | {_ICONS[row.outcome]} | {_cell(row.detail)} |"
            for row in rows
        ]
        lines.append("")
    if facts.entry is not None:
        entry = facts.entry
        dated = f", dated {entry.date.isoformat()}" if entry.date else ""
        lines += [f"Entry: `{entry.title}` at line {entry.line}{dated}.", ""]
    if facts.release:
        lines += [f"GitHub release: {facts.release}.", ""]
    if facts.pull:
        lines += [f"Pull request: {facts.pull}.", ""]
    if facts.notes is not None:
        preview, _ = trim_notes(facts.notes, PREVIEW_CHARS)
        lines += [
            "<details><summary>Release notes preview</summary>",
            "",
            preview or "*(empty)*",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """One table cell: one line, pipes escaped, long messages shortened."""
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= 300 else flat[:299] + "…"
