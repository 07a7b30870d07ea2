"""This repository's own workflows under act: the self-tests and the release on a version tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.act import Act
from support.act_events import push, workflow_dispatch
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO_ROOT / ".github" / "workflows"
RELEASED = """## [Unreleased]

## [1.0.0] - 2026-12-05

### Added

- The first release.
"""


@pytest.fixture
def ours(action_repository: Path, tmp_path: Path) -> GitProject:
    """A clone of this working tree (its committed and uncommitted files) with a bare origin."""
    files = {
        path.relative_to(action_repository).as_posix(): path.read_bytes()
        for path in sorted(action_repository.rglob("*"))
        if path.is_file()
    }
    return GitProject.create(tmp_path / "ours", initial=files)


def test_selftest_workflow_passes(act: Act, ours: GitProject, fake_github: FakeGitHub) -> None:
    run = act.run(
        (WORKFLOWS / "selftest.yml").read_text(encoding="utf-8"),
        "workflow_dispatch",
        workflow_dispatch(fake_github, {}),
        ours.work.path,
        github=fake_github,
    )

    assert run.returncode == 0, run.log
    assert run.step("step2").outputs["status"] == "released", run.log  # the 1.2.1 gate
    assert run.step("step1").outputs["mode"] == "lint"  # our own changelog, linted


def test_release_workflow_releases_with_the_notes_then_moves_the_major_tag(
    act: Act, ours: GitProject, fake_github: FakeGitHub
) -> None:
    work = ours.work
    changelog = work.read("CHANGELOG.md").replace("## [Unreleased]\n", RELEASED, 1)
    work.commit({"CHANGELOG.md": changelog}, "Release 1.0.0")
    work.tag("v1.0.0")
    work.push(tags=True)
    workflow = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    event = push(fake_github, work, ref="refs/tags/v1.0.0")

    run = act.run(workflow, "push", event, work.path, github=fake_github)

    assert run.returncode == 0, run.log
    release = fake_github.release("v1.0.0")
    assert release is not None and "The first release." in (release.body or ""), run.log
    assert ours.origin_sha("refs/tags/v1") == ours.origin_sha("refs/tags/v1.0.0") is not None
    writes = [request for request in fake_github.requests if request.method != "GET"]

    again = act.run(workflow, "push", event, work.path, github=fake_github)

    assert again.returncode == 0, again.log
    assert [request for request in fake_github.requests if request.method != "GET"] == writes
    assert ours.origin_sha("refs/tags/v1") == ours.origin_sha("refs/tags/v1.0.0")


def test_release_workflow_keeps_the_major_tag_when_a_self_test_fails(
    act: Act, ours: GitProject, fake_github: FakeGitHub
) -> None:
    work = ours.work
    broken = RELEASED.replace("2026-12-05", "2026-13-45")  # CL004 fails our own changelog lint
    work.commit({"CHANGELOG.md": work.read("CHANGELOG.md").replace("## [Unreleased]\n", broken)})
    work.tag("v1.0.0")
    work.push(tags=True)
    workflow = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")

    run = act.run(
        workflow,
        "push",
        push(fake_github, work, ref="refs/tags/v1.0.0"),
        work.path,
        github=fake_github,
    )

    assert run.returncode != 0
    assert ours.origin_sha("refs/tags/v1") is None, run.log
    assert fake_github.release("v1.0.0") is None
