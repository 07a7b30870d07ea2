"""What a chart check finds: a rule, a message and the line it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...errors import SourceLocation

Severity = Literal["error", "warning"]

# Every rule a check can report, with what it enforces: the ids are stable, and shown to users.
RULES: dict[str, str] = {
    "yaml-encoding": "the file is valid UTF-8",
    "yaml-tab": "indentation uses spaces, not tabs",
    "yaml-duplicate-key": "no key appears twice in one mapping",
    "yaml-syntax": "the file is one well-formed YAML document",
    "chart-file": "Chart.yaml exists and is a mapping",
    "api-version": "apiVersion is v1 or v2",
    "chart-name": "name matches ^[a-z0-9-]+$",
    "version-semver": "version is strict SemVer 2.0",
    "string-type": "version and appVersion are YAML strings, not numbers",
    "chart-type": "type is application or library (apiVersion v2 only)",
    "dependencies-v1": "dependencies in Chart.yaml need apiVersion v2 (v1: requirements.yaml)",
    "chart-lock": "Chart.lock is in sync with the dependencies",
    "dependency-path": "every file:// dependency points at a chart",
    "version-bump": "a changed chart has a greater version than at the merge-base",
    "already-published": "the version is not in the index and has no release tag yet",
    "app-version-policy": "appVersion follows app-version-policy",
    "values-check": "values.yaml fields follow values-checks",
    "tag-version": "the tag of a tag run matches the chart version through tag-template",
    "release-notes": "the release notes of a changed chart can be built (release-notes)",
    "duplicate-chart": "no two charts share a name",
    "helm-load": "Helm's chart loader loads the chart, and helm lint finds no error in it"
    " (values.yaml a map, loadable subcharts, exact type, named maintainers)",
    "chart-lookalike": "a directory with templates/ or values.yaml has a Chart.yaml",
    "dependency-build": "dependencies not vendored in charts/ can be built (helm is on PATH)",
}


@dataclass(frozen=True)
class Finding:
    """One problem: ``rule`` is an id from :data:`RULES`; ``chart`` the chart's directory.

    ``location`` is ``None`` for a problem that is in no file, such as a tag that fits no chart.
    """

    rule: str
    message: str
    location: SourceLocation | None
    severity: Severity = "error"
    chart: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")

    @property
    def title(self) -> str:
        """An annotation title: the rule id, so a user can search for it."""
        return f"chart {self.rule}"
