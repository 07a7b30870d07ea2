"""Getting a synced config onto its branch: a pull request, or a push straight to the branch."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..confine import writable
from ..errors import InputError, ReleaseActionsError
from ..git import BOT_EMAIL, BranchPublisher, Git
from ..pull_requests import Proposal, PullRequestOptions, propose
from .pipeline import SyncResult
from .storage import read_text, write_atomically

if TYPE_CHECKING:  # PyGithub costs ~0.3 s to import: only the action's run() loads it
    from ..github import GitHub

ReadSync = Callable[[str | None], SyncResult]


@dataclass(frozen=True)
class Published:
    result: SyncResult
    pushed: bool  # a commit reached the remote
    proposal: Proposal | None = None


def config_path(tree: Git, config_file: str) -> Path:
    """``config-file`` in the config branch's checkout: a path inside it, through no link (a
    link on that branch would read or write outside the checkout)."""
    return writable(tree.path / config_file, tree.path, subject="input 'config-file'")


def read_config(tree: Git, config_file: str) -> str | None:
    path = config_path(tree, config_file)
    return read_text(path, config_file) if path.is_file() else None


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
            write_atomically(config_path(git, config_file), result.new_text)
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
    if not _has_commit(tree):
        _start_base(tree, base)
    ours = {BOT_EMAIL, *(who[1] for who in (options.author, options.committer) if who)}
    check_pull_request_branch(tree, options.branch, base, ours=ours)
    proposed: list[SyncResult] = []

    def apply_change(git: Git) -> bool:
        if result.changed:
            write_atomically(config_path(git, config_file), result.new_text)
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


def _start_base(tree: Git, base: str) -> None:
    """A fresh repository: start the config branch as an empty orphan commit, so the pull
    request has a base and proposes the config file as its whole change."""
    tree.commit_all(f"chore: start the {base} branch", allow_empty=True)
    tree.run("push", "--quiet", "origin", f"HEAD:refs/heads/{base}", check=False)
    remote = tree.run("ls-remote", "origin", f"refs/heads/{base}").split()
    if remote[:1] != [tree.head_sha()]:
        raise ReleaseActionsError(
            f"could not start branch {base}: it appeared meanwhile or the push was refused; "
            "run the workflow again"
        )


def check_pull_request_branch(
    tree: Git, head: str, base: str, *, ours: Collection[str] = (BOT_EMAIL,)
) -> None:
    """Refuse to force-push ``head`` unless it is a branch this action made.

    It must not be the base (the config branch) or the repository's default branch, and when
    it exists, every commit it holds on top of the base must be ours: by github-actions[bot],
    or by the ``pr-author``/``pr-committer`` this run commits as (``ours``, their emails).
    ``pr-branch: main`` once force-pushed over main, which then held only the config file.
    """
    default = tree.remote_default_branch()
    for name, role in ((base, "the config branch"), (default, "the default branch")):
        if head == name:
            raise InputError(
                f"input 'pr-branch': {head!r} is {role}; the pull request branch is"
                " force-pushed, so it must be a branch of its own"
            )
    if not tree.remote_branch_exists(head):
        return
    remote = f"refs/remotes/origin/{head}"
    tree.fetch(f"+refs/heads/{head}:{remote}")
    emails = tree.run("log", "--format=%ae%n%ce", f"HEAD..{remote}").split()
    others = sorted({email for email in emails if email not in ours})
    if others:
        raise InputError(
            f"input 'pr-branch': branch {head!r} holds commits on top of {base} that are not"
            f" this action's (by {', '.join(others[:3])}); refusing to force-push it. Name a"
            " branch of its own, or delete that one"
        )


def _has_commit(tree: Git) -> bool:
    return bool(tree.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip())
