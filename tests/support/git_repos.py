"""Real git repositories for tests: a bare ``origin`` and working clones of it.

Use the ``git_project`` fixture (tests/support/fixtures_git.py)::

    def test_release(git_project: GitProject) -> None:
        work = git_project.work  # a clone on main; README.md is committed and pushed
        work.commit({"charts/a/Chart.yaml": "name: a\\nversion: 1.0.0\\n"}, "add chart a")
        work.tag("a-1.0.0")  # lightweight; tag(name, message="…") is annotated
        work.push(tags=True)  # the current branch, and the tags
        git_project.seed_branch("gh-pages", {"index.yaml": "entries: {}\\n"})  # onto origin
        git = work.client(token="ghs_test")  # a release_actions.git.Git on the clone
        ...
        assert git_project.origin_file("gh-pages", "index.yaml") == b"..."
        assert git_project.origin_log("gh-pages")[0] == "Update index"

``files`` mappings take text, bytes, ``Symlink("target")`` (a symbolic link, committed as git
stores links), or None (delete the file). Dates are aware datetimes or
git date strings; naive datetimes are taken as UTC. ``clone()`` gives another working copy, for
race tests or a shallow (``depth=1``) clone like actions/checkout's. Every command runs with the
isolated git config tests/conftest.py sets up, plus no hooks and no signing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from release_actions.git import Git


@dataclass(frozen=True)
class Symlink:
    """A symbolic link to ``target`` (as written: relative or absolute), for ``files``."""

    target: str


Files = Mapping[str, str | bytes | Symlink | None]
CommitDate = datetime | str

_ISOLATION = (
    *("-c", "init.defaultBranch=main"),
    *("-c", "commit.gpgsign=false"),
    *("-c", "tag.gpgsign=false"),
    *("-c", "core.hooksPath=/dev/null"),
    *("-c", "advice.detachedHead=false"),
)


def _no_sleep(seconds: float) -> None:
    pass


def write_files(root: Path, files: Files) -> None:
    """Write ``files`` (path → text, bytes or :class:`Symlink`) under ``root``; ``None``
    deletes that path."""
    for name, content in files.items():
        target = root / name
        if content is None:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            target.unlink(missing_ok=True)
            target.symlink_to(content.target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


class GitFixtureError(RuntimeError):
    """A git command of the test bench itself failed (a broken test, not a product bug)."""


def git(
    cwd: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    input_text: str | None = None,
    check: bool = True,
) -> str:
    """Run git in ``cwd`` with the bench's isolation options; return stdout."""
    completed = subprocess.run(
        ["git", *_ISOLATION, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=input_text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if check and completed.returncode != 0:
        raise GitFixtureError(f"git {' '.join(args)} failed in {cwd}: {completed.stderr.strip()}")
    return completed.stdout


def date_env(date: CommitDate | None) -> dict[str, str]:
    """GIT_AUTHOR_DATE and GIT_COMMITTER_DATE for a fixed commit time."""
    if date is None:
        return {}
    if isinstance(date, datetime):
        aware = date if date.tzinfo is not None else date.replace(tzinfo=UTC)
        text = aware.isoformat()
    else:
        text = date
    return {"GIT_AUTHOR_DATE": text, "GIT_COMMITTER_DATE": text}


@dataclass(frozen=True)
class WorkingCopy:
    """A clone of the project's origin."""

    path: Path

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        return git(self.path, *args, env=env)

    def client(
        self,
        token: str | None = None,
        *,
        sleep: Callable[[float], None] = _no_sleep,
        jitter: Callable[[], float] = lambda: 0.5,
    ) -> Git:
        """The product's git adapter on this clone; push back-off does not sleep by default."""
        return Git(self.path, token=token, sleep=sleep, jitter=jitter)

    def write(self, files: Files) -> None:
        write_files(self.path, files)

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def commit(
        self,
        files: Files | None = None,
        message: str = "change",
        *,
        date: CommitDate | None = None,
        allow_empty: bool = False,
    ) -> str:
        """Write ``files``, stage everything and commit; returns the new HEAD sha."""
        if files:
            self.write(files)
        self.git("add", "--all")
        extra = ["--allow-empty"] if allow_empty else []
        args = ("commit", "--quiet", *extra, "--file=-")
        git(self.path, *args, env=date_env(date), input_text=message)
        return self.head()

    def tag(
        self,
        name: str,
        ref: str = "HEAD",
        *,
        message: str | None = None,
        date: CommitDate | None = None,
    ) -> None:
        """A lightweight tag, or an annotated one when ``message`` is given."""
        if message is None:
            self.git("tag", name, ref)
        else:
            self.git("tag", "--annotate", name, "--message", message, ref, env=date_env(date))

    def push(self, *refspecs: str, tags: bool = False, force: bool = False) -> None:
        """Push ``refspecs`` (default: the current branch) to origin, and tags if asked."""
        options = (["--tags"] if tags else []) + (["--force"] if force else [])
        self.git("push", "--quiet", *options, "origin", *(refspecs or ("HEAD",)))

    def checkout(self, branch: str, *, create: bool = False, orphan: bool = False) -> None:
        """Switch branch; ``orphan`` starts an unrelated empty history."""
        if orphan:
            self.git("checkout", "--quiet", "--orphan", branch)
            self.git("rm", "-r", "--quiet", "--force", "--ignore-unmatch", ".")
        elif create:
            self.git("checkout", "--quiet", "-b", branch)
        else:
            self.git("checkout", "--quiet", branch)

    def fetch(self) -> None:
        self.git("fetch", "--quiet", "--tags", "origin")

    def head(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{ref}^{{commit}}").strip()

    @property
    def branch(self) -> str:
        return self.git("rev-parse", "--abbrev-ref", "HEAD").strip()

    def log(self, ref: str = "HEAD") -> list[str]:
        """Commit subjects, newest first."""
        return self.git("log", "--format=%s", ref).splitlines()


@dataclass(frozen=True)
class GitProject:
    """A bare ``origin`` (HEAD → main) and a working clone ``work`` with one pushed commit."""

    root: Path
    origin: Path
    work: WorkingCopy

    @property
    def origin_url(self) -> str:
        return self.origin.as_uri()

    @classmethod
    def create(cls, root: Path, *, initial: Files | None = None) -> GitProject:
        root.mkdir(parents=True, exist_ok=True)
        origin = root / "origin.git"
        git(root, "init", "--quiet", "--bare", str(origin))
        git(origin, "symbolic-ref", "HEAD", "refs/heads/main")
        project = cls(root=root, origin=origin, work=WorkingCopy(root / "work"))
        git(root, "clone", "--quiet", project.origin_url, str(project.work.path))
        project.work.checkout("main", create=True)
        project.work.commit(initial or {"README.md": "# Test project\n"}, "Initial commit")
        project.work.push()
        return project

    def clone(
        self, name: str | None = None, *, branch: str | None = None, depth: int | None = None
    ) -> WorkingCopy:
        """Another working copy of origin (``depth`` makes it shallow)."""
        target = self.root / (name or f"clone-{len(list(self.root.glob('clone-*')))}")
        options = (["--branch", branch] if branch else []) + (
            [f"--depth={depth}"] if depth is not None else []
        )
        git(self.root, "clone", "--quiet", *options, self.origin_url, str(target))
        return WorkingCopy(target)

    def origin_sha(self, ref: str) -> str | None:
        """The commit ``ref`` (a branch or tag name, or a full ref) points at on origin."""
        out = git(self.origin, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return out.strip() or None

    def origin_file(self, branch: str, name: str) -> bytes | None:
        """A file's bytes on an origin branch, or None if the branch or file is missing."""
        completed = subprocess.run(
            ["git", "cat-file", "blob", f"refs/heads/{branch}:{name}"],
            cwd=self.origin,
            capture_output=True,
            check=False,
        )
        return completed.stdout if completed.returncode == 0 else None

    def origin_branches(self) -> list[str]:
        return git(self.origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()

    def origin_tags(self) -> list[str]:
        return git(self.origin, "for-each-ref", "--format=%(refname:short)", "refs/tags").split()

    def origin_log(self, branch: str) -> list[str]:
        """Commit subjects on an origin branch, newest first."""
        return git(self.origin, "log", "--format=%s", f"refs/heads/{branch}").splitlines()

    def origin_author(self, branch: str) -> str:
        """``Name <email>`` of the author of the branch's last commit on origin."""
        return git(self.origin, "log", "-1", "--format=%an <%ae>", f"refs/heads/{branch}").strip()

    def seed_branch(
        self,
        branch: str,
        files: Files,
        message: str = "Seed",
        *,
        date: CommitDate | None = None,
    ) -> str:
        """Commit ``files`` onto ``branch`` straight on origin (an orphan branch if new),
        through a scratch clone, so ``work`` is left alone. Returns the new commit sha."""
        scratch_path = self.root / f"seed-{branch.replace('/', '-')}"
        if scratch_path.exists():
            scratch = WorkingCopy(scratch_path)
            scratch.git("fetch", "--quiet", "origin")
        else:
            scratch = self.clone(scratch_path.name)
        if self.origin_sha(f"refs/heads/{branch}") is None:
            scratch.checkout(branch, orphan=True)
        else:
            scratch.git("checkout", "--quiet", "-B", branch, f"origin/{branch}")
        sha = scratch.commit(files, message, date=date)
        scratch.git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        return sha
