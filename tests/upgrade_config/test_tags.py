from __future__ import annotations

import pytest

from release_actions.errors import ReleaseActionsError
from release_actions.upgrade_config.tags import (
    channel_of,
    parse_loose_version,
    parse_release_tag,
    safe_tag,
    skip_reason,
)
from release_actions.versions import Version


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        # node-semver 7 clean(tag, {loose: true}), verified in the reference
        ("v1.2.3", "1.2.3"),
        ("=v1.2.3", "1.2.3"),
        ("vv1.2.3", "1.2.3"),
        (" v1.2.3 ", "1.2.3"),
        ("v01.02.03", "1.2.3"),
        ("v1.2.3+build.5", "1.2.3"),
        ("v1.2.3beta.1", "1.2.3-beta.1"),
        ("v1.2.3-BETA.1", "1.2.3-BETA.1"),  # case kept, as node-semver keeps it
        ("v1.2.3-Rc.1.Hotfix", "1.2.3-Rc.1.Hotfix"),
        ("1.2.3-rc.01", "1.2.3-rc.1"),
        # corrections: a capital V and refs/tags/ are accepted (the anchor threw)
        ("V1.2.3", "1.2.3"),
        ("refs/tags/v1.2.3", "1.2.3"),
        ("refs/tags/V2.0.0-rc.1", "2.0.0-rc.1"),
    ],
)
def test_tags_parse_as_loosely_as_the_anchor(tag: str, expected: str) -> None:
    assert str(parse_loose_version(tag)) == expected


def test_the_version_keeps_its_case_because_case_changes_semver_precedence() -> None:
    # Lower-cased, a client on 2.2.0-BETA.2 would be offered 2.2.0-beta.2 as an update to itself.
    release = parse_release_tag("v2.2.0-BETA.2")
    assert str(release.version) == "2.2.0-BETA.2"
    assert release.channel == "beta"
    assert Version.parse("2.2.0-beta.2") > release.version


@pytest.mark.parametrize("tag", ["v1.2", "release-2024", "1.2.3.4", "", "vx.y.z"])
def test_tags_that_are_no_version_are_rejected(tag: str) -> None:
    assert parse_loose_version(tag) is None


def test_an_invalid_tag_is_an_error_and_an_empty_one_says_a_tag_is_required() -> None:
    with pytest.raises(ReleaseActionsError, match="not a valid semantic version"):
        parse_release_tag("release-2024")
    with pytest.raises(ReleaseActionsError, match="a release tag is required"):
        parse_release_tag("  ")


def test_urls_keep_the_tag_as_given_minus_refs_tags() -> None:
    release = parse_release_tag(" refs/tags/V2.1.0-RC.1 ")
    assert release.tag == "V2.1.0-RC.1"
    assert str(release.version) == "2.1.0-RC.1"  # compared, stored, and {{version}} in URLs
    assert release.channel == "rc"
    assert release.base == Version(2, 1, 0)


@pytest.mark.parametrize(
    ("version", "channel"),
    [
        ("2.1.0", "latest"),
        ("2.1.0-rc.1", "rc"),
        ("2.1.0-RC.1", "rc"),
        ("2.1.0-beta.2", "beta"),
        ("2.1.0-Beta", "beta"),
        ("2.1.0-alpha.1", None),
        ("2.1.0-rc1", None),
        ("2.1.0-beta-1", None),
        ("2.1.0-0", None),
    ],
)
def test_the_channel_is_the_first_prerelease_identifier_lower_cased(
    version: str, channel: str | None
) -> None:
    assert channel_of(Version.parse(version)) == channel


def test_unmapped_labels_and_prerelease_flag_mismatches_skip_with_a_reason() -> None:
    assert "'alpha'" in (skip_reason(parse_release_tag("v2.1.0-alpha.1"), None) or "")
    assert "no rc or beta label" in (skip_reason(parse_release_tag("v2.1.0"), True) or "")
    assert "is a rc version" in (skip_reason(parse_release_tag("v2.1.0-rc.1"), False) or "")
    assert skip_reason(parse_release_tag("v2.1.0-rc.1"), True) is None
    assert skip_reason(parse_release_tag("v2.1.0"), False) is None
    assert skip_reason(parse_release_tag("v2.1.0-beta.1"), None) is None


def test_safe_tag_replaces_what_a_branch_name_cannot_hold() -> None:
    assert safe_tag("refs/tags/v2.1.7+build.3") == "v2.1.7-build.3"
    assert safe_tag("v2.1.0-rc.1") == "v2.1.0-rc.1"
