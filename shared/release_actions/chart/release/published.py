"""What is already published: the index on the pages branch, and the release tags.

Both the action's pull-request check and ``chart check --target-branch`` read them here, so a
version bump is refused for the same reasons wherever the check runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ReleaseActionsError
from ...git import Git
from ...runner import Runner
from ..repo import decode_index, published_versions
from .pages import tip_depth


@dataclass(frozen=True)
class Published:
    """Chart name to its indexed versions, and the repository's tags; ``None`` when unknown."""

    versions: dict[str, set[str]] | None = None
    release_tags: set[str] | None = None


def read_published_index(git: Git | None, pages_branch: str, index_path: str) -> str | None:
    """The index on the pages branch of origin; ``None`` when the branch or file is missing.

    Only the branch's tip is read, so a shallow clone fetches that one commit (see
    :func:`.pages.tip_depth`), not the branch's whole history of indexes.
    """
    if git is None or not git.remote_branch_exists(pages_branch):
        return None
    remote_ref = f"refs/remotes/origin/{pages_branch}"
    git.fetch(f"+refs/heads/{pages_branch}:{remote_ref}", depth=tip_depth(git))
    content = git.file_at(remote_ref, index_path)
    return None if content is None else decode_index(content, f"{index_path} on {pages_branch}")


def read_published(
    git: Git | None, pages_branch: str, index_path: str, runner: Runner
) -> Published:
    """The published versions and the release tags of origin; unknown without a checkout.

    When origin cannot be read (a fork's pull request may not reach it), a warning says so and
    both stay unknown: the other checks still count.
    """
    if git is None:
        return Published()
    try:
        index = read_published_index(git, pages_branch, index_path)
        # An index Helm would not load is refused here too; the release refuses to write it.
        versions = {} if index is None else published_versions(index, source=index_path)
        git.fetch(tags=True)
    except ReleaseActionsError as error:
        runner.warning(f"cannot read what is already published: {error}")
        return Published()
    return Published(versions, set(git.tags()))
