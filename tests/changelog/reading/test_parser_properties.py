"""Property tests: the parser is total, and what it reports stays inside the text it was given."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release_actions.changelog.notes.entry import close_open_blocks, entry_notes, trim_notes
from release_actions.changelog.reading.model import has_content
from release_actions.changelog.reading.parser import decode, parse_changelog
from release_actions.changelog.reading.title import read_version_title
from release_actions.changelog.rules.lint import LintOptions, lint

# Lines built from the pieces that trip parsers up, so the interesting paths get exercised.
_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "v1.2.3",
        "[1.0.0]",
        "(https://x)",
        " - 2024-01-31",
        " (2024-02-30)",
        "Unreleased",
        "```",
        "~~~~",
        "<!--",
        "-->",
        "<pre>",
        "</pre>",
        "===",
        "---",
        "- ",
        "    ",
        "\t",
        "[x]: https://y",
        "<!-- START doctoc -->",
        "<!-- END doctoc -->",
        "None.",
        "\r",
        "\r\n",
        "\ufeff",
        "2.0.0.dev5",
        "Towncrier ",
        "**Bug fixes**",
    ]
)
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=6).map("".join)
_MARKDOWNISH = st.lists(_LINE, max_size=40).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), _MARKDOWNISH))
def test_parser_never_crashes_and_entries_stay_in_the_text(text: str) -> None:
    changelog = parse_changelog(text)
    previous_line = 0
    for entry in changelog.entries:
        assert entry.line > previous_line
        assert entry.line <= entry.end_line + 1 <= changelog.line_count + 1
        assert "\r" not in entry.body and "\r" not in entry.title
        assert entry.body == entry.body.strip("\n")
        previous_line = entry.line
        has_content(entry)
        entry_notes(changelog, entry)
    for options in (LintOptions(), LintOptions("asc", "keepachangelog"), LintOptions("any")):
        for finding in lint(changelog, options):
            assert finding.line is None or 1 <= finding.line <= max(changelog.line_count, 1)


@given(st.binary(max_size=2000))
def test_any_bytes_decode_and_parse(data: bytes) -> None:
    text, _ = decode(data)
    assert "\r" not in text
    parse_changelog(text)


@given(st.text(max_size=200))
def test_titles_never_crash(text: str) -> None:
    read_version_title(text)


@given(_MARKDOWNISH, st.integers(min_value=60, max_value=400))
def test_trimmed_notes_fit_and_keep_whole_lines(text: str, limit: int) -> None:
    trimmed, cut = trim_notes(text, limit)
    assert len(trimmed) <= limit
    if not cut:
        assert trimmed == text + close_open_blocks(text)
        assert close_open_blocks(trimmed) == ""
