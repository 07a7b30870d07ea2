"""The expression language of GitHub Actions, as far as our action.yml files need it.

``${{ }}`` templates, contexts (property access is case-insensitive; ``inputs.x`` and
``steps.x`` must be declared), literals, ``== != < <= > >= && || !`` with GitHub's loose
comparison and truthiness, success/always/failure/cancelled, contains/startsWith/endsWith/format.
Anything else raises :class:`ExpressionError`, so a test notices instead of getting ''.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class ExpressionError(Exception):
    """An expression this evaluator does not understand, or a name that is not declared."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<number>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))
    | (?P<op>==|!=|<=|>=|&&|\|\||[!<>().\[\],*])
    | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
_STATUS_FUNCTIONS = frozenset({"success", "failure", "always", "cancelled"})
_STRICT_CONTEXTS = frozenset({"inputs", "steps"})

Node = tuple[Any, ...]


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot parse expression at {text[position:]!r}: {text!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over GitHub's expression grammar (the subset listed in the module doc)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def parse(self) -> Node:
        node = self._or()
        if self.index != len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.index][1]!r} in {self.text!r}")
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _take(self, value: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if token is None or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'more'} in {self.text!r}")
        self.index += 1
        return token

    def _accept(self, value: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] == value:
            self.index += 1
            return True
        return False

    def _or(self) -> Node:
        node = self._and()
        while self._accept("||"):
            node = ("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._comparison()
        while self._accept("&&"):
            node = ("and", node, self._comparison())
        return node

    def _comparison(self) -> Node:
        node = self._unary()
        for operator in ("==", "!=", "<=", ">=", "<", ">"):
            if self._accept(operator):
                return ("cmp", operator, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._accept("!"):
            return ("not", self._unary())
        return self._postfix(self._primary())

    def _primary(self) -> Node:
        kind, value = self._take()
        if kind == "string":
            return ("lit", value[1:-1].replace("''", "'"))
        if kind == "number":
            number = int(value, 16) if value.lower().startswith(("0x", "-0x")) else float(value)
            return ("lit", number)
        if kind == "op" and value == "(":
            node = self._or()
            self._take(")")
            return node
        if kind == "name":
            literals = {"true": True, "false": False, "null": None}
            if value in literals:
                return ("lit", literals[value])
            if self._accept("("):
                args: list[Node] = []
                if not self._accept(")"):
                    args.append(self._or())
                    while self._accept(","):
                        args.append(self._or())
                    self._take(")")
                return ("call", value, tuple(args))
            return ("ctx", value)
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")

    def _postfix(self, node: Node) -> Node:
        while True:
            if self._accept("."):
                kind, value = self._take()
                if kind == "op" and value == "*":
                    raise ExpressionError(f"object filters (.*) are not supported: {self.text!r}")
                if kind != "name":
                    raise ExpressionError(f"expected a property name in {self.text!r}")
                node = ("prop", node, ("lit", value))
            elif self._accept("["):
                node = ("prop", node, self._or())
                self._take("]")
            else:
                return node


def _uses_status_function(node: Node) -> bool:
    kind = node[0]
    if kind == "call":
        return node[1] in _STATUS_FUNCTIONS or any(map(_uses_status_function, node[2]))
    if kind in ("lit", "ctx"):
        return False
    return any(_uses_status_function(part) for part in node[1:] if isinstance(part, tuple))


def _to_number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def _truthy(value: Any) -> bool:
    if value is None or value is False or value == "":
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return not (value == 0 or math.isnan(value))
    return True


def _equal(left: Any, right: Any) -> bool:
    """GitHub's loose equality: case-insensitive strings, numbers when the types differ."""
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    if isinstance(left, dict | list) or isinstance(right, dict | list):
        return left is right
    if type(left) is type(right) and not isinstance(left, int | float):
        return bool(left == right)
    return _to_number(left) == _to_number(right)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if isinstance(left, str) and isinstance(right, str):
        a: Any = left.casefold()
        b: Any = right.casefold()
    else:
        a, b = _to_number(left), _to_number(right)
    result: bool = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]
    return result


def to_text(value: Any) -> str:
    """How an expression's value is substituted into a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2)
    return str(value)


@dataclass
class _Evaluation:
    contexts: Mapping[str, Any]
    failed: bool = False  # a previous step failed (for success()/failure())

    def evaluate(self, node: Node) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ctx":
            if node[1] not in self.contexts:
                raise ExpressionError(f"unknown context {node[1]!r}")
            return self.contexts[node[1]]
        if kind == "prop":
            return self._property(node)
        if kind == "not":
            return not _truthy(self.evaluate(node[1]))
        if kind == "and":
            left = self.evaluate(node[1])
            return self.evaluate(node[2]) if _truthy(left) else left
        if kind == "or":
            left = self.evaluate(node[1])
            return left if _truthy(left) else self.evaluate(node[2])
        if kind == "cmp":
            return _compare(node[1], self.evaluate(node[2]), self.evaluate(node[3]))
        if kind == "call":
            return self._call(node[1], [self.evaluate(arg) for arg in node[2]])
        raise ExpressionError(f"unknown expression node {kind}")  # pragma: no cover

    def _property(self, node: Node) -> Any:
        owner = self.evaluate(node[1])
        key = self.evaluate(node[2])
        if node[1][0] == "ctx" and node[1][1] in _STRICT_CONTEXTS and key not in owner:
            raise ExpressionError(f"{node[1][1]}.{key} is not declared by the action")
        if isinstance(owner, dict):
            if isinstance(key, str):
                for name, value in owner.items():
                    if name.casefold() == key.casefold():
                        return value
            return None
        if isinstance(owner, list) and isinstance(key, int | float) and not isinstance(key, bool):
            index = int(key)
            return owner[index] if 0 <= index < len(owner) else None
        return None

    def _call(self, name: str, args: list[Any]) -> Any:
        status: dict[str, Callable[[], bool]] = {
            "success": lambda: not self.failed,
            "failure": lambda: self.failed,
            "always": lambda: True,
            "cancelled": lambda: False,
        }
        if name in status:
            if args:
                raise ExpressionError(f"{name}() takes no arguments")
            return status[name]()
        if name == "contains" and len(args) == 2:
            haystack, needle = args
            if isinstance(haystack, list):
                return any(_equal(item, needle) for item in haystack)
            return to_text(needle).casefold() in to_text(haystack).casefold()
        if name in ("startsWith", "endsWith") and len(args) == 2:
            text, affix = to_text(args[0]).casefold(), to_text(args[1]).casefold()
            return text.startswith(affix) if name == "startsWith" else text.endswith(affix)
        if name == "format" and args:
            template = to_text(args[0])
            values = [to_text(value) for value in args[1:]]
            placeholder = re.compile(r"\{\{|\}\}|\{(\d+)\}")

            def substitute(match: re.Match[str]) -> str:
                if match.group(1) is None:
                    return match.group(0)[0]
                return values[int(match.group(1))]

            return placeholder.sub(substitute, template)
        raise ExpressionError(f"unsupported function {name}() with {len(args)} argument(s)")


def evaluate(expression: str, contexts: Mapping[str, Any], *, failed: bool = False) -> Any:
    """Evaluate one expression (the text inside ``${{ }}``)."""
    return _Evaluation(contexts, failed).evaluate(_Parser(expression).parse())


def _expressions(template: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each ``${{ … }}``, honouring quotes inside it."""
    position = 0
    while (start := template.find("${{", position)) != -1:
        index = start + 3
        in_string = False
        while index < len(template):
            char = template[index]
            if char == "'":
                in_string = not in_string
            elif not in_string and template.startswith("}}", index):
                break
            index += 1
        else:
            raise ExpressionError(f"unclosed ${{{{ in {template!r}")
        yield start, index + 2, template[start + 3 : index]
        position = index + 2


def render(template: Any, contexts: Mapping[str, Any], *, failed: bool = False) -> str:
    """Substitute every ``${{ expression }}`` in a string (YAML scalars are stringified)."""
    if not isinstance(template, str):
        return to_text(template)
    pieces: list[str] = []
    position = 0
    for start, end, inner in _expressions(template):
        pieces.append(template[position:start])
        pieces.append(to_text(evaluate(inner, contexts, failed=failed)))
        position = end
    pieces.append(template[position:])
    return "".join(pieces)


def condition(text: Any, contexts: Mapping[str, Any], *, failed: bool) -> bool:
    """Evaluate an ``if:``; without a status function it means ``success() && (…)``."""
    if text is None:
        return not failed
    if isinstance(text, bool):
        return text and not failed
    source = str(text).strip()
    found = list(_expressions(source))
    if found:
        start, end, inner = found[0]
        if len(found) > 1 or start != 0 or end != len(source):
            raise ExpressionError(f"if: mixes ${{{{ }}}} with other text: {source!r}")
        source = inner
    node = _Parser(source).parse()
    value = _Evaluation(contexts, failed).evaluate(node)
    if _uses_status_function(node):
        return _truthy(value)
    return not failed and _truthy(value)
