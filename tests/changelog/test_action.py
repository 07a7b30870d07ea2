"""check_changelog() with real git repositories and the fake GitHub behind the real adapter."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from release_actions.changelog.action import check_changelog
from release_actions.changelog.flows.settings import Settings, Target, choose_target
from release_actions.changelog.notes.entry import TRUNCATION_NOTE
from release_actions.changelog.notes.release_body import BLOCK_END, BLOCK_START
from release_actions.changelog.reading.locate import PathFilter, PathTemplate
from release_actions.changelog.rules.version_files import VersionFile
from release_actions.context import Workflow
from release_actions.errors import ChecksFailed
from release_actions.github import GitHub
from release_actions.runner import Runner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject, WorkingCopy

PER_MINOR = "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"
HAMI_SETTINGS = Settings(
    paths=(PathTemplate(PER_MINOR),),
    version_files=(
        VersionFile("charts/hami/Chart.yaml", "version"),
        VersionFile("charts/hami/Chart.yaml", "appVersion"),
        VersionFile("VERSION"),
    ),
    token="test-token",
)
ENTRY_120 = """# v1.2.0
## Downloads for v1.2.0

Download v1.2.0 in the [v1.2.0 release page](https://github.com/octo/charts/releases/tag/v1.2.0).

## Changelog since v1.1.0
### Changes by Kind
#### Bug Fixes
- Fix the scheduler when a node has no GPU (#12)

#### Others
None.
"""


def hami_files(version: str, changelog: str = ENTRY_120) -> dict[str, str | bytes | None]:
    return {
        "docs/CHANGELOG/CHANGELOG-1.2.md": changelog,
        "charts/hami/Chart.yaml": (
            f'apiVersion: v2\nname: hami\nversion: {version}\nappVersion: "{version}"\n'
        ),
        "VERSION": f"v{version}",
        "pkg/scheduler.go": "package scheduler\n",
    }


@dataclass
class Run:
    code: int | None
    failure: str | None
    outputs: dict[str, str]
    log: str
    summary: str


def run_check(
    settings: Settings,
    workflow: Workflow,
    work: WorkingCopy,
    github: GitHub | None,
    target: Target | None = None,
) -> Run:
    stream = io.StringIO()
    summary = work.path.parent / f"summary-{id(stream)}.md"
    output = work.path.parent / f"output-{id(stream)}.txt"
    runner = Runner({"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}, stream)
    try:
        code: int | None = check_changelog(
            settings,
            target or choose_target(settings, workflow),
            workflow,
            runner=runner,
            root=work.path,
            github=github,
            git=work.client(),
        )
        failure = None
    except ChecksFailed as exc:
        code, failure = None, exc.message
    return Run(code, failure, dict(runner.outputs), stream.getvalue(), summary.read_text())


def tag_push(tag: str, fake: FakeGitHub) -> Workflow:
    return Workflow(
        event_name="push",
        ref=f"refs/tags/{tag}",
        repository=fake.repository,
        server_url=fake.server_url,
        api_url=fake.api_url,
    )


def pull_event(fake: FakeGitHub, number: int, base_sha: str, author: str = "alice") -> Workflow:
    event: dict[str, Any] = {
        "number": number,
        "pull_request": {"number": number, "user": {"login": author}, "base": {"sha": base_sha}},
    }
    return Workflow(
        event_name="pull_request",
        event=event,
        repository=fake.repository,
        server_url=fake.server_url,
        api_url=fake.api_url,
    )


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    return GitProject.create(tmp_path / "git")


def test_release_gate_passes_writes_notes_and_updates_the_release(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    work.commit(hami_files("1.2.0"), "Release 1.2.0")
    work.tag("v1.2.0")
    fake_github.add_release("v1.2.0", body="## What's Changed\n* Fix by @a in #12")
    settings = replace(HAMI_SETTINGS, update_release=True, release_notes_file="out/notes.md")

    result = run_check(settings, tag_push("v1.2.0", fake_github), work, github_client)

    assert result.code == 0, result.log
    assert result.outputs["version"] == "1.2.0"
    assert result.outputs["changelog-file"] == "docs/CHANGELOG/CHANGELOG-1.2.md"
    assert result.outputs["entry-line"] == "1"
    assert result.outputs["status"] == "released"
    notes = result.outputs["release-notes"]
    assert notes.startswith("## Downloads for v1.2.0\n")
    assert "- Fix the scheduler when a node has no GPU (#12)" in notes
    assert (work.path / "out/notes.md").read_text() == notes + "\n"
    assert result.outputs["release-notes-file"] == "out/notes.md"
    assert result.outputs["release-updated"] == "true"
    release = fake_github.release("v1.2.0")
    assert release is not None and release.body is not None
    assert release.body.startswith("## What's Changed\n* Fix by @a in #12\n\n" + BLOCK_START)
    link = f"{fake_github.server_url}/octo/charts/blob/v1.2.0/docs/CHANGELOG/CHANGELOG-1.2.md"
    assert f"See [the CHANGELOG]({link}) for details." in release.body
    assert "| CL002 | An entry for the version exists | ✅ passed |" in result.summary
    assert "Release notes preview" in result.summary
    assert "| CL005 | The entry's date matches the tag's | ⏭️ skipped | the entry has no date |" in (
        result.summary
    )

    again = run_check(settings, tag_push("v1.2.0", fake_github), work, github_client)
    assert again.code == 0
    assert again.outputs["release-updated"] == "false"
    assert len(fake_github.requests_to("PATCH", r"/releases/\d+$")) == 1


def release_event(release_id: int, tag: str, fake: FakeGitHub) -> Workflow:
    return Workflow(
        event_name="release",
        event={"action": "created", "release": {"id": release_id, "tag_name": tag, "draft": True}},
        repository=fake.repository,
        server_url=fake.server_url,
        api_url=fake.api_url,
    )


def test_a_draft_release_from_the_release_event_is_updated(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    """``GET /releases/tags/{tag}`` never answers a draft: the event's release id does."""
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    draft = fake_github.add_release("v1.2.0", body="draft text", draft=True)
    settings = replace(HAMI_SETTINGS, update_release=True)

    result = run_check(
        settings, release_event(draft.id, "v1.2.0", fake_github), project.work, github_client
    )

    assert result.code == 0, result.log
    assert result.outputs["release-updated"] == "true"
    assert draft.draft and draft.body is not None
    assert draft.body.startswith("draft text\n\n" + BLOCK_START + "\n## Downloads for v1.2.0")
    assert [r.path for r in fake_github.requests_to("GET", "/releases")] == [
        f"/repos/octo/charts/releases/{draft.id}"
    ]


def test_a_draft_release_for_a_dispatched_version_is_found_in_the_list(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    fake_github.add_release("v1.1.0", body="older")
    draft = fake_github.add_release("v1.2.0", body="draft text", draft=True)
    settings = replace(HAMI_SETTINGS, update_release=True, version="1.2.0")
    dispatch = Workflow(
        event_name="workflow_dispatch",
        repository=fake_github.repository,
        server_url=fake_github.server_url,
        api_url=fake_github.api_url,
    )

    result = run_check(settings, dispatch, project.work, github_client)

    assert result.code == 0, result.log
    assert result.outputs["release-updated"] == "true"
    assert draft.draft and draft.body is not None and BLOCK_START in draft.body
    again = run_check(settings, dispatch, project.work, github_client)
    assert again.outputs["release-updated"] == "false"
    assert len(fake_github.requests_to("PATCH", r"/releases/\d+$")) == 1


def test_the_release_body_gets_notes_trimmed_to_max_notes_chars(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    fixes = "".join(
        f"- Fix number {number} in the scheduler (#{number})\n" for number in range(300)
    )
    project.work.commit(hami_files("1.2.0", f"# v1.2.0\n{fixes}"), "Release 1.2.0")
    release = fake_github.add_release("v1.2.0", body="")
    settings = replace(HAMI_SETTINGS, update_release=True, max_notes_chars=1000)

    result = run_check(settings, tag_push("v1.2.0", fake_github), project.work, github_client)

    assert result.code == 0, result.log
    assert len(result.outputs["release-notes"]) <= 1000
    assert release.body is not None and TRUNCATION_NOTE in release.body
    notes = release.body.split(BLOCK_START + "\n", 1)[1].split("\n\nSee [the CHANGELOG]", 1)[0]
    assert notes == result.outputs["release-notes"]


def test_a_body_whose_end_marker_was_deleted_by_hand_is_updated_once(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    edited = f"## What's Changed\n* Fix by @a\n\n{BLOCK_START}\nold notes, end marker deleted"
    release = fake_github.add_release("v1.2.0", body=edited)
    settings = replace(HAMI_SETTINGS, update_release=True)

    first = run_check(settings, tag_push("v1.2.0", fake_github), project.work, github_client)
    after_first = release.body
    second = run_check(settings, tag_push("v1.2.0", fake_github), project.work, github_client)

    assert (first.outputs["release-updated"], second.outputs["release-updated"]) == (
        "true",
        "false",
    )
    assert release.body == after_first and after_first is not None
    assert after_first.startswith(edited + "\n\n" + BLOCK_START + "\n## Downloads for v1.2.0")
    assert after_first.count(BLOCK_END) == 1 and after_first.endswith(BLOCK_END)
    assert len(fake_github.requests_to("PATCH", r"/releases/\d+$")) == 1


def test_release_gate_fails_before_publishing(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    work.commit(hami_files("1.2.0"), "Release 1.2.0")
    fake_github.add_release("v1.2.1", body="generated")
    settings = replace(HAMI_SETTINGS, update_release=True)

    result = run_check(settings, tag_push("v1.2.1", fake_github), work, github_client)

    assert result.failure == "the changelog checks found 4 errors"
    assert (
        "::error file=docs/CHANGELOG/CHANGELOG-1.2.md,line=1,title=CL002 entry-missing::"
        in result.log
    )
    assert (
        "no entry for 1.2.1 in docs/CHANGELOG/CHANGELOG-1.2.md (latest entry is v1.2.0 at line 1)"
        in result.log
    )
    assert "::error file=charts/hami/Chart.yaml,line=3,title=CL010 version-mismatch::" in result.log
    assert "charts/hami/Chart.yaml appVersion 1.2.0 != tag v1.2.1" in result.log
    assert "VERSION v1.2.0 != tag v1.2.1" in result.log
    assert result.outputs["release-notes"] == ""
    assert fake_github.requests_to("PATCH", r"/releases/") == []
    assert fake_github.requests_to("GET", r"/releases/tags/") == []


def test_a_missing_per_minor_file(project: GitProject, fake_github: FakeGitHub) -> None:
    work = project.work
    work.commit(hami_files("1.2.0"), "Release 1.2.0")
    settings = replace(HAMI_SETTINGS, version_files=())
    result = run_check(settings, tag_push("v2.10.0", fake_github), work, None)
    assert result.failure == "the changelog checks found 1 error"
    assert (
        "::error file=docs/CHANGELOG/CHANGELOG-2.10.md,title=CL001 file-missing::"
        "docs/CHANGELOG/CHANGELOG-2.10.md not found for tag v2.10.0"
    ) in result.log
    assert result.outputs["changelog-file"] == "docs/CHANGELOG/CHANGELOG-2.10.md"


def test_a_missing_version_file_is_annotated_on_its_path(
    project: GitProject, fake_github: FakeGitHub
) -> None:
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    settings = replace(
        HAMI_SETTINGS, version_files=(VersionFile("charts/app/Chart.yaml", "version"),)
    )
    result = run_check(settings, tag_push("v1.2.0", fake_github), project.work, None)
    assert result.failure == "the changelog checks found 1 error"
    assert (
        "::error file=charts/app/Chart.yaml,title=CL010 version-mismatch::"
        "charts/app/Chart.yaml not found (version-files)"
    ) in result.log


def test_the_first_existing_template_is_used(project: GitProject, fake_github: FakeGitHub) -> None:
    work = project.work
    work.commit({"CHANGELOG.md": "## v1.2.0 - 2024-01-31\n- a fix\n"}, "changelog")
    settings = Settings(paths=(PathTemplate(PER_MINOR), PathTemplate("CHANGELOG.md")))
    result = run_check(settings, tag_push("v1.2.0", fake_github), work, None)
    assert result.code == 0, result.log
    assert (result.outputs["changelog-file"], result.outputs["date"]) == (
        "CHANGELOG.md",
        "2024-01-31",
    )
    assert "tag v1.2.0 is not in the clone" in result.summary


def test_date_mismatch_with_the_tag_is_a_warning(
    project: GitProject, fake_github: FakeGitHub
) -> None:
    work = project.work
    work.commit({"CHANGELOG.md": "## v2.4.0 - 2024-09-29\n- a fix\n"}, "changelog")
    work.tag("v2.4.0", message="v2.4.0", date="2024-09-28T12:00:00+00:00")
    result = run_check(Settings(), tag_push("v2.4.0", fake_github), work, None)
    assert result.code == 0
    assert (
        "::warning file=CHANGELOG.md,line=1,title=CL005 date-mismatch-tag::"
        "v2.4.0 is dated 2024-09-29, but tag v2.4.0 was made on 2024-09-28"
    ) in result.log


def test_no_release_yet_is_a_warning(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    work.commit(hami_files("1.2.0"), "Release 1.2.0")
    settings = replace(HAMI_SETTINGS, update_release=True)
    result = run_check(settings, tag_push("v1.2.0", fake_github), work, github_client)
    assert result.code == 0
    assert "there is no GitHub release for tag v1.2.0" in result.log
    assert result.outputs["release-updated"] == "false"


def test_pull_request_without_a_changelog_then_with_the_skip_label(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    work.commit({"pkg/scheduler.go": "package scheduler // changed\n"}, "change")
    pull = fake_github.add_pull("feature", files=["pkg/scheduler.go"])
    workflow = pull_event(fake_github, pull.number, base)

    first = run_check(HAMI_SETTINGS, workflow, work, github_client)
    assert first.failure == "the changelog checks found 1 error"
    assert (
        "::error file=docs/CHANGELOG/CHANGELOG-1.2.md,title=CL008 not-touched::"
        "pull request #1 changes pkg/scheduler.go but not"
    ) in first.log
    assert first.outputs["skipped"] == "false"

    fake_github.set_labels(pull.number, ["Skip-Changelog"])
    second = run_check(HAMI_SETTINGS, workflow, work, github_client)
    assert second.code == 0, second.log
    assert second.outputs["skipped"] == "true"
    assert second.outputs["skip-reason"] == "label 'Skip-Changelog'"
    assert "| CL008 | The pull request updates the changelog | ⏭️ skipped |" in second.summary


def test_without_any_changelog_yet_cl008_names_the_template(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    base = project.work.commit({"pkg/scheduler.go": "package scheduler\n"}, "code")
    pull = fake_github.add_pull("feature", files=["pkg/scheduler.go"])
    result = run_check(
        HAMI_SETTINGS, pull_event(fake_github, pull.number, base), project.work, github_client
    )
    assert f"::error file={PER_MINOR},title=CL008 not-touched::" in result.log


def test_bots_and_docs_only_changes_are_exempt(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    bot = fake_github.add_pull("deps", files=["go.mod"], author="renovate[bot]")
    assert (
        run_check(
            HAMI_SETTINGS,
            pull_event(fake_github, bot.number, base, "renovate[bot]"),
            work,
            github_client,
        ).code
        == 0
    )
    docs = fake_github.add_pull("docs", files=["docs/guide.md"])
    settings = replace(HAMI_SETTINGS, require_for_paths=PathFilter(("pkg/**", "charts/**")))
    assert (
        run_check(settings, pull_event(fake_github, docs.number, base), work, github_client).code
        == 0
    )


def test_warning_enforcement_does_not_fail(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    pull = fake_github.add_pull("feature", files=["pkg/scheduler.go"])
    settings = replace(HAMI_SETTINGS, pr_enforcement="warning")
    result = run_check(settings, pull_event(fake_github, pull.number, base), work, github_client)
    assert result.code == 0
    assert "::warning file=docs/CHANGELOG/CHANGELOG-1.2.md,title=CL008 not-touched::" in result.log
    off = run_check(
        replace(HAMI_SETTINGS, pr_enforcement="off"),
        pull_event(fake_github, pull.number, base),
        work,
        github_client,
    )
    assert off.code == 0 and "CL008" not in off.log.replace("| CL008 |", "")


def test_new_lines_under_a_released_version_in_a_shallow_fork_checkout(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    """actions/checkout: one commit, no tags, the base commit missing until fetched."""
    work = project.work
    base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    work.tag("v1.2.0")
    work.push(tags=True)
    late = ENTRY_120.replace(
        "- Fix the scheduler when a node has no GPU (#12)\n",
        "- Fix the scheduler when a node has no GPU (#12)\n- Fix a late bug (#13)\n",
    )
    work.commit(
        {"docs/CHANGELOG/CHANGELOG-1.2.md": late, "pkg/scheduler.go": "package x\n"}, "late"
    )
    work.push()
    checkout = project.clone("checkout", depth=1)
    assert checkout.git("tag", "--list") == ""
    pull = fake_github.add_pull(
        "late", files=["docs/CHANGELOG/CHANGELOG-1.2.md", "pkg/scheduler.go"]
    )

    result = run_check(
        HAMI_SETTINGS, pull_event(fake_github, pull.number, base), checkout, github_client
    )

    assert result.failure == "the changelog checks found 1 error"
    assert (
        "::error file=docs/CHANGELOG/CHANGELOG-1.2.md,line=10,"
        "title=CL009 entry-in-released-section::"
        "line 10 added under v1.2.0 (line 1), which is already released"
    ) in result.log


def test_the_diff_starts_at_the_merge_commits_base_not_the_events_stale_base_sha(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    """On a ``labeled`` event or a re-run, ``pull_request.base.sha`` predates commits on main; the
    checkout is GitHub's merge commit (refs/pull/N/merge), whose first parent is main as merged."""
    work = project.work
    stale_base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    work.tag("v1.2.0")
    work.push(tags=True)
    work.checkout("patch", create=True)
    patch = "# v1.2.1\n## Downloads for v1.2.1\n\n#### Bug Fixes\n- Fix a late bug (#13)\n\n"
    head = work.commit({"docs/CHANGELOG/CHANGELOG-1.2.md": patch + ENTRY_120}, "patch notes")
    work.checkout("main")
    # Meanwhile a maintainer amended the released notes straight on main.
    amended = ENTRY_120.replace("(#12)\n", "(#12)\n- Fix the docs (#14)\n")
    work.commit({"docs/CHANGELOG/CHANGELOG-1.2.md": amended}, "amend 1.2.0 notes")
    work.push()
    work.git("checkout", "--quiet", "--detach")
    work.git("merge", "--quiet", "--no-ff", "--no-edit", "patch")
    work.push("HEAD:refs/heads/pull/1/merge")
    checkout = project.clone("merge-checkout", branch="pull/1/merge", depth=1)
    pull = fake_github.add_pull("patch", files=["docs/CHANGELOG/CHANGELOG-1.2.md"])
    workflow = pull_event(fake_github, pull.number, stale_base)
    workflow = replace(
        workflow,
        event={
            **workflow.event,
            "pull_request": {**workflow.event["pull_request"], "head": {"sha": head}},
        },
    )

    result = run_check(HAMI_SETTINGS, workflow, checkout, github_client)

    assert result.code == 0, result.log
    assert (
        "| CL009 | New lines go to Unreleased or the open version | ✅ passed |" in result.summary
    )
    # A merge that is not GitHub's (its second parent is not the pull request's head) is not
    # trusted: the event's base is used, which sees the amended line as new.
    other = replace(
        workflow,
        event={
            **workflow.event,
            "pull_request": {**workflow.event["pull_request"], "head": {"sha": stale_base}},
        },
    )
    fallback = run_check(HAMI_SETTINGS, other, checkout, github_client)
    assert fallback.failure == "the changelog checks found 1 error"
    assert "title=CL009 entry-in-released-section::line 16 added under v1.2.0" in fallback.log


def test_new_lines_in_a_new_section_pass(
    project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    work = project.work
    base = work.commit(hami_files("1.2.0"), "Release 1.2.0")
    work.tag("v1.2.0")
    patch = (
        "# v1.2.1\n## Downloads for v1.2.1\n\n#### Bug Fixes\n- Fix a late bug (#13)\n\n"
        + ENTRY_120
    )
    work.commit({"docs/CHANGELOG/CHANGELOG-1.2.md": patch}, "patch notes")
    pull = fake_github.add_pull("patch", files=["docs/CHANGELOG/CHANGELOG-1.2.md"])
    result = run_check(
        HAMI_SETTINGS, pull_event(fake_github, pull.number, base), work, github_client
    )
    assert result.code == 0, result.log
    assert (
        "| CL009 | New lines go to Unreleased or the open version | ✅ passed |" in result.summary
    )
    assert result.outputs["changelog-file"] == "docs/CHANGELOG/CHANGELOG-1.2.md"


def test_lint_mode_checks_every_matching_file(project: GitProject, fake_github: FakeGitHub) -> None:
    work = project.work
    work.commit(
        {
            "docs/CHANGELOG/CHANGELOG-1.1.md": "# v1.1.0\n- a\n# v1.1.1\n- b\n",
            "docs/CHANGELOG/CHANGELOG-1.2.md": ENTRY_120,
        },
        "changelogs",
    )
    workflow = Workflow(event_name="push", ref="refs/heads/main", repository="octo/charts")
    result = run_check(HAMI_SETTINGS, workflow, work, None)
    assert result.failure == "the changelog checks found 1 error"
    assert "file=docs/CHANGELOG/CHANGELOG-1.1.md,line=3,title=CL006 order" in result.log
    assert result.outputs["mode"] == "lint"
    relaxed = run_check(replace(HAMI_SETTINGS, lint="warning"), workflow, work, None)
    assert relaxed.code == 0
    assert "::warning file=docs/CHANGELOG/CHANGELOG-1.1.md,line=3" in relaxed.log
    nothing = run_check(Settings(paths=(PathTemplate("NEWS.md"),)), workflow, work, None)
    assert nothing.failure is not None
    assert "::error file=NEWS.md,title=CL001 file-missing::no changelog matches NEWS.md" in (
        nothing.log
    )


KAC_WITH_PRERELEASE = """# Changelog

## [Unreleased]
- Coming soon.

## [1.3.0-rc.1] - 2024-05-01
- A candidate.

## [1.2.0] - 2024-04-01 [YANKED]
- Broken.
"""


@pytest.mark.parametrize(
    ("requested", "version", "status", "notes"),
    [
        ("latest", "1.3.0-rc.1", "prereleased", "- A candidate."),
        ("unreleased", "unreleased", "unreleased", "- Coming soon."),
        ("1.2.0", "1.2.0", "yanked", "- Broken."),
    ],
)
def test_version_latest_and_unreleased_read_the_file_as_changelog_reader_does(
    project: GitProject, requested: str, version: str, status: str, notes: str
) -> None:
    project.work.commit({"CHANGELOG.md": KAC_WITH_PRERELEASE}, "Changelog")
    settings = Settings(version=requested, lint="off")

    result = run_check(settings, Workflow(event_name="workflow_dispatch"), project.work, None)

    assert result.code == 0, result.log
    assert (result.outputs["version"], result.outputs["status"]) == (version, status)
    assert result.outputs["release-notes"] == notes
    assert result.outputs["changelog-file"] == "CHANGELOG.md"
