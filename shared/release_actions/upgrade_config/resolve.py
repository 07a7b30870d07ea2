"""What a client of a version and channel is offered: the deployed matcher, or our recommendation.

``client`` is Cherry Studio's ``_findCompatibleChannel`` as deployed since PR #13884, exactly: it
predicts what shipped clients do, including where they throw. ``recommended`` is the matcher we
would ship: a beta request also takes a newer rc of the same entry (correction 1), and a missing
channel key reads as null instead of failing the update check (correction 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ReleaseActionsError
from ..versions import Version, parse_version
from .document import JsonPath
from .model import Channel

Matcher = Literal["client", "recommended"]
MATCHERS: tuple[Matcher, ...] = ("client", "recommended")


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


class ClientWouldThrow(ReleaseActionsError):
    """The deployed client throws on this config, so its update check fails."""

    def __init__(self, message: str, path: JsonPath) -> None:
        super().__init__(message)
        self.path = path


def find_compatible_channel(
    config: Mapping[str, Any], current: Version, requested: Channel, matcher: Matcher = "client"
) -> Resolution | None:
    """The entry and channel offered to a client on ``current`` asking for ``requested``.

    ``config`` passed the config schema: keys, minimums and slot versions are SemVer, slots are
    objects or null. Only a missing channel key gets past it, and that is where ``client``
    raises :class:`ClientWouldThrow`.
    """
    versions: Mapping[str, Any] = config.get("versions") or {}
    for key in sorted(versions, key=Version.parse, reverse=True):
        entry = versions[key]
        if current < parse_version(entry["minCompatibleVersion"]):
            continue
        channels: Mapping[str, Any] = entry["channels"]
        if matcher == "client":
            found = _client_pick(key, channels, requested)
        else:
            found = _recommended_pick(channels, requested)
        if found is not None:
            channel, slot = found
            return Resolution(key, channel, str(slot["version"]), dict(slot["feedUrls"]))
    return None


def _client_pick(
    key: str, channels: Mapping[str, Any], requested: Channel
) -> tuple[Channel, Mapping[str, Any]] | None:
    """One entry as the deployed client reads it.

    ``ch !== null`` holds for a missing key (undefined), and the client then reads ``.version``
    or ``.feedUrls`` of undefined; the fallback to latest does the same with a missing latest.
    The rc slot is never consulted for a beta request.
    """
    if requested not in channels:
        raise _missing_key(key, requested)
    wanted, latest = channels[requested], channels.get("latest")
    if wanted is not None:
        if (
            requested != "latest"
            and latest  # undefined and null are both falsy here
            and parse_version(latest["version"]) >= parse_version(wanted["version"])
        ):
            return "latest", latest
        return requested, wanted
    if requested != "latest":
        if "latest" not in channels:
            raise _missing_key(key, "latest")
        if latest is not None:  # the PR #13884 fallback
            return "latest", latest
    return None


def _missing_key(key: str, channel: Channel) -> ClientWouldThrow:
    return ClientWouldThrow(
        f"entry {key} has no channels.{channel} key: the deployed client reads it as "
        "undefined and throws a TypeError, so its update check fails "
        f'(write "{channel}": null; --matcher recommended reads it as null)',
        ("versions", key, "channels"),
    )


def _recommended_pick(
    channels: Mapping[str, Any], requested: Channel
) -> tuple[Channel, Mapping[str, Any]] | None:
    latest = channels.get("latest")
    chosen: Channel = requested
    slot = channels.get(requested)
    if requested == "beta" and _newer(channels.get("rc"), slot):  # correction 1
        chosen, slot = "rc", channels.get("rc")
    if requested != "latest" and latest is not None and not _newer(slot, latest):
        # ties go to latest; a null rc/beta slot falls back to latest (PR #13884)
        chosen, slot = "latest", latest
    return None if slot is None else (chosen, slot)


def _newer(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether slot ``a`` holds a newer version than slot ``b`` (a null slot is oldest)."""
    if a is None:
        return False
    return b is None or parse_version(a["version"]) > parse_version(b["version"])
