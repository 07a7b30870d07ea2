"""Reading and append-only merging of a Helm repository ``index.yaml``.

Helm writes the index in one canonical layout (goyaml.v2 through sigs.k8s.io/yaml)::

    apiVersion: v1
    entries:
      <chart>:
      - <entry, keys sorted>
        version: <version>
      - …
    generated: "<RFC 3339>"

Adding a version to that text needs no parse of the rest: :func:`merge_index` checks the layout
and finds the chart keys with a few scans that run at C speed (no Python loop over the lines),
reads the items and ``version:`` lines of the charts it adds to, inserts each new item (emitted
by :func:`~.goyaml.dump_go` at the same depth, so line folding matches) at its SemVer place, and
rewrites the ``generated:`` line. Every existing byte stays where it was, and the result equals
a full Go-style re-emit of the merged index byte for byte (and Helm's own ``repo index --merge``
output, times aside), in about 0.5 s for 15 MB instead of minutes (0.1-0.2 s of it the splice,
0.3 s proving that Helm would load the file: :mod:`.index_check`).

An index Helm's repository loader refuses (an empty file, a chart key twice, a wrong type, an
unknown field) raises :class:`~.index_check.IndexRefused` before anything is merged: it is never
rewritten or repaired.

The splice is used only when the file is in that layout. It falls back to a full load and
Go-style re-emit (correct, Helm's bytes, but seconds instead of a tenth of one on a 15 MB index)
when the file has a byte order mark or CR line ends, comments, document markers, a top-level key
Helm does not write, flow style (``entries: {a: …}``), indentation other than Helm's, a chart
key that is not a plain name or needs escapes, a chart with no versions, an item without exactly
one ``version:`` line, or no ``generated:`` line. That fallback rewrites existing bytes, so it is
never silent: :func:`merge_into_index` says that it happened and why, and the callers warn.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...errors import ReleaseActionsError
from ...limits import LimitExceeded
from ..loader import (
    dump_go,
    go_key_less,
    go_rfc3339,
    go_sorted_keys,
    is_newer,
    load_strings,
    version_key,
)
from .index_check import IndexRefused, check_index, entries_in_helm_layout

_TOP_LEVEL_LINE = re.compile(r"\n[^ \n][^\n]*(?=\n)")
_TOP_LEVEL_KEY = re.compile(
    r"(?P<key>apiVersion|entries|generated|annotations|publicKeys|serverInfo):(?P<rest>[^\n]*)\n"
)
# The structure of ``entries:`` is found with a few C-speed scans, not a loop over its lines:
# chart keys at indent 2 (anything else at indent 2 but an item start is not canonical), lines
# at indent 1 or 3 (never canonical), and the counts of item starts and of ``version:`` lines.
_ENTRIES_KEY = re.compile(r"\n  (?!- )[^ \n][^\n]*")
_ODD_INDENT = re.compile(r"\n(?: |   )[^ \n]")
# Each version, and the chart key it is under, for published_versions.
_KEY_OR_VERSION = re.compile(r"\n  (?:- version: ([^\n]*)|([^ \n-][^\n]*))|\n    version: ([^\n]*)")
# Inside one chart's block: an item start, or an item's own ``version:``/``digest:`` line.
_CHART_LINE = re.compile(
    r"\n(?:  - (?P<item>[^\n]*)|    (?P<field>version|digest): (?P<value>[^\n]*))(?=\n)"
)
_ITEM_FIELD = re.compile(r"(?P<field>version|digest): (?P<value>[^\n]*)")
_PLAIN_CHART_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_QUOTED_CHART_KEY = re.compile(r'"[^"\\]*"')
_PLAIN_VALUE = re.compile(r"[^\s\"'&*!|>%@`{\[#][^\n]*")


_Change = tuple[int, int, str]
INDEX_FILE = "index.yaml"


@dataclass
class _Item:
    start: int
    versions: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


@dataclass
class _Chart:
    """A chart's block: from its key line to the next key (or the end of ``entries:``)."""

    name: str
    start: int
    end: int = -1


class _NotCanonical(Exception):
    """The layout is not Helm's: use the full path. The message says why, for the warning."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IndexMerge:
    """The merged index text, and whether existing bytes had to be rewritten to get it.

    ``rewritten_because`` is empty when the new entries were spliced in (every existing byte kept)
    or nothing was added; otherwise it says why the file is not in Helm's layout, and the whole
    file was re-emitted in it.
    """

    text: str
    rewritten_because: str = ""

    @property
    def rewritten(self) -> bool:
        return bool(self.rewritten_because)


def rewritten_warning(where: str, reason: str, *, dry_run: bool = False) -> str:
    """The warning for an index (``where``) whose existing entries were, or would be, re-emitted
    because of ``reason`` (an :attr:`IndexMerge.rewritten_because`)."""
    was = "would be" if dry_run else "was"
    return (
        f"{where} is not in the layout Helm writes ({reason}), so it {was} rewritten whole in"
        " Helm's layout instead of getting only the new entries: its diff changes existing"
        " lines. Merges into the rewritten file keep every byte again."
    )


@dataclass
class _Layout:
    """Where things are in a canonical index; offsets into its text."""

    charts: list[_Chart]
    entries_start: int  # the start of the ``entries:`` line
    entries_body: int  # just after it
    entries_end: int  # the start of the next top-level line (or the end of the text)
    empty_entries: bool  # ``entries: {}``
    generated: tuple[int, int]  # the ``generated:`` line


def published_versions(index_text: str | bytes, *, source: str = INDEX_FILE) -> dict[str, set[str]]:
    """Chart name → the versions an index lists. Fast on the canonical layout (one scan of
    the text); any other layout is loaded with libyaml. An index Helm would not load raises
    :class:`~.index_check.IndexRefused`, located in ``source``."""
    text = decode_index(index_text, source) if isinstance(index_text, bytes) else index_text
    layout = _checked_layout(text, source)
    versions = None if isinstance(layout, _NotCanonical) else _versions_by_chart(text, layout)
    if versions is not None:
        return versions
    return {
        name: {str(item.get("version", "")) for item in items}
        for name, items in _loaded_entries(_load_index(text)).items()
    }


def index_entries(index_text: str | bytes) -> list[dict[str, Any]]:
    """Every entry an index lists, each with its chart's ``name``, as loaded (for carrying
    entries from one index into another with :func:`merge_into_index`)."""
    text = index_text.decode("utf-8") if isinstance(index_text, bytes) else index_text
    if not text.strip():
        return []
    return [
        {**item, "name": item.get("name") or name}
        for name, items in _loaded_entries(_load_index(text)).items()
        for item in items
    ]


def merge_index(
    index_text: str | None, entries: Sequence[dict[str, Any]], *, generated: datetime
) -> str:
    """The text of :func:`merge_into_index`, for callers that need not know how it was made."""
    return merge_into_index(index_text, entries, generated=generated).text


def merge_into_index(
    index_text: str | None,
    entries: Sequence[dict[str, Any]],
    *,
    generated: datetime,
    source: str = INDEX_FILE,
) -> IndexMerge:
    """``index_text`` with ``entries`` added, each at its place in its chart's newest-first list.

    Append-only on Helm's layout: existing entries stay byte-identical, so the diff is the new
    entries and the ``generated:`` line. An index in another layout is re-emitted whole in Helm's
    (``rewritten_because`` says why). An entry whose name and version are already listed with the
    same digest is left as it is; with another digest it raises :class:`ReleaseActionsError`
    (published versions are immutable). When nothing is added the text is returned unchanged.
    A missing index (``None``) gives a new one in Helm's layout. An index that Helm's loader
    refuses (an empty file, a chart key twice, a wrong type…) raises
    :class:`~.index_check.IndexRefused` located in ``source``: it is never rewritten.
    """
    new_by_chart = _group_new_entries(entries)
    stamp = go_rfc3339(generated)
    if index_text is None:
        return IndexMerge(
            dump_go({"apiVersion": "v1", "entries": _sorted_new(new_by_chart), "generated": stamp})
        )
    layout = _checked_layout(index_text, source)
    try:
        if isinstance(layout, _NotCanonical):
            raise layout
        return IndexMerge(
            _apply(index_text, _splice_changes(index_text, layout, new_by_chart, stamp))
        )
    except _NotCanonical as not_canonical:
        merged = _merge_loaded(index_text, new_by_chart, stamp)
        return IndexMerge(merged, not_canonical.reason if merged != index_text else "")


def _checked_layout(text: str, source: str) -> _Layout | _NotCanonical:
    """The splice layout of ``text`` (or why it is not Helm's), once Helm would load it.

    Helm's own layout is proved loadable with C-speed scans; any other text is parsed whole.
    """
    layout: _Layout | _NotCanonical
    try:
        layout = _scan(text) if text else _NotCanonical("it is empty")
    except _NotCanonical as not_canonical:
        layout = not_canonical
    if isinstance(layout, _Layout) and _layout_loadable(text, layout):
        return layout
    check_index(text, source=source)
    return layout


def _layout_loadable(text: str, layout: _Layout) -> bool:
    charts = [(chart.name, chart.start, chart.end) for chart in layout.charts]
    if not entries_in_helm_layout(text, charts):
        return False
    # The top level without its entries is small: the full check reads it exactly.
    rest = text[: layout.entries_start] + "entries: {}\n" + text[layout.entries_end :]
    try:
        check_index(rest, source=INDEX_FILE)
    except IndexRefused:
        return False
    return True


# -- the new entries ------------------------------------------------------------------------


def _group_new_entries(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_chart: dict[str, list[dict[str, Any]]] = {}
    seen: dict[tuple[str, str], str] = {}
    for entry in entries:
        name, version, digest = (str(entry.get(key) or "") for key in ("name", "version", "digest"))
        if not name or not version or not digest:
            raise ReleaseActionsError(
                f"an index entry needs a name, a version and a digest: {name!r} {version!r}"
            )
        previous = seen.get((name, version))
        if previous is None:
            seen[name, version] = digest
            by_chart.setdefault(name, []).append(dict(entry))
        elif previous != digest:
            raise ReleaseActionsError(
                f"two packages of {name} {version} with different digests: {previous}, {digest}"
            )
    return by_chart


def _newest_first(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Helm's order: by SemVer precedence, newest first; versions Helm cannot parse last."""
    keyed = [(version_key(str(entry["version"])), entry) for entry in entries]
    parsed = [(key, entry) for key, entry in keyed if key is not None]
    parsed.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in parsed] + [entry for key, entry in keyed if key is None]


def _sorted_new(by_chart: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: _newest_first(items) for name, items in by_chart.items()}


def _check_immutable(name: str, version: str, digest: str, published: list[str]) -> bool:
    """Whether ``name`` ``version`` is already published (with this digest); raise if with
    another one."""
    if not published:
        return False
    if digest in published:
        return True
    raise ReleaseActionsError(
        f"published {name} {version} has sha256 {published[0] or '(none)'}, this build has "
        f"{digest}: published versions are immutable; bump the chart version",
        title="Chart version already published",
    )


# -- the splice -----------------------------------------------------------------------------


def _scan(text: str) -> _Layout:
    """Locate the charts, items and ``generated:`` of a canonical index; raise
    :class:`_NotCanonical` (saying why) for any other layout."""
    if text.startswith("\ufeff"):
        raise _NotCanonical("it starts with a byte order mark")
    if "\r" in text:
        raise _NotCanonical("it has CR line ends")
    if not text.endswith("\n"):
        raise _NotCanonical("its last line has no line break")
    entries_line: re.Match[str] | None = None
    entries_start = 0
    generated: tuple[int, int] | None = None
    entries_end = len(text)
    keys: set[str] = set()
    previous_key = ""
    for start, line in _top_level_lines(text):
        top = _TOP_LEVEL_KEY.fullmatch(line)
        if top is None:
            if previous_key == "publicKeys" and line.startswith("- "):
                continue  # goyaml.v2 writes a top-level list without indentation
            raise _NotCanonical(
                f"line {_line_number(text, start)} is a comment, a document marker or a"
                " top-level key that Helm does not write"
            )
        key = top.group("key")
        if key in keys:
            raise _NotCanonical(f"line {_line_number(text, start)} repeats the key {key}:")
        keys.add(key)
        if previous_key == "entries":
            entries_end = start
        previous_key = key
        if key == "entries":
            entries_line, entries_start = top, start
        elif key == "generated":
            generated = (start, start + len(line))
    missing = [key for key in ("apiVersion", "entries", "generated") if key not in keys]
    if entries_line is None or generated is None or missing:
        raise _NotCanonical(f"it has no top-level {', '.join(missing)}")
    rest = entries_line.group("rest")
    if rest not in ("", " {}"):
        where = _line_number(text, entries_start)
        raise _NotCanonical(f"entries: on line {where} is in flow style")
    body = entries_start + len(entries_line.group())
    if rest == " {}" and body != entries_end:
        where = _line_number(text, entries_start)
        raise _NotCanonical(f"entries: {{}} on line {where} is followed by entries")
    charts = _scan_entries(text, body, entries_end)
    return _Layout(
        charts=charts,
        entries_start=entries_start,
        entries_body=body,
        entries_end=entries_end,
        empty_entries=rest == " {}",
        generated=generated,
    )


def _top_level_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of every line that starts in column 0 (blank lines are not)."""
    if text[0] not in " \n":
        yield 0, text[: text.index("\n") + 1]
    for match in _TOP_LEVEL_LINE.finditer(text):
        yield match.start() + 1, match.group()[1:] + "\n"


def _scan_entries(text: str, body: int, end: int) -> list[_Chart]:
    """The chart blocks of ``entries:``, checked for Helm's layout, without a line loop."""
    if body == end:
        return []
    odd = _ODD_INDENT.search(text, body - 1, end)
    if odd is not None:
        line = _line_number(text, odd.start() + 1)
        raise _NotCanonical(f"line {line} is indented other than Helm indents")
    # Every item has exactly one version line (its first key, or at indent 4).
    items = text.count("\n  - ", body - 1, end)
    if items != text.count("\n    version: ", body - 1, end) + text.count(
        "\n  - version: ", body - 1, end
    ):
        raise _NotCanonical("an entry does not have exactly one version: line where Helm puts it")
    charts: list[_Chart] = []
    for key in _ENTRIES_KEY.finditer(text, body - 1, end):
        name = _chart_key(key.group()[3:])
        line_end = key.end() + 1
        # A chart key is followed by its first item, at the same indent (goyaml.v2's lists).
        if name is None or not text.startswith("  - ", line_end):
            line = _line_number(text, key.start() + 1)
            raise _NotCanonical(
                f"the chart key on line {line} is not a plain name with its entries at its indent"
            )
        if charts:
            charts[-1].end = key.start() + 1
        charts.append(_Chart(name=name, start=key.start() + 1))
    if not charts or charts[0].start != body:
        raise _NotCanonical("entries: does not start with a chart key")
    charts[-1].end = end
    return charts


def _line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _versions_by_chart(text: str, layout: _Layout) -> dict[str, set[str]] | None:
    versions: dict[str, set[str]] = {chart.name: set() for chart in layout.charts}
    charts = iter(layout.charts)  # the keys come in the same order
    current: set[str] | None = None
    scan = _KEY_OR_VERSION.findall(text, layout.entries_body - 1, layout.entries_end)
    for first_key_version, key, version in scan:
        if key:
            current = versions[next(charts).name]
            continue
        value = _scalar(first_key_version or version)
        if value is None or current is None:
            return None
        current.add(value)
    return versions


def _chart_items(text: str, chart: _Chart) -> list[_Item]:
    """The items of one chart block, each with its one version (and digest, if any)."""
    items: list[_Item] = []
    for line in _CHART_LINE.finditer(text, chart.start, chart.end):
        if line.group("item") is not None:
            item = _Item(start=line.start() + 1)
            items.append(item)
            first = _ITEM_FIELD.fullmatch(line.group("item"))
            if first is not None:
                _add_field(item, first["field"], first["value"])
        elif items:
            _add_field(items[-1], line.group("field"), line.group("value"))
    if not items or any(len(item.versions) != 1 or len(item.digests) > 1 for item in items):
        where = _line_number(text, chart.start)
        raise _NotCanonical(
            f"the entries of {chart.name} (line {where}) are not each one item with one version"
        )
    return items


def _chart_key(text: str) -> str | None:
    if not text.endswith(":"):
        return None
    key = text[:-1]
    if _PLAIN_CHART_KEY.fullmatch(key):
        return key
    if _QUOTED_CHART_KEY.fullmatch(key):
        return key[1:-1]
    return None


def _add_field(item: _Item, name: str, raw: str) -> None:
    value = _scalar(raw)
    if value is None:
        raise _NotCanonical(f"a {name}: value is written in a way the splice does not read: {raw}")
    (item.versions if name == "version" else item.digests).append(value)


def _scalar(raw: str) -> str | None:
    """A one-line scalar's value, or ``None`` when it is not one the scan can read."""
    if raw.startswith('"'):
        if len(raw) < 2 or not raw.endswith('"') or "\\" in raw or '"' in raw[1:-1]:
            return None
        return raw[1:-1]
    if raw.startswith("'"):
        inner = raw[1:-1]
        if len(raw) < 2 or not raw.endswith("'") or "'" in inner.replace("''", ""):
            return None
        return inner.replace("''", "'")
    if not _PLAIN_VALUE.fullmatch(raw) or " #" in raw or raw.endswith(" "):
        return None
    return raw


def _splice_changes(
    text: str, layout: _Layout, new_by_chart: Mapping[str, list[dict[str, Any]]], stamp: str
) -> list[_Change]:
    """The ``(start, end, replacement)`` edits, in order, that add the new entries."""
    charts = {chart.name: chart for chart in layout.charts}
    # (offset, order, text) to insert; order keeps insertions at one offset newest first.
    inserts: list[tuple[int, int, str]] = []
    new_charts: dict[str, list[dict[str, Any]]] = {}
    order = 0
    for name, entries in new_by_chart.items():
        chart = charts.get(name)
        if chart is None:
            new_charts[name] = _newest_first(entries)
            continue
        items = _chart_items(text, chart)
        for entry in _newest_first(entries):
            if _already_published(name, entry, items):
                continue
            offset = _item_offset(items, str(entry["version"]), chart.end)
            inserts.append((offset, order, _item_text(name, entry)))
            order += 1
    if not inserts and not new_charts:
        return []
    replacements: list[_Change] = []
    if new_charts:
        blocks = _chart_blocks(new_charts)
        if layout.empty_entries:
            whole = "".join(block for _, block in blocks)
            replacements.append((layout.entries_start, layout.entries_body, f"entries:\n{whole}"))
        for name, block in blocks if not layout.empty_entries else ():
            offset = next(
                (chart.start for chart in layout.charts if go_key_less(name, chart.name)),
                layout.entries_end,
            )
            inserts.append((offset, order, block))
            order += 1
    replacements.extend((offset, offset, piece) for offset, _, piece in sorted(inserts))
    start, end = layout.generated
    replacements.append((start, end, dump_go({"generated": stamp})))
    replacements.sort(key=lambda change: (change[0], change[1]))
    return replacements


def _apply(text: str, changes: Sequence[_Change]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, piece in changes:
        pieces.append(text[position:start])
        pieces.append(piece)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _already_published(name: str, entry: Mapping[str, Any], items: Sequence[_Item]) -> bool:
    version, digest = str(entry["version"]), str(entry["digest"])
    published = [
        item.digests[0] if item.digests else "" for item in items if item.versions[0] == version
    ]
    return _check_immutable(name, version, digest, published)


def _item_offset(items: Sequence[_Item], version: str, chart_end: int) -> int:
    """Before the first item ``version`` is newer than; after the last one otherwise."""
    for item in items:
        if is_newer(version, item.versions[0]):
            return item.start
    return chart_end


def _item_text(name: str, entry: Mapping[str, Any]) -> str:
    """One entry as the lines of a list item under its chart key, emitted at index depth."""
    emitted = dump_go({"entries": {name: [entry]}})
    second_line = emitted.index("\n", len("entries:\n")) + 1
    return emitted[second_line:]


def _chart_blocks(new_charts: Mapping[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    blocks = []
    for name in go_sorted_keys(list(new_charts)):
        emitted = dump_go({"entries": {name: new_charts[name]}})
        blocks.append((name, emitted.removeprefix("entries:\n")))
    return blocks


# -- the full path --------------------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    # The loaded index is a tree of dicts and lists without cycles; CPython's cyclic collector
    # would rescan that growing heap again and again, doubling the time of a big load or dump.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_index(text: str) -> dict[str, Any]:
    """The whole index, loaded (scalars other than booleans and nulls kept as written)."""
    return _load_index(text)


def decode_index(data: bytes, where: str) -> str:
    """An index's bytes as text; a binary (or otherwise not UTF-8) one is one clear error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReleaseActionsError(
            f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line});"
            " it is not a Helm repository index"
        ) from None


def _load_index(text: str) -> dict[str, Any]:
    with _gc_paused():
        try:
            data = load_strings(text)
        except LimitExceeded as exc:
            raise ReleaseActionsError(f"the index is refused: {exc}") from None
        except Exception as exc:  # yaml.YAMLError, and ValueError for a bad scalar
            raise ReleaseActionsError(f"the index is not valid YAML: {_one_line(exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries", {}), dict | None):
        raise ReleaseActionsError("the index is not a Helm repository index (no entries map)")
    return data


def _one_line(exc: Exception) -> str:
    """A YAML error as one line: the problem and where (libyaml's message spans four)."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if not problem:
        return " ".join(str(exc).split())
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark else problem


def _loaded_entries(data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    entries = data.get("entries") or {}
    return {
        str(name): [item for item in items if isinstance(item, dict)]
        for name, items in entries.items()
        if isinstance(items, list)
    }


def _merge_loaded(text: str, new_by_chart: Mapping[str, list[dict[str, Any]]], stamp: str) -> str:
    data = _load_index(text)
    entries = data.get("entries") or {}
    added = False
    for name, new_entries in new_by_chart.items():
        items = entries.get(name)
        if not isinstance(items, list):
            items = entries[name] = []
        for entry in _newest_first(new_entries):
            version, digest = str(entry["version"]), str(entry["digest"])
            published = [
                str(item.get("digest") or "")
                for item in items
                if isinstance(item, dict) and str(item.get("version")) == version
            ]
            if _check_immutable(name, version, digest, published):
                continue
            position = next(
                (
                    index
                    for index, item in enumerate(items)
                    if not isinstance(item, dict) or is_newer(version, str(item.get("version")))
                ),
                len(items),
            )
            items.insert(position, entry)
            added = True
    if not added:
        return text
    data["entries"] = entries
    data.setdefault("apiVersion", "v1")
    data["generated"] = stamp
    with _gc_paused():
        return dump_go(data)
