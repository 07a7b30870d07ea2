"""Release notes from an entry: its body and the link definitions it uses, trimmed to fit."""

from __future__ import annotations

import re

from .markdown import FenceTracker, link_label
from .model import Changelog, Entry

# GitHub rejects a release body longer than this.
MAX_RELEASE_BODY = 125_000
TRUNCATION_NOTE = "*(Truncated: the changelog has the full entry.)*"

_REFERENCE = re.compile(r"\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?(?![(:])")
_DETAILS_OPEN = re.compile(r"<details[\s>]", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)


def entry_notes(changelog: Changelog, entry: Entry) -> str:
    """The entry's body, plus the definitions of the ``[reference]`` links it uses.

    Keep a Changelog files define links once at the bottom of the file; without them, an
    extracted ``[1.2.0]`` or ``[#123][]`` would show as literal brackets on the release page.
    """
    wanted: dict[str, None] = {}
    for match in _REFERENCE.finditer(entry.body):
        label = link_label(match.group(2) or match.group(1))
        if label in changelog.links:
            wanted.setdefault(label, None)
    definitions = [
        f"[{changelog.links[label].label}]: {changelog.links[label].url}"
        for label in wanted
        if changelog.links[label].line not in range(entry.body_line, entry.end_line + 1)
    ]
    if not definitions:
        return entry.body
    return entry.body + "\n\n" + "\n".join(definitions)


def trim_notes(text: str, limit: int = MAX_RELEASE_BODY) -> tuple[str, bool]:
    """Cut at a line boundary to at most ``limit`` characters, closing an open code fence and
    ``<details>`` blocks, and say so at the end. Returns the text and whether it was cut."""
    if len(text) <= limit:
        return text, False
    note = "\n\n" + TRUNCATION_NOTE
    kept: list[str] = []
    size = 0
    fences = FenceTracker()
    details = 0
    closing = ""
    for line in text.split("\n"):
        fences.feed(line)
        if fences.closer is None:
            details += len(_DETAILS_OPEN.findall(line)) - len(_DETAILS_CLOSE.findall(line))
            details = max(details, 0)
        line_closing = (f"\n{fences.closer}" if fences.closer else "") + "\n</details>" * details
        if size + len(line) + 1 + len(line_closing) + len(note) > limit:
            break
        kept.append(line)
        size += len(line) + 1
        closing = line_closing
    if not kept:
        # Not even one line fits: a single huge line is cut where it must be.
        return (text[: max(limit - len(note), 0)] + note)[:limit], True
    return "\n".join(kept).rstrip("\n") + closing + note, True
