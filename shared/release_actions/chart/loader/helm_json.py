"""YAML nodes as Helm sees them (go-yaml v2 through ``sigs.k8s.io/yaml``), and Go's JSON.

Helm's lock digest is the sha256 of Go's ``json.Marshal`` of the dependencies, read from YAML by
Helm's rules (see :mod:`.go_scalars`): ``y`` and ``On`` are booleans, ``1e3`` is a float, and a
number in a string field becomes Go's text for it (``1.10`` becomes ``"1.1"``, ``1e6`` becomes
``"1e+06"``). This applies them to the nodes of a parsed file, so our digest is the one Helm
computes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import yaml

from .go_scalars import go_format_float, go_key_string, go_resolve, go_scalar
from .go_scalars import go_string as go_value_string

_IMPLICIT = yaml.resolver.Resolver()
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_value(node: yaml.Node) -> Any:
    """A node as Helm holds it in an ``interface{}``: maps with sorted keys, lists, and scalars
    with every number a float64 (sigs.k8s.io/yaml passes the YAML through JSON on the way)."""
    if isinstance(node, yaml.MappingNode):
        converted = {_text(key, go_key_string): go_value(value) for key, value in node.value}
        return {key: converted[key] for key in sorted(converted)}
    if isinstance(node, yaml.SequenceNode):
        return [go_value(item) for item in node.value]
    value = _resolve_scalar(node)
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def node_go_string(node: yaml.Node) -> str:
    """A node as a Go ``string`` field receives it: numbers and booleans as Go's text."""
    return _text(node, go_value_string)


def go_bool(node: yaml.Node) -> bool:
    return go_value(node) is True


def go_json(value: Any) -> str:
    """Go's ``json.Marshal`` of plain data: compact, HTML characters escaped, Go's floats.

    Raises :class:`ValueError` for an infinity or NaN, which Go's JSON refuses too.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escape in _JSON_ESCAPES:
            text = text.replace(char, escape)
        return text
    if isinstance(value, dict):
        return "{" + ",".join(f"{go_json(str(k))}:{go_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _text(node: yaml.Node, convert: Callable[[Any], str]) -> str:
    # Go refuses a list or mapping where it wants a string; Helm would not load the file.
    return convert(_resolve_scalar(node)) if isinstance(node, yaml.ScalarNode) else ""


def _resolve_scalar(node: yaml.Node) -> Any:
    text = str(node.value)
    plain = isinstance(node, yaml.ScalarNode) and node.style in (None, "")
    # A plain scalar that PyYAML tagged by itself has no explicit tag: resolve it as Go does.
    tag = go_resolve(text) if plain and node.tag == _implicit_tag(text) else node.tag
    try:
        return go_scalar(tag, text)
    except ValueError:
        return text  # ``!!int abc``: Helm refuses the file, so no digest can match anyway


def _implicit_tag(text: str) -> str:
    """The tag PyYAML gives a plain scalar without an explicit one."""
    tag: str = _IMPLICIT.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _json_float(value: float) -> str:
    """``encoding/json``: positional from 1e-6 up to 1e21, else an exponent (``1e-7``)."""
    if not math.isfinite(value):
        raise ValueError(f"json: unsupported value: {go_format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        return go_format_float(value, "e").replace("e-0", "e-")
    return go_format_float(value, "f")
