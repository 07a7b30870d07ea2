"""Just enough CommonMark block structure to find headings, in one linear pass.

What a changelog parser needs and naive ``"## "`` splitters get wrong: fenced code (the closing
fence uses the same character, at least as many times, and nothing but spaces after it), the seven
kinds of HTML block (a ``<!--`` comment runs to ``-->``, a ``<div>`` to the next blank line),
generated tables of contents (doctoc, Kubernetes' MUNGE markers), setext headings (a paragraph
underlined with ``===`` or ``---``, while ``---`` after a blank line is a thematic break), and link
reference definitions. Block quotes and list items are not containers here: their lines are
paragraph text, which is all a changelog needs (a version heading is never inside one).

The rules are CommonMark 0.31.2's, checked against the spec's own examples
(tests/changelog/reading/commonmark/). Every pattern runs in linear time: the text comes from
pull requests, so a crafted file must not stall a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

_LIST_ITEM = re.compile(r"(?:[-+*]|(?P<number>[0-9]{1,9})[.)])(?:[ \t]|$)")
_LINK_DEFINITION = re.compile(r"\[([^\]]+)\]:[ \t]*(\S+)")
_TOC_START = re.compile(r"\b(?i:start|begin)\b")
_TOC_END = re.compile(r"\b(?i:end)\b")

# HTML blocks (CommonMark 4.6): the start conditions of kinds 1 to 6, and how each kind ends.
_HTML_RAW_OPEN = re.compile(r"<(?i:pre|script|style|textarea)(?:[ \t>]|$)")
_HTML_RAW_CLOSE = ("</pre>", "</script>", "</style>", "</textarea>")
_HTML_DECLARATION = re.compile(r"<![A-Za-z]")
_HTML_BLOCK_TAG = re.compile(
    r"</?(?i:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd"
    r"|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset"
    r"|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol"
    r"|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr"
    r"|track|ul)(?:[ \t>]|/>|$)"
)
# Kind 7: one complete open or closing tag alone on its line. Every repetition starts with a
# character the one before cannot end with, so the match is linear.
_HTML_ATTRIBUTE = (
    r"[ \t]+[A-Za-z_:][A-Za-z0-9:._-]*"
    r"""(?:[ \t]*=[ \t]*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?"""
)
_HTML_LONE_TAG = re.compile(
    rf"(?:<[A-Za-z][A-Za-z0-9-]*(?:{_HTML_ATTRIBUTE})*[ \t]*/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)"
    r"[ \t]*"
)
_BLANK_LINE = ""  # the end marker of kinds 6 and 7: the block ends before a blank line
_COMMENT_END = ("-->",)


class Heading(NamedTuple):  # a tuple: a 1 MB file may hold 100,000 of them
    level: int
    text: str
    line: int  # 1-based line of the heading text (the first one, for a setext heading)
    end_line: int  # the underline of a setext heading, else ``line``
    setext: bool = False


@dataclass(frozen=True)
class Block:
    """A fenced code or HTML block: lines in it are never headings."""

    kind: Literal["fence", "html"]
    line: int
    end_line: int  # the closing fence, or the block's last line; the last line when unclosed


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
    blocks: tuple[Block, ...] = ()


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
    scanner.finish(len(lines))
    return Document(
        lines=tuple(lines),
        headings=tuple(scanner.headings),
        links=scanner.links,
        link_lines=frozenset(scanner.link_lines),
        blocks=tuple(scanner.blocks),
    )


@dataclass(frozen=True)
class _Fence:
    char: str
    length: int
    line: int


@dataclass(frozen=True)
class _Html:
    end_markers: tuple[str, ...]  # lower-case substrings that end the block, or the blank line
    line: int


class _Scanner:
    def __init__(self) -> None:
        self.headings: list[Heading] = []
        self.blocks: list[Block] = []
        self.links: dict[str, LinkDefinition] = {}
        self.link_lines: list[int] = []
        self._fence: _Fence | None = None
        self._html: _Html | None = None
        self._in_toc = False
        self._paragraph: list[tuple[int, str]] = []
        self._paragraph_can_be_heading = False

    def feed(self, number: int, line: str) -> None:
        if self._fence is not None:
            if _closes_fence(self._fence.char, self._fence.length, *_dedent(line)):
                self.blocks.append(Block("fence", self._fence.line, number))
                self._fence = None
            return
        if self._html is not None:
            self._continue_html(number, line)
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
            if not (content[0] == "#" and _atx(content) is not None):
                return
            self._in_toc = False
        first = content[0]
        if first == "#" and self._atx(number, content):
            return
        if first in "`~" and self._open_fence(number, content):
            return
        if first == "<" and self._open_html(number, content):
            return
        if first in "=-" and self._setext(number, content):
            return
        if first in "*-_" and _is_thematic_break(content):
            self._paragraph = []
            return
        if first == "[" and not self._paragraph and self._link_definition(number, content):
            return
        self._paragraph_line(number, content)

    def finish(self, last_line: int) -> None:
        """Close what the end of the text leaves open."""
        if self._fence is not None:
            self.blocks.append(Block("fence", self._fence.line, last_line))
        elif self._html is not None:
            self.blocks.append(Block("html", self._html.line, last_line))

    def _atx(self, number: int, content: str) -> bool:
        heading = _atx(content)
        if heading is None:
            return False
        level, text = heading
        self.headings.append(Heading(level, text, number, number))
        self._paragraph = []
        return True

    def _open_fence(self, number: int, content: str) -> bool:
        opening = _fence_opening(content)
        if opening is None:
            return False
        self._fence = _Fence(*opening, number)
        self._paragraph = []
        return True

    def _open_html(self, number: int, content: str) -> bool:
        end_markers = _html_block_end(content, interrupts_paragraph=bool(self._paragraph))
        if end_markers is None:
            return False
        self._paragraph = []
        self._html = _Html(end_markers, number)
        if end_markers == _COMMENT_END:
            self._toc_marker(content)
        self._continue_html(number, content)
        return True

    def _continue_html(self, number: int, line: str) -> None:
        assert self._html is not None
        markers = self._html.end_markers
        if markers == (_BLANK_LINE,):
            if not line.strip(" \t"):
                self.blocks.append(Block("html", self._html.line, number - 1))
                self._html = None
                self._paragraph = []
            return
        lowered = line.lower()
        if any(marker in lowered for marker in markers):
            if markers == _COMMENT_END and number != self._html.line:
                self._toc_marker(line)
            self.blocks.append(Block("html", self._html.line, number))
            self._html = None

    def _toc_marker(self, comment: str) -> None:
        """A TOC opens at "START doctoc … TOC" or "BEGIN MUNGE: GENERATED_TOC", ends at "END … TOC".

        A word, then "toc" anywhere after it: searched in two steps, as ``start.*toc`` would
        backtrack over the rest of the line from every "start" in it.
        """
        if _word_then_toc(_TOC_START, comment):
            self._in_toc = True
        elif _word_then_toc(_TOC_END, comment):
            self._in_toc = False

    def _setext(self, number: int, content: str) -> bool:
        if content.lstrip(content[0]):  # "=" or "-" only: the line is already right-stripped
            return False
        if not (self._paragraph and self._paragraph_can_be_heading):
            return False  # "---" after a blank line is a thematic break, "===" is plain text
        text = " ".join(part.strip(" \t") for _, part in self._paragraph)
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
        starts_block = content[0] == ">" or _starts_list_item(content, bool(self._paragraph))
        if not self._paragraph or starts_block:
            self._paragraph = [(number, content)]
            # Setext underlines under list items and quotes are lazy continuations, not headings.
            self._paragraph_can_be_heading = not starts_block
        else:
            self._paragraph.append((number, content))


def _dedent(line: str) -> tuple[str, int]:
    """The line without its blanks at either end, and its indent with tabs expanded to 4 columns.

    Blanks are spaces and tabs only, as in CommonMark: a no-break space is text.
    """
    stripped = line.lstrip(" \t")
    if len(stripped) == len(line):
        return stripped.rstrip(" \t"), 0
    return stripped.rstrip(" \t"), len(line[: len(line) - len(stripped)].expandtabs(4))


def _word_then_toc(word: re.Pattern[str], text: str) -> bool:
    found = word.search(text)
    return found is not None and "toc" in text[found.end() :].lower()


def _run_length(text: str, char: str) -> int:
    """How many times ``text`` starts with ``char``."""
    return len(text) - len(text.lstrip(char))


def _atx(content: str) -> tuple[int, str] | None:
    """An ATX heading's level and text: 1–6 ``#``, then a blank or the end of the line.

    The optional closing sequence is a run of ``#`` after a blank (``# foo#`` keeps its ``#``).
    Done by hand: the obvious ``[ \\t]+#+$`` backtracks quadratically over a run of blanks.
    """
    level = _run_length(content, "#")
    if not 1 <= level <= 6:
        return None
    rest = content[level:]
    if rest and rest[0] not in " \t":
        return None
    text = rest.strip(" \t")
    without_closing = text.rstrip("#")
    if not without_closing:
        return level, ""
    if without_closing[-1] in " \t":
        return level, without_closing.rstrip(" \t")
    return level, text


def _fence_opening(content: str) -> tuple[str, int] | None:
    """The fence character and length a line (already dedented) opens, if it opens one."""
    char = content[:1]
    if char not in ("`", "~"):
        return None
    length = _run_length(content, char)
    if length < 3:
        return None
    if char == "`" and "`" in content[length:]:
        return None  # a backtick fence's info string may not contain backticks
    return char, length


def _closes_fence(char: str, length: int, content: str, indent: int) -> bool:
    """A closing fence: at most 3 spaces in, the fence character at least ``length`` times, then
    nothing but blanks (``content`` is right-stripped already, so: nothing)."""
    return indent < 4 and len(content) >= length and not content.lstrip(char)


def _is_thematic_break(content: str) -> bool:
    """Three or more of one of ``*``, ``-``, ``_``, with only blanks between them."""
    marks = content.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and not marks.lstrip(content[0])


def _starts_list_item(content: str, in_paragraph: bool) -> bool:
    match = _LIST_ITEM.match(content)
    if match is None:
        return False
    if not in_paragraph:
        return True
    # Only a non-empty item, and an ordered one only when it starts at 1, interrupts a paragraph.
    empty = not content[match.end() :].strip(" \t")
    number = match.group("number")
    return not empty and (number is None or number == "1")


def _html_block_end(content: str, *, interrupts_paragraph: bool) -> tuple[str, ...] | None:
    """The markers that end the HTML block ``content`` starts, or None when it starts none."""
    if _HTML_RAW_OPEN.match(content):
        return _HTML_RAW_CLOSE
    if content.startswith("<!--"):
        return _COMMENT_END
    if content.startswith("<?"):
        return ("?>",)
    if content.startswith("<![CDATA["):
        return ("]]>",)
    if _HTML_DECLARATION.match(content):
        return (">",)
    if _HTML_BLOCK_TAG.match(content):
        return (_BLANK_LINE,)
    if interrupts_paragraph:
        return None  # kind 7 cannot interrupt a paragraph
    # The spec leaves out pre, script, style and textarea here, but cmark, commonmark.js and
    # markdown-it only leave out their opening tags, which start kind 1 first; so do we.
    return (_BLANK_LINE,) if _HTML_LONE_TAG.fullmatch(content) else None


class FenceTracker:
    """Follows fenced code line by line, to know what closes a block cut short."""

    def __init__(self) -> None:
        self._fence: tuple[str, int] | None = None
        self._closer: str | None = None  # built once per fence, not once per line asked

    @property
    def closer(self) -> str | None:
        """The line that closes the open fence, or None when no fence is open."""
        return self._closer

    def feed(self, line: str) -> None:
        content, indent = _dedent(line)
        if self._fence is None:
            self._fence = _fence_opening(content) if indent < 4 else None
            self._closer = None if self._fence is None else self._fence[0] * self._fence[1]
        elif _closes_fence(*self._fence, content, indent):
            self._fence = self._closer = None
