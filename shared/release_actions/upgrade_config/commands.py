"""The ``release-actions upgrade-config …`` subcommands: sync, resolve, validate, action."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ..cli_help import add_output_options
from ..context import Context, lazy_handler
from ..errors import ReleaseActionsError, UsageError
from ..inputs import parse_bool
from .document import load_json
from .feeds import HttpProber, Prober
from .model import CHANNELS, Channel
from .pipeline import (
    Syncer,
    SyncResult,
    load_config,
    load_segments,
    read_release,
    report_findings,
    skipped,
)
from .render import render_json
from .resolve import MATCHERS, ClientWouldThrow, Matcher, find_compatible_channel
from .segments import default_feed_template
from .storage import read_text, write_atomically
from .tags import parse_loose_version
from .validate import check_config, check_segments

DEFAULT_CONFIG = "app-upgrade-config.json"
DEFAULT_SEGMENTS = "config/app-upgrade-segments.json"
PROBE_TIMEOUT = 10.0
PROBE_ATTEMPTS = 3


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "upgrade-config", help="Sync, check and query a desktop app's upgrade-config JSON"
    )
    subcommands = parser.add_subparsers(dest="upgrade_config_command", required=True)

    sync = subcommands.add_parser("sync", help="sync one release tag into the config file")
    sync.add_argument("--tag", required=True, help="release tag, such as v2.1.0 or v2.1.0-rc.1")
    sync.add_argument("--config", default=DEFAULT_CONFIG, help=f"default: {DEFAULT_CONFIG}")
    sync.add_argument("--segments", default=DEFAULT_SEGMENTS, help=f"default: {DEFAULT_SEGMENTS}")
    sync.add_argument(
        "--is-prerelease",
        type=_boolean,
        default=None,
        metavar="true|false",
        help="skip the sync when this disagrees with the tag",
    )
    sync.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")
    sync.add_argument(
        "--skip-release-checks",
        action="store_true",
        help="do not probe the feed URLs (only with --dry-run)",
    )
    sync.add_argument("--json", action="store_true", help="print the result as JSON")
    sync.set_defaults(handler=run_sync)

    resolve = subcommands.add_parser(
        "resolve", help="what a client of this version and channel is offered"
    )
    resolve.add_argument("--config", default=DEFAULT_CONFIG, help=f"default: {DEFAULT_CONFIG}")
    resolve.add_argument("--current-version", required=True, help="the client's version")
    resolve.add_argument(
        "--channel",
        choices=CHANNELS,
        default="latest",
        help="the client's channel",
    )
    resolve.add_argument("--mirror", help="mirror whose feed URL to print (default: the first)")
    resolve.add_argument(
        "--matcher",
        choices=MATCHERS,
        default="client",
        help="client: exactly what deployed clients do (default); "
        "recommended: beta also takes a newer rc, a missing channel key reads as null",
    )
    resolve.set_defaults(handler=run_resolve)

    validate = subcommands.add_parser(
        "validate", help="check the files against the shipped JSON Schemas and the sync's rules"
    )
    validate.add_argument("--config", help="the upgrade-config JSON")
    validate.add_argument("--segments", help="the segments file")
    validate.set_defaults(handler=run_validate)

    action_parser = subcommands.add_parser(
        "action", help="run as the GitHub Action does, reading INPUT_* variables"
    )
    add_output_options(action_parser)
    action_parser.set_defaults(handler=lazy_handler("release_actions.upgrade_config.action:run"))


def _boolean(text: str) -> bool:
    try:
        return parse_bool("--is-prerelease", text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


@contextmanager
def http_prober(enabled: bool) -> Iterator[Prober | None]:
    """The feed prober over a real httpx client, closed afterwards; ``None`` when disabled."""
    if not enabled:
        yield None
        return
    from ..http import make_client  # deferred: httpx is slow to import

    with make_client(timeout=PROBE_TIMEOUT, retries=PROBE_ATTEMPTS) as client:
        yield HttpProber(client, attempts=PROBE_ATTEMPTS)


def run_sync(args: argparse.Namespace, context: Context) -> int:
    if args.skip_release_checks and not args.dry_run:
        raise UsageError("--skip-release-checks can only be used together with --dry-run")
    runner = context.runner
    release, reason = read_release(args.tag, args.is_prerelease)
    created = False
    if reason is not None:
        result = skipped(release, reason, "", args.config)
    else:
        workflow = context.workflow
        segments, segments_doc = load_segments(
            read_text(context.cwd / args.segments, args.segments),
            args.segments,
            runner,
            default_template=default_feed_template(workflow.server_url, workflow.repository),
        )
        config_path = context.cwd / args.config
        # As the action does: a config file that does not exist yet is started.
        config_text = read_text(config_path, args.config) if config_path.exists() else None
        created = config_text is None
        with http_prober(not args.skip_release_checks) as prober:
            syncer = Syncer(
                release=release,
                segments=segments,
                segments_doc=segments_doc,
                prober=prober,
                clock=lambda: datetime.now(UTC),
                runner=runner,
            )
            result = syncer.sync(config_text, args.config)
        if result.changed and not args.dry_run:
            write_atomically(context.cwd / args.config, result.new_text)
    _print_sync(context, result, dry_run=args.dry_run, as_json=args.json, created=created)
    return 0


def _print_sync(
    context: Context, result: SyncResult, *, dry_run: bool, as_json: bool, created: bool
) -> None:
    runner = context.runner
    if as_json:
        document = result.as_json()
        document["notes"] = list(result.notes)
        if dry_run:
            document["diff"] = result.diff
        runner.print_untrusted(render_json(document))
        return
    for note in result.notes:
        runner.warning(note)
    if dry_run and result.changed:
        runner.print_untrusted(result.diff.rstrip("\n"))
    verb = (
        ("Would create" if dry_run else "Created")
        if created
        else ("Would update" if dry_run else "Updated")
    )
    if result.outcome == "updated":
        runner.info(f"{verb} {result.path}: {result.reason}")
    elif result.outcome == "unchanged":
        runner.info(f"Unchanged {result.path}: {result.reason}")
    else:
        runner.notice(f"Skipped: {result.reason}")


def run_resolve(args: argparse.Namespace, context: Context) -> int:
    current = parse_loose_version(args.current_version)
    if current is None:
        raise UsageError(f"--current-version {args.current_version!r} is not a SemVer version")
    doc = load_config(
        read_text(context.cwd / args.config, args.config), args.config, context.runner
    )
    channel: Channel = args.channel
    matcher: Matcher = args.matcher
    try:
        resolution = find_compatible_channel(doc.value, current, channel, matcher)
    except ClientWouldThrow as crash:
        raise ReleaseActionsError(crash.message, location=doc.location(crash.path)) from None
    if resolution is None:
        context.runner.info("null")
        return 0
    feed_url = resolution.feed_url(args.mirror)
    if feed_url is None:
        raise UsageError(
            f"entry {resolution.entry_key} has no feed URL for mirror {args.mirror!r} "
            f"(it has: {', '.join(resolution.feed_urls)})"
        )
    answer = {"version": resolution.version, "channel": resolution.channel, "feedUrl": feed_url}
    context.runner.info(render_json(answer))
    return 0


def run_validate(args: argparse.Namespace, context: Context) -> int:
    if not (args.config or args.segments):
        raise UsageError("give --config, --segments or both")
    findings = []
    checked = []
    if args.segments:
        findings += check_segments(
            load_json(read_text(context.cwd / args.segments, args.segments), args.segments)
        )
        checked.append(args.segments)
    if args.config:
        findings += check_config(
            load_json(read_text(context.cwd / args.config, args.config), args.config)
        )
        checked.append(args.config)
    report_findings(context.runner, findings, " and ".join(checked))
    context.runner.info(f"{' and '.join(checked)}: valid")
    return 0
