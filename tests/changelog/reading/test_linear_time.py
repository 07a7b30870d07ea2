"""Every pattern of the changelog reader is linear: one crafted ~1 MB input per pattern.

Issue 9 found these shapes stalling `changelog lint` and `changelog notes` for minutes; the
quadratic versions of the patterns take hours on these inputs (see tests/support/linear_time.py).
"""

from __future__ import annotations

from support.linear_time import MEGABYTE, finishes_in_time

PARSE = "from release_actions.changelog.reading.parser import parse_changelog\n"


def test_blanks_before_an_atx_closing_sequence() -> None:
    # "[ \t]+#+$" retried from every blank of the run.
    finishes_in_time(
        PARSE + f"c = parse_changelog('## v1.0.0 - a' + ' ' * {MEGABYTE} + '#b\\n')\n"
        "assert c.entries[0].title.endswith('#b')\n"
    )


def test_blanks_in_a_yanked_heading() -> None:
    # "[ \t]-?[ \t]*\[?yanked\]?$" searched from every blank of the run.
    finishes_in_time(
        PARSE + "c = parse_changelog('## [1.0.0] - 2024-01-31' + ' ' * "
        f"{MEGABYTE} + '[YANKED]x\\n')\n"
        "assert not c.entries[0].yanked\n"
    )


def test_blanks_between_a_separator_and_a_date() -> None:
    # "[ \t]*[\[(]?[ \t]*": two runs of blanks that can split a run in every way.
    finishes_in_time(
        PARSE + f"c = parse_changelog('## 1.0.0 -' + ' ' * {MEGABYTE} + 'x\\n')\n"
        "assert c.entries[0].date is None\n"
    )


def test_words_after_a_table_of_contents_marker() -> None:
    # "start.*toc" searched from every "start".
    finishes_in_time(
        PARSE + f"c = parse_changelog('<!-- ' + 'start ' * {MEGABYTE // 6} + '-->\\n# 1.0.0\\n')\n"
        "assert len(c.entries) == 1\n"
    )


def test_many_comment_openers() -> None:
    # "<!--.*?-->" runs to the end from every unclosed opener.
    finishes_in_time(
        PARSE + "from release_actions.changelog.reading.model import has_content\n"
        f"c = parse_changelog('## 1.0.0\\n- a\\n' + '<!--' * {MEGABYTE // 4})\n"
        "assert has_content(c.entries[0])\n"
    )


def test_a_long_fence_with_many_lines_inside() -> None:
    # The closing fence was built (fence length) once per line inside the fence: a memset, so
    # fast per byte; 4 MB make it 2e12 bytes.
    finishes_in_time(
        PARSE + f"c = parse_changelog('# 1.0.0\\n' + '`' * {2 * MEGABYTE} + '\\n'"
        f" + 'x\\n' * {MEGABYTE} + '# 0.9.0\\n')\n"
        "assert len(c.entries) == 1\n"
    )


def test_html_tags_with_many_attributes_and_blanks() -> None:
    # Kind 7 HTML blocks: repeated attributes then blanks, failing at the very end.
    finishes_in_time(
        PARSE + f"c = parse_changelog('<a' + ' b=c' * {MEGABYTE // 4} + ' ' * {MEGABYTE} + 'x')\n"
        f"c = parse_changelog('<a' + ' b' * {MEGABYTE // 2} + ' =')\n"
        f"c = parse_changelog('<a' + '\\t' * {MEGABYTE} + '/x')\n"
    )


def test_link_definitions_without_a_closing_bracket() -> None:
    finishes_in_time(PARSE + f"c = parse_changelog('[' * {MEGABYTE} + ']x')\n")


def test_version_titles_with_long_prerelease_parts() -> None:
    finishes_in_time(
        PARSE + f"c = parse_changelog('## 1.0.0-' + 'a.' * {MEGABYTE // 2} + '_\\n')\n"
        f"c = parse_changelog('## Product' + ' ' * {MEGABYTE} + 'x\\n')\n"
    )
