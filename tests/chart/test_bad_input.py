"""Issue 9, low: a bad chart or a failing disk is one clear error, exit 1, nothing written.

Each of these ended in "Unexpected error" and a traceback: a chart name with a NUL byte or too
long for a file name (check passed; package crashed), a 5000-digit number in a version or
Chart.yaml (Python's int-to-string limit), and a full disk or a bad destination while packaging
or writing the index.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from release_actions.cli import main
from support.git_repos import GitProject

LONG = "9" * 5000


def cli(cwd: Path, *argv: str) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["chart", *argv], environ={}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    return GitProject.create(tmp_path / "git")


@pytest.mark.parametrize(
    ("chart_yaml", "message", "line"),
    [
        ('name: "a\\0b"\nversion: 1.0.0\n', "name 'a\\x00b' is not a chart name", 2),
        (f"name: {'n' * 300}\nversion: 1.0.0\n", "is 310 bytes, more than the 255", 2),
        (f"name: demo\nversion: 1.0.{LONG}\n", "is 5013 bytes, more than the 255", 3),
    ],
    ids=["nul-name", "long-name", "5000-digit-version"],
)
def test_package_refuses_a_name_or_version_no_file_can_have(
    project: GitProject, tmp_path: Path, chart_yaml: str, message: str, line: int
) -> None:
    project.work.commit({"charts/demo/Chart.yaml": "apiVersion: v2\n" + chart_yaml}, "chart")
    out = tmp_path / "out"

    code, log = cli(project.work.path, "package", "charts/demo", "--destination", str(out))

    assert code == 1
    assert message in log
    assert f"charts/demo/Chart.yaml:{line}:" in log
    assert "Traceback" not in log and "nexpected" not in log
    assert not out.exists()


@pytest.mark.parametrize(
    "field",
    [f"appVersion: {LONG}\n", f"kubeVersion: {LONG}\n", f"annotations:\n  n: {LONG}\n"],
    ids=["appVersion", "kubeVersion", "annotation"],
)
def test_5000_digit_numbers_in_chart_yaml_never_crash_check_package_or_release(
    project: GitProject, tmp_path: Path, field: str
) -> None:
    chart_yaml = "apiVersion: v2\nname: demo\nversion: 1.0.0\n" + field
    project.work.commit({"charts/demo/Chart.yaml": chart_yaml}, "chart")
    project.work.push()

    for argv in (
        ("check",),
        ("package", "charts/demo", "--destination", str(tmp_path / "out")),
        ("release", "--dry-run", "--repository", "octo/charts"),
    ):
        code, log = cli(project.work.path, *argv)
        assert code in (0, 1), log
        assert "Traceback" not in log and "nexpected" not in log


def test_a_5000_digit_version_fails_the_check_on_its_line(project: GitProject) -> None:
    chart_yaml = f"apiVersion: v2\nname: demo\nversion: 1.0.{LONG}\n"
    project.work.commit({"charts/demo/Chart.yaml": chart_yaml}, "chart")

    code, log = cli(project.work.path, "check")

    assert code == 1
    assert "charts/demo/Chart.yaml:3" in log and "version-semver" in log


def test_a_full_disk_while_packaging_is_one_error_and_nothing_is_left(
    project: GitProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.work.commit(
        {"charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n"}, "chart"
    )
    out = tmp_path / "out"
    out.mkdir()

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    code, log = cli(project.work.path, "package", "charts/demo", "--destination", str(out))

    assert code == 1
    assert f"cannot write {out / 'demo-1.0.0.tgz'}: No space left on device" in log
    assert list(out.iterdir()) == []


def test_a_destination_that_is_a_file_is_one_error(project: GitProject, tmp_path: Path) -> None:
    project.work.commit(
        {"charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n"}, "chart"
    )
    (tmp_path / "out").write_text("a file")

    code, log = cli(
        project.work.path, "package", "charts/demo", "--destination", str(tmp_path / "out")
    )

    assert code == 1
    assert "a part of its directory is a file" in log
    assert (tmp_path / "out").read_text() == "a file"


def test_a_full_disk_while_writing_the_index_keeps_the_old_index(
    project: GitProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.work.commit(
        {"charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n"}, "chart"
    )
    code, _ = cli(project.work.path, "package", "charts/demo", "--destination", str(tmp_path))
    assert code == 0
    index = tmp_path / "index.yaml"
    index.write_text("apiVersion: v1\nentries: {}\n")

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    code, log = cli(
        tmp_path, "index", "--index", "index.yaml", "--package", "demo-1.0.0.tgz", "--relative"
    )

    assert code == 1
    assert f"cannot write {index}: No space left on device" in log
    assert index.read_text() == "apiVersion: v1\nentries: {}\n"
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
