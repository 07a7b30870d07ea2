"""The README's changelog workflows under act: pull requests, tag pushes and release events."""

from __future__ import annotations

import pytest

from support.act import Act
from support.act_events import pull_request, push, release
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

from .workflows import example_files, readme_workflows

CHANGELOG = "docs/CHANGELOG/CHANGELOG-1.2.md"
ROOT_WORKFLOW = readme_workflows("README.md")["changelog.yml"]
ACTION_WORKFLOWS = readme_workflows("action-changelog-check/README.md")


@pytest.fixture
def project(git_project: GitProject) -> GitProject:
    """The HAMi-like layout of examples/changelog, released up to 1.2.1, on main."""
    files = {
        **example_files("changelog"),
        # what release.yml's version-files also name
        "charts/hami/Chart.yaml": (
            'apiVersion: v2\nname: hami\nversion: 1.2.1\nappVersion: "1.2.1"\n'
        ),
        "charts/hami/values.yaml": 'global:\n  imageTag: "v1.2.1"\n',
    }
    git_project.work.commit(files, "Release 1.2.1")
    git_project.work.push()
    return git_project


def open_pull(
    project: GitProject, fake: FakeGitHub, files: dict[str, str], labels: tuple[str, ...] = ()
) -> dict[str, object]:
    work = project.work
    work.checkout("feature", create=True)
    work.commit(files, "A change")
    work.push("feature")
    pull = fake.add_pull("feature", files=sorted(files), labels=labels)
    return pull_request(fake, work, pull.number, head_ref="feature", labels=labels)


def entry_added(project: GitProject) -> str:
    text = project.work.read(CHANGELOG)
    return text.replace(
        "# v1.2.1\n",
        "# v1.2.2\n## Changelog since v1.2.1\n#### Bug Fixes\n- Fix a leak. (#1400, @bob)\n\n"
        "# v1.2.1\n",
        1,
    )


def test_root_readme_workflow_passes_a_pull_request_with_an_entry(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    event = open_pull(
        project, fake_github, {"pkg/a.go": "package a\n", CHANGELOG: entry_added(project)}
    )

    run = act.run(ROOT_WORKFLOW, "pull_request", event, project.work.path, github=fake_github)

    assert run.returncode == 0, run.log
    outputs = run.step("step1").outputs
    assert (outputs["mode"], outputs["skipped"]) == ("pr", "false"), run.log


def test_action_readme_workflow_fails_a_pull_request_without_an_entry_and_says_why(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    event = open_pull(project, fake_github, {"pkg/a.go": "package a\n"})

    run = act.run(
        ACTION_WORKFLOWS["changelog.yml"],
        "pull_request",
        event,
        project.work.path,
        github=fake_github,
    )

    assert run.returncode != 0
    assert run.step("step1").outcome == "failure"
    assert run.annotations("error"), run.log
    assert "Changelog check" in run.summaries, run.log


def test_root_readme_workflow_on_a_tag_writes_the_notes_once(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    project.work.tag("v1.2.1")
    project.work.push(tags=True)
    fake_github.add_release("v1.2.1", body="")
    event = push(fake_github, project.work, ref="refs/tags/v1.2.1")

    run = act.run(ROOT_WORKFLOW, "push", event, project.work.path, github=fake_github)

    assert run.returncode == 0, run.log
    outputs = run.step("step1").outputs
    assert (outputs["mode"], outputs["version"], outputs["status"]) == (
        "release",
        "1.2.1",
        "released",
    )
    assert outputs["release-updated"] == "true"
    body = fake_github.release("v1.2.1").body or ""  # type: ignore[union-attr]
    assert "Fix the vGPU memory limit" in body

    again = act.run(ROOT_WORKFLOW, "push", event, project.work.path, github=fake_github)

    assert again.step("step1").outputs["release-updated"] == "false", again.log
    assert (fake_github.release("v1.2.1").body or "") == body  # type: ignore[union-attr]


def test_action_readme_release_workflow_gates_the_tag_and_outputs_the_notes(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    """The workflow's first job (the second runs gh, which talks to github.com only)."""
    project.work.tag("v1.2.1")
    event = push(fake_github, project.work, ref="refs/tags/v1.2.1")

    run = act.run(
        ACTION_WORKFLOWS["release.yml"],
        "push",
        event,
        project.work.path,
        github=fake_github,
        job="changelog",
    )

    assert run.returncode == 0, run.log
    notes = run.step("changelog").outputs["release-notes"]
    assert "Fix the vGPU memory limit" in notes


def test_action_readme_release_notes_workflow_on_a_published_release(
    act: Act, project: GitProject, fake_github: FakeGitHub
) -> None:
    project.work.tag("v1.2.1")
    fake_github.add_release("v1.2.1", body="Binaries below.")
    event = release(fake_github, "v1.2.1", action="published")

    run = act.run(
        ACTION_WORKFLOWS["release-notes.yml"],
        "release",
        event,
        project.work.path,
        github=fake_github,
    )

    assert run.returncode == 0, run.log
    body = fake_github.release("v1.2.1").body or ""  # type: ignore[union-attr]
    assert body.startswith("Binaries below.") and "Fix the vGPU memory limit" in body
