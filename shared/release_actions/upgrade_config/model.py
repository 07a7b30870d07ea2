"""The plain data the upgrade-config feature works on: channels, mirrors, segments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..versions import Version

Channel = Literal["latest", "rc", "beta"]
CHANNELS: tuple[Channel, ...] = ("latest", "rc", "beta")
PRERELEASE_CHANNELS: tuple[Channel, ...] = ("rc", "beta")

Outcome = Literal["updated", "unchanged", "skipped"]

DEFAULT_PROBE_FILES = ("{{channel}}.yml",)


@dataclass(frozen=True)
class Mirror:
    """A place clients download from. The first mirror of a segments file is the primary."""

    name: str
    feed_template: str | None = None
    prereleases: bool = True
    fallback: str | None = None
    probe_files: tuple[str, ...] = DEFAULT_PROBE_FILES


@dataclass(frozen=True)
class MatchRule:
    range: str | None = None
    exact: tuple[Version, ...] = ()
    exclude_exact: tuple[Version, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One hop of the upgrade path, as written in the segments file."""

    id: str
    match: MatchRule
    min_compatible_version: str
    description: str = ""
    type: str | None = None
    locked_version: Version | None = None
    # channel -> mirror name -> feed template
    channel_templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    index: int = 0


@dataclass(frozen=True)
class SegmentsFile:
    segments: tuple[Segment, ...]
    mirrors: tuple[Mirror, ...]

    @property
    def primary(self) -> Mirror:
        return self.mirrors[0]


@dataclass(frozen=True)
class ReleaseTag:
    """A release tag read the way the sync reads it.

    ``tag`` is what goes into URLs: the tag as given, minus ``refs/tags/`` and whitespace.
    ``version`` is compared and stored, spelled as the tag spells it (``2.2.0-Beta.4``): the
    channel is read case-insensitively, but the case of a prerelease changes SemVer precedence.
    ``channel`` is ``None`` when the prerelease label maps to no channel.
    """

    raw: str
    tag: str
    version: Version
    channel: Channel | None

    @property
    def base(self) -> Version:
        return Version(self.version.major, self.version.minor, self.version.patch)

    @property
    def is_prerelease(self) -> bool:
        return self.version.prerelease is not None
