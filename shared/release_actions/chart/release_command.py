"""``release-actions chart release``: the whole release flow, exactly as the action runs it.

This module wires the real adapters (git, GitHub, a temporary directory, the clock) into
:func:`release.run_release`; the action calls :func:`release` too.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..context import Context
from ..errors import GitError, ReleaseActionsError, UsageError
from ..git import Git
from .lint import report_checks, run_checks
from .package import SuppliedPackage, read_packages_dir
from .release import (
    NotesFor,
    ReleaseConfig,
    add_release_arguments,
    changelog_release_notes,
    changelog_template,
    chart_notes,
    read_published_index,
    report,
    run_release,
)

if TYPE_CHECKING:
    from ..github import GitHub

_REMOTE_REPOSITORY = re.compile(r"[:/](?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$")


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "release",
        help="release every chart the published index lacks, then update the index",
        description=(
            "Check the charts, then package and release every chart whose version the index on"
            " the pages branch lacks, and merge them into the index. Re-running is safe. With"
            " --dry-run it prints the plan and the index diff and changes nothing (no token, git"
            " or origin needed)."
        ),
    )
    add_release_arguments(parser)
    parser.add_argument(
        "--index",
        type=Path,
        metavar="FILE",
        help="plan against this index file instead of the one on the pages branch (dry runs)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context) -> int:
    config = ReleaseConfig.from_args(args, context.workflow, context.environ)
    if args.index is not None and not config.dry_run:
        raise UsageError("--index is for dry runs: a release reads the index on the pages branch")
    context.runner.mask(config.token)
    return release(config, context, index_file=args.index)


def connect(config: ReleaseConfig) -> GitHub:
    """The GitHub client of the workflow's repository (``GITHUB_API_URL`` aware)."""
    from ..github import GitHub  # deferred: PyGithub is slow to import

    return GitHub(config.token, api_url=config.api_url, repository=config.repository)


def release(
    config: ReleaseConfig,
    context: Context,
    *,
    index_file: Path | None = None,
    connect_github: Callable[[ReleaseConfig], GitHub] = connect,
    git: Git | None = None,
) -> int:
    """Check, then release; outputs and the step summary go to ``context.runner``.

    ``connect_github`` and ``git`` (default: the checkout at ``context.cwd``) are the
    adapters; tests pass their own.
    """
    runner = context.runner
    root = context.cwd
    git = git if git is not None else open_checkout(root, config.token)
    if not config.repository and git is not None:
        config = replace(config, repository=repository_from_origin(git))
    if not config.dry_run:
        _require_release_prerequisites(config, git)
    if git is not None and _has_origin(git) and git.is_shallow():
        # A package's mtime is its chart's last commit: a shallow clone would date every chart
        # at HEAD, and a later build of the same version would not be byte-identical.
        runner.info("Fetching the full history: packages are dated by their chart's last commit.")
        git.unshallow()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="chart-release-")))
        # Bring-your-own packages are unpacked, then checked and loaded as chart directories.
        supplied: list[SuppliedPackage] = []
        checks_root, checks_config = root, config
        if config.packages_dir:
            supplied = read_packages_dir(
                root / config.packages_dir, root=root, unpack_to=workdir / "packages"
            )
            checks_root = workdir
            checks_config = replace(config, charts_dirs=("packages",), exclude=())
        with runner.group("Check the charts"):
            # Static checks only: on a push the bump check has nothing to compare with, and a
            # release branch's backports are older than the target branch on purpose.
            checked = run_checks(
                replace(checks_config, target_branch=None),
                root=checks_root,
                tag=context.workflow.tag,
            )
            report_checks(runner, checked, summary=checked.failed)
        published_index = _published_index(config, git, index_file, context)
        github = None
        if not config.dry_run:
            github = stack.enter_context(connect_github(config))
        packages_dir = workdir / "release"
        packages_dir.mkdir()
        result = run_release(
            config,
            root=root,
            git=git,
            github=github,
            runner=runner,
            workdir=packages_dir,
            now=datetime.now(UTC),
            notes_for=notes_function(config, root),
            published_index=published_index,
            target=context.workflow.sha or (git.head_sha() if git is not None else None),
            tag=context.workflow.tag,
            supplied_packages=supplied,
        )
    report(result, runner)
    return 0


def notes_function(config: ReleaseConfig, root: Path) -> NotesFor:
    """The release body for ``release-notes``."""
    if config.release_notes == "chart":
        return lambda planned: chart_notes(planned.chart)
    if config.release_notes in ("none", "generate"):
        # With generate, GitHub writes the whole body when it creates the release.
        return lambda planned: ""
    template = changelog_template(config.changelog_path)
    return lambda planned: changelog_release_notes(
        planned,
        template,
        root=root,
        server_url=config.server_url,
        repository=config.repository,
    )


def open_checkout(root: Path, token: str) -> Git | None:
    """The git checkout at ``root``, or ``None`` for a plain directory."""
    git = Git(root, token=token or None)
    try:
        git.run("rev-parse", "--is-inside-work-tree")
    except GitError:
        return None
    return git


def repository_from_origin(git: Git) -> str:
    """``owner/name`` from origin's URL (https or ssh); empty when there is no usable origin."""
    try:
        url = git.run("remote", "get-url", "origin").strip()
    except GitError:
        return ""
    if url.startswith(("file:", "/", ".")):
        return ""
    match = _REMOTE_REPOSITORY.search(url)
    return f"{match['owner']}/{match['name']}" if match else ""


def _has_origin(git: Git) -> bool:
    try:
        git.run("remote", "get-url", "origin")
    except GitError:
        return False
    return True


def _require_release_prerequisites(config: ReleaseConfig, git: Git | None) -> None:
    if git is None or not _has_origin(git):
        raise UsageError("a release needs a git checkout with an origin remote (or use --dry-run)")
    if not config.token:
        raise UsageError("a release needs a GitHub token: the token input, or GITHUB_TOKEN")
    if not config.repository:
        raise UsageError("the repository is unknown: set GITHUB_REPOSITORY or --repository")


def _published_index(
    config: ReleaseConfig, git: Git | None, index_file: Path | None, context: Context
) -> str | None:
    if index_file is not None:
        path = index_file if index_file.is_absolute() else context.cwd / index_file
        return path.read_text(encoding="utf-8") if path.exists() else None
    if git is None or not _has_origin(git):
        context.runner.notice(
            "no git origin: planning against an empty index (give one with --index FILE)"
        )
        return None
    try:
        return read_published_index(git, config.pages_branch, config.index_path)
    except ReleaseActionsError:
        if not config.dry_run:
            raise
        context.runner.warning(
            f"cannot read {config.index_path} from origin's {config.pages_branch}; planning"
            " against an empty index"
        )
        return None
