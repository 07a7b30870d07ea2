"""Provenance files with the real gpg, Helm (its Go SDK) as the oracle: it verifies what we
sign, signs the same message, and we verify what it signs."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.provenance import (
    ProvenanceError,
    provenance_path,
    sign_package,
    verify_package,
)
from release_actions.chart.provenance import gnupg as gnupg_module
from release_actions.chart.provenance.message import (
    SecretKey,
    choose_key,
    parse_secret_keys,
    signed_sums,
)
from release_actions.chart.registry import (
    RegistryClient,
    load_artifact,
    parse_registry,
    push_packages,
)
from release_actions.cli import main
from support.chart_packages import make_package
from support.oci_registry import RegistryServer
from support.signing_keys import (
    ENCRYPT_ONLY,
    PASSPHRASE,
    PLAIN_SIGNER,
    SIGNER,
    Keyrings,
)


def signed_text(prov: str) -> str:
    """The clear-signed text as it stands in the file (dash-escaped)."""
    return prov.split("\n\n", 1)[1].split("-----BEGIN PGP SIGNATURE-----")[0]


# -- pure parts -----------------------------------------------------------------------------


def test_key_names_match_as_helm_matches_them() -> None:
    keys = [
        SecretKey("A", ("Ann",), True),
        SecretKey("B", ("Ann <ann@y>",), True),
        SecretKey("C", ("Bob <bob@x>",), True),
    ]
    assert choose_key(keys, "Ann", "ring").fingerprint == "A"  # exact, though B contains it
    assert choose_key(keys, "bob@x", "ring").fingerprint == "C"
    with pytest.raises(ProvenanceError, match="more than one key in the keyring ring"):
        choose_key(keys, "nn", "ring")
    with pytest.raises(ProvenanceError, match="no secret key for 'Eve'"):
        choose_key(keys, "Eve", "ring")


def test_gpg_key_listings_parse() -> None:
    listing = (
        "sec:u:255:22:E71F:1796511140:::u:::scSC:::+:::ed25519::0:\n"
        "fpr:::::::::D074F1A0:\n"
        "grp:::::::::5DB7:\n"
        "uid:u::::1796511140::2EE5::Chart Signer <s@x>::::::::::0:\n"
        "uid:u::::1796511140::2EE6::Two\\x3a Colons <t@x>::::::::::0:\n"
        "ssb:u:255:18:AB::::::e:::+:::cv25519:\n"
        "fpr:::::::::SUBKEY:\n"
        "sec:u:3072:1:99:1796511140:::u:::ceE:::+:::::0:\n"
        "fpr:::::::::FFFF:\n"
        "uid:u::::1796511140::AA::Crypt <c@x>::::::::::0:\n"
    )
    assert parse_secret_keys(listing) == [
        SecretKey("D074F1A0", ("Chart Signer <s@x>", "Two: Colons <t@x>"), True),
        SecretKey("FFFF", ("Crypt <c@x>",), False),
    ]


def test_the_files_block_is_what_verification_reads() -> None:
    text = "name: demo\n\n...\nfiles:\n  demo-1.0.0.tgz: sha256:ab\n"
    assert signed_sums(text) == {"demo-1.0.0.tgz": "sha256:ab"}
    with pytest.raises(ProvenanceError, match=r"no '\.\.\.' line"):
        signed_sums("files:\n  a: b\n")


# -- signing and verifying with gpg, Helm as the oracle ----------------------------------------


def test_helm_verifies_what_we_sign_and_our_message_is_helms(
    tmp_path: Path, keyrings: Keyrings
) -> None:
    package = make_package(tmp_path / "ours")
    prov = sign_package(package, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    assert prov == provenance_path(package)
    ours = prov.read_text(encoding="utf-8")
    assert ours.startswith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n")
    verification = verify_package(package, keyring=keyrings.public)
    assert verification.signed_by == SIGNER
    assert verification.file_name == package.name

    helm = pytest.importorskip("helm_python")
    assert helm.chart.verify(str(package), str(keyrings.public)) == {
        "file_hash": verification.digest,
        "file_name": package.name,
        "signed_by": [SIGNER],
    }
    # Helm signing the same file writes the same message (the signatures differ, of course).
    theirs_dir = tmp_path / "theirs"
    theirs_dir.mkdir()
    theirs_package = theirs_dir / package.name
    shutil.copyfile(package, theirs_package)
    theirs = Path(
        helm.chart.sign(
            str(theirs_package),
            key=SIGNER,
            keyring=str(keyrings.secret),
            passphrase_file=str(keyrings.passphrase_file),
        )
    )
    assert signed_text(ours) == signed_text(theirs.read_text(encoding="utf-8"))
    assert verify_package(theirs_package, keyring=keyrings.public).signed_by == SIGNER


def test_an_unprotected_key_signs_without_a_passphrase(tmp_path: Path, keyrings: Keyrings) -> None:
    package = make_package(tmp_path)
    sign_package(package, key="plain@example.com", keyring=keyrings.secret)
    assert verify_package(package, keyring=keyrings.public).signed_by == PLAIN_SIGNER


@pytest.mark.parametrize(
    ("key", "passphrase", "says"),
    [
        (SIGNER, "wrong passphrase", f"wrong passphrase for the key '{SIGNER}'"),
        (SIGNER, None, "is protected by a passphrase"),
        (ENCRYPT_ONLY, None, f"the key '{ENCRYPT_ONLY}' in .* cannot sign"),
        ("Nobody", None, "no secret key for 'Nobody'"),
        ("example.com", None, "more than one key"),
    ],
)
def test_a_key_that_cannot_sign_is_one_error_and_nothing_is_written(
    tmp_path: Path, keyrings: Keyrings, key: str, passphrase: str | None, says: str
) -> None:
    package = make_package(tmp_path)
    with pytest.raises(ProvenanceError, match=says):
        sign_package(package, key=key, keyring=keyrings.secret, passphrase=passphrase)
    assert not provenance_path(package).exists()


def test_a_public_keyring_cannot_sign(tmp_path: Path, keyrings: Keyrings) -> None:
    package = make_package(tmp_path)
    with pytest.raises(ProvenanceError, match="no secret key for"):
        sign_package(package, key=SIGNER, keyring=keyrings.public, passphrase=PASSPHRASE)


def test_the_passphrase_never_reaches_a_command_line(
    tmp_path: Path, keyrings: Keyrings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    real_run = subprocess.run

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        seen.append(list(command))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(gnupg_module.subprocess, "run", spy)
    package = make_package(tmp_path)
    sign_package(package, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    assert seen
    assert not any(PASSPHRASE in argument for command in seen for argument in command)


def test_a_prov_that_does_not_match_its_package_is_refused(
    tmp_path: Path, keyrings: Keyrings
) -> None:
    package = make_package(tmp_path / "a")
    sign_package(package, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    other = make_package(tmp_path / "b", values="a: 2\n")
    shutil.copyfile(provenance_path(package), provenance_path(other))
    with pytest.raises(ProvenanceError, match="does not match its provenance file") as error:
        verify_package(other, keyring=keyrings.public)
    assert error.value.location is not None
    assert error.value.location.file.endswith(".prov")

    tampered = provenance_path(package).read_text().replace("name: demo", "name: evil")
    provenance_path(package).write_text(tampered)
    with pytest.raises(ProvenanceError, match="signature is BAD"):
        verify_package(package, keyring=keyrings.public)


def test_a_signer_outside_the_keyring_is_refused(tmp_path: Path, keyrings: Keyrings) -> None:
    package = make_package(tmp_path)
    sign_package(package, key="Stranger", keyring=keyrings.stranger_secret)
    with pytest.raises(ProvenanceError, match="not in the keyring"):
        verify_package(package, keyring=keyrings.public)
    helm = pytest.importorskip("helm_python")
    with pytest.raises(helm.HelmError):
        helm.chart.verify(str(package), str(keyrings.public))


# -- the commands ---------------------------------------------------------------------------


def test_chart_package_sign_and_chart_verify(
    tmp_path: Path, keyrings: Keyrings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_package(tmp_path)  # writes the chart under src/demo
    stream = io.StringIO()
    argv = ["chart", "package", "src/demo", "--destination", "dist", "--mtime", "1714564800"]
    argv += ["--sign", "--key", SIGNER, "--keyring", str(keyrings.secret)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    code = main([*argv, "--passphrase-file", "-"], environ={}, stream=stream, cwd=tmp_path)
    assert code == 0, stream.getvalue()
    package = tmp_path / "dist" / "demo-1.2.3+build.7.tgz"
    assert stream.getvalue().splitlines()[-1] == str(provenance_path(package))
    assert PASSPHRASE not in stream.getvalue()

    stream = io.StringIO()
    verify = ["chart", "verify", "dist/demo-1.2.3+build.7.tgz", "--keyring", str(keyrings.public)]
    assert main(verify, environ={}, stream=stream, cwd=tmp_path) == 0
    assert stream.getvalue().splitlines()[0] == f"Signed by: {SIGNER}"

    stream = io.StringIO()
    code = main(
        [*argv, "--passphrase-file", str(keyrings.passphrase_file) + ".missing"],
        environ={},
        stream=stream,
        cwd=tmp_path,
    )
    assert code == 2
    assert "--passphrase-file: cannot read" in stream.getvalue()


def test_chart_verify_of_a_package_without_prov_is_one_error(
    tmp_path: Path, keyrings: Keyrings
) -> None:
    package = make_package(tmp_path)
    stream = io.StringIO()
    code = main(
        ["chart", "verify", str(package), "--keyring", str(keyrings.public)],
        environ={},
        stream=stream,
        cwd=tmp_path,
    )
    assert code == 1
    assert stream.getvalue().startswith(f"error: {package}.prov: cannot read")


def test_the_prov_travels_as_helms_provenance_layer(
    tmp_path: Path, keyrings: Keyrings, oci_registry: RegistryServer
) -> None:
    helm = pytest.importorskip("helm_python")
    package = make_package(tmp_path)
    sign_package(package, key=SIGNER, keyring=keyrings.secret, passphrase=PASSPHRASE)
    ours = load_artifact(package)
    assert ours.provenance is not None
    with RegistryClient(oci_registry.host, plain_http=True) as client:
        [outcome] = push_packages(client, parse_registry(oci_registry.oci("ours")), [package])
    helm.push(package, oci_registry.oci("helms"), plain_http=True)
    theirs = oci_registry.manifest("helms/demo", "1.2.3_build.7")
    assert theirs.content == ours.manifest
    assert theirs.headers["Docker-Content-Digest"] == outcome.digest
    layers = json.loads(theirs.content)["layers"]
    assert {layer["mediaType"] for layer in layers} == {
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        "application/vnd.cncf.helm.chart.provenance.v1.prov",
    }
    assert [layer["digest"] for layer in layers] == sorted(layer["digest"] for layer in layers)
