"""ReleaseConfig from action inputs and from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release_actions.chart.release.config import ReleaseConfig, default_pages_url, resolve_mode
from release_actions.context import Workflow
from release_actions.errors import InputError, UsageError
from release_actions.inputs import Inputs
from release_actions.pull_requests import PullRequestOptions


def config_from(env: dict[str, str], workflow: Workflow | None = None) -> ReleaseConfig:
    return ReleaseConfig.from_inputs(Inputs(env), workflow or Workflow(event_name="push"))


def test_defaults_are_the_action_defaults() -> None:
    config = config_from({}, Workflow(event_name="push", repository="Project-HAMi/HAMi"))
    assert config.mode == "release"
    assert config.charts_dirs == ("charts",)
    assert config.tag_template.template == "{name}-{version}"
    assert config.release_notes == "chart"
    assert config.mark_latest is False
    assert config.pages_branch == "gh-pages"
    assert config.index_path == "index.yaml"
    assert config.index_publish == "push"
    assert config.commit_method == "git"
    assert config.pull_request == PullRequestOptions()
    assert config.helm_repository_url == "https://project-hami.github.io/HAMi/"
    assert config.helm_repository_name == "project-hami"


def test_inputs_are_parsed_strictly() -> None:
    env = {
        "INPUT_MODE": "check",
        "INPUT_CHARTS_DIR": "charts/services\ncharts/platform",
        "INPUT_EXCLUDE": "charts/services/legacy-*",
        "INPUT_VALUES_CHECKS": "global.imageTag = v{version}\nimage.tag = {appVersion}\n",
        "INPUT_TAG_TEMPLATE": "{name}-v{version}",
        "INPUT_MARK_LATEST": "true",
        "INPUT_PACKAGES_WITH_INDEX": "true",
        "INPUT_INDEX_PUBLISH": "pull-request",
        "INPUT_INDEX_PATH": "/charts/index.yaml",
        "INPUT_TOKEN": "secret-token",
    }
    config = config_from(env)
    assert config.mode == "check"
    assert config.charts_dirs == ("charts/services", "charts/platform")
    assert config.exclude == ("charts/services/legacy-*",)
    assert config.values_checks == ("global.imageTag = v{version}", "image.tag = {appVersion}")
    assert config.tag_template.render(name="web", version="1.0.0") == "web-v1.0.0"
    assert (config.mark_latest, config.packages_with_index) == (True, True)
    assert config.index_publish == "pull-request"
    assert config.index_path == "charts/index.yaml"
    assert "secret-token" not in repr(config)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INPUT_MARK_LATEST", "yes"),
        ("INPUT_DRY_RUN", "False"),
        ("INPUT_RELEASE_NOTES", "changes"),
        ("INPUT_MODE", "publish"),
        ("INPUT_INDEX_PUBLISH", "pr"),
        ("INPUT_COMMIT_METHOD", "graphql"),
        ("INPUT_PR_DRAFT", "yes"),
        ("INPUT_PR_MILESTONE", "v1"),
        ("INPUT_PR_AUTHOR", "Release Bot"),
        ("INPUT_PR_COMMITTER", "<bot@example.com>"),
        ("INPUT_PR_BODY_PATH", "../outside.md"),
    ],
)
def test_a_bad_input_names_itself(name: str, value: str) -> None:
    input_name = name.removeprefix("INPUT_").lower().replace("_", "-")
    with pytest.raises(InputError, match=f"input '{input_name}'"):
        config_from({name: value})


@pytest.mark.parametrize("path", ["", "charts/", "../index.yaml"])
def test_an_index_path_must_stay_inside_the_branch(path: str) -> None:
    with pytest.raises(UsageError, match="index-path"):
        config_from({"INPUT_INDEX_PATH": path or " / "})


def test_a_tag_template_without_version_is_refused() -> None:
    with pytest.raises(UsageError, match="must contain"):
        config_from({"INPUT_TAG_TEMPLATE": "{name}"})


@pytest.mark.parametrize(
    ("event", "mode"),
    [
        ("pull_request", "check"),
        ("pull_request_target", "check"),
        ("push", "release"),
        ("workflow_dispatch", "release"),
        ("", "check"),
    ],
)
def test_auto_mode_follows_the_event(event: str, mode: str) -> None:
    assert resolve_mode("auto", event) == mode


def test_auto_mode_refuses_an_event_it_does_not_know() -> None:
    with pytest.raises(UsageError, match="'issue_comment'"):
        resolve_mode("auto", "issue_comment")


def test_an_explicit_mode_wins_over_the_event() -> None:
    assert resolve_mode("release", "pull_request") == "release"


def test_target_branch_defaults_to_the_pull_request_base(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"repository": {"default_branch": "master"}}))
    pull = Workflow.from_environ(
        {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "release-1.1"}
    )
    push = Workflow.from_environ({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(event)})
    assert config_from({}, pull).target_branch == "release-1.1"
    assert config_from({}, push).target_branch == "master"
    assert config_from({"INPUT_TARGET_BRANCH": "main"}, pull).target_branch == "main"


def test_pages_urls_for_github_and_enterprise() -> None:
    assert default_pages_url("https://github.com", "telepace/helm-charts") == (
        "https://telepace.github.io/helm-charts/"
    )
    assert default_pages_url("https://github.com", "acme/acme.github.io") == (
        "https://acme.github.io/"
    )
    assert default_pages_url("https://ghe.example.com", "infra/charts") == (
        "https://ghe.example.com/pages/infra/charts/"
    )
    config = config_from({"INPUT_PAGES_URL": "https://charts.example.com/stable"})
    assert config.helm_repository_url == "https://charts.example.com/stable/"


@pytest.mark.parametrize(
    ("inputs", "url"),
    [
        ({"INPUT_INDEX_PATH": "charts/index.yaml"}, "https://octo.github.io/charts/charts/"),
        (
            {"INPUT_INDEX_PATH": "/helm/stable/index.yaml"},
            "https://octo.github.io/charts/helm/stable/",
        ),
        (
            {"INPUT_INDEX_PATH": "charts/index.yaml", "INPUT_PAGES_URL": "https://x.example/"},
            "https://x.example/charts/",
        ),
    ],
)
def test_the_helm_repository_url_is_where_the_index_is_served(
    inputs: dict[str, str], url: str
) -> None:
    config = config_from(inputs, Workflow(event_name="push", repository="octo/charts"))
    assert config.helm_repository_url == url


def test_the_pull_request_options_are_create_pull_requests(tmp_path: Path) -> None:
    env = {
        "INPUT_COMMIT_METHOD": "api",
        "INPUT_PR_TITLE": "Index",
        "INPUT_PR_BODY": "ignored: the body file wins",
        "INPUT_PR_BODY_PATH": "body.md",
        "INPUT_PR_LABELS": "a, b",
        "INPUT_PR_ASSIGNEES": "octocat",
        "INPUT_PR_REVIEWERS": "hubot\nmonalisa",
        "INPUT_PR_TEAM_REVIEWERS": "octo/core",
        "INPUT_PR_MILESTONE": "7",
        "INPUT_PR_DRAFT": "true",
        "INPUT_PR_BRANCH": "charts/index",
        "INPUT_PR_COMMIT_MESSAGE": "Index charts",
        "INPUT_PR_AUTHOR": "Release Bot <release@example.com>",
        "INPUT_PR_COMMITTER": "Ops <ops@example.com>",
        "INPUT_PR_DELETE_BRANCH": "true",
    }
    (tmp_path / "body.md").write_text("From the file.\n")
    config = config_from(env)
    assert config.commit_method == "api"
    options = config.pull_request.completed(
        tmp_path, title="default", body="default", branch="default", commit_message="default"
    )
    assert options == PullRequestOptions(
        title="Index",
        body="From the file.\n",
        body_path="body.md",
        branch="charts/index",
        commit_message="Index charts",
        labels=("a", "b"),
        assignees=("octocat",),
        reviewers=("hubot", "monalisa"),
        team_reviewers=("octo/core",),
        milestone=7,
        draft=True,
        delete_branch=True,
        author=("Release Bot", "release@example.com"),
        committer=("Ops", "ops@example.com"),
    )


def test_the_command_line_takes_the_commit_method() -> None:
    from release_actions.cli import build_parser

    args = build_parser().parse_args(["chart", "release", "--commit-method", "api"])
    config = ReleaseConfig.from_args(args, Workflow(), {})
    assert config.commit_method == "api"
    with pytest.raises(UsageError, match="--commit-method: invalid choice: 'push'"):
        build_parser().parse_args(["chart", "release", "--commit-method", "push"])
