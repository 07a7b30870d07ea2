"""Release notes from crafted entries: each pattern stays linear (see support/linear_time.py)."""

from __future__ import annotations

from support.linear_time import MEGABYTE, finishes_in_time

TRIM = "from release_actions.changelog.notes.entry import close_open_blocks, trim_notes\n"


def test_a_long_run_of_backticks() -> None:
    # "(`+)[^`]*?\1" tries every shorter opener at every backtick of the run.
    finishes_in_time(TRIM + f"assert close_open_blocks('- ' + '`' * {MEGABYTE} + 'a') == ''\n")


def test_many_open_details_blocks_in_a_long_entry() -> None:
    # The closing "</details>" lines were built once per line to measure them (a memcpy, so
    # fast per byte: 500,000 open blocks make it 1.4e12 bytes). The limit makes trim_notes
    # walk every line but the last.
    finishes_in_time(
        TRIM + f"text = '<details>\\n' * {MEGABYTE // 2}\n"
        "closed = text + close_open_blocks(text)\n"
        "trimmed, cut = trim_notes(text, len(closed) - 1)\n"
        "assert cut\n"
    )


def test_a_long_fence_in_a_long_entry() -> None:
    finishes_in_time(
        TRIM + f"text = '`' * {2 * MEGABYTE} + '\\n' + 'x\\n' * {MEGABYTE}\n"
        "trimmed, cut = trim_notes(text, len(text) - 10)\n"
        "assert cut\n"
    )


def test_references_without_closing_brackets() -> None:
    finishes_in_time(
        "from release_actions.changelog.notes.entry import entry_notes\n"
        "from release_actions.changelog.reading.parser import parse_changelog\n"
        f"c = parse_changelog('## 1.0.0\\n- ' + '[a' * {MEGABYTE // 2} + '\\n[a]: x\\n')\n"
        "entry_notes(c, c.entries[0])\n"
    )
