from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from release_actions.changelog.reading.title import (
    _DATE,
    VersionTitle,
    _before_yanked_marker,
    read_version_title,
)


def title(text: str) -> VersionTitle:
    found = read_version_title(text)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("text", "key", "date"),
    [
        ("v1.2.3", "1.2.3", None),
        ("1.2.3", "1.2.3", None),
        ("[1.2.3]", "1.2.3", None),
        ("[v1.2.3](https://example.com/compare/v1.2.2...v1.2.3)", "1.2.3", None),
        ("v2.9.0 - 2026-05-19", "2.9.0", "2026-05-19"),
        ("[1.0.0] - 2017-06-20", "1.0.0", "2017-06-20"),
        ("[17.11.1](https://x/compare/v17.11.0...v17.11.1) (2026-07-31)", "17.11.1", "2026-07-31"),
        ("v1.26.0 on 2026-08-20", "1.26.0", "2026-08-20"),
        ("5.2.1 / 2025-12-01", "5.2.1", "2025-12-01"),
        ("Towncrier 24.8.0 (2024-08-23)", "24.8.0", "2024-08-23"),
        ("1.2.3 (2024-01-31)", "1.2.3", "2024-01-31"),
        ("[1.0.0][ref] - 2020-01-01", "1.0.0", "2020-01-01"),
        ("v2.2", "2.2", None),
        ("v1.0.1.1", "1.0.1.1", None),
        ("v1.18.0-rc.0", "1.18.0-rc.0", None),
        ("5.0.2 alpha", "5.0.2-alpha", None),
        ("5.0.3 RTM", "5.0.3", None),
        ("2.4.2. / 2011-07-06", "2.4.2", "2011-07-06"),
        ("1.2.3 - Codename Bear", "1.2.3", None),
        ("Version 1.2.3", "1.2.3", None),
    ],
)
def test_version_headings(text: str, key: str, date: str | None) -> None:
    found = title(text)
    assert found.version.key == key
    assert found.date == (datetime.date.fromisoformat(date) if date else None)
    assert not found.bad_date


@pytest.mark.parametrize(
    "text", ["Unreleased", "[Unreleased]", "unreleased", "UNRELEASED", "Unreleased Changes"]
)
def test_unreleased_spellings(text: str) -> None:
    assert title(text).version.unreleased


@pytest.mark.parametrize(
    "text",
    [
        "Downloads for v1.18.2",
        "Changelog since v1.18.1",
        "Changes by Kind",
        "2.0 Migration guide",
        "Upgrade to 2.0",
        "What's New",
        "Bug Fixes",
        "",
        "v1.2.3is",
        "1.2.3.4.5",
    ],
)
def test_prose_headings_are_not_versions(text: str) -> None:
    assert read_version_title(text) is None


def test_links_and_brackets_are_kept() -> None:
    found = title("[v4.20.72](https://github.com/devlooped/moq/tree/v4.20.72) (2024-09-07)")
    assert found.bracketed
    assert found.link == "https://github.com/devlooped/moq/tree/v4.20.72"
    assert found.version.text == "v4.20.72"


@pytest.mark.parametrize(
    "text", ["[0.0.5] - 2014-12-13 [YANKED]", "[v3.3.1] - YANKED", "1.2.0 (yanked)"]
)
def test_yanked_markers(text: str) -> None:
    assert title(text).yanked


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("v1.2.3 - 2024-02-30", "2024-02-30"),
        ("v1.2.3 - 2024-1-5", "2024-1-5"),
        ("v1.2.3 - 31.01.2024", "31.01.2024"),
        ("v1.2.3 (2024/01/31)", "2024/01/31"),
        ("v1.2.3 - January 5, 2024", "January 5, 2024"),
    ],
)
def test_bad_dates_are_kept_as_written(text: str, written: str) -> None:
    found = title(text)
    assert found.bad_date
    assert found.date_text == written


# The patterns the hand-written readers replaced (they backtrack quadratically on long runs of
# blanks), kept as the specification: on short text both must agree.
_YANKED_PATTERN = re.compile(r"(?:^|[ \t])[-–—]?[ \t]*[\[(]?(?i:yanked)[\])]?[ \t]*$")
_TITLE_PIECES = st.sampled_from(
    [" ", "\t", "-", "–", "[", "]", "(", ")", "yanked", "YANKED", "Yanked", "2024-01-31", "x", "."]
)


@given(st.lists(_TITLE_PIECES, max_size=8).map("".join))
def test_the_yanked_marker_is_read_as_the_pattern_says(rest: str) -> None:
    rest = rest.strip()
    match = _YANKED_PATTERN.search(rest)
    expected = None if match is None else rest[: match.start()].rstrip(" \t-–—")
    assert _before_yanked_marker(rest) == expected


@given(st.lists(_TITLE_PIECES, max_size=8).map("".join))
def test_dates_are_read_as_before(rest: str) -> None:
    before = re.compile(_DATE.pattern.replace(r"[ \t]*(?:[\[(][ \t]*)?", r"[ \t]*[\[(]?[ \t]*"))
    assert before.pattern != _DATE.pattern
    old, new = before.match(rest), _DATE.match(rest)
    assert (old and old.group("date"), old and old.end()) == (
        new and new.group("date"),
        new and new.end(),
    )


def test_only_ascii_digits_make_a_version_or_a_date() -> None:
    """Python's \\d takes any Unicode digit: ٢.١.٧ and ２.１.７ are not versions here."""
    assert read_version_title("v٢.١.٧") is None
    assert read_version_title("v２.１.７") is None
    title = read_version_title("[1.2.0] - ٢٠٢٠-٠١-٠١")
    assert title is not None and title.date is None
    assert _DATE.search(" - ٢٠٢٠-٠١-٠١") is None  # the pattern itself, not only what reads it
