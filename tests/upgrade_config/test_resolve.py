"""Every row of the anchor's client tests (cherry-studio-pi AppUpdater.test.ts) for the default
``client`` matcher, which must be the deployed client exactly (crashes included, as errors), then
the two corrections of ``--matcher recommended`` next to the anchor's failure modes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from release_actions.upgrade_config.resolve import ClientWouldThrow, find_compatible_channel
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
    # the rc slot is never consulted for beta, though MOCK's rc 1.7.0-rc.1 is newer
    ("should find compatible beta channel", MOCK, "1.5.0", "beta", "1.7.0-beta.3", "beta"),
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


def test_client_a_beta_request_never_takes_the_rc() -> None:
    config = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1", "2.1.0-beta.2")}}
    ours = find_compatible_channel(config, Version.parse("2.0.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0-beta.2", "beta")
    rc_only = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1")}}
    ours = find_compatible_channel(rc_only, Version.parse("2.0.0"), "beta")
    assert ours is not None and (ours.version, ours.channel) == ("2.0.5", "latest")


def test_client_a_missing_channel_key_is_an_error_naming_the_entry_and_key() -> None:
    hand_made = {
        "versions": {
            "1.7.0": {"minCompatibleVersion": "1.0.0", "channels": {"latest": slot("1.7.0")}},
        }
    }
    with pytest.raises(TypeError):
        anchor.find_compatible_channel(hand_made, "1.6.0", "rc")
    with pytest.raises(ClientWouldThrow, match=r"entry 1\.7\.0 has no channels\.rc key") as caught:
        find_compatible_channel(hand_made, Version.parse("1.6.0"), "rc")
    assert caught.value.path == ("versions", "1.7.0", "channels")


def test_client_a_missing_latest_key_throws_only_when_the_fallback_reads_it() -> None:
    no_latest = {
        "minCompatibleVersion": "1.0.0",
        "channels": {"rc": None, "beta": slot("2.0.0-beta.1")},
    }
    config = {"versions": {"2.0.0": no_latest, "1.7.0": entry("1.0.0", "1.7.0")}}
    with pytest.raises(TypeError):
        anchor.find_compatible_channel(config, "1.6.0", "rc")
    with pytest.raises(ClientWouldThrow, match=r"entry 2\.0\.0 has no channels\.latest key"):
        find_compatible_channel(config, Version.parse("1.6.0"), "rc")
    # a beta request reads the beta slot and stops there: latest's absence is harmless
    result = find_compatible_channel(config, Version.parse("1.6.0"), "beta")
    assert result is not None and result.version == "2.0.0-beta.1"
    assert anchor.find_compatible_channel(config, "1.6.0", "beta")["config"]["version"] == (
        "2.0.0-beta.1"
    )


VERSION_TEXTS = st.sampled_from(
    ["1.0.0", "1.6.0", "1.7.0", "1.7.0-rc.1", "1.7.0-beta.3", "2.0.0", "2.0.0-beta.1", "2.1.0"]
)
SLOTS = st.one_of(st.none(), VERSION_TEXTS.map(slot))
ENTRIES = st.builds(
    lambda minimum, channels: {"minCompatibleVersion": minimum, "channels": channels},
    st.sampled_from(["1.0.0", "1.7.0", "2.0.0"]),
    st.dictionaries(st.sampled_from(["latest", "rc", "beta"]), SLOTS),
)


@given(
    versions=st.dictionaries(st.sampled_from(["1.6.7", "1.7.0", "2.0.0", "2.1.0"]), ENTRIES),
    current=VERSION_TEXTS,
    requested=st.sampled_from(["latest", "rc", "beta"]),
)
def test_client_matcher_is_the_deployed_client_on_any_config(
    versions: dict[str, Any], current: str, requested: Any
) -> None:
    config = {"versions": versions}
    try:
        theirs = anchor.find_compatible_channel(config, current, requested)
        if theirs is not None and theirs["config"] is None:
            raise TypeError("the caller reads feedUrls of undefined")
    except TypeError:
        with pytest.raises(ClientWouldThrow):
            find_compatible_channel(config, Version.parse(current), requested)
        return
    ours = find_compatible_channel(config, Version.parse(current), requested)
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None
        assert (ours.version, ours.channel) == (theirs["config"]["version"], theirs["channel"])


def test_recommended_correction_1_a_beta_request_takes_a_newer_rc_of_the_same_entry() -> None:
    config = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1", "2.1.0-beta.2")}}
    theirs = anchor.find_compatible_channel(config, "2.0.0", "beta")
    assert theirs["config"]["version"] == "2.1.0-beta.2"  # the anchor: the older beta
    ours = find_compatible_channel(config, Version.parse("2.0.0"), "beta", "recommended")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0-rc.1", "rc")


def test_recommended_correction_1_changes_the_anchor_row_for_beta_testers_on_mock() -> None:
    # "should find compatible beta channel" expects beta 1.7.0-beta.3, though the same entry
    # has rc 1.7.0-rc.1, which is newer: with the correction a beta tester gets the rc.
    ours = find_compatible_channel(MOCK, Version.parse("1.5.0"), "beta", "recommended")
    assert ours is not None and (ours.version, ours.channel) == ("1.7.0-rc.1", "rc")


def test_recommended_a_beta_request_with_only_an_rc_takes_it_unless_latest_is_newer() -> None:
    rc_only = {"versions": {"2.1.0": entry("2.0.0", "2.0.5", "2.1.0-rc.1")}}
    ours = find_compatible_channel(rc_only, Version.parse("2.0.0"), "beta", "recommended")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0-rc.1", "rc")
    stale_rc = {"versions": {"2.1.0": entry("2.0.0", "2.1.0", "2.1.0-rc.1")}}
    ours = find_compatible_channel(stale_rc, Version.parse("2.0.0"), "beta", "recommended")
    assert ours is not None and (ours.version, ours.channel) == ("2.1.0", "latest")


def test_recommended_correction_2_a_missing_channel_key_is_null_and_never_crashes() -> None:
    hand_made = {
        "versions": {
            "1.7.0": {"minCompatibleVersion": "1.0.0", "channels": {"latest": slot("1.7.0")}},
        }
    }
    ours = find_compatible_channel(hand_made, Version.parse("1.6.0"), "rc", "recommended")
    assert ours is not None and (ours.version, ours.channel) == ("1.7.0", "latest")


def test_recommended_correction_2_a_missing_latest_key_moves_on_to_lower_entries() -> None:
    config = {
        "versions": {
            "2.0.0": {"minCompatibleVersion": "1.0.0", "channels": {"rc": None}},
            "1.7.0": entry("1.0.0", "1.7.0"),
        }
    }
    ours = find_compatible_channel(config, Version.parse("1.6.0"), "rc", "recommended")
    assert ours is not None and ours.version == "1.7.0"


@pytest.mark.parametrize(
    ("config", "current", "requested", "version", "channel"),
    [row[1:] for row in ANCHOR_ROWS if row[0] != "should find compatible beta channel"],
    ids=[row[0] for row in ANCHOR_ROWS if row[0] != "should find compatible beta channel"],
)
def test_recommended_agrees_with_every_other_anchor_row(
    config: dict[str, Any], current: str, requested: Any, version: str, channel: str
) -> None:
    result = find_compatible_channel(config, Version.parse(current), requested, "recommended")
    assert result is not None and (result.version, result.channel) == (version, channel)


def test_keys_are_taken_newest_first_whatever_their_order_in_the_file() -> None:
    config = {"versions": {"1.9.0": entry("1.0.0", "1.9.0"), "1.10.0": entry("1.0.0", "1.10.0")}}
    result = find_compatible_channel(config, Version.parse("1.5.0"), "latest")
    assert result is not None and result.version == "1.10.0"


def test_a_prerelease_install_does_not_meet_the_minimum_of_its_own_release() -> None:
    # plain SemVer, as the client does: 1.7.0-rc.1 < 1.7.0
    result = find_compatible_channel(FULL_PATH, Version.parse("1.7.0-rc.1"), "latest")
    assert result is not None and result.version == "1.7.5"
