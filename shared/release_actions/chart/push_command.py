"""``release-actions chart push``: chart packages to an OCI registry, as ``helm push`` does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..context import Context
from ..errors import UsageError
from .registry import Credentials, RegistryClient, parse_registry, push_packages

USERNAME_VARIABLE = "REGISTRY_USERNAME"
PASSWORD_VARIABLE = "REGISTRY_PASSWORD"


def register(subcommands: argparse._SubParsersAction[Any]) -> None:
    push = subcommands.add_parser(
        "push",
        help="push chart packages to an OCI registry and print each oci://…@sha256: reference",
        description="Push each PACKAGE (with PACKAGE.prov, when present) as Helm's OCI "
        "artifact to REGISTRY/<chart name>:<version> (+ written _). A tag that already holds "
        "the same chart is left alone; one that holds other bytes is an error, and then "
        f"nothing is pushed. Credentials: --username with --password-stdin, or "
        f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}.",
    )
    push.add_argument("packages", metavar="PACKAGE", type=Path, nargs="+")
    push.add_argument(
        "--registry", metavar="oci://HOST[:PORT]/PATH", required=True, help="where charts go"
    )
    push.add_argument(
        "--plain-http",
        action="store_true",
        help="talk HTTP, not HTTPS (the default for localhost and 127.0.0.0/8, as docker)",
    )
    push.add_argument("--username", metavar="USER", help=f"default: ${USERNAME_VARIABLE}")
    push.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read the password (or token) from stdin; default: ${PASSWORD_VARIABLE}",
    )
    push.set_defaults(handler=run_push)


def run_push(args: argparse.Namespace, context: Context) -> int:
    location = parse_registry(args.registry)
    credentials = _credentials(args, context)
    if credentials is not None:
        context.runner.mask(credentials.password)
    packages = [context.cwd / package for package in args.packages]
    with RegistryClient(
        location.host, credentials=credentials, plain_http=args.plain_http or location.loopback
    ) as client:
        outcomes = push_packages(client, location, packages)
    for outcome in outcomes:
        suffix = "" if outcome.pushed else " (already pushed)"
        context.runner.info(outcome.pinned + suffix)
    return 0


def _credentials(args: argparse.Namespace, context: Context) -> Credentials | None:
    username = args.username or context.environ.get(USERNAME_VARIABLE, "")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: stdin gave no password")
    else:
        password = context.environ.get(PASSWORD_VARIABLE, "")
    if password and not username:
        raise UsageError(f"a password needs a user name: --username or {USERNAME_VARIABLE}")
    if username and not password:
        raise UsageError(
            f"user {username!r} needs a password: --password-stdin or {PASSWORD_VARIABLE}"
        )
    return Credentials(username, password) if username else None
