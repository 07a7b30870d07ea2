"""The sync decision, pure: old config + segments + release → plan → new config.

Network (feed probes), files and clocks stay outside; they reach here as plain values.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ReleaseActionsError
from ..versions import Version, is_semver, parse_version
from .document import JsonDocument
from .model import CHANNELS, ReleaseTag, Segment, SegmentsFile
from .segments import select_segment


@dataclass(frozen=True)
class Plan:
    segment: Segment
    release: ReleaseTag
    existing_key: str | None
    target_key: str


@dataclass(frozen=True)
class Skip:
    """The release is older than what its segment's entry already holds: nothing is written."""

    reason: str
    segment: str
    entry_key: str


def versions_of(config: Mapping[str, Any]) -> dict[str, Any]:
    versions = config.get("versions")
    return dict(versions) if isinstance(versions, dict) else {}


def owner_of(entry: Any) -> str | None:
    metadata = entry.get("metadata") if isinstance(entry, dict) else None
    owner = metadata.get("segmentId") if isinstance(metadata, dict) else None
    return owner if isinstance(owner, str) else None


def plan_update(
    config: JsonDocument,
    segments_doc: JsonDocument,
    segments: SegmentsFile,
    release: ReleaseTag,
) -> Plan | Skip:
    """Which entry the release goes to, or why it must not be written."""
    channel = release.channel
    assert channel is not None, "an unmapped label is skipped before planning"
    segment = select_segment(segments.segments, release.version)
    if segment is None:
        raise ReleaseActionsError(
            f"no upgrade segment matches {release.base} (from {release.tag}); "
            "add one to the segments file",
            location=segments_doc.location(("segments",)),
        )
    locked = segment.locked_version
    if locked is not None and locked != release.base:
        raise ReleaseActionsError(
            f"segment {segment.id} is locked to {locked}, but received {release.version}",
            location=segments_doc.location(("segments", segment.index, "lockedVersion")),
        )
    versions = versions_of(config.value)
    existing_key = next((key for key, e in versions.items() if owner_of(e) == segment.id), None)
    if locked is not None:
        target_key = str(locked)
    elif channel == "latest":
        target_key = str(release.version)
    elif existing_key is not None:
        target_key = existing_key
    else:
        target_key = str(release.base)

    if existing_key is not None:
        reason = _downgrade(versions[existing_key], existing_key, target_key, release)
        if reason:
            return Skip(reason, segment.id, existing_key)
    if target_key in versions and target_key != existing_key:
        owner = owner_of(versions[target_key])
        held_by = f"segment {owner}" if owner else "a hand-made entry without metadata.segmentId"
        adopt = f'"metadata": {{"segmentId": "{segment.id}"}}'
        hint = "" if owner else f"; to let segment {segment.id} own it, add {adopt}"
        raise ReleaseActionsError(
            f"entry {target_key} already belongs to {held_by}, not to {segment.id}{hint}",
            location=config.location(("versions", target_key)),
        )
    return Plan(segment, release, existing_key, target_key)


def _downgrade(entry: Any, existing_key: str, target_key: str, release: ReleaseTag) -> str | None:
    channel = release.channel
    assert channel is not None
    channels = entry.get("channels") if isinstance(entry, dict) else None
    slot = channels.get(channel) if isinstance(channels, dict) else None
    current = slot.get("version") if isinstance(slot, dict) else None
    # Plain SemVer, as clients compare: a client on 2.2.0-beta.3 is not offered 2.2.0-BETA.4.
    if isinstance(current, str) and is_semver(current) and parse_version(current) > release.version:
        reason = (
            f"channel {channel} of entry {existing_key} already has {current}, "
            f"newer than {release.version}"
        )
        if _label(current) != _label(str(release.version)) and (
            _label(current).lower() == _label(str(release.version)).lower()
        ):
            reason += (
                " (SemVer compares prerelease labels by ASCII, where upper case sorts first, "
                "so clients would not take it as an update; spell the label as before)"
            )
        return reason
    # The one deliberate exception to "a stable release never renames a key downwards": a key
    # set by a stable release only moves up, but a key taken from a prerelease's base version
    # (the entry holds no latest yet) may be renamed down to a lower stable. 2.1.0-rc.1 keys
    # its entry 2.1.0; without this, the hotfix 2.0.1 would be skipped until 2.1.0 ships, and
    # clients on 2.0.0 would never be offered it. The rc stays in the renamed entry.
    has_latest = isinstance(channels, dict) and channels.get("latest") is not None
    if (
        channel == "latest"
        and has_latest
        and target_key != existing_key
        and is_semver(existing_key)
        and parse_version(existing_key) > release.version
    ):
        return f"entry {existing_key} would be renamed down to {target_key}"
    return None


def _label(version: str) -> str:
    """The first prerelease identifier of a SemVer string: ``beta`` of ``2.2.0-beta.3+b``."""
    return version.partition("-")[2].partition("+")[0].partition(".")[0]


def apply_update(
    config: Mapping[str, Any], plan: Plan, feed_urls: Mapping[str, str], timestamp: str
) -> tuple[dict[str, Any], bool]:
    """The new config document, and whether its content differs from the old one.

    When nothing but ``lastUpdated`` would change, the old document is returned as it was.
    """
    versions = versions_of(config)
    segment, release = plan.segment, plan.release
    existing = versions.get(plan.existing_key) if plan.existing_key is not None else None
    entry: dict[str, Any]
    if isinstance(existing, dict):
        entry = copy.deepcopy(existing)
    else:
        entry = {"minCompatibleVersion": "", "description": "", "channels": {}}
    old_channels = entry.get("channels")
    if not isinstance(old_channels, dict):
        old_channels = {}
    channels: dict[str, Any] = {name: old_channels.get(name) for name in CHANNELS}
    channels[str(release.channel)] = {"version": str(release.version), "feedUrls": dict(feed_urls)}
    entry["channels"] = channels
    metadata: dict[str, str] = {"segmentId": segment.id}
    if segment.type is not None:
        metadata["segmentType"] = segment.type
    entry["metadata"] = metadata
    entry["minCompatibleVersion"] = segment.min_compatible_version
    entry["description"] = segment.description

    if plan.existing_key is not None and plan.existing_key != plan.target_key:
        del versions[plan.existing_key]
    versions[plan.target_key] = entry
    new_versions = dict(
        sorted(versions.items(), key=lambda item: Version.parse(item[0]), reverse=True)
    )
    if new_versions == versions_of(config) and "versions" in config:
        return dict(config), False
    document = dict(config)
    document["lastUpdated"] = timestamp
    document["versions"] = new_versions
    return document, True
