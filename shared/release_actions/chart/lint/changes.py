"""What changed since the merge-base with the target branch, even from a shallow clone.

actions/checkout fetches one commit by default. There, ``git merge-base`` finds nothing, and a
tool that then compares with nothing passes every chart (chart-releaser-action#69). Here a shallow
clone is deepened step by step, then unshallowed; if there is still no merge-base, that is an
error, never a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import GitError
from ...git import Git

DEEPEN_STEPS = (50, 500)


@dataclass(frozen=True)
class ChangeSet:
    """Files changed between the merge-base and HEAD, as paths from the repository root."""

    target_ref: str
    merge_base: str
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        """How messages name the merge-base: ``the merge-base with origin/main (1a2b3c4)``."""
        return f"the merge-base with {self.target_ref} ({self.merge_base[:7]})"


def find_changes(
    git: Git,
    target_branch: str,
    *,
    remote: str = "origin",
    deepen_steps: Sequence[int] = DEEPEN_STEPS,
) -> ChangeSet:
    """Resolve the target branch (fetching it if needed), find the merge-base, list changes."""
    target_ref = resolve_target(git, target_branch, remote=remote)
    base = _merge_base(git, target_ref, remote=remote, deepen_steps=deepen_steps)
    return ChangeSet(target_ref, base, tuple(git.changed_files(base, "HEAD")))


def resolve_target(git: Git, target_branch: str, *, remote: str = "origin") -> str:
    """``origin/<branch>`` when the remote-tracking branch exists or can be fetched, else the
    ref as given (a local branch, a tag, a sha)."""
    name = target_branch.strip().removeprefix("refs/heads/")
    if not name:
        raise GitError("the target branch is empty")
    tracking = name if name.startswith(f"{remote}/") else f"{remote}/{name}"
    for candidate in (tracking, name):
        if _resolves(git, candidate):
            return candidate
    branch = tracking.removeprefix(f"{remote}/")
    refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    try:
        # A shallow clone gets the tip only; the merge-base search deepens it as far as needed.
        git.fetch(refspec, remote=remote, depth=1 if git.is_shallow() else None)
    except GitError as exc:
        raise GitError(
            f"target branch {name!r} is neither a local ref nor on {remote}: {exc.message}"
        ) from None
    if not _resolves(git, tracking):  # pragma: no cover - the fetch above creates it
        raise GitError(f"target branch {name!r} was not found on {remote}")
    return tracking


def _merge_base(git: Git, target_ref: str, *, remote: str, deepen_steps: Sequence[int]) -> str:
    attempts: list[int | None] = [*deepen_steps, None]  # None: unshallow
    while True:
        try:
            return git.merge_base(target_ref, "HEAD")
        except GitError as exc:
            if not git.is_shallow():
                raise GitError(
                    f"HEAD and {target_ref} have no common history, so no version bump can be"
                    f" checked: {exc.message}"
                ) from None
            if not attempts:  # pragma: no cover - an unshallowed clone is not shallow
                raise
            step = attempts.pop(0)
            try:
                if step is None:
                    git.unshallow(remote)
                else:
                    git.deepen(step, remote)
            except GitError as fetch_error:
                raise GitError(
                    f"this shallow clone lacks the merge-base with {target_ref}, and fetching"
                    f" more history failed ({fetch_error.message}); check out with fetch-depth: 0"
                ) from None


def _resolves(git: Git, ref: str) -> bool:
    try:
        git.head_sha(ref)
    except GitError:
        return False
    return True
