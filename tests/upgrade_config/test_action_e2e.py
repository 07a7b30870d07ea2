"""The action end to end: action.yml through the runner emulator, the fake GitHub, and a bare
origin holding the ``cs-releases`` branch. Feeds are the fake GitHub's release downloads."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from support.action_runner import ActionResult, ActionRunner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

from .helpers import dump

BRANCH = "cs-releases"
CONFIG = "app-upgrade-config.json"
SEGMENTS: dict[str, Any] = {
    "segments": [
        {
            "id": "legacy-v1",
            "type": "legacy",
            "match": {"range": ">=1.0.0 <2.0.0"},
            "minCompatibleVersion": "1.0.0",
            "description": "Last v1.x - required before 2.0",
        },
        {
            "id": "gateway-v2",
            "type": "breaking",
            "match": {"exact": ["2.0.0"]},
            "lockedVersion": "2.0.0",
            "minCompatibleVersion": "1.7.0",
            "description": "2.0 gateway",
        },
        {
            "id": "current-v2",
            "type": "latest",
            "match": {"range": ">=2.0.0 <3.0.0", "excludeExact": ["2.0.0"]},
            "minCompatibleVersion": "2.0.0",
            "description": "Current v2.x",
        },
    ]
}
INITIAL_CONFIG = {"lastUpdated": "2026-01-01T00:00:00.000Z", "versions": {}}


@pytest.fixture
def project(git_project: GitProject) -> GitProject:
    git_project.work.commit({"config/app-upgrade-segments.json": dump(SEGMENTS)}, "Add segments")
    git_project.work.push()
    git_project.seed_branch(BRANCH, {CONFIG: dump(INITIAL_CONFIG)}, "Start the upgrade config")
    return git_project


def release(fake: FakeGitHub, tag: str, *, prerelease: bool = False) -> dict[str, Any]:
    channel = "latest"
    if prerelease:
        channel = "rc" if "-rc" in tag else "beta"
    fake.add_release(
        tag,
        prerelease=prerelease,
        make_latest=not prerelease,
        assets={f"{channel}.yml": f"version: {tag[1:]}\n".encode()},
    )
    return {
        "action": "prereleased" if prerelease else "released",
        "release": {"tag_name": tag, "prerelease": prerelease, "draft": False},
    }


def run(
    runner: ActionRunner,
    project: GitProject,
    fake: FakeGitHub,
    event: dict[str, Any],
    workspace: Path | None = None,
    run_id: str = "4242",
    event_name: str = "release",
    **inputs: str,
) -> ActionResult:
    return runner.run(
        "action-upgrade-config",
        inputs=inputs,
        event_name=event_name,
        event=event,
        workspace=workspace or project.work.path,
        github=fake,
        run_id=run_id,
    )


def config_on(project: GitProject, branch: str = BRANCH) -> dict[str, Any]:
    data = project.origin_file(branch, CONFIG)
    assert data is not None
    return json.loads(data)  # type: ignore[no-any-return]


def merge(project: GitProject, fake: FakeGitHub, number: int) -> None:
    """Merge a pull request as GitHub's fast-forward would, and close it."""
    pull = fake.pull(number)
    project.work.git("fetch", "--quiet", "origin")
    project.work.git(
        "push", "--quiet", "origin", f"refs/remotes/origin/{pull.head}:refs/heads/{BRANCH}"
    )
    pull.state = "closed"


def test_release_chain_opens_a_pull_request_per_release_and_reruns_change_nothing(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    steps = [
        ("v1.7.5", False, "legacy-v1", "1.7.5"),
        ("v2.0.0", False, "gateway-v2", "2.0.0"),
        ("v2.1.0-rc.1", True, "current-v2", "2.1.0"),
        ("v2.1.0", False, "current-v2", "2.1.0"),
    ]
    for number, (tag, prerelease, segment, key) in enumerate(steps, start=1):
        event = release(fake_github, tag, prerelease=prerelease)
        result = run(action_runner, project, fake_github, event)
        assert result.exit_code == 0, result.log
        assert result.outputs["outcome"] == "updated", result.log
        assert result.outputs["changed"] == "true"
        assert (result.outputs["segment"], result.outputs["entry-key"]) == (segment, key)
        assert result.outputs["pull-request-number"] == str(number)
        pull = fake_github.pull(number)
        assert (pull.head, pull.base) == (f"chore/update-app-upgrade-config/{tag}", BRANCH)
        assert pull.title == f"chore: update app-upgrade-config for {tag}"
        assert f"- Source tag: `{tag}`" in (pull.body or "")
        assert f"- Pre-release: {str(prerelease).lower()}" in (pull.body or "")
        assert f"- Latest: {str(not prerelease).lower()}" in (pull.body or "")
        assert "/actions/runs/4242" in (pull.body or "")
        assert pull.labels == ["automation", "app-upgrade"]
        assert project.origin_log(pull.head)[0] == f"chore: sync app-upgrade-config for {tag}"
        assert "```diff" in result.summary and f"#{number}" in result.summary

        # a re-run of the same release (a second trigger) changes nothing at all, and says so:
        # a step gated on `changed == 'true'` must not fire twice
        head_before = project.origin_sha(f"refs/heads/{pull.head}")
        writes_before = len([r for r in fake_github.requests if r.method != "GET"])
        again = run(action_runner, project, fake_github, event, run_id="4343")
        assert again.exit_code == 0, again.log
        assert (again.outputs["outcome"], again.outputs["changed"]) == ("unchanged", "false")
        assert (again.outputs["segment"], again.outputs["entry-key"]) == (segment, key)
        assert again.outputs["pull-request-number"] == str(number)
        assert again.outputs["pull-request-url"] == result.outputs["pull-request-url"] != ""
        assert f"already proposed in pull request #{number}" in again.summary
        assert f"[#{number}]" in again.summary and "```diff" not in again.summary
        assert project.origin_sha(f"refs/heads/{pull.head}") == head_before
        assert len([r for r in fake_github.requests if r.method != "GET"]) == writes_before
        assert len(fake_github.pulls) == number
        assert "/actions/runs/4242" in (fake_github.pull(number).body or "")  # not edited

        merge(project, fake_github, number)

    # once merged, the release is in the config: nothing to do, no pull request
    after = run(action_runner, project, fake_github, event, run_id="4444")
    assert after.outputs["outcome"] == "unchanged", after.log
    assert after.outputs["pull-request-number"] == ""
    assert len(fake_github.pulls) == len(steps)

    config = config_on(project)
    assert list(config["versions"]) == ["2.1.0", "2.0.0", "1.7.5"]
    download = f"{fake_github.server_url}/octo/charts/releases/download"
    assert config["versions"]["2.1.0"]["channels"] == {
        "latest": {"version": "2.1.0", "feedUrls": {"github": f"{download}/v2.1.0"}},
        "rc": {"version": "2.1.0-rc.1", "feedUrls": {"github": f"{download}/v2.1.0-rc.1"}},
        "beta": None,
    }
    assert config["versions"]["1.7.5"]["minCompatibleVersion"] == "1.0.0"
    assert config["versions"]["2.0.0"]["minCompatibleVersion"] == "1.7.0"


def test_a_rerun_after_the_base_moved_updates_the_same_pull_request(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    event = release(fake_github, "v2.1.0-rc.1", prerelease=True)
    first = run(action_runner, project, fake_github, event)
    assert first.outputs["pull-request-number"] == "1", first.log
    head = "chore/update-app-upgrade-config/v2.1.0-rc.1"
    first_sha = project.origin_sha(f"refs/heads/{head}")
    # someone adds a hand-made entry on the config branch meanwhile
    hand_made = {
        **INITIAL_CONFIG,
        "versions": {"1.6.0": {"minCompatibleVersion": "1.0.0", "channels": {}}},
    }
    base_sha = project.seed_branch(BRANCH, {CONFIG: dump(hand_made)}, "Hand edit")
    second = run(action_runner, project, fake_github, event, run_id="5000")
    assert second.exit_code == 0, second.log
    assert (second.outputs["outcome"], second.outputs["changed"]) == ("updated", "true")
    assert second.outputs["pull-request-number"] == "1"
    assert len(fake_github.pulls) == 1
    assert project.origin_sha(f"refs/heads/{head}") not in (first_sha, None)
    project.work.git("fetch", "--quiet", "origin")
    assert project.work.git("rev-parse", f"origin/{head}^").strip() == base_sha
    assert list(config_on(project, head)["versions"]) == ["2.1.0", "1.6.0"]
    assert "/actions/runs/5000" in (fake_github.pull(1).body or "")


def test_draft_releases_and_stable_releases_that_are_not_latest_are_skipped(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    draft = {
        "action": "released",
        "release": {"tag_name": "v1.7.5", "prerelease": False, "draft": True},
    }
    result = run(action_runner, project, fake_github, draft)
    assert (result.exit_code, result.outputs["outcome"]) == (0, "skipped"), result.log
    assert "is a draft" in result.summary

    release(fake_github, "v2.1.0")
    old = release(fake_github, "v1.7.6")
    fake_github.add_release("v2.1.1")  # the latest one now
    result = run(action_runner, project, fake_github, old)
    assert result.outputs["outcome"] == "skipped", result.log
    assert "v1.7.6 is not the repository's latest release (v2.1.1)" in result.summary
    assert fake_github.pulls == []

    maintenance = run(action_runner, project, fake_github, old, **{"require-latest": "false"})
    assert maintenance.outputs["outcome"] == "updated", maintenance.log
    assert maintenance.outputs["entry-key"] == "1.7.6"


def test_an_older_release_is_skipped_naming_the_segment_and_entry_it_would_go_to(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    release(fake_github, "v2.1.6")
    run(action_runner, project, fake_github, {}, event_name="workflow_dispatch", tag="v2.1.6")
    merge(project, fake_github, 1)
    release(fake_github, "v2.1.5")
    result = run(
        action_runner, project, fake_github, {}, event_name="workflow_dispatch", tag="v2.1.5"
    )
    assert result.exit_code == 0, result.log
    assert (result.outputs["outcome"], result.outputs["changed"]) == ("skipped", "false")
    assert (result.outputs["segment"], result.outputs["entry-key"]) == ("current-v2", "2.1.6")
    assert "| Segment | current-v2 |" in result.summary
    assert "| Entry | `2.1.6` |" in result.summary
    assert "already has 2.1.6, newer than 2.1.5" in result.summary
    assert len(fake_github.pulls) == 1


def test_manual_dispatch_with_dry_run_changes_nothing(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    release(fake_github, "v2.0.0")
    result = run(
        action_runner,
        project,
        fake_github,
        {"inputs": {"tag": "v2.0.0"}},
        event_name="workflow_dispatch",
        tag="v2.0.0",
        **{"is-prerelease": "false", "dry-run": "true"},
    )
    assert result.exit_code == 0, result.log
    assert (result.outputs["outcome"], result.outputs["entry-key"]) == ("updated", "2.0.0")
    assert "(dry run)" in result.summary and '+    "2.0.0": {' in result.summary
    assert fake_github.pulls == []
    assert project.origin_branches() == ["cs-releases", "main"]
    assert config_on(project) == INITIAL_CONFIG


def test_a_release_whose_feed_is_not_ready_fails(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    fake_github.add_release("v2.0.0")  # no latest.yml uploaded yet
    event = {
        "action": "released",
        "release": {"tag_name": "v2.0.0", "prerelease": False, "draft": False},
    }
    result = run(action_runner, project, fake_github, event)
    assert result.exit_code == 1
    assert any("feed URLs are not ready for 2.0.0 (latest)" in e for e in result.errors), result.log
    assert fake_github.pulls == []


def test_two_racing_push_runs_both_land(
    action_runner: ActionRunner, project: GitProject, fake_github: FakeGitHub
) -> None:
    events = [
        release(fake_github, "v2.1.0-rc.1", prerelease=True),
        release(fake_github, "v1.7.5"),
    ]
    # v1.7.5 is a backport here: v2.1.0-rc.1 is no stable, so 1.7.5 is still the latest
    workspaces = [project.clone(f"runner-{n}").path for n in range(2)]
    results: list[ActionResult] = []

    def one(event: dict[str, Any], workspace: Path) -> None:
        results.append(run(action_runner, project, fake_github, event, workspace, publish="push"))

    threads = [
        threading.Thread(target=one, args=pair) for pair in zip(events, workspaces, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.exit_code for r in results] == [0, 0], [r.log for r in results]
    assert {r.outputs["outcome"] for r in results} == {"updated"}
    config = config_on(project)
    assert list(config["versions"]) == ["2.1.0", "1.7.5"]
    log = project.origin_log(BRANCH)
    assert sorted(log[:2]) == [
        "chore: sync app-upgrade-config for v1.7.5",
        "chore: sync app-upgrade-config for v2.1.0-rc.1",
    ]
    assert fake_github.pulls == []
