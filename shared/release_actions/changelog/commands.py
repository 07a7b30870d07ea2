"""The ``release-actions changelog …`` subcommands: check, notes, lint, new, and action."""

from __future__ import annotations

import argparse
import datetime
from pathlib import PurePosixPath
from typing import Any

from ..cli_help import add_output_options
from ..context import Context, Workflow, lazy_handler
from ..errors import ReleaseActionsError, SourceLocation, UsageError
from ..fsutil import write_atomically
from ..git import Git
from .flows import LINT_LEVELS, Report, Settings, Target
from .notes import MAX_RELEASE_BODY, entry_notes, trim_notes
from .promote import promote_unreleased, unified_diff
from .reading import (
    LooseVersion,
    PathTemplate,
    decode,
    encode_like,
    find_changelogs,
    load_changelog,
    parse_loose_version,
    read_text,
)
from .rules import ORDERS, PROFILES, LintOptions, VersionFile, lint, lint_rules, release_gate
from .rules import catalogue as rules
from .scaffold import add_entry, new_file


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser("changelog", help="Changelog checks, release notes and entries")
    subcommands = parser.add_subparsers(dest="changelog_command", required=True)

    check = subcommands.add_parser(
        "check", help="the release gate for one version, on the files in this directory"
    )
    _version_argument(check)
    check.add_argument(
        "--path",
        action="append",
        dest="paths",
        metavar="TEMPLATE",
        help="changelog path template, e.g. docs/CHANGELOG/CHANGELOG-{major}.{minor}.md "
        "(repeatable: the first that exists is used; default CHANGELOG.md)",
    )
    check.add_argument("--tag", help="the tag being released (default: v<version>)")
    check.add_argument(
        "--version-file",
        action="append",
        dest="version_files",
        default=[],
        metavar="PATH[:KEY]",
        help="a file that must hold the version, e.g. charts/app/Chart.yaml:appVersion",
    )
    check.add_argument(
        "--lint",
        choices=LINT_LEVELS,
        default="error",
        help="what file-wide findings are: error (default), warning or off",
    )
    _format_arguments(check)
    check.set_defaults(handler=run_check)

    notes = subcommands.add_parser(
        "notes", help="print the release notes of one version, the latest, or Unreleased"
    )
    which = notes.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--version", help="the version, e.g. 1.2.0 or v1.2.0, or Unreleased for what is not yet"
    )
    which.add_argument(
        "--latest", action="store_true", help="the newest released entry, whatever its version"
    )
    notes.add_argument("--path", required=True, help="the changelog file")
    notes.add_argument(
        "--max-chars",
        type=int,
        default=MAX_RELEASE_BODY,
        help=f"trim at a line boundary to this many characters (default {MAX_RELEASE_BODY})",
    )
    notes.set_defaults(handler=run_notes)

    lint_parser = subcommands.add_parser("lint", help="lint changelog files")
    lint_parser.add_argument("files", nargs="+", metavar="PATH", help="changelog files")
    _format_arguments(lint_parser)
    lint_parser.set_defaults(handler=run_lint)

    new = subcommands.add_parser("new", help="scaffold an entry for a version")
    _version_argument(new)
    new.add_argument(
        "--path",
        default="CHANGELOG.md",
        metavar="TEMPLATE",
        help="changelog path template (default CHANGELOG.md)",
    )
    new.add_argument(
        "--template",
        help="entry template file (default: the path template rendered for 0.0.0, if it exists)",
    )
    new.add_argument("--previous", help="the version before this one (default: found in the files)")
    new.add_argument("--date", help="the entry's date, YYYY-MM-DD (default: today)")
    _format_arguments(new)
    new.set_defaults(handler=run_new)

    release = subcommands.add_parser(
        "release",
        help="move the Unreleased changes of a Keep a Changelog file into a new version",
        description="Move everything under Unreleased into a new 'VERSION - DATE' section, "
        "leave an empty Unreleased above it, and rewrite the compare links at the bottom in "
        "the file's own style. Only the lines involved change.",
    )
    release.add_argument("version", metavar="VERSION", help="the new version, e.g. 1.2.0")
    release.add_argument("--date", help="the release date, YYYY-MM-DD (default: today)")
    release.add_argument(
        "--path", default="CHANGELOG.md", help="the changelog file (default CHANGELOG.md)"
    )
    release.add_argument(
        "--allow-empty",
        action="store_true",
        help="release even when Unreleased holds no changes",
    )
    release.add_argument(
        "--dry-run", action="store_true", help="print the change as a diff and write nothing"
    )
    release.set_defaults(handler=run_release)

    action_parser = subcommands.add_parser(
        "action", help="run as the GitHub Action does, reading INPUT_* variables"
    )
    add_output_options(action_parser)
    action_parser.set_defaults(handler=lazy_handler("release_actions.changelog.action:run"))


def _version_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", required=True, help="the version, e.g. 1.2.0 or v1.2.0")


def _format_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="default",
        help="format rules: default, or keepachangelog to add Keep a Changelog's",
    )
    parser.add_argument(
        "--order",
        choices=ORDERS,
        default="desc",
        help="order of versions in a file: desc (newest first, default), asc or any",
    )


def _version(text: str, *, unreleased: bool = False) -> LooseVersion:
    version = parse_loose_version(text.strip().removeprefix("refs/tags/"))
    if version is None or (version.unreleased and not unreleased):
        also = " or Unreleased" if unreleased else ""
        raise UsageError(f"the version must be a version such as 1.2.0{also}, got {text!r}")
    return version


def run_check(args: argparse.Namespace, context: Context) -> int:
    from .action import check_changelog  # deferred: it imports PyGithub

    version = _version(args.version)
    settings = Settings(
        paths=tuple(PathTemplate(path) for path in args.paths or ["CHANGELOG.md"]),
        profile=args.profile,
        order=args.order,
        version_files=tuple(VersionFile.parse(spec) for spec in args.version_files),
        lint=args.lint,
    )
    tag = args.tag or f"v{version.key}"
    subject = f"tag {tag}" if args.tag else f"version {version.key}"
    return check_changelog(
        settings,
        Target("release", version, tag, subject),
        Workflow(),
        runner=context.runner,
        root=context.cwd,
        github=None,
        git=Git(context.cwd),
    )


def run_notes(args: argparse.Namespace, context: Context) -> int:
    """Print the notes, and only them, on stdout (``> notes.md``); findings are annotations,
    which go to stderr on a terminal. An empty entry is printed, with a warning."""
    if read_text(context.cwd, args.path) is None:
        raise ReleaseActionsError(
            f"{args.path} not found",
            location=SourceLocation(args.path),
            title=rules.FILE_MISSING.title,
        )
    changelog = load_changelog(context.cwd, args.path, context.runner)
    if args.latest:
        latest = changelog.latest()
        if latest is None:
            raise ReleaseActionsError(
                f"{args.path} has no released entry",
                location=SourceLocation(args.path),
                title=rules.ENTRY_MISSING.title,
            )
        version = latest.version
    else:
        version = _version(args.version, unreleased=True)
    subject = "the Unreleased section" if version.unreleased else f"version {version.key}"
    gate = release_gate(changelog, version, subject=subject)
    if gate.entry is None:
        finding = gate.findings[0]
        raise ReleaseActionsError(
            finding.message, location=finding.location, title=rules.RULES_BY_ID[finding.rule].title
        )
    for finding in gate.findings:
        context.runner.warning(
            finding.message, location=finding.location, title=rules.RULES_BY_ID[finding.rule].title
        )
    notes, _ = trim_notes(entry_notes(changelog, gate.entry), args.max_chars)
    context.runner.print_untrusted(notes)
    return 0


def run_lint(args: argparse.Namespace, context: Context) -> int:
    options = LintOptions(order=args.order, profile=args.profile)
    report = Report()
    for path in args.files:
        if read_text(context.cwd, path) is None:
            report.ran(
                rules.FILE_MISSING, [rules.FILE_MISSING.finding(f"{path} not found", file=path)]
            )
            continue
        report.ran_all(
            lint_rules(options), lint(load_changelog(context.cwd, path, context.runner), options)
        )
    report.emit(context.runner)
    report.raise_if_failed()
    context.runner.info(f"{len(args.files)} changelog file(s) checked: no errors")
    return 0


def run_new(args: argparse.Namespace, context: Context) -> int:
    version = _version(args.version)
    template = PathTemplate(args.path)
    tag = f"v{version.key}"
    path = template.render(version, tag)
    date = _date(args.date)
    entry_template = _entry_template(args.template, template, path, context)
    previous = _version(args.previous) if args.previous else _previous(template, version, context)
    target = context.cwd / path
    original = target.read_bytes() if target.is_file() else None
    if original is None:
        scaffold = new_file(
            version, previous=previous, template=entry_template, date=date, profile=args.profile
        )
    else:
        changelog = load_changelog(context.cwd, path, context.runner)
        existing = changelog.find(version)
        if existing:
            context.runner.info(
                f"{path} already has an entry for {version.key} at line {existing[0].line}; "
                "nothing to do"
            )
            return 0
        scaffold = add_entry(
            original.decode("utf-8-sig", errors="replace").replace("\r\n", "\n"),
            changelog,
            version,
            previous=previous,
            template=entry_template,
            date=date,
            order=args.order,
            profile=args.profile,
        )
    write_atomically(target, encode_like(scaffold.text, original))
    verb = "Created" if original is None else "Added an entry to"
    context.runner.info(f"{verb} {path} for {version.key} at line {scaffold.line}")
    return 0


def run_release(args: argparse.Namespace, context: Context) -> int:
    version = _version(args.version)
    date = _date(args.date)
    target = context.cwd / args.path
    try:
        original = target.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ReleaseActionsError(
            f"{args.path} not found", location=SourceLocation(args.path)
        ) from None
    text, invalid = decode(original)
    if invalid:
        raise ReleaseActionsError(
            f"{args.path} is not valid UTF-8; it is left as it is",
            location=SourceLocation(args.path),
        )
    promotion = promote_unreleased(
        text, version, date, path=args.path, allow_empty=args.allow_empty
    )
    for note in promotion.notes:
        context.runner.warning(note, location=SourceLocation(args.path))
    if args.dry_run:
        context.runner.info(
            f"Would release {version.key} in {args.path}: Unreleased becomes "
            f"'{promotion.heading}' at line {promotion.line}. Nothing was written."
        )
        context.runner.print_untrusted(unified_diff(text, promotion.text, args.path).rstrip("\n"))
        return 0
    write_atomically(target, encode_like(promotion.text, original))
    context.runner.info(
        f"Released {version.key} in {args.path}: '{promotion.heading}' at line "
        f"{promotion.line}, with an empty Unreleased above it."
    )
    return 0


def _date(text: str | None) -> datetime.date:
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {text!r}") from None


def _entry_template(
    given: str | None, template: PathTemplate, path: str, context: Context
) -> str | None:
    """``--template``, else HAMi's convention: a file the path template names whose name holds
    the version 0.0.0 (``docs/CHANGELOG/CHANGELOG-0.0.0.md``)."""
    if given:
        text = read_text(context.cwd, given)
        if text is None:
            raise UsageError(f"--template {given} not found")
        return text.replace("\r\n", "\n")
    for candidate in find_changelogs(context.cwd, [template]):
        if "0.0.0" in PurePosixPath(candidate).name and candidate != path:
            text = read_text(context.cwd, candidate)
            return None if text is None else text.replace("\r\n", "\n")
    return None


def _previous(
    template: PathTemplate, version: LooseVersion, context: Context
) -> LooseVersion | None:
    """The highest version below ``version`` in any file the template names (not the 0.0.0 one)."""
    older: list[LooseVersion] = []
    for path in find_changelogs(context.cwd, [template]):
        for entry in load_changelog(context.cwd, path, context.runner).released:
            if entry.version < version and entry.version.release != (0, 0, 0):
                older.append(entry.version)
    return max(older) if older else None
