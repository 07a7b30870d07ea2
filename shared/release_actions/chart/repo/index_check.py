"""Refusing an ``index.yaml`` that Helm's repository loader refuses, on the line that is wrong.

Helm loads an index with ``repo.LoadIndexFile``: an empty file is refused, valid JSON is decoded
as JSON, anything else with sigs.k8s.io/yaml's ``UnmarshalStrict`` (goyaml.v2 refusing a key
twice in one mapping, then Go's JSON decoder refusing unknown fields) into the ``IndexFile``
struct, and an index without ``apiVersion`` is refused. A wrong type where the struct has a map,
a list, a string, a boolean or a time is refused by the JSON decoder. sigs.k8s.io/yaml turns a
YAML number or boolean into the string a string field wants, but only where it can follow the
struct: at the top level and in an entry's own fields (``urls``, ``digest``…), not in the chart
metadata an entry embeds (``name``, ``appVersion``, ``maintainers``…), where ``1`` is refused.

Entries that decode but fail Helm's validation (a version that is not SemVer, a null item) are
dropped by Helm with a warning, not refused; we keep them as written. Where we refuse more than
Helm (see :data:`STRICTER_THAN_HELM`), it is because reading on would lose or guess data.
"""

from __future__ import annotations

import functools
import json
import re
from calendar import monthrange

import yaml

from ...errors import ReleaseActionsError, SourceLocation
from ..loader import (
    ANY,
    CONVERTED_TEXT,
    METADATA,
    NULL_TAG,
    STR_TAG,
    Decoding,
    GoBool,
    GoList,
    GoMap,
    GoShape,
    GoString,
    GoStruct,
    GoTime,
    YamlProblem,
    decode_problem,
    field_value,
    go_resolve,
    go_sorted_keys,
    node_position,
    parse_yaml,
)

# What we refuse that Helm's loader reads, and why (also in action-chart-release/README.md).
STRICTER_THAN_HELM = {
    "json-duplicate-key": "an index in JSON form with a key twice (Go's JSON decoder keeps the"
    " last, so the versions under the first would be lost on the next write)",
    "json-unknown-field": "an index in JSON form with a field Helm does not know (Go's JSON"
    " decoder skips it, but our rewrite is YAML, which Helm reads strictly and would refuse)",
    "several-documents": "text after the index's first YAML document, even a malformed one"
    " (goyaml.v2 stops reading there; a rewrite would drop it)",
    "zone-hour": "a time whose zone offset is 24 hours or more (Helm reads it but cannot write"
    " it back)",
}

HOW_TO_START_FRESH = "to start a new index on purpose, delete the file: a missing index is created"


class IndexRefused(ReleaseActionsError):
    """The index is one Helm's repository loader refuses; nothing is written over it."""


_CHART_VERSION = GoStruct(
    "entry",
    {
        **METADATA,
        # Helm's oracle: an entry's annotation values are converted (``name: 1.5`` loads), though
        # its other metadata fields are not (``appVersion: 1.5`` is refused).
        "annotations": GoMap(CONVERTED_TEXT),
        "urls": GoList(CONVERTED_TEXT),
        "created": GoTime(),
        "removed": GoBool(),
        "digest": CONVERTED_TEXT,
        "checksum": CONVERTED_TEXT,
        "engine": CONVERTED_TEXT,
        "tillerVersion": CONVERTED_TEXT,
        "url": CONVERTED_TEXT,
    },
)
_INDEX_FILE = GoStruct(
    "index",
    {
        "serverInfo": GoMap(ANY),
        "apiVersion": CONVERTED_TEXT,
        "generated": GoTime(),
        "entries": GoMap(GoList(_CHART_VERSION)),
        "publicKeys": GoList(CONVERTED_TEXT),
        "annotations": GoMap(CONVERTED_TEXT),
    },
)


def check_index(text: str, *, source: str) -> None:
    """Raise :class:`IndexRefused`, located in ``source``, when Helm would not load ``text``."""
    if not text:
        raise IndexRefused(
            f'{source} is empty, and Helm refuses an empty index ("empty index.yaml file");'
            f" {HOW_TO_START_FRESH}",
            location=SourceLocation(source, 1),
            title="Empty chart index",
        )
    as_json = _is_json(text)
    try:
        document = parse_yaml(text.encode("utf-8"), construct=False)
    except YamlProblem as problem:
        reason = problem.message
        if problem.kind == "duplicate-key":
            reason = f"{reason}; Helm refuses a key twice in one mapping"
        if as_json and problem.kind == "duplicate-key":
            reason = f"{reason} ({STRICTER_THAN_HELM['json-duplicate-key']})"
        elif "single YAML document" in reason:
            reason = f"{reason} ({STRICTER_THAN_HELM['several-documents']})"
        raise _refused(source, problem.line, f"the index cannot be read: {reason}") from None
    root = document.root
    if root is None or _is_empty(root):
        raise _refused(
            source, 1, f"the index has no apiVersion, so Helm refuses it; {HOW_TO_START_FRESH}"
        )
    decoding = Decoding(
        strict=True,
        as_json=as_json,
        unknown_field_reason=STRICTER_THAN_HELM["json-unknown-field"]
        if as_json
        else "Helm refuses unknown fields in an index",
    )
    wrong = decode_problem(root, _INDEX_FILE, decoding)
    if wrong is not None:
        raise _refused(source, wrong.line, wrong.message)
    api_version = field_value(root, "apiVersion")
    if api_version is None or _is_empty(api_version):
        line = node_position(api_version).line if api_version is not None else 1
        raise _refused(source, line, "the index has no apiVersion, so Helm refuses it")


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and (node.tag == NULL_TAG or node.value == "")


def _refused(source: str, line: int | None, message: str) -> IndexRefused:
    return IndexRefused(
        f"{message}. Nothing was written: fix the index, or restore it from the branch's history",
        location=SourceLocation(source, line),
        title="Chart index Helm cannot load",
    )


def _is_json(text: str) -> bool:
    """Go's ``json.Valid``: Helm decodes such an index as JSON, without YAML's conversions."""
    try:
        json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return False
    return True


def _no_constant(name: str) -> None:
    raise ValueError(name)


# -- Helm's own layout, proved loadable at C speed -----------------------------------------
#
# Parsing a 15 MB index to check it takes seconds. An index in the layout Helm writes (what
# index.py's splice already requires) is checked instead by one regular expression that only
# such an index matches, built from the same shapes: each entry's fields in goyaml.v2's order
# (so none twice, none unknown), strings that goyaml.v2 reads as strings where Helm does not
# convert, booleans, and RFC 3339 times. Whatever it does not match gets the full check above,
# so it needs to know only what Helm writes. Possessive repeats keep it linear.

_RESERVED = (
    "y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON|n|N|no|No|NO|false|False|FALSE|off|Off|OFF"
    "|null|Null|NULL"
)
# A plain scalar's text on its line: no ": " and no " #" (those would end it).
_PLAIN_REST = r"[^\n:#]*+(?:(?::(?=[^ \n])|(?<! )#)[^\n:#]*+)*+"
_TIME_VALUE = (
    r'"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]'
    r':[0-5][0-9](?:\.[0-9]+)?(?:Z|[-+](?:[01][0-9]|2[0-3]):[0-5][0-9])"'
)
_ANNOTATION_KEY = rf"(?!(?:{_RESERVED}):)[A-Za-z_][A-Za-z0-9_./-]*+"


def _continued(indent: int) -> str:
    """The lines a scalar may continue on: deeper than its key."""
    return rf"(?:\n {{{indent + 1},}}[^\n]*+)*+"


def _text_value(indent: int) -> str:
    """A scalar that goyaml.v2 reads as a string, then the line break."""
    plain_string = (
        rf"(?!(?:{_RESERVED}|<<|~)\n)[^\s\-?:,\[\]{{}}#&*!|>'\"%@`+0-9.]{_PLAIN_REST}"
        rf"|[0-9][^\n .:#]*+\.[^\n .:#]*+\.{_PLAIN_REST}"
        rf"|[0-9](?=[^\n]*?[^\n0-9a-fA-FxXoObB._eE+\-:TtZz ,]){_PLAIN_REST}"
    )
    return (
        rf"(?:\"[^\"\\]*+(?:\\.[^\"\\]*+)*+\"\n|'[^']*+(?:''[^']*+)*+'\n"
        rf"|[|>][-+]?\n(?:(?: {{{indent + 1},}}[^\n]*+)?\n)*+"
        rf"|(?:{plain_string}){_continued(indent)}\n)"
    )


def _scalar_value(indent: int) -> str:
    """Any scalar, for a field where sigs.k8s.io/yaml turns a number into a string."""
    plain = rf"[^\s\-?:,\[\]{{}}#&*!|>'\"%@`]{_PLAIN_REST}{_continued(indent)}\n"
    return rf"(?:{_text_value(indent)}|{plain})"


def _list_of(item: str, indent: int) -> str:
    pad = " " * indent
    return rf"(?: \[\]\n|\n(?:{pad}- {item})++)"


def _value(shape: GoShape, indent: int) -> str | None:
    """The regex of a field's value in Helm's layout (from after ``key:``), or ``None``."""
    if isinstance(shape, GoBool):
        return " (?:true|false)\n"
    if isinstance(shape, GoTime):
        return f" {_TIME_VALUE}\n"
    if isinstance(shape, GoString):
        return " " + (_scalar_value(indent) if shape.converts else _text_value(indent))
    if isinstance(shape, GoMap) and isinstance(shape.value, GoString):
        pad = " " * (indent + 2)
        convert = _scalar_value if shape.value.converts else _text_value
        return rf"(?: \{{\}}\n|\n(?:{pad}{_ANNOTATION_KEY}: {convert(indent + 2)})++)"
    if isinstance(shape, GoList) and isinstance(shape.item, GoString):
        inner = _scalar_value(indent) if shape.item.converts else _text_value(indent)
        return _list_of(inner, indent)
    if isinstance(shape, GoList) and isinstance(shape.item, GoStruct):
        item = _struct_item(shape.item, indent)
        return None if item is None else rf"(?: \[\]\n|\n(?:{item})++)"
    return None


def _struct_item(struct: GoStruct, indent: int) -> str | None:
    """One list item of ``struct`` at ``indent``: its fields in goyaml.v2's order, each at most
    once, the first on the ``- `` line and the others under it."""
    pad = " " * indent
    fields = []
    for name in go_sorted_keys(list(struct.fields)):
        value = _value(struct.fields[name], indent + 2)
        if value is None:
            if name == "import-values":
                continue  # not in Helm's entries we have seen: the full check reads it
            return None
        prefix = rf"(?:(?<=\n{pad}- )|{pad}  )"
        fields.append(f"(?:{prefix}{re.escape(name)}:{value})?+")
    return rf"{pad}- (?=\S)" + "".join(fields)


@functools.cache
def _entry_list() -> re.Pattern[str]:
    """The entries of one chart in Helm's layout (compiled on first use: 20 ms)."""
    entry = _struct_item(_CHART_VERSION, 2)
    assert entry is not None
    return re.compile(rf"(?:{entry})++", re.DOTALL)


_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_LATE_DAY = re.compile(r'\n    created: "([0-9]{4})-([0-9]{2})-(29|30|31)T')
_ANNOTATIONS = re.compile(r"\n(?P<pad> {4}| {6})annotations:\n(?P<body>(?:(?P=pad)  [^\n]*\n)++)")


def entries_in_helm_layout(text: str, charts: list[tuple[str, int, int]]) -> bool:
    """Whether every chart block (``(name, start, end)`` offsets of a splice layout) is Helm's
    layout of entries Helm loads: then the index needs no full :func:`check_index`."""
    names = [name for name, _, _ in charts]
    if len(set(names)) != len(names) or _NOT_PRINTABLE.search(text):
        return False
    if any(go_resolve(name) != STR_TAG for name in names):
        return False  # a number as a chart key: 1 and 01 are the same key to goyaml.v2
    for _name, start, end in charts:
        body = text.index("\n", start) + 1
        if _entry_list().fullmatch(text, body, end) is None:
            return False
    for late in _LATE_DAY.finditer(text):
        year, month, day = (int(part) for part in late.groups())
        if day > monthrange(year or 2000, month)[1]:
            return False
    for block in _ANNOTATIONS.finditer(text):
        pad = len(block["pad"]) + 2
        keys = re.findall(rf"(?m)^ {{{pad}}}([^ \n:][^:\n]*):", block["body"])
        if len(set(keys)) != len(keys):
            return False
    return True
