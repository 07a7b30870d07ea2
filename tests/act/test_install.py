"""Installing the actions where github.com and PyPI are out of reach: a runner with no uv and a
package-index mirror of its own (here on 127.0.0.1, holding the locked wheels)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.act import Act
from support.act_events import push
from support.fake_github import FakeGitHub
from support.git_repos import GitProject
from support.package_index import PackageIndex

WORKFLOW = {
    "on": "push",
    "jobs": {
        "lint": {
            "runs-on": "ubuntu-latest",
            "steps": [
                {"uses": "actions/checkout@v5"},
                {
                    "id": "changelog",
                    "uses": "OWNER/release-actions/action-changelog-check@v1",
                    "with": {"mode": "lint"},
                },
            ],
        }
    },
}
RUNTIME = {"pygithub", "httpx", "pyyaml", "semver", "cryptography", "requests"}


def test_no_uv_on_path_and_only_the_runners_mirror(
    act: Act,
    git_project: GitProject,
    fake_github: FakeGitHub,
    locked_wheels_index: PackageIndex,
    tmp_path: Path,
) -> None:
    assert shutil.which("uv", path="/usr/bin:/bin") is None
    work = git_project.work
    work.commit({"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First.\n"}, "Changelog")
    work.push()
    run = act.run(
        WORKFLOW,
        "push",
        push(fake_github, work),
        work.path,
        github=fake_github,
        path="/usr/bin:/bin",
        fresh_tool_cache=True,
        env={
            "PIP_INDEX_URL": locked_wheels_index.url,
            "UV_CACHE_DIR": str(tmp_path / "empty-uv-cache"),
            "UV_OFFLINE": "false",
        },
    )

    assert run.returncode == 0, run.log
    assert run.step("changelog").outputs["mode"] == "lint"
    assert "uv" in locked_wheels_index.projects_asked()  # pip installed uv from the mirror
    assert locked_wheels_index.projects_asked() >= RUNTIME  # uv installed the lock from it
    assert list(run.tool_cache.glob("release-actions/uv-*/bin/uv"))
    assert list(run.tool_cache.glob("release-actions/env-*/.complete"))
