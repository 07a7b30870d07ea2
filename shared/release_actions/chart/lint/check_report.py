"""Telling the user what the checks found: one annotation each, and a step-summary table."""

from __future__ import annotations

from ...errors import ChecksFailed
from ...runner import Runner
from ..loader import Finding
from .checks import CheckReport


def report_checks(runner: Runner, report: CheckReport, *, summary: bool = True) -> None:
    """Annotate every finding, add the summary table, and raise :class:`ChecksFailed` when an
    error was found (warnings alone pass)."""
    for finding in report.findings:
        annotate = runner.error if finding.severity == "error" else runner.warning
        annotate(finding.message, location=finding.location, title=finding.title)
    if not report.charts:
        runner.warning("no charts found: nothing was checked")
    if summary:
        runner.add_summary(check_summary_markdown(report))
    errors = len(report.errors)
    if errors:
        charts = len({finding.chart for finding in report.errors})
        raise ChecksFailed(
            f"{errors} chart check{'s' if errors != 1 else ''} failed"
            f" in {charts} chart{'s' if charts != 1 else ''}"
        )
    warnings = len(report.findings)
    found = f"no errors, {warnings} warning(s)" if warnings else "no problems found"
    runner.info(f"Checked {len(report.charts)} chart(s): {found}.")


def check_summary_markdown(report: CheckReport) -> str:
    """A Markdown table of the charts checked, then the problems, for ``$GITHUB_STEP_SUMMARY``."""
    lines = ["### Chart checks", ""]
    if report.changes is not None:
        lines += [f"Changes compared with {report.changes.label}.", ""]
    if not report.charts:
        lines.append("No charts found.")
        return "\n".join(lines) + "\n"
    lines += ["| Chart | Version | Changed | Result |", "| --- | --- | --- | --- |"]
    for checked in report.charts:
        problems = [f for f in report.findings if f.chart == checked.directory]
        errors = sum(1 for finding in problems if finding.severity == "error")
        warnings = len(problems) - errors
        if errors:
            result = f"❌ {errors} problem{'s' if errors != 1 else ''}"
        elif warnings:
            result = f"⚠️ {warnings} warning{'s' if warnings != 1 else ''}"
        else:
            result = "✅"
        changed = "—" if checked.changed is None else ("yes" if checked.changed else "no")
        name = checked.name or "?"
        lines.append(
            f"| {_cell(name)} (`{_cell(checked.directory)}`) | {_cell(checked.version or '?')}"
            f" | {changed} | {result} |"
        )
    if report.findings:
        lines += ["", "#### Problems", ""]
        lines += [_problem_line(finding) for finding in report.findings]
    if report.excluded:
        excluded = ", ".join(f"`{directory}`" for directory in report.excluded)
        lines += ["", f"Excluded: {excluded}."]
    return "\n".join(lines) + "\n"


def _problem_line(finding: Finding) -> str:
    marker = "❌" if finding.severity == "error" else "⚠️"
    location = finding.location
    if location is None:
        return f"- {marker} **{finding.rule}**: {_inline(finding.message)}"
    where = location.file
    if location.line is not None:
        where += f":{location.line}"
    return f"- {marker} `{where}` **{finding.rule}**: {_inline(finding.message)}"


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _inline(text: str) -> str:
    return " ".join(text.split())
