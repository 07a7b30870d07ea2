"""Just enough CommonMark block structure to find headings in one linear pass.

What a changelog parser needs and naive ``"## "`` splitters get wrong: fenced code (the closing
fence must use the same character and be at least as long), HTML comments, raw ``<pre>`` blocks,
generated tables of contents (doctoc, Kubernetes' MUNGE markers), setext headings (a paragraph
underlined with ``===`` or ``---``, while ``---`` after a blank line is a thematic break), and link
reference definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*))?$")  # on right-stripped lines
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)$")
_SETEXT_UNDERLINE = re.compile(r"(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_RAW_HTML_OPEN = re.compile(r"<(pre|script|style|textarea)(?:[\s>]|$)", re.IGNORECASE)
_LINK_DEFINITION = re.compile(r"\[([^\]]+)\]:[ \t]*(\S+)")
_TOC_START = re.compile(r"(?i)\b(?:start|begin)\b.*toc")
_TOC_END = re.compile(r"(?i)\bend\b.*toc")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based line of the heading text (the first one, for a setext heading)
    end_line: int  # the underline of a setext heading, else ``line``
    setext: bool = False


@dataclass(frozen=True)
class LinkDefinition:
    label: str
    url: str
    line: int


@dataclass(frozen=True)
class Document:
    lines: tuple[str, ...]
    headings: tuple[Heading, ...]
    links: dict[str, LinkDefinition]  # by normalised label; the first definition wins
    link_lines: frozenset[int]


def link_label(text: str) -> str:
    """Labels match case-insensitively, with runs of whitespace collapsed."""
    return " ".join(text.split()).casefold()


def scan(text: str) -> Document:
    """Split normalised (LF) text into lines; find its headings and link definitions."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    scanner = _Scanner()
    for number, line in enumerate(lines, start=1):
        scanner.feed(number, line)
    return Document(
        lines=tuple(lines),
        headings=tuple(scanner.headings),
        links=scanner.links,
        link_lines=frozenset(scanner.link_lines),
    )


class _Scanner:
    def __init__(self) -> None:
        self.headings: list[Heading] = []
        self.links: dict[str, LinkDefinition] = {}
        self.link_lines: list[int] = []
        self._fence: tuple[str, int] | None = None
        self._raw_html_end: str | None = None
        self._in_comment = False
        self._in_toc = False
        self._paragraph: list[tuple[int, str]] = []
        self._paragraph_can_be_heading = False

    def feed(self, number: int, line: str) -> None:
        if self._fence is not None:
            self._close_fence_if(line)
            return
        if self._in_comment:
            if "-->" in line:
                self._in_comment = False
                self._toc_marker(line)
            return
        if self._raw_html_end is not None:
            if self._raw_html_end in line.lower():
                self._raw_html_end = None
            return

        content, indent = _dedent(line)
        if not content:
            self._paragraph = []
            return
        if indent >= 4:
            # Indented code, unless it continues a paragraph; never a heading either way.
            if self._paragraph:
                self._paragraph.append((number, content))
            return
        if self._in_toc:
            # A generated TOC's list items look like versions ("- [v1.18.2](#v1182)"). A TOC
            # holds no headings, so one means the end marker is missing: stop skipping there.
            if content.startswith("<!--") and "-->" in content:
                self._toc_marker(content)
                return
            if not (content[0] == "#" and _ATX.match(content)):
                return
            self._in_toc = False
        first = content[0]
        if first == "#" and self._atx(number, content):
            return
        if first in "`~" and self._open_fence(content):
            return
        if first == "<" and self._html(content):
            return
        if first in "=-" and self._setext(number, content):
            return
        if first in "*-_" and _THEMATIC_BREAK.match(content):
            self._paragraph = []
            return
        if first == "[" and not self._paragraph and self._link_definition(number, content):
            return
        self._paragraph_line(number, content)

    def _close_fence_if(self, line: str) -> None:
        assert self._fence is not None
        if _closes(self._fence, *_dedent(line)):
            self._fence = None

    def _atx(self, number: int, content: str) -> bool:
        match = _ATX.match(content)
        if match is None:
            return False
        text = _ATX_CLOSING.sub("", (match.group(2) or "").strip()).strip()
        self.headings.append(Heading(len(match.group(1)), text, number, number))
        self._paragraph = []
        return True

    def _open_fence(self, content: str) -> bool:
        self._fence = _fence_opening(content)
        if self._fence is None:
            return False
        self._paragraph = []
        return True

    def _html(self, content: str) -> bool:
        if content.startswith("<!--"):
            self._paragraph = []
            if "-->" in content[4:]:
                self._toc_marker(content)
            else:
                self._in_comment = True
                self._toc_marker(content)
            return True
        raw = _RAW_HTML_OPEN.match(content)
        if raw is None:
            return False
        end_tag = f"</{raw.group(1).lower()}>"
        if end_tag not in content.lower():
            self._raw_html_end = end_tag
        self._paragraph = []
        return True

    def _toc_marker(self, comment: str) -> None:
        if _TOC_START.search(comment):
            self._in_toc = True
        elif _TOC_END.search(comment):
            self._in_toc = False

    def _setext(self, number: int, content: str) -> bool:
        if not _SETEXT_UNDERLINE.match(content):
            return False
        if not (self._paragraph and self._paragraph_can_be_heading):
            return False  # "---" after a blank line is a thematic break, "===" is plain text
        text = " ".join(part.strip() for _, part in self._paragraph)
        level = 1 if content[0] == "=" else 2
        self.headings.append(Heading(level, text, self._paragraph[0][0], number, setext=True))
        self._paragraph = []
        return True

    def _link_definition(self, number: int, content: str) -> bool:
        match = _LINK_DEFINITION.match(content)
        if match is None:
            return False
        label = link_label(match.group(1))
        self.links.setdefault(label, LinkDefinition(match.group(1), match.group(2), number))
        self.link_lines.append(number)
        return True

    def _paragraph_line(self, number: int, content: str) -> None:
        starts_block = content[0] == ">" or _LIST_ITEM.match(content) is not None
        if not self._paragraph or starts_block:
            self._paragraph = [(number, content)]
            # Setext underlines under list items and quotes are lazy continuations, not headings.
            self._paragraph_can_be_heading = not starts_block
        else:
            self._paragraph.append((number, content))


def _dedent(line: str) -> tuple[str, int]:
    """The line without leading blanks, and its indent with tabs expanded to 4 columns."""
    stripped = line.lstrip(" \t")
    if len(stripped) == len(line):
        return stripped.rstrip(), 0
    return stripped.rstrip(), len(line[: len(line) - len(stripped)].expandtabs(4))


class FenceTracker:
    """Follows fenced code line by line, to know what closes a block cut short."""

    def __init__(self) -> None:
        self._fence: tuple[str, int] | None = None

    @property
    def closer(self) -> str | None:
        """The line that closes the open fence, or None when no fence is open."""
        return None if self._fence is None else self._fence[0] * self._fence[1]

    def feed(self, line: str) -> None:
        content, indent = _dedent(line)
        if self._fence is None:
            self._fence = _fence_opening(content) if indent < 4 else None
        elif _closes(self._fence, content, indent):
            self._fence = None


def _fence_opening(content: str) -> tuple[str, int] | None:
    """The fence character and length a line opens, if it opens one."""
    match = _FENCE_OPEN.match(content)
    if match is None:
        return None
    fence = match.group(1)
    if fence[0] == "`" and "`" in match.group(2):
        return None  # a backtick fence's info string may not contain backticks
    return fence[0], len(fence)


def _closes(fence: tuple[str, int], content: str, indent: int) -> bool:
    """Closing: the same character, at least as long, nothing after it, at most 3 spaces in."""
    char, length = fence
    return indent < 4 and content.startswith(char * length) and not content.strip(char).strip()
