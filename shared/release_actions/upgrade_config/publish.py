"""Getting a synced config onto its branch: a pull request, or a push straight to the branch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..errors import ReleaseActionsError
from ..git import Git
from ..github import GitHub, PullOperation, PullRequest
from .pipeline import SyncResult
from .storage import write_atomically

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


def read_config(tree: Git, config_file: str) -> str | None:
    path = tree.path / config_file
    return path.read_text(encoding="utf-8") if path.is_file() else None


def publish_push(
    tree: Git, *, branch: str, config_file: str, sync: ReadSync, message: str
) -> Published:
    """Commit onto ``branch`` and push; a lost race re-runs the sync on the fresh file."""
    results: list[SyncResult] = []

    def apply_change(git: Git) -> bool:
        result = sync(read_config(git, config_file))
        results.append(result)
        if result.changed:
            write_atomically(git.path / config_file, result.new_text)
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
    proposed = _proposed_sync(tree, spec.head, tree.head_sha(), config_file, sync)
    pushed = False
    if proposed is None:
        write_atomically(tree.path / config_file, result.new_text)
        tree.commit_all(message)
        tree.run("push", "--quiet", "--force", "origin", f"HEAD:refs/heads/{spec.head}")
        pushed = True
    existing = github.find_open_pull(spec.head, spec.base)
    if existing is not None and proposed is not None:
        already = replace(
            proposed, reason=f"already proposed in pull request #{existing.number}: {result.reason}"
        )
        return Published(already, pushed, existing, "unchanged")
    pull, operation = github.create_or_update_pull(
        head=spec.head, base=spec.base, title=spec.title, body=spec.body
    )
    if operation == "created" or pushed:
        github.add_labels(pull.number, list(spec.labels))
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
