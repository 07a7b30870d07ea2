"""action-chart-release end to end with the new targets: the action.yml run as GitHub's runner
runs it, pushing to a real registry on 127.0.0.1 and signing with a key from a secret."""

from __future__ import annotations

import json

from support.action_runner import ActionRunner
from support.fake_github import FakeGitHub
from support.git_repos import GitProject
from support.oci_registry import RegistryServer
from support.signing_keys import PASSPHRASE, Keyrings

from .release.test_release_flow import chart_files
from .test_action_e2e import Repo, released


def test_a_signed_release_to_every_target_then_a_rerun_that_changes_nothing(
    git_project: GitProject,
    action_runner: ActionRunner,
    fake_github: FakeGitHub,
    oci_registry: RegistryServer,
    keyrings: Keyrings,
) -> None:
    key = keyrings.signer_secret_armoured.read_text()
    inputs: dict[str, str | bool] = {
        "oci-registry": oci_registry.oci("charts"),
        "signing-key": key,
        "signing-passphrase": PASSPHRASE,
    }
    repo = Repo(git_project, action_runner, fake_github, inputs)
    repo.work.commit(chart_files("charts/web", "web", "1.2.0"), "Add web")
    repo.work.push()

    first = repo.push_event()
    assert first.exit_code == 0, first.log
    (chart,) = json.loads(first.outputs["pushed"])
    digest = oci_registry.manifest("charts/web", "1.2.0").headers["Docker-Content-Digest"]
    assert chart["digest"] == digest
    assert chart["reference"] == f"oci://{oci_registry.host}/charts/web:1.2.0@{digest}"
    assert [r["version"] for r in released(first)] == ["1.2.0"]
    release = fake_github.release("web-1.2.0")
    assert release is not None
    assert {asset.name for asset in release.assets} == {"web-1.2.0.tgz", "web-1.2.0.tgz.prov"}
    assert repo.index() == {"web": {"1.2.0"}}
    # Secrets are masked and never printed.
    assert PASSPHRASE in first.masks
    body = [line for line in key.splitlines() if line and not line.startswith("-----")]
    printed = "\n".join([first.stdout, first.stderr, first.summary])
    for line in [PASSPHRASE, *body]:
        printed = printed.replace(f"::add-mask::{line}\n", "")
    assert PASSPHRASE not in printed
    assert not any(line in printed for line in body if len(line) > 8)

    again = repo.push_event()
    assert again.exit_code == 0, again.log
    assert json.loads(again.outputs["pushed"]) == [chart]
    assert again.outputs["released"] == "[]"
    assert "(already pushed)" in again.summary
    assert len(fake_github.releases) == 1


def test_publish_oci_alone(
    git_project: GitProject,
    action_runner: ActionRunner,
    fake_github: FakeGitHub,
    oci_registry: RegistryServer,
) -> None:
    inputs: dict[str, str | bool] = {"publish": "oci", "oci-registry": oci_registry.oci()}
    repo = Repo(git_project, action_runner, fake_github, inputs)
    repo.work.commit(chart_files("charts/web", "web", "1.2.0"), "Add web")
    repo.work.push()
    run = repo.push_event()
    assert run.exit_code == 0, run.log
    assert [chart["name"] for chart in json.loads(run.outputs["pushed"])] == ["web"]
    assert fake_github.releases == []
    assert repo.pages_sha() is None
