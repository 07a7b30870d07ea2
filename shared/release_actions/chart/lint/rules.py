"""The Chart.yaml rules, the version bump and the not-yet-published rule: pure functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set

from ...versions import TagTemplate, Version, is_semver, parse_version
from ..loader import ChartFile, Finding, Severity, YamlProblem, is_string, parse_yaml

API_VERSIONS = ("v1", "v2")
CHART_TYPES = ("application", "library")
_NAME = re.compile(r"[a-z0-9-]+")
# ASCII digits (``\d`` takes ``٢``), at most 20: int() refuses more than 4300.
_LOOSE_VERSION = re.compile(r"[vV]?([0-9]{1,20})(?:\.([0-9]{1,20}))?(?:\.([0-9]{1,20}))?([-+].*)?")


def check_metadata(chart: ChartFile) -> list[Finding]:
    """apiVersion, name, a strict SemVer version, and type. (Type and presence problems of
    ``name``/``version``/``appVersion`` come from :func:`chart_file.essential_findings`.)"""
    return [*_api_version(chart), *_name(chart), *_version(chart), *_chart_type(chart)]


def check_version_bump(
    chart: ChartFile, base_chart_yaml: bytes | None, base_label: str
) -> list[Finding]:
    """A changed chart's version must be greater than at the merge-base (``base_label`` names
    it in messages). ``None``: the chart did not exist there, so it is new and exempt."""
    if base_chart_yaml is None or not is_semver(chart.version):
        return []
    base_text = _version_text(base_chart_yaml)
    base = _loose_version(base_text) if base_text is not None else None
    if base is None:
        message = (
            f"the version at {base_label} ({base_text or 'unreadable'}) is not SemVer, so the"
            " version bump cannot be checked"
        )
        return [_finding(chart, "version-bump", message, "version", severity="warning")]
    current = parse_version(chart.version)
    if current.compare(base) > 0:
        return []
    hint = (
        f"bump it, e.g. to {base.bump_patch() if not base.prerelease else base.finalize_version()}"
    )
    if current.compare(base) == 0 and current.build != base.build:
        hint = f"build metadata (+{current.build}) does not count in SemVer order; {hint}"
    message = (
        f"files of chart {chart.name} changed, but version {chart.version} is not greater than"
        f" {base_text} at {base_label}; {hint}"
    )
    return [_finding(chart, "version-bump", message, "version")]


def check_unpublished(
    chart: ChartFile,
    published_versions: Mapping[str, Set[str]] | None,
    release_tags: Set[str] | None,
    tag_template: TagTemplate,
) -> list[Finding]:
    """The version is not in the published index and has no release tag: published versions are
    immutable, so changed files need a new version."""
    findings: list[Finding] = []
    if published_versions is not None and chart.version in published_versions.get(
        chart.name, frozenset()
    ):
        message = (
            f"{chart.name} {chart.version} is already published in the index; published versions"
            " are immutable, so bump the version"
        )
        findings.append(_finding(chart, "already-published", message, "version"))
    if release_tags:
        tag = tag_template.render(version=chart.version, name=chart.name)
        if tag in release_tags:
            message = f"the release tag {tag} already exists; bump the version"
            findings.append(_finding(chart, "already-published", message, "version"))
    return findings


def check_unique_names(charts: Sequence[ChartFile]) -> list[Finding]:
    """Two charts with one name cannot share an index (nor, usually, a tag)."""
    first_by_name: dict[str, ChartFile] = {}
    findings: list[Finding] = []
    for chart in charts:
        first = first_by_name.setdefault(chart.name, chart)
        if first is not chart:
            message = f"chart name {chart.name} is also used by {first.display_directory}"
            findings.append(_finding(chart, "duplicate-chart", message, "name"))
    return findings


def _api_version(chart: ChartFile) -> list[Finding]:
    entry = chart.source.entry("apiVersion") if chart.source is not None else None
    if entry is None:
        message = "apiVersion is required: v2 for Helm 3 and later (v1 for Helm 2 charts)"
        return [_finding(chart, "api-version", message, None)]
    value = entry[1]
    if is_string(value) and value.value in API_VERSIONS:
        return []
    shown = getattr(value, "value", "")
    message = f"apiVersion must be v1 or v2, not {shown!r}"
    return [_finding(chart, "api-version", message, "apiVersion")]


def _name(chart: ChartFile) -> list[Finding]:
    name = chart.metadata.get("name")
    if not isinstance(name, str) or _NAME.fullmatch(name):
        return []  # a missing or non-string name is an essential finding already
    message = f"name {name!r} must match ^[a-z0-9-]+$ (lowercase letters, digits and dashes)"
    return [_finding(chart, "chart-name", message, "name")]


def _version(chart: ChartFile) -> list[Finding]:
    version = chart.metadata.get("version")
    if not isinstance(version, str) or is_semver(version):
        return []
    hint = ""
    if version[:1] in ("v", "V") and is_semver(version[1:]):
        hint = f"; drop the leading {version[0]}: {version[1:]}"
    else:
        loose = _loose_version(version)
        if loose is not None:
            hint = f"; did you mean {loose}?"
    message = f"version {version!r} is not strict SemVer 2.0 (MAJOR.MINOR.PATCH){hint}"
    return [_finding(chart, "version-semver", message, "version")]


def _chart_type(chart: ChartFile) -> list[Finding]:
    entry = chart.source.entry("type") if chart.source is not None else None
    if entry is None:
        return []
    value = entry[1]
    if chart.api_version == "v1":
        message = "type needs apiVersion v2 (Helm 2 charts have no type)"
        return [_finding(chart, "chart-type", message, "type")]
    if is_string(value) and value.value in CHART_TYPES:
        return []
    shown = getattr(value, "value", "")
    message = f"type must be application or library, not {shown!r}"
    return [_finding(chart, "chart-type", message, "type")]


def _version_text(content: bytes) -> str | None:
    """The version as written in a Chart.yaml (the raw text, so ``1.10`` stays ``1.10``)."""
    try:
        document = parse_yaml(content, construct=False)
    except YamlProblem:
        return None
    entry = document.entry("version")
    if entry is None:
        return None
    value = getattr(entry[1], "value", None)
    return value if isinstance(value, str) else None


def _loose_version(text: str) -> Version | None:
    """Read a version as Helm does (``v1.2`` is 1.2.0), for versions from before strict SemVer."""
    if is_semver(text):
        return parse_version(text)
    match = _LOOSE_VERSION.fullmatch(text.strip())
    if match is None:
        return None
    major, minor, patch, rest = match.groups()
    candidate = f"{int(major)}.{int(minor or 0)}.{int(patch or 0)}{rest or ''}"
    return parse_version(candidate) if is_semver(candidate) else None


def _finding(
    chart: ChartFile,
    rule: str,
    message: str,
    key: str | None,
    *,
    severity: Severity = "error",
) -> Finding:
    return Finding(rule, message, chart.location(key), severity, chart.display_directory)
