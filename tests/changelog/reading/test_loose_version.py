from __future__ import annotations

import itertools

import pytest

from release_actions.changelog.reading.loose_version import (
    LooseVersion,
    compare,
    parse_loose_version,
    version_from_tag,
)


def version(text: str) -> LooseVersion:
    parsed = parse_loose_version(text)
    assert parsed is not None, text
    return parsed


@pytest.mark.parametrize(
    ("text", "release", "prerelease", "key"),
    [
        ("1.2.3", (1, 2, 3), "", "1.2.3"),
        ("v2.2", (2, 2), "", "2.2"),
        ("v1.0.1.1", (1, 0, 1, 1), "", "1.0.1.1"),
        ("V1.2.3-rc.1", (1, 2, 3), "rc.1", "1.2.3-rc.1"),
        ("1.18.0-alpha.2", (1, 18, 0), "alpha.2", "1.18.0-alpha.2"),
        ("22.12.0rc1", (22, 12, 0), "rc.1", "22.12.0-rc.1"),
        ("22.8.0.rc1", (22, 8, 0), "rc.1", "22.8.0-rc.1"),
        ("2.0.0.dev5", (2, 0, 0), "dev.5", "2.0.0-dev.5"),
        ("1.0.0a1", (1, 0, 0), "a.1", "1.0.0-a.1"),
        ("4.20.0-rc", (4, 20, 0), "rc", "4.20.0-rc"),
        ("1.2.3+build.7", (1, 2, 3), "", "1.2.3"),
    ],
)
def test_parses_real_world_spellings(
    text: str, release: tuple[int, ...], prerelease: str, key: str
) -> None:
    parsed = version(text)
    assert (parsed.release, parsed.prerelease, parsed.key) == (release, prerelease, key)
    assert parsed.text == text


@pytest.mark.parametrize("text", ["Unreleased", "unreleased", "UNRELEASED", "vUnreleased"])
def test_unreleased_in_any_case(text: str) -> None:
    parsed = version(text)
    assert parsed.unreleased
    assert parsed.key == "unreleased"


@pytest.mark.parametrize(
    "text", ["", "1", "v", "1.2.3.4.5", "1.2.x", "release-1.2", "1.2.3-", "12a", "2024-01-31"]
)
def test_rejects_what_is_not_a_version(text: str) -> None:
    assert parse_loose_version(text) is None


def test_post_release_is_build_metadata_not_a_prerelease() -> None:
    parsed = version("1.2.3.post1")
    assert parsed.prerelease == ""
    assert parsed.build == "post.1"
    assert not parsed.is_prerelease


@pytest.mark.parametrize(
    "ordered",
    [
        ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0"],
        ["2.0.0.dev4", "2.0.0.dev5", "2.0.0.dev10", "2.0.0"],
        ["2.2", "2.2.7", "2.2.16", "2.3.0", "2.10.0"],
        ["1.0.1", "1.0.1.1", "1.0.1.5", "1.1.0.0", "1.1.1.0"],
        ["9.9.9", "Unreleased"],
    ],
)
def test_orders_by_precedence(ordered: list[str]) -> None:
    parsed = [version(text) for text in ordered]
    assert sorted(reversed(parsed)) == parsed
    for lower, higher in itertools.pairwise(parsed):
        assert compare(lower, higher) == -1
        assert compare(higher, lower) == 1


def test_padding_makes_short_versions_equal() -> None:
    assert version("2.3").same_release(version("v2.3.0"))
    assert version("1.1.1.0").same_release(version("1.1.1"))
    assert not version("1.2.0-rc.1").same_release(version("1.2.0"))
    assert compare(version("Unreleased"), version("unreleased")) == 0


def test_final_drops_the_prerelease() -> None:
    assert version("1.18.0-rc.0").final.key == "1.18.0"


def test_tags_normalise_to_versions() -> None:
    assert version_from_tag("refs/tags/v2.10.0") == version("2.10.0")
    assert version_from_tag(" V1.2.3-rc.1 ").key == "1.2.3-rc.1"  # type: ignore[union-attr]
    assert version_from_tag("hami-2.3") is None
    assert version_from_tag("vUnreleased") is None
