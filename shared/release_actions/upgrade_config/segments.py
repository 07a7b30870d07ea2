"""Segments: which hop of the upgrade path a version belongs to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..versions import Version, base_version, parse_version
from .model import DEFAULT_PROBE_FILES, MatchRule, Mirror, Segment, SegmentsFile
from .ranges import parse_range

DEFAULT_MIRROR_NAME = "github"


def default_feed_template(server_url: str, repository: str) -> str | None:
    """The primary mirror used when a segments file declares none: the repository's releases."""
    if not (server_url and repository):
        return None
    return f"{server_url.rstrip('/')}/{repository}/releases/download/{{{{tag}}}}"


def matches(segment: Segment, version: Version) -> bool:
    """The anchor's ``matchesSegment``, asked about the base version X.Y.Z.

    ``exact`` wins over ``excludeExact`` and ``range``; with ``exact`` set, ``range`` never widens
    the match; a rule with neither ``range`` nor ``exact`` never matches.
    """
    rule = segment.match
    if version in rule.exact:
        return True
    if version in rule.exclude_exact:
        return False
    if rule.range is not None and not parse_range(rule.range).contains(version):
        return False
    if rule.exact:
        return False
    return rule.range is not None


def select_segment(segments: Sequence[Segment], version: Version) -> Segment | None:
    """The first segment, in file order, that accepts the base version of ``version``."""
    base = base_version(version)
    return next((segment for segment in segments if matches(segment, base)), None)


def build_segments_file(
    data: Mapping[str, Any], *, default_template: str | None = None
) -> SegmentsFile:
    """Build the model from data that already passed the schema."""
    mirrors_data: Mapping[str, Any] | None = data.get("mirrors")
    if mirrors_data:
        mirrors = tuple(_mirror(name, spec) for name, spec in mirrors_data.items())
    else:
        mirrors = (Mirror(DEFAULT_MIRROR_NAME, feed_template=default_template),)
    segments = tuple(_segment(index, spec) for index, spec in enumerate(data["segments"]))
    return SegmentsFile(segments=segments, mirrors=mirrors)


def _mirror(name: str, spec: Mapping[str, Any]) -> Mirror:
    return Mirror(
        name=name,
        feed_template=spec.get("feedTemplate"),
        prereleases=spec.get("prereleases", True),
        fallback=spec.get("fallback"),
        probe_files=tuple(spec.get("probeFiles", DEFAULT_PROBE_FILES)),
    )


def _segment(index: int, spec: Mapping[str, Any]) -> Segment:
    match = spec.get("match", {})
    locked = spec.get("lockedVersion")
    templates = {
        channel: dict(template.get("feedTemplates", {}))
        for channel, template in spec.get("channelTemplates", {}).items()
    }
    return Segment(
        id=spec["id"],
        type=spec.get("type"),
        match=MatchRule(
            range=match.get("range"),
            exact=tuple(parse_version(v) for v in match.get("exact", ())),
            exclude_exact=tuple(parse_version(v) for v in match.get("excludeExact", ())),
        ),
        locked_version=parse_version(locked) if locked is not None else None,
        min_compatible_version=spec["minCompatibleVersion"],
        description=spec.get("description", ""),
        channel_templates=templates,
        index=index,
    )
