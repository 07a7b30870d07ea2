"""The action-changelog-check entry point: inputs from the environment, then the checks.

:func:`run` is the thin composition: it parses inputs, builds the GitHub and git adapters, and
hands them to :func:`check_changelog`, which tests call with their own. Each mode's checks live in
their own flow module: ``release_flow``, ``pull_request_flow`` and ``lint_flow``.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..context import Context, Workflow
from ..errors import ReleaseActionsError
from ..git import Git, private_checkout
from ..inputs import Inputs
from ..runner import Runner
from .flows import (
    Report,
    RunResult,
    Settings,
    SummaryFacts,
    Target,
    check_pull_request,
    check_release,
    choose_target,
    lint_files,
    open_release_pull,
    render_summary,
)

if TYPE_CHECKING:
    from ..github import GitHub


def run(args: argparse.Namespace, context: Context) -> int:
    settings = Settings.from_inputs(Inputs(context.environ))
    context.runner.mask(settings.token)
    workflow = context.workflow
    target = choose_target(settings, workflow)
    needs_github = target.mode in ("pr", "release-pr") or (
        target.mode == "release" and settings.update_release
    )
    if needs_github and not workflow.repository:
        raise ReleaseActionsError(
            f"mode '{target.mode}' needs the GitHub API, but GITHUB_REPOSITORY is not set: "
            "outside GitHub Actions, set GITHUB_REPOSITORY=OWNER/NAME (and INPUT_TOKEN)"
        )
    github = None
    if needs_github:
        from ..github import GitHub  # deferred: PyGithub is slow to import, and lint never needs it

        github = GitHub.from_workflow(settings.token, workflow)
    try:
        # Fetches go to a private git directory: the caller's checkout is left as it was.
        with private_checkout(context.cwd, token=settings.token or None) as git:
            return check_changelog(
                settings,
                target,
                workflow,
                runner=context.runner,
                root=context.cwd,
                github=github,
                git=git if git is not None else Git(context.cwd),
            )
    finally:
        if github is not None:
            github.close()


def check_changelog(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    *,
    runner: Runner,
    root: Path,
    github: GitHub | None,
    git: Git,
) -> int:
    """Run the checks for ``target``, set the outputs and the summary; raise if any failed."""
    report = Report()
    if target.mode == "release":
        result = check_release(settings, target, workflow, report, runner, root, github, git)
    elif target.mode == "release-pr":
        if github is None:
            raise ReleaseActionsError("release-pr mode needs the GitHub API")
        today = datetime.datetime.now(datetime.UTC).date()
        result = open_release_pull(settings, target, workflow, runner, github, git, today)
    elif target.mode == "pr":
        if github is None:
            raise ReleaseActionsError("pull request checks need the GitHub API")
        result = check_pull_request(settings, workflow, report, runner, root, github, git)
    else:
        result = lint_files(settings, report, runner, root)
    _set_outputs(runner, target, result, report)
    runner.add_summary(
        render_summary(
            SummaryFacts(
                mode=target.mode,
                subject=result.subject,
                file=result.file,
                entry=result.entry,
                notes=result.notes,
                skip_reason=result.skip_reason,
                release=result.release,
                pull=result.pull,
            ),
            report.rows,
        )
    )
    report.emit(runner)
    report.raise_if_failed()
    return 0


def _set_outputs(runner: Runner, target: Target, result: RunResult, report: Report) -> None:
    entry = result.entry
    outputs = {
        "mode": target.mode,
        "version": result.version,
        "date": entry.date.isoformat() if entry is not None and entry.date else "",
        "status": entry.status if entry is not None else "",
        "changelog-file": result.file,
        "entry-line": str(entry.line) if entry is not None else "",
        "release-notes": result.notes or "",
        "release-notes-file": result.notes_file,
        "skipped": "true" if result.skip_reason else "false",
        "skip-reason": result.skip_reason,
        "release-updated": "true" if result.release_updated else "false",
        "findings": report.as_json(),
        "pull-request-url": result.proposal.url if result.proposal else "",
        "pull-request-number": str(result.proposal.number or "") if result.proposal else "",
    }
    for name, value in outputs.items():
        runner.set_output(name, value)
