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

import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import yaml

from ...errors import ReleaseActionsError
from ...limits import check_yaml_shape
from .go_scalars import (
    FLOAT_TAG,
    INT_TAG,
    STR_TAG,
    TIMESTAMP_TAG,
    go_resolve,
)
from .yaml_source import GO_TYPED_TAGS, MAP_TAG, construct_go_scalar, go_node_tag

# libyaml is required, not optional: PyYAML's pure-Python emitter writes non-BMP characters raw
# where Helm's escapes them, so an index written with it would not be Helm's bytes (and its
# loader is 5-10 times slower). Every PyYAML wheel has libyaml; a PyYAML built from source
# without it is refused with a clear error when YAML is read or written here, not at import, so
# the commands that do not need it (chart check, chart bump) still work.
HAS_LIBYAML = hasattr(yaml, "CSafeLoader") and hasattr(yaml, "CSafeDumper")
if TYPE_CHECKING:
    _CLoader = yaml.CSafeLoader
    _CDumper = yaml.CSafeDumper
else:
    _CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _CDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def require_libyaml() -> None:
    """Raise a clear :class:`ReleaseActionsError` when PyYAML was built without libyaml."""
    if not HAS_LIBYAML:
        raise ReleaseActionsError(
            "PyYAML was built without libyaml (yaml.CSafeLoader is missing); Helm's index bytes"
            " need libyaml's emitter. Reinstall PyYAML from a wheel (uv sync --reinstall-package"
            " pyyaml), or install libyaml's headers and rebuild it"
        )


_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
# Keys whose characters sort the same in Python and in goyaml.v2 (no digits, and every
# non-letter below "A"), so a plain ``sorted`` is enough.
_PYTHON_ORDERED_KEY = re.compile(r"[A-Za-z!-/:-@]*")


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
        (tag, regexp) for tag, regexp in resolvers if tag not in (TIMESTAMP_TAG, INT_TAG, FLOAT_TAG)
    ]
    for first, resolvers in _CLoader.yaml_implicit_resolvers.items()
}


class GoLoader(_CLoader):
    """libyaml's safe loader typing scalars as goyaml.v2 does, the way Helm reads
    ``Chart.yaml``: ``y``/``on`` are booleans, ``0o17`` is an int, and timestamps stay strings
    (goyaml.v2 hands timestamp-like values to an ``interface{}`` as the text written)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return go_node_tag(kind, value, implicit)


for _tag in GO_TYPED_TAGS:
    GoLoader.add_constructor(_tag, construct_go_scalar)


def load_go(text: str | bytes) -> Any:
    """Load YAML typed as Helm's Go code types it (see :class:`GoLoader`). Too deep a nesting
    or an alias bomb raises :class:`~release_actions.limits.LimitExceeded` first."""
    require_libyaml()
    check_yaml_shape(text)
    return yaml.load(text, Loader=GoLoader)


class HelmDumper(_CDumper):
    """libyaml's emitter with goyaml.v2's representation choices (see the module docstring)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # The emitter asks which tag a plain scalar would get; answer as goyaml.v2 would, so
        # libyaml quotes exactly the strings Go quotes.
        return go_node_tag(kind, value, implicit)

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
            MAP_TAG, [(key, by_text[key]) for key in keys]
        )
        return node


HelmDumper.add_representer(str, HelmDumper.represent_go_str)
HelmDumper.add_representer(dict, HelmDumper.represent_go_mapping)


def dump_go(data: Any) -> str:
    """``data`` as sigs.k8s.io/yaml (goyaml.v2) writes it."""
    require_libyaml()
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
    """Load YAML with :class:`IndexLoader`: scalars other than bool and null stay strings.
    Too deep a nesting or an alias bomb raises :class:`~release_actions.limits.LimitExceeded`."""
    require_libyaml()
    check_yaml_shape(text)
    return yaml.load(text, Loader=IndexLoader)
