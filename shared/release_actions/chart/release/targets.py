"""The release's extra steps: signing the packages, and the ``oci`` publish target.

Both follow the release's rule. Signing happens before anything is published, so a key that
cannot sign stops the run with nothing made. The registry push plans every chart before it
uploads anything: a tag holding other bytes stops the push of every chart; a tag holding this
chart already is left alone, so a re-run completes what a failed one left undone.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError
from ...fsutil import write_atomically
from ...runner import Runner
from ..package import PackagedChart, SuppliedPackage, read_chart_archive
from ..provenance import (
    ProvenanceError,
    check_sums,
    clearsigned_text,
    provenance_path,
    sign_package,
    signed_sums,
)
from ..registry import Credentials, RegistryClient, parse_registry, push_packages
from ..repo.entry import loaded_metadata
from .config import ReleaseConfig, Signing


@dataclass(frozen=True)
class PushedChart:
    """A chart version in the registry: pushed by this run, or found there already."""

    name: str
    version: str
    reference: str  # oci://HOST/PATH/NAME:TAG@sha256:…
    repository: str  # HOST/PATH/NAME, the subject name attestations want
    digest: str
    pushed: bool

    def as_output(self) -> dict[str, str]:
        return {
            "name": self.name,
            "version": self.version,
            "reference": self.reference,
            "repository": self.repository,
            "digest": self.digest,
        }


def supplied_package(supplied: SuppliedPackage, workdir: Path) -> PackagedChart:
    """A package built elsewhere, copied into ``workdir`` (with its ``.prov``), as the release
    flow's packaged chart. Its ``.prov``, if any, must at least name this file and digest."""
    metadata = loaded_metadata(
        read_chart_archive(supplied.path).metadata, requirements=None, source=str(supplied.path)
    )
    target = workdir / supplied.path.name
    data = supplied.path.read_bytes()
    write_atomically(target, data)
    if supplied.provenance is not None:
        text = supplied.provenance.read_text(encoding="utf-8")
        try:
            check_sums(signed_sums(clearsigned_text(text)), supplied.path.name, data)
        except ProvenanceError as exc:
            raise ProvenanceError(
                f"{supplied.provenance.name}: {exc.message}", location=exc.location
            ) from None
        write_atomically(provenance_path(target), text)
    return PackagedChart(
        path=target,
        name=str(metadata["name"]),
        version=str(metadata["version"]),
        digest=hashlib.sha256(data).hexdigest(),
    )


def sign_packages(
    signing: Signing, packages: Sequence[PackagedChart], *, root: Path, workdir: Path
) -> None:
    """Write each package's ``.prov`` beside it; the key and passphrase never leave memory
    except as a 0600 keyring file in ``workdir`` (the action's key) and gpg's pipe."""
    keyring = signing.keyring
    if signing.key_material:
        keyring = workdir / "signing-key.asc"
        descriptor = os.open(keyring, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(signing.key_material)
    elif keyring is not None and not keyring.is_absolute():
        keyring = root / keyring
    if keyring is None:
        raise UsageError("signing needs a keyring or the signing-key input")
    passphrase = signing.passphrase
    if signing.passphrase_file is not None:
        source = signing.passphrase_file
        source = source if source.is_absolute() else root / source
        try:
            with source.open(encoding="utf-8") as handle:
                passphrase = handle.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--passphrase-file: cannot read {source}: {exc}") from None
    try:
        for package in packages:
            sign_package(package.path, key=signing.key, keyring=keyring, passphrase=passphrase)
    finally:
        if signing.key_material:
            keyring.unlink(missing_ok=True)


def push_to_registry(
    config: ReleaseConfig, packages: Sequence[PackagedChart], runner: Runner
) -> list[PushedChart]:
    """Push every package (and its ``.prov``) under ``config.oci_registry``."""
    location = parse_registry(config.oci_registry)
    credentials = None
    if config.registry_username and config.registry_password:
        credentials = Credentials(config.registry_username, config.registry_password)
        runner.mask(config.registry_password)
    with RegistryClient(
        location.host,
        credentials=credentials,
        plain_http=config.registry_plain_http or location.loopback,
    ) as client:
        outcomes = push_packages(client, location, [package.path for package in packages])
    pushed = []
    for package, outcome in zip(packages, outcomes, strict=True):
        reference = outcome.reference
        pushed.append(
            PushedChart(
                name=package.name,
                version=reference.version,
                reference=outcome.pinned,
                repository=f"{reference.host}/{reference.repository}",
                digest=outcome.digest,
                pushed=outcome.pushed,
            )
        )
    return pushed


def would_push(config: ReleaseConfig, charts: Sequence[tuple[str, str]]) -> list[str]:
    """The references a push would make (a dry run does not ask the registry)."""
    location = parse_registry(config.oci_registry)
    return [str(location.chart(name, version)) for name, version in charts]


def host_provenance(packages: Mapping[str, PackagedChart]) -> list[Path]:
    """The ``.prov`` files that sit beside the packages."""
    return [
        provenance_path(package.path)
        for package in packages.values()
        if provenance_path(package.path).is_file()
    ]
