"""The action-chart-release entry point: inputs from the environment, then check or release."""

from __future__ import annotations

import argparse
from dataclasses import replace

from ..context import Context
from ..git import Git, private_checkout
from ..inputs import Inputs
from .lint import (
    CheckReport,
    findings_block_versions,
    report_checks,
    run_checks,
    with_dependency_builds,
)
from .package import find_helm
from .release import (
    NotesFor,
    ReleaseConfig,
    read_published,
    release_notes_findings,
    set_pull_request_outputs,
)
from .release_command import notes_function, open_checkout, release


def run(args: argparse.Namespace, context: Context) -> int:
    config = ReleaseConfig.from_inputs(Inputs(context.environ), context.workflow)
    context.runner.mask(config.token)
    context.runner.mask(config.registry_password)
    if config.signing is not None:
        context.runner.mask(config.signing.passphrase or "")
        for line in config.signing.key_material.splitlines():
            if line.strip() and not line.startswith("-----"):
                context.runner.mask(line.strip())
    # Fetches, tags and deepening go to a private git directory: the caller's checkout is left
    # as it was.
    with private_checkout(context.cwd, token=config.token) as git:
        if config.mode == "check":
            return check(config, context, git)
        return release(config, context, git=git, plain_directory=git is None)


def check(config: ReleaseConfig, context: Context, git: Git | None = None) -> int:
    """The pull-request gate: every check, the version bumps against the target branch too, and
    the release notes of each changed chart, built as the release will build them.

    ``git`` defaults to the checkout at ``context.cwd`` (none for a plain directory)."""
    runner = context.runner
    git = git if git is not None else open_checkout(context.cwd, config.token)
    published = read_published(git, config.pages_branch, config.index_path, runner)
    report = run_checks(
        config,
        root=context.cwd,
        git=git,
        published_versions=published.versions,
        release_tags=published.release_tags,
        tag=context.workflow.tag,
    )
    report = with_release_notes(
        report, notes_function(config, context.cwd), config, published.versions
    )
    report = with_dependency_builds(report, find_helm(), published.versions)
    changed = [checked.directory for checked in report.charts if checked.changed]
    runner.set_output("changed-charts", ",".join(changed))
    runner.set_output("released", "[]")
    runner.set_output("chart-version", "")
    runner.set_output("index-updated", "false")
    set_pull_request_outputs(runner, None)
    runner.set_output("pushed", "[]")
    report_checks(runner, report)
    return 0


def with_release_notes(
    report: CheckReport,
    notes_for: NotesFor,
    config: ReleaseConfig,
    published_versions: dict[str, set[str]] | None,
) -> CheckReport:
    """``report`` plus the release-notes findings of the charts it changes (every chart when
    there was no target branch to compare with) whose name and version are usable."""
    charts = [
        checked.chart
        for checked in report.charts
        if checked.chart is not None
        and checked.changed is not False
        and not findings_block_versions(
            [finding for finding in report.findings if finding.chart == checked.directory]
        )
    ]
    extra = release_notes_findings(charts, notes_for, config.tag_template, published_versions)
    return replace(report, findings=report.findings + tuple(extra)) if extra else report
