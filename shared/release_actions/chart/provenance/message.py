"""Helm's provenance message (pkg/provenance), on plain data.

The signed text is ``yaml.Marshal(chart.Metadata)``, the YAML document-end marker ``...`` (a
``---`` line would clash with the clearsign armour), then ``files:`` mapping the package's file
name to ``sha256:<hex>``. ``helm verify`` reads only the ``files:`` part, after checking the
signature.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import ReleaseActionsError
from ..loader import dump_go, load_go

_SEPARATOR = "\n...\n"


class ProvenanceError(ReleaseActionsError):
    """A key that cannot sign, a wrong passphrase, or a ``.prov`` that does not match."""


def provenance_message(metadata: Mapping[str, Any], file_name: str, package: bytes) -> str:
    """The text Helm clear-signs for ``package`` named ``file_name``."""
    digest = "sha256:" + hashlib.sha256(package).hexdigest()
    return dump_go(dict(metadata)) + _SEPARATOR + dump_go({"files": {file_name: digest}})


def signed_sums(text: str) -> dict[str, str]:
    """The ``files:`` of a verified message: file name → ``sha256:<hex>``."""
    parts = text.split(_SEPARATOR)
    if len(parts) < 2:
        raise ProvenanceError("the provenance message has no '...' line before its files")
    try:
        sums = load_go(parts[1])
    except Exception as exc:  # yaml.YAMLError and the constructors' ValueError
        raise ProvenanceError(f"the provenance files block is not YAML: {exc}") from None
    files = sums.get("files") if isinstance(sums, dict) else None
    if not isinstance(files, dict):
        raise ProvenanceError("the provenance message names no files")
    return {str(name): str(digest) for name, digest in files.items()}


def clearsigned_text(prov: str) -> str:
    """The text of a clear-signed message with its dash-escaping undone; the signature is NOT
    checked (that takes a keyring): for telling whether a ``.prov`` names a package at all."""
    header, _, rest = prov.partition("\n\n")
    if not header.startswith("-----BEGIN PGP SIGNED MESSAGE-----"):
        raise ProvenanceError("not a clear-signed message")
    text, found, _ = rest.partition("\n-----BEGIN PGP SIGNATURE-----")
    if not found:
        raise ProvenanceError("the clear-signed message has no signature")
    return "\n".join(line.removeprefix("- ") for line in text.split("\n"))


def check_sums(sums: Mapping[str, str], file_name: str, package: bytes) -> str:
    """The package's ``sha256:<hex>``, if the signed sums name it with that digest."""
    digest = "sha256:" + hashlib.sha256(package).hexdigest()
    if file_name not in sums:
        raise ProvenanceError(f"the provenance file names no package {file_name!r}")
    if sums[file_name] != digest:
        raise ProvenanceError(
            f"{file_name} does not match its provenance file: signed {sums[file_name]}, "
            f"the package is {digest}"
        )
    return digest


@dataclass(frozen=True)
class SecretKey:
    """A key in a keyring, as ``gpg --with-colons`` lists it."""

    fingerprint: str
    user_ids: tuple[str, ...]
    can_sign: bool


def choose_key(keys: Sequence[SecretKey], name: str, keyring: str) -> SecretKey:
    """Helm's ``--key`` rule: a user ID equal to ``name`` wins; else the one key whose user ID
    contains it; two such keys are ambiguous."""
    for key in keys:
        if name in key.user_ids:
            return key
    candidates = [key for key in keys if any(name in uid for uid in key.user_ids)]
    if not candidates:
        raise ProvenanceError(f"no secret key for {name!r} in the keyring {keyring}")
    if len(candidates) > 1:
        raise ProvenanceError(f"more than one key in the keyring {keyring} contains {name!r}")
    return candidates[0]


def parse_secret_keys(colons: str) -> list[SecretKey]:
    """``gpg --with-colons --list-secret-keys`` → the primary keys with their user IDs."""
    keys: list[SecretKey] = []
    fingerprint = ""
    user_ids: list[str] = []
    can_sign = False
    awaiting_fingerprint = False
    for line in colons.splitlines():
        fields = line.split(":")
        record = fields[0]
        if record == "sec":
            if fingerprint:
                keys.append(SecretKey(fingerprint, tuple(user_ids), can_sign))
            fingerprint, user_ids, awaiting_fingerprint = "", [], True
            # Field 12 holds the key's usable capabilities; "S" means it can sign now.
            can_sign = "S" in (fields[11] if len(fields) > 11 else "")
        elif record == "fpr" and awaiting_fingerprint:
            fingerprint, awaiting_fingerprint = fields[9], False
        elif record == "uid" and fingerprint:
            user_ids.append(_unescape_colons(fields[9]))
    if fingerprint:
        keys.append(SecretKey(fingerprint, tuple(user_ids), can_sign))
    return keys


def _unescape_colons(text: str) -> str:
    """gpg writes ``\\xNN`` for colons and other special bytes in user IDs."""
    out = bytearray()
    position = 0
    raw = text.encode("utf-8", "surrogateescape")
    while position < len(raw):
        if raw[position : position + 2] == b"\\x" and position + 4 <= len(raw):
            try:
                out.append(int(raw[position + 2 : position + 4], 16))
                position += 4
                continue
            except ValueError:
                pass
        out.append(raw[position])
        position += 1
    return out.decode("utf-8", "replace")
