"""Issue 9: YAML that would hang us, eat memory or crash libyaml gets one clear error, fast.

A billion laughs in the pages branch's ``index.yaml`` ran ``chart release --dry-run`` past 120 s
and 2.3 GB; in Chart.yaml's ``maintainers`` or a dependency's ``import-values`` check and package
passed and the release hung. YAML nested 100,000 deep killed the process with signal 11. Each is
run here in a real git repository; the deep ones in a child process, so a crash fails the test
instead of the test run.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from release_actions.cli import main
from support.git_repos import GitProject

BOMB = "".join(
    f"    {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
DEEP = "".join("- " * 100_000) + "x\n"


def cli(cwd: Path, *argv: str) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["chart", *argv], environ={}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


def child(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "release_actions", "chart", *argv],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    return GitProject.create(tmp_path / "git")


def laughs_under(key: str) -> str:
    return f"{key}:\n  - name: x\n    a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + BOMB


@pytest.mark.parametrize(
    "chart_yaml",
    [
        CHART + laughs_under("maintainers"),
        CHART
        + "dependencies:\n  - name: sub\n    version: 1.0.0\n    import-values:\n"
        + "      - a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
        + BOMB.replace("    ", "        "),
    ],
    ids=["maintainers", "import-values"],
)
def test_an_alias_bomb_in_chart_yaml_fails_check_and_package_at_once(
    project: GitProject, chart_yaml: str, tmp_path: Path
) -> None:
    project.work.commit({"charts/demo/Chart.yaml": chart_yaml}, "a bomb")

    for argv in (("check",), ("package", "charts/demo", "--destination", str(tmp_path / "out"))):
        code, log = cli(project.work.path, *argv)
        assert code == 1, log
        assert "alias bomb" in log
        assert "Traceback" not in log
    assert not (tmp_path / "out").exists()


def test_an_alias_bomb_in_the_pages_index_fails_the_dry_run_at_once(project: GitProject) -> None:
    index = "apiVersion: v1\nentries:\n  x:\n    a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    project.seed_branch("gh-pages", {"index.yaml": index + BOMB})
    project.work.commit({"charts/demo/Chart.yaml": CHART}, "chart")
    project.work.push()

    code, log = cli(project.work.path, "release", "--dry-run")

    assert code == 1
    assert "index.yaml:10: the index cannot be read" in log and "alias bomb" in log


def test_a_binary_pages_index_is_one_clear_error(project: GitProject) -> None:
    project.seed_branch("gh-pages", {"index.yaml": bytes(range(256)) * 4})
    project.work.commit({"charts/demo/Chart.yaml": CHART}, "chart")
    project.work.push()

    code, log = cli(project.work.path, "release", "--dry-run")

    assert code == 1
    assert "index.yaml on gh-pages is not UTF-8 text (byte 0x80 on line 2)" in log
    assert "Traceback" not in log


def test_chart_yaml_nested_100000_deep_is_refused_on_its_line(project: GitProject) -> None:
    project.work.commit({"charts/demo/Chart.yaml": CHART + "x:\n" + DEEP}, "deep")

    for argv in (("check",), ("package", "charts/demo")):
        completed = child(project.work.path, *argv)
        assert completed.returncode == 1, completed.stderr[-2000:]
        assert "charts/demo/Chart.yaml:5:399: refused: nested more than 200 levels deep" in (
            completed.stderr + completed.stdout
        )


def test_a_pages_index_nested_100000_deep_is_refused(project: GitProject) -> None:
    project.seed_branch("gh-pages", {"index.yaml": "apiVersion: v1\nentries:\n  x:\n    " + DEEP})
    project.work.commit({"charts/demo/Chart.yaml": CHART}, "chart")
    project.work.push()

    completed = child(project.work.path, "release", "--dry-run")

    assert completed.returncode == 1, completed.stderr[-2000:]
    assert "nested more than 200 levels deep" in completed.stderr + completed.stdout
