"""A change proposed as a pull request: one commit on the base, on a branch of our own.

The branch belongs to the automation: it is rebuilt from the base and force-pushed, unless it is
already exactly that one commit with these files, in which case nothing is pushed (a re-run
changes nothing). Two runs racing on one branch push the same files; the last push wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .fsutil import write_atomically
from .git import Git

if TYPE_CHECKING:
    from .github import PullOperation, PullRequest


class PullGitHub(Protocol):
    """What proposing needs from GitHub (``release_actions.github.GitHub`` provides it)."""

    def create_or_update_pull(
        self, *, head: str, base: str, title: str, body: str
    ) -> tuple[PullRequest, PullOperation]: ...


@dataclass(frozen=True)
class Proposal:
    pull: PullRequest
    operation: PullOperation  # what happened to the pull request
    pushed: bool  # whether the branch was (re)built


def propose_files(
    tree: Git,
    github: PullGitHub,
    *,
    head: str,
    base: str,
    files: Mapping[str, bytes],
    message: str,
    title: str,
    body: str,
) -> Proposal:
    """``tree`` is a worktree at the tip of ``base``; ``files`` maps paths to their new bytes."""
    pushed = False
    if not _already_proposed(tree, head, files):
        for path, data in files.items():
            write_atomically(tree.path / path, data)
        tree.commit_all(message)
        tree.run("push", "--quiet", "--force", "origin", f"HEAD:refs/heads/{head}")
        pushed = True
    pull, operation = github.create_or_update_pull(head=head, base=base, title=title, body=body)
    return Proposal(pull, operation, pushed)


def _already_proposed(tree: Git, head: str, files: Mapping[str, bytes]) -> bool:
    """``origin/<head>`` is one commit on ``tree``'s HEAD, and holds ``files`` as given."""
    if not tree.remote_branch_exists(head):
        return False
    remote = f"refs/remotes/origin/{head}"
    tree.fetch(f"+refs/heads/{head}:{remote}")
    if tree.run("rev-parse", f"{remote}^", check=False).strip() != tree.head_sha():
        return False
    return all(tree.file_at(remote, path) == data for path, data in files.items())
