"""action-changelog-check end to end: action.yml run like GitHub's runner, on a HAMi-like repo."""

from __future__ import annotations

import pytest

from support.action_runner import ActionResult, ActionRunner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

CHANGELOG = "docs/CHANGELOG/CHANGELOG-1.2.md"
INPUTS = {
    "paths": "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md",
    "version-files": "charts/hami/Chart.yaml:version\ncharts/hami/Chart.yaml:appVersion\nVERSION",
    "require-for-paths": "pkg/**\ncharts/**",
}
ENTRY = """<!-- START doctoc generated TOC please keep comment here to allow auto update -->
- [v1.2.0](#v120)
<!-- END doctoc generated TOC please keep comment here to allow auto update -->

# v1.2.0
## Downloads for v1.2.0

Download v1.2.0 in the [v1.2.0 release page](https://github.com/octo/charts/releases/tag/v1.2.0).

## Changelog since v1.1.0
### Changes by Kind
#### Bug Fixes
- Fix vGPU memory accounting on MIG nodes (#1201, @alice)

#### Others
None.
"""


def hami_repo(project: GitProject, version: str) -> str:
    return project.work.commit(
        {
            CHANGELOG: ENTRY,
            "charts/hami/Chart.yaml": (
                f'apiVersion: v2\nname: hami\nversion: {version}\nappVersion: "{version}"\n'
            ),
            "charts/hami/values.yaml": f'global:\n  imageTag: "v{version}"\n',
            "VERSION": f"v{version}",
            "pkg/scheduler/scheduler.go": "package scheduler\n",
        },
        f"Release {version}",
    )


def our_errors(result: ActionResult) -> list[str]:
    """Error annotations, without the runner's own "Process completed with exit code 1."."""
    return [a.message for a in result.annotations if a.level == "error" and a.title]


def annotations_on(result: ActionResult, file: str) -> list[tuple[str, int | None, str | None]]:
    return [(a.level, a.line, a.title) for a in result.annotations if a.file == file]


@pytest.fixture
def hami(git_project: GitProject) -> GitProject:
    hami_repo(git_project, "1.2.0")
    git_project.work.push()
    return git_project


def test_pull_request_gate_and_skip_label_on_rerun(
    hami: GitProject, fake_github: FakeGitHub, action_runner: ActionRunner
) -> None:
    work = hami.work
    base = work.head()
    work.checkout("feature", create=True)
    work.commit({"pkg/scheduler/scheduler.go": "package scheduler // faster\n"}, "Faster")
    pull = fake_github.add_pull("feature", files=["pkg/scheduler/scheduler.go"])
    event = {
        "number": pull.number,
        "pull_request": {
            "number": pull.number,
            "user": {"login": "alice"},
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "feature", "sha": work.head()},
            "labels": [],
        },
    }

    first = action_runner.run(
        "action-changelog-check",
        inputs=INPUTS,
        event_name="pull_request",
        event=event,
        workspace=work.path,
        github=fake_github,
    )
    assert first.exit_code == 1, first.log
    assert our_errors(first) == [
        "pull request #1 changes pkg/scheduler/scheduler.go but not the changelog "
        "(docs/CHANGELOG/CHANGELOG-{major}.{minor}.md): add an entry, or add the label "
        "'skip-changelog'"
    ]
    assert [a.title for a in first.annotations if a.level == "error" and a.title] == [
        "CL008 not-touched"
    ]
    assert first.outputs["mode"] == "pr" and first.outputs["skipped"] == "false"
    assert "❌ failed" in first.summary
    assert "test-token" in first.masks

    # A maintainer adds the label; re-running the same job (same event payload) sees it.
    fake_github.set_labels(pull.number, ["skip-changelog"])
    rerun = action_runner.run(
        "action-changelog-check",
        inputs=INPUTS,
        event_name="pull_request",
        event=event,
        workspace=work.path,
        github=fake_github,
    )
    assert rerun.exit_code == 0, rerun.log
    assert rerun.errors == []
    assert (rerun.outputs["skipped"], rerun.outputs["skip-reason"]) == (
        "true",
        "label 'skip-changelog'",
    )
    assert "Changelog requirement skipped: label 'skip-changelog'." in rerun.summary


def test_tag_with_a_complete_entry_outputs_notes_and_updates_the_release(
    hami: GitProject, fake_github: FakeGitHub, action_runner: ActionRunner
) -> None:
    hami.work.tag("v1.2.0")
    fake_github.add_release(
        "v1.2.0", body="## What's Changed\n* Faster scheduler by @alice in #1201"
    )

    result = action_runner.run(
        "action-changelog-check",
        inputs={**INPUTS, "update-release": True, "release-notes-file": "release-notes.md"},
        event_name="push",
        event={"ref": "refs/tags/v1.2.0"},
        ref="refs/tags/v1.2.0",
        workspace=hami.work.path,
        github=fake_github,
    )

    assert result.exit_code == 0, result.log
    assert result.errors == []
    outputs = result.outputs
    assert (outputs["mode"], outputs["version"], outputs["changelog-file"]) == (
        "release",
        "1.2.0",
        CHANGELOG,
    )
    assert (outputs["entry-line"], outputs["status"]) == ("5", "released")
    notes = outputs["release-notes"]
    assert notes.splitlines()[0] == "## Downloads for v1.2.0"
    assert "- Fix vGPU memory accounting on MIG nodes (#1201, @alice)" in notes
    assert notes.endswith("#### Others\nNone.")
    assert (hami.work.path / "release-notes.md").read_text() == notes + "\n"
    assert outputs["release-updated"] == "true"
    release = fake_github.release("v1.2.0")
    assert release is not None and release.body is not None
    assert release.body.startswith("## What's Changed\n* Faster scheduler by @alice in #1201\n\n")
    assert "- Fix vGPU memory accounting on MIG nodes (#1201, @alice)" in release.body
    link = f"{fake_github.server_url}/octo/charts/blob/v1.2.0/{CHANGELOG}"
    assert release.body.count(f"See [the CHANGELOG]({link}) for details.") == 1
    assert "| CL010 | Version files agree with the version | ✅ passed |" in result.summary
    assert "Release notes preview" in result.summary


def test_tag_without_an_entry_fails_naming_the_file(
    hami: GitProject, fake_github: FakeGitHub, action_runner: ActionRunner
) -> None:
    hami_repo(hami, "1.2.1")  # the version is bumped, but nobody wrote the changelog
    hami.work.tag("v1.2.1")
    fake_github.add_release("v1.2.1", body="generated")

    result = action_runner.run(
        "action-changelog-check",
        inputs={**INPUTS, "update-release": True},
        event_name="push",
        event={"ref": "refs/tags/v1.2.1"},
        ref="refs/tags/v1.2.1",
        workspace=hami.work.path,
        github=fake_github,
    )

    assert result.exit_code == 1, result.log
    assert annotations_on(result, CHANGELOG) == [("error", 5, "CL002 entry-missing")]
    assert our_errors(result) == [
        f"no entry for 1.2.1 in {CHANGELOG} (latest entry is v1.2.0 at line 5); "
        "tag v1.2.1 needs one"
    ]
    assert result.outputs["release-notes"] == ""
    release = fake_github.release("v1.2.1")
    assert release is not None and release.body == "generated"  # nothing published


def test_a_new_minor_without_its_file(
    hami: GitProject, fake_github: FakeGitHub, action_runner: ActionRunner
) -> None:
    result = action_runner.run(
        "action-changelog-check",
        inputs={"paths": INPUTS["paths"]},
        event_name="workflow_dispatch",
        event={"inputs": {"version": "2.10.0"}},
        workspace=hami.work.path,
        github=fake_github,
    )
    assert result.exit_code == 1
    assert our_errors(result) == ["docs/CHANGELOG/CHANGELOG-2.10.md not found for version 2.10.0"]
    assert result.annotations[0].file == "docs/CHANGELOG/CHANGELOG-2.10.md"


KAC = """# Changelog

## [Unreleased]
### Fixed
- Faster scheduling on MIG nodes.

## [1.2.0] - 2026-11-02
### Added
- vGPU memory accounting.

[unreleased]: https://github.com/octo/charts/compare/v1.2.0...HEAD
[1.2.0]: https://github.com/octo/charts/compare/v1.1.0...v1.2.0
"""


def test_release_pr_mode_opens_the_pull_request_that_releases_the_changelog(
    git_project: GitProject, fake_github: FakeGitHub, action_runner: ActionRunner
) -> None:
    work = git_project.work
    work.commit({"CHANGELOG.md": KAC}, "Changelog")
    work.push()

    result = action_runner.run(
        "action-changelog-check",
        inputs={"mode": "release-pr", "version": "1.3.0", "release-date": "2026-12-05"},
        event_name="workflow_dispatch",
        event={"inputs": {}},
        ref="refs/heads/main",
        workspace=work.path,
        github=fake_github,
    )

    assert result.exit_code == 0, result.log
    branch = "release-actions/changelog-release-1.3.0"
    (pull,) = fake_github.pulls
    assert (pull.head, pull.base, pull.title) == (branch, "main", "Release 1.3.0")
    assert result.outputs["pull-request-number"] == "1"
    released = git_project.origin_file(branch, "CHANGELOG.md")
    assert released is not None
    assert "## [Unreleased]\n\n## [1.3.0] - 2026-12-05\n### Fixed\n" in released.decode()
    assert "[1.3.0]: https://github.com/octo/charts/compare/v1.2.0...v1.3.0\n" in released.decode()
    assert (work.path / "CHANGELOG.md").read_text() == KAC  # the caller's checkout is untouched
