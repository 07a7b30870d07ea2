"""What the check flows share with the composition: the GitHub they may use, the result they fill.

The release, pull request and lint flows each return a :class:`RunResult`; ``action`` turns it into
the outputs and the step summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..reading import Entry

if TYPE_CHECKING:  # PyGithub is slow to import, and lint runs never need it
    from ...github import Release
    from ...pull_requests import Proposal


class ChangelogGitHub(Protocol):
    """What the checks need from GitHub (``release_actions.github.GitHub`` provides it)."""

    def pull_labels(self, number: int) -> list[str]: ...
    def pull_files(self, number: int) -> list[str]: ...
    def release_by_id(self, release_id: int) -> Release | None: ...
    def release_by_tag_with_drafts(self, tag: str) -> Release | None: ...
    def update_release_body(self, release: Release, body: str) -> Release: ...


@dataclass
class RunResult:
    """What the run found, for the outputs and the summary."""

    subject: str = ""
    version: str = ""
    file: str = ""
    entry: Entry | None = None
    notes: str | None = None
    notes_file: str = ""
    skip_reason: str = ""
    release_updated: bool = False
    release: str = ""
    proposal: Proposal | None = None  # the release pull request, in release-pr mode
    pull: str = ""  # what happened to the release pull request, for the summary
