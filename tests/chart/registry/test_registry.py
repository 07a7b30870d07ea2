"""The OCI registry client: pure parts on plain data, pushes against a real registry, Helm as
the oracle (it pulls what we pushed, and its own push of the same file gives our digest)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from release_actions.chart.package import read_chart_archive
from release_actions.chart.registry import (
    Credentials,
    RegistryClient,
    RegistryError,
    chart_artifact,
    load_artifact,
    parse_registry,
    plan_push,
    push_packages,
)
from release_actions.chart.registry.client import parse_challenge
from release_actions.chart.registry.manifest import oci_annotations
from release_actions.chart.registry.reference import _valid_component, helm_tag
from release_actions.chart.repo.entry import loaded_metadata
from release_actions.errors import UsageError
from support.chart_packages import CHART_YAML, PACKAGED_AT, make_package
from support.oci_registry import PASSWORD, USERNAME, RegistryServer

# -- pure parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "host", "path"),
    [
        ("oci://ghcr.io/owner/charts", "ghcr.io", "owner/charts"),
        ("oci://127.0.0.1:5000/a/b-c/d__e/", "127.0.0.1:5000", "a/b-c/d__e"),
        ("oci://registry.example.com", "registry.example.com", ""),
        ("oci://[::1]:5000/charts", "[::1]:5000", "charts"),
    ],
)
def test_registry_references_parse(text: str, host: str, path: str) -> None:
    location = parse_registry(text)
    assert (location.host, location.path) == (host, path)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("https://ghcr.io/owner", "must start with oci://"),
        ("ghcr.io/owner", "must start with oci://"),
        ("oci:///charts", "is not a host"),
        ("oci://ghcr.io/Owner/charts", "'Owner' is not a repository component"),
        ("oci://ghcr.io/owner/charts:1.0.0", "give the repository path only"),
        ("oci://ghcr.io/owner/charts@sha256:abc", "give the repository path only"),
        ("oci://ghcr.io/a..b", "'a..b' is not a repository component"),
        ("oci://ghcr.io/a//b", "'' is not a repository component"),
        ("oci://ghcr.io/-a", "'-a' is not a repository component"),
        ("oci://ghcr.io/a___b", "'a___b' is not a repository component"),
        ("oci://ghcr.io/" + "a" * 256, "longer than 255"),
    ],
)
def test_malformed_registry_references_are_refused(text: str, says: str) -> None:
    with pytest.raises(UsageError, match="registry .*" + says.replace("(", r"\(")):
        parse_registry(text)


def test_the_component_check_walks_separator_runs_without_backtracking() -> None:
    assert parse_registry("oci://h/" + "a-" * 100 + "a").path.endswith("-a")
    # A nested-quantifier pattern backtracks for ages on this; the runs are checked one by one.
    assert not _valid_component("a" + "._a" * 100_000 + "..")
    assert _valid_component("a" + "--a" * 100_000)


@pytest.mark.parametrize(
    ("text", "loopback"),
    [
        ("oci://127.0.0.1:5000/c", True),
        ("oci://127.0.0.1/c", True),
        ("oci://localhost:5000/c", True),
        ("oci://[::1]:5000/c", True),
        ("oci://127.evil.example/c", False),
        ("oci://ghcr.io/o", False),
    ],
)
def test_only_a_loopback_registry_gets_plain_http_by_default(text: str, loopback: bool) -> None:
    assert parse_registry(text).loopback is loopback


def test_helm_writes_plus_as_underscore_in_the_tag() -> None:
    assert helm_tag("1.2.3+build.7") == "1.2.3_build.7"
    reference = parse_registry("oci://ghcr.io/o/charts").chart("demo", "1.2.3+build.7")
    assert str(reference) == "oci://ghcr.io/o/charts/demo:1.2.3_build.7"
    assert reference.pinned("sha256:ab") == "oci://ghcr.io/o/charts/demo:1.2.3_build.7@sha256:ab"


def test_a_chart_name_that_is_no_repository_component_is_refused() -> None:
    with pytest.raises(UsageError, match="chart 'My_Chart' cannot be pushed"):
        parse_registry("oci://ghcr.io/o").chart("My_Chart", "1.0.0")


def test_bearer_challenges_keep_commas_inside_quotes() -> None:
    challenge = parse_challenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/c:pull,push"'
    )
    assert challenge.scheme == "bearer"
    assert challenge.params == {
        "realm": "https://ghcr.io/token",
        "service": "ghcr.io",
        "scope": "repository:o/c:pull,push",
    }
    assert parse_challenge('Basic realm="basic-realm"').params == {"realm": "basic-realm"}


def test_oci_annotations_follow_helms_rules() -> None:
    metadata = {
        "name": "demo",
        "version": "1.0.0",
        "description": "  ",
        "home": "https://h",
        "sources": ["https://s1", "https://s2"],
        "maintainers": [{"name": "A", "email": "a@x"}, {"name": "B"}, {"email": "c@x"}],
        "annotations": {"org.opencontainers.image.version": "9", "x": ""},
    }
    assert oci_annotations(metadata, datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=UTC)) == {
        "org.opencontainers.image.authors": "A (a@x), B,  (c@x)",
        "org.opencontainers.image.created": "2024-01-02T03:04:05Z",
        "org.opencontainers.image.source": "https://s1",
        "org.opencontainers.image.title": "demo",
        "org.opencontainers.image.url": "https://h",
        "org.opencontainers.image.version": "1.0.0",
        "x": "",
    }


def test_the_plan_pushes_to_a_free_tag_and_leaves_a_held_one(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    artifact = load_artifact(package)
    archive = read_chart_archive(package)
    metadata = loaded_metadata(archive.metadata, requirements=archive.requirements)
    reference = parse_registry("oci://r/charts").chart(artifact.name, artifact.version)
    assert plan_push(artifact, reference, None).status == "push"
    same = plan_push(artifact, reference, artifact.manifest)
    assert (same.status, same.digest) == ("already pushed", artifact.digest)
    # Helm's own push of the same file at another mtime: same layers, other annotations.
    # (CHART_YAML's own created annotation overrides the mtime, as in Helm.)
    other_time = artifact.manifest.replace(b"2000-01-01T00:00:00Z", b"2024-06-01T00:00:00Z")
    assert other_time != artifact.manifest
    helm_pushed = plan_push(artifact, reference, other_time)
    assert helm_pushed.status == "already pushed"
    assert helm_pushed.digest == "sha256:" + hashlib.sha256(other_time).hexdigest()
    other_bytes = artifact.manifest.replace(artifact.chart.digest.encode(), b"sha256:" + b"0" * 64)
    assert plan_push(artifact, reference, other_bytes).status == "conflict"
    assert plan_push(artifact, reference, b"not json").status == "conflict"
    # Signed twice, the same package has two .prov files: the chart is the same.
    signed = chart_artifact(
        artifact.chart.data, metadata, created=PACKAGED_AT, provenance=b"signature one"
    )
    resigned = chart_artifact(
        artifact.chart.data, metadata, created=PACKAGED_AT, provenance=b"signature two"
    )
    assert signed.digest != resigned.digest
    assert plan_push(resigned, reference, signed.manifest).status == "already pushed"


# -- against a real registry ----------------------------------------------------------------


def test_push_then_helm_pulls_the_same_bytes_and_a_rerun_changes_nothing(
    tmp_path: Path, oci_registry: RegistryServer
) -> None:
    package = make_package(tmp_path)
    location = parse_registry(oci_registry.oci("charts"))
    with RegistryClient(oci_registry.host, plain_http=True) as client:
        [outcome] = push_packages(client, location, [package])
        assert outcome.pushed
        assert outcome.pinned == (
            f"oci://{oci_registry.host}/charts/demo:1.2.3_build.7@{outcome.digest}"
        )
        stored = oci_registry.manifest("charts/demo", "1.2.3_build.7")
        assert stored.headers["Docker-Content-Digest"] == outcome.digest
        [again] = push_packages(client, location, [package])
    assert (again.pushed, again.digest) == (False, outcome.digest)

    helm = pytest.importorskip("helm_python")
    pulled = tmp_path / "pulled"
    pulled.mkdir()
    helm.pull(
        f"oci://{oci_registry.host}/charts/demo",
        version="1.2.3+build.7",
        destination=pulled,
        plain_http=True,
    )
    assert (pulled / package.name).read_bytes() == package.read_bytes()
    client_of_helm = helm.RegistryClient(plain_http=True, credentials_file=tmp_path / "creds.json")
    with client_of_helm:
        resolved = client_of_helm.resolve(f"oci://{oci_registry.host}/charts/demo:1.2.3_build.7")
    assert resolved["digest"] == outcome.digest


def test_helms_own_push_of_the_same_file_gives_our_manifest_byte_for_byte(
    tmp_path: Path, oci_registry: RegistryServer
) -> None:
    helm = pytest.importorskip("helm_python")
    package = make_package(tmp_path)
    ours = load_artifact(package)
    helm.push(package, oci_registry.oci("by-helm"), plain_http=True)
    theirs = oci_registry.manifest("by-helm/demo", "1.2.3_build.7")
    assert theirs.content == ours.manifest
    assert theirs.headers["Docker-Content-Digest"] == ours.digest
    config = json.loads(ours.manifest)["config"]["digest"]
    with oci_registry.client() as client:
        assert client.get(f"/v2/by-helm/demo/blobs/{config}").content == ours.config.data


def test_a_tag_with_other_bytes_is_refused_naming_both_digests_and_nothing_is_pushed(
    tmp_path: Path, oci_registry: RegistryServer
) -> None:
    first = make_package(tmp_path / "first")
    location = parse_registry(oci_registry.oci("charts"))
    with RegistryClient(oci_registry.host, plain_http=True) as client:
        [published] = push_packages(client, location, [first])
        other = make_package(tmp_path / "other", values="a: 2\n")
        fresh = make_package(
            tmp_path / "fresh", CHART_YAML.replace("name: demo", "name: fresh"), values="b: 1\n"
        )
        theirs = load_artifact(other).digest
        with pytest.raises(RegistryError) as refused:
            push_packages(client, location, [fresh, other])
    assert published.digest in refused.value.message
    assert theirs in refused.value.message
    assert "demo:1.2.3_build.7" in refused.value.message
    assert oci_registry.manifest("charts/fresh", "1.2.3_build.7").status_code == 404
    assert (
        oci_registry.manifest("charts/demo", "1.2.3_build.7").headers["Docker-Content-Digest"]
        == published.digest
    )


def test_basic_auth_pushes_with_the_password_and_refuses_a_wrong_one(
    tmp_path: Path, oci_registry_basic: RegistryServer
) -> None:
    package = make_package(tmp_path)
    location = parse_registry(oci_registry_basic.oci())
    good = Credentials(USERNAME, PASSWORD)
    with RegistryClient(oci_registry_basic.host, credentials=good, plain_http=True) as client:
        [outcome] = push_packages(client, location, [package])
    assert outcome.pushed
    bad = Credentials(USERNAME, "wrong")
    with (
        RegistryClient(oci_registry_basic.host, credentials=bad, plain_http=True) as client,
        pytest.raises(RegistryError, match=f"refused the credentials of '{USERNAME}'") as error,
    ):
        push_packages(client, location, [package])
    assert "wrong" not in error.value.message
    assert "wrong" not in repr(bad)
    with (
        RegistryClient(oci_registry_basic.host, plain_http=True) as client,
        pytest.raises(RegistryError, match="wants credentials"),
    ):
        push_packages(client, location, [package])


def test_bearer_auth_fetches_a_token_on_the_challenge(
    tmp_path: Path, oci_registry_token: RegistryServer
) -> None:
    package = make_package(tmp_path)
    location = parse_registry(oci_registry_token.oci("team/charts"))
    good = Credentials(USERNAME, PASSWORD)
    with RegistryClient(oci_registry_token.host, credentials=good, plain_http=True) as client:
        [outcome] = push_packages(client, location, [package])
    assert outcome.pushed
    assert oci_registry_token.token_requests == ["repository:team/charts/demo:pull,push"]
    stored = oci_registry_token.manifest("team/charts/demo", "1.2.3_build.7")
    assert stored.headers["Docker-Content-Digest"] == outcome.digest
    bad = Credentials(USERNAME, "wrong")
    with (
        RegistryClient(oci_registry_token.host, credentials=bad, plain_http=True) as client,
        pytest.raises(RegistryError, match="refused the credentials"),
    ):
        push_packages(client, location, [package])


def test_an_unreachable_registry_is_one_clear_error(tmp_path: Path) -> None:
    from support.oci_registry import free_port

    package = make_package(tmp_path)
    host = f"127.0.0.1:{free_port()}"
    with (
        RegistryClient(host, plain_http=True) as client,
        pytest.raises(RegistryError, match=f"cannot reach registry {host}"),
    ):
        push_packages(client, parse_registry(f"oci://{host}/charts"), [package])
