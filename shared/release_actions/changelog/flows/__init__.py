"""The action's flows (release, pull request, lint), with their settings, report and summary."""

from __future__ import annotations

from .lint import lint_files
from .pull_request import check_pull_request
from .release import check_release
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
    "render_summary",
]
