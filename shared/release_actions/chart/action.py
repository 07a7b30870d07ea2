"""The action-chart-release entry point: inputs from the environment, then check or release."""

from __future__ import annotations

import argparse

from ..context import Context
from ..errors import ReleaseActionsError
from ..inputs import Inputs
from .check_report import report_checks
from .checks import run_checks
from .config import ReleaseConfig
from .index import published_versions
from .release import read_published_index
from .release_command import open_checkout, release


def run(args: argparse.Namespace, context: Context) -> int:
    config = ReleaseConfig.from_inputs(Inputs(context.environ), context.workflow)
    context.runner.mask(config.token)
    if config.mode == "check":
        return check(config, context)
    return release(config, context)


def check(config: ReleaseConfig, context: Context) -> int:
    """The pull-request gate: every check, the version bumps against the target branch too."""
    runner = context.runner
    git = open_checkout(context.cwd, config.token)
    published: dict[str, set[str]] | None = None
    release_tags: set[str] | None = None
    if git is not None:
        try:
            index = read_published_index(git, config)
            git.fetch(tags=True)
        except ReleaseActionsError as error:
            # A fork's pull request may not reach origin's pages branch; the rest still counts.
            runner.warning(f"cannot read what is already published: {error.message}")
        else:
            published = published_versions(index) if index else {}
            release_tags = set(git.tags())
    report = run_checks(
        config,
        root=context.cwd,
        git=git,
        published_versions=published,
        release_tags=release_tags,
        tag=context.workflow.tag,
    )
    changed = [checked.directory for checked in report.charts if checked.changed]
    runner.set_output("changed-charts", ",".join(changed))
    runner.set_output("released", "[]")
    runner.set_output("chart-version", "")
    runner.set_output("index-updated", "false")
    report_checks(runner, report)
    return 0
