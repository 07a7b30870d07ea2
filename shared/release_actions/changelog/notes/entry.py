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
_BACKTICKS = re.compile(r"`+")


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
    open_at_cut = blocks.state
    for line in text.split("\n"):
        blocks.feed(line)
        if size + len(line) + 1 + blocks.closing_length + len(note) > limit:
            break
        kept.append(line)
        size += len(line) + 1
        open_at_cut = blocks.state  # not the closing text: building it per line is quadratic
    if not kept:
        # Not even one line fits: a single huge line is cut where it must be.
        return (text[: max(limit - len(note), 0)] + note)[:limit], True
    return "\n".join(kept).rstrip("\n") + _closing(*open_at_cut) + note, True


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
            visible = without_code_spans(line)
            opened = len(_DETAILS_OPEN.findall(visible)) - len(_DETAILS_CLOSE.findall(visible))
            self._details = max(self._details + opened, 0)

    @property
    def state(self) -> tuple[str | None, int]:
        """The open fence's closer, and how many ``<details>`` are open."""
        return self._fences.closer, self._details

    @property
    def closing(self) -> str:
        return _closing(*self.state)

    @property
    def closing_length(self) -> int:
        """``len(self.closing)``, without building it: it is asked once per line."""
        fence = len(self._fences.closer) + 1 if self._fences.closer else 0
        return fence + len(_DETAILS_CLOSER) * self._details


_DETAILS_CLOSER = "\n</details>"


def _closing(fence_closer: str | None, open_details: int) -> str:
    fence = f"\n{fence_closer}" if fence_closer else ""
    return fence + _DETAILS_CLOSER * open_details


def without_code_spans(line: str) -> str:
    """The line without its code spans: a run of backticks up to the next run just as long.

    Pairs are found in one pass over the runs (``(`+).*?\\1`` retries every shorter opener at
    every backtick of a long run, which is quadratic).
    """
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(line)]
    if len(runs) < 2:
        return line
    next_same: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = latest.get(length)
        latest[length] = index
    kept: list[str] = []
    position = 0
    index = 0
    while index < len(runs):
        closing = next_same[index]
        if closing is None:
            index += 1
            continue
        kept.append(line[position : runs[index][0]])
        position = runs[closing][1]
        index = closing + 1
    kept.append(line[position:])
    return "".join(kept)
