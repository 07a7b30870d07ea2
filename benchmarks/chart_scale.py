"""Benchmark: release 100 charts in one run against the fake GitHub.

A repository with N charts (default 100) on main, a bare origin, and the fake GitHub of the test
suite on 127.0.0.1. One ``release-actions chart release`` (what the action runs on a push to
main) packages and releases every chart. Printed: wall time, API calls (all, and writes) per
chart, and the commits the run added to the pages branch (target: one). A second run must make no
API write and no commit.

    uv run python benchmarks/chart_scale.py
    uv run python benchmarks/chart_scale.py --charts 20
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.fake_github import FakeGitHub  # noqa: E402
from support.git_repos import GitProject  # noqa: E402


def chart_files(count: int) -> dict[str, str]:
    files: dict[str, str] = {}
    for number in range(count):
        name = f"service-{number:03d}"
        files[f"charts/{name}/Chart.yaml"] = (
            f"apiVersion: v2\nname: {name}\nversion: 1.0.{number % 7}\n"
            f"appVersion: '1.{number}'\ndescription: Service {number}\n"
        )
        files[f"charts/{name}/values.yaml"] = f"replicas: {number % 3 + 1}\n"
        files[f"charts/{name}/templates/deployment.yaml"] = (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        )
    return files


def release_once(project: GitProject, fake: FakeGitHub) -> float:
    env = {
        **os.environ,
        "GITHUB_API_URL": fake.api_url,
        "GITHUB_SERVER_URL": fake.server_url,
        "GITHUB_REPOSITORY": fake.repository,
        "GITHUB_TOKEN": fake.token,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "release_actions", "chart", "release", "--charts-dir", "charts"],
        cwd=project.work.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], file=sys.stderr)
        raise SystemExit("the release failed")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chart-scale-") as temp, FakeGitHub() as fake:
        project = GitProject.create(Path(temp) / "repo")
        project.work.commit(chart_files(options.charts), f"{options.charts} charts")
        project.work.push()

        elapsed = release_once(project, fake)
        calls = collections.Counter(request.method for request in fake.requests)
        writes = sum(count for method, count in calls.items() if method != "GET")
        commits = len(project.origin_log("gh-pages"))
        print(f"charts released:              {len(fake.releases)} of {options.charts}")
        per_chart = elapsed / options.charts
        print(f"wall time:                    {elapsed:.1f} s ({per_chart:.2f} s/chart)")
        print(f"API calls:                    {sum(calls.values())} {dict(sorted(calls.items()))}")
        print(f"API calls per chart:          {sum(calls.values()) / options.charts:.2f}")
        print(f"API writes per chart:         {writes / options.charts:.2f}")
        print(f"commits on gh-pages:          {commits}")

        before = len(fake.requests)
        writes_before = writes
        tip = project.origin_sha("refs/heads/gh-pages")
        again = release_once(project, fake)
        calls = collections.Counter(request.method for request in fake.requests[before:])
        new_writes = sum(count for method, count in calls.items() if method != "GET")
        unchanged = project.origin_sha("refs/heads/gh-pages") == tip
        print(
            f"second run:                   {again:.1f} s, {sum(calls.values())} API calls, "
            f"{new_writes} writes, pages branch {'unchanged' if unchanged else 'CHANGED'}"
        )
        assert writes_before == writes
    return 0


if __name__ == "__main__":
    sys.exit(main())
