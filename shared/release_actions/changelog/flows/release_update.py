"""Release mode's last step: the changelog notes written into the tag's GitHub release body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...context import Workflow
from ...runner import Runner
from ..notes import MAX_RELEASE_BODY, changelog_url, release_body
from .settings import Settings, Target
from .shared import ChangelogGitHub, RunResult

if TYPE_CHECKING:  # PyGithub is slow to import, and lint runs never need it
    from ...github import Release


def update_release(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    result: RunResult,
    notes: str,
    runner: Runner,
    github: ChangelogGitHub,
) -> None:
    """Set or append the notes block; record in ``result`` what happened to the release."""
    release = release_to_update(github, workflow, target.tag)
    if release is None:
        result.release = f"no release for tag {target.tag} yet, so nothing was updated"
        runner.warning(f"there is no GitHub release for tag {target.tag}: its body was not updated")
        return
    link = changelog_url(workflow.server_url, workflow.repository, target.tag, result.file)
    existing = release.body.replace("\r\n", "\n")
    body = release_body(existing, notes, link, mode=settings.release_body, limit=MAX_RELEASE_BODY)
    if body is None:
        result.release = "not updated: the existing body leaves no room for the notes"
        runner.warning(
            f"the body of release {target.tag} is too long to add the changelog notes to"
        )
    elif body == existing:
        result.release = f"[{target.tag}]({release.html_url}) already up to date"
    else:
        github.update_release_body(release, body)
        result.release_updated = True
        result.release = (
            f"[{target.tag}]({release.html_url}) body updated ({settings.release_body})"
        )


def release_to_update(github: ChangelogGitHub, workflow: Workflow, tag: str) -> Release | None:
    """The event's own release on a ``release`` event (a draft has no other handle: the tag
    endpoint answers only published releases), else the tag's release, drafts included."""
    event_release = workflow.event.get("release") if workflow.event_name == "release" else None
    if isinstance(event_release, dict) and event_release.get("tag_name") == tag:
        release_id = event_release.get("id")
        if isinstance(release_id, int):
            release = github.release_by_id(release_id)
            if release is not None:
                return release
    return github.release_by_tag_with_drafts(tag)
