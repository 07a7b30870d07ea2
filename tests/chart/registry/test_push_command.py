"""``release-actions chart push`` through the CLI, against a real registry."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from release_actions.cli import main
from support.chart_packages import make_package
from support.oci_registry import PASSWORD, USERNAME, RegistryServer


def run(argv: list[str], cwd: Path, environ: dict[str, str] | None = None) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["chart", *argv], environ=environ or {}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


def test_push_prints_each_reference_with_its_digest_then_already_pushed(
    tmp_path: Path, oci_registry: RegistryServer
) -> None:
    package = make_package(tmp_path)
    argv = ["push", package.name, "--registry", oci_registry.oci("charts"), "--plain-http"]
    code, output = run(argv, tmp_path)
    assert code == 0, output
    digest = oci_registry.manifest("charts/demo", "1.2.3_build.7").headers["Docker-Content-Digest"]
    reference = f"oci://{oci_registry.host}/charts/demo:1.2.3_build.7@{digest}"
    assert output.splitlines() == [reference]
    code, output = run(argv, tmp_path)
    assert (code, output.splitlines()) == (0, [f"{reference} (already pushed)"])


def test_credentials_come_from_stdin_or_the_environment_and_never_show(
    tmp_path: Path, oci_registry_token: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = make_package(tmp_path)
    argv = ["push", str(package), "--registry", oci_registry_token.oci(), "--plain-http"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, output = run([*argv, "--username", USERNAME, "--password-stdin"], tmp_path)
    assert code == 0, output
    environ = {"REGISTRY_USERNAME": USERNAME, "REGISTRY_PASSWORD": PASSWORD}
    code, output = run(argv, tmp_path, environ)
    assert code == 0, output
    assert "(already pushed)" in output
    assert PASSWORD not in output
    code, output = run(argv, tmp_path, {**environ, "REGISTRY_PASSWORD": "wrong-one"})
    assert code == 1
    assert output.strip() == f"error: registry {oci_registry_token.host} refused the " + (
        f"credentials of '{USERNAME}'"
    )


@pytest.mark.parametrize(
    ("extra", "environ", "says"),
    [
        ([], {"REGISTRY_PASSWORD": "p"}, "a password needs a user name"),
        (["--username", "u"], {}, "user 'u' needs a password"),
    ],
)
def test_half_credentials_are_a_usage_error(
    tmp_path: Path, extra: list[str], environ: dict[str, str], says: str
) -> None:
    code, output = run(
        ["push", "x.tgz", "--registry", "oci://127.0.0.1:1/c", *extra], tmp_path, environ
    )
    assert code == 2
    assert says in output


def test_a_malformed_registry_is_one_error_before_anything_is_read(tmp_path: Path) -> None:
    code, output = run(["push", "missing.tgz", "--registry", "ghcr.io/owner"], tmp_path)
    assert code == 2
    assert output.strip() == (
        "error: registry 'ghcr.io/owner': must start with oci://, e.g. oci://ghcr.io/OWNER/charts"
    )


def test_a_file_that_is_no_chart_package_is_refused_by_name(
    tmp_path: Path, oci_registry: RegistryServer
) -> None:
    (tmp_path / "notes.tgz").write_bytes(b"not a tarball")
    code, output = run(
        ["push", "notes.tgz", "--registry", oci_registry.oci(), "--plain-http"], tmp_path
    )
    assert code == 1
    assert "notes.tgz" in output
    assert "cannot read chart archive" in output
