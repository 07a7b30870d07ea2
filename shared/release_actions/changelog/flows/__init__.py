"""The action's flows (release gate, pull request, lint, release-pr), their settings and report."""

from __future__ import annotations

from .lint import lint_files
from .pull_request import check_pull_request
from .release import check_release
from .release_pull import open_release_pull
from .report import Report
from .settings import LINT_LEVELS, Settings, Target, choose_target
from .shared import ChangelogGitHub, RunResult
from .summary import SummaryFacts, render_summary

__all__ = [
    "LINT_LEVELS",
    "ChangelogGitHub",
    "Report",
    "RunResult",
    "Settings",
    "SummaryFacts",
    "Target",
    "check_pull_request",
    "check_release",
    "choose_target",
    "lint_files",
    "open_release_pull",
    "render_summary",
]
