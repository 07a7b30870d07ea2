"""Every row of the anchor's client tests (cherry-studio-pi AppUpdater.test.ts), then the two
corrections next to the anchor's failure modes."""

from __future__ import annotations

from typing import Any

import pytest

from release_actions.upgrade_config.resolve import find_compatible_channel
from release_actions.versions import Version

from . import anchor


def slot(version: str) -> dict[str, Any]:
    return {
        "version": version,
        "feedUrls": {
            "github": f"https://github.com/test/v{version}",
            "gitcode": f"https://gitcode.com/test/v{version}",
        },
    }


def entry(
    minimum: str, latest: str | None, rc: str | None = None, beta: str | None = None
) -> dict[str, Any]:
    return {
        "minCompatibleVersion": minimum,
        "description": "",
        "channels": {
            "latest": slot(latest) if latest else None,
            "rc": slot(rc) if rc else None,
            "beta": slot(beta) if beta else None,
        },
    }


MOCK = {
    "versions": {
        "1.6.7": entry("1.0.0", "1.6.7", "1.7.0-rc.1", "1.7.0-beta.3"),
        "2.0.0": entry("1.7.0", None),
    }
}
NEWER_LATEST_THAN_RC = {"versions": {"1.7.0": entry("1.0.0", "1.7.0", "1.7.0-rc.1")}}
NEWER_LATEST_THAN_BETA = {"versions": {"1.7.0": entry("1.0.0", "1.7.0", None, "1.6.8-beta.1")}}
NEWER_RC = {"versions": {"1.7.0": entry("1.0.0", "1.6.7", "1.7.0-rc.1")}}
NEWER_BETA = {"versions": {"1.7.0": entry("1.0.0", "1.6.7", None, "1.7.0-beta.5")}}
ONLY_LATEST = {"versions": {"1.6.7": entry("1.0.0", "1.6.7")}}
NOTHING = {"versions": {"1.6.7": entry("1.0.0", None)}}
WITH_2X = {"versions": {**MOCK["versions"], "2.0.0": entry("1.7.0", "2.0.0")}}
FULL_PATH = {
    "versions": {
        "1.7.5": entry("1.0.0", "1.7.5"),
        "2.0.0": entry("1.7.0", "2.0.0"),
        "2.1.6": entry("2.0.0", "2.1.6"),
    }
}

ANCHOR_ROWS = [
    # (test name in the anchor, config, current, requested, expected version, expected channel)
    ("should find compatible latest channel", MOCK, "1.5.0", "latest", "1.6.7", "latest"),
    ("should find compatible rc channel", MOCK, "1.5.0", "rc", "1.7.0-rc.1", "rc"),
    (
        "should return latest when latest >= rc",
        NEWER_LATEST_THAN_RC,
        "1.6.0",
        "rc",
        "1.7.0",
        "latest",
    ),
    (
        "should return latest when latest >= beta",
        NEWER_LATEST_THAN_BETA,
        "1.6.0",
        "beta",
        "1.7.0",
        "latest",
    ),
    (
        "should not compare latest with itself",
        NEWER_LATEST_THAN_RC,
        "1.6.0",
        "latest",
        "1.7.0",
        "latest",
    ),
    ("should return rc when rc > latest", NEWER_RC, "1.6.0", "rc", "1.7.0-rc.1", "rc"),
    ("should return beta when beta > latest", NEWER_BETA, "1.6.0", "beta", "1.7.0-beta.5", "beta"),
    (
        "lower version when higher has no compatible channel",
        MOCK,
        "1.8.0",
        "latest",
        "1.6.7",
        "latest",
    ),
    ("lower version rc when higher has no rc channel", MOCK, "1.8.0", "rc", "1.7.0-rc.1", "rc"),
    (
        "fallback to latest when requested channel is null",
        ONLY_LATEST,
        "1.5.0",
        "rc",
        "1.6.7",
        "latest",
    ),
    ("upgrade from 1.6.3 to 1.6.7", MOCK, "1.6.3", "latest", "1.6.7", "latest"),
    ("block upgrade from 1.6.7 to 2.0.0", MOCK, "1.6.7", "latest", "1.6.7", "latest"),
    ("allow upgrade from 1.7.0 to 2.0.0", WITH_2X, "1.7.0", "latest", "2.0.0", "latest"),
    ("upgrade from 1.6.3 to 1.7.5 (step 1)", FULL_PATH, "1.6.3", "latest", "1.7.5", "latest"),
    ("upgrade from 1.7.5 to 2.0.0 (step 2)", FULL_PATH, "1.7.5", "latest", "2.0.0", "latest"),
    ("upgrade from 2.0.0 to 2.1.6 (step 3)", FULL_PATH, "2.0.0", "latest", "2.1.6", "latest"),
    ("block direct 1.6.3 to 2.0.0", FULL_PATH, "1.6.3", "latest", "1.7.5", "latest"),
    ("block direct 1.7.5 to 2.1.6", FULL_PATH, "1.7.5", "latest", "2.0.0", "latest"),
]


@pytest.mark.parametrize(
    ("config", "current", "requested", "version", "channel"),
    [row[1:] for row in ANCHOR_ROWS],
    ids=[row[0] for row in ANCHOR_ROWS],
)
def test_anchor_client_rows(
    config: dict[str, Any], current: str, requested: Any, version: str, channel: str
) -> None:
    result = find_compatible_channel(config, Version.parse(current), requested)
    assert result is not None
    assert (result.version, result.channel) == (version, channel)
    assert result.feed_url("github") == f"https://github.com/test/v{version}"
    assert result.feed_url("gitcode") == f"https://gitcode.com/test/v{version}"
    # and the anchor agrees on every one of these rows
    theirs = anchor.find_compatible_channel(config, current, requested)
    assert (theirs["config"]["version"], theirs["channel"]) == (version, channel)


@pytest.mark.parametrize(
    ("config", "current", "requested"),
    [(MOCK, "0.9.0", "latest"), (NOTHING, "1.5.0", "rc")],
    ids=["below every minCompatibleVersion", "no requested channel and no latest"],
)
def test_anchor_client_rows_that_resolve_to_nothing(
    config: dict[str, Any], current: str, requested: Any
) -> None:
    assert find_compatible_channel(config, Version.parse(current), requested) is None
    assert anchor.find_compatible_channel(config, current, requested) is None


def test_the_complete_multi_step_upgrade_path() -> None:
    current, seen = Version.parse("1.6.3"), []
    for _ in range(4):
        result = find_compatible_channel(FULL_PATH, current, "latest")
        assert result is not None
        seen.append(result.version)
        current = Version.parse(result.version)
    assert seen == ["1.7.5", "2.0.0", "2.1.6", "2.1.6"]


def test_correction_1_a_beta_request_takes_a_newer_rc_of_the_same_entry() -> None:
    config = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1", "2.1.0-beta.2")}}
    theirs = anchor.find_compatible_channel(config, "2.0.0", "beta")
    assert theirs["config"]["version"] == "2.1.0-beta.2"  # the anchor: the older beta
    ours = find_compatible_channel(config, Version.parse("2.0.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0-rc.1", "rc")


def test_correction_1_changes_the_anchor_row_for_beta_testers_on_mock() -> None:
    # "should find compatible beta channel" expected beta 1.7.0-beta.3, though the same entry
    # has rc 1.7.0-rc.1, which is newer: a beta tester now gets the rc.
    theirs = anchor.find_compatible_channel(MOCK, "1.5.0", "beta")
    assert theirs["config"]["version"] == "1.7.0-beta.3"
    ours = find_compatible_channel(MOCK, Version.parse("1.5.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("1.7.0-rc.1", "rc")


def test_correction_1_a_beta_request_with_only_an_rc_takes_the_rc_unless_latest_is_newer() -> None:
    rc_only = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1")}}
    ours = find_compatible_channel(rc_only, Version.parse("2.0.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0-rc.1", "rc")
    stale_rc = {"versions": {"2.1.0": entry("2.0.0", "2.1.0", "2.1.0-rc.1")}}
    ours = find_compatible_channel(stale_rc, Version.parse("2.0.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0", "latest")


def test_correction_2_a_missing_channel_key_is_null_and_never_crashes() -> None:
    hand_made = {
        "versions": {
            "1.7.0": {"minCompatibleVersion": "1.0.0", "channels": {"latest": slot("1.7.0")}},
        }
    }
    with pytest.raises(TypeError):
        anchor.find_compatible_channel(hand_made, "1.6.0", "rc")
    ours = find_compatible_channel(hand_made, Version.parse("1.6.0"), "rc")
    assert ours is not None and (ours.version, ours.channel) == ("1.7.0", "latest")


def test_correction_2_a_missing_latest_key_moves_on_to_lower_entries() -> None:
    config = {
        "versions": {
            "2.0.0": {"minCompatibleVersion": "1.0.0", "channels": {"rc": None}},
            "1.7.0": entry("1.0.0", "1.7.0"),
        }
    }
    with pytest.raises(TypeError):
        anchor.find_compatible_channel(config, "1.6.0", "rc")
    ours = find_compatible_channel(config, Version.parse("1.6.0"), "rc")
    assert ours is not None and ours.version == "1.7.0"


def test_keys_are_taken_newest_first_whatever_their_order_in_the_file() -> None:
    config = {"versions": {"1.9.0": entry("1.0.0", "1.9.0"), "1.10.0": entry("1.0.0", "1.10.0")}}
    result = find_compatible_channel(config, Version.parse("1.5.0"), "latest")
    assert result is not None and result.version == "1.10.0"


def test_a_prerelease_install_does_not_meet_the_minimum_of_its_own_release() -> None:
    # plain SemVer, as the client does: 1.7.0-rc.1 < 1.7.0
    result = find_compatible_channel(FULL_PATH, Version.parse("1.7.0-rc.1"), "latest")
    assert result is not None and result.version == "1.7.5"
