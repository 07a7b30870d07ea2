"""Issue 9, low: every version and tag pattern takes ASCII digits only, and no number so long
that Python's int() refuses it (4300 digits) reaches int().

``v٢.١.٧`` (Arabic-Indic digits) and ``v２.１.７`` (full-width) were accepted as 2.1.7, because
``\\d`` and semver's own pattern match any Unicode digit.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from release_actions.changelog.reading.locate import newest_changelog
from release_actions.changelog.reading.loose_version import (
    parse_loose_version as changelog_version,
)
from release_actions.chart.lint.rules import _loose_version as chart_bump_version
from release_actions.chart.loader.go_scalars import FLOAT_TAG, STR_TAG, go_resolve
from release_actions.chart.loader.helm_version import version_key
from release_actions.upgrade_config.ranges import RangeError, parse_range
from release_actions.upgrade_config.tags import parse_loose_version as release_tag_version
from release_actions.versions import TagTemplate, is_semver, parse_version

ARABIC_INDIC = "v٢.١.٧"
FULL_WIDTH = "v２.１.７"
LONG = "1.0." + "9" * 5000


def strict_semver(text: str) -> object:
    try:
        return parse_version(text.removeprefix("v"))
    except ValueError:
        return None


def tag_template(text: str) -> object:
    return TagTemplate("v{version}").parse("v" + text.removeprefix("v"))


def range_floor(text: str) -> object:
    try:
        return parse_range(">=" + text.removeprefix("v"))
    except RangeError:
        return None


PARSERS: dict[str, Callable[[str], object]] = {
    "versions.parse_version": strict_semver,
    "versions.TagTemplate.parse": tag_template,
    "chart helm_version.version_key": version_key,
    "chart lint rules._loose_version": chart_bump_version,
    "changelog loose_version": changelog_version,
    "upgrade-config tags": release_tag_version,
    "upgrade-config ranges": range_floor,
}


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize("text", [ARABIC_INDIC, FULL_WIDTH], ids=["arabic-indic", "full-width"])
def test_non_ascii_digits_are_not_a_version(parse: Callable[[str], object], text: str) -> None:
    assert parse(text) is None
    assert parse("v2.1.7") is not None  # the same pattern, in ASCII, is one


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
def test_a_5000_digit_number_is_not_a_version_and_never_reaches_int(
    parse: Callable[[str], object],
) -> None:
    assert parse(LONG) is None
    assert parse("1.0.0-rc." + "9" * 5000) is None


def test_is_semver_refuses_them_too() -> None:
    assert not is_semver("٢.١.٧")
    assert not is_semver("２.１.７")
    assert not is_semver(LONG)
    assert is_semver("2.1.7")


def test_yaml_integers_past_64_bits_resolve_as_in_go_without_int() -> None:
    # goyaml.v2: ParseInt overflows, then ParseFloat (a float, or out of range: a string).
    assert go_resolve("9" * 21) == FLOAT_TAG
    assert go_resolve("9" * 5000) == STR_TAG
    assert go_resolve("0x" + "f" * 5000) == STR_TAG


def test_changelog_paths_sort_by_ascii_numbers_of_any_length() -> None:
    assert newest_changelog(["CHANGELOG-1.9.md", "CHANGELOG-1.10.md"]) == "CHANGELOG-1.10.md"
    newest_changelog(["CHANGELOG-" + "9" * 5000 + ".md", "CHANGELOG-١٠.md"])  # no crash
