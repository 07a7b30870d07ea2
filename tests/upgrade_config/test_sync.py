"""The sync, end to end through the pure pipeline: plan, feeds, apply, render."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from release_actions.errors import ChecksFailed, ReleaseActionsError

from . import anchor
from .helpers import (
    GC,
    GH,
    NOW_TEXT,
    RecordingProber,
    dump,
    example_config,
    example_segments,
    run_sync,
    synced,
)


def feeds(tag: str, gitcode: str | None = None) -> dict[str, str]:
    return {"github": f"{GH}/{tag}", "gitcode": gitcode or f"{GC}/{tag}"}


def test_a_stable_release_renames_its_segment_entry_to_the_new_version() -> None:
    result = run_sync(example_config(), "v2.1.7")
    assert (result.outcome, result.segment, result.entry_key) == ("updated", "current-v2", "2.1.7")
    config = json.loads(result.new_text)
    assert list(config["versions"]) == ["2.1.7", "2.0.0", "1.7.23"]
    entry = config["versions"]["2.1.7"]
    assert entry["channels"]["latest"] == {"version": "2.1.7", "feedUrls": feeds("v2.1.7")}
    # prereleases are not cleared by a stable release; clients hide them with latest >= rc
    assert entry["channels"]["rc"]["version"] == "2.2.0-rc.1"
    assert config["lastUpdated"] == NOW_TEXT


def test_a_prerelease_updates_its_channel_and_never_renames() -> None:
    result = run_sync(example_config(), "v2.2.0-rc.2")
    config = json.loads(result.new_text)
    assert result.entry_key == "2.1.6"
    assert config["versions"]["2.1.6"]["channels"]["rc"] == {
        "version": "2.2.0-rc.2",
        # gitcode carries no prereleases: it borrows the primary's URL
        "feedUrls": {"github": f"{GH}/v2.2.0-rc.2", "gitcode": f"{GH}/v2.2.0-rc.2"},
    }
    assert config["versions"]["2.1.6"]["channels"]["latest"]["version"] == "2.1.6"


def test_a_first_prerelease_of_a_segment_is_keyed_by_its_base_version() -> None:
    config = example_config()
    del config["versions"]["2.1.6"]
    result = run_sync(config, "v2.1.0-beta.1")
    entry = json.loads(result.new_text)["versions"]["2.1.0"]
    assert result.entry_key == "2.1.0"
    assert entry["channels"] == {
        "latest": None,
        "rc": None,
        "beta": {
            "version": "2.1.0-beta.1",
            "feedUrls": feeds("v2.1.0-beta.1", f"{GH}/v2.1.0-beta.1"),
        },
    }
    # a brand-new entry gets the anchor's key order: metadata last
    assert list(entry) == ["minCompatibleVersion", "description", "channels", "metadata"]
    assert entry["metadata"] == {"segmentId": "current-v2", "segmentType": "latest"}


def test_a_gateway_prerelease_goes_to_the_gateway_not_to_the_previous_range() -> None:
    config = example_config()
    theirs = anchor.select_segment(example_segments()["segments"], "2.0.0-beta.1")
    assert theirs == "legacy-v1"  # the anchor: beta users below 1.7 would skip the 1.7 hop
    result = run_sync(config, "v2.0.0-beta.1")
    assert (result.segment, result.entry_key) == ("gateway-v2", "2.0.0")
    versions = json.loads(result.new_text)["versions"]
    assert versions["2.0.0"]["channels"]["beta"]["version"] == "2.0.0-beta.1"
    assert versions["1.7.23"] == config["versions"]["1.7.23"]


def test_a_next_major_prerelease_without_its_segment_is_an_error() -> None:
    assert anchor.select_segment(example_segments()["segments"], "3.0.0-rc.1") == "current-v2"
    with pytest.raises(ReleaseActionsError, match=r"no upgrade segment matches 3\.0\.0"):
        run_sync(example_config(), "v3.0.0-rc.1")


def test_the_locked_version_is_checked_on_the_base_version() -> None:
    segments = example_segments()
    segments["segments"][1]["match"] = {"range": ">=2.0.0 <2.1.0"}
    with pytest.raises(
        ReleaseActionsError, match=r"gateway-v2 is locked to 2\.0\.0, but received 2\.0\.3"
    ):
        run_sync(example_config(), "v2.0.3", segments=segments)
    assert run_sync(example_config(), "v2.0.0-rc.1", segments=segments).entry_key == "2.0.0"


def test_an_older_stable_is_skipped_instead_of_renaming_the_entry_back() -> None:
    config = example_config()
    current = config["versions"]["2.1.6"]
    segment = example_segments()["segments"][2]
    theirs = anchor.update_versions(config["versions"], segment, "2.1.5", "latest", feeds("v2.1.5"))
    assert "2.1.6" not in theirs and "2.1.5" in theirs  # the anchor renames the entry back
    result = run_sync(config, "v2.1.5")
    assert result.outcome == "skipped"
    assert (result.segment, result.entry_key) == ("current-v2", "2.1.6")
    assert "already has 2.1.6, newer than 2.1.5" in result.reason
    assert result.new_text == result.old_text
    assert json.loads(result.new_text)["versions"]["2.1.6"] == current


def test_an_older_prerelease_is_skipped_instead_of_overwriting_a_newer_one() -> None:
    config = example_config()
    segment = example_segments()["segments"][2]
    theirs = anchor.update_versions(config["versions"], segment, "2.2.0-beta.2", "beta", {})
    assert theirs["2.1.6"]["channels"]["beta"]["version"] == "2.2.0-beta.2"
    result = run_sync(config, "v2.2.0-beta.2")
    assert result.outcome == "skipped"
    assert (result.segment, result.entry_key) == ("current-v2", "2.1.6")
    assert "channel beta of entry 2.1.6 already has 2.2.0-beta.3" in result.reason


def test_a_version_is_stored_as_the_tag_spells_it() -> None:
    config = example_config()
    del config["versions"]["2.1.6"]["channels"]["beta"]
    result = run_sync(config, "v2.2.0-BETA.2")
    assert (result.outcome, result.entry_key) == ("updated", "2.1.6")
    assert json.loads(result.new_text)["versions"]["2.1.6"]["channels"]["beta"] == {
        "version": "2.2.0-BETA.2",  # lower-cased, a client on it would be offered itself
        "feedUrls": feeds("v2.2.0-BETA.2", f"{GH}/v2.2.0-BETA.2"),
    }
    assert run_sync(result.new_text, "v2.2.0-BETA.2").outcome == "unchanged"


def test_a_label_spelled_in_capitals_is_older_by_semver_and_skipped_with_the_reason() -> None:
    config = example_config()
    assert config["versions"]["2.1.6"]["channels"]["beta"]["version"] == "2.2.0-beta.3"
    # SemVer compares labels as ASCII: 2.2.0-Beta.4 < 2.2.0-beta.3, and clients on beta.3
    # would not take it as an update
    result = run_sync(config, "v2.2.0-Beta.4")
    assert result.outcome == "skipped"
    assert "already has 2.2.0-beta.3, newer than 2.2.0-Beta.4" in result.reason
    assert "upper case sorts first" in result.reason


def test_a_stored_capitalised_label_is_replaced_by_a_lower_case_one_semver_puts_above() -> None:
    config = example_config()
    config["versions"]["2.1.6"]["channels"]["beta"]["version"] = "2.2.0-Beta.5"
    result = run_sync(config, "v2.2.0-beta.4")
    assert result.outcome == "updated"
    beta = json.loads(result.new_text)["versions"]["2.1.6"]["channels"]["beta"]
    assert beta["version"] == "2.2.0-beta.4"


def test_version_in_a_feed_template_is_spelled_as_the_tag_spells_it() -> None:
    segments = {
        "mirrors": {"github": {"feedTemplate": "https://dl.example/v{{version}}"}},
        "segments": [{"id": "all", "match": {"range": "*"}, "minCompatibleVersion": "0.0.0"}],
    }
    result = run_sync({}, "V2.2.0-Beta.4", segments=segments)
    beta = json.loads(result.new_text)["versions"]["2.2.0"]["channels"]["beta"]
    assert beta == {
        "version": "2.2.0-Beta.4",
        "feedUrls": {"github": "https://dl.example/v2.2.0-Beta.4"},
    }


def test_a_stable_hotfix_may_rename_an_entry_keyed_by_a_prerelease() -> None:
    config = example_config()
    del config["versions"]["2.1.6"]
    after_rc = synced(config, "v2.1.0-rc.1")
    result = run_sync(after_rc, "v2.0.1")
    assert result.outcome == "updated"
    entry = json.loads(result.new_text)["versions"]["2.0.1"]
    assert (entry["channels"]["latest"]["version"], entry["channels"]["rc"]["version"]) == (
        "2.0.1",
        "2.1.0-rc.1",
    )


def test_the_same_release_twice_leaves_the_file_byte_identical() -> None:
    first = run_sync(example_config(), "v2.1.7")
    second = run_sync(first.new_text, "v2.1.7", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert second.outcome == "unchanged"
    assert not second.changed
    assert second.new_text == first.new_text  # lastUpdated included
    assert second.entry_key == "2.1.7"


def test_re_syncing_what_the_file_already_says_is_unchanged() -> None:
    text = dump(example_config())
    for tag in ("v2.1.6", "v2.2.0-rc.1", "v2.2.0-beta.3", "v2.0.0"):
        result = run_sync(text, tag)
        assert (tag, result.outcome, result.new_text) == (tag, "unchanged", text)


def test_the_anchor_would_bump_last_updated_on_every_run() -> None:
    # what made every re-run a commit or a PR: section 7, bug 1. Ours compares the content.
    text = dump(example_config())
    result = run_sync(text, "v2.1.6")
    assert json.loads(result.new_text)["lastUpdated"] == example_config()["lastUpdated"]


def test_a_target_key_held_by_another_segment_fails_naming_it() -> None:
    config = example_config()
    config["versions"]["2.1.7"] = json.loads(json.dumps(config["versions"]["2.0.0"]))
    config["versions"]["2.1.7"]["metadata"]["segmentId"] = "lts-v2"
    segment = example_segments()["segments"][2]
    theirs = anchor.update_versions(config["versions"], segment, "2.1.7", "latest", feeds("v2.1.7"))
    assert theirs["2.1.7"]["metadata"]["segmentId"] == "current-v2"  # silently overwritten
    with pytest.raises(
        ReleaseActionsError,
        match=r"entry 2\.1\.7 already belongs to segment lts-v2, not to current-v2",
    ):
        run_sync(config, "v2.1.7")


def test_a_target_key_held_by_a_hand_made_entry_fails_with_how_to_adopt_it() -> None:
    config = example_config()
    config["versions"]["2.0.0"].pop("metadata")
    with pytest.raises(ReleaseActionsError) as caught:
        run_sync(config, "v2.0.0")
    assert "hand-made entry without metadata.segmentId" in caught.value.message
    assert '"metadata": {"segmentId": "gateway-v2"}' in caught.value.message
    assert caught.value.location is not None and caught.value.location.line is not None


def test_hand_made_entries_without_metadata_are_tolerated_and_left_alone() -> None:
    config = example_config()
    config["versions"]["1.6.7"] = {
        "minCompatibleVersion": "1.0.0",
        "description": "hand-made",
        "channels": {
            "latest": {
                "version": "1.6.7",
                "feedUrls": {"github": "https://x/releases/latest/download"},
            }
        },
        "note": "kept",
    }
    result = run_sync(config, "v2.1.7")
    assert json.loads(result.new_text)["versions"]["1.6.7"] == config["versions"]["1.6.7"]


def test_fallback_is_used_when_a_secondary_is_not_ready_and_undone_once_it_is() -> None:
    not_synced_yet = run_sync(example_config(), "v2.1.7", prober=RecordingProber("gitcode.com"))
    assert not_synced_yet.fallback_used
    assert json.loads(not_synced_yet.new_text)["versions"]["2.1.7"]["channels"]["latest"][
        "feedUrls"
    ] == {
        "github": f"{GH}/v2.1.7",
        "gitcode": "https://releases.cherry-ai.com",
    }
    # the anchor kept the fallback for good; a re-run once the mirror has synced repairs it
    repaired = run_sync(not_synced_yet.new_text, "v2.1.7")
    assert (repaired.outcome, repaired.fallback_used) == ("updated", False)
    assert json.loads(repaired.new_text)["versions"]["2.1.7"]["channels"]["latest"][
        "feedUrls"
    ] == feeds("v2.1.7")


def test_a_primary_that_is_not_ready_fails_and_writes_nothing() -> None:
    with pytest.raises(ReleaseActionsError, match="feed URLs are not ready"):
        run_sync(example_config(), "v2.1.7", prober=RecordingProber("github.com"))


def test_skipped_releases_probe_nothing() -> None:
    prober = RecordingProber()
    assert run_sync(example_config(), "v2.1.5", prober=prober).outcome == "skipped"
    assert prober.asked == []


def test_the_output_format_matches_json_stringify_with_two_spaces() -> None:
    config: dict[str, Any] = {
        "$comment": "Ünïcode stays raw: 升级",
        "lastUpdated": "2020-01-01T00:00:00.000Z",
        "custom": {"keep": [1, 2]},
        "versions": {
            "1.9.0": {"minCompatibleVersion": "1.0.0", "channels": {"latest": None}},
            "1.10.0": {"minCompatibleVersion": "1.0.0", "channels": {"latest": None}},
        },
    }
    segments = {
        "mirrors": {"github": {"feedTemplate": "https://dl/{{tag}}"}},
        "segments": [
            {
                "id": "v2",
                "match": {"range": "^2"},
                "minCompatibleVersion": "1.9.0",
                "description": "二",
            }
        ],
    }
    result = run_sync(config, "v2.0.0", segments=segments)
    document = json.loads(result.new_text)
    assert result.new_text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert "Ünïcode stays raw: 升级" in result.new_text
    assert list(document) == ["$comment", "lastUpdated", "custom", "versions"]
    assert document["custom"] == {"keep": [1, 2]}
    assert list(document["versions"]) == ["2.0.0", "1.10.0", "1.9.0"]
    assert document["lastUpdated"] == NOW_TEXT


def test_a_missing_last_updated_and_versions_are_added_at_the_end() -> None:
    result = run_sync({"schemaVersion": 1}, "v2.1.0")
    assert list(json.loads(result.new_text)) == ["schemaVersion", "lastUpdated", "versions"]


def test_a_config_file_that_does_not_exist_yet_starts_empty() -> None:
    result = run_sync(None, "v1.7.5")
    document = json.loads(result.new_text)
    assert list(document) == ["lastUpdated", "versions"]
    assert list(document["versions"]) == ["1.7.5"]


def test_an_existing_entry_keeps_its_key_order_and_extra_keys() -> None:
    config = example_config()
    entry = config["versions"]["2.1.6"]
    config["versions"]["2.1.6"] = {"channels": entry["channels"], "x-notes": "kept", **entry}
    result = run_sync(config, "v2.2.0-rc.2")
    new = json.loads(result.new_text)["versions"]["2.1.6"]
    assert list(new) == list(config["versions"]["2.1.6"])
    assert new["x-notes"] == "kept"


def test_without_mirrors_the_repository_release_downloads_are_the_feed() -> None:
    segments = {
        "segments": [{"id": "all", "match": {"range": "*"}, "minCompatibleVersion": "0.0.0"}]
    }
    result = run_sync(
        {},
        "v1.2.0",
        segments=segments,
        default_template="https://ghe.example/o/app/releases/download/{{tag}}",
    )
    assert json.loads(result.new_text)["versions"]["1.2.0"]["channels"]["latest"]["feedUrls"] == {
        "github": "https://ghe.example/o/app/releases/download/v1.2.0"
    }
    with pytest.raises(ReleaseActionsError, match="no feed template for mirror github"):
        run_sync({}, "v1.2.0", segments=segments)


def test_invalid_files_are_reported_before_anything_is_written() -> None:
    config = example_config()
    config["versions"]["2.1"] = config["versions"].pop("2.0.0")
    stream = io.StringIO()
    with pytest.raises(ChecksFailed):
        run_sync(config, "v2.1.7", stream=stream)
    assert '/versions/2.1: key "2.1" is not a SemVer version' in stream.getvalue()


def test_malformed_json_is_reported_with_line_and_column() -> None:
    text = dump(example_config()).replace('"2.0.0": {', '"2.0.0" {', 1)
    with pytest.raises(ReleaseActionsError) as caught:
        run_sync(text, "v2.1.7")
    location = caught.value.location
    assert location is not None
    line = next(n for n, content in enumerate(text.splitlines(), 1) if '"2.0.0" {' in content)
    assert (location.file, location.line, location.col) == ("app-upgrade-config.json", line, 13)
    assert "Expecting ':' delimiter" in caught.value.message
