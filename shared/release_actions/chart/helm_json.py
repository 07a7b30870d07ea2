"""YAML nodes as Helm sees them (go-yaml v2 through ``sigs.k8s.io/yaml``), and Go's JSON.

Helm's lock digest is the sha256 of Go's ``json.Marshal`` of the dependencies, and Helm reads
plain scalars by YAML 1.1 rules that differ from PyYAML's: ``y`` and ``On`` are booleans, ``1e3``
is a float, and a number in a string field becomes Go's text for it (``1.10`` becomes ``"1.1"``,
``1e6`` becomes ``"1e+06"``). This reproduces that, so our digest is the one Helm computes.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import yaml

_BOOLEANS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_IMPLICIT = yaml.resolver.Resolver()
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_value(node: yaml.Node) -> Any:
    """A node as Go's ``interface{}`` holds it: maps with sorted keys, lists, scalars."""
    if isinstance(node, yaml.MappingNode):
        converted = {go_string(key): go_value(value) for key, value in node.value}
        return {key: converted[key] for key in sorted(converted)}
    if isinstance(node, yaml.SequenceNode):
        return [go_value(item) for item in node.value]
    return _resolve_scalar(node)


def go_string(node: yaml.Node) -> str:
    """A node as a Go ``string`` field receives it: numbers and booleans as Go's text."""
    value = go_value(node)
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_float(value, exponent_from=6)
    return str(value)


def go_bool(node: yaml.Node) -> bool:
    return go_value(node) is True


def sanitize(text: str) -> str:
    """Helm's ``sanitizeString``: whitespace becomes a space, unprintable characters go."""
    return "".join(" " if char.isspace() else char for char in text if _kept(char))


def go_json(value: Any) -> str:
    """Go's ``json.Marshal`` of plain data: compact, HTML characters escaped, Go's floats."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_json_float(value)
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


def _kept(char: str) -> bool:
    return char.isspace() or char.isprintable()


def _resolve_scalar(node: yaml.Node) -> Any:
    text = str(node.value)
    if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):
        return text  # quoted or block: always a string
    if node.tag != _implicit_tag(text):
        return text  # an explicit tag such as ``!!str 1.10``: go-yaml honours it too
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if _INT.fullmatch(text):
        number = _parse_int(text)
        if number is not None:
            return number
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _implicit_tag(text: str) -> str:
    """The tag PyYAML gives a plain scalar without an explicit one."""
    tag: str = _IMPLICIT.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _parse_int(text: str) -> int | None:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace("_", "")
    try:
        if digits.startswith("0b"):
            return sign * int(digits[2:], 2)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if len(digits) > 1 and digits.startswith("0"):
            return sign * int(digits, 8)
        return sign * int(digits)
    except ValueError:
        return None  # ``09`` is not octal: go-yaml then tries it as a float


def _format_json_float(value: float) -> str:
    """``encoding/json``: positional between 1e-6 and 1e21, else ``1e-07``-style exponents."""
    if not math.isfinite(value):
        raise ValueError("JSON has no infinity or NaN")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = _format_float(value, exponent_from=0)
        mantissa, _, exponent = text.partition("e")
        return f"{mantissa}e{exponent[0]}{int(exponent[1:])}" if exponent[0] == "-" else text
    return _positional(value)


def _format_float(value: float, *, exponent_from: int) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, 64)``: shortest digits; an exponent when the
    decimal exponent is below -4 or at least ``exponent_from`` (6 for ``'g'``)."""
    if value == 0:
        return "0"
    negative, digits, point = _shortest(value)
    exponent = point - 1
    if exponent_from and -4 <= exponent < exponent_from:
        return _positional(value)
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exponent < 0 else "+"
    return f"{'-' if negative else ''}{mantissa}e{sign}{abs(exponent):02d}"


def _positional(value: float) -> str:
    if value == 0:
        return "0"
    negative, digits, point = _shortest(value)
    if point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if negative else "") + text


def _shortest(value: float) -> tuple[bool, str, int]:
    """Sign, shortest round-tripping digits, and the decimal point's position after them."""
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(str(digit) for digit in digit_tuple)
    return bool(sign), digits, len(digits) + exponent
