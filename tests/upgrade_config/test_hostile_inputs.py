"""Issue 9: hostile upgrade-config inputs, with real git and the fake GitHub.

``pr-branch: main`` once force-pushed over main, which then held only the config file. The pull
request branch must not be the config branch or the default branch, and an existing one must hold
only our commits on top of the config branch. ``config-file`` stays inside the config branch's
checkout, and a link there is never read or written through.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from release_actions.cli import main
from release_actions.confine import RefusedPath
from release_actions.context import Context
from release_actions.errors import GitHubError, InputError
from release_actions.runner import Runner
from release_actions.upgrade_config.action import sync_release
from support.fake_github import FakeGitHub
from support.fixtures_github import github_for
from support.git_repos import GitProject, Symlink

from .helpers import NOW, all_ready, dump, example_segments
from .test_action import BRANCH, CONFIG, config


@pytest.fixture
def project(git_project: GitProject) -> GitProject:
    git_project.work.commit(
        {"config/app-upgrade-segments.json": dump(example_segments())}, "Add segments"
    )
    git_project.work.push()
    git_project.seed_branch(BRANCH, {CONFIG: dump({"versions": {}})}, "Start the config")
    return git_project


def sync(
    project: GitProject,
    fake: FakeGitHub,
    tmp_path: Path,
    pr_branch: str = "chore/config/{safe_tag}",
    **inputs: str,
) -> int:
    fake.add_release("v2.1.0", make_latest=True)
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"action": "released", "release": {"tag_name": "v2.1.0", "prerelease": False}})
    )
    environ = {"GITHUB_EVENT_NAME": "release", "GITHUB_EVENT_PATH": str(event)}
    context = Context(Runner(environ, io.StringIO()), environ, project.work.path)
    with github_for(fake) as github:
        return sync_release(
            config(**{"pr-branch": pr_branch}, **inputs),
            context,
            github=lambda: github,
            git=project.work.client(token=fake.token),
            prober=all_ready,
            clock=lambda: NOW,
        )


@pytest.mark.parametrize("pr_branch", ["main", BRANCH], ids=["default-branch", "config-branch"])
def test_the_base_or_default_branch_is_refused_and_left_alone(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path, pr_branch: str
) -> None:
    before = {branch: project.origin_sha(branch) for branch in ("main", BRANCH)}

    with pytest.raises(InputError, match=f"input 'pr-branch': '{pr_branch}' is the"):
        sync(project, fake_github, tmp_path, pr_branch)

    assert {branch: project.origin_sha(branch) for branch in ("main", BRANCH)} == before
    assert fake_github.requests_to("POST", r"/pulls$") == []


def test_a_branch_with_commits_by_others_is_refused(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    project.seed_branch("release", {"NOTES.md": "a human's work\n"}, "Work in progress")
    before = project.origin_sha("release")

    with pytest.raises(InputError, match=r"not this action's .*refusing to force-push"):
        sync(project, fake_github, tmp_path, "release")

    assert project.origin_sha("release") == before


def test_our_own_branch_is_rebuilt_on_a_re_run(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    assert sync(project, fake_github, tmp_path, "chore/config/{safe_tag}") == 0
    first = project.origin_sha("chore/config/v2.1.0")
    assert first is not None

    assert sync(project, fake_github, tmp_path, "chore/config/{safe_tag}") == 0
    assert project.origin_sha("chore/config/v2.1.0") == first


@pytest.mark.parametrize("config_file", ["../../outside.json", "/tmp/outside.json"])
def test_a_config_file_outside_the_checkout_is_refused(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path, config_file: str
) -> None:
    with pytest.raises(RefusedPath, match=r"input 'config-file'.* outside"):
        sync(project, fake_github, tmp_path, **{"config-file": config_file, "publish": "push"})
    assert not Path("/tmp/outside.json").exists()


def test_a_config_file_linked_out_on_the_config_branch_is_refused(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(dump({"versions": {}}))
    project.seed_branch(BRANCH, {CONFIG: Symlink(str(outside))}, "A link")
    before = project.origin_sha(BRANCH)

    with pytest.raises(RefusedPath, match=f"{CONFIG} is a symbolic link to"):
        sync(project, fake_github, tmp_path, publish="push")

    assert outside.read_text() == dump({"versions": {}})
    assert project.origin_sha(BRANCH) == before


# -- JSON that Python's json takes and JSON does not, or that is too deep or too long ------------


@pytest.mark.parametrize(
    ("content", "message", "position"),
    [
        ('{"versions": {"a": NaN}}', "not valid JSON: NaN is not a JSON value", "1:20"),
        ('{\n  "x": [1, -Infinity]\n}', "not valid JSON: -Infinity is not a JSON value", "2:12"),
        (
            '{"n": ' + "9" * 5000 + "}",
            "not valid JSON: a 5000-digit number is more than the 4300",
            "1:7",
        ),
        ('{"a":' * 500 + "1" + "}" * 500, "refused: nested more than 200 levels deep", "1:1001"),
        ("[" * 100_000 + "]" * 100_000, "refused: nested more than 200 levels deep", "1:201"),
    ],
    ids=["nan", "infinity", "5000-digits", "500-deep", "100000-deep"],
)
@pytest.mark.parametrize("option", ["--config", "--segments"])
def test_bad_json_is_one_error_on_its_line(
    tmp_path: Path, content: str, message: str, position: str, option: str
) -> None:
    (tmp_path / "file.json").write_text(content)
    stream = io.StringIO()

    code = main(
        ["upgrade-config", "validate", option, "file.json"], environ={}, stream=stream, cwd=tmp_path
    )

    assert code == 1
    assert f"file.json:{position}: {message}" in stream.getvalue()
    assert "Traceback" not in stream.getvalue()


@pytest.mark.parametrize("tag", ["v٢.١.٧", "v２.１.７", "v1.0." + "9" * 5000])
def test_a_tag_with_non_ascii_or_endless_digits_is_not_a_release(tag: str, tmp_path: Path) -> None:
    stream = io.StringIO()
    code = main(
        ["upgrade-config", "sync", "--tag", tag, "--config", "c.json", "--dry-run"],
        environ={},
        stream=stream,
        cwd=tmp_path,
    )
    assert code in (1, 2)
    assert "Traceback" not in stream.getvalue() and "nexpected" not in stream.getvalue()


def test_a_pull_request_whose_labelling_failed_is_labelled_by_the_re_run(
    project: GitProject, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake_github.inject("POST", r"/issues/\d+/labels$", 403, body={"message": "Forbidden"})
    with pytest.raises(GitHubError, match="labelling #1"):
        sync(project, fake_github, tmp_path)
    assert fake_github.pull(1).labels == []

    assert sync(project, fake_github, tmp_path) == 0

    assert fake_github.pull(1).labels == ["automation", "app-upgrade"]
    assert len(fake_github.pulls) == 1


def test_a_segments_file_linking_out_of_the_repository_is_refused(
    git_project: GitProject, tmp_path: Path
) -> None:
    outside = tmp_path / "segments.json"
    outside.write_text(dump(example_segments()))
    git_project.work.commit({"segments.json": Symlink(str(outside))}, "linked segments")
    stream = io.StringIO()

    code = main(
        ["upgrade-config", "validate", "--segments", "segments.json"],
        environ={},
        stream=stream,
        cwd=git_project.work.path,
    )

    assert code == 1
    assert "segments.json is a symbolic link to" in stream.getvalue()
    assert "outside the repository" in stream.getvalue()
