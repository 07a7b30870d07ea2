"""Getting a synced config onto its branch: a pull request, or a push straight to the branch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..confine import writable
from ..errors import InputError, ReleaseActionsError
from ..git import BOT_EMAIL, Git
from ..github import GitHub, PullOperation, PullRequest
from .pipeline import SyncResult
from .storage import read_text, write_atomically

ReadSync = Callable[[str | None], SyncResult]


@dataclass(frozen=True)
class PullRequestSpec:
    base: str
    head: str
    title: str
    body: str
    labels: Sequence[str]


@dataclass(frozen=True)
class Published:
    result: SyncResult
    pushed: bool  # a commit reached the remote
    pull: PullRequest | None = None
    pull_operation: PullOperation | None = None


def config_path(tree: Git, config_file: str) -> Path:
    """``config-file`` in the config branch's checkout: a path inside it, through no link (a
    link on that branch would read or write outside the checkout)."""
    return writable(tree.path / config_file, tree.path, subject="input 'config-file'")


def read_config(tree: Git, config_file: str) -> str | None:
    path = config_path(tree, config_file)
    return read_text(path, config_file) if path.is_file() else None


def publish_push(
    tree: Git, *, branch: str, config_file: str, sync: ReadSync, message: str
) -> Published:
    """Commit onto ``branch`` and push; a lost race re-runs the sync on the fresh file."""
    results: list[SyncResult] = []

    def apply_change(git: Git) -> bool:
        result = sync(read_config(git, config_file))
        results.append(result)
        if result.changed:
            write_atomically(config_path(git, config_file), result.new_text)
        return result.changed

    pushed = tree.push_with_retry(branch, apply_change, message)
    return Published(results[-1], pushed.pushed)


def publish_pull_request(
    tree: Git,
    github: GitHub,
    *,
    result: SyncResult,
    sync: ReadSync,
    config_file: str,
    message: str,
    spec: PullRequestSpec,
) -> Published:
    """Commit the change on ``spec.head`` (based on the config branch) and open or update its PR.

    ``result`` is the sync of the config branch's file. When the pull request branch already
    sits right on the config branch and syncing its file changes nothing, the run pushes
    nothing and leaves the pull request alone; otherwise the branch is rebuilt from the config
    branch (it belongs to this automation) and force-pushed.

    A re-run that finds its open pull request already proposing this change reports
    ``unchanged`` (``changed: false``): nothing was pushed or edited, so a workflow step gated
    on ``changed`` must not fire again. The pull request is still reported.
    """
    if not result.changed:
        return Published(result, pushed=False)
    if not _has_commit(tree):
        _start_base(tree, spec.base)
    check_pull_request_branch(tree, spec.head, spec.base)
    proposed = _proposed_sync(tree, spec.head, tree.head_sha(), config_file, sync)
    pushed = False
    if proposed is None:
        write_atomically(config_path(tree, config_file), result.new_text)
        tree.commit_all(message)
        tree.run("push", "--quiet", "--force", "origin", f"HEAD:refs/heads/{spec.head}")
        pushed = True
    existing = github.find_open_pull(spec.head, spec.base)
    if existing is not None and proposed is not None:
        # Its body stays (it names the run that proposed it), but a run that failed after
        # opening it, while labelling say, is completed: the labels it lacks are added.
        completed = _add_missing_labels(github, existing, spec.labels)
        already = replace(
            proposed, reason=f"already proposed in pull request #{existing.number}: {result.reason}"
        )
        return Published(already, pushed, existing, "updated" if completed else "unchanged")
    pull, operation = github.create_or_update_pull(
        head=spec.head, base=spec.base, title=spec.title, body=spec.body
    )
    _add_missing_labels(github, pull, spec.labels)
    return Published(result, pushed, pull, operation)


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


def _add_missing_labels(github: GitHub, pull: PullRequest, labels: Sequence[str]) -> bool:
    missing = [label for label in labels if label not in pull.labels]
    if missing:
        github.add_labels(pull.number, missing)
    return bool(missing)


def check_pull_request_branch(tree: Git, head: str, base: str) -> None:
    """Refuse to force-push ``head`` unless it is a branch this action made.

    It must not be the base (the config branch) or the repository's default branch, and when
    it exists, every commit it holds on top of the base must be ours (github-actions[bot]'s).
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
    others = sorted({email for email in emails if email != BOT_EMAIL})
    if others:
        raise InputError(
            f"input 'pr-branch': branch {head!r} holds commits on top of {base} that are not"
            f" this action's (by {', '.join(others[:3])}); refusing to force-push it. Name a"
            " branch of its own, or delete that one"
        )


def _has_commit(tree: Git) -> bool:
    return bool(tree.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip())


def _proposed_sync(
    tree: Git, head: str, base_sha: str, config_file: str, sync: ReadSync
) -> SyncResult | None:
    """The (``unchanged``) sync of ``origin/<head>``'s file when that branch is one commit on
    the base that already holds this release; ``None`` when the branch must be rebuilt."""
    if not tree.remote_branch_exists(head):
        return None
    remote = f"refs/remotes/origin/{head}"
    tree.fetch(f"+refs/heads/{head}:{remote}")
    if tree.run("rev-parse", f"{remote}^", check=False).strip() != base_sha:
        return None
    text = tree.file_at(remote, config_file)
    proposed = sync(text.decode("utf-8") if text is not None else None)
    return proposed if proposed.outcome == "unchanged" else None
