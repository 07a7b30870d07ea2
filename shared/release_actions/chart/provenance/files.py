"""Signing a chart package into ``NAME-VERSION.tgz.prov``, and verifying one, as Helm does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import SourceLocation
from ...fsutil import write_atomically
from ..package import read_chart_archive
from ..repo.entry import loaded_metadata
from .gnupg import GnuPG
from .message import ProvenanceError, check_sums, choose_key, provenance_message, signed_sums


@dataclass(frozen=True)
class Verification:
    file_name: str
    digest: str  # sha256:<hex>
    signed_by: str
    fingerprint: str


def provenance_path(package: Path) -> Path:
    return package.with_name(package.name + ".prov")


def sign_package(package: Path, *, key: str, keyring: Path, passphrase: str | None = None) -> Path:
    """Write ``package.prov``: Helm's message for ``package``, clear-signed by the key of
    ``keyring`` (a secret keyring, as ``helm package --sign`` takes) that ``key`` names."""
    archive = read_chart_archive(package)
    metadata = loaded_metadata(
        archive.metadata, requirements=archive.requirements, source=str(package)
    )
    data = _read(package)
    message = provenance_message(metadata, package.name, data)
    with GnuPG() as gpg:
        gpg.import_keyring(keyring)
        chosen = choose_key(gpg.secret_keys(), key, str(keyring))
        if not chosen.can_sign:
            raise ProvenanceError(f"the key {key!r} in {keyring} cannot sign")
        # Helm's signed text ends in a newline; gpg drops the one before the armour line.
        signed = gpg.clearsign(message + "\n", chosen, passphrase)
    target = provenance_path(package)
    write_atomically(target, signed)
    return target


def verify_package(package: Path, *, keyring: Path, provenance: Path | None = None) -> Verification:
    """Check ``package`` against its ``.prov``: a good signature by a key of ``keyring``, over
    a message naming this file with this sha256."""
    provenance = provenance or provenance_path(package)
    data = _read(package)
    signed = _read(provenance)
    with GnuPG() as gpg:
        gpg.import_keyring(keyring)
        try:
            text, signer, fingerprint = gpg.verify(signed)
        except ProvenanceError as exc:
            raise ProvenanceError(
                f"{provenance.name}: {exc.message}", location=SourceLocation(str(provenance))
            ) from None
    try:
        digest = check_sums(signed_sums(text), package.name, data)
    except ProvenanceError as exc:
        raise ProvenanceError(exc.message, location=SourceLocation(str(provenance))) from None
    return Verification(
        file_name=package.name, digest=digest, signed_by=signer, fingerprint=fingerprint
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ProvenanceError(
            f"cannot read {path}: {exc.strerror}", location=SourceLocation(str(path))
        ) from None
