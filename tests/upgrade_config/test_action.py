"""The action's pieces with injected clients: trigger, inputs, the latest gate, push races."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from release_actions.context import Context, Workflow
from release_actions.errors import GitHubError, InputError
from release_actions.git import Git
from release_actions.inputs import Inputs
from release_actions.pull_requests import PullRequestOptions
from release_actions.runner import Runner
from release_actions.upgrade_config.action import ActionConfig, read_trigger, sync_release
from release_actions.upgrade_config.pipeline import Syncer, SyncResult, load_segments, read_release
from release_actions.upgrade_config.publish import publish_push
from support.fake_github import FakeGitHub
from support.fixtures_github import github_for
from support.git_repos import GitProject

from .helpers import NOW, all_ready, dump, example_segments

BRANCH = "cs-releases"
CONFIG = "app-upgrade-config.json"


def config(**inputs: str) -> ActionConfig:
    environ = {"INPUT_" + name.upper().replace("-", "_"): value for name, value in inputs.items()}
    return ActionConfig.from_inputs(Inputs(environ))


def release_event(tag: str, *, action: str = "released", **release: Any) -> Workflow:
    return Workflow(
        event_name="release",
        event={"action": action, "release": {"tag_name": tag, "prerelease": False, **release}},
    )


def test_inputs_have_the_documented_defaults() -> None:
    assert config() == ActionConfig(
        tag=None,
        is_prerelease=None,
        require_latest=True,
        segments_file="config/app-upgrade-segments.json",
        config_file="app-upgrade-config.json",
        config_branch="cs-releases",
        publish="pull-request",
        pull_request=PullRequestOptions(
            branch="chore/update-app-upgrade-config/{safe_tag}",
            labels=("automation", "app-upgrade"),
        ),
        dry_run=False,
        token="",
        commit_method="git",
    )


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"is-prerelease": "yes"}, "input 'is-prerelease' must be 'true' or 'false'"),
        ({"publish": "merge"}, "input 'publish' must be one of pull-request, push, none"),
        ({"require-latest": "True"}, "input 'require-latest' must be 'true' or 'false'"),
    ],
)
def test_bad_inputs_are_refused(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        config(**inputs)


def test_a_release_event_gives_its_tag_and_prerelease_flag() -> None:
    trigger = read_trigger(config(), release_event("v2.1.0-rc.1", prerelease=True))
    assert (trigger.tag, trigger.is_prerelease, trigger.source) == ("v2.1.0-rc.1", True, "release")
    assert trigger.skip_reason is None


def test_the_tag_input_wins_over_the_event() -> None:
    trigger = read_trigger(config(tag="v2.1.1", **{"is-prerelease": "false"}), release_event("v2"))
    assert (trigger.tag, trigger.is_prerelease) == ("v2.1.1", False)


@pytest.mark.parametrize(
    ("workflow", "reason"),
    [
        (release_event("v2.1.0", draft=True), "release v2.1.0 is a draft"),
        (release_event("v2.1.0", action="published"), "release event 'published' is not synced"),
        (release_event("v2.1.0", action="edited"), "release event 'edited' is not synced"),
    ],
)
def test_drafts_and_other_release_actions_are_skipped(workflow: Workflow, reason: str) -> None:
    assert reason in (read_trigger(config(), workflow).skip_reason or "")


def test_a_dispatch_needs_the_tag_input() -> None:
    with pytest.raises(InputError, match="input 'tag' is required"):
        read_trigger(config(), Workflow(event_name="workflow_dispatch"))
    trigger = read_trigger(config(tag="v1.7.5"), Workflow(event_name="workflow_dispatch"))
    assert (trigger.tag, trigger.is_prerelease, trigger.source) == ("v1.7.5", None, "manual")


def test_a_failed_latest_release_call_is_an_error_not_a_skip(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake_github.inject("GET", r"/releases/latest$", 502, count=10)
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"action": "released", "release": {"tag_name": "v2.1.0", "prerelease": False}}),
        encoding="utf-8",
    )
    environ = {"GITHUB_EVENT_NAME": "release", "GITHUB_EVENT_PATH": str(event)}
    context = Context(Runner(environ, io.StringIO()), environ, tmp_path)
    with github_for(fake_github, retries=1) as github, pytest.raises(GitHubError):
        sync_release(
            config(),
            context,
            github=lambda: github,
            git=Git(tmp_path),
            prober=all_ready,
            clock=lambda: NOW,
        )


def never_opened() -> Any:
    raise AssertionError("GitHub was opened, though nothing needed it")


@pytest.mark.parametrize(
    ("inputs", "workflow"),
    [
        ({"tag": "v2.1.0", "publish": "none"}, Workflow(event_name="workflow_dispatch")),
        ({"tag": "v2.1.0", "dry-run": "true"}, Workflow(event_name="workflow_dispatch")),
        ({"publish": "none", "require-latest": "false"}, release_event("v2.1.0")),
        ({"publish": "none"}, release_event("v2.2.0-beta.1", prerelease=True)),
    ],
    ids=["manual-none", "manual-dry-run", "release-ungated", "release-prerelease"],
)
def test_github_is_not_opened_when_neither_the_gate_nor_a_publish_needs_it(
    git_project: GitProject, inputs: dict[str, str], workflow: Workflow
) -> None:
    git_project.work.commit(
        {"config/app-upgrade-segments.json": dump(example_segments())}, "Add segments"
    )
    git_project.seed_branch(BRANCH, {CONFIG: dump({"versions": {}})})
    environ = {"GITHUB_EVENT_NAME": workflow.event_name}
    if workflow.event:
        event = git_project.work.path.parent / "event.json"
        event.write_text(json.dumps(workflow.event), encoding="utf-8")
        environ["GITHUB_EVENT_PATH"] = str(event)
    output = io.StringIO()
    context = Context(Runner(environ, output), environ, git_project.work.path)

    assert (
        sync_release(
            config(**inputs),
            context,
            github=never_opened,
            git=git_project.work.client(),
            prober=all_ready,
            clock=lambda: NOW,
        )
        == 0
    )
    assert "::error" not in output.getvalue()


def test_the_gate_asks_github_for_the_latest_release_even_when_nothing_is_published(
    git_project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake_github.add_release("v2.2.0", make_latest=True)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(release_event("v2.1.0").event), encoding="utf-8")
    environ = {"GITHUB_EVENT_NAME": "release", "GITHUB_EVENT_PATH": str(event)}
    output = io.StringIO()
    context = Context(Runner(environ, output), environ, tmp_path)
    with github_for(fake_github) as github:
        sync_release(
            config(publish="none"),
            context,
            github=lambda: github,
            git=Git(tmp_path),
            prober=all_ready,
            clock=lambda: NOW,
        )

    assert "v2.1.0 is not the repository's latest release (v2.2.0)" in output.getvalue()


def test_a_push_that_loses_a_race_re_syncs_the_fresh_file_and_lands(
    git_project: GitProject,
) -> None:
    git_project.seed_branch(BRANCH, {CONFIG: dump({"versions": {}})})
    runner = Runner({}, io.StringIO())
    segments, segments_doc = load_segments(
        dump(example_segments()), "segments.json", runner, default_template=None
    )

    def syncer(tag: str) -> Syncer:
        release, _ = read_release(tag, None)
        return Syncer(
            release=release,
            segments=segments,
            segments_doc=segments_doc,
            prober=all_ready,
            clock=lambda: NOW,
            runner=runner,
        )

    ours, theirs = syncer("v2.1.0-rc.1"), syncer("v1.7.5")
    seen: list[str | None] = []

    def racing_sync(text: str | None) -> SyncResult:
        seen.append(text)
        if len(seen) == 1:  # another run pushes first, after we read the file
            other = theirs.sync(text, CONFIG)
            git_project.seed_branch(BRANCH, {CONFIG: other.new_text}, "the other run")
        return ours.sync(text, CONFIG)

    git = git_project.work.client()
    with git.worktree(BRANCH) as tree:
        published = publish_push(
            tree, branch=BRANCH, config_file=CONFIG, sync=racing_sync, message="ours"
        )
    assert published.pushed and published.result.outcome == "updated"
    assert len(seen) == 2 and seen[1] is not None and "1.7.5" in seen[1]
    assert git_project.origin_log(BRANCH)[:2] == ["ours", "the other run"]
    data = git_project.origin_file(BRANCH, CONFIG)
    assert data is not None
    assert list(json.loads(data)["versions"]) == ["2.1.0", "1.7.5"]


def test_a_push_with_nothing_to_change_commits_nothing(git_project: GitProject) -> None:
    git_project.seed_branch(BRANCH, {CONFIG: dump({"versions": {}})})
    before = git_project.origin_sha(f"refs/heads/{BRANCH}")
    unchanged = SyncResult("unchanged", "nothing", CONFIG, "", "")
    with git_project.work.client().worktree(BRANCH) as tree:
        published = publish_push(
            tree, branch=BRANCH, config_file=CONFIG, sync=lambda _: unchanged, message="x"
        )
    assert not published.pushed
    assert git_project.origin_sha(f"refs/heads/{BRANCH}") == before


def test_labels_is_the_old_name_of_pr_labels_which_wins() -> None:
    assert config(labels="a, b").pull_request.labels == ("a", "b")
    assert config(labels="a", **{"pr-labels": "c"}).pull_request.labels == ("c",)
    assert config(**{"commit-method": "api"}).commit_method == "api"
    with pytest.raises(InputError, match="input 'commit-method'"):
        config(**{"commit-method": "rest"})


def test_a_pr_body_file_linked_outside_the_checkout_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("not for a pull request\n")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "body.md").symlink_to(outside)
    options = config(**{"pr-body-path": "body.md"}).pull_request
    with pytest.raises(InputError, match="'pr-body-path' must stay inside the checkout"):
        options.completed(checkout, title="t", body="b", branch="x", commit_message="m")
