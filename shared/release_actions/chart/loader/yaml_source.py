"""YAML with line numbers: strict UTF-8, libyaml's parser, duplicate keys caught, node marks kept.

PyYAML keeps the last of two equal keys without a word, reads a tab-indented line as a cryptic
scanner error, and reports invalid UTF-8 as a byte offset. Chart files need each of these as one
clear message on the right line, and the nodes' marks to point at (or rewrite) a single value.

Scalars are typed as Helm types them (goyaml.v2's rules, see :mod:`.go_scalars`), not by PyYAML's:
``y`` is a boolean and ``1e3`` a number in a node's tag and in the data alike, so every rule that
asks "is this a string?" gets Helm's answer. A value Helm cannot decode (``!!int abc``) is a
:class:`YamlProblem` on its line, never a bare ``ValueError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ...limits import LimitExceeded, check_yaml_shape
from .go_scalars import (
    BINARY_TAG,
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    TIMESTAMP_TAG,
    go_resolve,
    go_scalar,
)
from .go_scalars import MERGE_TAG as MERGE_TAG
from .go_scalars import NULL_TAG as NULL_TAG
from .go_scalars import STR_TAG as STR_TAG

# libyaml's parser when PyYAML was built with it: the pure-Python one is many times slower, but
# types and marks are the same, so a check still gives the right answer without libyaml.
if TYPE_CHECKING:
    _Loader = yaml.SafeLoader
else:
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
GO_TYPED_TAGS = (BOOL_TAG, INT_TAG, FLOAT_TAG, TIMESTAMP_TAG, BINARY_TAG)
_BOM = "\ufeff"
# libyaml's line breaks: a column counts from the last of these.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_TYPE_NAMES = {
    STR_TAG: "string",
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "boolean",
    NULL_TAG: "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
    "tag:yaml.org,2002:map": "mapping",
    "tag:yaml.org,2002:seq": "list",
    "tag:yaml.org,2002:binary": "binary",
}


class YamlProblem(Exception):
    """Why a file could not be read as YAML, and where (1-based line and column)."""

    def __init__(self, kind: str, message: str, line: int | None, col: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # encoding, tab, duplicate-key, syntax
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True)
class Position:
    """A 1-based line and column, as an annotation wants them."""

    line: int
    col: int


@dataclass(frozen=True)
class YamlDocument:
    """One parsed YAML document: its text, its node tree (with marks) and the plain data."""

    text: str  # without a byte order mark
    root: yaml.Node | None
    data: Any  # None unless parsed with ``construct=True``
    has_bom: bool = False

    def entry(self, key: str, node: yaml.Node | None = None) -> tuple[yaml.Node, yaml.Node] | None:
        """``(key node, value node)`` of ``key`` in ``node`` (default: the root mapping)."""
        return find_entry(self.root if node is None else node, key)


def go_node_tag(kind: Any, value: Any, implicit: Any) -> str:
    """A YAML resolver's answer given as goyaml.v2 resolves: a plain scalar by Go's rules,
    a quoted one as a string (no path resolvers, no PyYAML rules)."""
    if kind is yaml.ScalarNode:
        return go_resolve(value) if implicit[0] else STR_TAG
    return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


def construct_go_scalar(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    """A scalar decoded as goyaml.v2 decodes it into an ``interface{}``; where Go fails
    (``!!int abc``, ``!!bool maybe``) a constructor error on the node's line."""
    try:
        return go_scalar(str(node.tag), str(node.value))
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{exc} (Helm cannot read this value)", node.start_mark
        ) from None


class _SourceLoader(_Loader):
    """The parser of :func:`parse_yaml`: scalars typed and decoded as Helm's goyaml.v2 does."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return go_node_tag(kind, value, implicit)


for _tag in GO_TYPED_TAGS:
    _SourceLoader.add_constructor(_tag, construct_go_scalar)


def parse_yaml(content: bytes, *, construct: bool = True) -> YamlDocument:
    """Decode and parse one YAML document; raise :class:`YamlProblem` for anything malformed.

    ``construct=False`` keeps only the nodes: much faster for a big values.yaml of which a few
    keys are looked up.
    """
    text = decode_utf8(content)
    has_bom = text.startswith(_BOM)
    if has_bom:
        text = text[1:]
    try:
        check_yaml_shape(text)  # before libyaml's recursive composer can crash on it
    except LimitExceeded as exc:
        raise YamlProblem("syntax", f"refused: {exc.message}", exc.line, exc.col) from None
    loader = _SourceLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.reader.ReaderError as exc:
            line, col = position_at(text, exc.position)
            char = exc.character
            code = f"U+{ord(char) if isinstance(char, str) else char:04X}"
            raise YamlProblem(
                "syntax", f"character {code} is not allowed in YAML ({exc.reason})", line, col
            ) from None
        except yaml.MarkedYAMLError as exc:
            raise _marked_problem(text, exc) from None
        if root is not None:
            _refuse_duplicate_keys(root)
        try:
            data = loader.construct_document(root) if construct and root is not None else None
        except yaml.MarkedYAMLError as exc:
            raise _marked_problem(text, exc) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # pragma: no cover
            # Every scalar goes through go_scalar, which raises only ValueError (made a marked
            # error above); this keeps any other constructor surprise a finding, not a crash.
            raise YamlProblem("syntax", f"invalid YAML value: {exc}", None) from None
    finally:
        loader.dispose()
    return YamlDocument(text=text, root=root, data=data, has_bom=has_bom)


def decode_utf8(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        line = content.count(b"\n", 0, exc.start) + 1
        col = len(content[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = content[exc.start]
        raise YamlProblem(
            "encoding",
            f"the file is not valid UTF-8: byte 0x{byte:02X} at line {line}, column {col}"
            " (save it as UTF-8)",
            line,
            col,
        ) from None


def position_at(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character index, counting lines as libyaml does."""
    line = 1
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        line_start = match.end()
    return line, index - line_start + 1


def node_position(node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


def find_entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def find_path(node: yaml.Node | None, path: Sequence[str]) -> tuple[yaml.Node | None, int]:
    """Follow ``path`` (mapping keys, or list indexes as digits) from ``node``.

    Returns the node found (``None`` when the path breaks off) and how many steps were taken, so
    a caller can name the missing part.
    """
    current = node
    for depth, step in enumerate(path):
        if isinstance(current, yaml.MappingNode):
            entry = find_entry(current, step)
            if entry is None:
                return None, depth
            current = entry[1]
        elif isinstance(current, yaml.SequenceNode) and step.isdigit():
            items = current.value
            if int(step) >= len(items):
                return None, depth
            current = items[int(step)]
        else:
            return None, depth
    return current, len(path)


def path_anchor(node: yaml.Node | None, path: Sequence[str]) -> yaml.Node | None:
    """The node to point at for ``path``: its last mapping key (``global:`` for
    ``global.imageTag``), or the list item; ``None`` for the empty path or a broken one."""
    anchor: yaml.Node | None = None
    current = node
    for step in path:
        if isinstance(current, yaml.MappingNode):
            entry = find_entry(current, step)
            if entry is None:
                return None
            anchor, current = entry
        elif (
            isinstance(current, yaml.SequenceNode)
            and step.isdigit()
            and int(step) < len(current.value)
        ):
            anchor = current = current.value[int(step)]
        else:
            return None
    return anchor


def is_string(node: yaml.Node) -> bool:
    """Whether Helm reads ``node`` as a string (tags here are Helm's: ``y`` is a boolean)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG


def type_name(node: yaml.Node) -> str:
    return _TYPE_NAMES.get(node.tag, node.tag)


def _marked_problem(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    tab = _first_indenting_tab(text, line)
    if isinstance(exc, yaml.scanner.ScannerError) and tab is not None:
        tab_line, tab_col = tab
        return YamlProblem(
            "tab",
            f"tab character in the indentation of line {tab_line}; YAML indents with spaces only",
            tab_line,
            tab_col,
        )
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in (exc.context or ""):
        return YamlProblem("syntax", "the file must hold a single YAML document", line, col)
    return YamlProblem("syntax", f"invalid YAML: {problem}{context}", line, col)


def _first_indenting_tab(text: str, up_to_line: int | None) -> tuple[int, int] | None:
    """The first tab in a line's leading whitespace, at or before the line the parser stopped."""
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if up_to_line is not None and number > up_to_line:
            break
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            return number, tab + 1
    return None


def _refuse_duplicate_keys(root: yaml.Node) -> None:
    """Raise for the earliest repeated key in the file, naming where it was first defined."""
    duplicates: list[tuple[yaml.Node, yaml.Node]] = []
    for mapping in _mappings(root):
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in mapping.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
                continue
            first = seen.setdefault((key_node.tag, key_node.value), key_node)
            if first is not key_node:
                duplicates.append((key_node, first))
    if not duplicates:
        return
    key_node, first = min(duplicates, key=lambda pair: pair[0].start_mark.index)
    position = node_position(key_node)
    raise YamlProblem(
        "duplicate-key",
        f"duplicate key {key_node.value!r} (first defined on line {node_position(first).line});"
        " YAML readers disagree on which one wins",
        position.line,
        position.col,
    )


def _mappings(root: yaml.Node) -> Iterator[yaml.MappingNode]:
    visited: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            yield node
            for key_node, value_node in node.value:
                stack.extend((value_node, key_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
