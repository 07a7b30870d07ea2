"""Does an entry say anything? Headings, ``None.`` and template boilerplate do not count."""

from __future__ import annotations

import re

from .model import Entry

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
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
    body = _COMMENT.sub("", entry.body)
    return any(_is_content(line.strip()) for line in body.splitlines())


def _is_content(line: str) -> bool:
    return bool(line) and not any(pattern.fullmatch(line) for pattern in _PLACEHOLDER_LINES)
