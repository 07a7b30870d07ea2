"""Commits through the Git Data API: the fake GitHub over the tests' bare origin."""

from __future__ import annotations

import threading

import pytest

from release_actions.api_commits import ApiCommits
from release_actions.errors import GitError, GitHubError
from release_actions.git import Git
from support.fake_github import FakeGitHub, github_for
from support.git_repos import GitProject


@pytest.fixture
def fake(fake_github: FakeGitHub, git_project: GitProject) -> FakeGitHub:
    fake_github.attach_origin(git_project.origin)
    return fake_github


def write(git: Git, name: str, text: str | bytes) -> None:
    path = git.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_an_api_commit_lands_verified_with_big_files_as_blobs(
    fake: FakeGitHub, git_project: GitProject
) -> None:
    big = b"entry: x\n" * 600_000  # 5.4 MB
    git_project.seed_branch("gh-pages", {"index.yaml": "old\n", "gone.txt": "x\n"})
    with github_for(fake) as github:
        publisher = ApiCommits(github)
        with git_project.work.client().worktree("gh-pages") as pages:

            def change(tree: Git) -> bool:
                write(tree, "index.yaml", big)
                write(tree, "sub/dir/new.txt", "new\n")
                (tree.path / "gone.txt").unlink()
                return True

            result = pages.push_with_retry("gh-pages", change, "Update index", publisher=publisher)
        assert github.commit(result.sha).verified

    assert git_project.origin_sha("gh-pages") == result.sha
    assert git_project.origin_file("gh-pages", "index.yaml") == big
    assert git_project.origin_file("gh-pages", "sub/dir/new.txt") == b"new\n"
    assert git_project.origin_file("gh-pages", "gone.txt") is None
    assert git_project.origin_log("gh-pages") == ["Update index", "Seed"]
    assert publisher.verified == [True]
    blobs = fake.requests_to("POST", "/git/blobs$")
    assert len(blobs) == 2  # the changed files only, each as a blob
    trees = fake.requests_to("POST", "/git/trees$")
    assert len(trees) == 1


def test_an_api_commit_starts_a_missing_branch(fake: FakeGitHub, git_project: GitProject) -> None:
    with github_for(fake) as github, git_project.work.client().worktree("fresh") as tree:
        result = tree.push_with_retry(
            "fresh",
            add_b,
            "Start",
            publisher=ApiCommits(github),
        )
    assert git_project.origin_sha("fresh") == result.sha
    assert git_project.origin_log("fresh") == ["Start"]


def count_lines(tree: Git) -> bool:
    """A pure change: append one line to whatever the file holds now."""
    path = tree.path / "log.txt"
    current = path.read_text() if path.exists() else ""
    path.write_text(current + f"line {len(current.splitlines()) + 1}\n")
    return True


def test_a_writer_between_read_and_update_makes_the_api_run_reapply(
    fake: FakeGitHub, git_project: GitProject
) -> None:
    git_project.seed_branch("gh-pages", {"log.txt": "line 1\n"})
    moved: list[str] = []

    def other_writer(ref: str) -> None:  # inside the ref update, once
        if not moved:
            moved.append(git_project.seed_branch("gh-pages", {"other.txt": "x\n"}, "Other"))

    fake.before_ref_update = other_writer
    with github_for(fake) as github, git_project.work.client().worktree("gh-pages") as tree:
        result = tree.push_with_retry(
            "gh-pages", count_lines, "Count", publisher=ApiCommits(github)
        )
    assert result.attempts == 2
    assert git_project.origin_log("gh-pages") == ["Count", "Other", "Seed"]
    assert git_project.origin_file("gh-pages", "log.txt") == b"line 1\nline 2\n"
    assert git_project.origin_file("gh-pages", "other.txt") == b"x\n"


def test_two_racing_api_runs_both_land(fake: FakeGitHub, git_project: GitProject) -> None:
    git_project.seed_branch("gh-pages", {"log.txt": "seed\n"})
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    attempts: dict[str, int] = {}

    def run(name: str) -> None:
        def append_name(tree: Git) -> bool:
            """A pure change (add this run's line to whatever is there), each run's first try
            held until both have read the same tip: the second to move the ref loses."""
            path = tree.path / "log.txt"
            path.write_text(path.read_text() + f"{name}\n")
            if name not in attempts:
                attempts[name] = 0
                barrier.wait(timeout=30)
            return True

        try:
            clone = git_project.clone(name)
            with (
                github_for(fake) as github,
                Git(clone.path, sleep=lambda s: None).worktree("gh-pages") as tree,
            ):
                result = tree.push_with_retry(
                    "gh-pages", append_name, f"Add {name}", publisher=ApiCommits(github)
                )
                attempts[name] = result.attempts
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # one lost the race, re-applied, and landed
    lines = (git_project.origin_file("gh-pages", "log.txt") or b"").decode().splitlines()
    assert lines[0] == "seed" and sorted(lines[1:]) == ["one", "two"]
    assert sorted(git_project.origin_log("gh-pages")[:2]) == ["Add one", "Add two"]
    assert len(fake.requests_to("PATCH", "/git/refs/heads/gh-pages$")) == 3


def add_b(tree: Git) -> bool:
    write(tree, "b.txt", "b\n")
    return True


def test_a_read_only_token_is_told_which_permission_to_add(
    fake: FakeGitHub, git_project: GitProject
) -> None:
    git_project.seed_branch("gh-pages", {"a.txt": "a\n"})
    before = git_project.origin_sha("gh-pages")
    with (
        github_for(fake, token=fake.read_token) as github,
        git_project.work.client().worktree("gh-pages") as tree,
        pytest.raises(GitHubError, match=r"HTTP 403.*lacks 'contents: write'"),
    ):
        tree.push_with_retry("gh-pages", add_b, "B", publisher=ApiCommits(github))
    assert git_project.origin_sha("gh-pages") == before


def test_branch_protection_is_reported_with_its_rule_in_both_methods(
    fake: FakeGitHub, git_project: GitProject
) -> None:
    git_project.seed_branch("gh-pages", {"a.txt": "a\n"})
    before = git_project.origin_sha("gh-pages")
    fake.protect("gh-pages", "Commits must have verified signatures.")
    expected = r"branch gh-pages is protected .*: Commits must have verified signatures\.$"
    with github_for(fake) as github:
        for publisher, error in ((ApiCommits(github), GitHubError), (None, GitError)):
            with (
                git_project.work.client().worktree("gh-pages") as tree,
                pytest.raises(error, match=expected),
            ):
                tree.push_with_retry("gh-pages", add_b, "B", publisher=publisher)
    assert git_project.origin_sha("gh-pages") == before
    assert git_project.origin_branches() == ["gh-pages", "main"]
