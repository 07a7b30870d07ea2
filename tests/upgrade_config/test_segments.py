from __future__ import annotations

from typing import Any

import pytest

from release_actions.upgrade_config.segments import (
    build_segments_file,
    default_feed_template,
    select_segment,
)
from release_actions.versions import Version

from . import anchor
from .helpers import example_segments


def segment_for(version: str, data: dict[str, Any] | None = None) -> str | None:
    model = build_segments_file(data or example_segments())
    chosen = select_segment(model.segments, Version.parse(version))
    return chosen.id if chosen else None


@pytest.mark.parametrize(
    ("version", "segment"),
    [
        ("1.0.0", "legacy-v1"),
        ("1.7.23", "legacy-v1"),
        ("1.7.0-rc.3", "legacy-v1"),
        ("2.0.0", "gateway-v2"),
        ("2.0.1", "current-v2"),
        ("2.9.9-beta.1", "current-v2"),
        ("0.9.0", None),
        ("3.0.0", None),
    ],
)
def test_segments_on_the_example_file(version: str, segment: str | None) -> None:
    assert segment_for(version) == segment


@pytest.mark.parametrize(
    ("version", "anchor_segment", "segment"),
    [
        ("2.0.0-beta.1", "legacy-v1", "gateway-v2"),
        ("2.0.0-rc.2", "legacy-v1", "gateway-v2"),
        ("3.0.0-rc.1", "current-v2", None),
    ],
)
def test_prereleases_match_on_their_base_version(
    version: str, anchor_segment: str, segment: str | None
) -> None:
    # the anchor's failure mode: includePrerelease puts 2.0.0-beta.1 below <2.0.0
    assert anchor.select_segment(example_segments()["segments"], version) == anchor_segment
    assert segment_for(version) == segment


def rules(*matches: dict[str, Any]) -> dict[str, Any]:
    return {
        "segments": [
            {"id": f"s{index}", "match": match, "minCompatibleVersion": "1.0.0"}
            for index, match in enumerate(matches)
        ]
    }


def test_exact_beats_exclude_exact_and_range() -> None:
    data = rules({"range": ">=5.0.0", "exact": ["1.2.3"], "excludeExact": ["1.2.3"]})
    assert segment_for("1.2.3", data) == "s0"


def test_exact_with_a_range_means_exact_only() -> None:
    data = rules({"range": ">=1.0.0 <2.0.0", "exact": ["1.2.3"]})
    assert segment_for("1.2.3", data) == "s0"
    assert segment_for("1.2.4", data) is None


def test_exclude_exact_vetoes_a_range_match() -> None:
    data = rules({"range": ">=2.0.0 <3.0.0", "excludeExact": ["2.0.0"]})
    assert segment_for("2.0.0", data) is None
    assert segment_for("2.0.1", data) == "s0"


def test_a_rule_with_neither_range_nor_exact_never_matches() -> None:
    data = rules({}, {"excludeExact": ["1.0.0"]}, {"range": "*"})
    assert segment_for("1.5.0", data) == "s2"


def test_first_match_in_file_order_wins() -> None:
    data = rules({"range": ">=1.0.0"}, {"exact": ["1.5.0"]})
    assert segment_for("1.5.0", data) == "s0"


def test_without_mirrors_the_primary_is_github_with_the_repository_template() -> None:
    template = default_feed_template("https://ghe.example", "org/app")
    assert template == "https://ghe.example/org/app/releases/download/{{tag}}"
    model = build_segments_file(rules({"range": "*"}), default_template=template)
    assert [(m.name, m.feed_template, m.prereleases) for m in model.mirrors] == [
        ("github", template, True)
    ]
    assert default_feed_template("https://github.com", "") is None


def test_mirrors_keep_their_file_order_and_the_first_is_primary() -> None:
    model = build_segments_file(example_segments())
    assert [m.name for m in model.mirrors] == ["github", "gitcode"]
    assert model.primary.name == "github"
    gitcode = model.mirrors[1]
    assert (gitcode.prereleases, gitcode.fallback) == (False, "https://releases.cherry-ai.com")
