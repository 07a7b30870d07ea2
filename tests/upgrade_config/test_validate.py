from __future__ import annotations

import json
from typing import Any

import pytest

from release_actions.errors import ReleaseActionsError
from release_actions.upgrade_config.document import load_json
from release_actions.upgrade_config.schema import Schema
from release_actions.upgrade_config.validate import (
    CONFIG_SCHEMA,
    SEGMENTS_SCHEMA,
    Finding,
    check_config,
    check_segments,
)

from .helpers import dump, example_config, example_segments


def segment_findings(data: Any) -> list[Finding]:
    return check_segments(load_json(dump(data), "segments.json"))


def config_findings(data: Any) -> list[Finding]:
    return check_config(load_json(dump(data), "config.json"))


def messages(findings: list[Finding], level: str = "error") -> list[str]:
    return [f.message for f in findings if f.level == level]


def test_the_examples_are_valid() -> None:
    assert segment_findings(example_segments()) == []
    assert config_findings(example_config()) == []


def test_the_shipped_schemas_use_only_what_the_validator_supports() -> None:
    for name in (SEGMENTS_SCHEMA, CONFIG_SCHEMA):
        Schema.load(name)
    with pytest.raises(ValueError, match="'patternProperties' is not supported"):
        Schema({"patternProperties": {}})
    with pytest.raises(ValueError, match="format 'email'"):
        Schema({"format": "email"})


def test_a_non_semver_key_is_an_error_on_its_line() -> None:
    config = example_config()
    config["versions"]["v2.0"] = config["versions"].pop("2.0.0")
    text = dump(config)
    findings = check_config(load_json(text, "config.json"))
    assert messages(findings) == [
        '/versions/v2.0: key "v2.0" is not a SemVer version such as 1.2.3'
    ]
    line = next(n for n, content in enumerate(text.splitlines(), 1) if '"v2.0": {' in content)
    assert findings[0].location.line == line
    assert findings[0].location.file == "config.json"


def test_an_unknown_channel_is_an_error() -> None:
    config = example_config()
    config["versions"]["2.0.0"]["channels"]["nightly"] = None
    assert messages(config_findings(config)) == [
        '/versions/2.0.0/channels/nightly: unknown key "nightly" (allowed: latest, rc, beta)'
    ]


def test_a_missing_min_compatible_version_is_an_error_in_either_file() -> None:
    config = example_config()
    del config["versions"]["2.0.0"]["minCompatibleVersion"]
    assert messages(config_findings(config)) == [
        '/versions/2.0.0: is missing "minCompatibleVersion"'
    ]
    segments = example_segments()
    del segments["segments"][0]["minCompatibleVersion"]
    assert messages(segment_findings(segments)) == [
        '/segments/0: is missing "minCompatibleVersion"'
    ]


def test_channel_slots_must_be_null_or_a_version_with_feed_urls() -> None:
    config = example_config()
    config["versions"]["2.0.0"]["channels"]["rc"] = 3
    config["versions"]["2.0.0"]["channels"]["beta"] = {"version": "two"}
    assert messages(config_findings(config)) == [
        "/versions/2.0.0/channels/rc: must be null or object, not integer",
        '/versions/2.0.0/channels/beta: is missing "feedUrls"',
        '/versions/2.0.0/channels/beta/version: "two" is not a SemVer version such as 1.2.3',
    ]


def test_hand_made_entries_without_metadata_are_valid() -> None:
    config = {
        "versions": {
            "1.6.7": {
                "minCompatibleVersion": "1.0.0",
                "channels": {"latest": {"version": "1.6.7", "feedUrls": {"github": "https://x"}}},
            }
        }
    }
    assert config_findings(config) == []


def test_two_entries_of_one_segment_are_an_error() -> None:
    config = example_config()
    config["versions"]["2.1.5"] = config["versions"]["2.1.6"]
    assert messages(config_findings(config)) == [
        "/versions/2.1.5/metadata/segmentId: segment current-v2 owns two entries, 2.1.6 and 2.1.5; "
        "the sync would not know which to update"
    ]


def test_duplicate_json_keys_are_errors() -> None:
    text = (
        '{"versions": {"1.0.0": {"minCompatibleVersion": "1.0.0", "channels": {}},\n'
        '"1.0.0": {"minCompatibleVersion": "1.0.0", "channels": {}}}}'
    )
    findings = check_config(load_json(text, "c.json"))
    assert messages(findings) == ["/versions/1.0.0: duplicate key"]
    assert (findings[0].location.line, findings[0].location.col) == (2, 1)


def test_duplicate_segment_ids_are_an_error() -> None:
    segments = example_segments()
    segments["segments"][2]["id"] = "legacy-v1"
    assert messages(segment_findings(segments)) == [
        "/segments/2/id: duplicate segment id 'legacy-v1' (also segment 0)"
    ]


def test_a_locked_version_outside_its_match_is_an_error() -> None:
    segments = example_segments()
    segments["segments"][1]["lockedVersion"] = "2.0.1"
    assert messages(segment_findings(segments)) == [
        "/segments/1/lockedVersion: lockedVersion 2.0.1 is not matched by the segment's own "
        "match rule"
    ]


def test_exact_versions_and_locks_must_be_plain_x_y_z() -> None:
    segments = example_segments()
    segments["segments"][1]["match"]["exact"] = ["2.0.0-rc.1"]
    segments["segments"][1]["lockedVersion"] = "2.0.0-rc.1"
    assert messages(segment_findings(segments)) == [
        "/segments/1/match/exact/0: '2.0.0-rc.1' must be X.Y.Z: prereleases match on their "
        "base version",
        "/segments/1/lockedVersion: 2.0.0-rc.1 must be X.Y.Z",
    ]


def test_a_bad_range_is_an_error() -> None:
    segments = example_segments()
    segments["segments"][0]["match"]["range"] = ">=1.0.0 <<2"
    assert messages(segment_findings(segments)) == [
        '/segments/0/match/range: ">=1.0.0 <<2" is not a semver range such as >=1.0.0 <2.0.0'
    ]


def test_a_rule_that_can_never_match_is_a_warning() -> None:
    segments = example_segments()
    segments["segments"][0]["match"] = {"excludeExact": ["1.0.0"]}
    assert messages(segment_findings(segments), "warning") == [
        "/segments/0/match: has neither range nor exact, so it never matches"
    ]


def test_templates_must_name_declared_mirrors_and_known_placeholders() -> None:
    segments = example_segments()
    segments["segments"][2]["channelTemplates"] = {
        "latest": {"feedTemplates": {"s3": "https://s3/{{tag}}", "github": "https://gh/{{ref}}"}}
    }
    assert messages(segment_findings(segments)) == [
        "/segments/2/channelTemplates/latest/feedTemplates/s3: mirror 's3' is not declared in "
        "mirrors (declared: github, gitcode)",
        "/segments/2/channelTemplates/latest/feedTemplates/github: unknown placeholder {{ref}} "
        "(use {{tag}}, {{version}})",
    ]


def test_without_mirrors_only_github_templates_are_allowed() -> None:
    segments = {
        "segments": [
            {
                "id": "a",
                "match": {"range": "*"},
                "minCompatibleVersion": "1.0.0",
                "channelTemplates": {
                    "latest": {"feedTemplates": {"gitcode": "https://gc/{{tag}}"}}
                },
            }
        ]
    }
    assert messages(segment_findings(segments)) == [
        "/segments/0/channelTemplates/latest/feedTemplates/gitcode: mirror 'gitcode' is not "
        "declared in mirrors (declared: github)"
    ]


def test_prerelease_templates_of_a_mirror_without_prereleases_are_flagged_as_ignored() -> None:
    segments = example_segments()
    segments["segments"][2]["channelTemplates"] = {
        "rc": {"feedTemplates": {"gitcode": "https://gitcode.com/x/{{tag}}"}}
    }
    assert messages(segment_findings(segments)) == []
    assert messages(segment_findings(segments), "warning") == [
        "/segments/2/channelTemplates/rc/feedTemplates/gitcode: ignored: mirror gitcode has "
        "prereleases: false, so rc uses the primary mirror's URL"
    ]


def test_the_primary_mirror_must_carry_prereleases_and_needs_no_fallback() -> None:
    segments: dict[str, Any] = example_segments()
    segments["mirrors"] = {
        "gitcode": segments["mirrors"]["gitcode"],
        "github": segments["mirrors"]["github"],
    }
    findings = segment_findings(segments)
    assert messages(findings) == [
        "/mirrors/gitcode/prereleases: the primary (first) mirror must carry prereleases: "
        "the others borrow its URLs"
    ]
    assert messages(findings, "warning") == [
        "/mirrors/gitcode/fallback: the primary mirror's fallback is never used: "
        "the primary must be ready"
    ]


def test_every_mirror_needs_a_template_for_every_channel() -> None:
    segments = example_segments()
    del segments["mirrors"]["github"]["feedTemplate"]
    segments["segments"] = segments["segments"][:1]
    segments["segments"][0]["channelTemplates"] = {
        "latest": {"feedTemplates": {"github": "https://gh/{{tag}}"}}
    }
    assert messages(segment_findings(segments)) == [
        "/segments/0: no feed template for mirror github on channel rc: set "
        "mirrors.github.feedTemplate or channelTemplates.rc",
        "/segments/0: no feed template for mirror github on channel beta: set "
        "mirrors.github.feedTemplate or channelTemplates.beta",
    ]


def test_unknown_keys_in_the_segments_file_are_errors_but_kept_in_the_config() -> None:
    segments = example_segments()
    segments["segments"][0]["lockedversion"] = "1.7.0"
    assert messages(segment_findings(segments)) == [
        '/segments/0/lockedversion: unknown key "lockedversion" (allowed: id, type, match, '
        "lockedVersion, minCompatibleVersion, description, channelTemplates)"
    ]
    config = example_config()
    config["anything"] = {"kept": True}
    assert config_findings(config) == []


def test_malformed_json_has_line_and_column() -> None:
    with pytest.raises(ReleaseActionsError) as caught:
        load_json('{\n  "segments": [\n    {"id": "a",}\n  ]\n}\n', "s.json")
    location = caught.value.location
    assert location is not None and (location.line, location.col) == (3, 16)


def test_locations_point_at_the_nearest_existing_ancestor() -> None:
    doc = load_json(json.dumps({"a": {"b": [1, {"c": 2}]}}, indent=2), "x.json")
    assert doc.location(("a", "b", 1, "c")).line == 6
    assert doc.location(("a", "b", 1, "missing")).line == 5
    assert doc.location(("nope",)).line == 1
