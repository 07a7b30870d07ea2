"""Helm provenance files: signing a chart package into its ``.prov`` and verifying one."""

from .files import Verification, provenance_path, sign_package, verify_package
from .message import (
    ProvenanceError,
    check_sums,
    clearsigned_text,
    provenance_message,
    signed_sums,
)

__all__ = [
    "ProvenanceError",
    "Verification",
    "check_sums",
    "clearsigned_text",
    "provenance_message",
    "provenance_path",
    "sign_package",
    "signed_sums",
    "verify_package",
]
