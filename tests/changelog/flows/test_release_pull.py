"""Release-pr mode: the release step as a pull request, on real git and the fake GitHub."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from release_actions.changelog.action import check_changelog
from release_actions.changelog.flows.release_pull import PULL_BRANCH
from release_actions.changelog.flows.settings import Settings, choose_target
from release_actions.changelog.promote import promote_unreleased
from release_actions.changelog.reading.loose_version import parse_loose_version
from release_actions.context import Workflow
from release_actions.errors import InputError
from release_actions.github import GitHub
from release_actions.runner import Runner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

DAY = datetime.date(2026, 12, 5)
KAC = """# Changelog

## [Unreleased]
### Fixed
- A crash when the file is empty.

## [1.1.0] - 2024-03-02
### Added
- A flag.

[Unreleased]: https://github.com/octo/charts/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/octo/charts/compare/v1.0.0...v1.1.0
"""
SETTINGS = Settings(mode="release-pr", version="1.2.0", release_date=DAY, token="test-token")


def run_release_pr(
    project: GitProject, fake: FakeGitHub, github: GitHub, settings: Settings = SETTINGS
) -> tuple[dict[str, str], str, str]:
    workflow = Workflow(
        event_name="workflow_dispatch",
        ref="refs/heads/main",
        repository=fake.repository,
        server_url=fake.server_url,
        api_url=fake.api_url,
    )
    stream = io.StringIO()
    summary = project.root / "summary.md"
    output = project.root / "output.txt"
    summary.write_text("")
    runner = Runner({"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}, stream)
    code = check_changelog(
        settings,
        choose_target(settings, workflow),
        workflow,
        runner=runner,
        root=project.work.path,
        github=github,
        git=project.work.client(),
    )
    assert code == 0
    return dict(runner.outputs), stream.getvalue(), summary.read_text()


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    return GitProject.create(tmp_path / "git", initial={"CHANGELOG.md": KAC})


def test_release_pr_opens_one_pull_request_and_a_rerun_changes_nothing(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    outputs, _, summary = run_release_pr(project, fake_github, github_client)

    branch = PULL_BRANCH.format(version="1.2.0")
    version = parse_loose_version("1.2.0")
    assert version is not None
    expected = promote_unreleased(KAC, version, DAY).text
    assert project.origin_file(branch, "CHANGELOG.md") == expected.encode()
    assert project.origin_log(branch)[:2] == ["Release 1.2.0", "Initial commit"]
    assert project.origin_file("main", "CHANGELOG.md") == KAC.encode()  # only through the PR
    (pull,) = fake_github.pulls
    assert (pull.head, pull.base, pull.title) == (branch, "main", "Release 1.2.0")
    assert pull.body is not None and "- A crash when the file is empty." in pull.body
    assert outputs["mode"] == "release-pr"
    assert outputs["pull-request-number"] == "1"
    assert outputs["pull-request-url"].endswith("/pull/1")
    assert (outputs["entry-line"], outputs["status"]) == ("5", "released")
    assert outputs["release-notes"] == "### Fixed\n- A crash when the file is empty."
    assert "Pull request: [#1](" in summary
    assert f"(created; branch `{branch}` pushed)" in summary

    sha = project.origin_sha(f"refs/heads/{branch}")
    outputs, _, summary = run_release_pr(project, fake_github, github_client)
    assert project.origin_sha(f"refs/heads/{branch}") == sha
    assert len(fake_github.pulls) == 1 and outputs["pull-request-number"] == "1"
    assert "(unchanged)." in summary  # nothing pushed, nothing edited


def test_once_merged_the_version_is_released_and_nothing_is_opened(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    version = parse_loose_version("1.2.0")
    assert version is not None
    project.work.commit({"CHANGELOG.md": promote_unreleased(KAC, version, DAY).text}, "Merged")
    project.work.push()

    outputs, log, summary = run_release_pr(project, fake_github, github_client)

    assert fake_github.pulls == []
    assert outputs["pull-request-number"] == ""
    assert "CHANGELOG.md already has an entry for 1.2.0 at line 5: nothing to release" in log
    assert "Pull request: none: 1.2.0 is already released on `main`." in summary


def test_release_pr_needs_a_version_and_a_branch() -> None:
    with pytest.raises(InputError, match="mode 'release-pr' needs the version to release"):
        choose_target(Settings(mode="release-pr"), Workflow(ref="refs/heads/main"))
    with pytest.raises(InputError, match="not 'latest'"):
        choose_target(Settings(mode="release-pr", version="latest"), Workflow())
