"""Releasing charts: the plan, the GitHub release, its notes, the index on the pages branch."""

from __future__ import annotations

from .changelog_notes import changelog_release_notes, changelog_template
from .config import ReleaseConfig, add_release_arguments, parse_index_path
from .notes import chart_notes
from .notes_check import NotesFor, release_notes_findings
from .published import read_published, read_published_index
from .run import report, run_release, set_pull_request_outputs

__all__ = [
    "NotesFor",
    "ReleaseConfig",
    "add_release_arguments",
    "changelog_release_notes",
    "changelog_template",
    "chart_notes",
    "parse_index_path",
    "read_published",
    "read_published_index",
    "release_notes_findings",
    "report",
    "run_release",
    "set_pull_request_outputs",
]
