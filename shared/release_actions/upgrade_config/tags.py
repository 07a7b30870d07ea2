"""Release tag → version and channel, read as loosely as node-semver's ``clean(tag, loose)``."""

from __future__ import annotations

import re

from ..errors import ReleaseActionsError
from ..versions import Version, normalize_tag, strip_tag_ref
from .model import Channel, ReleaseTag

# node-semver's LOOSE grammar: extra leading "v"/"=", leading zeros, an optional hyphen before
# the prerelease. Build metadata is accepted and dropped, as clean() drops it.
# ASCII digits only (``\d`` takes ``٢`` and ``２``), at most 20 to a number: int() refuses more
# than 4300, and no release number needs more than a uint64.
_NUMBER = r"[0-9]{1,20}"
_IDENTIFIER = rf"(?:{_NUMBER}|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*)"
_LOOSE = re.compile(
    rf"[v=\s]*(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-?(?P<prerelease>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?",
    re.ASCII,
)
_CHANNEL_LABELS: dict[str, Channel] = {"rc": "rc", "beta": "beta"}


def parse_loose_version(text: str) -> Version | None:
    """``v01.02.03`` → 1.2.3, ``1.2.3beta.1`` → 1.2.3-beta.1, ``1.2.3+b.5`` → 1.2.3.

    The prerelease keeps its case (``1.2.3-BETA.4`` stays so): clients compare versions by
    SemVer, where ``BETA`` and ``beta`` differ, so a stored version must be the one they run.
    """
    match = _LOOSE.fullmatch(normalize_tag(text))
    if match is None:
        return None
    prerelease = match.group("prerelease")
    if prerelease is not None:
        prerelease = ".".join(
            str(int(part)) if part.isdigit() else part for part in prerelease.split(".")
        )
    return Version(
        int(match.group("major")), int(match.group("minor")), int(match.group("patch")), prerelease
    )


def channel_of(version: Version) -> Channel | None:
    """The first prerelease identifier, lower-cased, names the channel; none means ``latest``."""
    if version.prerelease is None:
        return "latest"
    label = str(version.prerelease).split(".", 1)[0].lower()
    return _CHANNEL_LABELS.get(label)


def parse_release_tag(raw: str) -> ReleaseTag:
    if not raw.strip():
        raise ReleaseActionsError("a release tag is required")
    version = parse_loose_version(raw)
    if version is None:
        raise ReleaseActionsError(f"tag {raw.strip()!r} is not a valid semantic version")
    return ReleaseTag(raw=raw, tag=strip_tag_ref(raw), version=version, channel=channel_of(version))


def skip_reason(release: ReleaseTag, is_prerelease: bool | None) -> str | None:
    """Why this release does not sync, or ``None`` when it does."""
    if release.channel is None:
        label = str(release.version.prerelease).split(".", 1)[0]
        return (
            f"tag {release.tag} has prerelease label {label!r}, "
            "which maps to no channel (only rc and beta do)"
        )
    if is_prerelease is True and release.channel == "latest":
        return f"release is marked as a prerelease, but {release.tag} has no rc or beta label"
    if is_prerelease is False and release.channel != "latest":
        return (
            f"release is not marked as a prerelease, but {release.tag} "
            f"is a {release.channel} version"
        )
    return None


def safe_tag(tag: str) -> str:
    """The tag made safe for a branch name, as the anchor workflow does it."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", strip_tag_ref(tag))
