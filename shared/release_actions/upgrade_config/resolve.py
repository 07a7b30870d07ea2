"""The client's matcher (``_findCompatibleChannel``, anchor v2), to check an upgrade path.

Two corrections to the anchor: a beta request also takes a newer rc of the same entry, and a
missing channel key is read as null instead of crashing the update check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..versions import Version, is_semver, parse_version
from .model import Channel


@dataclass(frozen=True)
class Resolution:
    entry_key: str
    channel: Channel  # the channel whose <channel>.yml the client must read
    version: str
    feed_urls: Mapping[str, str]

    def feed_url(self, mirror: str | None) -> str | None:
        if mirror is None:
            return next(iter(self.feed_urls.values()), None)
        return self.feed_urls.get(mirror)


def _slot(channels: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    value = channels.get(name)
    return value if isinstance(value, dict) else None


def _newer(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether slot ``a`` holds a newer version than slot ``b`` (a null slot is oldest)."""
    if a is None:
        return False
    return b is None or parse_version(a["version"]) > parse_version(b["version"])


def find_compatible_channel(
    config: Mapping[str, Any], current: Version, requested: Channel
) -> Resolution | None:
    versions: Mapping[str, Any] = config.get("versions") or {}
    keys = sorted((k for k in versions if is_semver(k)), key=Version.parse, reverse=True)
    for key in keys:
        entry = versions[key]
        if current < parse_version(entry["minCompatibleVersion"]):
            continue
        channels: Mapping[str, Any] = entry.get("channels") or {}
        latest = _slot(channels, "latest")
        chosen: Channel = requested
        slot = _slot(channels, requested)
        if requested == "beta" and _newer(_slot(channels, "rc"), slot):
            chosen, slot = "rc", _slot(channels, "rc")
        if requested != "latest" and latest is not None and not _newer(slot, latest):
            # ties go to latest; a null rc/beta slot falls back to latest (PR #13884)
            chosen, slot = "latest", latest
        if slot is None:
            continue
        return Resolution(key, chosen, str(slot["version"]), dict(slot.get("feedUrls") or {}))
    return None
