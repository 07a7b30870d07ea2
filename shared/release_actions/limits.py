"""Bounds on structured input from a repository or an API, checked before it is loaded.

A YAML file of 500 bytes can hold a billion nodes through aliases ("billion laughs"), and one
nested 100,000 deep crashes libyaml's recursive composer with signal 11; JSON nested that deep
raises RecursionError. Helm's own YAML library refuses excessive aliasing. Here one pass over
libyaml's event stream (its parser is iterative, so any depth is safe to scan) measures both,
and a JSON text's nesting is measured with one linear regular-expression scan, so each loader
can refuse such input at once with one clear error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PyYAML is loaded by the first YAML check: a JSON-only command never needs it
    import yaml

__all__ = [
    "MAX_EXPANDED_NODES",
    "MAX_NESTING",
    "LimitExceeded",
    "check_json_nesting",
    "check_yaml_shape",
]

# Deeper than any chart, index or config needs, and well inside Python's recursion limit for
# the code that walks the loaded data.
MAX_NESTING = 200
# Nodes a document may stand for once its aliases are expanded, beyond ten times its own.
MAX_EXPANDED_NODES = 1_000_000

# A JSON string (skipped whole) or a bracket; linear: the string alternatives cannot overlap.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class LimitExceeded(ValueError):
    """The input is nested too deep or expands to too much; ``line``/``col`` are 1-based."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.col})" if self.line is not None else ""
        return f"{self.message}{where}"


def check_yaml_shape(text: str | bytes) -> None:
    """Raise :class:`LimitExceeded` when ``text`` nests deeper than :data:`MAX_NESTING` or its
    aliases expand to more than :data:`MAX_EXPANDED_NODES` nodes (and ten times its own).

    Malformed YAML is left for the loader to report, with its own message.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    own = 0  # the nodes the text itself holds
    # One frame per open collection: [its expanded size so far, its anchor]; [0] the stream.
    stack: list[tuple[int, str | None]] = [(0, None)]
    anchors: dict[str, int] = {}
    try:
        for event in yaml.parse(text, Loader=loader):
            added = 0
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_NESTING:
                    raise _at(event, f"nested more than {MAX_NESTING} levels deep")
                stack.append((1, event.anchor))
                own += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                added, anchor = stack.pop()
                if anchor is not None:
                    anchors[anchor] = added
            elif isinstance(event, yaml.ScalarEvent):
                own += 1
                added = 1
                if event.anchor is not None:
                    anchors[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                added = anchors.get(str(event.anchor), 1)
            if added:
                size, anchor = stack[-1]
                stack[-1] = (size + added, anchor)
                if size + added > MAX_EXPANDED_NODES and size + added > 10 * own:
                    raise _at(event, _ALIAS_MESSAGE)
    except yaml.YAMLError:
        return


_ALIAS_MESSAGE = (
    f"its aliases expand to more than {MAX_EXPANDED_NODES:,} values (a YAML alias bomb);"
    " write the values out instead"
)


def _at(event: yaml.Event, message: str) -> LimitExceeded:
    mark = event.start_mark
    if mark is None:
        return LimitExceeded(message)
    return LimitExceeded(message, mark.line + 1, mark.column + 1)


def check_json_nesting(text: str) -> None:
    """Raise :class:`LimitExceeded` when the JSON ``text`` nests deeper than
    :data:`MAX_NESTING`: ``json.loads`` would raise RecursionError, or the code after it."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, match.start()) + 1
                col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                raise LimitExceeded(f"nested more than {MAX_NESTING} levels deep", line, col)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
