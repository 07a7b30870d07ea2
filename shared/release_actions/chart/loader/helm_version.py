"""Chart version order as Helm sorts an index (Masterminds semver, newest first).

Helm parses versions leniently (``v1.2``, ``1.2``), so the strict :mod:`release_actions.versions`
would refuse versions that real indexes hold; this module orders them as Helm does instead.
"""

from __future__ import annotations

import re

_LOOSE_SEMVER = re.compile(
    # At most 20 digits, Helm's uint64: Python refuses to int() more than 4300.
    r"v?(?P<major>[0-9]{1,20})(?:\.(?P<minor>[0-9]{1,20}))?(?:\.(?P<patch>[0-9]{1,20}))?"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)

PrereleasePart = tuple[int, int, str]
VersionKey = tuple[int, int, int, int, tuple[PrereleasePart, ...]]


def version_key(version: str) -> VersionKey | None:
    """A sort key with Helm's precedence, or ``None`` when Helm could not parse ``version``.

    Build metadata does not count, a release is above its prereleases, and numeric prerelease
    identifiers are below alphanumeric ones.
    """
    match = _LOOSE_SEMVER.fullmatch(version)
    if match is None:
        return None
    major, minor, patch = (int(match.group(part) or 0) for part in ("major", "minor", "patch"))
    prerelease = match.group("pre")
    if prerelease is None:
        return (major, minor, patch, 1, ())
    identifiers = prerelease.split(".")
    if any(part.isdigit() and len(part) > 20 for part in identifiers):
        return None
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in identifiers)
    return (major, minor, patch, 0, parts)


def is_newer(version: str, than: str) -> bool:
    """Whether ``version`` goes before ``than`` in a newest-first index list.

    A version Helm cannot parse goes last, after every version it can.
    """
    mine, theirs = version_key(version), version_key(than)
    if mine is None:
        return False
    if theirs is None:
        return True
    return mine > theirs
