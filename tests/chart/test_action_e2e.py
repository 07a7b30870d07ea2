"""action-chart-release end to end: the action.yml run as GitHub's runner runs it, a bare origin,
the fake GitHub, and Helm's own repository client reading what was published.

Each repository style goes PR check → release → re-run (nothing new) → bump → release:
- HAMi-like: one chart, appVersion == version, values.yaml ``global.imageTag: v{version}``;
- telepace-like: several charts nested at depth 2, tags ``{name}-v{version}``, packages hosted
  next to the index on the pages branch.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import threading
from collections.abc import Iterator, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.repo.index import published_versions
from release_actions.cli import main
from support.action_runner import ActionResult, ActionRunner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject, WorkingCopy

helm = pytest.importorskip("helm_python")


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ACTION = "action-chart-release"

HAMI_INPUTS = {
    "app-version-policy": "equal",
    "values-checks": "global.imageTag = v{version}",
}
TELEPACE_INPUTS = {
    "charts-dir": "charts",
    "tag-template": "{name}-v{version}",
    "packages-with-index": True,
    "pages-html": True,
}


def example_files(name: str) -> dict[str, bytes]:
    root = EXAMPLES / name
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def served_pages(git_project: GitProject) -> Iterator[Any]:
    """Serves a checkout of origin's gh-pages on 127.0.0.1; call it to (re)fetch the branch."""
    servers: list[ThreadingHTTPServer] = []

    def serve() -> str:
        checkout = git_project.root / "pages-checkout"
        if checkout.exists():
            WorkingCopy(checkout).git("pull", "--quiet", "origin", "gh-pages")
        else:
            git_project.clone(checkout.name, branch="gh-pages")
        handler = functools.partial(_QuietHandler, directory=str(checkout))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Repo:
    """One repository's life: pull requests, merges to main, and the action on each event."""

    def __init__(
        self,
        project: GitProject,
        runner: ActionRunner,
        fake: FakeGitHub,
        inputs: Mapping[str, str | bool],
    ) -> None:
        self.project = project
        self.work = project.work
        self.runner = runner
        self.fake = fake
        self.inputs = dict(inputs)
        self.pulls = 0

    def start_branch(self, branch: str) -> None:
        self.work.checkout("main")
        self.work.checkout(branch, create=True)

    def open_pull(self, branch: str, files: Mapping[str, bytes | str], message: str) -> None:
        self.start_branch(branch)
        self.work.commit(files, message)
        self.work.push()

    def check_pull(self, branch: str) -> ActionResult:
        self.pulls += 1
        event = {
            "number": self.pulls,
            "pull_request": {
                "number": self.pulls,
                "base": {"ref": "main"},
                "head": {"ref": branch},
            },
            "repository": {"default_branch": "main"},
        }
        return self.run("pull_request", event)

    def merge(self, branch: str) -> None:
        self.work.checkout("main")
        self.work.git("merge", "--quiet", "--ff-only", branch)
        self.work.push()

    def push_event(self) -> ActionResult:
        event = {"ref": "refs/heads/main", "repository": {"default_branch": "main"}}
        return self.run("push", event)

    def run(self, event_name: str, event: Mapping[str, Any]) -> ActionResult:
        return self.runner.run(
            ACTION,
            inputs=self.inputs,
            event_name=event_name,
            event=event,
            workspace=self.work.path,
            github=self.fake,
        )

    def pages_sha(self) -> str | None:
        return self.project.origin_sha("refs/heads/gh-pages")

    def index(self) -> dict[str, set[str]]:
        content = self.project.origin_file("gh-pages", "index.yaml")
        return published_versions(content.decode()) if content else {}


def released(result: ActionResult) -> list[dict[str, str]]:
    value: list[dict[str, str]] = json.loads(result.outputs["released"])
    return value


def bump(work: WorkingCopy, chart_dir: str, version: str, *options: str) -> None:
    stream = io.StringIO()
    code = main(["chart", "bump", chart_dir, version, *options], stream=stream, cwd=work.path)
    assert code == 0, stream.getvalue()


def assert_nothing_happened(repo: Repo, result: ActionResult, pages_before: str | None) -> None:
    assert result.exit_code == 0, result.log
    assert result.outputs["released"] == "[]"
    assert result.outputs["changed-charts"] == ""
    assert result.outputs["chart-version"] == ""
    assert result.outputs["index-updated"] == "false"
    assert repo.pages_sha() == pages_before
    assert repo.fake.pulls == []


def test_a_hami_like_repository(
    git_project: GitProject,
    action_runner: ActionRunner,
    fake_github: FakeGitHub,
    served_pages: Any,
    tmp_path: Path,
) -> None:
    repo = Repo(git_project, action_runner, fake_github, HAMI_INPUTS)

    # 1. The pull request that adds the chart: a new chart needs no bump.
    repo.open_pull("add-hami", example_files("hami-like"), "Add the hami chart")
    check = repo.check_pull("add-hami")
    assert check.exit_code == 0, check.log
    assert check.outputs["changed-charts"] == "charts/hami"
    assert check.outputs["index-updated"] == "false"
    assert "### Chart checks" in check.summary

    # 2. Merged: the push releases 2.10.0.
    repo.merge("add-hami")
    first = repo.push_event()
    assert first.exit_code == 0, first.log
    assert [(r["name"], r["version"], r["tag"]) for r in released(first)] == [
        ("hami", "2.10.0", "hami-2.10.0")
    ]
    assert first.outputs["changed-charts"] == "charts/hami"
    assert first.outputs["chart-version"] == "2.10.0"
    assert first.outputs["index-updated"] == "true"
    assert repo.index() == {"hami": {"2.10.0"}}
    assert "| `hami` (charts/hami) | 2.10.0 | released |" in first.summary
    assert fake_github.token in first.masks
    printed = first.stdout.replace(f"::add-mask::{fake_github.token}\n", "")
    assert fake_github.token not in printed + first.stderr + first.summary

    # 3. The same push again: nothing to do, nothing done.
    pages = repo.pages_sha()
    again = repo.push_event()
    assert_nothing_happened(repo, again, pages)
    assert len(fake_github.releases) == 1

    # 4. A change without a bump is stopped on its pull request, on the version line.
    notes = "charts/hami/templates/NOTES.txt"
    repo.open_pull("reword", {notes: "HAMi is installed.\n"}, "Reword the notes")
    unbumped = repo.check_pull("reword")
    assert unbumped.exit_code == 1
    on_version_line = [
        a.message for a in unbumped.annotations if (a.file, a.line) == ("charts/hami/Chart.yaml", 5)
    ]
    assert any("greater" in m or "bump" in m for m in on_version_line), unbumped.annotations
    assert any("hami 2.10.0 is already published in the index" in m for m in on_version_line)

    # 5. `chart bump` moves version, appVersion and global.imageTag together.
    bump(repo.work, "charts/hami", "2.11.0", "--app-version-policy=equal",
         "--values-check=global.imageTag = v{version}")  # fmt: skip
    repo.work.commit(message="Bump hami to 2.11.0")
    repo.work.push()
    assert '  imageTag: "v2.11.0"' in repo.work.read("charts/hami/values.yaml")
    bumped = repo.check_pull("reword")
    assert bumped.exit_code == 0, bumped.log

    # 6. Merged: 2.11.0 is released and joins 2.10.0 in the index.
    repo.merge("reword")
    second = repo.push_event()
    assert second.exit_code == 0, second.log
    assert second.outputs["chart-version"] == "2.11.0"
    assert [r["tag"] for r in released(second)] == ["hami-2.11.0"]
    assert repo.index() == {"hami": {"2.10.0", "2.11.0"}}
    assert len(fake_github.releases) == 2
    assert all(not r.make_latest for r in fake_github.releases)

    # 7. Helm's repository client reads the index and pulls the release asset.
    url = served_pages()
    index = helm.repo_index(url)
    assert [v["version"] for v in index["entries"]["hami"]] == ["2.11.0", "2.10.0"]
    helm.pull("hami", repo_url=url, version="2.11.0", destination=str(tmp_path))
    pulled = (tmp_path / "hami-2.11.0.tgz").read_bytes()
    assert hashlib.sha256(pulled).hexdigest() == released(second)[0]["digest"]
    assert helm.Chart.load_archive(pulled).metadata["appVersion"] == "2.11.0"


def test_a_telepace_like_repository(
    git_project: GitProject,
    action_runner: ActionRunner,
    fake_github: FakeGitHub,
    served_pages: Any,
    tmp_path: Path,
) -> None:
    repo = Repo(git_project, action_runner, fake_github, TELEPACE_INPUTS)
    charts = {
        "analysis": "charts/services/analysis",
        "collection": "charts/services/collection",
        "web": "charts/services/web",
    }

    repo.open_pull("services", example_files("telepace-like"), "Add the service charts")
    check = repo.check_pull("services")
    assert check.exit_code == 0, check.log
    assert check.outputs["changed-charts"] == ",".join(charts.values())

    repo.merge("services")
    first = repo.push_event()
    assert first.exit_code == 0, first.log
    assert [r["tag"] for r in released(first)] == [
        "analysis-v0.1.2",
        "collection-v0.1.0",
        "web-v0.2.0",
    ]
    assert first.outputs["changed-charts"] == ",".join(charts.values())
    assert repo.index() == {"analysis": {"0.1.2"}, "collection": {"0.1.0"}, "web": {"0.2.0"}}
    for name in ("analysis-0.1.2.tgz", "collection-0.1.0.tgz", "web-0.2.0.tgz", "index.html"):
        assert git_project.origin_file("gh-pages", name) is not None, name

    pages = repo.pages_sha()
    assert_nothing_happened(repo, repo.push_event(), pages)

    repo.start_branch("web-port")
    bump(repo.work, charts["web"], "0.2.1")
    repo.work.commit({f"{charts['web']}/values.yaml": "replicaCount: 2\n"}, "Bump web to 0.2.1")
    repo.work.push()
    bumped = repo.check_pull("web-port")
    assert bumped.exit_code == 0, bumped.log
    assert bumped.outputs["changed-charts"] == charts["web"]

    repo.merge("web-port")
    second = repo.push_event()
    assert second.exit_code == 0, second.log
    assert [r["tag"] for r in released(second)] == ["web-v0.2.1"]
    assert second.outputs["changed-charts"] == charts["web"]
    assert second.outputs["chart-version"] == "0.2.1"
    assert repo.index()["web"] == {"0.2.0", "0.2.1"}
    assert sorted(r.tag_name for r in fake_github.releases) == [
        "analysis-v0.1.2",
        "collection-v0.1.0",
        "web-v0.2.0",
        "web-v0.2.1",
    ]

    url = served_pages()
    index = helm.repo_index(url)
    assert sorted(index["entries"]) == ["analysis", "collection", "web"]
    assert [v["version"] for v in index["entries"]["web"]] == ["0.2.1", "0.2.0"]
    assert index["entries"]["web"][0]["urls"] == ["web-0.2.1.tgz"]
    helm.pull("web", repo_url=url, version="0.2.1", destination=str(tmp_path))
    pulled = (tmp_path / "web-0.2.1.tgz").read_bytes()
    assert hashlib.sha256(pulled).hexdigest() == released(second)[0]["digest"]
