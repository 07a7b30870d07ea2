"""Issue 9, high: changelog paths, templates, version files and the notes file stay in the repo.

A ``VERSION`` linked to ``/proc/self/environ`` put the token into an annotation and into the
``findings`` output. Now such a link is refused, and a version file's content is quoted only
when it looks like a version. Real git repositories, as a fork would push them.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from release_actions.changelog.flows.settings import Settings
from release_actions.changelog.reading.locate import PathTemplate
from release_actions.changelog.rules.version_files import VersionFile
from release_actions.cli import main
from release_actions.confine import RefusedPath
from support.fake_github import FakeGitHub
from support.git_repos import GitProject, Symlink

from .test_action import HAMI_SETTINGS, hami_files, run_check, tag_push

SECRET = "ghs_SECRET_token_in_the_environment"


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    return GitProject.create(tmp_path / "git")


@pytest.mark.parametrize("target", ["/proc/self/environ", "/etc/passwd", ".git/config"], ids=str)
def test_a_version_file_linking_out_is_refused_and_never_quoted(
    project: GitProject,
    fake_github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    monkeypatch.setenv("INPUT_TOKEN", SECRET)
    project.work.commit({**hami_files("1.2.0"), "VERSION": Symlink(target)}, "Release 1.2.0")

    with pytest.raises(RefusedPath) as refused:
        run_check(HAMI_SETTINGS, tag_push("v1.2.0", fake_github), project.work, None)

    assert "VERSION is a symbolic link to" in refused.value.message
    assert SECRET not in refused.value.message


def test_a_version_file_that_is_not_a_version_is_not_quoted_in_findings(
    project: GitProject, fake_github: FakeGitHub
) -> None:
    environment = f"PATH=/usr/bin\0INPUT_TOKEN={SECRET}\0HOME=/root\0"
    project.work.commit({**hami_files("1.2.0"), "VERSION": environment}, "Release 1.2.0")

    result = run_check(HAMI_SETTINGS, tag_push("v1.2.0", fake_github), project.work, None)

    assert result.failure == "the changelog checks found 1 error"
    assert "VERSION does not hold a version (its content is not shown) != tag v1.2.0" in result.log
    assert SECRET not in result.log
    assert SECRET not in result.summary
    assert SECRET not in json.dumps(result.outputs)


def test_a_changelog_linking_out_of_the_repository_is_refused(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    outside = tmp_path / "CHANGELOG.md"
    outside.write_text("## v1.2.0 - 2024-01-31\n- outside\n")
    project.work.commit({"CHANGELOG.md": Symlink(str(outside))}, "changelog link")
    settings = Settings(paths=(PathTemplate("CHANGELOG.md"),))

    with pytest.raises(RefusedPath, match=r"CHANGELOG\.md is a symbolic link to .*outside"):
        run_check(settings, tag_push("v1.2.0", fake_github), project.work, None)


def test_the_cli_refuses_a_template_or_changelog_linking_out(
    project: GitProject, tmp_path: Path
) -> None:
    outside = tmp_path / "template.md"
    outside.write_text("## {version}\n")
    project.work.commit(
        {"template.md": Symlink(str(outside)), "CHANGELOG.md": Symlink("/etc/passwd")}, "links"
    )
    for argv in (
        ["lint", "CHANGELOG.md"],
        ["new", "--version", "1.0.0", "--path", "NEW.md", "--template", "template.md"],
    ):
        stream = io.StringIO()
        code = main(["changelog", *argv], environ={}, stream=stream, cwd=project.work.path)
        log = stream.getvalue()
        assert code == 1, (argv, log)
        assert "is a symbolic link to" in log and "outside the repository" in log
        assert "Traceback" not in log
    assert not (project.work.path / "NEW.md").exists()


@pytest.mark.parametrize(
    ("notes_file", "allowed"),
    [("../outside.md", False), ("/etc/notes.md", False), ("out/notes.md", True)],
    ids=["parent", "absolute", "inside"],
)
def test_the_notes_file_must_be_in_the_workspace_or_runner_temp(
    project: GitProject, fake_github: FakeGitHub, notes_file: str, allowed: bool
) -> None:
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    settings = replace(HAMI_SETTINGS, release_notes_file=notes_file)
    workflow = tag_push("v1.2.0", fake_github)

    if allowed:
        result = run_check(settings, workflow, project.work, None)
        assert result.code == 0, result.log
        return
    with pytest.raises(RefusedPath, match="input 'release-notes-file'"):
        run_check(settings, workflow, project.work, None)
    assert not (project.work.path.parent / "outside.md").exists()


def test_the_notes_file_may_be_under_runner_temp(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    project.work.commit(hami_files("1.2.0"), "Release 1.2.0")
    settings = replace(HAMI_SETTINGS, release_notes_file=str(temp / "notes.md"))
    workflow = replace(tag_push("v1.2.0", fake_github), runner_temp=str(temp))

    result = run_check(settings, workflow, project.work, None)

    assert result.code == 0, result.log
    assert (temp / "notes.md").read_text().startswith("## Downloads for v1.2.0")


def test_version_files_inside_the_repository_still_work_through_links(
    project: GitProject, fake_github: FakeGitHub
) -> None:
    files = {
        **hami_files("1.2.0"),
        "build/VERSION": "v1.2.0\n",
        "VERSION": Symlink("build/VERSION"),
    }
    project.work.commit(files, "Release 1.2.0")
    settings = replace(HAMI_SETTINGS, version_files=(VersionFile("VERSION"),))

    result = run_check(settings, tag_push("v1.2.0", fake_github), project.work, None)

    assert result.code == 0, result.log
