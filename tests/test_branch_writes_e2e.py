"""Branch writes of both actions end to end (issue 13): action.yml through the runner emulator,
the fake GitHub serving the Git Data API over the same bare origin git pushes to.

- ``commit-method: api`` leaves a commit GitHub verified on the pages branch;
- every ``pull-request-*`` output, for both actions, through created → none → updated → closed;
- a token without ``contents: write``, and a branch protection rule, are reported as such, and
  nothing half-written is left (no branch without its pull request, no moved ref).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from release_actions.chart.repo import published_versions
from support.action_runner import ActionResult, ActionRunner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

CHART = "action-chart-release"
UPGRADE = "action-upgrade-config"
PAGES = "gh-pages"
INDEX_BRANCH = "release-actions/index-gh-pages"


@pytest.fixture
def fake(fake_github: FakeGitHub, git_project: GitProject) -> FakeGitHub:
    fake_github.attach_origin(git_project.origin)
    return fake_github


def chart(version: str, name: str = "web") -> dict[str, str]:
    return {
        f"charts/{name}/Chart.yaml": (
            f"apiVersion: v2\nname: {name}\nversion: {version}\ndescription: A chart\n"
            "type: application\n"
        ),
        f"charts/{name}/values.yaml": "replicaCount: 1\n",
    }


def release_charts(
    runner: ActionRunner, project: GitProject, fake: FakeGitHub, **inputs: Any
) -> ActionResult:
    event = {"ref": "refs/heads/main", "repository": {"default_branch": "main"}}
    return runner.run(
        CHART,
        inputs={"mode": "release", **inputs},
        event_name="push",
        event=event,
        workspace=project.work.path,
        github=fake,
    )


def index_versions(project: GitProject, branch: str = PAGES) -> str:
    return (project.origin_file(branch, "index.yaml") or b"").decode()


def test_an_api_mode_release_leaves_a_verified_commit_on_the_pages_branch(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    git_project.seed_branch(PAGES, {"README.md": "pages\n"})
    git_project.work.commit(chart("1.0.0"), "web 1.0.0")
    git_project.work.push()

    result = release_charts(action_runner, git_project, fake, **{"commit-method": "api"})

    assert result.exit_code == 0, result.stderr
    assert result.outputs["index-updated"] == "true"
    tip = git_project.origin_sha(PAGES)
    assert tip is not None and fake.commit_verified(tip)
    assert "version: 1.0.0" in index_versions(git_project)
    assert git_project.origin_log(PAGES)[1] == "Seed"  # on the tip, not beside it
    # the same commit, seen by git: signed by GitHub, authored by the token's bot
    git_project.work.git("fetch", "--quiet", "origin")
    assert "\ngpgsig " in git_project.work.git("cat-file", "commit", tip)
    assert git_project.origin_author(PAGES).startswith("github-actions[bot]")


def test_the_chart_index_pull_request_outputs_through_its_life(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    git_project.seed_branch(PAGES, {"README.md": "pages\n"})
    git_project.work.commit(chart("1.0.0"), "web 1.0.0")
    git_project.work.push()
    fake.add_milestone(3, "Q1")
    inputs = {
        "index-publish": "pull-request",
        "commit-method": "api",
        "pr-title": "Publish charts",
        "pr-body-path": "PR_BODY.md",
        "pr-labels": "helm, release",
        "pr-assignees": "octocat",
        "pr-reviewers": "hubot",
        "pr-team-reviewers": "octo/maintainers",
        "pr-milestone": "3",
        "pr-draft": "true",
        "pr-delete-branch": "true",
    }
    (git_project.work.path / "PR_BODY.md").write_text("Charts to publish.\n")

    created = release_charts(action_runner, git_project, fake, **inputs)
    assert created.exit_code == 0, created.stderr
    (pull,) = fake.pulls
    head = git_project.origin_sha(INDEX_BRANCH)
    assert created.outputs["pull-request-operation"] == "created"
    assert created.outputs["pull-request-number"] == "1"
    assert created.outputs["pull-request-url"] == f"{fake.server_url}/octo/charts/pull/1"
    assert created.outputs["pull-request-branch"] == INDEX_BRANCH
    assert head is not None and created.outputs["pull-request-head-sha"] == head
    assert (pull.title, pull.body, pull.draft) == ("Publish charts", "Charts to publish.\n", True)
    assert (pull.labels, pull.assignees, pull.milestone) == (["helm", "release"], ["octocat"], 3)
    assert (pull.reviewers, pull.team_reviewers) == (["hubot"], ["maintainers"])
    assert head is not None and fake.commit_verified(head)
    assert "version: 1.0.0" in index_versions(git_project, INDEX_BRANCH)
    assert index_versions(git_project) == ""  # the pages branch waits for the merge

    writes = len([r for r in fake.requests if r.method != "GET"])
    same = release_charts(action_runner, git_project, fake, **inputs)
    assert same.exit_code == 0, same.stderr
    assert same.outputs["pull-request-operation"] == "none"
    assert same.outputs["pull-request-number"] == "1"
    assert same.outputs["pull-request-head-sha"] == head
    assert git_project.origin_sha(INDEX_BRANCH) == head
    assert len([r for r in fake.requests if r.method != "GET"]) == writes  # nothing written

    git_project.work.commit(chart("0.1.0", "api"), "api 0.1.0")
    git_project.work.push()
    updated = release_charts(action_runner, git_project, fake, **inputs)
    assert updated.exit_code == 0, updated.stderr
    assert updated.outputs["pull-request-operation"] == "updated"
    assert updated.outputs["pull-request-number"] == "1"
    new_head = git_project.origin_sha(INDEX_BRANCH)
    assert updated.outputs["pull-request-head-sha"] == new_head != head
    proposed = index_versions(git_project, INDEX_BRANCH)
    assert "version: 1.0.0" in proposed and "version: 0.1.0" in proposed
    assert len(fake.pulls) == 1

    # web's next version before the merge: the rebuilt branch keeps what the PR proposed
    git_project.work.commit(chart("1.1.0"), "web 1.1.0")
    git_project.work.push()
    again = release_charts(action_runner, git_project, fake, **inputs)
    assert again.outputs["pull-request-operation"] == "updated", again.stderr
    proposed = index_versions(git_project, INDEX_BRANCH)
    assert published_versions(proposed) == {"web": {"1.0.0", "1.1.0"}, "api": {"0.1.0"}}

    # the index reaches the pages branch another way (a maintainer's hand): close the PR
    git_project.seed_branch(PAGES, {"index.yaml": proposed}, "Index by hand")
    closed = release_charts(action_runner, git_project, fake, **inputs)
    assert closed.exit_code == 0, closed.stderr
    assert closed.outputs["pull-request-operation"] == "closed"
    assert closed.outputs["pull-request-number"] == "1"
    assert closed.outputs["pull-request-branch"] == INDEX_BRANCH
    assert fake.pull(1).state == "closed"
    assert INDEX_BRANCH not in git_project.origin_branches()  # pr-delete-branch


UPGRADE_SEGMENTS = {
    "segments": [
        {
            "id": "current-v2",
            "type": "latest",
            "match": {"range": ">=2.0.0 <3.0.0"},
            "minCompatibleVersion": "2.0.0",
            "description": "Current v2.x",
        }
    ]
}


def sync_release(
    runner: ActionRunner, project: GitProject, fake: FakeGitHub, tag: str, **inputs: str
) -> ActionResult:
    """A workflow_dispatch of action-upgrade-config for ``tag``."""
    return runner.run(
        UPGRADE,
        inputs={"tag": tag, **inputs},
        event_name="workflow_dispatch",
        event={},
        workspace=project.work.path,
        github=fake,
    )


def upgrade_project(project: GitProject, fake: FakeGitHub, *tags: str) -> None:
    project.work.commit(
        {"config/app-upgrade-segments.json": json.dumps(UPGRADE_SEGMENTS)}, "Add segments"
    )
    project.work.push()
    project.seed_branch(
        "cs-releases", {"app-upgrade-config.json": '{"lastUpdated": "", "versions": {}}\n'}
    )
    for tag in tags:
        fake.add_release(tag, assets={"latest.yml": f"version: {tag[1:]}\n".encode()})


def test_the_upgrade_config_pull_request_outputs_through_its_life(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    upgrade_project(git_project, fake, "v2.1.0")
    inputs = {
        "commit-method": "git",
        "pr-labels": "upgrade",
        "pr-reviewers": "hubot",
        "pr-author": "Release Bot <release@example.com>",
        "pr-commit-message": "Sync v2.1.0",
    }
    head_branch = "chore/update-app-upgrade-config/v2.1.0"

    created = sync_release(action_runner, git_project, fake, "v2.1.0", **inputs)
    assert created.exit_code == 0, created.stderr
    head = git_project.origin_sha(head_branch)
    assert {k: v for k, v in created.outputs.items() if k.startswith("pull-request-")} == {
        "pull-request-number": "1",
        "pull-request-url": f"{fake.server_url}/octo/charts/pull/1",
        "pull-request-operation": "created",
        "pull-request-head-sha": head,
        "pull-request-branch": head_branch,
    }
    assert git_project.origin_author(head_branch) == "Release Bot <release@example.com>"
    assert git_project.origin_log(head_branch)[0] == "Sync v2.1.0"
    assert (fake.pull(1).labels, fake.pull(1).reviewers) == (["upgrade"], ["hubot"])

    same = sync_release(action_runner, git_project, fake, "v2.1.0", **inputs)
    assert same.outputs["pull-request-operation"] == "none", same.stderr
    assert same.outputs["pull-request-head-sha"] == head
    assert same.outputs["changed"] == "false"

    # the config branch moved: the same pull request gets a rebuilt branch
    git_project.seed_branch("cs-releases", {"NOTES.md": "hand edit\n"}, "Hand edit")
    updated = sync_release(action_runner, git_project, fake, "v2.1.0", **inputs)
    assert updated.outputs["pull-request-operation"] == "updated", updated.stderr
    assert updated.outputs["pull-request-number"] == "1"
    assert updated.outputs["pull-request-head-sha"] == git_project.origin_sha(head_branch) != head

    # merged by hand into the config branch: the pull request is closed
    git_project.work.git("fetch", "--quiet", "origin")
    git_project.work.git(
        "push", "--quiet", "origin", f"refs/remotes/origin/{head_branch}:refs/heads/cs-releases"
    )
    closed = sync_release(action_runner, git_project, fake, "v2.1.0", **inputs)
    assert closed.outputs["pull-request-operation"] == "closed", closed.stderr
    assert closed.outputs["pull-request-number"] == "1"
    assert fake.pull(1).state == "closed"
    assert head_branch in git_project.origin_branches()  # pr-delete-branch is false


def test_a_read_only_token_is_told_to_add_contents_write_and_nothing_moves(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    upgrade_project(git_project, fake, "v2.1.0")
    before = git_project.origin_sha("cs-releases")
    result = action_runner.run(
        UPGRADE,
        inputs={"tag": "v2.1.0", "publish": "push", "commit-method": "api"},
        event_name="workflow_dispatch",
        event={},
        workspace=git_project.work.path,
        github=fake,
        token=fake.read_token,
    )
    assert result.exit_code == 1
    error = next(a for a in result.annotations if a.level == "error")
    assert "HTTP 403" in error.message and "lacks 'contents: write'" in error.message
    assert git_project.origin_sha("cs-releases") == before


@pytest.mark.parametrize("method", ["git", "api"])
def test_a_protected_pages_branch_is_reported_with_its_rule(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub, method: str
) -> None:
    git_project.seed_branch(PAGES, {"README.md": "pages\n"})
    before = git_project.origin_sha(PAGES)
    fake.protect(PAGES, "Commits must have verified signatures.")
    git_project.work.commit(chart("1.0.0"), "web 1.0.0")
    git_project.work.push()

    result = release_charts(action_runner, git_project, fake, **{"commit-method": method})

    assert result.exit_code == 1
    messages = " ".join(a.message for a in result.annotations if a.level == "error")
    assert f"branch {PAGES} is protected" in messages
    assert "Commits must have verified signatures." in messages
    assert git_project.origin_sha(PAGES) == before


def test_a_pull_request_that_cannot_open_leaves_no_branch_behind(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    git_project.seed_branch(PAGES, {"README.md": "pages\n"})
    git_project.work.commit(chart("1.0.0"), "web 1.0.0")
    git_project.work.push()
    fake.inject("POST", r"/pulls$", 403, count=10, body={"message": "Forbidden"})

    result = release_charts(
        action_runner,
        git_project,
        fake,
        **{"index-publish": "pull-request", "commit-method": "api"},
    )

    assert result.exit_code == 1
    assert fake.pulls == []
    assert INDEX_BRANCH not in git_project.origin_branches()


def test_hosted_packages_of_a_waiting_index_pull_request_are_kept(
    action_runner: ActionRunner, git_project: GitProject, fake: FakeGitHub
) -> None:
    git_project.seed_branch(PAGES, {"README.md": "pages\n"})
    inputs = {"index-publish": "pull-request", "packages-with-index": "true"}
    for version in ("1.0.0", "1.1.0"):
        git_project.work.commit(chart(version), f"web {version}")
        git_project.work.push()
        result = release_charts(action_runner, git_project, fake, **inputs)
        assert result.exit_code == 0, result.stderr

    assert result.outputs["pull-request-operation"] == "updated"
    assert published_versions(index_versions(git_project, INDEX_BRANCH)) == {
        "web": {"1.0.0", "1.1.0"}
    }
    for version in ("1.0.0", "1.1.0"):
        package = git_project.origin_file(INDEX_BRANCH, f"web-{version}.tgz")
        asset = fake.release(f"web-{version}")
        assert asset is not None and package == asset.assets[0].data
