"""A thin typed wrapper over the git CLI. Argument lists only, never a shell.

The token never touches disk nor a command line (which any process on the runner can read in
``/proc/<pid>/cmdline``): commands that talk to a remote (fetch, push, ls-remote) get
``http.extraheader=AUTHORIZATION: basic …`` through their environment, as git's
``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_<n>``/``GIT_CONFIG_VALUE_<n>`` (the same scope as ``-c``),
and error messages redact it. actions/checkout persists its own header in ``.git/config`` under
``http.https://github.com/.extraheader``; git drops a less URL-specific setting that comes after a
more specific one, so a plain ``http.extraheader`` would silently lose to it. The header is
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
# A fetch or a commit starts `git maintenance run --auto` (a process, maybe a repack): our git
# directories are temporary, and the caller's repository is not ours to repack.
_NO_MAINTENANCE = (("maintenance.auto", "false"), ("gc.auto", "0"))

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
# Our worktrees: a temp directory of this prefix, locked with this reason and the process id.
_WORKTREE_PREFIX = "release-actions-worktree-"
_LOCK_REASON = "release-actions pid "
_ORPHAN_PREFIX = "release-actions/orphan-"
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
    ``http.extraheader=AUTHORIZATION: basic …`` in the environment of each command that talks
    to a remote, never on a command line.

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
        git_dir: Path | None = None,
    ) -> None:
        self.path = path
        self._git_dir = git_dir
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
        env = dict(os.environ if self._environ is None else self._environ)
        # Stable, English messages to parse; never wait for a password on a terminal.
        env.update({"LC_ALL": "C", "LANGUAGE": "", "GIT_TERMINAL_PROMPT": "0"})
        if self._git_dir is not None:
            env.update({"GIT_DIR": str(self._git_dir), "GIT_WORK_TREE": str(self.path)})
        env.update(extra_env or {})
        settings = list(_NO_MAINTENANCE)
        if remote is not None:
            settings += self._auth_settings(remote)
        env.update(_config_environment(env, settings))
        try:
            completed = subprocess.run(
                ["git", *args],
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

    def _auth_settings(self, remote: str) -> list[tuple[str, str]]:
        """The ``(key, value)`` settings that send our Authorization header, and only it."""
        if self._token is None:
            return []
        header = f"AUTHORIZATION: basic {_basic_credentials(self._token)}"
        keys = ["http.extraheader"]
        url = self._remote_url(remote)
        if url.startswith(("https://", "http://")):
            keys.append(f"http.{url}.extraheader")
        # The empty value first clears any header configured so far for that key.
        return [setting for key in keys for setting in ((key, ""), (key, header))]

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

    def remote_default_branch(self, remote: str = "origin") -> str | None:
        """The branch the remote's HEAD names (the repository's default branch), if any."""
        args = ["ls-remote", "--symref", remote, "HEAD"]
        for line in self._execute(args, remote=remote).stdout.decode().splitlines():
            target, _, name = line.removeprefix("ref: ").partition("\t")
            if line.startswith("ref: ") and name == "HEAD":
                return target.removeprefix("refs/heads/")
        return None

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
        allow_empty: bool = False,
    ) -> bool:
        """Stage everything and commit it; False if nothing changed (unless ``allow_empty``,
        which commits anyway: the start of a new branch).

        ``author`` and ``committer`` are (name, email); both default to github-actions[bot].
        """
        self.run("add", "--all")
        staged = self._execute(["diff", "--cached", "--quiet"], check=False)
        if staged.returncode == 0 and not allow_empty:
            return False
        if staged.returncode not in (0, 1):
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
                *(["--allow-empty"] if allow_empty else []),
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

        A run killed while its worktree exists leaves it behind; each worktree is locked with
        this process's id, so the next run removes those of ours whose process is gone.
        """
        # A private git directory (private_checkout's) is deleted whole afterwards: its worktrees
        # need no bookkeeping in it, only their own directories removed.
        bookkeeping = self._git_dir is None
        if bookkeeping:
            self.remove_stale_worktrees()
        parent = Path(tempfile.mkdtemp(prefix=_WORKTREE_PREFIX))
        path = parent / "worktree"
        orphan_branch: str | None = None
        lock = ("--lock", "--reason", f"{_LOCK_REASON}{os.getpid()}")
        try:
            if self._fetch_branch(branch, remote, depth):
                tracking = f"refs/remotes/{remote}/{branch}"
                self.run("worktree", "add", "--quiet", *lock, "--detach", str(path), tracking)
                yield self._sibling(path)
            else:
                # git 2.39 has no `worktree add --orphan`: start on an unborn branch instead.
                orphan_branch = f"{_ORPHAN_PREFIX}{secrets.token_hex(6)}"
                self.run(
                    "worktree", "add", "--quiet", *lock, "--no-checkout", "--detach", str(path)
                )
                tree = self._sibling(path)
                tree.run("symbolic-ref", "HEAD", f"refs/heads/{orphan_branch}")
                tree.run("read-tree", "--empty")
                yield tree
        finally:
            if bookkeeping:
                # Twice --force: the worktree is locked.
                remove = ["worktree", "remove", "--force", "--force", str(path)]
                self._execute(remove, check=False)
            shutil.rmtree(parent, ignore_errors=True)
            if bookkeeping:
                self._execute(["worktree", "prune"], check=False)
                if orphan_branch is not None:
                    self._execute(["branch", "-D", orphan_branch], check=False)

    def remove_stale_worktrees(self) -> list[Path]:
        """Remove the worktrees :meth:`worktree` made for a process that is gone (a run that was
        killed), and their orphan branches; return the paths removed. Others' are left alone."""
        listing = self._execute(["worktree", "list", "--porcelain"], check=False)
        removed: list[Path] = []
        for record in _decode(listing.stdout).split("\n\n"):
            fields = dict(line.partition(" ")[::2] for line in record.splitlines() if line)
            path = Path(fields.get("worktree", ""))
            if not path.parent.name.startswith(_WORKTREE_PREFIX):
                continue
            reason = fields.get("locked", "")
            owner = reason.removeprefix(_LOCK_REASON)
            if reason.startswith(_LOCK_REASON) and owner.isdecimal() and _alive(int(owner)):
                continue
            self._execute(["worktree", "remove", "--force", "--force", str(path)], check=False)
            shutil.rmtree(path.parent, ignore_errors=True)
            removed.append(path)
        if removed:
            self._execute(["worktree", "prune"], check=False)
            branches = self._execute(
                ["for-each-ref", "--format=%(refname:short)", f"refs/heads/{_ORPHAN_PREFIX}"],
                check=False,
            )
            for orphan in _decode(branches.stdout).split():
                # One still checked out (a live run's) refuses to be deleted: it stays.
                self._execute(["branch", "-D", orphan], check=False)
        return removed

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


def _config_environment(
    env: Mapping[str, str], settings: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """``settings`` as ``GIT_CONFIG_COUNT``/``KEY_n``/``VALUE_n``, after any already there."""
    if not settings:
        return {}
    given = env.get("GIT_CONFIG_COUNT", "")
    start = int(given) if given.isascii() and given.isdecimal() else 0
    variables = {"GIT_CONFIG_COUNT": str(start + len(settings))}
    for index, (key, value) in enumerate(settings, start=start):
        variables[f"GIT_CONFIG_KEY_{index}"] = key
        variables[f"GIT_CONFIG_VALUE_{index}"] = value
    return variables


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


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


# What the private directory needs of the checkout's own config: how to reach origin (a
# partial clone's promisor settings included, so missing blobs are fetched on demand), and the
# repository's extensions.
_COPIED_CONFIG = r"^(remote|url|http|extensions)\."


@contextmanager
def private_checkout(path: Path, *, token: str | None = None) -> Iterator[Git | None]:
    """The checkout at ``path`` seen through a git directory of our own (None: not a checkout).

    The private directory borrows the checkout's objects (alternates) and starts with copies of
    its refs, HEAD, index, shallow list, remote settings and extensions. Every fetch, deepening,
    tag and worktree then lands in the private directory, which is deleted afterwards: the
    caller's later steps find their checkout's refs, config, objects and shallowness as they left
    them. The working tree is the checkout's, for reading.
    """
    checkout = Git(path, token=token)
    try:
        found = checkout.run(
            "rev-parse",
            "--path-format=absolute",
            "--git-common-dir",
            "--git-dir",
            "--show-object-format",
        ).splitlines()
    except GitError:
        yield None
        return
    common_dir, own_dir, object_format = Path(found[0]), Path(found[1]), found[2]
    parent = Path(tempfile.mkdtemp(prefix="release-actions-git-"))
    private_dir = parent / "git"
    try:
        init = ["init", "--quiet", "--bare", f"--object-format={object_format}"]
        checkout.run(*init, str(private_dir))
        alternates = private_dir / "objects" / "info" / "alternates"
        alternates.write_text(f"{common_dir / 'objects'}\n", encoding="utf-8")
        private = Git(path, token=token, git_dir=private_dir)
        listing = checkout.run(
            "config", "-z", "--local", "--get-regexp", _COPIED_CONFIG, check=False
        )
        settings = [entry.partition("\n") for entry in listing.split("\0") if entry]
        if any(key.startswith("extensions.") for key, _, _ in settings):
            private.run("config", "core.repositoryformatversion", "1")
        for key, _, value in settings:
            if key != "extensions.objectformat":  # set by init
                private.run("config", "--add", key, value)
        refs = checkout.run("for-each-ref", "--format=create %(refname) %(objectname)")
        private.run("update-ref", "--stdin", input_text=refs)
        # HEAD ("ref: refs/heads/…" or a detached commit) as is, like the shallow list and index.
        for name, source in (("HEAD", own_dir), ("shallow", common_dir), ("index", own_dir)):
            if (source / name).is_file():
                shutil.copyfile(source / name, private_dir / name)
        yield private
    finally:
        shutil.rmtree(parent, ignore_errors=True)
