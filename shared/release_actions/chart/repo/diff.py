"""A unified diff of two versions of an ``index.yaml``, fast on multi-megabyte indexes.

difflib compares line by line, and an index repeats the same lines (``- apiVersion: v2``)
thousands of times: five seconds on a 4 MB index. Here the lines are first grouped into blocks
that start at the index's own structure (a top-level key, a chart key or a list item at depth
two), which are nearly all unique, so matching blocks is quick; only the blocks that differ are
compared line by line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]

# A line that starts a block: no indent (a top-level key) or two spaces then a non-space.
_BLOCK_START = re.compile(r"(?:[^ \n]|  [^ \n])")


def unified_index_diff(before: str, after: str, *, path: str, context: int = 2) -> str:
    """``diff -u`` of ``before`` and ``after``, labelled ``a/path`` and ``b/path``."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    hunks = list(_grouped(_line_opcodes(old, new), context))
    if not hunks:
        return ""
    lines = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    for group in hunks:
        first, last = group[0], group[-1]
        old_range = _range(first[1], last[2])
        new_range = _range(first[3], last[4])
        lines.append(f"@@ -{old_range} +{new_range} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(" " + line for line in old[i1:i2])
                continue
            lines.extend("-" + line for line in old[i1:i2])
            lines.extend("+" + line for line in new[j1:j2])
    return "".join(_newline_terminated(lines))


def _blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    starts = [index for index, line in enumerate(lines) if _BLOCK_START.match(line)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(lines)]
    return [(start, end) for start, end in zip(starts, ends, strict=True) if start < end]


def _line_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    old_blocks = _blocks(old)
    new_blocks = _blocks(new)
    old_keys = ["".join(old[start:end]) for start, end in old_blocks]
    new_keys = ["".join(new[start:end]) for start, end in new_blocks]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    opcodes: list[Opcode] = []
    for tag, b1, b2, c1, c2 in matcher.get_opcodes():
        i1, i2 = _span(old_blocks, b1, b2, len(old))
        j1, j2 = _span(new_blocks, c1, c2, len(new))
        if tag == "equal":
            opcodes.append(("equal", i1, i2, j1, j2))
            continue
        inner = difflib.SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
        for inner_tag, a1, a2, d1, d2 in inner.get_opcodes():
            opcodes.append((inner_tag, i1 + a1, i1 + a2, j1 + d1, j1 + d2))
    return opcodes


def _span(blocks: Sequence[tuple[int, int]], first: int, last: int, total: int) -> tuple[int, int]:
    if first == last:
        position = blocks[first][0] if first < len(blocks) else total
        return position, position
    return blocks[first][0], blocks[last - 1][1]


def _grouped(opcodes: list[Opcode], context: int) -> Iterator[list[Opcode]]:
    """Hunks of changes with ``context`` equal lines around them (as difflib groups them)."""
    codes = [code for code in opcodes if code[1] != code[2] or code[3] != code[4]]
    if not any(code[0] != "equal" for code in codes):
        return
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, i1 + context, j1, j1 + context))
            yield group
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _newline_terminated(lines: list[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
