"""Release notes from a changelog entry, and the GitHub release body built from them."""

from __future__ import annotations

from .entry import MAX_RELEASE_BODY, entry_notes, trim_notes
from .release_body import BODY_MODES, BodyMode, changelog_url, release_body

__all__ = [
    "BODY_MODES",
    "MAX_RELEASE_BODY",
    "BodyMode",
    "changelog_url",
    "entry_notes",
    "release_body",
    "trim_notes",
]
