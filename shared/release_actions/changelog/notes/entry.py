"""Release notes from an entry: its body and the link definitions it uses, trimmed to fit."""

from __future__ import annotations

import re

from ..reading import Changelog, Entry, FenceTracker, link_label

# GitHub rejects a release body longer than this.
MAX_RELEASE_BODY = 125_000
TRUNCATION_NOTE = "*(Truncated: the changelog has the full entry.)*"

_REFERENCE = re.compile(r"\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?(?![(:])")
_DETAILS_OPEN = re.compile(r"<details[\s>]", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)[^`\n]*?\1")


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
    """Cut at a line boundary to at most ``limit`` characters, and say so at the end. Returns the
    text and whether it was cut.

    Whether cut or not, a code fence or ``<details>`` left open at the end is closed, so that
    what follows the notes (a footer, the end of a ``<details>`` preview) is not swallowed.
    """
    closed = text + close_open_blocks(text)
    if len(closed) <= limit:
        return closed, False
    note = "\n\n" + TRUNCATION_NOTE
    kept: list[str] = []
    size = 0
    blocks = _OpenBlocks()
    closing = ""
    for line in text.split("\n"):
        blocks.feed(line)
        if size + len(line) + 1 + len(blocks.closing) + len(note) > limit:
            break
        kept.append(line)
        size += len(line) + 1
        closing = blocks.closing
    if not kept:
        # Not even one line fits: a single huge line is cut where it must be.
        return (text[: max(limit - len(note), 0)] + note)[:limit], True
    return "\n".join(kept).rstrip("\n") + closing + note, True


def close_open_blocks(text: str) -> str:
    """What closes the code fence and ``<details>`` blocks still open at the end of ``text``:
    ``""``, or lines starting with a newline, to append."""
    blocks = _OpenBlocks()
    for line in text.split("\n"):
        blocks.feed(line)
    return blocks.closing


class _OpenBlocks:
    """Follows fenced code and ``<details>`` line by line, to know what closes a text cut short."""

    def __init__(self) -> None:
        self._fences = FenceTracker()
        self._details = 0

    def feed(self, line: str) -> None:
        self._fences.feed(line)
        if self._fences.closer is None:
            visible = _CODE_SPAN.sub("", line)
            opened = len(_DETAILS_OPEN.findall(visible)) - len(_DETAILS_CLOSE.findall(visible))
            self._details = max(self._details + opened, 0)

    @property
    def closing(self) -> str:
        fence = f"\n{self._fences.closer}" if self._fences.closer else ""
        return fence + "\n</details>" * self._details
