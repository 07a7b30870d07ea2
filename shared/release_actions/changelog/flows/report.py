"""Collects what each check found, for the annotations, the outputs and the summary's table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ...errors import ChecksFailed
from ...runner import Runner
from ..reading import Finding, Severity
from ..rules import RULES_BY_ID, Rule

Outcome = Literal["passed", "failed", "warning", "skipped"]


@dataclass(frozen=True)
class CheckRow:
    rule: Rule
    outcome: Outcome
    detail: str


class Report:
    """Each check adds one row (ran, with its findings, or skipped with a reason)."""

    def __init__(self) -> None:
        self.rows: list[CheckRow] = []
        self.findings: list[Finding] = []

    def ran(self, rule: Rule, findings: Iterable[Finding], *, detail: str = "") -> None:
        found = [finding for finding in findings if finding.rule == rule.id]
        self.findings.extend(found)
        if any(finding.severity == "error" for finding in found):
            outcome: Outcome = "failed"
        elif found:
            outcome = "warning"
        else:
            outcome = "passed"
        if found:
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            detail = found[0].message + more
        self._replace(CheckRow(rule, outcome, detail))

    def ran_all(self, rules: Iterable[Rule], findings: Iterable[Finding]) -> None:
        listed = list(findings)
        for rule in rules:
            self.ran(rule, listed)

    def skipped(self, rule: Rule, reason: str) -> None:
        self._replace(CheckRow(rule, "skipped", reason))

    def _replace(self, row: CheckRow) -> None:
        """A rule checked for several files keeps its worst outcome in one row."""
        rank = ("skipped", "passed", "warning", "failed")
        for index, existing in enumerate(self.rows):
            if existing.rule == row.rule:
                if rank.index(row.outcome) > rank.index(existing.outcome):
                    self.rows[index] = row
                return
        self.rows.append(row)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    def emit(self, runner: Runner) -> None:
        for finding in self.findings:
            rule = RULES_BY_ID.get(finding.rule)
            runner.annotate(
                finding.severity,
                finding.message,
                location=finding.location,
                title=rule.title if rule else finding.rule,
            )

    def raise_if_failed(self) -> None:
        count = len(self.errors)
        if count:
            noun = "error" if count == 1 else "errors"
            raise ChecksFailed(f"the changelog checks found {count} {noun}")

    def as_json(self) -> str:
        return json.dumps(
            [
                {
                    "rule": finding.rule,
                    "severity": finding.severity,
                    "message": finding.message,
                    "file": finding.file,
                    "line": finding.line,
                }
                for finding in self.findings
            ]
        )


def with_severity(findings: Iterable[Finding], level: Literal["error", "warning"]) -> list[Finding]:
    """Downgrade errors to warnings when a check is configured as advisory."""
    if level == "error":
        return list(findings)
    lowered: Severity = "warning"
    return [
        Finding(f.rule, lowered, f.message, f.file, f.line) if f.severity == "error" else f
        for f in findings
    ]
