"""node-semver range strings (``>=1.0.0 <2.0.0``, ``^2.1``, ``1.x || >=3``, ``1.2 - 1.4``).

Comparisons are plain SemVer precedence, which is node's ``includePrerelease: true``. The sync
only ever asks about X.Y.Z versions, so the difference never matters there.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..versions import Version, has_oversized_number

_WILDCARD = {"x", "X", "*"}
_PARTIAL = re.compile(
    # ASCII digits (``\d`` takes ``٢``), at most 20: int() refuses more than 4300.
    r"v?(?P<major>[0-9]{1,20}|[xX*])(?:\.(?P<minor>[0-9]{1,20}|[xX*])"
    r"(?:\.(?P<patch>[0-9]{1,20}|[xX*])"
    r"(?:-?(?P<prerelease>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?"
)
_COMPARATOR = re.compile(r"(?P<op><=|>=|<|>|=|\^|~>|~)?\s*(?P<version>\S+)")
_HYPHEN = re.compile(r"^\s*(?P<low>\S+)\s+-\s+(?P<high>\S+)\s*$")
_OPS: dict[str, Callable[[Version, Version], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
}


class RangeError(ValueError):
    pass


@dataclass(frozen=True)
class _Partial:
    major: int | None
    minor: int | None
    patch: int | None
    prerelease: str | None

    def floor(self) -> Version:
        return Version(self.major or 0, self.minor or 0, self.patch or 0, self.prerelease)


@dataclass(frozen=True)
class Comparator:
    op: str
    version: Version

    def test(self, version: Version) -> bool:
        return _OPS[self.op](version, self.version)


@dataclass(frozen=True)
class Range:
    text: str
    alternatives: tuple[tuple[Comparator, ...], ...]

    def contains(self, version: Version) -> bool:
        return any(all(c.test(version) for c in group) for group in self.alternatives)


def parse_range(text: str) -> Range:
    alternatives = tuple(_parse_set(part) for part in text.split("||"))
    return Range(text=text, alternatives=alternatives)


def satisfies(version: Version, range_text: str) -> bool:
    return parse_range(range_text).contains(version)


def _parse_set(text: str) -> tuple[Comparator, ...]:
    hyphen = _HYPHEN.match(text)
    if hyphen:
        return _lower_bound(_partial(hyphen["low"])) + _upper_bound(_partial(hyphen["high"]))
    # ">= 1.2.3" is allowed by node: glue an operator to the version after it
    tokens = re.sub(r"(<=|>=|<|>|=|\^|~>|~)\s+", r"\1", text.strip()).split()
    if not tokens:
        return ()
    comparators: list[Comparator] = []
    for token in tokens:
        match = _COMPARATOR.fullmatch(token)
        if match is None:
            raise RangeError(f"invalid comparator {token!r} in range {text.strip()!r}")
        comparators.extend(_desugar(match["op"] or "", _partial(match["version"])))
    return tuple(comparators)


def _partial(text: str) -> _Partial:
    match = None if has_oversized_number(text) else _PARTIAL.fullmatch(text)
    if match is None:
        raise RangeError(f"invalid version {text!r} in a range")

    def number(name: str) -> int | None:
        value = match[name]
        return None if value is None or value in _WILDCARD else int(value)

    major, minor, patch = number("major"), number("minor"), number("patch")
    if major is None:
        minor = patch = None
    elif minor is None:
        patch = None
    return _Partial(major, minor, patch, match["prerelease"] if patch is not None else None)


def _next(partial: _Partial) -> Version:
    """The first version above everything the partial version covers (``1.2`` → ``1.3.0-0``)."""
    if partial.major is None:
        raise RangeError("a wildcard has no upper bound")
    if partial.minor is None:
        return Version(partial.major + 1, 0, 0, "0")
    return Version(partial.major, partial.minor + 1, 0, "0")


def _lower_bound(partial: _Partial) -> tuple[Comparator, ...]:
    if partial.major is None:
        return ()
    return (Comparator(">=", partial.floor()),)


def _upper_bound(partial: _Partial) -> tuple[Comparator, ...]:
    if partial.major is None:
        return ()
    if partial.patch is None:
        return (Comparator("<", _next(partial)),)
    return (Comparator("<=", partial.floor()),)


def _desugar(op: str, partial: _Partial) -> tuple[Comparator, ...]:
    exact = partial.patch is not None
    if op in ("", "="):
        if exact:
            return (Comparator("=", partial.floor()),)
        return _lower_bound(partial) + _upper_bound(partial)
    if op in ("~", "~>"):
        if partial.major is None:
            return ()
        return (Comparator(">=", partial.floor()), Comparator("<", _next(partial)))
    if op == "^":
        if partial.major is None:
            return ()
        floor = partial.floor()
        if partial.major > 0 or partial.minor is None:
            upper = Version(partial.major + 1, 0, 0, "0")
        elif partial.minor > 0 or partial.patch is None:
            upper = Version(0, partial.minor + 1, 0, "0")
        else:
            upper = Version(0, 0, (partial.patch or 0) + 1, "0")
        return (Comparator(">=", floor), Comparator("<", upper))
    if partial.major is None:  # "<*" matches nothing, ">=*" everything
        return () if op in (">=", "<=") else (Comparator("<", Version(0, 0, 0, "0")),)
    if exact:
        return (Comparator(op, partial.floor()),)
    if op == ">=":
        return (Comparator(">=", partial.floor()),)
    if op == "<":
        return (Comparator("<", Version(partial.major, partial.minor or 0, 0, "0")),)
    if op == ">":
        return (Comparator(">=", _next(partial)),)
    return (Comparator("<", _next(partial)),)  # "<=1.2" is "<1.3.0-0"
