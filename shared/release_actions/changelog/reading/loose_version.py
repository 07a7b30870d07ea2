"""Versions as changelogs write them: 2–4 numeric parts, SemVer or PEP 440 prereleases, Unreleased.

Strict SemVer (``versions.parse_version``) rejects ``v2.2``, ``v1.0.1.1`` and ``2.0.0.dev5``, which
real changelogs use, so headings are read leniently here. Prerelease precedence still comes from
``semver``: PEP 440 spellings are rewritten to SemVer identifiers (``rc1`` → ``rc.1``) first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import zip_longest

import semver

from ...versions import has_oversized_number, normalize_tag

UNRELEASED = "unreleased"

# No backtracking risk: every part is anchored by a literal dot or dash. ASCII digits only
# (``\d`` takes ``٢`` and ``２``), at most 20 to a number (int() refuses more than 4300).
VERSION_TOKEN = (
    r"[vV]?[0-9]{1,20}(?:\.[0-9]{1,20}){1,3}"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
    r"|\.?(?:alpha|beta|preview|pre|rc|dev|post|a|b|c)\.?[0-9]{0,20}"
    r"(?:\.?(?:dev|post)\.?[0-9]{0,20})?)?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
    r"(?![0-9A-Za-z_])(?!\.[0-9])"
)
_TOKEN = re.compile(VERSION_TOKEN)
_PARTS = re.compile(
    r"[vV]?(?P<release>[0-9]+(?:\.[0-9]+){1,3})"
    r"(?:-(?P<semver_pre>[0-9A-Za-z.-]+)|\.?(?P<pep_pre>[A-Za-z][0-9A-Za-z.]*))?"
    r"(?:\+(?P<build>[0-9A-Za-z.-]+))?"
)
_PEP440_PIECE = re.compile(r"\.?(?P<label>[A-Za-z]+)\.?(?P<number>[0-9]*)")
_PEP440_SPELLINGS = {"c": "rc", "preview": "rc", "pre": "rc"}


@dataclass(frozen=True)
class LooseVersion:
    """A version read from a heading or a tag. ``release`` is empty for ``Unreleased``."""

    text: str
    release: tuple[int, ...]
    prerelease: str = ""
    build: str = ""

    @property
    def unreleased(self) -> bool:
        return not self.release

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    @property
    def key(self) -> str:
        """The normalised spelling: no ``v``, SemVer prerelease, lower-case ``unreleased``."""
        if self.unreleased:
            return UNRELEASED
        core = ".".join(str(part) for part in self.release)
        return f"{core}-{self.prerelease}" if self.prerelease else core

    @property
    def major(self) -> int:
        return self.release[0] if self.release else 0

    @property
    def minor(self) -> int:
        return self.release[1] if len(self.release) > 1 else 0

    @property
    def patch(self) -> int:
        return self.release[2] if len(self.release) > 2 else 0

    @property
    def final(self) -> LooseVersion:
        """The release this version leads to: ``1.2.0-rc.1`` → ``1.2.0``."""
        core = ".".join(str(part) for part in self.release)
        return LooseVersion(core, self.release)

    def same_release(self, other: LooseVersion) -> bool:
        """Equal once both are padded with zeros: ``2.2`` is ``2.2.0``; prereleases must match."""
        return compare(self, other) == 0

    # Ordering is by precedence while ``==`` stays structural (``2.3`` and ``2.3.0`` are
    # spelled differently, yet neither is newer), so all four comparisons are explicit.
    def __lt__(self, other: LooseVersion) -> bool:
        return compare(self, other) < 0

    def __le__(self, other: LooseVersion) -> bool:
        return compare(self, other) <= 0

    def __gt__(self, other: LooseVersion) -> bool:
        return compare(self, other) > 0

    def __ge__(self, other: LooseVersion) -> bool:
        return compare(self, other) >= 0

    def __str__(self) -> str:
        return self.text


def parse_loose_version(text: str) -> LooseVersion | None:
    """Read ``v1.2``, ``1.0.1.1``, ``1.2.3-rc.1``, ``22.12.0rc1`` or ``Unreleased``; else None."""
    candidate = text.strip().removeprefix("refs/tags/")
    if candidate.lower() in (UNRELEASED, "v" + UNRELEASED):
        return LooseVersion(candidate, ())
    if not _TOKEN.fullmatch(candidate) or has_oversized_number(candidate):
        return None
    return version_from_token(candidate)


def version_from_token(token: str) -> LooseVersion:
    """A :data:`VERSION_TOKEN` (or ``Unreleased``) that a larger pattern has matched already."""
    parts = _PARTS.fullmatch(token)
    if parts is None:
        return LooseVersion(token, ())  # the unreleased token: the only other one
    release, semver_pre, pep_pre, build = parts.group("release", "semver_pre", "pep_pre", "build")
    prerelease = semver_pre or (_pep440_prerelease(pep_pre) if pep_pre else "")
    build = build or ""
    if prerelease.startswith("post"):
        # A PEP 440 post-release follows its release; SemVer can only say so as build metadata.
        prerelease, build = "", build or prerelease
    return LooseVersion(token, tuple(map(int, release.split("."))), prerelease, build)


def _pep440_prerelease(text: str) -> str:
    pieces = []
    for piece in _PEP440_PIECE.finditer(text):
        label = piece.group("label").lower()
        label = _PEP440_SPELLINGS.get(label, label)
        number = piece.group("number")
        pieces.append(f"{label}.{int(number)}" if number else label)
    return ".".join(pieces)


def compare(left: LooseVersion, right: LooseVersion) -> int:
    """-1, 0 or 1. Unreleased is newest; releases compare padded; prereleases by SemVer rules."""
    if left.unreleased or right.unreleased:
        return int(left.unreleased) - int(right.unreleased)
    for mine, theirs in zip_longest(left.release, right.release, fillvalue=0):
        if mine != theirs:
            return -1 if mine < theirs else 1
    return _compare_prerelease(left.prerelease, right.prerelease)


def _compare_prerelease(left: str, right: str) -> int:
    if left == right:
        return 0
    if not left or not right:
        return 1 if not left else -1  # a release is newer than any of its prereleases
    try:
        return semver.Version(0, 0, 0, prerelease=left).compare(
            semver.Version(0, 0, 0, prerelease=right)
        )
    except ValueError:  # identifiers SemVer rejects (leading zeros): compare as text
        return -1 if left < right else 1


def version_from_tag(tag: str) -> LooseVersion | None:
    """The version a tag names: ``refs/tags/v1.2.0`` → ``1.2.0``."""
    version = parse_loose_version(normalize_tag(tag))
    return None if version is None or version.unreleased else version
