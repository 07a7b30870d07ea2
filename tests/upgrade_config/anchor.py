"""The anchor's behaviour, transliterated from the reference (section 2 and 5), for tests that
show each correction's failure mode side by side with ours. Not product code."""

from __future__ import annotations

import copy
from typing import Any

from release_actions.upgrade_config.ranges import satisfies
from release_actions.versions import Version


def matches_segment(segment: dict[str, Any], version: str) -> bool:
    """``matchesSegment``: asked about the full version, prereleases included."""
    rule = segment.get("match", {})
    if version in rule.get("exact", []):
        return True
    if version in rule.get("excludeExact", []):
        return False
    if rule.get("range") and not satisfies(Version.parse(version), rule["range"]):
        return False
    if rule.get("exact"):
        return False
    return bool(rule.get("range"))


def select_segment(segments: list[dict[str, Any]], version: str) -> str | None:
    return next((s["id"] for s in segments if matches_segment(s, version)), None)


def update_versions(
    versions: dict[str, Any],
    segment: dict[str, Any],
    version: str,
    channel: str,
    feeds: dict[str, str],
) -> dict[str, Any]:
    """``updateVersions``: no monotonic guard, silent overwrite of the target key."""
    versions = dict(versions)
    existing_key = next(
        (
            k
            for k, e in versions.items()
            if (e.get("metadata") or {}).get("segmentId") == segment["id"]
        ),
        None,
    )
    parsed = Version.parse(version)
    if segment.get("lockedVersion"):
        target = segment["lockedVersion"]
    elif channel == "latest":
        target = version
    elif existing_key:
        target = existing_key
    else:
        target = f"{parsed.major}.{parsed.minor}.{parsed.patch}"
    entry = (
        copy.deepcopy(versions[existing_key])
        if existing_key
        else {"minCompatibleVersion": "", "description": "", "channels": {}}
    )
    channels = entry.get("channels", {})
    entry["channels"] = {c: channels.get(c) for c in ("latest", "rc", "beta")}
    entry["channels"][channel] = {"version": version, "feedUrls": feeds}
    if existing_key and existing_key != target:
        del versions[existing_key]
    entry["metadata"] = {"segmentId": segment["id"], "segmentType": segment.get("type")}
    versions[target] = entry
    return dict(sorted(versions.items(), key=lambda kv: Version.parse(kv[0]), reverse=True))


def find_compatible_channel(config: dict[str, Any], current: str, requested: str) -> Any:
    """``_findCompatibleChannel`` v2 (after PR #13884), crashes included."""
    keys = sorted(config["versions"], key=Version.parse, reverse=True)
    for key in keys:
        entry = config["versions"][key]
        if Version.parse(current) < Version.parse(entry["minCompatibleVersion"]):
            continue
        channels = entry["channels"]
        if requested not in channels:  # undefined counts as present, then .version throws
            raise TypeError("Cannot read properties of undefined (reading 'version')")
        ch = channels[requested]
        lt = channels.get("latest")
        if ch is not None:
            if (
                requested != "latest"
                and lt
                and Version.parse(lt["version"]) >= Version.parse(ch["version"])
            ):
                return {"config": lt, "channel": "latest"}
            return {"config": ch, "channel": requested}
        if requested != "latest" and "latest" not in channels:
            raise TypeError("config undefined")
        if requested != "latest" and lt is not None:
            return {"config": lt, "channel": "latest"}
    return None
