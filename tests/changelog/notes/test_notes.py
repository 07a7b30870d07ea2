from __future__ import annotations

from release_actions.changelog.notes.entry import (
    TRUNCATION_NOTE,
    close_open_blocks,
    entry_notes,
    trim_notes,
    without_code_spans,
)
from release_actions.changelog.notes.release_body import (
    BLOCK_END,
    BLOCK_START,
    changelog_url,
    release_body,
    split_around_block,
)
from release_actions.changelog.reading.parser import parse_changelog

LINK = "https://github.com/o/r/blob/v1.2.0/docs/CHANGELOG/CHANGELOG-1.2.md"


def test_notes_reattach_the_link_definitions_they_use() -> None:
    changelog = parse_changelog(
        "## [1.1.0] - 2024-03-02\n- See [#12] and [the docs][docs] and [inline](https://x).\n"
        "## [1.0.0]\n- first\n\n"
        "[1.1.0]: https://x/compare\n[#12]: https://x/issues/12\n[docs]: https://x/docs\n"
    )
    notes = entry_notes(changelog, changelog.entries[0])
    assert notes == (
        "- See [#12] and [the docs][docs] and [inline](https://x).\n\n"
        "[#12]: https://x/issues/12\n[docs]: https://x/docs"
    )
    assert entry_notes(changelog, changelog.entries[1]) == "- first"


def test_short_notes_are_untouched() -> None:
    assert trim_notes("- a\n- b", 100) == ("- a\n- b", False)


def test_trimming_cuts_at_a_line_boundary() -> None:
    text = "\n".join(f"- item {number:03}" for number in range(100))
    trimmed, cut = trim_notes(text, 200)
    assert cut and len(trimmed) <= 200
    kept, note = trimmed.split("\n\n")
    assert note == TRUNCATION_NOTE
    assert all(line.startswith("- item ") and len(line) == 10 for line in kept.splitlines())


def test_trimming_closes_an_open_fence_and_details() -> None:
    text = "<details><summary>Logs</summary>\n\n````text\n" + "x" * 50 + "\n" * 1 + "y\n" * 200
    trimmed, cut = trim_notes(text, 150)
    assert cut and len(trimmed) <= 150
    assert trimmed.endswith(f"\n````\n</details>\n\n{TRUNCATION_NOTE}")


def test_a_single_line_longer_than_the_limit() -> None:
    trimmed, cut = trim_notes("x" * 500, 100)
    assert cut and len(trimmed) == 100 and trimmed.endswith(TRUNCATION_NOTE)


def test_changelog_url() -> None:
    assert changelog_url(
        "https://github.com/", "o/r", "v1.2.0", "docs/CHANGELOG/CHANGELOG 1.2.md"
    ) == ("https://github.com/o/r/blob/v1.2.0/docs/CHANGELOG/CHANGELOG%201.2.md")


def test_append_keeps_the_generated_notes_and_is_idempotent() -> None:
    generated = "## What's Changed\n* Fix by @a in #1\r\n"
    once = release_body(generated, "- Fixed the scheduler", LINK, mode="append")
    assert once == (
        "## What's Changed\n* Fix by @a in #1\n\n"
        f"{BLOCK_START}\n- Fixed the scheduler\n\n"
        f"See [the CHANGELOG]({LINK}) for details.\n{BLOCK_END}"
    )
    assert release_body(once, "- Fixed the scheduler", LINK, mode="append") == once
    edited = once + "\n\nThanks to all contributors!"
    again = release_body(edited, "- Fixed the scheduler, really", LINK, mode="append")
    assert again is not None
    assert again.count(BLOCK_START) == 1
    assert again.endswith("Thanks to all contributors!")
    assert "- Fixed the scheduler, really" in again


def test_replace_sets_the_whole_body() -> None:
    body = release_body("old text", "- new", LINK, mode="replace")
    assert body == f"{BLOCK_START}\n- new\n\nSee [the CHANGELOG]({LINK}) for details.\n{BLOCK_END}"
    assert release_body(body or "", "- new", LINK, mode="replace") == body


def test_release_body_stays_under_the_limit() -> None:
    notes = "\n".join(f"- change {number}" for number in range(20_000))
    body = release_body("generated " * 1000, notes, LINK, mode="append", limit=125_000)
    assert body is not None and len(body) <= 125_000
    assert body.rstrip().endswith(BLOCK_END) and TRUNCATION_NOTE in body
    assert release_body("x" * 124_990, notes, LINK, mode="append") is None
    bare = release_body("", "", LINK, mode="append")
    assert bare == f"{BLOCK_START}\nSee [the CHANGELOG]({LINK}) for details.\n{BLOCK_END}"


def test_notes_that_end_inside_a_fence_are_closed_even_when_short() -> None:
    assert trim_notes("- a\n~~~~yaml\nkey: 1", 100) == ("- a\n~~~~yaml\nkey: 1\n~~~~", False)
    assert trim_notes("<details>\n\n- a", 100) == ("<details>\n\n- a\n</details>", False)
    # A <details> mentioned in inline code or inside a fence opens nothing.
    assert trim_notes("- the `<details>` tag\n```\n<details>\n```", 100) == (
        "- the `<details>` tag\n```\n<details>\n```",
        False,
    )


def test_the_footer_and_end_marker_are_not_swallowed_by_an_open_fence() -> None:
    fenced = "- Changed the config:\n\n```yaml\nscheduler:\n  policy: binpack"
    body = release_body("generated", fenced, LINK, mode="append")
    assert body == (
        f"generated\n\n{BLOCK_START}\n{fenced}\n```\n\n"
        f"See [the CHANGELOG]({LINK}) for details.\n{BLOCK_END}"
    )
    assert release_body(body, fenced, LINK, mode="append") == body
    folded = "<details><summary>All changes</summary>\n\n- a"
    body = release_body("", folded, LINK, mode="replace")
    assert body is not None
    assert f"- a\n</details>\n\nSee [the CHANGELOG]({LINK})" in body


def test_text_around_the_block_that_leaves_a_fence_open_is_closed_before_it() -> None:
    body = release_body("## Assets\n```\nsha256 abc", "- a", LINK, mode="append")
    assert body is not None
    assert body.startswith(f"## Assets\n```\nsha256 abc\n```\n\n{BLOCK_START}\n- a\n")
    assert release_body(body, "- a", LINK, mode="append") == body


def test_a_fence_closed_to_fit_still_fits_the_limit() -> None:
    text = "```\n" + "x" * 96  # 100 characters; closing it takes 4 more
    trimmed, cut = trim_notes(text, 100)
    assert cut and len(trimmed) <= 100 and trimmed.endswith(TRUNCATION_NOTE)


def test_a_start_marker_without_an_end_marker_is_no_block() -> None:
    block = f"{BLOCK_START}\nnotes\n{BLOCK_END}"
    assert split_around_block(f"a\n\n{block}\n\nb") == ("a", "b")
    assert split_around_block(f"a\n{BLOCK_START}\nrest") == (f"a\n{BLOCK_START}\nrest", "")
    # The block is the last start marker before the last end marker; stray ones stay text.
    stray_start = f"a\n{BLOCK_START}\nx\n\n{block}\n\nb"
    assert split_around_block(stray_start) == (f"a\n{BLOCK_START}\nx", "b")
    stray_after = f"a\n\n{block}\n\nb {BLOCK_START}"
    assert split_around_block(stray_after) == ("a", f"b {BLOCK_START}")
    assert split_around_block(f"a {BLOCK_END}\n{BLOCK_START} b") == (
        f"a {BLOCK_END}\n{BLOCK_START} b",
        "",
    )


def test_a_block_is_written_once_however_the_markers_were_left() -> None:
    for existing in (
        f"generated\n\n{BLOCK_START}\nold notes",
        f"generated\n\n{BLOCK_END}",
        f"generated {BLOCK_START}\n\n{BLOCK_START}\nold\n{BLOCK_END}\n\n{BLOCK_START}",
    ):
        once = release_body(existing, "- new", LINK, mode="append")
        assert once is not None and release_body(once, "- new", LINK, mode="append") == once


def test_code_spans_pair_backtick_runs_of_the_same_length() -> None:
    assert without_code_spans("a `b` c ``d`` e") == "a  c  e"
    # A span may hold shorter or longer runs; a run with no partner is plain text.
    assert without_code_spans("a ``b ` c`` d ``` e") == "a  d ``` e"
    assert close_open_blocks("- the ``<details>` tag`` is hidden") == ""
    assert close_open_blocks("- a ` <details>") == "\n</details>"
