"""Reading an index for its web page: only what the page shows, without a full YAML load.

The page lists every version's ``version``, ``appVersion``, ``created``, ``digest``, ``urls``
and ``deprecated``, and everything only of each chart's latest version. Loading a 15 MB index
whole takes seconds (libyaml builds some two million Python objects); on Helm's layout (the one
:func:`~.index.merge_into_index` splices into) those six fields are one-line scalars that a scan
at C speed finds, so only the latest versions, and any entry whose fields are written some
other way (escapes, folded lines, flow style), go through libyaml. The result renders to the
same page as the full load; an index in any other layout is loaded whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ReleaseActionsError
from ..loader import load_strings
from .html import latest_entry
from .index import _gc_paused, _NotCanonical, _scalar, _scan, load_index

__all__ = ["load_index_for_page"]

_FIELDS = "appVersion|created|deprecated|digest|urls|version"
# An item's start (with its first key, when that is a field the page lists), or such a field at
# an item's indent with the sequence elements under it; a deeper line right after it means the
# value goes on (a folded scalar, a nested block), which the scan leaves to libyaml.
_ITEM_FIELD = re.compile(
    rf"\n(?:(?P<item>  - )|    (?=(?:{_FIELDS}):))"
    rf"(?:(?P<key>{_FIELDS}):(?P<value>[^\n]*)(?P<elements>(?:\n    - [^\n]*)*)"
    r"(?P<continued>\n      )?)?"
)
# Most versions, dates, digests and URLs: plain scalars that are strings as written (unless one
# of the words below).
_SIMPLE_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+/:@-]*")
_ITEM_START = re.compile(r"\n  - ")
# Plain scalars that YAML reads as something other than a string.
_NOT_STRINGS = frozenset(
    {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes"}
    | {"Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
)


@dataclass
class _Item:
    start: int
    end: int = -1
    fields: dict[str, Any] = field(default_factory=dict)
    readable: bool = True
    loaded: bool = False


def load_index_for_page(text: str) -> dict[str, Any]:
    """The index as :func:`~.html.render_index_html` needs it; the page it renders is that of
    the whole index (:func:`~.index.load_index`)."""
    try:
        layout = _scan(text)
    except _NotCanonical:
        return load_index(text)
    generated_line = text[layout.generated[0] : layout.generated[1]].rstrip("\n")
    generated = _scalar(generated_line.partition(": ")[2])
    charts: dict[str, list[_Item]] = {}
    for chart in layout.charts:
        charts[chart.name] = _items(text, chart.start, chart.end)
    _load_whole(text, [item for items in charts.values() for item in items if not item.readable])
    latest: list[_Item] = []
    for items in charts.values():
        newest = latest_entry([item.fields for item in items])
        latest.extend(item for item in items if item.fields is newest and not item.loaded)
    _load_whole(text, latest)
    index: dict[str, Any] = {
        "entries": {name: [item.fields for item in items] for name, items in charts.items()}
    }
    if generated is not None:
        index["generated"] = generated
    return index


def _items(text: str, start: int, end: int) -> list[_Item]:
    # findall's tuples rather than match objects: this loop runs for every field of every
    # version, 200,000 times on a 15 MB index.
    starts = [match.start() + 1 for match in _ITEM_START.finditer(text, start - 1, end)]
    items = [_Item(start=item_start) for item_start in starts]
    for item, next_start in zip(items, [*starts[1:], end], strict=True):
        item.end = next_start
    position = -1
    fields: dict[str, Any] = {}
    for item_start, key, raw, elements, continued in _ITEM_FIELD.findall(text, start, end):
        if item_start:
            position += 1
            fields = items[position].fields
            if not key:
                continue
        if not continued and not elements and raw[:1] == " ":
            value = raw[1:]
            if _SIMPLE_PLAIN.fullmatch(value) and value not in _NOT_STRINGS:
                fields[key] = value
                continue
        value = None if continued else _value(key, raw, elements)
        if value is None:
            items[position].readable = False
        else:
            fields[key] = value
    return items


def _value(key: str, raw: str, elements: str) -> Any:
    """A field's value as libyaml would load it, or ``None`` when the scan cannot tell."""
    if key == "urls":
        if raw or not elements:
            return None
        urls = [_string(line) for line in elements[7:].split("\n    - ")]
        return None if None in urls else urls
    if elements or not raw.startswith(" "):
        return None
    if key == "deprecated":
        return {" true": True, " false": False}.get(raw)
    return _string(raw[1:])


def _string(raw: str) -> str | None:
    if _SIMPLE_PLAIN.fullmatch(raw):
        return None if raw in _NOT_STRINGS else raw
    value = _scalar(raw)
    if value is None or (raw == value and (raw in _NOT_STRINGS or not raw)):
        return None
    return value


def _load_whole(text: str, items: list[_Item]) -> None:
    """Load ``items`` with libyaml (all in one document: they are a block sequence each)."""
    if not items:
        return
    with _gc_paused():
        try:
            loaded = load_strings("".join(text[item.start : item.end] for item in items))
        except Exception as exc:  # yaml.YAMLError, and ValueError for a bad scalar
            raise ReleaseActionsError(f"the index is not valid YAML: {exc}") from None
    if not isinstance(loaded, list) or len(loaded) != len(items):
        raise ReleaseActionsError("the index's entries are not where Helm writes them")
    for item, entry in zip(items, loaded, strict=True):
        item.fields = entry if isinstance(entry, dict) else {}
        item.loaded = True
