"""The release flow on a real bare origin and the fake GitHub, through PyGithub as in production.

The reliability cases of the chart-release issue live here: two releases racing on the pages
branch, a failure between the release and the index push then a re-run, a re-run with nothing
new, a 502 on release creation, and a malformed Chart.yaml that must publish nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.release.config import ReleaseConfig
from release_actions.chart.release_command import release
from release_actions.chart.repo.index import published_versions
from release_actions.cli import main
from release_actions.context import Context
from release_actions.errors import ChecksFailed, ReleaseActionsError
from release_actions.git import Git, PushResult
from release_actions.runner import Runner
from release_actions.versions import TagTemplate
from support.fake_github import FakeGitHub
from support.fixtures_github import github_for
from support.git_repos import GitProject, WorkingCopy


def chart_files(directory: str, name: str, version: str, **extra: str) -> dict[str, str]:
    fields = "".join(f"{key}: {value}\n" for key, value in extra.items())
    return {
        f"{directory}/Chart.yaml": (
            f'apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: "{version}"\n'
            f"description: The {name} chart\ntype: application\n{fields}"
        ),
        f"{directory}/values.yaml": "replicaCount: 1\n",
        f"{directory}/templates/configmap.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
        ),
    }


@dataclass
class Run:
    exit_code: int
    outputs: dict[str, str]
    log: str
    error: ReleaseActionsError | None = None

    @property
    def released(self) -> list[dict[str, str]]:
        released: list[dict[str, str]] = json.loads(self.outputs["released"])
        return released


@dataclass
class Bench:
    project: GitProject
    fake: FakeGitHub

    def config(self, **changes: Any) -> ReleaseConfig:
        base = ReleaseConfig(
            repository=self.fake.repository,
            server_url=self.fake.server_url,
            api_url=self.fake.api_url,
            token=self.fake.token,
        )
        return replace(base, **changes)

    def release(
        self,
        clone: WorkingCopy | None = None,
        *,
        git: Git | None = None,
        environ: dict[str, str] | None = None,
        **changes: Any,
    ) -> Run:
        """What the action does on a push: the checks, then the release, in ``clone``."""
        clone = clone or self.project.work
        stream = io.StringIO()
        runner = Runner({}, stream)
        context = Context(runner=runner, environ=environ or {}, cwd=clone.path)
        try:
            code = release(
                self.config(**changes),
                context,
                connect_github=lambda config: github_for(self.fake),
                git=git or clone.client(token=self.fake.token),
            )
        except ReleaseActionsError as error:
            return Run(1, dict(runner.outputs), stream.getvalue(), error)
        return Run(code, dict(runner.outputs), stream.getvalue())

    def index(self, path: str = "index.yaml") -> dict[str, set[str]]:
        content = self.project.origin_file("gh-pages", path)
        return published_versions(content.decode()) if content else {}

    def release_creations(self) -> list[int]:
        return [r.status for r in self.fake.requests_to("POST", r"/repos/[^/]+/[^/]+/releases$")]


@pytest.fixture
def bench(git_project: GitProject, fake_github: FakeGitHub) -> Iterator[Bench]:
    yield Bench(git_project, fake_github)


def commit_charts(clone: WorkingCopy, *charts: dict[str, str], message: str = "charts") -> None:
    files: dict[str, str] = {}
    for chart in charts:
        files.update(chart)
    clone.commit(files, message)
    clone.push()


# -- the happy path and its outputs ------------------------------------------------------------


def test_a_release_creates_the_release_uploads_the_package_and_indexes_it(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    run = bench.release()
    assert run.exit_code == 0, run.log
    (released,) = run.released
    tag = "hami-2.10.0"
    fake_release = bench.fake.release(tag)
    assert fake_release is not None
    (asset,) = fake_release.assets
    assert asset.name == "hami-2.10.0.tgz"
    assert released == {
        "name": "hami",
        "version": "2.10.0",
        "tag": tag,
        "release_url": f"{bench.fake.server_url}/octo/charts/releases/tag/{tag}",
        "asset_url": f"{bench.fake.server_url}/octo/charts/releases/download/{tag}/{asset.name}",
        "digest": hashlib.sha256(asset.data).hexdigest(),
    }
    assert run.outputs["changed-charts"] == "charts/hami"
    assert run.outputs["chart-version"] == "2.10.0"
    assert run.outputs["index-updated"] == "true"
    assert fake_release.make_latest is False  # chart releases never take "Latest"
    assert fake_release.prerelease is False
    assert fake_release.body == "The hami chart"
    index = bench.project.origin_file("gh-pages", "index.yaml")
    assert index is not None
    assert f"- {released['asset_url']}\n" in index.decode()
    assert f"digest: {released['digest']}\n" in index.decode()
    assert bench.project.origin_log("gh-pages") == ["Release hami 2.10.0"]


def test_chart_version_is_the_version_just_released_not_the_previous_tag(bench: Bench) -> None:
    """chart-releaser-action#227 printed the baseline tag."""
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.9.0"))
    assert bench.release().outputs["chart-version"] == "2.9.0"
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    run = bench.release()
    assert run.outputs["chart-version"] == "2.10.0"
    assert bench.index() == {"hami": {"2.9.0", "2.10.0"}}


def test_a_prerelease_version_makes_a_prerelease(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0-rc.1"))
    run = bench.release(mark_latest=True)
    assert run.exit_code == 0, run.log
    fake_release = bench.fake.release("web-1.0.0-rc.1")
    assert fake_release is not None and fake_release.prerelease is True
    assert bench.index() == {"web": {"1.0.0-rc.1"}}


def test_packages_with_index_host_the_package_and_use_a_relative_url(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "0.2.0"))
    run = bench.release(packages_with_index=True, pages_html=True)
    assert run.exit_code == 0, run.log
    index = bench.project.origin_file("gh-pages", "index.yaml")
    assert index is not None and "  - web-0.2.0.tgz\n" in index.decode()
    package = bench.project.origin_file("gh-pages", "web-0.2.0.tgz")
    assert package is not None
    assert hashlib.sha256(package).hexdigest() == run.released[0]["digest"]
    html = bench.project.origin_file("gh-pages", "index.html")
    assert html is not None and b"helm repo add octo " in html


# -- idempotence ---------------------------------------------------------------------------------


def test_a_second_run_with_nothing_new_makes_no_release_commit_or_pull(bench: Bench) -> None:
    commit_charts(
        bench.project.work,
        chart_files("charts/services/web", "web", "0.2.0"),
        chart_files("charts/services/analysis", "analysis", "0.1.0"),
    )
    assert bench.release().exit_code == 0
    pages = bench.project.origin_sha("refs/heads/gh-pages")
    requests_before = len(bench.fake.requests)

    run = bench.release()
    assert run.exit_code == 0, run.log
    assert run.outputs == {
        "changed-charts": "",
        "released": "[]",
        "chart-version": "",
        "index-updated": "false",
        "pull-request-number": "",
        "pull-request-url": "",
        "pull-request-operation": "none",
        "pull-request-head-sha": "",
        "pull-request-branch": "",
        "pushed": "[]",
    }
    assert bench.project.origin_sha("refs/heads/gh-pages") == pages
    assert len(bench.fake.releases) == 2
    assert bench.fake.pulls == []
    writes = [r for r in bench.fake.requests[requests_before:] if r.method != "GET"]
    assert writes == []
    assert "already published" in run.log


def test_a_rerun_after_a_failed_index_push_completes_the_index_without_a_duplicate_release(
    bench: Bench,
) -> None:
    """chart-releaser-action#92: the release was made, the index push failed, and a re-run
    found "no changes". Here the plan is what the index lacks, so the re-run finishes."""
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    hook = bench.project.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is protected' >&2\nexit 1\n")
    hook.chmod(0o755)

    failed = bench.release()
    assert failed.exit_code == 1
    assert isinstance(failed.error, ChecksFailed)
    assert "the index was not updated" in failed.log
    assert "**the index was not updated: " in failed.log  # in the step summary too
    assert failed.outputs["index-updated"] == "false"
    assert [r["tag"] for r in failed.released] == ["hami-2.10.0"]
    assert bench.project.origin_sha("refs/heads/gh-pages") is None

    hook.unlink()
    rerun = bench.release()
    assert rerun.exit_code == 0, rerun.log
    assert rerun.outputs["index-updated"] == "true"
    assert bench.index() == {"hami": {"2.10.0"}}
    assert [r.tag_name for r in bench.fake.releases] == ["hami-2.10.0"]
    assert bench.release_creations() == [201]  # the re-run reused the release
    assert rerun.released[0]["digest"] == failed.released[0]["digest"]
    assert "release existed; index completed" in rerun.log


def test_a_release_left_without_its_asset_gets_it_on_the_rerun(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    bench.fake.add_release("hami-2.10.0", make_latest=False)  # the upload failed last time
    run = bench.release()
    assert run.exit_code == 0, run.log
    fake_release = bench.fake.release("hami-2.10.0")
    assert fake_release is not None and [a.name for a in fake_release.assets] == ["hami-2.10.0.tgz"]
    assert bench.index() == {"hami": {"2.10.0"}}


def test_an_application_release_sharing_the_tag_gets_the_chart_attached(bench: Bench) -> None:
    """HAMi's layout: tag-template v{version} attaches the chart to the app's own release."""
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    bench.fake.add_release("v2.10.0", body="HAMi v2.10.0", assets={"hami-linux.tar.gz": b"bin"})
    run = bench.release(tag_template=TagTemplate("v{version}"))
    assert run.exit_code == 0, run.log
    fake_release = bench.fake.release("v2.10.0")
    assert fake_release is not None
    assert [a.name for a in fake_release.assets] == ["hami-linux.tar.gz", "hami-2.10.0.tgz"]
    assert fake_release.body == "HAMi v2.10.0"  # the app's notes are left alone
    assert len(bench.fake.releases) == 1


def test_a_published_package_with_other_bytes_is_refused(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.8.1"))
    bench.fake.add_release("hami-2.8.1", assets={"hami-2.8.1.tgz": b"what was published"})
    run = bench.release()
    assert run.exit_code == 1
    published = hashlib.sha256(b"what was published").hexdigest()
    assert "published hami 2.8.1" in run.log
    assert f"has sha256 {published}, this build has " in run.log
    assert bench.project.origin_sha("refs/heads/gh-pages") is None  # nothing indexed
    assert run.outputs["released"] == "[]"


# -- faults ----------------------------------------------------------------------------------------


def test_a_502_on_release_creation_is_retried(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    bench.fake.inject("POST", r"/repos/[^/]+/[^/]+/releases$", 502)
    run = bench.release()
    assert run.exit_code == 0, run.log
    assert bench.release_creations() == [502, 201]
    assert [r.tag_name for r in bench.fake.releases] == ["hami-2.10.0"]
    assert bench.index() == {"hami": {"2.10.0"}}


def test_a_502_after_github_created_the_release_still_gives_one_release(bench: Bench) -> None:
    """The answer is lost, not the request: the retried create meets 'already_exists'."""
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    bench.fake.inject("POST", r"/repos/[^/]+/[^/]+/releases$", 502, after_handling=True)
    run = bench.release()
    assert run.exit_code == 0, run.log
    assert [r.tag_name for r in bench.fake.releases] == ["hami-2.10.0"]
    assert bench.index() == {"hami": {"2.10.0"}}


@pytest.mark.parametrize(
    ("chart_yaml", "line", "message"),
    [
        ("apiVersion: v2\nname: hami\n\tversion: 1.0.0\n", 3, "tab"),
        ("apiVersion: v2\nname: hami\nversion: 1.0.0\nname: other\n", 4, "name"),
        ("apiVersion: v2\nname: hami\nversion: 1.10\n", 3, "1.1"),
        (b"apiVersion: v2\nname: hami\nversion: 1.0.0\ndescription: caf\xe9\n", 4, "UTF-8"),
    ],
    ids=["tab", "duplicate-key", "unquoted-float", "invalid-utf8"],
)
def test_a_malformed_chart_yaml_is_annotated_and_nothing_is_published(
    bench: Bench, chart_yaml: str | bytes, line: int, message: str
) -> None:
    work = bench.project.work
    work.commit({"charts/hami/Chart.yaml": chart_yaml, "charts/hami/values.yaml": "a: 1\n"})
    work.push()
    environ = {
        "GITHUB_REPOSITORY": bench.fake.repository,
        "GITHUB_API_URL": bench.fake.api_url,
        "GITHUB_SERVER_URL": bench.fake.server_url,
        "GITHUB_TOKEN": bench.fake.token,
    }
    stream = io.StringIO()
    code = main(["chart", "release"], environ=environ, stream=stream, cwd=work.path)
    assert code == 1, stream.getvalue()
    assert re.search(rf"error: charts/hami/Chart\.yaml:{line}(:\d+)?: ", stream.getvalue())
    assert message in stream.getvalue()
    assert bench.fake.releases == []
    assert bench.project.origin_sha("refs/heads/gh-pages") is None


# -- the race --------------------------------------------------------------------------------------


class OvertakenGit(Git):
    """A checkout whose pages-branch push is overtaken: ``other_run`` runs a whole release
    after this run checked out the pages branch and before it commits and pushes."""

    def __init__(self, path: Path, token: str, other_run: Callable[[], None], applies: list[int]):
        super().__init__(path, token=token, sleep=lambda seconds: None, jitter=lambda: 0.5)
        self._other_run = other_run
        self.applies = applies  # shared with the worktrees this checkout opens

    def _sibling(self, path: Path) -> Git:
        return OvertakenGit(path, self._token or "", self._other_run, self.applies)

    def push_with_retry(
        self, branch: str, apply_change: Callable[[Git], bool], message: str, **options: Any
    ) -> PushResult:
        def overtaken(worktree: Git) -> bool:
            self.applies.append(1)
            if len(self.applies) == 1:
                self._other_run()
            return apply_change(worktree)

        return super().push_with_retry(branch, overtaken, message, **options)


@pytest.mark.parametrize("method", ["git", "api"])
def test_two_releases_racing_on_the_pages_branch_from_two_clones_both_land(
    bench: Bench, method: str
) -> None:
    bench.fake.attach_origin(bench.project.origin)
    work = bench.project.work
    commit_charts(
        work,
        chart_files("charts/services/web", "web", "0.1.0"),
        chart_files("charts/services/analysis", "analysis", "0.1.0"),
    )
    assert bench.release().exit_code == 0
    # A backport on a release branch, and a feature on main, released at the same moment.
    backport = bench.project.clone("backport")
    backport.checkout("release-0.1", create=True)
    commit_charts(backport, chart_files("charts/services/analysis", "analysis", "0.1.1"))
    commit_charts(work, chart_files("charts/services/web", "web", "0.2.0"))

    outcome: dict[str, Run] = {}

    def backport_release() -> None:
        outcome["backport"] = bench.release(backport, commit_method=method)

    applies: list[int] = []
    racing = OvertakenGit(work.path, bench.fake.token, backport_release, applies)
    main_run = bench.release(work, git=racing, commit_method=method)

    assert outcome["backport"].exit_code == 0, outcome["backport"].log
    assert main_run.exit_code == 0, main_run.log
    assert len(applies) == 2  # rejected once, then re-applied on the index the backport pushed
    assert main_run.outputs["index-updated"] == "true"
    assert bench.index() == {"web": {"0.1.0", "0.2.0"}, "analysis": {"0.1.0", "0.1.1"}}
    assert bench.project.origin_log("gh-pages")[:2] == [
        "Release web 0.2.0",
        "Release analysis 0.1.1",
    ]
    assert sorted(r.tag_name for r in bench.fake.releases) == [
        "analysis-0.1.0",
        "analysis-0.1.1",
        "web-0.1.0",
        "web-0.2.0",
    ]
    tip = bench.project.origin_sha("gh-pages") or ""
    assert bench.fake.commit_verified(tip) == (method == "api")


# -- the pull-request mode ---------------------------------------------------------------------


def test_index_publish_pull_request_opens_one_pull_and_reruns_leave_it(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    bench.project.seed_branch("gh-pages", {"README.md": "protected\n"})
    first = bench.release(index_publish="pull-request")
    assert first.exit_code == 0, first.log
    (pull,) = bench.fake.pulls
    assert (pull.head, pull.base) == ("release-actions/index-gh-pages", "gh-pages")
    assert bench.index() == {}  # the pages branch itself is untouched until the merge
    assert first.outputs["index-updated"] == "true"

    again = bench.release(index_publish="pull-request")
    assert again.exit_code == 0, again.log
    assert len(bench.fake.pulls) == 1
    assert bench.release_creations() == [201]


# -- release notes from a changelog --------------------------------------------------------------

CHANGELOG = """# Changelog

## [2.10.0] - 2025-03-01

### Added

- NUMA-aware binpacking ([#812][]).

## [2.9.0] - 2025-01-10

- Older things.

[#812]: https://github.com/Project-HAMi/HAMi/pull/812
"""


def test_release_notes_from_the_chart_changelog(bench: Bench) -> None:
    files = chart_files("charts/hami", "hami", "2.10.0")
    files["charts/hami/CHANGELOG.md"] = CHANGELOG
    commit_charts(bench.project.work, files)
    run = bench.release(release_notes="changelog")
    assert run.exit_code == 0, run.log
    fake_release = bench.fake.release("hami-2.10.0")
    assert fake_release is not None and fake_release.body is not None
    assert "- NUMA-aware binpacking ([#812][])." in fake_release.body
    assert "[#812]: https://github.com/Project-HAMi/HAMi/pull/812" in fake_release.body
    assert "Older things" not in fake_release.body
    assert (
        f"{bench.fake.server_url}/octo/charts/blob/hami-2.10.0/charts/hami/CHANGELOG.md"
        in fake_release.body
    )


def test_generated_release_notes_are_asked_of_github(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    run = bench.release(release_notes="generate")
    assert run.exit_code == 0, run.log
    fake_release = bench.fake.release("hami-2.10.0")
    assert fake_release is not None and fake_release.body is not None
    assert fake_release.body.startswith("## What's Changed")


def test_a_missing_changelog_entry_stops_the_release_before_anything_is_made(
    bench: Bench,
) -> None:
    files = chart_files("charts/hami", "hami", "2.11.0")
    files["CHANGELOG.md"] = CHANGELOG  # at the root this time, but without 2.11.0
    commit_charts(bench.project.work, files)
    run = bench.release(release_notes="changelog")
    assert run.exit_code == 1
    assert run.error is not None
    assert run.error.message == "CHANGELOG.md has no entry for hami 2.11.0"
    assert bench.fake.releases == []
    assert bench.project.origin_sha("refs/heads/gh-pages") is None


# -- the command line ------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def test_a_dry_run_on_a_plain_directory_prints_the_plan_and_the_index_diff(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "hami-like", tmp_path / "hami-like")
    before = tree(tmp_path)
    stream = io.StringIO()
    code = main(
        [
            "chart",
            "release",
            "--dry-run",
            "--app-version-policy=equal",
            "--values-check=global.imageTag = v{version}",
            "--repository=Project-HAMi/HAMi",
        ],
        environ={},
        stream=stream,
        cwd=tmp_path / "hami-like",
    )
    output = stream.getvalue()
    assert code == 0, output
    assert "| `hami` (charts/hami) | 2.10.0 | would be released (dry run) |" in output
    assert "+  hami:\n" in output and "+    version: 2.10.0\n" in output
    assert (
        "+    - https://github.com/Project-HAMi/HAMi/releases/download/hami-2.10.0/hami-2.10.0.tgz"
        in output
    )
    assert "released: []" not in output  # a terminal gets no output dump unless asked
    assert tree(tmp_path) == before  # touched nothing


def test_a_dry_run_against_an_index_that_lists_the_version_plans_nothing(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "hami-like", tmp_path / "hami-like")
    index = tmp_path / "index.yaml"
    index.write_text(
        "apiVersion: v1\nentries:\n  hami:\n  - apiVersion: v2\n    digest: abc\n"
        "    name: hami\n    urls:\n    - hami-2.10.0.tgz\n    version: 2.10.0\n"
        'generated: "2025-01-01T00:00:00Z"\n'
    )
    stream = io.StringIO()
    code = main(
        ["chart", "release", "--dry-run", f"--index={index}", "--outputs"],
        environ={},
        stream=stream,
        cwd=tmp_path / "hami-like",
    )
    assert code == 0, stream.getvalue()
    assert "| already published |" in stream.getvalue()
    assert "already lists every chart version" in stream.getvalue()
    assert "changed-charts: \n" in stream.getvalue()


def test_a_real_release_needs_a_token(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    stream = io.StringIO()
    environ = {"GITHUB_REPOSITORY": bench.fake.repository, "GITHUB_API_URL": bench.fake.api_url}
    code = main(["chart", "release"], environ=environ, stream=stream, cwd=bench.project.work.path)
    assert code == 2
    assert "needs a GitHub token" in stream.getvalue()
    assert bench.fake.requests == []


def test_a_shallow_checkout_is_deepened_so_the_package_is_dated_by_the_chart_commit(
    bench: Bench,
) -> None:
    work = bench.project.work
    work.commit(
        chart_files("charts/hami", "hami", "2.10.0"), "Add hami", date="2025-01-02T03:04:05Z"
    )
    work.commit({"README.md": "Later work\n"}, "Docs", date="2025-06-01T00:00:00Z")
    work.push()
    shallow = bench.project.clone("shallow", depth=1)
    run = bench.release(shallow)
    assert run.exit_code == 0, run.log
    assert shallow.git("rev-parse", "--is-shallow-repository").strip() == "false"
    fake_release = bench.fake.release("hami-2.10.0")
    assert fake_release is not None
    with tarfile.open(fileobj=io.BytesIO(fake_release.assets[0].data)) as archive:
        mtimes = {member.mtime for member in archive.getmembers()}
    assert mtimes == {int(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp())}


# -- a tag run releases the chart its tag names ----------------------------------------------------


def test_a_tag_run_releases_only_the_chart_its_tag_names(bench: Bench) -> None:
    commit_charts(
        bench.project.work,
        chart_files("charts/services/api", "api", "1.0.0"),
        chart_files("charts/services/web", "web", "0.2.0"),
    )
    bench.project.work.tag("web-v0.2.0")
    bench.project.work.push(tags=True)
    tag_run = {"GITHUB_REF": "refs/tags/web-v0.2.0", "GITHUB_EVENT_NAME": "push"}
    run = bench.release(environ=tag_run, tag_template=TagTemplate("{name}-v{version}"))
    assert run.exit_code == 0, run.log
    assert [(r["name"], r["version"], r["tag"]) for r in run.released] == [
        ("web", "0.2.0", "web-v0.2.0")
    ]
    # api sorts first and is unpublished too, but the tag is web's.
    assert run.outputs["chart-version"] == "0.2.0"
    assert run.outputs["changed-charts"] == "charts/services/web"
    assert bench.index() == {"web": {"0.2.0"}}
    assert [r.tag_name for r in bench.fake.releases] == ["web-v0.2.0"]
    assert "not named by this run's tag" in run.log
    # A push to a branch still releases every chart the index lacks.
    push = bench.release(
        environ={"GITHUB_REF": "refs/heads/main"}, tag_template=TagTemplate("{name}-v{version}")
    )
    assert [r["name"] for r in push.released] == ["api"]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("web-v0.2.1", "tag 'web-v0.2.1' is for version 0.2.1, but chart web has version 0.2.0"),
        ("ghost-v1.0.0", "tag 'ghost-v1.0.0' is for chart 'ghost', which is not among the charts"),
    ],
)
def test_a_tag_run_for_another_version_or_an_unknown_chart_releases_nothing(
    bench: Bench, tag: str, message: str
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "0.2.0"))
    run = bench.release(
        environ={"GITHUB_REF": f"refs/tags/{tag}"}, tag_template=TagTemplate("{name}-v{version}")
    )
    assert run.exit_code == 1
    assert message in run.log
    assert bench.fake.releases == []
    assert bench.project.origin_sha("refs/heads/gh-pages") is None


# -- a dry run touches nothing, not even through helm --------------------------------------------

WITH_DEPENDENCY = (
    "apiVersion: v2\nname: app\nversion: 1.0.0\ndescription: An app\n"
    "dependencies:\n  - name: common\n    version: 2.1.0\n"
    "    repository: https://charts.example.com\n"
)


@pytest.fixture
def stub_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``helm`` on PATH that records each call and writes into the chart, as the real one
    does; returns its log file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "helm-calls.log"
    helm = bin_dir / "helm"
    helm.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        'mkdir -p "$3/charts" && echo built > "$3/charts/written-by-helm"\n'
    )
    helm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_a_dry_run_never_runs_helm_and_names_the_dependencies_it_would_build(
    tmp_path: Path, stub_helm: Path
) -> None:
    shutil.copytree(EXAMPLES / "hami-like", tmp_path / "repo")
    root = tmp_path / "repo"
    (root / "charts" / "app").mkdir()
    (root / "charts" / "app" / "Chart.yaml").write_text(WITH_DEPENDENCY)
    before = tree(root)
    stream = io.StringIO()
    code = main(
        ["chart", "release", "--dry-run", "--repository=octo/charts"],
        environ={},
        stream=stream,
        cwd=root,
    )
    output = stream.getvalue()
    assert code == 0, output
    assert not stub_helm.exists()  # helm never ran
    assert tree(root) == before  # and nothing was written into the chart
    assert "a release would first run `helm dependency build` for common 2.1.0" in output
    assert "charts/app/Chart.yaml:6" in output  # the notice points at the dependency
    assert "would be released (dry run): dependencies to build: common 2.1.0" in output
    # The other chart's entry is in the diff; app's digest is not known yet.
    assert "+  hami:\n" in output and "+  app:\n" not in output
    assert "would gain 1 entry" in output


def test_without_helm_a_dry_run_fails_as_the_release_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    root = tmp_path / "repo"
    (root / "charts" / "app").mkdir(parents=True)
    (root / "charts" / "app" / "Chart.yaml").write_text(WITH_DEPENDENCY)
    before = tree(root)
    stream = io.StringIO()
    code = main(["chart", "release", "--dry-run"], environ={}, stream=stream, cwd=root)
    assert code == 1
    assert "missing dependencies in charts/: common 2.1.0" in stream.getvalue()
    assert tree(root) == before


# -- an index not in Helm's layout is rewritten, and the run says so -----------------------------


def test_a_release_into_an_index_helm_did_not_write_warns_that_it_was_rewritten(
    bench: Bench,
) -> None:
    bench.project.seed_branch(
        "gh-pages",
        {
            "index.yaml": "# maintained by hand\napiVersion: v1\nentries: {}\n"
            'generated: "2025-01-01T00:00:00Z"\n'
        },
    )
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))
    run = bench.release()
    assert run.exit_code == 0, run.log
    assert bench.index() == {"hami": {"2.10.0"}}
    assert (
        "warning: index.yaml on gh-pages is not in the layout Helm writes (line 1 is a comment,"
        " a document marker or a top-level key that Helm does not write), so it was rewritten"
        " whole in Helm's layout"
    ) in run.log
    # The rewritten index is Helm's layout: the next release splices, silently.
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.11.0"))
    again = bench.release()
    assert again.exit_code == 0, again.log
    assert "not in the layout Helm writes" not in again.log


@pytest.mark.parametrize(
    ("index", "line", "message"),
    [
        pytest.param(
            "apiVersion: v1\nentries:\n  nginx:\n  - name: nginx\n    version: 1.0.0\n"
            "  nginx:\n  - name: nginx\n    version: 2.0.0\n"
            'generated: "2025-01-01T00:00:00Z"\n',
            6,
            "duplicate key 'nginx'",
            id="chart-key-twice",
        ),
        pytest.param("", 1, "empty index.yaml file", id="empty"),
        pytest.param(
            "apiVersion: v1\nentries:\n  nginx: {}\n",
            3,
            "entries.nginx must be a list",
            id="wrong-type",
        ),
    ],
)
def test_an_index_helm_cannot_load_stops_the_release_before_anything_is_made(
    bench: Bench, index: str, line: int, message: str
) -> None:
    bench.project.seed_branch("gh-pages", {"index.yaml": index})
    pages = bench.project.origin_sha("refs/heads/gh-pages")
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))

    run = bench.release()

    assert run.exit_code == 1
    assert run.error is not None and message in run.error.message
    assert run.error.location is not None
    assert (run.error.location.file, run.error.location.line) == ("index.yaml", line)
    assert bench.fake.releases == []
    assert bench.project.origin_sha("refs/heads/gh-pages") == pages
    assert bench.project.origin_file("gh-pages", "index.yaml") == index.encode()


def test_without_helm_the_pull_request_check_fails_with_the_release_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``chart check`` predicts the release: no helm to build remote dependencies fails both."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    root = tmp_path / "repo"
    (root / "charts" / "app").mkdir(parents=True)
    (root / "charts" / "app" / "Chart.yaml").write_text(WITH_DEPENDENCY)

    def error_line(*argv: str) -> str:
        stream = io.StringIO()
        assert main(["chart", *argv], environ={}, stream=stream, cwd=root) == 1
        (line,) = [line for line in stream.getvalue().splitlines() if line.startswith("error:")]
        return line

    released = error_line("release", "--dry-run")
    checked = error_line("check")
    assert released == checked
    assert checked.startswith("error: charts/app/Chart.yaml:6: chart app is missing dependencies")
    assert "helm is not on PATH to run `helm dependency build`" in checked
