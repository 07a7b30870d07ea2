"""OpenPGP keyrings for the provenance tests, made once per session with the real gpg.

Helm takes keyring files (``gpg --export-secret-keys`` / ``gpg --export``), not a GnuPG home, so
these are exported files: a passphrase-protected signing key, an unprotected one, a second
signer the verifier does not trust, and a key that can only encrypt.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery"
SIGNER = "Chart Signer <signer@example.com>"
PLAIN_SIGNER = "Plain Signer <plain@example.com>"
STRANGER = "Stranger <stranger@example.com>"
ENCRYPT_ONLY = "Encrypt Only <crypt@example.com>"


@dataclass(frozen=True)
class Keyrings:
    secret: Path  # SIGNER (protected by PASSPHRASE), PLAIN_SIGNER (unprotected), ENCRYPT_ONLY
    public: Path  # SIGNER and PLAIN_SIGNER: the keys a verifier trusts
    stranger_secret: Path  # STRANGER alone, unprotected
    plain_secret_armoured: Path  # PLAIN_SIGNER alone, ASCII-armoured, as a secret input holds it
    signer_secret_armoured: Path  # SIGNER alone (protected by PASSPHRASE), ASCII-armoured
    passphrase_file: Path


def _generate(home: Path, parameters: str) -> None:
    subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--gen-key"],
        input=parameters,
        text=True,
        check=True,
        capture_output=True,
    )


def _key(name: str, *, passphrase: str | None = None, usage: str = "sign") -> str:
    real, email = name.removesuffix(">").split(" <")
    kind = (
        "Key-Type: RSA\nKey-Length: 2048\n"
        if usage == "encrypt"
        else ("Key-Type: eddsa\nKey-Curve: ed25519\n")
    )
    protection = f"Passphrase: {passphrase}\n" if passphrase else "%no-protection\n"
    return (
        f"{kind}Key-Usage: {usage}\nName-Real: {real}\nName-Email: {email}\n"
        f"Expire-Date: 0\n{protection}%commit\n"
    )


def _export(home: Path, what: str, names: list[str], target: Path) -> None:
    command = ["gpg", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback"]
    command += ["--passphrase", PASSPHRASE, what, *names]  # test keys only
    target.write_bytes(subprocess.run(command, check=True, capture_output=True).stdout)


@pytest.fixture(scope="session")
def keyrings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keyrings]:
    if shutil.which("gpg") is None:
        pytest.fail("gpg is missing: apt-get install -y gnupg (.ci/run does it)")
    out = tmp_path_factory.mktemp("keyrings")
    home = Path(tempfile.mkdtemp(prefix="ra-test-gpg-"))
    home.chmod(0o700)
    try:
        _generate(home, _key(SIGNER, passphrase=PASSPHRASE))
        _generate(home, _key(PLAIN_SIGNER))
        _generate(home, _key(STRANGER))
        _generate(home, _key(ENCRYPT_ONLY, usage="encrypt"))
        _export(home, "--export-secret-keys", [SIGNER, PLAIN_SIGNER, ENCRYPT_ONLY], out / "sec.gpg")
        _export(home, "--export", [SIGNER, PLAIN_SIGNER], out / "pub.gpg")
        _export(home, "--export-secret-keys", [STRANGER], out / "stranger.gpg")
        _export(home, "--export-secret-keys", ["--armor", PLAIN_SIGNER], out / "plain-secret.asc")
        _export(home, "--export-secret-keys", ["--armor", SIGNER], out / "signer-secret.asc")
        (out / "passphrase").write_text(PASSPHRASE + "\n", encoding="utf-8")
        yield Keyrings(
            secret=out / "sec.gpg",
            public=out / "pub.gpg",
            stranger_secret=out / "stranger.gpg",
            plain_secret_armoured=out / "plain-secret.asc",
            signer_secret_armoured=out / "signer-secret.asc",
            passphrase_file=out / "passphrase",
        )
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)
