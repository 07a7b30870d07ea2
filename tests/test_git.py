"""The git adapter on real repositories: a bare origin in a temp dir and working clones."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from release_actions.errors import GitError
from release_actions.git import BOT_EMAIL, BOT_NAME, Git, PushResult, private_checkout
from support.git_repos import GitProject, WorkingCopy, git

TOKEN = "ghs_SuperSecretTokenValue123"
ENCODED = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
BOT = f"{BOT_NAME} <{BOT_EMAIL}>"


def write(git: Git, name: str, text: str) -> bool:
    """Write a file in ``git``'s tree; True, as an ``apply_change`` callback that changed it."""
    target = git.path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def no_sleep(seconds: float) -> None:
    pass


# -- reading ------------------------------------------------------------------------------------


def test_changed_files_since_the_merge_base(git_project: GitProject) -> None:
    work = git_project.work
    work.commit({"charts/a/Chart.yaml": "name: a\n", "old name.txt": "x\n"}, "base")
    work.checkout("feature", create=True)
    work.commit(
        {
            "charts/a/Chart.yaml": "name: a\nversion: 2\n",
            "docs/ünïcode file.md": "hi\n",
            "README.md": None,
        },
        "feature work",
    )
    work.git("mv", "old name.txt", "new name.txt")
    work.commit(message="rename")
    work.checkout("main")
    work.commit({"unrelated-on-main.txt": "main moved on\n"}, "main moves")

    adapter = work.client()
    base = adapter.merge_base("main", "feature")

    assert base == work.head("main~1")
    assert sorted(adapter.changed_files(base, "feature")) == [
        "README.md",
        "charts/a/Chart.yaml",
        "docs/ünïcode file.md",
        "new name.txt",
        "old name.txt",
    ]
    assert adapter.changed_files("feature", "feature") == []


def test_merge_base_of_unrelated_histories_is_an_error(git_project: GitProject) -> None:
    work = git_project.work
    work.checkout("island", orphan=True)
    work.commit({"x": "y"}, "unrelated root")
    with pytest.raises(GitError, match="no common history"):
        work.client().merge_base("main", "island")


def test_file_at_reads_bytes_and_tells_a_missing_file_from_a_bad_ref(
    git_project: GitProject,
) -> None:
    work = git_project.work
    blob = bytes(range(256))
    work.commit({"bin/data.bin": blob, "sub/text.txt": "first\n"}, "one")
    first = work.head()
    work.commit({"sub/text.txt": "second\n"}, "two")
    adapter = work.client()

    assert adapter.file_at("HEAD", "bin/data.bin") == blob
    assert adapter.file_at(first, "sub/text.txt") == b"first\n"
    assert adapter.file_at("HEAD", "./sub/text.txt") == b"second\n"
    assert adapter.file_at("HEAD", "missing.txt") is None
    assert adapter.file_at("HEAD", "sub") is None  # a directory is not a file
    with pytest.raises(GitError, match="no-such-ref"):
        adapter.file_at("no-such-ref", "sub/text.txt")


def test_last_commit_time_is_the_last_commit_touching_the_path(git_project: GitProject) -> None:
    work = git_project.work
    plus_two = timezone(timedelta(hours=2))
    work.commit({"CHANGELOG.md": "v1\n"}, "one", date=datetime(2024, 1, 2, 12, 0, tzinfo=plus_two))
    work.commit({"other.txt": "x\n"}, "two", date=datetime(2024, 3, 1, tzinfo=UTC))
    adapter = work.client()

    when = adapter.last_commit_time("CHANGELOG.md")
    assert when == datetime(2024, 1, 2, 10, 0, tzinfo=UTC)
    assert when is not None and when.tzinfo is UTC
    assert adapter.last_commit_time("other.txt") == datetime(2024, 3, 1, tzinfo=UTC)
    assert adapter.last_commit_time("CHANGELOG.md", "HEAD~2") is None
    assert adapter.last_commit_time("never-existed.md") is None


def test_tags_lists_lightweight_and_annotated_tags_by_pattern(git_project: GitProject) -> None:
    work = git_project.work
    work.tag("app-1.0.0")
    work.tag("app-1.1.0", message="release 1.1.0")
    work.tag("v2.0.0")
    adapter = work.client()

    assert adapter.tags() == ["app-1.0.0", "app-1.1.0", "v2.0.0"]
    assert adapter.tags("app-*") == ["app-1.0.0", "app-1.1.0"]
    assert adapter.tags("nothing-*") == []
    assert adapter.head_sha("app-1.1.0") == work.head()  # annotated tags peel to the commit


def test_shallow_clone_detection_deepen_and_unshallow(git_project: GitProject) -> None:
    work = git_project.work
    for number in range(3):
        work.commit({"n.txt": f"{number}\n"}, f"commit {number}")
    fork_point = work.head("HEAD~2")
    work.git("branch", "feature", fork_point)
    work.checkout("feature")
    work.commit({"f.txt": "f\n"}, "feature")
    work.checkout("main")
    work.push("main", "feature")

    shallow = git_project.clone("shallow", depth=1).client()
    assert shallow.is_shallow()
    assert not work.client().is_shallow()

    shallow.fetch("+refs/heads/feature:refs/remotes/origin/feature", depth=1)
    with pytest.raises(GitError, match="shallow clone; fetch more history"):
        shallow.merge_base("HEAD", "origin/feature")

    shallow.deepen(1)
    assert shallow.is_shallow()
    assert shallow.head_sha("HEAD~1") == work.head("main~1")
    shallow.unshallow()
    assert not shallow.is_shallow()
    assert shallow.merge_base("HEAD", "origin/feature") == fork_point
    shallow.unshallow()  # a no-op once the history is complete


def test_fetch_and_remote_branch_exists(git_project: GitProject) -> None:
    git_project.seed_branch("gh-pages", {"index.yaml": "entries: {}\n"})
    adapter = git_project.work.client(token=TOKEN)

    assert adapter.remote_branch_exists("main")
    assert adapter.remote_branch_exists("gh-pages")
    assert not adapter.remote_branch_exists("nope")

    adapter.fetch("+refs/heads/gh-pages:refs/remotes/origin/gh-pages")
    assert adapter.file_at("origin/gh-pages", "index.yaml") == b"entries: {}\n"


def test_no_fetch_or_commit_starts_automatic_maintenance(
    git_project: GitProject, tmp_path: Path
) -> None:
    trace = tmp_path / "git-trace"
    adapter = Git(git_project.work.path, environ={**os.environ, "GIT_TRACE": str(trace)})

    adapter.fetch()
    with adapter.worktree("pages") as tree:
        tree.push_with_retry("pages", lambda g: write(g, "index.yaml", "x\n"), "Publish")

    traced = trace.read_text(encoding="utf-8")
    assert "git fetch" in traced and "git commit" in traced
    # (the `gc --auto` that receive-pack runs is the remote's, as GitHub's would be)
    assert "maintenance run --auto" not in traced


def test_commit_all_commits_as_the_bot_and_reports_nothing_to_commit(
    git_project: GitProject,
) -> None:
    work = git_project.work
    adapter = work.client()
    before = work.head()

    assert adapter.commit_all("nothing") is False
    assert work.head() == before

    work.write({"new.txt": "x\n", "README.md": None})
    assert adapter.commit_all("Update files\n\nwith a body") is True
    # conftest.py sets GIT_AUTHOR_NAME/GIT_COMMITTER_NAME: the bot identity must still win.
    assert work.git("log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == f"{BOT}|{BOT}"
    assert work.git("log", "-1", "--format=%B").strip() == "Update files\n\nwith a body"
    assert work.git("status", "--porcelain") == ""


def test_run_raises_a_one_line_git_error_with_the_command(git_project: GitProject) -> None:
    adapter = git_project.work.client()
    with pytest.raises(GitError) as caught:
        adapter.run("rev-parse", "--verify", "does-not-exist")
    message = str(caught.value)
    assert "git rev-parse --verify does-not-exist" in message
    assert "\n" not in message
    assert adapter.run("rev-parse", "--verify", "nope", check=False) == ""


# -- worktrees ----------------------------------------------------------------------------------


def test_worktree_of_an_existing_branch(git_project: GitProject) -> None:
    git_project.seed_branch("gh-pages", {"index.yaml": "entries: {}\n", "a/b.txt": "b\n"})
    adapter = git_project.work.client()

    with adapter.worktree("gh-pages") as tree:
        path = tree.path
        assert sorted(p.name for p in path.iterdir()) == [".git", "a", "index.yaml"]
        assert tree.head_sha() == git_project.origin_sha("gh-pages")
        assert git_project.work.branch == "main"  # the checkout itself is untouched

    assert not path.exists()
    assert len(git_project.work.git("worktree", "list").splitlines()) == 1


def test_worktree_is_removed_when_the_body_fails(git_project: GitProject) -> None:
    adapter = git_project.work.client()
    with pytest.raises(RuntimeError, match="boom"), adapter.worktree("main") as tree:
        path = tree.path
        raise RuntimeError("boom")
    assert not path.exists()
    assert len(git_project.work.git("worktree", "list").splitlines()) == 1


def test_worktree_of_a_missing_branch_is_an_empty_orphan(git_project: GitProject) -> None:
    adapter = git_project.work.client()
    branches_before = git_project.work.git("branch", "--list")

    with adapter.worktree("cs-releases") as tree:
        assert [p.name for p in tree.path.iterdir()] == [".git"]
        result = tree.push_with_retry(
            "cs-releases", lambda g: write(g, "config.json", "{}\n"), "Create config"
        )

    assert result == PushResult(
        pushed=True, attempts=1, sha=str(git_project.origin_sha("cs-releases"))
    )
    assert git_project.origin_file("cs-releases", "config.json") == b"{}\n"
    assert git_project.origin_file("cs-releases", "README.md") is None
    assert git(git_project.origin, "rev-list", "--count", "cs-releases").strip() == "1"
    assert git_project.origin_author("cs-releases") == BOT
    assert git_project.work.git("branch", "--list") == branches_before  # no temp branch left


# -- the token ----------------------------------------------------------------------------------


def _local_config(work: WorkingCopy) -> str:
    return (work.path / ".git" / "config").read_text()


def test_the_token_is_never_written_to_git_config(git_project: GitProject) -> None:
    work = git_project.work
    adapter = work.client(token=TOKEN)

    assert adapter.remote_branch_exists("main")
    adapter.fetch()
    with adapter.worktree("pages") as tree:
        tree.push_with_retry("pages", lambda g: write(g, "i.yaml", "x\n"), "Publish")
    assert adapter.push_with_retry("main", lambda g: write(g, "n.txt", "n\n"), "Bump").pushed

    config = _local_config(work)
    assert TOKEN not in config
    assert ENCODED not in config
    assert "extraheader" not in config
    assert TOKEN not in git(work.path, "config", "--list", "--show-origin")


def test_the_token_is_never_on_a_git_command_line(
    git_project: GitProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any process on the runner can read /proc/<pid>/cmdline: the token goes in the env."""
    commands: list[list[str]] = []
    environments: list[dict[str, str]] = []
    real_run = subprocess.run

    def recording_run(args: list[str], **kwargs: Any) -> Any:
        commands.append(list(args))
        environments.append(dict(kwargs.get("env") or {}))
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    adapter = git_project.work.client(token=TOKEN)
    assert adapter.remote_branch_exists("main")
    adapter.fetch()
    with adapter.worktree("pages") as tree:
        tree.push_with_retry("pages", lambda g: write(g, "i.yaml", "x\n"), "Publish")

    assert any("push" in command for command in commands), commands
    for command in commands:
        assert not any(TOKEN in arg or ENCODED in arg for arg in command), command
    assert any(f"AUTHORIZATION: basic {ENCODED}" in env.values() for env in environments)


def test_the_header_is_added_after_a_callers_own_git_config_environment(
    git_project: GitProject, recording_server: tuple[str, list[list[str]]]
) -> None:
    base_url, seen = recording_server
    environ = {
        **os.environ,
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.userAgent",
        "GIT_CONFIG_VALUE_0": "caller/1.0",
    }
    adapter = Git(git_project.work.path, token=TOKEN, environ=environ)
    with pytest.raises(GitError):
        adapter.fetch(remote=f"{base_url}/owner/repo.git")
    assert seen and all(headers == [f"basic {ENCODED}"] for headers in seen)


def test_the_token_is_redacted_from_git_errors(git_project: GitProject) -> None:
    adapter = git_project.work.client(token=TOKEN)
    url_with_token = f"https://x-access-token:{TOKEN}@127.0.0.1:9/{ENCODED}.git"
    with pytest.raises(GitError) as caught:
        adapter.fetch("main", remote=url_with_token)
    message = str(caught.value)
    assert "git fetch" in message
    assert TOKEN not in message
    assert ENCODED not in message
    assert "***" in message


class _RecordingHandler(BaseHTTPRequestHandler):
    authorizations: list[list[str]]

    def do_GET(self) -> None:
        self.authorizations.append(self.headers.get_all("Authorization") or [])
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[list[str]]]]:
    seen: list[list[str]] = []
    handler = type("Handler", (_RecordingHandler,), {"authorizations": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    "persisted_key",
    [
        # What actions/checkout persists by default (persist-credentials: true). A plain
        # `-c http.extraheader` after it is ignored by git: less specific than the stored key.
        "http.{base_url}/.extraheader",
        # A plain stored header: a plain `-c http.extraheader` would add a second header.
        "http.extraheader",
    ],
)
def test_exactly_our_authorization_header_is_sent_over_http(
    git_project: GitProject, recording_server: tuple[str, list[list[str]]], persisted_key: str
) -> None:
    base_url, seen = recording_server
    work = git_project.work
    work.git("remote", "add", "web", f"{base_url}/owner/repo.git")
    work.git("config", persisted_key.format(base_url=base_url), "AUTHORIZATION: basic b2xk")

    with pytest.raises(GitError) as caught:
        work.client(token=TOKEN).remote_branch_exists("main", remote="web")

    assert seen, "git never reached the server"
    assert all(headers == [f"basic {ENCODED}"] for headers in seen), seen
    assert TOKEN not in str(caught.value) and ENCODED not in str(caught.value)
    assert ENCODED not in _local_config(work)


def test_without_a_token_no_authorization_header_is_added(
    git_project: GitProject, recording_server: tuple[str, list[list[str]]]
) -> None:
    base_url, seen = recording_server
    with pytest.raises(GitError):
        git_project.work.client().fetch(remote=f"{base_url}/owner/repo.git")
    assert seen and all(headers == [] for headers in seen)


# -- pushing ------------------------------------------------------------------------------------


def test_push_with_retry_wins_a_race_between_two_clones(git_project: GitProject) -> None:
    clone_a = git_project.clone("a").client()
    delays: list[float] = []
    clone_b = Git(git_project.clone("b").path, sleep=delays.append, jitter=lambda: 0.5)
    seen_by_b: list[bytes | None] = []

    def change_a(git: Git) -> bool:
        write(git, "a.txt", "from A\n")
        return True

    def change_b(git: Git) -> bool:
        seen_by_b.append(git.file_at("HEAD", "a.txt"))
        if len(seen_by_b) == 1:  # A lands between B's checkout and B's push
            assert clone_a.push_with_retry("main", change_a, "A").attempts == 1
        write(git, "b.txt", "from B\n")
        return True

    result = clone_b.push_with_retry("main", change_b, "B")

    assert result.pushed and result.attempts == 2
    assert result.sha == git_project.origin_sha("main")
    assert seen_by_b == [None, b"from A\n"]  # the retry re-applied on A's state
    assert git_project.origin_file("main", "a.txt") == b"from A\n"
    assert git_project.origin_file("main", "b.txt") == b"from B\n"
    assert git_project.origin_log("main") == ["B", "A", "Initial commit"]
    assert delays == [0.5]  # base 0.5 × 2^0 × (0.5 + jitter 0.5)


def test_push_with_retry_wins_a_race_creating_the_branch(git_project: GitProject) -> None:
    clone_a = git_project.clone("a").client()
    clone_b = git_project.clone("b").client()
    calls = 0

    def change_b(git: Git) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            with clone_a.worktree("cs-releases") as tree:
                tree.push_with_retry("cs-releases", lambda g: write(g, "a.json", "{}"), "A")
        write(git, "b.json", "{}")
        return True

    with clone_b.worktree("cs-releases") as tree:
        result = tree.push_with_retry("cs-releases", change_b, "B")

    assert (result.pushed, result.attempts) == (True, 2)
    assert git_project.origin_log("cs-releases") == ["B", "A"]
    assert git_project.origin_file("cs-releases", "a.json") == b"{}"


def test_push_with_retry_pushes_nothing_when_the_racer_made_the_same_change(
    git_project: GitProject,
) -> None:
    clone_a = git_project.clone("a").client()
    clone_b = git_project.clone("b").client()
    calls = 0

    def set_version(git: Git) -> bool:
        if (git.path / "VERSION").exists():
            return False
        write(git, "VERSION", "1.0.0\n")
        return True

    def change_b(git: Git) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            clone_a.push_with_retry("main", set_version, "A sets the version")
        return set_version(git)

    result = clone_b.push_with_retry("main", change_b, "B sets the version")

    assert result == PushResult(pushed=False, attempts=2, sha=str(git_project.origin_sha("main")))
    assert git_project.origin_log("main") == ["A sets the version", "Initial commit"]


def test_push_with_retry_gives_up_after_its_attempts(git_project: GitProject) -> None:
    rival = git_project.clone("rival")
    delays: list[float] = []
    loser = Git(git_project.clone("loser").path, sleep=delays.append, jitter=lambda: 0.0)
    calls = 0

    def always_beaten(git: Git) -> bool:
        nonlocal calls
        calls += 1
        rival.git("pull", "--quiet", "--ff-only")
        rival.commit({"rival.txt": f"{calls}\n"}, f"rival {calls}")
        rival.push()
        write(git, "loser.txt", f"{calls}\n")
        return True

    with pytest.raises(GitError, match="after 3 attempts") as caught:
        loser.push_with_retry("main", always_beaten, "never lands", attempts=3, base_delay=1.0)

    assert calls == 3
    assert delays == [0.5, 1.0]  # exponential: 1.0 × 2^n × (0.5 + jitter 0)
    assert "rejected" in str(caught.value)
    assert git_project.origin_file("main", "loser.txt") is None


def test_push_with_retry_fails_at_once_on_other_push_errors(git_project: GitProject) -> None:
    hook = git_project.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch hook declined' >&2\nexit 1\n")
    hook.chmod(0o755)
    slept: list[float] = []
    adapter = Git(git_project.work.path, sleep=slept.append)
    calls = 0

    def change(git: Git) -> bool:
        nonlocal calls
        calls += 1
        write(git, "x.txt", "x\n")
        return True

    with pytest.raises(GitError, match="declined"):
        adapter.push_with_retry("main", change, "blocked")
    assert calls == 1
    assert slept == []


def test_push_with_retry_without_changes_commits_nothing(git_project: GitProject) -> None:
    adapter = git_project.work.client()
    head = git_project.work.head()
    result = adapter.push_with_retry("main", lambda git: False, "nothing")
    assert result == PushResult(pushed=False, attempts=1, sha=head)
    assert git_project.origin_log("main") == ["Initial commit"]


def test_push_with_retry_commits_as_the_bot(git_project: GitProject, tmp_path: Path) -> None:
    adapter = git_project.work.client()
    adapter.push_with_retry("main", lambda git: write(git, "f", "x"), "Bot commit")
    assert git_project.origin_author("main") == BOT


def test_a_missing_repository_directory_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="cannot run git"):
        Git(tmp_path / "missing").head_sha()


def test_private_checkout_fetches_into_its_own_directory(git_project: GitProject) -> None:
    git_project.work.commit({"a.txt": "a\n"}, "Second")
    git_project.work.tag("v1")
    git_project.work.push(tags=True)
    shallow = git_project.clone("shallow", depth=1)
    before = [
        shallow.git("for-each-ref"),
        shallow.git("config", "--local", "--list"),
        (shallow.path / ".git" / "shallow").read_text(),
    ]

    with private_checkout(shallow.path) as git:
        assert git is not None and git.is_shallow()
        git.fetch(tags=True)
        git.unshallow()
        assert not git.is_shallow() and git.tags() == ["v1"]
        assert git.head_sha() == shallow.head()
        assert git.run("status", "--porcelain") == ""

    assert [
        shallow.git("for-each-ref"),
        shallow.git("config", "--local", "--list"),
        (shallow.path / ".git" / "shallow").read_text(),
    ] == before


def test_a_worktree_in_a_private_checkout_is_removed_without_bookkeeping(
    git_project: GitProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The private git directory is deleted whole: listing, removing and pruning worktrees in
    it would be three git processes for nothing."""
    git_project.seed_branch("pages", {"index.yaml": "entries: {}\n"})
    before = git_project.work.git("worktree", "list", "--porcelain")
    trace = tmp_path / "git-trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))

    with private_checkout(git_project.work.path) as git:
        assert git is not None
        with git.worktree("pages") as tree:
            worktree = tree.path
            assert (worktree / "index.yaml").read_text() == "entries: {}\n"
        with git.worktree("new-branch") as orphan:
            assert orphan.run("status", "--porcelain") == ""

    monkeypatch.delenv("GIT_TRACE")
    assert not worktree.exists() and not worktree.parent.exists()
    assert git_project.work.git("worktree", "list", "--porcelain") == before
    traced = trace.read_text(encoding="utf-8")
    assert "git worktree add" in traced
    assert "worktree list" not in traced and "worktree remove" not in traced
    assert "worktree prune" not in traced and "branch -D" not in traced


@pytest.mark.parametrize("checkout", ["branch", "detached", "linked-worktree"])
def test_private_checkout_starts_at_the_checkouts_head(
    git_project: GitProject, tmp_path: Path, checkout: str
) -> None:
    work = git_project.work
    work.commit({"a.txt": "a\n"}, "Second")
    path = work.path
    if checkout == "detached":
        work.git("checkout", "--quiet", "--detach", "HEAD~1")
    elif checkout == "linked-worktree":
        path = tmp_path / "linked"
        work.git("worktree", "add", "--quiet", "-b", "feature", str(path), "HEAD~1")
    observed = Git(path)
    expected = (observed.run("symbolic-ref", "--quiet", "HEAD", check=False), observed.head_sha())

    with private_checkout(path) as git:
        assert git is not None
        assert (git.run("symbolic-ref", "--quiet", "HEAD", check=False), git.head_sha()) == expected
        assert git.run("status", "--porcelain") == ""

    assert expected[0] == {"branch": "refs/heads/main\n", "detached": ""}.get(
        checkout, "refs/heads/feature\n"
    )


def test_private_checkout_of_a_plain_directory_is_none(tmp_path: Path) -> None:
    with private_checkout(tmp_path) as git:
        assert git is None


def test_private_checkout_of_a_partial_clone_fetches_missing_blobs_privately(
    git_project: GitProject,
) -> None:
    git_project.work.commit({"a.txt": "old\n"}, "Old")
    git_project.work.commit({"a.txt": "new\n"}, "New")
    git_project.work.push()
    subprocess.run(
        ["git", "config", "uploadpack.allowFilter", "true"], cwd=git_project.origin, check=True
    )
    target = git_project.root / "partial"
    subprocess.run(
        ["git", "clone", "--quiet", "--filter=blob:none", git_project.origin_url, str(target)],
        check=True,
    )
    objects_before = sorted(p.name for p in (target / ".git" / "objects").rglob("*"))

    with private_checkout(target) as git:
        assert git is not None
        assert git.file_at("HEAD~1", "a.txt") == b"old\n"  # a blob the clone never fetched

    assert sorted(p.name for p in (target / ".git" / "objects").rglob("*")) == objects_before


def test_a_worktree_left_by_a_killed_run_is_removed_by_the_next_one(
    git_project: GitProject,
) -> None:
    work = git_project.work
    git_project.seed_branch("gh-pages", {"index.yaml": "entries: {}\n"})
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys\n"
            "from pathlib import Path\n"
            "from release_actions.git import Git\n"
            "with Git(Path(sys.argv[1])).worktree('gh-pages') as tree:\n"
            "    print(tree.path, flush=True)\n"
            "    os.kill(os.getpid(), 9)\n",
            str(work.path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    left = Path(killed.stdout.strip())
    assert killed.returncode == -9 and left.is_dir()
    assert str(left) in git(work.path, "worktree", "list")

    with work.client().worktree("gh-pages") as tree:
        assert (tree.path / "index.yaml").is_file()
        listed = git(work.path, "worktree", "list")
        assert str(left) not in listed and str(tree.path) in listed

    assert not left.parent.exists()
    assert git(work.path, "worktree", "list").count("\n") == 1  # the clone itself


def test_a_live_runs_worktree_is_left_alone(git_project: GitProject) -> None:
    work = git_project.work
    git_project.seed_branch("gh-pages", {"index.yaml": "entries: {}\n"})
    with work.client().worktree("gh-pages") as outer:
        assert work.client().remove_stale_worktrees() == []
        assert (outer.path / "index.yaml").is_file()
