"""YAML exactly as Helm writes it, and read back without losing what Helm wrote.

Helm writes ``index.yaml`` with sigs.k8s.io/yaml: ``json.Marshal`` and then goyaml.v2, whose
emitter is a port of libyaml. PyYAML's C emitter *is* libyaml, so the bytes come out the same once
the representer makes goyaml.v2's choices: a string that goyaml.v2 would read back as another type
when plain (``"true"``, ``"1.10"``, ``""``, timestamps, ``y``/``off``, ``0o17``, base 60) is
double-quoted, a string with a newline is a literal block, unicode is written as is, and mapping
keys are in goyaml.v2's order. Never the pure-Python emitter: it writes non-BMP characters raw
where libyaml escapes them.

:class:`IndexLoader` is libyaml's safe loader minus the timestamp, int and float resolvers, so
``created``, ``version: "1.10"`` and the like stay the exact strings that were written.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
import struct
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import yaml

# libyaml is required, not optional: PyYAML's pure-Python loader is 5-10 times slower, and its
# emitter writes non-BMP characters raw where Helm's escapes them. Every PyYAML wheel has it.
_CLoader = yaml.CSafeLoader
_CDumper = yaml.CSafeDumper

STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

# goyaml.v2 resolve.go: the plain scalars it looks up in a table.
_RESOLVE_MAP: dict[str, str] = {
    **dict.fromkeys(
        ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), _BOOL_TAG
    ),
    **dict.fromkeys(
        ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), _BOOL_TAG
    ),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL_TAG),
    **dict.fromkeys((".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"), _FLOAT_TAG),
    **dict.fromkeys(("+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"), _FLOAT_TAG),
    "<<": _MERGE_TAG,
}
_MAP_HINT = frozenset("yYnNtTfFoO~")
_NUMBER_HINT = frozenset("+-0123456789")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_GO_INT = re.compile(
    r"(?P<sign>[-+]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[bB](?P<bin>[01]+)|0[oO](?P<oct>[0-7]+)"
    r"|(?P<octal>0[0-7]*)|(?P<dec>[1-9][0-9]*))"
)
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{1,2}):(?P<second>[0-9]{1,2})"
    r"(?:[.,][0-9]+)?(?P<zone>Z|[-+](?P<zh>[0-9]{2}):(?P<zm>[0-9]{2}))?)?"
)
# Keys whose characters sort the same in Python and in goyaml.v2 (no digits, and every
# non-letter below "A"), so a plain ``sorted`` is enough.
_PYTHON_ORDERED_KEY = re.compile(r"[A-Za-z!-/:-@]*")


def _fits_go_int(match: re.Match[str]) -> bool:
    if match.group("hex"):
        magnitude = int(match.group("hex"), 16)
    elif match.group("bin"):
        magnitude = int(match.group("bin"), 2)
    elif match.group("oct"):
        magnitude = int(match.group("oct"), 8)
    elif match.group("octal"):
        magnitude = int(match.group("octal"), 8)
    else:
        magnitude = int(match.group("dec"))
    sign = match.group("sign")
    if sign == "-":
        return magnitude <= 1 << 63
    if sign == "+":  # strconv.ParseUint takes no sign, so only the int64 range is left
        return magnitude < 1 << 63
    return magnitude < 1 << 64


def _is_go_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    if match.group("sep") == " " and match.group("zone") is not None:
        return False  # "2006-1-2 15:4:5" is the only spaced layout, and it has no zone
    if match.group("sep") in ("T", "t") and match.group("zone") is None:
        return False
    year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return False
    if match.group("sep") is None:
        return True
    if int(match.group("hour")) > 23 or int(match.group("minute")) > 59:
        return False
    if int(match.group("second")) > 59:
        return False
    if match.group("zh") is not None:
        return int(match.group("zh")) <= 24 and int(match.group("zm")) <= 60
    return True


def go_resolve(text: str) -> str:
    """The tag goyaml.v2 gives ``text`` written as a plain scalar (its ``resolve("", text)``)."""
    hint = text[:1] if text else "N"
    if hint not in _NUMBER_HINT and hint not in _MAP_HINT and hint not in (".", "N"):
        return STR_TAG
    tag = _RESOLVE_MAP.get(text)
    if tag is not None:
        return tag
    if hint == ".":
        if _DOT_FLOAT.fullmatch(text) and float(text) != float("inf"):
            return _FLOAT_TAG
        return STR_TAG
    if hint not in _NUMBER_HINT:
        return STR_TAG
    if _is_go_timestamp(text):
        return _TIMESTAMP_TAG
    plain = text.replace("_", "")
    number = _GO_INT.fullmatch(plain)
    if number is not None and _fits_go_int(number):
        return _INT_TAG
    if _YAML_STYLE_FLOAT.fullmatch(plain) and float(plain) not in (float("inf"), float("-inf")):
        return _FLOAT_TAG
    return STR_TAG


def go_needs_quotes(text: str) -> bool:
    """Whether goyaml.v2 writes ``text`` double-quoted rather than plain."""
    if go_resolve(text) != STR_TAG:
        return True
    return ":" in text and _BASE60_FLOAT.fullmatch(text) is not None


def _go_key_less(a: str, b: str) -> bool:
    """goyaml.v2's ``keyList.Less`` for two string keys (sorter.go): letters after other
    characters, and runs of digits compared as numbers, so ``a9`` sorts before ``a10``."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        a_letter, b_letter = ca.isalpha(), cb.isalpha()
        if a_letter and b_letter:
            return ca < cb
        if a_letter or b_letter:
            return b_letter
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + ord(a[ai]) - 48
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + ord(b[bi]) - 48
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _go_key_compare(a: str, b: str) -> int:
    if _go_key_less(a, b):
        return -1
    if _go_key_less(b, a):
        return 1
    return 0


_GO_KEY = functools.cmp_to_key(_go_key_compare)


def go_key_less(a: str, b: str) -> bool:
    """Whether goyaml.v2 writes mapping key ``a`` before ``b``."""
    return _go_key_less(a, b)


def go_sorted_keys(keys: list[str]) -> list[str]:
    """``keys`` in goyaml.v2's mapping order."""
    if all(_PYTHON_ORDERED_KEY.fullmatch(key) for key in keys):
        return sorted(keys)
    return sorted(keys, key=_GO_KEY)


def go_rfc3339(moment: datetime) -> str:
    """``moment`` as Go's ``time.RFC3339Nano`` in UTC (``…T06:32:27.00204Z``): trailing zeros
    of the fraction dropped, and the dot too when nothing is left. A naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


class IndexLoader(_CLoader):
    """libyaml's safe loader that keeps timestamps, ints and floats as the strings written."""


IndexLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in (_TIMESTAMP_TAG, _INT_TAG, _FLOAT_TAG)
    ]
    for first, resolvers in _CLoader.yaml_implicit_resolvers.items()
}


def _node_tag(kind: Any, value: Any, implicit: Any) -> str:
    """A resolver's answer, given as goyaml.v2 resolves (no path resolvers, no PyYAML rules)."""
    if kind is yaml.ScalarNode:
        return go_resolve(value) if implicit[0] else STR_TAG
    return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


_GO_TRUE = frozenset(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))


class GoLoader(_CLoader):
    """libyaml's safe loader typing plain scalars as goyaml.v2 does, the way Helm reads
    ``Chart.yaml``: ``y``/``on`` are booleans, ``0o17`` is an int, and timestamps stay strings
    (goyaml.v2 hands timestamp-like values to an ``interface{}`` as the text written)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        tag = _node_tag(kind, value, implicit)
        return STR_TAG if tag == _TIMESTAMP_TAG else tag

    def construct_go_bool(self, node: yaml.ScalarNode) -> bool:
        return str(node.value) in _GO_TRUE

    def construct_go_int(self, node: yaml.ScalarNode) -> int:
        match = _GO_INT.fullmatch(str(node.value).replace("_", ""))
        if match is None:  # an explicit !!int tag on something that is not a Go integer
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot decode {node.value!r} as an int", node.start_mark
            )
        digits, base = next(
            (match.group(name), base)
            for name, base in (("hex", 16), ("bin", 2), ("oct", 8), ("octal", 8), ("dec", 10))
            if match.group(name)
        )
        magnitude = int(digits, base)
        return -magnitude if match.group("sign") == "-" else magnitude

    def construct_go_float(self, node: yaml.ScalarNode) -> float:
        text = str(node.value).replace("_", "")
        if text.lower() in (".inf", "+.inf"):
            return math.inf
        if text.lower() == "-.inf":
            return -math.inf
        if text.lower() == ".nan":
            return math.nan
        return float(text)


GoLoader.add_constructor(_BOOL_TAG, GoLoader.construct_go_bool)
GoLoader.add_constructor(_INT_TAG, GoLoader.construct_go_int)
GoLoader.add_constructor(_FLOAT_TAG, GoLoader.construct_go_float)


def load_go(text: str | bytes) -> Any:
    """Load YAML typed as Helm's Go code types it (see :class:`GoLoader`)."""
    return yaml.load(text, Loader=GoLoader)


def go_string(value: Any) -> str:
    """A loaded scalar as sigs.k8s.io/yaml hands it to a Go ``string`` field: ``true``,
    ``12``, and floats in ``strconv.FormatFloat(f, 'g', -1, 32)`` form (``1.10`` is ``"1.1"``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float32(value)
    return str(value)


def _go_float32(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    single = struct.unpack("f", struct.pack("f", value))[0]
    if single == 0:
        return "-0" if math.copysign(1, single) < 0 else "0"
    for precision in range(9):
        mantissa, exponent = f"{single:.{precision}e}".split("e")
        if struct.unpack("f", struct.pack("f", float(f"{mantissa}e{exponent}")))[0] == single:
            break
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    power = int(exponent)
    if power < -4 or power >= 6:  # Go's shortest 'g' switches to %e outside [1e-4, 1e6)
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if power < 0 else '+'}{abs(power):02d}"
    if power < 0:
        return f"{sign}0.{'0' * (-power - 1)}{digits}"
    whole, fraction = digits[: power + 1].ljust(power + 1, "0"), digits[power + 1 :]
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


class HelmDumper(_CDumper):
    """libyaml's emitter with goyaml.v2's representation choices (see the module docstring)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # The emitter asks which tag a plain scalar would get; answer as goyaml.v2 would, so
        # libyaml quotes exactly the strings Go quotes.
        return _node_tag(kind, value, implicit)

    def represent_go_str(self, data: str) -> yaml.ScalarNode:
        if "\n" in data:
            style: str | None = "|"
        elif go_needs_quotes(data):
            style = '"'
        else:
            style = None
        node: yaml.ScalarNode = self.represent_scalar(STR_TAG, data, style=style)
        return node

    def represent_go_mapping(self, data: Mapping[str, Any]) -> yaml.MappingNode:
        keys = go_sorted_keys([str(key) for key in data])
        by_text = {str(key): value for key, value in data.items()}
        node: yaml.MappingNode = self.represent_mapping(
            _MAP_TAG, [(key, by_text[key]) for key in keys]
        )
        return node


HelmDumper.add_representer(str, HelmDumper.represent_go_str)
HelmDumper.add_representer(dict, HelmDumper.represent_go_mapping)


def dump_go(data: Any) -> str:
    """``data`` as sigs.k8s.io/yaml (goyaml.v2) writes it."""
    return yaml.dump(
        data,
        Dumper=HelmDumper,
        default_flow_style=False,
        allow_unicode=True,
        sort_keys=False,
        width=80,
        indent=2,
    )


def load_strings(text: str | bytes) -> Any:
    """Load YAML with :class:`IndexLoader`: scalars other than bool and null stay strings."""
    return yaml.load(text, Loader=IndexLoader)
