from __future__ import annotations

import datetime
import textwrap

import pytest

from release_actions.changelog.reading.loose_version import LooseVersion, parse_loose_version
from release_actions.changelog.reading.model import has_content
from release_actions.changelog.reading.parser import parse_changelog
from release_actions.changelog.scaffold import _without_yanked_marker, add_entry, new_file
from support.linear_time import MEGABYTE, finishes_in_time

TODAY = datetime.date(2026, 8, 5)

TEMPLATE = textwrap.dedent(
    """\
    <!-- START doctoc generated TOC please keep comment here to allow auto update -->
    - [v0.0.0](#v000)
      - [Downloads for v0.0.0](#downloads-for-v000)
      - [Changelog since v0.0.0](#changelog-since-v000)
    <!-- END doctoc generated TOC please keep comment here to allow auto update -->

    # v0.0.0
    ## Downloads for v0.0.0

    Download v0.0.0 in the [v0.0.0 release page](https://github.com/Project-HAMi/HAMi/releases/tag/v0.0.0).

    ## Changelog since v0.0.0
    ### Changes by Kind
    #### Bug Fixes
    None.

    #### Others
    None.

    """
)


def version(text: str) -> LooseVersion:
    parsed = parse_loose_version(text)
    assert parsed is not None
    return parsed


def test_a_new_per_minor_file_from_the_template() -> None:
    scaffold = new_file(
        version("1.2.0"),
        previous=version("1.1.3"),
        template=TEMPLATE,
        date=TODAY,
        profile="default",
    )
    lines = scaffold.text.splitlines()
    assert lines[1:4] == [
        "- [v1.2.0](#v120)",
        "  - [Downloads for v1.2.0](#downloads-for-v120)",
        "  - [Changelog since v1.1.3](#changelog-since-v113)",
    ]
    assert "0.0.0" not in scaffold.text
    assert scaffold.line == 7 and lines[6] == "# v1.2.0"
    assert "## Changelog since v1.1.3" in lines
    assert scaffold.text.endswith("None.\n")
    entry = parse_changelog(scaffold.text).entries[0]
    assert entry.version.key == "1.2.0"
    assert not has_content(entry)  # the gate rejects it until someone fills it in


def test_a_patch_section_goes_on_top_of_a_descending_file() -> None:
    first = new_file(
        version("1.2.0"), previous=None, template=TEMPLATE, date=TODAY, profile="default"
    )
    changelog = parse_changelog(first.text)
    scaffold = add_entry(
        first.text,
        changelog,
        version("1.2.1"),
        previous=version("1.2.0"),
        template=TEMPLATE,
        date=TODAY,
        order="desc",
        profile="default",
    )
    result = parse_changelog(scaffold.text)
    assert [entry.version.key for entry in result.entries] == ["1.2.1", "1.2.0"]
    assert result.entries[0].line == scaffold.line
    assert "## Changelog since v1.2.0" in result.entries[0].body
    # Without a known previous version, "since" keeps naming the new one rather than 0.0.0.
    assert "## Changelog since v1.2.0" in result.entries[1].body


def test_an_ascending_file_gets_the_entry_at_the_bottom_before_link_definitions() -> None:
    text = "# CHANGELOG\n\n## v2.8.0 - 2026-01-20\n- a\n\n## v2.9.0 - 2026-05-19\n- b\n\n[x]: https://x\n"
    changelog = parse_changelog(text)
    scaffold = add_entry(
        text,
        changelog,
        version("2.9.1"),
        previous=None,
        template=None,
        date=TODAY,
        order="asc",
        profile="default",
    )
    assert scaffold.text == (
        "# CHANGELOG\n\n## v2.8.0 - 2026-01-20\n- a\n\n## v2.9.0 - 2026-05-19\n- b\n\n"
        "## v2.9.1 - 2026-08-05\n\nNone.\n\n[x]: https://x\n"
    )
    assert scaffold.line == 9
    backport = add_entry(
        text,
        changelog,
        version("2.8.1"),
        previous=None,
        template=None,
        date=TODAY,
        order="asc",
        profile="default",
    )
    assert [e.version.key for e in parse_changelog(backport.text).entries] == [
        "2.8.0",
        "2.8.1",
        "2.9.0",
    ]


def test_the_heading_style_is_copied_from_the_file() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n"
        "## [1.1.0](https://x/compare/v1.0.0...v1.1.0) (2024-03-02)\n### Added\n- a\n"
    )
    changelog = parse_changelog(text)
    scaffold = add_entry(
        text,
        changelog,
        version("1.2.0"),
        previous=None,
        template=None,
        date=TODAY,
        order="desc",
        profile="keepachangelog",
    )
    result = parse_changelog(scaffold.text)
    assert [entry.title for entry in result.entries] == [
        "[Unreleased]",
        "[1.2.0] (2026-08-05)",
        "[1.1.0](https://x/compare/v1.0.0...v1.1.0) (2024-03-02)",
    ]
    assert result.entries[1].body == "### Added\n\n### Changed\n\n### Fixed"


def test_a_new_file_without_a_template() -> None:
    scaffold = new_file(
        version("0.1.0"), previous=None, template=None, date=TODAY, profile="default"
    )
    assert scaffold.text == "# Changelog\n\n## v0.1.0 - 2026-08-05\n\nNone.\n"
    assert scaffold.line == 3
    kac = new_file(
        version("0.1.0"), previous=None, template=None, date=TODAY, profile="keepachangelog"
    )
    assert kac.text.startswith("# Changelog\n\n## [0.1.0] - 2026-08-05\n")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("1.0.0 - [YANKED]", "1.0.0"),
        ("1.0.0 — (Yanked) ", "1.0.0"),
        ("1.0.0 - 2020-01-01 [yanked]", "1.0.0 - 2020-01-01"),
        ("1.0.0 [YANKED", "1.0.0"),
        ("1.0.0 - rc", "1.0.0 - rc"),
    ],
)
def test_a_yanked_marker_is_left_out_of_a_new_title(title: str, expected: str) -> None:
    assert _without_yanked_marker(title) == expected


def test_the_yanked_marker_is_read_in_linear_time() -> None:
    """A title of blanks before no marker took quadratic time as a searched pattern."""
    finishes_in_time(
        "from release_actions.changelog.scaffold import _without_yanked_marker\n"
        f"_without_yanked_marker('1.0.0' + ' ' * (4 * {MEGABYTE}) + 'x')\n"
    )
