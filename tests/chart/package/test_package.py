"""Reproducible packaging: same files and time, same bytes; Helm's ignore rules; dependencies."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from release_actions.chart.loader.chart_file import load_chart
from release_actions.chart.loader.helmignore import BadPattern, HelmIgnore, go_glob_regex
from release_actions.chart.package.archive import (
    build_archive,
    missing_dependencies,
    package_chart,
    read_chart_archive,
)
from release_actions.errors import ReleaseActionsError
from support.git_repos import git, write_files

COMMIT_TIME = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)

CHART_YAML = """\
apiVersion: v2
name: demo
description: A demo chart
version: 1.2.3
appVersion: "1.10"
"""


def make_chart(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    write_files(
        root,
        {
            "Chart.yaml": CHART_YAML,
            "values.yaml": "replicas: 1\n",
            "templates/deployment.yaml": "kind: Deployment\n",
            "templates/_helpers.tpl": '{{- define "demo.name" -}}demo{{- end }}\n',
            "README.md": "# demo\n",
            **(extra or {}),
        },
    )
    return root


def members(archive: Path | bytes) -> list[tarfile.TarInfo]:
    data = archive.read_bytes() if isinstance(archive, Path) else archive
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()


def names(archive: Path | bytes) -> list[str]:
    return [member.name for member in members(archive)]


def test_two_packagings_of_the_same_chart_are_byte_identical(tmp_path: Path) -> None:
    chart = load_chart(make_chart(tmp_path / "demo"))
    first = package_chart(chart, tmp_path / "one", mtime=COMMIT_TIME, helm_binary=None)
    second = package_chart(chart, tmp_path / "two", mtime=COMMIT_TIME, helm_binary=None)

    assert first.path == tmp_path / "one" / "demo-1.2.3.tgz"
    assert (first.name, first.version) == ("demo", "1.2.3")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.digest == second.digest == hashlib.sha256(first.path.read_bytes()).hexdigest()


def test_file_times_modes_and_creation_order_on_disk_do_not_change_the_bytes(
    tmp_path: Path,
) -> None:
    files: dict[str, str | bytes] = {
        "Chart.yaml": CHART_YAML,
        "values.yaml": "replicas: 1\n",
        "templates/a.yaml": "a: 1\n",
        "templates/b.yaml": "b: 1\n",
        "files/z.txt": "z\n",
    }
    one = tmp_path / "one" / "demo"
    write_files(one, files)
    two = tmp_path / "two" / "demo"
    write_files(two, dict(reversed(files.items())))  # created in the other order
    for number, path in enumerate(sorted(two.rglob("*"))):
        os.utime(path, (1_000_000 + number * 7919, 1_000_000 + number * 7919))
    (two / "values.yaml").chmod(0o600)
    (two / "templates" / "a.yaml").chmod(0o664)

    first = build_archive(one, "demo", mtime=COMMIT_TIME)
    second = build_archive(two, "demo", mtime=COMMIT_TIME)

    assert first == second


def test_the_archive_time_is_the_given_time_and_nothing_else(tmp_path: Path) -> None:
    directory = make_chart(tmp_path / "demo")
    earlier = build_archive(directory, "demo", mtime=COMMIT_TIME)
    later = build_archive(directory, "demo", mtime=datetime(2025, 1, 1, tzinfo=UTC))

    assert earlier != later
    assert {member.mtime for member in members(earlier)} == {int(COMMIT_TIME.timestamp())}


def test_the_archive_is_laid_out_as_helm_expects(tmp_path: Path) -> None:
    directory = make_chart(tmp_path / "checkout-dir-name", {"bin/run.sh": "#!/bin/sh\n"})
    (directory / "bin" / "run.sh").chmod(0o755)
    chart = load_chart(directory)
    packaged = package_chart(chart, tmp_path / "out", mtime=COMMIT_TIME, helm_binary=None)

    entries = members(packaged.path)
    assert entries[0].name == "demo/Chart.yaml"  # Chart.yaml first, under the chart's name
    assert [entry.name for entry in entries] == [
        "demo/Chart.yaml",
        "demo/README.md",
        "demo/bin/run.sh",
        "demo/templates/_helpers.tpl",
        "demo/templates/deployment.yaml",
        "demo/values.yaml",
    ]
    assert all(entry.isfile() for entry in entries)  # no directory entries, as Helm
    assert {(entry.uid, entry.gid, entry.uname, entry.gname) for entry in entries} == {
        (0, 0, "", "")
    }
    modes = {entry.name: entry.mode for entry in entries}
    assert modes["demo/bin/run.sh"] == 0o755
    assert modes["demo/values.yaml"] == 0o644

    raw = packaged.path.read_bytes()
    assert raw[:3] == b"\x1f\x8b\x08"
    assert raw[3] == 0  # no FNAME (or any other) header field
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime 0
    with gzip.open(packaged.path) as stream:
        assert stream.read(512)[:15] == b"demo/Chart.yaml"


def test_the_package_is_written_atomically_and_replaces_an_old_one(tmp_path: Path) -> None:
    chart = load_chart(make_chart(tmp_path / "demo"))
    destination = tmp_path / "out"
    destination.mkdir()
    (destination / "demo-1.2.3.tgz").write_bytes(b"stale")

    packaged = package_chart(chart, destination, mtime=COMMIT_TIME, helm_binary=None)

    assert sorted(path.name for path in destination.iterdir()) == ["demo-1.2.3.tgz"]
    assert packaged.path.read_bytes() != b"stale"


def test_helmignore_is_honoured(tmp_path: Path) -> None:
    directory = make_chart(
        tmp_path / "demo",
        {
            ".helmignore": "# comment\n*.bak\nsecrets/\n/root-only.txt\ndocs/*.md\n.vscode/\n",
            "notes.bak": "x",
            "templates/old.yaml.bak": "x",
            "secrets/key.pem": "x",
            "root-only.txt": "x",
            "files/root-only.txt": "kept: not at the root",
            "docs/guide.md": "x",
            "docs/img/diagram.md": "kept: * stops at /",
            ".vscode/settings.json": "{}",
            "templates/.hidden.yaml": "dotfiles in templates/ are Helm's default ignore",
            ".git/config": "never packaged",
            "charts/sub/.git": "gitdir: elsewhere",
        },
    )

    assert names(build_archive(directory, "demo", mtime=COMMIT_TIME)) == [
        "demo/Chart.yaml",
        "demo/.helmignore",
        "demo/README.md",
        "demo/docs/img/diagram.md",
        "demo/files/root-only.txt",
        "demo/templates/_helpers.tpl",
        "demo/templates/deployment.yaml",
        "demo/values.yaml",
    ]


def test_a_bad_helmignore_rule_is_reported_on_its_line(tmp_path: Path) -> None:
    directory = make_chart(tmp_path / "demo", {".helmignore": "*.bak\nfoo/**/bar\n"})

    with pytest.raises(ReleaseActionsError, match=r"double-star") as error:
        build_archive(directory, "demo", mtime=COMMIT_TIME)

    assert error.value.location is not None
    assert error.value.location.line == 2


def test_ignoring_chart_yaml_is_an_error(tmp_path: Path) -> None:
    directory = make_chart(tmp_path / "demo", {".helmignore": "Chart.yaml\n"})

    with pytest.raises(ReleaseActionsError, match=r"Chart\.yaml is missing"):
        build_archive(directory, "demo", mtime=COMMIT_TIME)


# Helm's own table (pkg/ignore/rules_test.go TestIgnore): pattern, path, is a directory, ignored.
HELM_IGNORE_CASES = [
    ("helm.txt", "helm.txt", False, True),
    ("helm.*", "helm.txt", False, True),
    ("helm.*", "rudder.txt", False, False),
    ("*.txt", "tiller.txt", False, True),
    ("*.txt", "cargo/a.txt", False, True),
    ("cargo/*.txt", "cargo/a.txt", False, True),
    ("cargo/*.*", "cargo/a.txt", False, True),
    ("cargo/*.txt", "mast/a.txt", False, False),
    ("ru[c-e]?er.txt", "rudder.txt", False, True),
    ("templates/.?*", "templates/.dotfile", False, True),
    (".*", ".", True, False),
    (".*", "./", True, False),
    (".*", ".joonix", True, True),
    (".*", "helm.txt", False, False),
    (".*", "", True, False),
    ("cargo/", "cargo", True, True),
    ("cargo/", "mast", True, False),
    ("helm.txt/", "helm.txt", False, False),
    ("!helm.txt", "helm.txt", False, False),
    ("!helm.txt", "tiller.txt", False, True),
    ("!*.txt", "cargo", True, True),
    ("!cargo/", "mast", True, True),
    ("/a.txt", "a.txt", False, True),
    ("/a.txt", "cargo/a.txt", False, False),
    ("/cargo/a.txt", "cargo/a.txt", False, True),
]


@pytest.mark.parametrize(("pattern", "path", "is_dir", "ignored"), HELM_IGNORE_CASES)
def test_helmignore_rules_match_helms_own_table(
    pattern: str, path: str, is_dir: bool, ignored: bool
) -> None:
    assert HelmIgnore.parse(pattern).ignores(path, is_dir=is_dir) is ignored


def test_a_negated_rule_ignores_what_it_does_not_match_as_helm_does() -> None:
    rules = HelmIgnore.parse("*.txt\n!keep.yaml\n")

    assert rules.ignores("a.txt", is_dir=False)  # the first rule decides
    assert not rules.ignores("keep.yaml", is_dir=False)
    assert rules.ignores("values.yaml", is_dir=False)  # not matched by the negation: ignored


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("[^a]x", "bx", True),
        ("[^a]x", "ax", False),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("[a-c]", "b", True),
        ("[z-a]", "m", False),
        ("*", "a/b", False),
        ("?", "/", False),
    ],
)
def test_go_glob_semantics(pattern: str, name: str, matches: bool) -> None:
    import re

    assert (re.fullmatch(go_glob_regex(pattern), name) is not None) is matches


@pytest.mark.parametrize("pattern", ["[z-", "[]a]", "[a-]", "abc\\", "[^"])
def test_go_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(BadPattern):
        go_glob_regex(pattern)


def test_symlinks_are_followed_and_broken_ones_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet")  # links inside the work tree are followed, as Helm does
    outside = tmp_path / "shared.yaml"
    outside.write_text("shared: true\n", encoding="utf-8")
    directory = make_chart(tmp_path / "demo")
    (directory / "files").mkdir()
    (directory / "files" / "shared.yaml").symlink_to(outside)

    archive = build_archive(directory, "demo", mtime=COMMIT_TIME)
    entry = next(member for member in members(archive) if member.name == "demo/files/shared.yaml")
    assert entry.isfile()
    assert entry.size == len("shared: true\n")

    (directory / "files" / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ReleaseActionsError, match="broken symbolic link"):
        build_archive(directory, "demo", mtime=COMMIT_TIME)
    (directory / ".helmignore").write_text("dangling\n", encoding="utf-8")
    assert "demo/files/dangling" not in names(build_archive(directory, "demo", mtime=COMMIT_TIME))


DEPENDENT_CHART = """\
apiVersion: v2
name: app
version: 0.3.0
dependencies:
- name: redis
  version: 17.0.1
  repository: https://charts.example.com
- name: common
  version: ">=2.0.0"
  repository: https://charts.example.com
- name: local
  version: 0.1.0
  repository: file://../local
"""


def test_vendored_charts_are_included_and_satisfy_the_dependencies(tmp_path: Path) -> None:
    sub_archive = build_archive(
        make_chart(
            tmp_path / "redis-src", {"Chart.yaml": "apiVersion: v2\nname: redis\nversion: 17.0.1\n"}
        ),
        "redis",
        mtime=COMMIT_TIME,
    )
    directory = tmp_path / "app"
    write_files(
        directory,
        {
            "Chart.yaml": DEPENDENT_CHART,
            "charts/redis-17.0.1.tgz": sub_archive,
            "charts/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 2.4.0\n",
            "charts/common/templates/_names.tpl": "{{/* names */}}\n",
            "charts/local/Chart.yaml": "apiVersion: v2\nname: local\nversion: 0.1.0\n",
        },
    )
    chart = load_chart(directory)

    assert missing_dependencies(chart) == []
    packaged = package_chart(chart, tmp_path / "out", mtime=COMMIT_TIME, helm_binary=None)
    assert names(packaged.path) == [
        "app/Chart.yaml",
        "app/charts/common/Chart.yaml",
        "app/charts/common/templates/_names.tpl",
        "app/charts/local/Chart.yaml",
        "app/charts/redis-17.0.1.tgz",
    ]


def test_missing_dependencies_without_helm_are_an_error_naming_each(tmp_path: Path) -> None:
    directory = tmp_path / "app"
    write_files(
        directory,
        {
            "Chart.yaml": DEPENDENT_CHART,
            "charts/local/Chart.yaml": "apiVersion: v2\nname: local\nversion: 0.1.0\n",
            # the wrong version of redis is not the one Chart.yaml wants
            "charts/redis-16.0.0.tgz": build_archive(
                make_chart(
                    tmp_path / "r", {"Chart.yaml": "apiVersion: v2\nname: redis\nversion: 16.0.0\n"}
                ),
                "redis",
                mtime=COMMIT_TIME,
            ),
        },
    )
    chart = load_chart(directory)

    with pytest.raises(ReleaseActionsError) as error:
        package_chart(chart, tmp_path / "out", mtime=COMMIT_TIME, helm_binary=None)

    message = str(error.value.message)
    assert "redis 17.0.1 from https://charts.example.com" in message
    assert "common >=2.0.0" in message
    assert "local" not in message
    assert error.value.location is not None
    assert error.value.location.line == 5  # the first missing dependency's "- name:" line
    assert not (tmp_path / "out").exists()


def test_a_lock_pins_the_version_a_vendored_archive_must_have(tmp_path: Path) -> None:
    directory = tmp_path / "app"
    write_files(
        directory,
        {
            "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
            "- name: common\n  version: ^2.0.0\n  repository: https://x\n",
            "Chart.lock": "dependencies:\n- name: common\n  repository: https://x\n"
            "  version: 2.1.0\ndigest: sha256:0\ngenerated: '2024-01-01T00:00:00Z'\n",
            "charts/common-2.0.0.tgz": b"not even an archive",
        },
    )
    chart = load_chart(directory)
    assert [str(item) for item in missing_dependencies(chart)] == ["common 2.1.0 from https://x"]

    (directory / "charts" / "common-2.0.0.tgz").rename(directory / "charts" / "common-2.1.0.tgz")
    assert missing_dependencies(chart) == []


def fake_helm(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "bin" / "helm"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "helm-calls"}\n{body}\n')
    script.chmod(0o755)
    return script


def test_helm_dependency_build_fetches_missing_dependencies(tmp_path: Path) -> None:
    directory = tmp_path / "app"
    write_files(
        directory,
        {
            "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
            "- name: redis\n  version: 17.0.1\n  repository: https://x\n"
        },
    )
    redis = build_archive(
        make_chart(
            tmp_path / "redis", {"Chart.yaml": "apiVersion: v2\nname: redis\nversion: 17.0.1\n"}
        ),
        "redis",
        mtime=COMMIT_TIME,
    )
    (tmp_path / "redis-17.0.1.tgz").write_bytes(redis)
    helm = fake_helm(
        tmp_path, f'mkdir -p "$3/charts" && cp {tmp_path / "redis-17.0.1.tgz"} "$3/charts/"'
    )

    packaged = package_chart(
        load_chart(directory), tmp_path / "out", mtime=COMMIT_TIME, helm_binary=str(helm)
    )

    assert (tmp_path / "helm-calls").read_text() == f"dependency build {directory}\n"
    assert "app/charts/redis-17.0.1.tgz" in names(packaged.path)


def test_a_failing_helm_dependency_build_is_reported(tmp_path: Path) -> None:
    directory = tmp_path / "app"
    write_files(
        directory,
        {
            "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
            "- name: redis\n  version: 17.0.1\n  repository: https://x\n"
        },
    )
    helm = fake_helm(tmp_path, 'echo "Error: no repository definition for https://x" >&2; exit 1')

    with pytest.raises(ReleaseActionsError, match="no repository definition for https://x"):
        package_chart(
            load_chart(directory), tmp_path / "out", mtime=COMMIT_TIME, helm_binary=str(helm)
        )


def test_helm_is_not_run_when_nothing_is_missing(tmp_path: Path) -> None:
    helm = fake_helm(tmp_path, "exit 1")
    chart = load_chart(make_chart(tmp_path / "demo"))

    package_chart(chart, tmp_path / "out", mtime=COMMIT_TIME, helm_binary=str(helm))

    assert not (tmp_path / "helm-calls").exists()


def test_requirements_yaml_declares_a_v1_charts_dependencies(tmp_path: Path) -> None:
    directory = tmp_path / "legacy"
    write_files(
        directory,
        {
            "Chart.yaml": "apiVersion: v1\nname: legacy\nversion: 1.0.0\n",
            "requirements.yaml": "dependencies:\n- name: mysql\n  version: 1.0.0\n"
            "  repository: https://x\n",
        },
    )

    assert [item.name for item in missing_dependencies(load_chart(directory))] == ["mysql"]


def test_read_chart_archive_reads_chart_yaml_as_helm_types_it(tmp_path: Path) -> None:
    directory = make_chart(
        tmp_path / "demo",
        {"Chart.yaml": CHART_YAML + "keywords: [y, on, '1.0']\n", "requirements.yaml": "x: 1\n"},
    )
    path = tmp_path / "demo.tgz"
    path.write_bytes(build_archive(directory, "demo", mtime=COMMIT_TIME))

    archive = read_chart_archive(path)

    assert archive.metadata["appVersion"] == "1.10"
    assert archive.metadata["keywords"] == [True, True, "1.0"]
    assert archive.requirements == b"x: 1\n"


def test_a_file_that_is_not_a_chart_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tgz"
    path.write_bytes(b"plain text")

    with pytest.raises(ReleaseActionsError, match="cannot read chart archive"):
        read_chart_archive(path)
