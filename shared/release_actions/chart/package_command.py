"""``release-actions chart package`` and ``release-actions chart index``."""

from __future__ import annotations

import argparse
import hashlib
import sys
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..context import Context
from ..errors import ReleaseActionsError, SourceLocation, UsageError
from ..fsutil import write_atomically
from ..git import Git
from .loader import ChartFile, load_chart
from .package import (
    describe_dependencies,
    find_helm,
    missing_dependencies,
    missing_dependencies_error,
    package_chart,
    read_chart_archive,
)
from .provenance import sign_package
from .repo import entry_from_metadata, merge_into_index, rewritten_warning, unified_index_diff

DEFAULT_KEYRING = Path("~/.gnupg/pubring.gpg")


def register(subcommands: argparse._SubParsersAction[Any]) -> None:
    """Add ``package`` and ``index`` to the ``chart`` noun's subcommands."""
    package = subcommands.add_parser(
        "package",
        help="write a reproducible .tgz of a chart and print its path and sha256",
        description="Package CHART_DIR as <name>-<version>.tgz. The same files and time give "
        "the same bytes: every entry's time is --mtime, by default the last commit that "
        "touched the chart (or SOURCE_DATE_EPOCH outside git).",
    )
    package.add_argument("chart_dir", metavar="CHART_DIR", type=Path)
    package.add_argument(
        "--destination", metavar="DIR", type=Path, default=Path(), help="default: ."
    )
    package.add_argument(
        "--mtime",
        metavar="TIME",
        help="archive entry time: RFC 3339 (2024-05-01T12:00:00Z) or Unix seconds",
    )
    package.add_argument(
        "--dry-run",
        action="store_true",
        help="print the path and sha256 it would write; write nothing (and never run helm)",
    )
    signing = package.add_argument_group("signing (Helm's flags)")
    signing.add_argument(
        "--sign", action="store_true", help="also write <package>.prov, Helm's provenance file"
    )
    signing.add_argument("--key", metavar="NAME", help="the signing key's name (user ID)")
    signing.add_argument(
        "--keyring",
        metavar="FILE",
        type=Path,
        default=DEFAULT_KEYRING,
        help="the secret keyring holding the key (default: ~/.gnupg/pubring.gpg, as Helm)",
    )
    signing.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="a file whose first line is the key's passphrase; '-' reads stdin",
    )
    package.set_defaults(handler=run_package)

    index = subcommands.add_parser(
        "index",
        help="merge packaged charts into an index.yaml (created when missing)",
        description="Add each package to the index, append-only: existing entries stay "
        "byte-identical, and a published version with another digest is an error.",
    )
    index.add_argument("--index", metavar="FILE", type=Path, required=True)
    index.add_argument(
        "--package", metavar="TGZ", type=Path, nargs="+", action="extend", required=True
    )
    urls = index.add_mutually_exclusive_group(required=True)
    urls.add_argument(
        "--url-base", metavar="URL", help="entries' URL is URL/<file name> (a release or site)"
    )
    urls.add_argument("--relative", action="store_true", help="entries' URL is the file name alone")
    index.add_argument(
        "--dry-run", action="store_true", help="print the diff and leave the file alone"
    )
    index.set_defaults(handler=run_index)


def run_package(args: argparse.Namespace, context: Context) -> int:
    directory = context.cwd / args.chart_dir
    chart = load_chart(directory)
    mtime = _archive_time(args.mtime, directory, context)
    destination = context.cwd / args.destination
    if args.dry_run:
        return _dry_run_package(chart, destination, mtime, context)
    if args.sign and not args.key:
        raise UsageError("--sign needs --key NAME")
    passphrase = read_passphrase(args.passphrase_file, context) if args.sign else None
    packaged = package_chart(chart, destination, mtime=mtime)
    context.runner.info(str(packaged.path))
    context.runner.info(f"sha256:{packaged.digest}")
    if args.sign:
        keyring = context.cwd / args.keyring.expanduser()
        signed = sign_package(packaged.path, key=args.key, keyring=keyring, passphrase=passphrase)
        context.runner.info(str(signed))
    return 0


def read_passphrase(source: str | None, context: Context) -> str | None:
    """The first line of ``source`` (``-``: stdin), masked; ``None`` without a source."""
    if not source:
        return None
    try:
        if source == "-":
            line = sys.stdin.readline()
        else:
            with (context.cwd / source).open(encoding="utf-8") as handle:
                line = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--passphrase-file: cannot read {source}: {exc}") from None
    passphrase = line.rstrip("\r\n")
    if passphrase:
        context.runner.mask(passphrase)
    return passphrase


def _dry_run_package(chart: ChartFile, destination: Path, mtime: datetime, context: Context) -> int:
    """What ``chart package`` would write, with nothing written: not even ``helm dependency
    build``'s downloads into the chart."""
    runner = context.runner
    missing = missing_dependencies(chart)
    if missing:
        if find_helm() is None:
            raise missing_dependencies_error(chart, missing, helm_tried=False)
        path = destination / f"{chart.name}-{chart.version}.tgz"
        runner.info(f"Dry run: would write {path}, nothing written.")
        runner.info(
            f"sha256 unknown: `helm dependency build` would first fetch"
            f" {describe_dependencies(missing)} into {chart.directory / 'charts'}"
        )
        return 0
    packaged = package_chart(chart, destination, mtime=mtime, helm_binary=None, write=False)
    runner.info(f"Dry run: would write {packaged.path}, nothing written.")
    runner.info(f"sha256:{packaged.digest}")
    return 0


def run_index(args: argparse.Namespace, context: Context) -> int:
    index_path: Path = context.cwd / args.index
    now = datetime.now(UTC)
    entries = []
    for package in args.package:
        path = context.cwd / package
        archive = read_chart_archive(path)
        url = path.name if args.relative else url_join(args.url_base, path.name)
        entries.append(
            entry_from_metadata(
                archive.metadata,
                requirements=archive.requirements,
                digest=hashlib.sha256(path.read_bytes()).hexdigest(),
                urls=[url],
                created=now,
                source=str(path),
            )
        )
    try:
        old = index_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseActionsError(f"cannot read {index_path}: {exc}") from None
    merged = merge_into_index(old, entries, generated=now)
    new = merged.text
    if new == old:
        context.runner.info(f"{index_path}: every package is already listed; unchanged")
        return 0
    if merged.rewritten_because:
        where = args.index.as_posix()
        context.runner.warning(
            rewritten_warning(where, merged.rewritten_because, dry_run=args.dry_run),
            location=SourceLocation(where),
            title="Chart index rewritten",
        )
    if args.dry_run:
        context.runner.info(unified_index_diff(old or "", new, path=args.index.as_posix()))
        return 0
    index_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(index_path, new.encode("utf-8"))
    context.runner.info(f"{index_path}: updated")
    return 0


def url_join(base: str, file_name: str) -> str:
    """Helm's ``urlutil.URLJoin(base, file)``: the file joined to the URL's path, escaped as
    Go's ``url.URL.String`` escapes a path."""
    parts = urllib.parse.urlsplit(base)
    path = parts.path.rstrip("/") + "/" + urllib.parse.quote(file_name, safe="$&+,:;=@")
    return urllib.parse.urlunsplit(parts._replace(path=path))


def _archive_time(explicit: str | None, directory: Path, context: Context) -> datetime:
    if explicit:
        return _parse_time(explicit, "--mtime")
    git = Git(directory, environ=context.environ)
    try:
        committed = git.last_commit_time(".")
    except (ReleaseActionsError, OSError):
        committed = None  # not a git work tree, or no git
    if committed is not None:
        return committed
    epoch = context.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        return _parse_time(epoch, "SOURCE_DATE_EPOCH")
    raise UsageError(
        f"cannot tell the archive time of {directory}: it has no git commit; "
        "pass --mtime or set SOURCE_DATE_EPOCH"
    )


def _parse_time(text: str, what: str) -> datetime:
    try:
        if text.strip().isdigit():
            return datetime.fromtimestamp(int(text), UTC)
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise UsageError(f"{what}: {text!r} is neither RFC 3339 nor Unix seconds") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
