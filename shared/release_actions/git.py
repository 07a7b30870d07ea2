"""A thin typed wrapper over the git CLI. Argument lists only, never a shell.

The token never touches disk: commands that talk to a remote (fetch, push, ls-remote) get it as
``-c http.extraheader=AUTHORIZATION: basic …`` on their own command line, and error messages
redact it. actions/checkout persists its own header in ``.git/config`` under
``http.https://github.com/.extraheader``; git drops a less URL-specific setting that comes after a
more specific one, so a plain ``-c http.extraheader`` would silently lose to it. The header is
therefore also set (after an empty value, which clears the list) under the remote's full URL,
the most specific key that still matches, so exactly one Authorization header is sent: ours.
"""

from __future__ import annotations

import base64
import os
import random
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from .errors import GitError

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# Subcommands that talk to a remote, and so get the token header.
_NETWORK_COMMANDS = frozenset({"fetch", "push", "ls-remote", "pull", "clone"})

# A push lost a race with another writer: fetch, re-apply and try again. Anything else (a
# protected branch, a declined hook, a bad token) fails at once.
_PUSH_RACE_MARKERS = (
    "[rejected] (fetch first)",
    "[rejected] (non-fast-forward)",
    "[rejected] (stale info)",
    "non-fast-forward",
    "cannot lock ref",
    "failed to update ref",
    "incorrect old value provided",
    "reference already exists",
)
_MISSING_REMOTE_REF = "couldn't find remote ref"
_MAX_DETAIL = 500


@dataclass(frozen=True)
class PushResult:
    pushed: bool  # False when the callback found nothing to commit
    attempts: int
    sha: str  # HEAD after the last attempt ("" when nothing was ever committed)


@dataclass(frozen=True)
class Publication:
    """What publishing a commit did: the branch's new tip, or why another writer won."""

    sha: str | None  # None: the branch moved on meanwhile (a lost race, to retry)
    rejection: str = ""


class BranchPublisher(Protocol):
    """Publishes the commit at ``tree``'s HEAD (made on the branch's fetched tip) as ``branch``.

    Two adapters: :class:`GitPush` (``git push``) and ``release_actions.api_commits.ApiCommits``
    (GitHub's Git Data API, which signs the commit). A lost race is answered, not raised, so
    :meth:`Git.push_with_retry` can re-apply the change on the new tip; anything else raises.
    ``force`` replaces the branch whatever it holds (a branch this automation owns).
    """

    def publish(self, tree: Git, branch: str, *, remote: str, force: bool) -> Publication: ...


class GitPush:
    """Publishes by ``git push``, as the token's user (unsigned)."""

    def publish(self, tree: Git, branch: str, *, remote: str, force: bool) -> Publication:
        args = ["push", "--porcelain", *(["--force"] if force else []), remote]
        args.append(f"HEAD:refs/heads/{branch}")
        completed = tree._execute(args, check=False, remote=remote)
        if completed.returncode == 0:
            return Publication(tree.head_sha())
        output = _decode(completed.stdout) + "\n" + _decode(completed.stderr)
        if "protected branch hook declined" in output or "GH006" in output:
            # The hook's own lines ("remote: error: <the rule>") say which rule refused it.
            said = [
                line.removeprefix("remote:").strip().removeprefix("error:").strip()
                for line in output.splitlines()
                if line.startswith("remote:") and "GH006" not in line
            ]
            detail = tree._redact(_one_line("\n".join(said) or _rejection_lines(output)))
            raise GitError(f"branch {branch} is protected and refused the push: {detail}")
        if "The requested URL returned error: 403" in output:
            raise GitError(
                f"pushing to branch {branch} was refused (HTTP 403): the token lacks "
                "'contents: write'; add it under the job's permissions (or use a token that has it)"
            )
        if not any(marker in output for marker in _PUSH_RACE_MARKERS):
            raise tree._error(args, completed)
        return Publication(None, tree._redact(_one_line(_rejection_lines(output))))


class GitCommandError(GitError):
    """A git command exited non-zero. ``command`` and ``stderr`` are already redacted."""

    def __init__(self, command: str, returncode: int, stderr: str) -> None:
        detail = _one_line(stderr) or "no error output"
        super().__init__(f"`{command}` failed (exit {returncode}): {detail}")
        self.command = command
        self.returncode = returncode
        self.stderr = stderr


class Git:
    """Runs git in one repository or worktree. The token, when given, reaches git only as
    ``-c http.extraheader=AUTHORIZATION: basic …`` on each command line that talks to a remote.

    ``environ`` is the environment git runs with (default: the process environment at call
    time); ``sleep`` and ``jitter`` drive the push back-off and are injectable for tests.
    """

    def __init__(
        self,
        path: Path,
        *,
        token: str | None = None,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.path = path
        self._token = token or None
        self._environ = environ
        self._sleep = sleep
        self._jitter = jitter

    def _sibling(self, path: Path) -> Git:
        return Git(
            path, token=self._token, environ=self._environ, sleep=self._sleep, jitter=self._jitter
        )

    # -- running git -----------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, input_text: str | None = None) -> str:
        """Run ``git <args>`` and return its stdout. Remote commands get the token header."""
        remote = _remote_argument(args[1:]) if args and args[0] in _NETWORK_COMMANDS else None
        completed = self._execute(
            args,
            check=check,
            input_bytes=None if input_text is None else input_text.encode("utf-8"),
            remote=remote,
        )
        return _decode(completed.stdout)

    def _execute(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        input_bytes: bytes | None = None,
        remote: str | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        options = self._auth_options(remote) if remote is not None else []
        env = dict(os.environ if self._environ is None else self._environ)
        # Stable, English messages to parse; never wait for a password on a terminal.
        env.update({"LC_ALL": "C", "LANGUAGE": "", "GIT_TERMINAL_PROMPT": "0"})
        env.update(extra_env or {})
        try:
            completed = subprocess.run(
                ["git", *options, *args],
                cwd=self.path,
                env=env,
                input=input_bytes,
                stdin=subprocess.DEVNULL if input_bytes is None else None,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise GitError(
                f"cannot run git in {self.path}: git or the directory is missing"
            ) from None
        if check and completed.returncode != 0:
            raise self._error(args, completed)
        return completed

    def _error(
        self, args: Sequence[str], completed: subprocess.CompletedProcess[bytes]
    ) -> GitCommandError:
        output = _decode(completed.stderr).strip() or _decode(completed.stdout).strip()
        return GitCommandError(
            self._redact("git " + " ".join(args)), completed.returncode, self._redact(output)
        )

    def _secrets(self) -> list[str]:
        if self._token is None:
            return []
        return [self._token, _basic_credentials(self._token)]

    def _redact(self, text: str) -> str:
        for secret in self._secrets():
            text = text.replace(secret, "***")
        return text

    def _auth_options(self, remote: str) -> list[str]:
        if self._token is None:
            return []
        header = f"AUTHORIZATION: basic {_basic_credentials(self._token)}"
        keys = ["http.extraheader"]
        url = self._remote_url(remote)
        # `-c key=value` splits at the first "=": a URL holding one cannot be a key.
        if url.startswith(("https://", "http://")) and "=" not in url:
            keys.append(f"http.{url}.extraheader")
        options: list[str] = []
        for key in keys:
            # The empty value first clears any header configured so far for that key.
            options += ["-c", f"{key}=", "-c", f"{key}={header}"]
        return options

    def _remote_url(self, remote: str) -> str:
        if "://" in remote:
            return remote
        completed = self._execute(["config", "--get", f"remote.{remote}.url"], check=False)
        return _decode(completed.stdout).strip()

    # -- reading ---------------------------------------------------------------------------

    def head_sha(self, ref: str = "HEAD") -> str:
        return self.run("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").strip()

    def _try_head_sha(self) -> str:
        completed = self._execute(["rev-parse", "--verify", "--quiet", "HEAD"], check=False)
        return _decode(completed.stdout).strip() if completed.returncode == 0 else ""

    def merge_base(self, a: str, b: str) -> str:
        completed = self._execute(["merge-base", a, b], check=False)
        if completed.returncode == 0:
            return _decode(completed.stdout).strip()
        if completed.returncode == 1:
            if self.is_shallow():
                raise GitError(
                    f"no merge base between {a} and {b} in this shallow clone; fetch more "
                    "history (actions/checkout with fetch-depth: 0)"
                )
            raise GitError(f"{a} and {b} have no common history")
        raise self._error(["merge-base", a, b], completed)

    def changed_files(self, base: str, head: str = "HEAD") -> list[str]:
        """Paths (from the repository root) that differ between two commits.

        A rename counts as a deletion and an addition, so both its old and new paths are listed.
        For what a pull request changes, pass ``merge_base(target, head)`` as ``base``.
        """
        completed = self._execute(
            ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", base, head, "--"]
        )
        return [name for name in _decode(completed.stdout).split("\0") if name]

    def tags(self, pattern: str | None = None) -> list[str]:
        args = ["tag", "--list"] + ([pattern] if pattern else [])
        return [line for line in self.run(*args).splitlines() if line]

    def file_at(self, ref: str, path: str) -> bytes | None:
        """The content of ``path`` (from the repository root) at ``ref``, or None if absent."""
        spec = f"{ref}:{path.removeprefix('./').lstrip('/')}"
        completed = self._execute(["cat-file", "blob", spec], check=False)
        if completed.returncode == 0:
            return completed.stdout
        self.head_sha(ref)  # raises when the ref itself is bad, rather than the path missing
        return None

    def last_commit_time(self, path: str, ref: str = "HEAD") -> datetime | None:
        """Commit time (aware, UTC) of the last commit on ``ref`` that touched ``path``."""
        stamp = self.run("log", "-1", "--format=%ct", ref, "--", path).strip()
        return datetime.fromtimestamp(int(stamp), UTC) if stamp else None

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    # -- talking to the remote -------------------------------------------------------------

    def fetch(
        self,
        *refspecs: str,
        remote: str = "origin",
        depth: int | None = None,
        tags: bool = False,
    ) -> None:
        options = [f"--depth={depth}"] if depth is not None else []
        if tags:
            options.append("--tags")
        self._execute(["fetch", "--quiet", *options, remote, *refspecs], remote=remote)

    def unshallow(self, remote: str = "origin") -> None:
        """Fetch the full history when the clone is shallow (actions/checkout's default)."""
        if self.is_shallow():
            self._execute(["fetch", "--quiet", "--unshallow", remote], remote=remote)

    def deepen(self, commits: int, remote: str = "origin") -> None:
        """Fetch ``commits`` more commits of history below the current shallow boundary."""
        self._execute(["fetch", "--quiet", f"--deepen={commits}", remote], remote=remote)

    def remote_branch_exists(self, branch: str, remote: str = "origin") -> bool:
        args = ["ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{branch}"]
        completed = self._execute(args, check=False, remote=remote)
        if completed.returncode == 0:
            return True
        if completed.returncode == 2:  # --exit-code: no matching ref
            return False
        raise self._error(args, completed)

    def _fetch_branch(self, branch: str, remote: str, depth: int | None = None) -> bool:
        """Update ``refs/remotes/<remote>/<branch>``; False when the remote has no such branch."""
        options = [f"--depth={depth}"] if depth is not None else []
        refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
        args = ["fetch", "--quiet", "--no-tags", *options, remote, refspec]
        completed = self._execute(args, check=False, remote=remote)
        if completed.returncode == 0:
            return True
        if _MISSING_REMOTE_REF in _decode(completed.stderr):
            return False
        raise self._error(args, completed)

    # -- writing ---------------------------------------------------------------------------

    def commit_all(
        self,
        message: str,
        *,
        author: tuple[str, str] | None = None,
        committer: tuple[str, str] | None = None,
    ) -> bool:
        """Stage everything and commit it; False if nothing changed.

        ``author`` and ``committer`` are (name, email); both default to github-actions[bot].
        """
        self.run("add", "--all")
        staged = self._execute(["diff", "--cached", "--quiet"], check=False)
        if staged.returncode == 0:
            return False
        if staged.returncode != 1:
            raise self._error(["diff", "--cached", "--quiet"], staged)
        author_name, author_email = author or (BOT_NAME, BOT_EMAIL)
        committer_name, committer_email = committer or (BOT_NAME, BOT_EMAIL)
        identity = {
            "GIT_AUTHOR_NAME": author_name,
            "GIT_AUTHOR_EMAIL": author_email,
            "GIT_COMMITTER_NAME": committer_name,
            "GIT_COMMITTER_EMAIL": committer_email,
        }
        self._execute(
            [
                *("-c", f"user.name={committer_name}", "-c", f"user.email={committer_email}"),
                *("-c", "commit.gpgsign=false"),
                *("commit", "--quiet", "--no-verify", "--file=-"),
            ],
            input_bytes=message.encode("utf-8"),
            extra_env=identity,
        )
        return True

    @contextmanager
    def worktree(
        self, branch: str, *, remote: str = "origin", depth: int | None = None
    ) -> Iterator[Git]:
        """Check out ``branch`` from ``remote`` in a temp worktree (an orphan if it is missing).

        The worktree's HEAD is detached at ``<remote>/<branch>``; push it with
        :meth:`push_with_retry`. It is removed afterwards, also on error. ``depth`` limits the
        fetch (useful for a pages branch with a long history).
        """
        parent = Path(tempfile.mkdtemp(prefix="release-actions-worktree-"))
        path = parent / "worktree"
        orphan_branch: str | None = None
        try:
            if self._fetch_branch(branch, remote, depth):
                tracking = f"refs/remotes/{remote}/{branch}"
                self.run("worktree", "add", "--quiet", "--detach", str(path), tracking)
                yield self._sibling(path)
            else:
                # git 2.39 has no `worktree add --orphan`: start on an unborn branch instead.
                orphan_branch = f"release-actions/orphan-{secrets.token_hex(6)}"
                self.run("worktree", "add", "--quiet", "--no-checkout", "--detach", str(path))
                tree = self._sibling(path)
                tree.run("symbolic-ref", "HEAD", f"refs/heads/{orphan_branch}")
                tree.run("read-tree", "--empty")
                yield tree
        finally:
            self._execute(["worktree", "remove", "--force", str(path)], check=False)
            shutil.rmtree(parent, ignore_errors=True)
            self._execute(["worktree", "prune"], check=False)
            if orphan_branch is not None:
                self._execute(["branch", "-D", orphan_branch], check=False)

    def push_with_retry(
        self,
        branch: str,
        apply_change: Callable[[Git], bool],
        message: str,
        *,
        remote: str = "origin",
        attempts: int = 5,
        base_delay: float = 0.5,
        publisher: BranchPublisher | None = None,
    ) -> PushResult:
        """Apply, commit and publish (default: push); when another writer moved the branch
        first, fetch, reset, re-apply and retry with a bounded, jittered backoff.

        ``apply_change(git)`` edits the files and returns whether it changed anything; it is
        called again on the fresh remote state after each lost race, so it must compute its
        edit from what it finds, not replay a diff. Returns ``pushed=False`` when there was
        nothing to commit.
        """
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        publisher = publisher or GitPush()
        last_rejection = ""
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self._sleep(base_delay * 2 ** (attempt - 2) * (0.5 + self._jitter()))
                self._reset_to_remote(branch, remote)
            if not apply_change(self) or not self.commit_all(message):
                return PushResult(pushed=False, attempts=attempt, sha=self._try_head_sha())
            published = publisher.publish(self, branch, remote=remote, force=False)
            if published.sha is not None:
                return PushResult(pushed=True, attempts=attempt, sha=published.sha)
            last_rejection = published.rejection
        raise GitError(
            f"could not push to branch '{branch}': still rejected after {attempts} attempts "
            f"({last_rejection})"
        )

    def _reset_to_remote(self, branch: str, remote: str) -> None:
        if not self._fetch_branch(branch, remote):
            raise GitError(f"branch '{branch}' rejected the push but is missing from {remote}")
        self.run("reset", "--quiet", "--hard", f"refs/remotes/{remote}/{branch}")


def _basic_credentials(token: str) -> str:
    return base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not line.startswith("hint:")]
    joined = " / ".join(kept)
    return joined if len(joined) <= _MAX_DETAIL else joined[: _MAX_DETAIL - 1] + "…"


def _rejection_lines(output: str) -> str:
    lines = [line for line in output.splitlines() if "rejected" in line or "error:" in line]
    return "\n".join(lines) or output


def _remote_argument(args: Sequence[str]) -> str:
    """The remote a network command talks to: its first positional argument, else origin."""
    for arg in args:
        if arg == "--":
            break
        if not arg.startswith("-"):
            return arg
    return "origin"
