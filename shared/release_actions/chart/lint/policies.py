"""Repository policies: appVersion against version, values.yaml fields, and the run's tag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import yaml

from ...errors import SourceLocation, UsageError
from ...versions import TagTemplate
from ..loader import (
    ChartFile,
    Finding,
    YamlDocument,
    YamlProblem,
    find_path,
    is_string,
    node_position,
    path_anchor,
    type_name,
    yaml_finding,
)
from .tags import read_tag
from .values import ValuesCheck

AppVersionPolicy = Literal["equal", "v-prefixed", "none"]
APP_VERSION_POLICIES: tuple[AppVersionPolicy, ...] = ("equal", "v-prefixed", "none")


def parse_app_version_policy(text: str) -> AppVersionPolicy:
    for policy in APP_VERSION_POLICIES:
        if text == policy:
            return policy
    allowed = ", ".join(APP_VERSION_POLICIES)
    raise UsageError(f"app-version-policy must be one of {allowed}; got {text!r}")


def expected_app_version(version: str, policy: AppVersionPolicy) -> str | None:
    """What appVersion must be for ``version``; ``None`` when the policy leaves it free."""
    if policy == "equal":
        return version
    if policy == "v-prefixed":
        return f"v{version}"
    return None


def check_app_version(chart: ChartFile, policy: AppVersionPolicy) -> list[Finding]:
    expected = expected_app_version(chart.version, policy)
    if expected is None:
        return []
    actual = chart.app_version
    if actual == expected:
        return []
    if actual is None:
        message = (
            f'appVersion is missing; app-version-policy {policy} wants appVersion: "{expected}"'
        )
    else:
        message = (
            f"appVersion {actual!r} does not follow app-version-policy {policy}: version"
            f" {chart.version} wants appVersion {expected!r}"
        )
    location = chart.location("appVersion" if actual is not None else "version")
    return [Finding("app-version-policy", message, location, chart=chart.display_directory)]


def check_values(
    chart: ChartFile,
    values: YamlDocument | YamlProblem | None,
    values_path: str,
    checks: Sequence[ValuesCheck],
) -> list[Finding]:
    """Each ``values-checks`` line against the chart's values.yaml (``None``: it is missing)."""
    if not checks:
        return []
    chart_dir = chart.display_directory
    if isinstance(values, YamlProblem):
        return [yaml_finding(values, values_path, chart=chart_dir)]
    if values is None:
        keys = ", ".join(check.key for check in checks)
        message = f"values.yaml is missing, but values-checks need {keys}"
        return [Finding("values-check", message, SourceLocation(values_path), chart=chart_dir)]
    findings: list[Finding] = []
    for check in checks:
        problem = _values_problem(chart, values, check)
        if problem is not None:
            message, node = problem
            line, col = _where(values, node)
            location = SourceLocation(values_path, line, col)
            findings.append(Finding("values-check", message, location, chart=chart_dir))
    return findings


def check_tag(charts: Sequence[ChartFile], tag: str, template: TagTemplate) -> list[Finding]:
    """The run's tag, read through the template, must name a chart at exactly that version.

    Without ``{name}`` in the template the tag speaks for every chart (one version for all). A
    tag that fits no chart is about the tag itself: its finding has no file to point at.
    """
    reading = read_tag(charts, tag, template)
    if reading.version is None:
        message = f"tag {tag!r} does not fit tag-template {template.template!r}"
        return [Finding("tag-version", message, None)]
    if template.uses_name:
        if reading.chart is None:
            message = f"tag {tag!r} is for chart {reading.name!r}, which is not among the charts"
            return [Finding("tag-version", message, None)]
        return _tag_version_findings(reading.chart, tag, reading.version)
    findings: list[Finding] = []
    for chart in charts:
        findings.extend(_tag_version_findings(chart, tag, reading.version))
    return findings


def tag_version_message(chart: ChartFile, tag: str, tag_version: str) -> str | None:
    """Why ``chart`` does not fit a tag for ``tag_version``; ``None`` when it does."""
    if chart.version == tag_version:
        return None
    return (
        f"tag {tag!r} is for version {tag_version}, but chart {chart.name} has version"
        f" {chart.version}"
    )


def _tag_version_findings(chart: ChartFile, tag: str, tag_version: str) -> list[Finding]:
    message = tag_version_message(chart, tag, tag_version)
    if message is None:
        return []
    return [
        Finding("tag-version", message, chart.location("version"), chart=chart.display_directory)
    ]


def _values_problem(
    chart: ChartFile, values: YamlDocument, check: ValuesCheck
) -> tuple[str, yaml.Node | None] | None:
    """The message and the node it is about, or ``None`` when the field is right."""
    try:
        expected = check.render(
            name=chart.name, version=chart.version, app_version=chart.app_version
        )
    except ValueError:
        return f"values check '{check}' needs an appVersion in Chart.yaml", None
    node, depth = find_path(values.root, check.path)
    if node is None:
        missing = ".".join(check.path[: depth + 1])
        parent = path_anchor(values.root, check.path[:depth])
        return f"values.yaml has no {missing}; '{check}' wants {expected!r}", parent
    if not isinstance(node, yaml.ScalarNode):
        return f"{check.key} is a YAML {type_name(node)}; '{check}' wants {expected!r}", node
    if not is_string(node):
        if node.value == expected:
            return (
                f'{check.key} {node.value} is a YAML {type_name(node)}; quote it: "{expected}"',
                node,
            )
        return f"{check.key} is {node.value}, but '{check}' wants {expected!r}", node
    if node.value != expected:
        return f"{check.key} is {node.value!r}, but '{check}' wants {expected!r}", node
    return None


def _where(values: YamlDocument, node: yaml.Node | None) -> tuple[int, int | None]:
    if node is None or node is values.root:
        return 1, None
    position = node_position(node)
    return position.line, position.col
