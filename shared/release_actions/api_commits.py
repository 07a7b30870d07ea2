"""Publishing a commit through GitHub's Git Data API, so GitHub signs it (Verified).

The commit is first made locally (:meth:`Git.commit_all`, on the branch's fetched tip); this
adapter replays it: one blob per added or changed file (base64, never inline tree content, so an
index of several MB goes through), a tree on the tip's tree, a commit by the token's identity,
then the ref is moved with ``force: false``. GitHub answers 422 "not a fast forward" when another
writer moved the branch meanwhile: that is a lost race, which :meth:`Git.push_with_retry`
re-applies on the new tip. Objects of an attempt that lost stay unreachable; the ref moves last,
so a failure leaves the branch as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .errors import GitHubError
from .git import Git, Publication

if TYPE_CHECKING:  # PyGithub is imported only by the commands that talk to GitHub
    from .github import GitHub

__all__ = ["COMMIT_METHODS", "ApiCommits", "CommitMethod", "publisher_for"]

CommitMethod = Literal["git", "api"]
COMMIT_METHODS: tuple[CommitMethod, ...] = ("git", "api")
_SUBMODULE = "160000"


class ApiCommits:
    """A :class:`~release_actions.git.BranchPublisher` over the Git Data API."""

    def __init__(self, github: GitHub) -> None:
        self._github = github
        self.verified: list[bool] = []  # of each commit published, for the step's log

    def publish(self, tree: Git, branch: str, *, remote: str, force: bool) -> Publication:
        from .github import NOT_FAST_FORWARD, TreeEntry  # deferred: PyGithub is slow to import

        parent = tree.run("rev-parse", "--verify", "--quiet", "HEAD^", check=False).strip()
        entries = [
            TreeEntry(path, mode, None if sha is None else self._blob(tree, path, sha))
            for path, mode, sha in _changes(tree, parent)
        ]
        base_tree = tree.run("rev-parse", f"{parent}^{{tree}}").strip() if parent else None
        new_tree = self._github.create_tree(entries, base_tree=base_tree)
        message = tree.run("log", "-1", "--format=%B", "HEAD")
        commit = self._github.create_commit(
            message=message.rstrip("\n") + "\n", tree=new_tree, parents=[parent] if parent else []
        )
        if not parent or (force and self._github.branch_sha(branch) is None):
            if not self._github.create_branch(branch, commit.sha):
                return Publication(None, f"branch {branch} was created by another run meanwhile")
        elif not self._github.move_branch(branch, commit.sha, force=force):
            return Publication(None, NOT_FAST_FORWARD)
        self.verified.append(commit.verified)
        return Publication(commit.sha)

    def _blob(self, tree: Git, path: str, sha: str) -> str:
        data = tree.file_at("HEAD", path)
        if data is None:
            raise GitHubError(f"cannot read {path} of the commit to publish")
        created = self._github.create_blob(data)
        if created != sha:  # GitHub hashes blobs as git does: anything else is a corruption
            raise GitHubError(f"GitHub stored {path} as blob {created}, expected {sha}")
        return created


def _changes(tree: Git, parent: str) -> list[tuple[str, str, str | None]]:
    """(path, mode, new blob sha or None when deleted) between ``parent`` and HEAD."""
    base = [parent] if parent else ["--root"]
    raw = tree.run("diff-tree", "-r", "-z", "--no-renames", "--raw", *base, "HEAD")
    fields = raw.split("\0")
    if not parent and fields and len(fields[0]) == 40:
        fields = fields[1:]  # --root names the commit first
    changes: list[tuple[str, str, str | None]] = []
    for info, path in zip(fields[0::2], fields[1::2], strict=False):
        if not info:
            continue
        old_mode, new_mode, _, new_sha, status = info.lstrip(":").split()
        if _SUBMODULE in (old_mode, new_mode):
            raise GitHubError(f"{path} is a submodule, which commit-method api cannot publish")
        if status == "D":  # GitHub wants the deleted entry's own mode with a null sha
            changes.append((path, old_mode, None))
        else:
            changes.append((path, new_mode, new_sha))
    return changes


def publisher_for(method: CommitMethod, github: GitHub | None) -> ApiCommits | None:
    """The publisher for ``commit-method``: None for git (the push default)."""
    if method == "git":
        return None
    if github is None:
        raise GitHubError("commit-method api needs a GitHub token")
    return ApiCommits(github)
