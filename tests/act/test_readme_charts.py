"""The README's chart workflows under act: check on a pull request, release on push to main."""

from __future__ import annotations

import json
from pathlib import Path

from support.act import Act
from support.act_events import pull_request, push
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

from .workflows import example_files, readme_workflows

WORKFLOW = readme_workflows("README.md")["charts.yml"]


def test_root_readme_chart_workflow_releases_on_push_and_a_rerun_writes_nothing(
    act: Act, git_project: GitProject, fake_github: FakeGitHub
) -> None:
    work = git_project.work
    work.commit(example_files("hami-like"), "Add the hami chart")
    work.push()

    run = act.run(WORKFLOW, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    released = json.loads(run.step("step1").outputs["released"])
    assert [(chart["name"], chart["version"]) for chart in released] == [("hami", "2.10.0")]
    release = fake_github.release("hami-2.10.0")
    assert release is not None and [asset.name for asset in release.assets] == ["hami-2.10.0.tgz"]
    assert git_project.origin_log("gh-pages")[0].startswith("Release")
    index = git_project.origin_file("gh-pages", "index.yaml")
    assert index is not None and b"hami-2.10.0.tgz" in index
    pages_tip = git_project.origin_sha("refs/heads/gh-pages")
    writes = len(fake_github.requests_to("POST", ".*")) + len(
        fake_github.requests_to("PATCH", ".*")
    )

    again = act.run(WORKFLOW, "push", push(fake_github, work), work.path, github=fake_github)

    assert again.returncode == 0, again.log
    assert again.step("step1").outputs["index-updated"] == "false"
    assert git_project.origin_sha("refs/heads/gh-pages") == pages_tip
    assert (
        len(fake_github.requests_to("POST", ".*")) + len(fake_github.requests_to("PATCH", ".*"))
        == writes
    )


def test_chart_readme_hami_workflow_on_master_with_changelog_notes(
    act: Act, tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """The HAMi workflow: branch master, azure/setup-helm (a stand-in), notes from the changelog."""
    project = GitProject.create(tmp_path / "hami")
    work = project.work
    work.git("branch", "-m", "main", "master")
    notes = "# v2.10.0\n## Changelog since v2.9.0\n#### Bug Fixes\n- Fix the scheduler. (#1)\n"
    work.commit({**example_files("hami-like"), "docs/CHANGELOG/CHANGELOG-2.10.md": notes}, "Add")
    work.push("master")
    workflow = readme_workflows("action-chart-release/README.md")["chart.yml"]
    event = push(fake_github, work, ref="refs/heads/master")

    run = act.run(workflow, "push", event, work.path, github=fake_github)

    assert run.returncode == 0, run.log
    assert run.step("chart").outputs["chart-version"] == "2.10.0"
    assert "Released hami 2.10.0" in run.log
    release = fake_github.release("hami-2.10.0")
    assert release is not None and "Fix the scheduler." in (release.body or "")


def test_chart_readme_telepace_workflow_checks_a_pull_request_then_releases_nested_charts(
    act: Act, git_project: GitProject, fake_github: FakeGitHub
) -> None:
    work = git_project.work
    work.commit(example_files("telepace-like"), "Add the charts")
    work.push()
    workflow = readme_workflows("action-chart-release/README.md")["charts.yml"]

    run = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    assert sorted(release.tag_name for release in fake_github.releases) == [
        "analysis-v0.1.2",
        "collection-v0.1.0",
        "web-v0.2.0",
    ]
    assert git_project.origin_file("gh-pages", "web-0.2.0.tgz") is not None
    assert git_project.origin_file("gh-pages", "index.html") is not None

    work.checkout("web-bump", create=True)
    chart = work.read("charts/services/web/Chart.yaml").replace("0.2.0", "0.2.0-dirty")
    work.commit({"charts/services/web/Chart.yaml": chart.replace("0.2.0-dirty", "0.1.9")}, "Bad")
    work.push("web-bump")
    pull = fake_github.add_pull("web-bump", files=["charts/services/web/Chart.yaml"])
    event = pull_request(fake_github, work, pull.number, head_ref="web-bump")

    check = act.run(workflow, "pull_request", event, work.path, github=fake_github)

    assert check.step("step1").outcome == "failure", check.log
    assert check.step("step1").outputs["changed-charts"] == "charts/services/web"
    assert any("0.1.9" in message for message in check.annotations("error")), check.log


def test_pull_request_publishing_on_a_fresh_repository_starts_the_pages_branch(
    act: Act, git_project: GitProject, fake_github: FakeGitHub
) -> None:
    """No pages branch yet: there is nothing to open a pull request against, so the first index
    is pushed (the branch is created); later indexes go through pull requests."""
    work = git_project.work
    work.commit(example_files("hami-like"), "Add the hami chart")
    work.push()
    workflow = readme_workflows("README.md")["charts.yml"]
    workflow["jobs"]["charts"]["steps"][1]["with"] = {"index-publish": "pull-request"}

    run = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    assert run.step("step1").outputs["index-updated"] == "true"
    index = git_project.origin_file("gh-pages", "index.yaml")
    assert index is not None and b"hami-2.10.0.tgz" in index
    assert fake_github.pulls == []
