"""The README's upgrade-config workflows under act: release events and workflow_dispatch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.act import Act
from support.act_events import release, workflow_dispatch
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

from .workflows import readme_workflows

BRANCH = "cs-releases"
CONFIG = "app-upgrade-config.json"
SEGMENTS = {
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
ROOT_WORKFLOW = readme_workflows("README.md")["upgrade-config.yml"]
ACTION_WORKFLOW = readme_workflows("action-upgrade-config/README.md")["Update app upgrade config"]


def dump(data: Any) -> str:
    return json.dumps(data, indent=2) + "\n"


@pytest.fixture
def project(git_project: GitProject) -> GitProject:
    git_project.work.commit({"config/app-upgrade-segments.json": dump(SEGMENTS)}, "Add segments")
    git_project.work.push()
    return git_project


def publish(fake: FakeGitHub, tag: str, *, prerelease: bool = False) -> None:
    channel = ("rc" if "-rc" in tag else "beta") if prerelease else "latest"
    fake.add_release(
        tag,
        prerelease=prerelease,
        make_latest=not prerelease,
        assets={f"{channel}.yml": f"version: {tag[1:]}\n".encode()},
    )


def writes(fake: FakeGitHub) -> int:
    return len([request for request in fake.requests if request.method != "GET"])


def test_root_readme_workflow_opens_the_pull_request_and_a_rerun_writes_nothing(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    project.seed_branch(BRANCH, {CONFIG: dump({"versions": {}})}, "Start the config")
    publish(fake_github, "v2.1.0")
    event = release(fake_github, "v2.1.0")

    run = act.run(ROOT_WORKFLOW, "release", event, project.work.path, github=fake_github)

    assert run.returncode == 0, run.log
    outputs = run.step("step1").outputs
    assert (outputs["outcome"], outputs["changed"], outputs["channel"]) == (
        "updated",
        "true",
        "latest",
    )
    (pull,) = fake_github.pulls
    assert (pull.head, pull.base) == ("chore/update-app-upgrade-config/v2.1.0", BRANCH)
    assert outputs["pull-request-number"] == str(pull.number)
    head = project.origin_sha(f"refs/heads/{pull.head}")
    before = writes(fake_github)

    again = act.run(ROOT_WORKFLOW, "release", event, project.work.path, github=fake_github)

    assert again.returncode == 0, again.log
    assert again.step("step1").outputs["changed"] == "false"
    assert project.origin_sha(f"refs/heads/{pull.head}") == head
    assert writes(fake_github) == before


def test_action_readme_workflow_on_a_fresh_repository_creates_the_base_then_the_pull_request(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    """No config branch yet: the base is created (an orphan) and the PR is opened against it."""
    publish(fake_github, "v2.1.0-rc.1", prerelease=True)
    event = workflow_dispatch(fake_github, {"tag": "v2.1.0-rc.1", "is_prerelease": "true"})

    run = act.run(
        ACTION_WORKFLOW, "workflow_dispatch", event, project.work.path, github=fake_github
    )

    assert run.returncode == 0, run.log
    assert run.step("sync").outputs["channel"] == "rc"
    (pull,) = fake_github.pulls
    assert (pull.head, pull.base) == ("chore/update-app-upgrade-config/v2.1.0-rc.1", BRANCH)
    assert project.origin_log(BRANCH) == [f"chore: start the {BRANCH} branch"]
    assert project.origin_log(pull.head)[1:] == project.origin_log(BRANCH)
    project.work.git("fetch", "--quiet", "origin")
    assert project.work.git("ls-tree", "-r", f"origin/{BRANCH}") == ""
    config = json.loads(project.origin_file(pull.head, CONFIG) or b"{}")
    assert list(config["versions"]) == ["2.1.0"]


def test_publish_push_on_a_fresh_repository_creates_the_config_branch(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    workflow = readme_workflows("README.md")["upgrade-config.yml"]
    workflow["jobs"]["sync"]["steps"][1]["with"] = {"publish": "push"}
    publish(fake_github, "v2.0.0-beta.1", prerelease=True)
    event = release(fake_github, "v2.0.0-beta.1", action="prereleased", prerelease=True)

    run = act.run(workflow, "release", event, project.work.path, github=fake_github)

    assert run.returncode == 0, run.log
    assert run.step("step1").outputs["channel"] == "beta"
    assert project.origin_log(BRANCH) == ["chore: sync app-upgrade-config for v2.0.0-beta.1"]
    config = json.loads(project.origin_file(BRANCH, CONFIG) or b"{}")
    assert list(config["versions"]) == ["2.0.0"]
    assert config["versions"]["2.0.0"]["channels"]["beta"]["version"] == "2.0.0-beta.1"
    project.work.git("fetch", "--quiet", "origin")
    assert project.work.git("ls-tree", "--name-only", "-r", f"origin/{BRANCH}").split() == [CONFIG]


def test_a_failure_writes_a_step_summary_saying_what_to_do(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    workflow = readme_workflows("README.md")["upgrade-config.yml"]
    workflow["jobs"]["sync"]["steps"][1]["with"] = {"segments-file": "config/missing.json"}
    publish(fake_github, "v2.0.0")

    run = act.run(
        workflow, "release", release(fake_github, "v2.0.0"), project.work.path, github=fake_github
    )

    assert run.step("step1").outcome == "failure", run.log
    assert "### release-actions: failed" in run.summaries, run.log
    assert "**Attempted:** `release-actions upgrade-config action`" in run.summaries
    assert "config/missing.json" in run.summaries and "**What to do:**" in run.summaries
