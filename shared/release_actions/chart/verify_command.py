"""``release-actions chart verify``: a package against its ``.prov``, as ``helm verify``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..context import Context
from .package_command import DEFAULT_KEYRING
from .provenance import verify_package


def register(subcommands: argparse._SubParsersAction[Any]) -> None:
    verify = subcommands.add_parser(
        "verify",
        help="check a chart package against its .prov (signature and sha256), as helm verify",
    )
    verify.add_argument("package", metavar="PACKAGE", type=Path)
    verify.add_argument(
        "--keyring",
        metavar="FILE",
        type=Path,
        default=DEFAULT_KEYRING,
        help="public keyring of the keys to trust (default: ~/.gnupg/pubring.gpg, as Helm)",
    )
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace, context: Context) -> int:
    package = context.cwd / args.package
    verification = verify_package(package, keyring=context.cwd / args.keyring.expanduser())
    context.runner.info(f"Signed by: {verification.signed_by}")
    context.runner.info(f"Using Key With Fingerprint: {verification.fingerprint}")
    context.runner.info(f"Chart Hash Verified: {verification.digest}")
    return 0
