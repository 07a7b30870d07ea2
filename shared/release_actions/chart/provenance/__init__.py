"""Helm provenance files: signing a chart package into its ``.prov`` and verifying one."""

from .files import Verification, provenance_path, sign_package, verify_package
from .message import ProvenanceError, provenance_message

__all__ = [
    "ProvenanceError",
    "Verification",
    "provenance_message",
    "provenance_path",
    "sign_package",
    "verify_package",
]
