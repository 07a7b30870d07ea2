"""A thin typed wrapper over the git CLI. Argument lists only, never a shell.

INTERFACE STUB: implemented by the foundation work; signatures are the contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import GitError

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


@dataclass(frozen=True)
class PushResult:
    pushed: bool  # False when the callback found nothing to commit
    attempts: int
    sha: str


class Git:
    """Runs git in one repository or worktree. The token, when given, reaches git only as
    ``-c http.extraheader=AUTHORIZATION: basic …`` on each command line."""

    def __init__(self, path: Path, *, token: str | None = None) -> None:
        self.path = path
        self._token = token

    def run(self, *args: str, check: bool = True, input_text: str | None = None) -> str:
        raise GitError("not implemented")

    def head_sha(self, ref: str = "HEAD") -> str: ...
    def merge_base(self, a: str, b: str) -> str: ...
    def changed_files(self, base: str, head: str = "HEAD") -> list[str]: ...
    def tags(self, pattern: str | None = None) -> list[str]: ...
    def file_at(self, ref: str, path: str) -> bytes | None: ...
    def last_commit_time(self, path: str, ref: str = "HEAD") -> datetime | None: ...
    def is_shallow(self) -> bool: ...
    def fetch(self, *refspecs: str, remote: str = "origin", depth: int | None = None) -> None: ...
    def remote_branch_exists(self, branch: str, remote: str = "origin") -> bool: ...
    def commit_all(self, message: str) -> bool: ...

    @contextmanager
    def worktree(self, branch: str, *, remote: str = "origin") -> Iterator[Git]:
        """Check out ``branch`` from ``remote`` in a temp worktree (an orphan if it is missing)."""
        raise GitError("not implemented")
        yield self

    def push_with_retry(
        self,
        branch: str,
        apply_change: Callable[[Git], bool],
        message: str,
        *,
        remote: str = "origin",
        attempts: int = 5,
    ) -> PushResult:
        """Apply, commit and push; on a non-fast-forward, fetch, reset, re-apply and retry."""
        raise GitError("not implemented")
