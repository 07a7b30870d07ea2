"""The action's pull-request check builds each changed chart's release notes, as the release
will: what would stop the release after the merge is a finding on the pull request."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import pytest

from release_actions.chart.action import check
from release_actions.chart.release.config import ReleaseConfig
from release_actions.context import Context
from release_actions.errors import ChecksFailed
from release_actions.runner import Runner
from support.git_repos import GitProject

CONFIG = ReleaseConfig(mode="check", target_branch="main")


def chart_yaml(version: str, annotations: str = "") -> str:
    return (
        f"apiVersion: v2\nname: api\nversion: {version}\ndescription: The api chart\n{annotations}"
    )


@dataclass
class Checked:
    failed: bool
    log: str


def pull_request(
    project: GitProject, files: dict[str, str], config: ReleaseConfig = CONFIG
) -> Checked:
    """Commit ``files`` on a branch off main and run the check as on a pull request."""
    work = project.work
    work.checkout("feature", create=True)
    work.commit(files, "change api")
    stream = io.StringIO()
    context = Context(runner=Runner({}, stream), environ={}, cwd=work.path)
    try:
        check(config, context)
    except ChecksFailed:
        return Checked(True, stream.getvalue())
    return Checked(False, stream.getvalue())


@pytest.fixture
def project(git_project: GitProject) -> GitProject:
    git_project.work.commit({"charts/api/Chart.yaml": chart_yaml("1.0.0")}, "add api")
    git_project.work.push()
    return git_project


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (
            '  artifacthub.io/changes: "just a sentence"\n',
            "the artifacthub.io/changes annotation must be a YAML list of changes",
        ),
        (
            "  artifacthub.io/changes: |\n    - kind: added\n",
            "each artifacthub.io/changes entry must be a string or have a description",
        ),
        (
            "  artifacthub.io/changes: |\n    - [unclosed\n",
            "the artifacthub.io/changes annotation is not valid YAML",
        ),
    ],
)
def test_malformed_changes_fail_the_pull_request_on_their_line(
    project: GitProject, annotation: str, message: str
) -> None:
    content = chart_yaml("1.0.1", "annotations:\n" + annotation)
    checked = pull_request(project, {"charts/api/Chart.yaml": content})
    assert checked.failed, checked.log
    assert (
        f"error: charts/api/Chart.yaml:6:27: the release of api 1.0.1 would fail: {message}"
    ) in checked.log
    assert "**release-notes**" in checked.log  # in the summary too


def test_well_formed_changes_pass(project: GitProject) -> None:
    content = chart_yaml(
        "1.0.1",
        "annotations:\n  artifacthub.io/changes: |\n    - kind: fixed\n      description: x\n",
    )
    checked = pull_request(project, {"charts/api/Chart.yaml": content})
    assert not checked.failed, checked.log


def test_a_changelog_without_the_new_version_fails_the_pull_request(project: GitProject) -> None:
    changelog = "# Changelog\n\n## [1.0.0] - 2025-01-01\n\n- First release\n"
    config = replace(CONFIG, release_notes="changelog")
    checked = pull_request(
        project,
        {"charts/api/Chart.yaml": chart_yaml("1.0.1"), "charts/api/CHANGELOG.md": changelog},
        config,
    )
    assert checked.failed, checked.log
    assert (
        "error: charts/api/CHANGELOG.md:1: the release of api 1.0.1 would fail:"
        " charts/api/CHANGELOG.md has no entry for api 1.0.1"
    ) in checked.log


def test_a_changelog_with_the_new_version_passes(project: GitProject) -> None:
    changelog = (
        "# Changelog\n\n## [1.0.1] - 2025-02-01\n\n- Fix\n\n## [1.0.0] - 2025-01-01\n\n- First\n"
    )
    config = replace(CONFIG, release_notes="changelog")
    checked = pull_request(
        project,
        {"charts/api/Chart.yaml": chart_yaml("1.0.1"), "charts/api/CHANGELOG.md": changelog},
        config,
    )
    assert not checked.failed, checked.log


def test_unchanged_charts_are_not_asked_for_notes(project: GitProject) -> None:
    """Only what the pull request changes: an old chart's missing changelog is not its fault."""
    config = replace(CONFIG, release_notes="changelog")
    checked = pull_request(project, {"README.md": "docs\n"}, config)
    assert not checked.failed, checked.log
