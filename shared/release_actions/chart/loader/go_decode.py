"""Decoding YAML into Helm's Go structs as Go does, to know what Helm refuses, and where.

Helm decodes ``index.yaml``, ``Chart.yaml``, ``Chart.lock`` and ``values.yaml`` with
sigs.k8s.io/yaml: goyaml.v2 reads the YAML (duplicate keys refused only in strict mode), then Go's
JSON decoder fills the struct. A wrong type where the struct has a map, a list, a string, a
boolean or a time is refused; unknown fields are refused in strict mode; a YAML number or boolean
becomes the string a string field wants, where sigs.k8s.io/yaml can follow the struct. The shapes
below are those structs; :func:`decode_problem` walks a parsed node tree against one.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from .go_scalars import BOOL_TAG, MERGE_TAG, NULL_TAG, STR_TAG, TIMESTAMP_TAG
from .yaml_source import node_position, type_name


class GoDecodeProblem(Exception):
    """Why Go's decoder refuses the value on ``line``."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Decoding:
    """How the file is decoded: ``strict`` refuses unknown fields (``UnmarshalStrict``);
    ``converts`` turns YAML numbers and booleans into strings wherever the struct wants one
    (a plain ``Unmarshal`` into the struct itself); ``as_json`` is Go's JSON decoder alone."""

    strict: bool = False
    converts: bool = False
    as_json: bool = False
    unknown_field_reason: str = "Helm refuses unknown fields here"


# The shapes of Helm's structs, as Go's JSON decoder sees them.
@dataclass(frozen=True)
class GoString:
    converts: bool  # sigs.k8s.io/yaml turns a YAML number or boolean into its text here


@dataclass(frozen=True)
class GoBool:
    pass


@dataclass(frozen=True)
class GoTime:
    pass


@dataclass(frozen=True)
class GoAny:
    pass


@dataclass(frozen=True)
class GoList:
    item: GoShape


@dataclass(frozen=True)
class GoMap:
    value: GoShape


@dataclass(frozen=True)
class GoStruct:
    name: str
    fields: dict[str, GoShape]


GoShape = GoString | GoBool | GoTime | GoAny | GoList | GoMap | GoStruct

ANY = GoAny()
TEXT = GoString(converts=False)
CONVERTED_TEXT = GoString(converts=True)
MAINTAINER = GoStruct("maintainer", {"name": TEXT, "email": TEXT, "url": TEXT})
DEPENDENCY = GoStruct(
    "dependency",
    {
        "name": TEXT,
        "version": TEXT,
        "repository": TEXT,
        "condition": TEXT,
        "tags": GoList(TEXT),
        "enabled": GoBool(),
        "import-values": GoList(ANY),
        "alias": TEXT,
    },
)
# Chart metadata, embedded in each entry: sigs.k8s.io/yaml does not follow into it.
METADATA: dict[str, GoShape] = {
    "name": TEXT,
    "home": TEXT,
    "sources": GoList(TEXT),
    "version": TEXT,
    "description": TEXT,
    "keywords": GoList(TEXT),
    "maintainers": GoList(MAINTAINER),
    "icon": TEXT,
    "apiVersion": TEXT,
    "condition": TEXT,
    "tags": TEXT,
    "appVersion": TEXT,
    "deprecated": GoBool(),
    "annotations": GoMap(TEXT),
    "kubeVersion": TEXT,
    "dependencies": GoList(DEPENDENCY),
    "type": TEXT,
}
STRING_TAGS = (STR_TAG, TIMESTAMP_TAG)
CONVERTIBLE_TAGS = (*STRING_TAGS, BOOL_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_RFC3339 = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:[.,][0-9]+)?"
    r"(?:Z|[-+](?P<zone_hour>[0-9]{2}):(?P<zone_minute>[0-9]{2}))"
)


def field_value(mapping: yaml.Node, name: str) -> yaml.Node | None:
    for key, value in pairs(mapping):
        if _field_name(key.value, (name,)) == name:
            return value
    return None


def pairs(mapping: yaml.Node) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's key/value pairs, with ``<<`` merges followed as goyaml.v2 follows them."""
    for key, value in mapping.value:
        if isinstance(key, yaml.ScalarNode) and key.tag == MERGE_TAG:
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in merged:
                if isinstance(source, yaml.MappingNode):
                    yield from pairs(source)
            continue
        yield key, value


def _field_name(key: str, fields: tuple[str, ...] | dict[str, GoShape]) -> str | None:
    """The struct field a key fills: Go's decoder takes an exact match, else one that differs
    only in case."""
    if key in fields:
        return key
    folded = key.casefold()
    return next((name for name in fields if name.casefold() == folded), None)


def decode_problem(root: yaml.Node, shape: GoShape, decoding: Decoding) -> GoDecodeProblem | None:
    """The first value in ``root`` that Go refuses to decode into ``shape``, or ``None``."""
    try:
        _check(root, shape, decoding, set(), "")
    except GoDecodeProblem as problem:
        return problem
    return None


def _check(
    node: yaml.Node, shape: GoShape, decoding: Decoding, seen: set[tuple[int, int]], where: str
) -> None:
    """Check ``node`` against ``shape``; ``where`` is its dotted path, for the message."""
    # An alias is the same node again: check each (node, shape) once, so aliases cost nothing.
    token = (id(node), id(shape))
    if token in seen:
        return
    seen.add(token)
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return  # JSON null leaves Go's zero value
    if isinstance(shape, GoAny):
        _check_any(node, decoding, seen, where)
        return
    line = node_position(node).line
    named = where or "the file"
    if isinstance(shape, GoStruct | GoMap):
        if not isinstance(node, yaml.MappingNode):
            raise GoDecodeProblem(
                line, f"{named} must be {_what(shape)}, not a YAML {type_name(node)}"
            )
        for key, value in pairs(node):
            _check_key(key, where)
            inner = f"{where}.{key.value}" if where else str(key.value)
            if isinstance(shape, GoMap):
                _check(value, shape.value, decoding, seen, inner)
                continue
            name = _field_name(str(key.value), shape.fields)
            if name is None:
                if not decoding.strict:
                    continue
                raise GoDecodeProblem(
                    node_position(key).line,
                    f"{inner}: {key.value!r} is not a field of a Helm {shape.name}"
                    f" ({decoding.unknown_field_reason})",
                )
            _check(value, shape.fields[name], decoding, seen, inner)
        return
    if isinstance(shape, GoList):
        if not isinstance(node, yaml.SequenceNode):
            raise GoDecodeProblem(line, f"{named} must be a list, not a YAML {type_name(node)}")
        for number, item in enumerate(node.value):
            _check(item, shape.item, decoding, seen, f"{where}[{number}]")
        return
    if not isinstance(node, yaml.ScalarNode):
        raise GoDecodeProblem(line, f"{named} must be {_what(shape)}, not a YAML {type_name(node)}")
    if isinstance(shape, GoBool):
        if node.tag != BOOL_TAG:
            raise GoDecodeProblem(line, f"{named} must be true or false, not {node.value!r}")
    elif isinstance(shape, GoTime):
        if node.tag not in STRING_TAGS or not is_go_rfc3339(node.value):
            raise GoDecodeProblem(
                line, f"{named}: {node.value!r} is not an RFC 3339 time, which Helm needs here"
            )
    else:
        converts = (shape.converts or decoding.converts) and not decoding.as_json
        allowed = CONVERTIBLE_TAGS if converts else STRING_TAGS
        if node.tag not in allowed:
            raise GoDecodeProblem(
                line,
                f"{named}: {node.value} is a YAML {type_name(node)} where Helm needs a string;"
                " quote it",
            )


def _check_any(node: yaml.Node, decoding: Decoding, seen: set[tuple[int, int]], where: str) -> None:
    """Any value goes into an ``interface{}``, but a mapping key must be a scalar."""
    if isinstance(node, yaml.MappingNode):
        for key, value in pairs(node):
            _check_key(key, where)
            _check(value, ANY, decoding, seen, f"{where}.{getattr(key, 'value', '')}")
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            _check(item, ANY, decoding, seen, f"{where}[{number}]")


def _check_key(key: yaml.Node, where: str) -> None:
    if not isinstance(key, yaml.ScalarNode):
        raise GoDecodeProblem(
            node_position(key).line,
            f"{where or 'the file'}: a YAML {type_name(key)} is used as a mapping key,"
            " which Helm cannot read",
        )


def _what(shape: GoShape) -> str:
    if isinstance(shape, GoStruct):
        return f"a mapping (a Helm {shape.name})"
    if isinstance(shape, GoMap):
        return "a mapping"
    if isinstance(shape, GoTime):
        return "an RFC 3339 time"
    if isinstance(shape, GoBool):
        return "true or false"
    return "a string"


def is_go_rfc3339(text: str) -> bool:
    """Go's ``time.Time`` JSON decoding: RFC 3339 with every field in range."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return False
    year, month, day = (int(match[name]) for name in ("year", "month", "day"))
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year or 2000, month)[1]:
        return False
    if int(match["hour"]) > 23 or int(match["minute"]) > 59 or int(match["second"]) > 59:
        return False
    if match["zone_hour"] is not None:
        return int(match["zone_hour"]) <= 23 and int(match["zone_minute"]) <= 59
    return True
