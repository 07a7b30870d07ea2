"""Reading a changelog: Markdown blocks, version titles, loose versions, where the files are."""

from __future__ import annotations

from .locate import PathFilter, PathTemplate, find_changelogs, is_changelog, newest_changelog
from .loose_version import LooseVersion, compare, parse_loose_version, version_from_tag
from .markdown import FenceTracker, link_label
from .model import Changelog, Entry, Finding, Severity, has_content
from .parser import decode, encode_like, load_changelog, parse_changelog, read_changelog, read_text

__all__ = [
    "Changelog",
    "Entry",
    "FenceTracker",
    "Finding",
    "LooseVersion",
    "PathFilter",
    "PathTemplate",
    "Severity",
    "compare",
    "decode",
    "encode_like",
    "find_changelogs",
    "has_content",
    "is_changelog",
    "link_label",
    "load_changelog",
    "newest_changelog",
    "parse_changelog",
    "parse_loose_version",
    "read_changelog",
    "read_text",
    "version_from_tag",
]
