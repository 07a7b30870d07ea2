"""action-chart-release under act with the newer targets (issues 12 and 13): a push to a real OCI
registry on 127.0.0.1, a signed release whose .prov Helm verifies, and an index commit made
through the Git Data API that the fake GitHub marks verified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.act import Act
from support.act_events import push
from support.fake_github import FakeGitHub
from support.git_repos import GitProject
from support.oci_registry import RegistryServer
from support.signing_keys import PASSPHRASE, SIGNER, Keyrings

from .workflows import example_files

CHART = ("hami", "2.10.0")


def chart_workflow(inputs: dict[str, str]) -> dict[str, Any]:
    """The README's release workflow shape: checkout, then our action with ``inputs``."""
    return {
        "name": "Release charts",
        "on": {"push": {"branches": ["main"]}},
        "permissions": {"contents": "write", "packages": "write"},
        "jobs": {
            "charts": {
                "runs-on": "ubuntu-latest",
                "steps": [
                    {"uses": "actions/checkout@v5", "with": {"fetch-depth": 0}},
                    {
                        "id": "chart",
                        "uses": "OWNER/release-actions/action-chart-release@v1",
                        "with": inputs,
                    },
                ],
            }
        },
    }


def registry_files(registry: RegistryServer) -> dict[str, int]:
    """Every file in the registry's storage, with its modification time."""
    return {
        str(path.relative_to(registry.storage)): path.stat().st_mtime_ns
        for path in registry.storage.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def hami(git_project: GitProject) -> GitProject:
    git_project.work.commit(example_files("hami-like"), "Add the hami chart")
    git_project.work.push()
    return git_project


def test_publish_oci_pushes_the_digest_it_names_and_a_rerun_pushes_nothing(
    act: Act, hami: GitProject, fake_github: FakeGitHub, oci_registry: RegistryServer
) -> None:
    work = hami.work
    workflow = chart_workflow({"publish": "oci", "oci-registry": oci_registry.oci("charts")})

    run = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    (pushed,) = json.loads(run.step("chart").outputs["pushed"])
    name, version = CHART
    assert (pushed["name"], pushed["version"]) == CHART
    manifest = oci_registry.manifest(f"charts/{name}", version)
    assert manifest.status_code == 200, manifest.text
    digest = manifest.headers["Docker-Content-Digest"]
    assert pushed["digest"] == digest
    assert pushed["reference"] == f"oci://{oci_registry.host}/charts/{name}:{version}@{digest}"
    assert fake_github.releases == []
    assert hami.origin_sha("refs/heads/gh-pages") is None
    stored = registry_files(oci_registry)

    again = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert again.returncode == 0, again.log
    # The registry rewrites a tag's link files on every manifest PUT: unchanged files, no push.
    assert registry_files(oci_registry) == stored
    assert json.loads(again.step("chart").outputs["pushed"]) == [pushed]
    assert "already pushed" in again.log
    assert fake_github.releases == []


def test_signed_release_uploads_a_prov_that_helm_verifies(
    act: Act, hami: GitProject, fake_github: FakeGitHub, keyrings: Keyrings, tmp_path: Path
) -> None:
    work = hami.work
    key = keyrings.signer_secret_armoured.read_text(encoding="utf-8")
    workflow = chart_workflow({"signing-key": key, "signing-passphrase": PASSPHRASE})

    run = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    release = fake_github.release("hami-2.10.0")
    assert release is not None
    assets = {asset.name: asset.data for asset in release.assets}
    assert set(assets) == {"hami-2.10.0.tgz", "hami-2.10.0.tgz.prov"}
    assert PASSPHRASE not in run.log.replace(f"::add-mask::{PASSPHRASE}", "")
    package = tmp_path / "hami-2.10.0.tgz"
    package.write_bytes(assets["hami-2.10.0.tgz"])
    package.with_name("hami-2.10.0.tgz.prov").write_bytes(assets["hami-2.10.0.tgz.prov"])
    import helm_python  # the dev dependency: Helm itself as the oracle, never skipped

    assert helm_python.chart.verify(str(package), str(keyrings.public))["signed_by"] == [SIGNER]


def test_commit_method_api_leaves_a_verified_commit_on_the_pages_branch(
    act: Act, hami: GitProject, fake_github: FakeGitHub
) -> None:
    work = hami.work
    fake_github.attach_origin(hami.origin)
    workflow = chart_workflow({"commit-method": "api"})

    run = act.run(workflow, "push", push(fake_github, work), work.path, github=fake_github)

    assert run.returncode == 0, run.log
    assert run.step("chart").outputs["index-updated"] == "true"
    tip = hami.origin_sha("refs/heads/gh-pages")
    assert tip is not None
    assert fake_github.commit_verified(tip)
    index = hami.origin_file("gh-pages", "index.yaml")
    assert index is not None and b"hami-2.10.0.tgz" in index
    assert fake_github.requests_to("POST", r".*/git/commits$")
