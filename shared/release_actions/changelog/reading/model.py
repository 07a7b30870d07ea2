"""What a parsed changelog is: its entries, and the findings checks make about it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ...errors import SourceLocation
from .loose_version import LooseVersion
from .markdown import LinkDefinition

Severity = Literal["error", "warning", "notice"]


@dataclass(frozen=True)
class SubHeading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Entry:
    """One version's section: its heading, and its body up to the next version heading."""

    version: LooseVersion
    title: str  # the heading text as written
    line: int  # 1-based line of the heading
    level: int
    body: str  # stripped of surrounding blank lines and trailing link definitions
    body_line: int  # the first line after the heading
    end_line: int  # the last line that belongs to this entry
    date: datetime.date | None = None
    date_text: str = ""
    yanked: bool = False
    bracketed: bool = False
    link: str = ""
    prefix: str = ""
    subheadings: tuple[SubHeading, ...] = ()

    @property
    def bad_date(self) -> bool:
        return bool(self.date_text) and self.date is None

    @property
    def status(self) -> str:
        """changelog-reader-action's values, in its order: a yanked prerelease is prereleased."""
        if self.version.is_prerelease:
            return "prereleased"
        if self.yanked:
            return "yanked"
        return "unreleased" if self.version.unreleased else "released"

    @property
    def display(self) -> str:
        """The version as the heading spells it (``v2.9.0``, ``Unreleased``)."""
        return self.version.text


@dataclass(frozen=True)
class Changelog:
    path: str  # as reported in annotations: relative to the repository root
    entries: tuple[Entry, ...]
    links: Mapping[str, LinkDefinition] = field(default_factory=dict)
    link_lines: frozenset[int] = frozenset()
    line_count: int = 0
    blank: bool = False  # empty or whitespace only
    invalid_utf8: bool = False

    def find(self, version: LooseVersion) -> list[Entry]:
        """Entries for ``version``: spelled the same once normalised, else equal when padded."""
        exact = [entry for entry in self.entries if entry.version.key == version.key]
        if exact:
            return exact
        return [entry for entry in self.entries if entry.version.same_release(version)]

    def entry_at(self, line: int) -> Entry | None:
        """The entry whose heading or body holds ``line``."""
        for entry in self.entries:
            if entry.line <= line <= entry.end_line:
                return entry
        return None

    @property
    def released(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.version.unreleased]

    def latest(self) -> Entry | None:
        """The entry with the highest version (files may be in either order)."""
        released = self.released
        return max(released, key=lambda entry: entry.version) if released else None


@dataclass(frozen=True)
class Finding:
    """One problem, reported as an annotation titled with its rule ID."""

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None

    @property
    def location(self) -> SourceLocation | None:
        return None if self.file is None else SourceLocation(self.file, self.line)


# Does an entry say anything? Headings, ``None.`` and template boilerplate do not count.
# Lines a scaffolded entry has before anyone writes in it (HAMi's and karmada's template).
_PLACEHOLDER_LINES = (
    re.compile(r"#{1,6}(?:[ \t].*)?"),  # headings
    re.compile(r"(?:\*\*|__)[^*_]+(?:\*\*|__):?"),  # bold pseudo-headings: **Bug fixes**
    re.compile(r"[-*+]?[ \t]*(?i:none|n/a|nothing|tbd|todo|-)\.?"),
    re.compile(r"_?(?i:nothing has changed)\.?_?"),
    re.compile(r"(?i:download) \S+ in the \[[^\]]*release page\]\([^)]*\)\.?"),
    re.compile(r"[=\-*_ ]{3,}"),  # underlines and thematic breaks
)


def has_content(entry: Entry) -> bool:
    """True when the body holds at least one line that is not a heading or a placeholder."""
    body = _without_comments(entry.body)
    return any(_is_content(line.strip()) for line in body.splitlines())


def _is_content(line: str) -> bool:
    return bool(line) and not any(pattern.fullmatch(line) for pattern in _PLACEHOLDER_LINES)


def _without_comments(text: str) -> str:
    """``text`` without its ``<!-- … -->`` comments; an unclosed one stays.

    Found by hand: ``<!--.*?-->`` runs on to the end from every unclosed opener.
    """
    kept: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return "".join(kept)
