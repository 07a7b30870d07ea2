"""Issue 9, high: a chart's symbolic links never publish a file from outside the repository.

Each repository is real git with the links committed, as a fork would push them. A link out of
the work tree, into ``.git/`` or to a FIFO is refused with the chart, the link and its target
named, and nothing is written; a link that stays inside works as Helm reads it.
"""

from __future__ import annotations

import io
import os
import socket
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from release_actions.chart.loader.chart_file import load_chart
from release_actions.chart.package.archive import package_chart
from release_actions.cli import main
from release_actions.confine import RefusedPath
from release_actions.errors import ReleaseActionsError
from support.git_repos import GitProject, Symlink

CHART = {
    "charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.4.0\n",
    "charts/demo/values.yaml": "image: demo\n",
    "charts/demo/templates/cm.yaml": "kind: ConfigMap\n",
}
COMMIT_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def package(work: Path, out: Path) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(
        ["chart", "package", "charts/demo", "--destination", str(out)],
        stream=stream,
        environ={},
        cwd=work,
    )
    return code, stream.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    project = GitProject.create(tmp_path / "git")
    project.work.commit(CHART, "add demo")
    return project


@pytest.mark.parametrize(
    ("link", "target", "shown"),
    [
        ("charts/demo/passwd", "/etc/passwd", "/etc/passwd"),
        ("charts/demo/README.md", "/proc/self/environ", "/proc/"),
        ("charts/demo/gitconfig", "../../.git/config", ".git/config"),
        ("charts/demo/templates", "/etc", "/etc"),  # a directory link out of the chart
    ],
    ids=["passwd", "proc-environ", "git-config", "directory-out"],
)
def test_a_link_out_of_the_repository_or_into_git_is_refused_and_nothing_is_built(
    project: GitProject, tmp_path: Path, link: str, target: str, shown: str
) -> None:
    work = project.work
    if link.endswith("templates"):
        work.git("rm", "-r", "--quiet", "charts/demo/templates")
    work.commit({link: Symlink(target)}, "a hostile link")
    out = tmp_path / "out"

    code, log = package(work.path, out)

    assert code == 1
    assert "chart demo" in log
    assert link.removeprefix("charts/demo/") in log or link in log
    assert shown in log
    assert "Traceback" not in log and "Unexpected" not in log
    assert not out.exists() or not any(out.iterdir())


def test_the_token_in_the_environment_never_reaches_a_package(
    project: GitProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INPUT_TOKEN", "ghs_SECRET_in_the_environment")
    project.work.commit({"charts/demo/README.md": Symlink("/proc/self/environ")}, "leak")

    code, log = package(project.work.path, tmp_path / "out")

    assert code == 1
    assert "ghs_SECRET" not in log
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_a_link_to_a_fifo_or_socket_inside_the_repository_is_refused(
    project: GitProject, tmp_path: Path, kind: str
) -> None:
    work = project.work
    special = work.path / "special"
    if kind == "fifo":
        os.mkfifo(special)  # git cannot store one: it appears in the work tree after checkout
    else:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(special))
        listener.close()
    (work.path / "charts/demo/data").symlink_to("../../special")

    code, log = package(work.path, tmp_path / "out")

    assert code == 1
    assert f"a {'FIFO' if kind == 'fifo' else 'socket'}, not a regular file" in log
    assert "charts/demo/data is a symbolic link" in log


def test_links_that_stay_inside_the_repository_are_packaged_with_their_targets_content(
    project: GitProject, tmp_path: Path
) -> None:
    work = project.work
    work.commit(
        {
            "common/_helpers.tpl": '{{- define "x" -}}x{{- end }}\n',
            "common/files/a.txt": "shared\n",
            "charts/demo/templates/_helpers.tpl": Symlink("../../../common/_helpers.tpl"),
            "charts/demo/files": Symlink("../../common/files"),
        },
        "shared helpers",
    )

    code, log = package(work.path, tmp_path / "out")

    assert code == 0, log
    with tarfile.open(tmp_path / "out" / "demo-0.4.0.tgz") as archive:
        helpers = archive.extractfile("demo/templates/_helpers.tpl")
        shared = archive.extractfile("demo/files/a.txt")
        assert helpers is not None and shared is not None
        assert helpers.read() == b'{{- define "x" -}}x{{- end }}\n'
        assert shared.read() == b"shared\n"


def test_a_directory_link_to_the_repository_root_cannot_reach_dot_git(
    project: GitProject, tmp_path: Path
) -> None:
    project.work.commit({"charts/demo/files/up": Symlink("../../..")}, "the whole repository")

    with pytest.raises(ReleaseActionsError, match=r"inside \.git/|symbolic link loop"):
        package_chart(
            load_chart(project.work.path / "charts/demo"),
            tmp_path / "out",
            mtime=COMMIT_TIME,
            helm_binary=None,
        )


def test_a_file_dependency_outside_the_repository_is_refused_before_helm_builds_it(
    project: GitProject, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "templates").mkdir(parents=True)
    (outside / "Chart.yaml").write_text("apiVersion: v2\nname: lib\nversion: 1.0.0\n")
    relative = os.path.relpath(outside, project.work.path / "charts/demo")
    chart_yaml = (
        "apiVersion: v2\nname: demo\nversion: 0.4.0\ndependencies:\n"
        f"- name: lib\n  version: 1.0.0\n  repository: file://{relative}\n"
    )
    project.work.commit({"charts/demo/Chart.yaml": chart_yaml}, "outside dependency")
    helm = tmp_path / "helm"  # never run: the refusal comes first
    helm.write_text('#!/bin/sh\ntouch "$0.ran"\n')
    helm.chmod(0o755)

    with pytest.raises(RefusedPath, match="outside the repository"):
        package_chart(
            load_chart(project.work.path / "charts/demo"),
            tmp_path / "out",
            mtime=COMMIT_TIME,
            helm_binary=str(helm),
        )
    assert not (tmp_path / "helm.ran").exists()


def test_check_reports_a_file_dependency_outside_the_repository(
    project: GitProject, tmp_path: Path
) -> None:
    chart_yaml = (
        "apiVersion: v2\nname: demo\nversion: 0.4.0\ndependencies:\n"
        "- name: lib\n  version: 1.0.0\n  repository: file:///etc\n"
    )
    project.work.commit({"charts/demo/Chart.yaml": chart_yaml}, "outside dependency")
    stream = io.StringIO()

    code = main(
        ["chart", "check", "--charts-dir", "charts"],
        stream=stream,
        environ={},
        cwd=project.work.path,
    )

    assert code == 1
    assert "dependency lib: /etc leads outside the repository" in stream.getvalue()


def test_a_chart_yaml_linking_out_fails_check_and_package(
    project: GitProject, tmp_path: Path
) -> None:
    outside = tmp_path / "Chart.yaml"
    outside.write_text("apiVersion: v2\nname: demo\nversion: 0.4.0\n")
    project.work.commit({"charts/demo/Chart.yaml": Symlink(str(outside))}, "linked Chart.yaml")

    code, log = package(project.work.path, tmp_path / "out")
    assert code == 1
    assert "charts/demo/Chart.yaml is a symbolic link to" in log

    stream = io.StringIO()
    code = main(["chart", "check"], stream=stream, environ={}, cwd=project.work.path)
    assert code == 1
    assert "outside the repository" in stream.getvalue()


def test_a_chart_directory_that_is_itself_a_link_out_is_refused(
    project: GitProject, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "templates").mkdir(parents=True)
    (outside / "Chart.yaml").write_text("apiVersion: v2\nname: other\nversion: 1.0.0\n")
    project.work.commit({"charts/other": Symlink(str(outside))}, "a linked chart directory")

    stream = io.StringIO()
    code = main(
        ["chart", "package", "charts/other", "--destination", str(tmp_path / "out")],
        stream=stream,
        environ={},
        cwd=project.work.path,
    )

    assert code == 1
    assert "charts/other is a symbolic link to" in stream.getvalue()
    assert not (tmp_path / "out").exists()
