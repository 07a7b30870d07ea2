"""The README's chart workflows under act: check on a pull request, release on push to main."""

from __future__ import annotations

import json

from support.act import Act
from support.act_events import push
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
