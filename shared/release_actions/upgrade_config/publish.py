"""Getting a synced config onto its branch: a pull request, or a push straight to the branch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..git import BranchPublisher, Git
from ..github import GitHub
from ..pull_requests import Proposal, PullRequestOptions, propose
from .pipeline import SyncResult
from .storage import write_atomically

ReadSync = Callable[[str | None], SyncResult]


@dataclass(frozen=True)
class Published:
    result: SyncResult
    pushed: bool  # a commit reached the remote
    proposal: Proposal | None = None


def read_config(tree: Git, config_file: str) -> str | None:
    path = tree.path / config_file
    return path.read_text(encoding="utf-8") if path.is_file() else None


def publish_push(
    tree: Git,
    *,
    branch: str,
    config_file: str,
    sync: ReadSync,
    message: str,
    publisher: BranchPublisher | None = None,
) -> Published:
    """Commit onto ``branch`` and push; a lost race re-runs the sync on the fresh file."""
    results: list[SyncResult] = []

    def apply_change(git: Git) -> bool:
        result = sync(read_config(git, config_file))
        results.append(result)
        if result.changed:
            write_atomically(git.path / config_file, result.new_text)
        return result.changed

    pushed = tree.push_with_retry(branch, apply_change, message, publisher=publisher)
    return Published(results[-1], pushed.pushed)


def publish_pull_request(
    tree: Git,
    github: GitHub,
    *,
    result: SyncResult,
    sync: ReadSync,
    config_file: str,
    base: str,
    options: PullRequestOptions,
    publisher: BranchPublisher | None = None,
) -> Published:
    """Propose ``result`` (the sync of the config branch's file, in ``tree`` at its tip) in a
    pull request from ``options.branch`` (see :func:`release_actions.pull_requests.propose`).

    A re-run that finds its open pull request already proposing this change pushes and edits
    nothing and reports ``unchanged`` (``changed: false``), so a workflow step gated on
    ``changed`` does not fire again; the pull request is still reported. When the config branch
    has the change already, an open pull request for it is closed.
    """
    proposed: list[SyncResult] = []

    def apply_change(git: Git) -> bool:
        if result.changed:
            write_atomically(git.path / config_file, result.new_text)
        return result.changed

    def already_proposed(git: Git, head: str, base_sha: str) -> bool:
        """The branch is one commit on the base whose file already holds this release."""
        if git.run("rev-parse", f"{head}^", check=False).strip() != base_sha:
            return False
        text = git.file_at(head, config_file)
        proposed.append(sync(text.decode("utf-8") if text is not None else None))
        return proposed[-1].outcome == "unchanged"

    proposal = propose(
        tree,
        github,
        base=base,
        options=options,
        apply_change=apply_change,
        already_proposed=already_proposed,
        publisher=publisher,
    )
    if result.changed and proposal.operation == "none" and proposal.number is not None:
        reason = f"already proposed in pull request #{proposal.number}: {result.reason}"
        return Published(replace(proposed[-1], reason=reason), False, proposal)
    return Published(result, proposal.pushed, proposal)
