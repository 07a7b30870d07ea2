"""Unpacking a package built elsewhere: only regular files, inside one top directory."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from release_actions.chart.package import unpack_package
from release_actions.errors import ReleaseActionsError


def tgz(path: Path, members: list[tuple[str, bytes | str]]) -> Path:
    """Members are (name, data) for files, or (name, "->target") for a symlink."""
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content.removeprefix("->")
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return path


CHART = b"apiVersion: v2\nname: web\nversion: 1.0.0\n"


def test_a_package_unpacks_into_its_top_directory(tmp_path: Path) -> None:
    package = tgz(tmp_path / "web.tgz", [("web/Chart.yaml", CHART), ("web/values.yaml", b"a: 1\n")])
    chart = unpack_package(package, tmp_path / "out")
    assert chart == tmp_path / "out" / "web"
    assert (chart / "values.yaml").read_bytes() == b"a: 1\n"


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ([("web/Chart.yaml", CHART), ("web/link", "->/etc/passwd")], "is a link"),
        ([("web/Chart.yaml", CHART), ("web/../../evil", b"x")], "points outside the chart"),
        ([("/web/Chart.yaml", CHART)], "points outside the chart"),
        ([("web/Chart.yaml", CHART), ("other/x", b"x")], "outside the top directory 'web'"),
        ([("web/values.yaml", b"a: 1\n")], "no <chart>/Chart.yaml"),
    ],
)
def test_anything_but_plain_files_in_one_chart_is_refused_by_name(
    tmp_path: Path, members: list[tuple[str, bytes | str]], says: str
) -> None:
    package = tgz(tmp_path / "web-1.0.0.tgz", members)
    with pytest.raises(ReleaseActionsError, match=f"web-1.0.0.tgz: not a chart package: .*{says}"):
        unpack_package(package, tmp_path / "out")
    assert not (tmp_path / "evil").exists()
