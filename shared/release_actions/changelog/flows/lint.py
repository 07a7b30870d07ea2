"""Lint mode, and the lint every mode runs on the changelogs it reads."""

from __future__ import annotations

from pathlib import Path

from ...runner import Runner
from ..reading import Changelog, find_changelogs, load_changelog
from ..rules import LintOptions, lint, lint_rules
from ..rules import catalogue as rules
from .report import Report, with_severity
from .settings import Settings
from .shared import RunResult


def lint_files(settings: Settings, report: Report, runner: Runner, root: Path) -> RunResult:
    """Lint every changelog under ``root`` that the path templates match."""
    files = find_changelogs(root, settings.paths)
    result = RunResult(file=files[0] if files else "")
    if not files:
        wanted = ", ".join(template.template for template in settings.paths)
        missing = rules.FILE_MISSING.finding(
            f"no changelog matches {wanted}", file=settings.paths[0].template
        )
        report.ran(rules.FILE_MISSING, [missing])
        return result
    result.subject = ", ".join(f"`{path}`" for path in files[:5]) + (
        f" and {len(files) - 5} more" if len(files) > 5 else ""
    )
    for path in files:
        lint_changelog(load_changelog(root, path, runner), settings, report)
    return result


def lint_changelog(changelog: Changelog, settings: Settings, report: Report) -> None:
    """Run the lint rules on one changelog at the ``lint`` severity, or mark them skipped."""
    options = LintOptions(order=settings.order, profile=settings.profile)
    if settings.lint == "off":
        for rule in lint_rules(options):
            report.skipped(rule, "lint is off")
        return
    report.ran_all(lint_rules(options), with_severity(lint(changelog, options), settings.lint))
