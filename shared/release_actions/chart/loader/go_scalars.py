"""YAML scalars as Helm's Go code reads and stringifies them.

Helm reads YAML with goyaml.v2 (through sigs.k8s.io/yaml), whose YAML 1.1 rules differ from
PyYAML's: ``y`` and ``On`` are booleans, ``1e3`` and ``0B11`` are numbers, ``2024-01-01`` stays
the text written, and an integer beyond 64 bits is a float. A number in a ``string`` field then
becomes Go's text for it, with a float rounded to 32 bits (``1.10`` is ``"1.1"``, ``1e6`` is
``"1e+06"``, ``.inf`` is ``"+Inf"``), and ``sanitizeString`` cleans the text. One place for all
of it, so the index entry, the lock digest and ``chart bump`` agree with Helm and each other.
"""

from __future__ import annotations

import base64
import calendar
import math
import re
import struct
import unicodedata
from decimal import Decimal
from typing import Any, Literal

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BINARY_TAG = "tag:yaml.org,2002:binary"
MERGE_TAG = "tag:yaml.org,2002:merge"

# goyaml.v2 resolve.go: the plain scalars it looks up in a table, and their values.
_RESOLVE_MAP: dict[str, tuple[str, Any]] = {
    **dict.fromkeys(
        ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), (BOOL_TAG, True)
    ),
    **dict.fromkeys(
        ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"),
        (BOOL_TAG, False),
    ),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), (NULL_TAG, None)),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), (FLOAT_TAG, math.nan)),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (FLOAT_TAG, math.inf)),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), (FLOAT_TAG, -math.inf)),
    "<<": (MERGE_TAG, "<<"),
}
_MAP_HINT = frozenset("yYnNtTfFoO~")
_NUMBER_HINT = frozenset("+-0123456789")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_GO_INT = re.compile(
    r"(?P<sign>[-+]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[bB](?P<bin>[01]+)|0[oO](?P<oct>[0-7]+)"
    r"|(?P<octal>0[0-7]*)|(?P<dec>[1-9][0-9]*))"
)
_INT_BASES = (("hex", 16), ("bin", 2), ("oct", 8), ("octal", 8), ("dec", 10))
_MAX_DIGITS = {16: 16, 2: 64, 8: 22, 10: 20}  # of 2**64 - 1 in each base
# strconv.ParseInt takes a sign; only ParseUint, which takes none, reaches 2**64 - 1.
_INT_LIMITS = {"-": 1 << 63, "+": (1 << 63) - 1, "": (1 << 64) - 1}
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{1,2}):(?P<second>[0-9]{1,2})"
    r"(?:[.,][0-9]+)?(?P<zone>Z|[-+](?P<zh>[0-9]{2}):(?P<zm>[0-9]{2}))?)?"
)
# sigs.k8s.io/yaml spells a non-finite float the YAML way when it is a mapping key.
_KEY_SPELLING = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}


def go_resolve(text: str) -> str:
    """The tag goyaml.v2 gives ``text`` written as a plain scalar (its ``resolve("", text)``)."""
    hint = text[:1] if text else "N"
    if hint not in _NUMBER_HINT and hint not in _MAP_HINT and hint not in (".", "N", "<"):
        return STR_TAG
    known = _RESOLVE_MAP.get(text)
    if known is not None:
        return known[0]
    if hint == ".":
        if _DOT_FLOAT.fullmatch(text) and float(text) != math.inf:
            return FLOAT_TAG
        return STR_TAG
    if hint not in _NUMBER_HINT:
        return STR_TAG
    if _is_go_timestamp(text):
        return TIMESTAMP_TAG
    if _go_int(text) is not None:
        return INT_TAG
    plain = text.replace("_", "")
    if _YAML_STYLE_FLOAT.fullmatch(plain) and not math.isinf(float(plain)):
        return FLOAT_TAG
    return STR_TAG


def go_scalar(tag: str, text: str) -> Any:
    """``text`` tagged ``tag`` (resolved or explicit) as goyaml.v2 hands it to an ``interface{}``:
    ``None``, a bool, an int, a float, or a string (timestamps stay the text written).

    Raises :class:`ValueError` where goyaml.v2 fails, as for ``!!bool maybe`` or ``!!int 1.5``.
    """
    if tag == NULL_TAG:
        return None
    if tag == BINARY_TAG:
        data = base64.b64decode(text.replace("\n", "").replace("\r", ""), validate=True)
        return data.decode("utf-8", errors="replace")
    if tag not in (BOOL_TAG, INT_TAG, FLOAT_TAG):
        return text  # strings, timestamps, and tags goyaml.v2 does not resolve
    resolved = go_resolve(text)
    number = _go_int(text) if resolved == INT_TAG else None
    if tag == FLOAT_TAG and number is not None:
        return float(number)  # ``!!float 0x10`` is 16.0
    if resolved != tag:
        raise ValueError(f"cannot decode {_short(resolved)} `{text}` as a {_short(tag)}")
    if number is not None:
        return number
    known = _RESOLVE_MAP.get(text)
    return known[1] if known is not None else float(text.replace("_", ""))


def go_string(value: Any) -> str:
    """A decoded scalar as sigs.k8s.io/yaml hands it to a Go ``string`` field: ``true``,
    ``12``, and floats as ``strconv.FormatFloat(f, 'g', -1, 32)`` (``1.10`` is ``"1.1"``).

    Raises :class:`TypeError` for a list or mapping, which Go refuses to put in a string.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_format_float(value, bits=32)
    if isinstance(value, dict | list):
        kind = "mapping" if isinstance(value, dict) else "list"
        raise TypeError(f"a {kind} is not a string")
    return str(value)


def go_key_string(value: Any) -> str:
    """A decoded mapping key as sigs.k8s.io/yaml turns it into a JSON object key."""
    text = go_string(value)
    return _KEY_SPELLING.get(text, text) if isinstance(value, float) else text


def go_format_float(value: float, fmt: Literal["e", "f", "g"] = "g", *, bits: int = 64) -> str:
    """Go's ``strconv.FormatFloat(value, fmt, -1, bits)``: the shortest digits that read back
    as ``value`` at that precision; ``'g'`` uses an exponent below 1e-4 and from 1e6 up."""
    if bits == 32:
        value = _float32(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    digits, point = _shortest(abs(value), bits)
    exponent = point - 1
    if fmt == "g":
        fmt = "e" if exponent < -4 or exponent >= 6 else "f"
    if fmt == "e":
        fraction = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def sanitize(text: str) -> str:
    """Helm's ``sanitizeString``: every unicode space becomes ``' '``, unprintables go."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(" " if _go_space(char) else char for char in text if _go_kept(char))


def _go_space(char: str) -> bool:
    # Go's unicode.IsSpace: ASCII whitespace, NEL, NBSP and the Z categories. Not Python's
    # str.isspace, which also takes the separators U+001C to U+001F.
    return char in "\t\n\v\f\r \x85\xa0" or unicodedata.category(char) in ("Zs", "Zl", "Zp")


def _go_kept(char: str) -> bool:
    # Spaces are kept (as " "), and what Go's unicode.IsPrint accepts: letters, marks,
    # numbers, punctuation and symbols.
    return _go_space(char) or unicodedata.category(char)[0] in "LMNPS"


def _go_int(text: str) -> int | None:
    """``text`` as goyaml.v2 reads an integer (``strconv.ParseInt``/``ParseUint`` with base
    prefixes, underscores dropped), or ``None`` when it is not one that fits 64 bits."""
    match = _GO_INT.fullmatch(text.replace("_", ""))
    if match is None:
        return None
    digits, base = next((match[name], base) for name, base in _INT_BASES if match[name])
    if len(digits.lstrip("0")) > _MAX_DIGITS[base]:
        return None  # past 64 bits (and maybe past Python's 4300-digit int() limit)
    magnitude = int(digits, base)
    sign = match["sign"]
    if magnitude > _INT_LIMITS[sign]:
        return None  # goyaml.v2 then reads it as a float
    return -magnitude if sign == "-" else magnitude


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


def _short(tag: str) -> str:
    return "!!" + tag.rpartition(":")[2]


def _float32(value: float) -> float:
    """``float32(value)`` in Go: rounded to the nearest single, and infinite past its range."""
    try:
        single: float = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    return single


def _shortest(magnitude: float, bits: int) -> tuple[str, int]:
    """The shortest digits that read back as finite ``magnitude`` at ``bits`` precision, and
    the decimal point's position after their first digit's place (``0.05`` is ``("5", -1)``)."""
    if bits == 32:
        for precision in range(9):  # a single never needs more than 9 significant digits
            text = f"{magnitude:.{precision}e}"
            if _float32(float(text)) == magnitude:
                break
    else:
        text = repr(magnitude)
    _, digit_tuple, exponent = Decimal(text).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(str(digit) for digit in digit_tuple)
    return digits, len(digits) + exponent
