"""The ``gpg`` binary in a throwaway home: the thin adapter behind signing and verifying.

Each use imports the given keyring into a fresh ``GNUPGHOME`` (mode 0700, removed afterwards,
its agent stopped), so the caller's own GnuPG setup is never read or changed. A passphrase
reaches gpg through a pipe (``--passphrase-fd``), never a command line, environment or file of
ours; gpg's output is read through ``--status-fd``, whose lines are stable across versions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from .message import ProvenanceError, SecretKey, parse_secret_keys

STATUS_PREFIX = "[GNUPG:] "
_GPG_ERR_BAD_PASSPHRASE = 11


class GnuPG:
    """``with GnuPG() as gpg:`` a private gpg home for one signing or verification."""

    def __init__(self, binary: str = "gpg") -> None:
        found = shutil.which(binary)
        if found is None:
            raise ProvenanceError(
                f"{binary} (GnuPG) is not installed; it signs and verifies provenance files"
            )
        self._gpg = found
        self._home: Path | None = None

    def __enter__(self) -> GnuPG:
        # Short, under /tmp: gpg-agent's socket path must fit in sun_path.
        self._home = Path(tempfile.mkdtemp(prefix="ra-gpg-"))
        self._home.chmod(0o700)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._home is None:
            return
        gpgconf = shutil.which("gpgconf", path=str(Path(self._gpg).parent)) or shutil.which(
            "gpgconf"
        )
        if gpgconf is not None:
            subprocess.run(
                [gpgconf, "--homedir", str(self._home), "--kill", "all"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self._home, ignore_errors=True)
        self._home = None

    @property
    def home(self) -> Path:
        if self._home is None:
            raise RuntimeError("GnuPG is used outside its with-block")
        return self._home

    def import_keyring(self, keyring: Path) -> None:
        try:
            keyring.read_bytes()
        except OSError as exc:
            raise ProvenanceError(f"cannot read the keyring {keyring}: {exc.strerror}") from None
        result = self._run(["--import", str(keyring)])
        if "IMPORT_OK" not in result.stdout and "IMPORTED" not in result.stdout:
            raise ProvenanceError(f"{keyring} holds no OpenPGP keys gpg can import")

    def secret_keys(self) -> list[SecretKey]:
        result = self._run(["--with-colons", "--list-secret-keys"], status=False)
        return parse_secret_keys(result.stdout)

    def clearsign(self, text: str, key: SecretKey, passphrase: str | None) -> str:
        """``text`` clear-signed with SHA-512 (Helm's hash) by ``key``."""
        output = self.home / "signed.asc"
        arguments = [
            "--pinentry-mode",
            "loopback",
            "--local-user",
            key.fingerprint + "!",  # this key exactly, not a subkey gpg might prefer
            "--digest-algo",
            "SHA512",
            "--output",
            str(output),
            "--clearsign",
        ]
        read_end, write_end = os.pipe()
        try:
            if passphrase is not None:
                arguments[:0] = ["--passphrase-fd", str(read_end)]
                os.write(write_end, passphrase.encode("utf-8") + b"\n")
            os.close(write_end)
            write_end = -1
            result = self._run(arguments, stdin=text, pass_fds=(read_end,), check=False)
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        if result.returncode != 0 or not output.is_file():
            raise ProvenanceError(_signing_failure(result, key, passphrase is not None))
        return output.read_text(encoding="utf-8")

    def verify(self, signed: bytes) -> tuple[str, str, str]:
        """The text a clear-signed message carries, and the user ID and primary key fingerprint
        that signed it, if the signature is good and made by a key of the imported keyring."""
        source = self.home / "message.asc"
        source.write_bytes(signed)
        output = self.home / "message.txt"
        result = self._run(
            ["--trust-model", "always", "--output", str(output), "--decrypt", str(source)],
            check=False,
        )
        statuses = _statuses(result.stdout)
        good = [line for line in statuses if line.startswith("GOODSIG ")]
        bad = [line for line in statuses if line.startswith(("BADSIG ", "ERRSIG ", "EXPSIG "))]
        valid = [line.split() for line in statuses if line.startswith("VALIDSIG ")]
        # The status lines decide, not the exit code: gpg 2.2 exits 2 after verifying an
        # Ed25519 signature Helm v4 wrote (go-crypto drops the armour's CRC line, and gpg then
        # trips over the tail) though it reports GOODSIG and VALIDSIG for it.
        if not good or not valid or bad or not output.is_file():
            raise ProvenanceError(_verification_failure(statuses))
        signer = good[0].split(" ", 2)[2] if good[0].count(" ") >= 2 else good[0]
        fingerprint = valid[0][-1]
        return output.read_text(encoding="utf-8"), signer, fingerprint

    def _run(
        self,
        arguments: list[str],
        *,
        stdin: str | None = None,
        pass_fds: tuple[int, ...] = (),
        status: bool = True,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        command = [self._gpg, "--homedir", str(self.home), "--batch", "--no-tty", "--yes"]
        if status:
            command += ["--status-fd", "1"]
        environment = {key: value for key, value in os.environ.items() if key != "GNUPGHOME"}
        environment["LC_ALL"] = "C"
        raw = subprocess.run(
            command + arguments,
            input=(stdin or "").encode("utf-8"),
            capture_output=True,
            pass_fds=pass_fds,
            env=environment,
            check=False,
        )
        # Status lines may carry binary notation data (Helm's go-crypto adds a salt notation).
        result = subprocess.CompletedProcess(
            raw.args,
            raw.returncode,
            raw.stdout.decode("utf-8", "replace"),
            raw.stderr.decode("utf-8", "replace"),
        )
        if check and result.returncode != 0:
            detail = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
            raise ProvenanceError(f"gpg failed: {detail[0]}")
        return result


def _statuses(stdout: str) -> list[str]:
    return [
        line[len(STATUS_PREFIX) :] for line in stdout.splitlines() if line.startswith(STATUS_PREFIX)
    ]


def _signing_failure(
    result: subprocess.CompletedProcess[str], key: SecretKey, had_passphrase: bool
) -> str:
    statuses = _statuses(result.stdout)
    who = key.user_ids[0] if key.user_ids else key.fingerprint
    if _failure_code(statuses) == _GPG_ERR_BAD_PASSPHRASE and had_passphrase:
        return f"wrong passphrase for the key {who!r}"
    if not had_passphrase and any(line.startswith("NEED_PASSPHRASE") for line in statuses):
        return f"the key {who!r} is protected by a passphrase: give its passphrase file"
    if any(line.startswith("INV_SGNR") for line in statuses):
        return f"the key {who!r} cannot sign (expired, revoked, or not a signing key)"
    last = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
    return f"gpg could not sign with the key {who!r}: {last[0]}"


def _failure_code(statuses: list[str]) -> int | None:
    """The gpg-error code of ``FAILURE <what> <code>`` (its low 16 bits; the rest names the
    component that failed)."""
    for line in statuses:
        fields = line.split()
        if fields[:1] == ["FAILURE"] and len(fields) >= 3 and fields[2].isdigit():
            return int(fields[2]) & 0xFFFF
    return None


def _verification_failure(statuses: list[str]) -> str:
    if any(line.startswith(("BADSIG ", "EXPSIG ")) for line in statuses):
        return "the provenance signature is BAD: the signed text was changed"
    if any(line.startswith("ERRSIG ") for line in statuses):
        return "the provenance file is signed by a key that is not in the keyring"
    if any(line.startswith("NODATA") for line in statuses):
        return "the provenance file holds no signed message"
    return "the provenance signature could not be verified"
