"""``release-actions chart package`` and ``chart index`` on real files and a real git repo."""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import tarfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from release_actions.chart.loader.goyaml import load_strings
from release_actions.chart.package_command import register, url_join
from release_actions.chart.repo.index import published_versions
from release_actions.cli import main
from release_actions.context import Context
from release_actions.errors import ReleaseActionsError, UsageError
from release_actions.runner import Runner
from support.git_repos import GitProject
from support.git_repos import write_files as write

CHART = {
    "charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.4.0\nappVersion: 0.4.0\n",
    "charts/demo/values.yaml": "image: demo\n",
    "charts/demo/templates/cm.yaml": "kind: ConfigMap\n",
}
CHART_COMMITTED = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)


def run(
    argv: list[str], cwd: Path, environ: Mapping[str, str] | None = None
) -> tuple[int, list[str]]:
    """Parse ``chart <argv>`` with our subcommands and run the handler as the CLI does."""
    parser = argparse.ArgumentParser(prog="release-actions chart")
    register(parser.add_subparsers(dest="chart_command", required=True))
    args = parser.parse_args(argv)
    stream = io.StringIO()
    environ = dict(environ or {})
    context = Context(runner=Runner(environ, stream), environ=environ, cwd=cwd)
    code = args.handler(args, context)
    return code, stream.getvalue().splitlines()


def tar_times(path: Path) -> set[int]:
    with tarfile.open(path) as archive:
        return {member.mtime for member in archive.getmembers()}


def test_package_stamps_the_charts_last_commit_time_and_prints_path_and_digest(
    tmp_path: Path,
) -> None:
    project = GitProject.create(tmp_path / "git")
    project.work.commit(CHART, "add demo", date=CHART_COMMITTED)
    project.work.commit({"README.md": "later, elsewhere\n"}, "docs", date="2024-06-01T00:00:00Z")
    project.work.push()

    code, lines = run(["package", "charts/demo", "--destination", "dist"], cwd=project.work.path)

    tgz = project.work.path / "dist" / "demo-0.4.0.tgz"
    assert code == 0
    assert lines[0] == str(tgz)
    assert lines[1].startswith("sha256:") and len(lines[1]) == len("sha256:") + 64
    assert tar_times(tgz) == {int(CHART_COMMITTED.timestamp())}
    # The same commit packages to the same bytes, in another checkout too.
    clone = project.clone("again")
    code, again = run(["package", "charts/demo", "--destination", "out"], cwd=clone.path)
    assert again[1] == lines[1]
    assert (clone.path / "out" / "demo-0.4.0.tgz").read_bytes() == tgz.read_bytes()


@pytest.mark.parametrize("mtime", ["2024-01-02T03:04:05Z", "1704164645"])
def test_package_takes_an_explicit_time(tmp_path: Path, mtime: str) -> None:
    write(tmp_path, CHART)

    run(["package", "charts/demo", "--destination", "dist", "--mtime", mtime], cwd=tmp_path)

    assert tar_times(tmp_path / "dist" / "demo-0.4.0.tgz") == {1704164645}


def test_package_outside_git_needs_a_time(tmp_path: Path) -> None:
    write(tmp_path, CHART)

    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        run(["package", "charts/demo"], cwd=tmp_path)

    run(["package", "charts/demo"], cwd=tmp_path, environ={"SOURCE_DATE_EPOCH": "1704164645"})
    assert tar_times(tmp_path / "demo-0.4.0.tgz") == {1704164645}
    with pytest.raises(UsageError, match="neither RFC 3339 nor Unix seconds"):
        run(["package", "charts/demo", "--mtime", "yesterday"], cwd=tmp_path)


def test_package_dry_run_prints_the_path_and_digest_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, CHART)
    mtime = ["--mtime", "2024-03-04T05:06:07Z"]
    code, lines = run(
        ["package", "charts/demo", "--destination", "out", "--dry-run", *mtime], tmp_path
    )
    assert code == 0
    assert not (tmp_path / "out").exists()
    assert (
        lines[0] == f"Dry run: would write {tmp_path / 'out' / 'demo-0.4.0.tgz'}, nothing written."
    )
    code, written = run(["package", "charts/demo", "--destination", "out", *mtime], tmp_path)
    assert code == 0
    # The digest the dry run printed is the one the real run writes.
    assert lines[1] == written[1]
    digest = hashlib.sha256((tmp_path / "out" / "demo-0.4.0.tgz").read_bytes()).hexdigest()
    assert lines[1] == f"sha256:{digest}"


def test_package_dry_run_never_runs_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "helm.log"
    (bin_dir / "helm").write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nmkdir -p "$3/charts"\n')
    (bin_dir / "helm").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    write(tmp_path, {
        "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
        "  - name: common\n    version: 2.1.0\n    repository: https://charts.example.com\n",
    })  # fmt: skip
    code, lines = run(
        ["package", "charts/app", "--dry-run", "--mtime", "2024-03-04T05:06:07Z"], tmp_path
    )
    assert code == 0
    assert not log.exists()
    assert not (tmp_path / "charts/app/charts").exists()
    assert lines[1].startswith("sha256 unknown: `helm dependency build` would first fetch")
    assert "common 2.1.0 from https://charts.example.com" in lines[1]


def index_relative(
    cwd: Path, tgz: Path | str, *flags: str, index: str = "index.yaml"
) -> tuple[int, list[str]]:
    """``chart index --index INDEX --package TGZ --relative [flags]``."""
    return run(["index", "--index", index, "--package", str(tgz), "--relative", *flags], cwd)


def package(tmp_path: Path, version: str, values: str = "image: demo\n") -> Path:
    write(
        tmp_path,
        {
            **CHART,
            "charts/demo/Chart.yaml": f"apiVersion: v2\nname: demo\nversion: {version}\n",
            "charts/demo/values.yaml": values,
        },
    )
    run(["package", "charts/demo", "--destination", "dist", "--mtime", "1700000000"], tmp_path)
    return tmp_path / "dist" / f"demo-{version}.tgz"


def test_index_creates_a_missing_index_then_merges_into_it(tmp_path: Path) -> None:
    first = package(tmp_path, "0.4.0")
    second = package(tmp_path, "0.5.0")
    base = "https://github.com/o/r/releases/download/demo-0.4.0"

    code, lines = run(
        [
            "index",
            "--index",
            "site/index.yaml",
            "--package",
            "dist/demo-0.4.0.tgz",
            "--url-base",
            base,
        ],
        cwd=tmp_path,
    )

    index = tmp_path / "site" / "index.yaml"
    assert code == 0
    assert lines == [f"{index}: updated"]
    (entry,) = load_strings(index.read_text(encoding="utf-8"))["entries"]["demo"]
    assert entry["urls"] == [f"{base}/demo-0.4.0.tgz"]
    assert entry["version"] == "0.4.0"
    assert entry["digest"] == hashlib.sha256(first.read_bytes()).hexdigest()

    index_relative(tmp_path, second, index="site/index.yaml")
    loaded = load_strings(index.read_text(encoding="utf-8"))["entries"]["demo"]
    assert [(item["version"], item["urls"]) for item in loaded] == [
        ("0.5.0", ["demo-0.5.0.tgz"]),
        ("0.4.0", [f"{base}/demo-0.4.0.tgz"]),
    ]


def test_index_with_nothing_new_leaves_the_file_alone(tmp_path: Path) -> None:
    tgz = package(tmp_path, "0.4.0")
    index_relative(tmp_path, tgz)
    before = (tmp_path / "index.yaml").read_bytes()

    code, lines = index_relative(tmp_path, tgz)

    assert code == 0
    assert "unchanged" in lines[0]
    assert (tmp_path / "index.yaml").read_bytes() == before


def test_index_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    index_relative(tmp_path, package(tmp_path, "0.4.0"))
    before = (tmp_path / "index.yaml").read_bytes()

    code, lines = index_relative(tmp_path, package(tmp_path, "0.5.0"), "--dry-run")

    assert code == 0
    assert (tmp_path / "index.yaml").read_bytes() == before
    assert lines[:2] == ["--- a/index.yaml", "+++ b/index.yaml"]
    assert "+    version: 0.5.0" in lines
    assert any(line.startswith("-generated: ") for line in lines)
    assert not any(line.startswith("-") and "0.4.0" in line for line in lines)


def test_index_into_a_file_helm_did_not_write_warns_that_it_is_rewritten(
    tmp_path: Path,
) -> None:
    index_relative(tmp_path, package(tmp_path, "0.4.0"))
    index = tmp_path / "index.yaml"
    index.write_text("# kept by hand\n" + index.read_text())
    added = str(package(tmp_path, "0.5.0"))

    code, lines = index_relative(tmp_path, added, "--dry-run")
    assert code == 0
    assert lines[0].startswith(
        "warning: index.yaml is not in the layout Helm writes (line 1 is a comment,"
    )
    assert "so it would be rewritten whole in Helm's layout" in lines[0]
    assert index.read_text().startswith("# kept by hand\n")

    code, lines = index_relative(tmp_path, added)
    assert code == 0
    assert "so it was rewritten whole in Helm's layout" in lines[0]
    assert not index.read_text().startswith("#")
    assert published_versions(index.read_text()) == {"demo": {"0.4.0", "0.5.0"}}


def test_index_refuses_a_rebuilt_package_of_a_published_version(tmp_path: Path) -> None:
    index_relative(tmp_path, package(tmp_path, "0.4.0"))
    rebuilt = package(tmp_path, "0.4.0", values="image: changed\n")

    with pytest.raises(ReleaseActionsError, match="immutable"):
        index_relative(tmp_path, rebuilt)
    assert published_versions((tmp_path / "index.yaml").read_text()) == {"demo": {"0.4.0"}}


def test_index_needs_exactly_one_url_mode(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        run(["index", "--index", "i.yaml", "--package", "a.tgz"], tmp_path)
    with pytest.raises(SystemExit):
        run(
            [
                "index",
                "--index",
                "i.yaml",
                "--package",
                "a.tgz",
                "--relative",
                "--url-base",
                "https://x",
            ],
            tmp_path,
        )


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://x.io/charts", "https://x.io/charts/a-1.0.0+b.1.tgz"),
        ("https://x.io/charts/", "https://x.io/charts/a-1.0.0+b.1.tgz"),
        ("https://x.io", "https://x.io/a-1.0.0+b.1.tgz"),
    ],
)
def test_url_join_is_helms(base: str, expected: str) -> None:
    assert url_join(base, "a-1.0.0+b.1.tgz") == expected


def test_a_bad_archive_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tgz"
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        archive.addfile(tarfile.TarInfo("README.md"), io.BytesIO(b""))
    bad.write_bytes(tar.getvalue())

    with pytest.raises(ReleaseActionsError, match=r"no <chart>/Chart\.yaml"):
        index_relative(tmp_path, bad, index="i.yaml")


def test_the_cli_runs_package_and_index_and_funnels_their_errors(tmp_path: Path) -> None:
    write(tmp_path, CHART)
    stream = io.StringIO()

    code = main(
        ["chart", "package", "charts/demo", "--destination", "dist", "--mtime", "1700000000"],
        environ={},
        stream=stream,
        cwd=tmp_path,
    )
    assert code == 0
    assert stream.getvalue().splitlines()[0] == str(tmp_path / "dist" / "demo-0.4.0.tgz")

    index = ["chart", "index", "--index", "index.yaml", "--package", "dist/demo-0.4.0.tgz"]
    assert main([*index, "--relative"], environ={}, stream=stream, cwd=tmp_path) == 0
    package(tmp_path, "0.4.0", values="image: changed\n")
    stream = io.StringIO()
    actions = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "s")}
    assert main([*index, "--relative"], environ=actions, stream=stream, cwd=tmp_path) == 1
    assert stream.getvalue().startswith("::error")
    assert "immutable" in stream.getvalue()


def test_index_with_a_chart_key_twice_is_refused_on_its_line_and_left_alone(
    tmp_path: Path,
) -> None:
    index_relative(tmp_path, package(tmp_path, "0.4.0"))
    index = tmp_path / "index.yaml"
    text = index.read_text(encoding="utf-8")
    block = text[text.index("  demo:\n") : text.index("generated:")]
    twice = text.replace(block, block + block.replace("0.4.0", "0.3.0"))
    index.write_text(twice, encoding="utf-8")
    second_key = twice.count("\n", 0, twice.rindex("  demo:\n")) + 1

    stream = io.StringIO()
    argv = ["chart", "index", "--index", "index.yaml", "--relative"]
    tgz = str(package(tmp_path, "0.5.0"))
    code = main(
        [*argv, "--package", tgz], environ=actions_env(tmp_path), stream=stream, cwd=tmp_path
    )

    assert code == 1
    assert stream.getvalue().startswith(f"::error file=index.yaml,line={second_key},")
    assert "duplicate key 'demo'" in stream.getvalue()
    assert "Traceback" not in stream.getvalue()
    assert index.read_text(encoding="utf-8") == twice  # nothing written, nothing repaired


def test_an_empty_index_is_refused_and_deleting_it_starts_a_new_one(tmp_path: Path) -> None:
    tgz = package(tmp_path, "0.4.0")
    index = tmp_path / "index.yaml"
    index.write_bytes(b"")

    with pytest.raises(ReleaseActionsError, match=r"empty index\.yaml file") as refused:
        index_relative(tmp_path, tgz)
    assert "delete the file" in str(refused.value)
    assert index.read_bytes() == b""

    index.unlink()
    assert index_relative(tmp_path, tgz)[0] == 0
    assert published_versions(index.read_text(encoding="utf-8")) == {"demo": {"0.4.0"}}


@pytest.mark.parametrize(
    ("path", "content", "message"),
    [
        ("charts/demo/values.yaml", "- a list\n", "values.yaml must be a map"),
        (
            "charts/demo/Chart.yaml",
            "apiVersion: v2\nname: demo\nversion: 0.4.0\ntype: App\n",
            "type must be exactly application or library",
        ),
        (
            "charts/demo/charts/sub/Chart.yaml",
            "apiVersion: v2\nversion: 1.0.0\n",
            "the chart has no name",
        ),
    ],
)
def test_package_never_builds_what_helm_cannot_load(
    tmp_path: Path, path: str, content: str, message: str
) -> None:
    write(tmp_path, {**CHART, path: content})

    with pytest.raises(ReleaseActionsError, match=message) as refused:
        run(["package", "charts/demo", "--destination", "dist", "--mtime", "1700000000"], tmp_path)
    assert refused.value.location is not None
    assert refused.value.location.file.endswith(path)
    assert not (tmp_path / "dist").exists()


def actions_env(tmp_path: Path) -> dict[str, str]:
    return {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "s")}


def test_index_refuses_a_package_helm_cannot_load(tmp_path: Path) -> None:
    broken = tmp_path / "demo-0.4.0.tgz"
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        for name, text in {
            "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.4.0\n",
            "demo/values.yaml": "- not a map\n",
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text.encode()))
    broken.write_bytes(tar.getvalue())

    with pytest.raises(ReleaseActionsError, match=r"Helm cannot load demo-0\.4\.0\.tgz: values"):
        index_relative(tmp_path, broken.name)
    assert not (tmp_path / "index.yaml").exists()
