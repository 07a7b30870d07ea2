"""The release's publish targets, signing and bring-your-own packages, end to end: a real bare
origin, the fake GitHub through PyGithub, a real OCI registry, real gpg; Helm pulls and verifies."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from release_actions.chart.registry.manifest import PROVENANCE_MEDIA_TYPE
from release_actions.chart.release.config import Signing, parse_publish
from release_actions.cli import main
from release_actions.errors import UsageError
from support.fake_github import FakeGitHub
from support.git_repos import GitProject, git
from support.oci_registry import RegistryServer
from support.signing_keys import PASSPHRASE, SIGNER, Keyrings

from .test_release_flow import Bench, chart_files, commit_charts

ALL_TARGETS = frozenset({"github-release", "pages-index", "oci"})


@pytest.fixture
def bench(git_project: GitProject, fake_github: FakeGitHub) -> Bench:
    return Bench(git_project, fake_github)


def oci(registry: RegistryServer, **changes: object) -> dict[str, object]:
    """A release to every target, the registry over plain HTTP (it is on loopback)."""
    return {
        "publish": ALL_TARGETS,
        "oci_registry": registry.oci("charts"),
        "registry_plain_http": True,
        **changes,
    }


def pushed(run_outputs: dict[str, str]) -> list[dict[str, str]]:
    value: list[dict[str, str]] = json.loads(run_outputs["pushed"])
    return value


def test_publish_parses_any_non_empty_subset_and_keeps_todays_default() -> None:
    assert parse_publish([], oci_registry="", packages_with_index=False) == {
        "github-release",
        "pages-index",
    }
    assert parse_publish([], oci_registry="oci://r/c", packages_with_index=False) == {
        "github-release",
        "pages-index",
        "oci",
    }
    assert parse_publish(["oci"], oci_registry="oci://r/c", packages_with_index=False) == {"oci"}
    assert parse_publish(
        ["pages-index, oci"], oci_registry="oci://r/c", packages_with_index=True
    ) == {"pages-index", "oci"}
    with pytest.raises(UsageError, match="'pages' is not a target"):
        parse_publish(["pages"], oci_registry="", packages_with_index=False)
    with pytest.raises(UsageError, match="oci needs oci-registry"):
        parse_publish(["oci"], oci_registry="", packages_with_index=False)
    with pytest.raises(UsageError, match="must start with oci://"):
        parse_publish(["oci"], oci_registry="ghcr.io/o", packages_with_index=False)
    with pytest.raises(UsageError, match="needs packages-with-index"):
        parse_publish(["pages-index"], oci_registry="", packages_with_index=False)


def test_a_release_with_oci_pushes_what_it_releases_and_helm_pulls_the_same_bytes(
    bench: Bench, oci_registry: RegistryServer, tmp_path: Path
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0+build.1"))
    run = bench.release(**oci(oci_registry))
    assert run.exit_code == 0, run.log
    (released,) = run.released
    (chart,) = pushed(run.outputs)
    manifest = oci_registry.manifest("charts/web", "1.0.0_build.1")
    assert chart == {
        "name": "web",
        "version": "1.0.0+build.1",
        "reference": f"oci://{oci_registry.host}/charts/web:1.0.0_build.1@{chart['digest']}",
        "repository": f"{oci_registry.host}/charts/web",
        "digest": manifest.headers["Docker-Content-Digest"],
    }
    assert f"`{chart['reference']}`" in run.log  # the summary lists it

    helm = pytest.importorskip("helm_python")
    pulled = tmp_path / "pulled"
    pulled.mkdir()
    helm.pull(
        f"oci://{oci_registry.host}/charts/web",
        version="1.0.0+build.1",
        destination=pulled,
        plain_http=True,
    )
    data = (pulled / "web-1.0.0+build.1.tgz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == released["digest"]

    again = bench.release(**oci(oci_registry))
    assert again.exit_code == 0, again.log
    assert pushed(again.outputs) == [chart]
    assert "(already pushed)" in again.log


def test_oci_alone_makes_no_release_and_no_index_commit(
    bench: Bench, oci_registry: RegistryServer
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    run = bench.release(**oci(oci_registry, publish=frozenset({"oci"})))
    assert run.exit_code == 0, run.log
    assert run.released == []
    assert bench.release_creations() == []
    assert bench.project.origin_sha("refs/heads/gh-pages") is None
    (chart,) = pushed(run.outputs)
    assert chart["name"] == "web"


def test_adding_oci_later_pushes_versions_the_index_already_lists(
    bench: Bench, oci_registry: RegistryServer
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    assert bench.release().exit_code == 0
    pages = bench.project.origin_sha("refs/heads/gh-pages")
    run = bench.release(**oci(oci_registry))
    assert run.exit_code == 0, run.log
    assert [chart["version"] for chart in pushed(run.outputs)] == ["1.0.0"]
    assert bench.project.origin_sha("refs/heads/gh-pages") == pages
    assert len(bench.release_creations()) == 1


def test_a_tag_with_other_bytes_fails_the_push_naming_both_digests_and_pushes_nothing(
    bench: Bench, oci_registry: RegistryServer, tmp_path: Path
) -> None:
    from release_actions.chart.registry import RegistryClient, parse_registry, push_packages
    from support.chart_packages import make_package

    # Someone pushed another "web 1.0.0" first.
    other = make_package(
        tmp_path, "apiVersion: v2\nname: web\nversion: 1.0.0\ndescription: not ours\n"
    )
    with RegistryClient(oci_registry.host, plain_http=True) as client:
        [theirs] = push_packages(client, parse_registry(oci_registry.oci("charts")), [other])
    commit_charts(
        bench.project.work,
        chart_files("charts/api", "api", "2.0.0"),
        chart_files("charts/web", "web", "1.0.0"),
    )
    run = bench.release(**oci(oci_registry))
    assert run.exit_code == 1
    assert theirs.digest in run.log
    assert "charts/web:1.0.0 already holds" in run.log
    assert pushed(run.outputs) == []
    assert oci_registry.manifest("charts/api", "2.0.0").status_code == 404


def test_signed_release_uploads_commits_and_pushes_the_prov_and_helm_verifies_it(
    bench: Bench, oci_registry: RegistryServer, keyrings: Keyrings, tmp_path: Path
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    signing = Signing(key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    run = bench.release(**oci(oci_registry, signing=signing, packages_with_index=True))
    assert run.exit_code == 0, run.log
    assert PASSPHRASE not in run.log
    release = bench.fake.release("web-1.0.0")
    assert release is not None
    assets = {asset.name: asset.data for asset in release.assets}
    assert set(assets) == {"web-1.0.0.tgz", "web-1.0.0.tgz.prov"}
    assert (
        bench.project.origin_file("gh-pages", "web-1.0.0.tgz.prov") == assets["web-1.0.0.tgz.prov"]
    )
    manifest = json.loads(oci_registry.manifest("charts/web", "1.0.0").content)
    assert PROVENANCE_MEDIA_TYPE in {layer["mediaType"] for layer in manifest["layers"]}

    helm = pytest.importorskip("helm_python")
    (tmp_path / "web-1.0.0.tgz").write_bytes(assets["web-1.0.0.tgz"])
    (tmp_path / "web-1.0.0.tgz.prov").write_bytes(assets["web-1.0.0.tgz.prov"])
    verified = helm.chart.verify(str(tmp_path / "web-1.0.0.tgz"), str(keyrings.public))
    assert verified["signed_by"] == [SIGNER]

    # A re-run signs anew (signatures differ each time) yet changes nothing published.
    again = bench.release(**oci(oci_registry, signing=signing, packages_with_index=True))
    assert again.exit_code == 0, again.log
    assert "(already pushed)" in again.log
    assert {asset.name: asset.data for asset in release.assets} == assets

    # The index lost (say its push never landed): the re-run reuses the release and its .prov.
    git(bench.project.origin, "branch", "-D", "gh-pages")
    redo = bench.release(**oci(oci_registry, signing=signing))
    assert redo.exit_code == 0, redo.log
    assert [r["version"] for r in redo.released] == ["1.0.0"]
    assert {asset.name: asset.data for asset in release.assets} == assets
    assert bench.index() == {"web": {"1.0.0"}}


def test_a_wrong_passphrase_stops_the_run_before_anything_is_published(
    bench: Bench, oci_registry: RegistryServer, keyrings: Keyrings
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    signing = Signing(key=SIGNER, keyring=keyrings.secret, passphrase="not it")
    run = bench.release(**oci(oci_registry, signing=signing))
    assert run.exit_code == 1
    assert run.error is not None
    assert run.error.message == f"wrong passphrase for the key '{SIGNER}'"
    assert bench.release_creations() == []
    assert bench.project.origin_sha("refs/heads/gh-pages") is None
    assert oci_registry.manifest("charts/web", "1.0.0").status_code == 404


def test_the_signing_key_input_is_an_armoured_key_written_only_for_the_signing(
    bench: Bench, keyrings: Keyrings
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    armoured = keyrings.plain_secret_armoured.read_text()
    run = bench.release(signing=Signing(key_material=armoured))
    assert run.exit_code == 0, run.log
    release = bench.fake.release("web-1.0.0")
    assert release is not None
    assert {asset.name for asset in release.assets} == {"web-1.0.0.tgz", "web-1.0.0.tgz.prov"}


# -- bring-your-own packages ----------------------------------------------------------------


def helm_package(directory: Path, files: dict[str, str], out: Path) -> Path:
    """A package built by Helm itself, as a user's own `helm package` step would."""
    helm = pytest.importorskip("helm_python")
    for name, text in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    chart_dir = directory / next(iter(files)).rsplit("/", 1)[0]
    return Path(helm.chart.package(str(chart_dir), destination=str(out)))


def test_packages_dir_releases_helm_built_packages_byte_for_byte(
    bench: Bench, oci_registry: RegistryServer, tmp_path: Path
) -> None:
    work = bench.project.work.path
    (work / "dist").mkdir()
    package = helm_package(tmp_path / "src", chart_files("web", "web", "3.1.0"), work / "dist")
    run = bench.release(**oci(oci_registry, packages_dir="dist"))
    assert run.exit_code == 0, run.log
    (released,) = run.released
    assert released["digest"] == hashlib.sha256(package.read_bytes()).hexdigest()
    release = bench.fake.release("web-3.1.0")
    assert release is not None
    assert [asset.data for asset in release.assets] == [package.read_bytes()]
    assert bench.index() == {"web": {"3.1.0"}}
    (chart,) = pushed(run.outputs)
    assert chart["version"] == "3.1.0"


def test_packages_dir_refuses_a_file_that_is_not_a_package_by_name(
    bench: Bench, tmp_path: Path
) -> None:
    work = bench.project.work.path
    (work / "dist").mkdir()
    helm_package(tmp_path / "src", chart_files("web", "web", "3.1.0"), work / "dist")
    (work / "dist" / "notes.txt").write_text("hello\n")
    run = bench.release(packages_dir="dist")
    assert run.exit_code == 1
    assert run.error is not None
    assert run.error.message.startswith("notes.txt: not a chart package")
    assert bench.release_creations() == []

    (work / "dist" / "notes.txt").unlink()
    (work / "dist" / "broken.tgz").write_bytes(b"not gzip")
    run = bench.release(packages_dir="dist")
    assert run.exit_code == 1
    assert run.error is not None
    assert run.error.message.startswith("broken.tgz: not a chart package")
    assert bench.release_creations() == []


def test_packages_dir_checks_each_package_as_a_chart(bench: Bench, tmp_path: Path) -> None:
    work = bench.project.work.path
    (work / "dist").mkdir()
    files = chart_files("web", "web", "3.1.0")
    files["web/Chart.yaml"] = files["web/Chart.yaml"].replace(
        'appVersion: "3.1.0"', 'appVersion: "9.9.9"'
    )
    helm_package(tmp_path / "src", files, work / "dist")
    run = bench.release(packages_dir="dist", app_version_policy="equal")
    assert run.exit_code == 1
    assert "appVersion" in run.log
    assert bench.release_creations() == []


def test_packages_dir_outside_the_repository_is_refused(bench: Bench, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    helm_package(tmp_path / "src", chart_files("web", "web", "3.1.0"), outside)
    work = bench.project.work.path
    (work / "dist").symlink_to(outside)
    run = bench.release(packages_dir="dist")
    assert run.exit_code == 1
    assert run.error is not None
    assert "outside the repository" in run.error.message
    shutil.rmtree(outside)


def test_packages_dir_publishes_a_matching_prov_and_refuses_one_that_does_not_match(
    bench: Bench, keyrings: Keyrings, tmp_path: Path
) -> None:
    from release_actions.chart.provenance import sign_package

    work = bench.project.work.path
    (work / "dist").mkdir()
    package = helm_package(tmp_path / "src", chart_files("web", "web", "3.1.0"), work / "dist")
    other = helm_package(tmp_path / "src2", chart_files("web", "web", "3.2.0"), tmp_path)
    sign_package(other, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    shutil.copyfile(other.with_name(other.name + ".prov"), work / "dist" / (package.name + ".prov"))
    run = bench.release(packages_dir="dist")
    assert run.exit_code == 1
    assert run.error is not None
    assert run.error.message.startswith("web-3.1.0.tgz.prov: ")
    assert "names no package 'web-3.1.0.tgz'" in run.error.message
    assert bench.release_creations() == []

    sign_package(package, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    run = bench.release(packages_dir="dist")
    assert run.exit_code == 0, run.log
    release = bench.fake.release("web-3.1.0")
    assert release is not None
    prov = (work / "dist" / (package.name + ".prov")).read_bytes()
    assert {asset.name: asset.data for asset in release.assets}[package.name + ".prov"] == prov


def test_a_dry_run_names_the_references_it_would_push_and_asks_nobody(
    bench: Bench, oci_registry: RegistryServer
) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0+b.2"))
    run = bench.release(**oci(oci_registry, dry_run=True))
    assert run.exit_code == 0, run.log
    assert f"would push `oci://{oci_registry.host}/charts/web:1.0.0_b.2`" in run.log
    assert oci_registry.manifest("charts/web", "1.0.0_b.2").status_code == 404
    assert bench.fake.requests == []


def test_chart_release_takes_the_targets_as_flags(
    bench: Bench, oci_registry: RegistryServer
) -> None:

    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    stream = io.StringIO()
    argv = ["chart", "release", "--dry-run", "--publish", "oci"]
    argv += ["--oci-registry", oci_registry.oci("charts")]
    code = main(argv, environ={}, stream=stream, cwd=bench.project.work.path)
    assert code == 0, stream.getvalue()
    assert f"would push `oci://{oci_registry.host}/charts/web:1.0.0`" in stream.getvalue()
    stream = io.StringIO()
    code = main(
        ["chart", "release", "--dry-run", "--key", "someone"],
        environ={},
        stream=stream,
        cwd=bench.project.work.path,
    )
    assert code == 2
    assert "go with --sign" in stream.getvalue()


def test_without_pages_index_the_index_is_not_the_plan(bench: Bench) -> None:
    commit_charts(bench.project.work, chart_files("charts/web", "web", "1.0.0"))
    assert bench.release().exit_code == 0
    bench.fake.releases.clear()  # the release was deleted by hand; the index still lists it
    run = bench.release(publish=frozenset({"github-release"}))
    assert run.exit_code == 0, run.log
    assert [r["version"] for r in run.released] == ["1.0.0"]
    assert bench.fake.release("web-1.0.0") is not None
