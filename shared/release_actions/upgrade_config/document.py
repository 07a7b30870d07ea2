"""JSON files with line numbers: parse errors and findings point at a line and column."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from ..errors import ReleaseActionsError, SourceLocation
from ..limits import LimitExceeded, check_json_nesting

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
# A string (skipped whole), or what json.loads takes that JSON is not: NaN and Infinity, and
# numbers too long for Python's int() (4300 digits). Linear: the alternatives cannot overlap.
_NOT_JSON = re.compile(r'"(?:[^"\\]|\\.)*"|(?P<bad>-?Infinity|NaN|[0-9]{4301,})', re.DOTALL)


def format_path(path: JsonPath) -> str:
    return "/" + "/".join(str(part) for part in path) if path else "/"


@dataclass(frozen=True)
class JsonDocument:
    """A parsed JSON file that remembers where each value (or object member) starts."""

    path: str
    text: str
    value: Any
    positions: dict[JsonPath, int] = field(repr=False)
    duplicate_keys: tuple[tuple[JsonPath, SourceLocation], ...] = ()

    def location(self, path: JsonPath = ()) -> SourceLocation:
        """The nearest located ancestor of ``path`` (a missing member points at its object)."""
        for end in range(len(path), -1, -1):
            offset = self.positions.get(path[:end])
            if offset is not None:
                return _location(self.path, self.text, offset)
        return SourceLocation(self.path)


def load_json(text: str, path: str) -> JsonDocument:
    """Parse ``text``; malformed JSON raises an error with line and column. So do what Python's
    json takes and JSON does not (``NaN``, ``Infinity``), a number of more than 4300 digits,
    and nesting deeper than :data:`~release_actions.limits.MAX_NESTING`."""
    try:
        check_json_nesting(text)
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ReleaseActionsError(
            f"not valid JSON: {exc.msg}",
            location=SourceLocation(path, exc.lineno, exc.colno),
        ) from None
    except LimitExceeded as exc:
        raise ReleaseActionsError(
            f"refused: {exc.message}", location=SourceLocation(path, exc.line, exc.col)
        ) from None
    except ValueError:  # NaN or Infinity (_refuse_constant), or an int() over 4300 digits
        bad = next(match for match in _NOT_JSON.finditer(text) if match["bad"])
        found = bad["bad"]
        why = (
            f"a {len(found)}-digit number is more than the 4300 digits allowed"
            if found[-1].isdigit()
            else f"{found} is not a JSON value"
        )
        raise ReleaseActionsError(
            f"not valid JSON: {why}",
            location=_location(path, text, bad.start()),
        ) from None
    positions: dict[JsonPath, int] = {}
    duplicates: list[tuple[JsonPath, int]] = []
    _Locator(text, positions, duplicates).value(0, ())
    located = tuple((key, _location(path, text, offset)) for key, offset in duplicates)
    return JsonDocument(path, text, value, positions, located)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _location(path: str, text: str, offset: int) -> SourceLocation:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = bisect.bisect_right(line_starts, offset)
    return SourceLocation(path, line, offset - line_starts[line - 1] + 1)


class _Locator:
    """Walks text that ``json.loads`` already accepted, recording where things start."""

    def __init__(
        self, text: str, positions: dict[JsonPath, int], duplicates: list[tuple[JsonPath, int]]
    ) -> None:
        self.text = text
        self.positions = positions
        self.duplicates = duplicates

    def skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        return match.end() if match else index

    def value(self, index: int, path: JsonPath, *, record: bool = True) -> int:
        index = self.skip(index)
        if record:
            self.positions[path] = index
        char = self.text[index]
        if char == "{":
            return self.members(index + 1, path)
        if char == "[":
            return self.items(index + 1, path)
        if char == '"':
            end: int = scanstring(self.text, index + 1)[1]
            return end
        match = _SCALAR.match(self.text, index)
        assert match is not None, "the text was validated by json.loads"
        return match.end()

    def members(self, index: int, path: JsonPath) -> int:
        seen: set[str] = set()
        index = self.skip(index)
        if self.text[index] == "}":
            return index + 1
        while True:
            index = self.skip(index)
            key_start = index
            key, index = scanstring(self.text, index + 1)
            member = (*path, key)
            if key in seen:
                self.duplicates.append((member, key_start))
            else:
                self.positions[member] = key_start
            seen.add(key)
            index = self.skip(index) + 1  # the colon
            index = self.skip(self.value(index, member, record=False))
            if self.text[index] == "}":
                return index + 1
            index += 1  # the comma

    def items(self, index: int, path: JsonPath) -> int:
        index = self.skip(index)
        if self.text[index] == "]":
            return index + 1
        position = 0
        while True:
            index = self.skip(self.value(index, (*path, position)))
            position += 1
            if self.text[index] == "]":
                return index + 1
            index += 1
