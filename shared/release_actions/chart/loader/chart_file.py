"""Loading ``Chart.yaml``: every way it can be malformed is one finding on the right line.

A tab in the indentation, a duplicate key, invalid UTF-8, or a ``version``/``appVersion`` that
Helm reads as a number or a boolean (``1.10`` becomes ``1.1``, ``1e3`` becomes ``1000``, ``y``
becomes ``true``: goyaml.v2's rules, see :mod:`.go_scalars`) never reach the rest of the code as
data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...confine import RefusedPath, read_confined, work_tree_root
from ...errors import ReleaseActionsError, SourceLocation
from .findings import Finding
from .helm_json import node_go_string
from .yaml_source import (
    NULL_TAG,
    YamlDocument,
    YamlProblem,
    is_string,
    node_position,
    parse_yaml,
    type_name,
)

CHART_FILE = "Chart.yaml"
STRING_FIELDS = ("version", "appVersion")


@dataclass(frozen=True)
class ChartFile:
    """A chart directory and its parsed ``Chart.yaml``."""

    directory: Path
    metadata: dict[str, Any]
    # Where annotations point (repository-relative when the loader knew the root).
    display_path: str = ""
    source: YamlDocument | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return str(self.metadata["name"])

    @property
    def version(self) -> str:
        return str(self.metadata["version"])

    @property
    def app_version(self) -> str | None:
        value = self.metadata.get("appVersion")
        return None if value is None else str(value)

    @property
    def api_version(self) -> str:
        return str(self.metadata.get("apiVersion") or "")

    @property
    def path(self) -> Path:
        return self.directory / CHART_FILE

    @property
    def display_directory(self) -> str:
        """The chart's directory as annotations show it (``.`` for a chart at the root)."""
        return (self.display_path or self.path.as_posix()).rpartition("/")[0] or "."

    def location(self, key: str | None = None) -> SourceLocation:
        """The line of ``key``'s value, or the file's first line when the key is absent."""
        display = self.display_path or str(self.path)
        entry = self.source.entry(key) if self.source is not None and key else None
        if entry is None:
            return SourceLocation(display, 1)
        position = node_position(entry[1])
        return SourceLocation(display, position.line, position.col)


class ChartFileError(ReleaseActionsError):
    """``Chart.yaml`` cannot be used; ``findings`` holds every reason, the message the first."""

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0]
        super().__init__(first.message, location=first.location, title=first.title)
        self.findings = findings


def load_chart(directory: Path, *, root: Path | None = None) -> ChartFile:
    """Read ``directory/Chart.yaml``; raise :class:`ChartFileError` (with a location) if bad.

    ``root``, when given, makes the annotation paths relative to the repository.
    """
    chart, findings = read_chart(directory, display_path=repo_path(directory / CHART_FILE, root))
    if chart is None or findings:
        raise ChartFileError(findings)
    return chart


def read_chart(directory: Path, *, display_path: str) -> tuple[ChartFile | None, list[Finding]]:
    """Read and parse a chart's ``Chart.yaml``: the chart (if it is a mapping) and its findings."""
    try:
        content = read_confined(directory / CHART_FILE, work_tree_root(directory))
    except FileNotFoundError:
        message = "Chart.yaml is missing"
    except RefusedPath as refused:
        message = refused.message
    except OSError as exc:
        message = f"Chart.yaml cannot be read: {exc.strerror}"
    else:
        return parse_chart(content, directory=directory, display_path=display_path)
    location = SourceLocation(display_path)
    return None, [Finding("chart-file", message, location, chart=_directory_of(display_path))]


def parse_chart(
    content: bytes, *, directory: Path, display_path: str
) -> tuple[ChartFile | None, list[Finding]]:
    """Parse ``Chart.yaml`` bytes. The findings cover what makes ``name``/``version`` unusable."""
    chart_dir = _directory_of(display_path)
    try:
        document = parse_yaml(content)
    except YamlProblem as problem:
        return None, [yaml_finding(problem, display_path, chart=chart_dir)]
    if not isinstance(document.root, yaml.MappingNode) or not isinstance(document.data, dict):
        line = node_position(document.root).line if document.root is not None else 1
        message = "Chart.yaml is empty" if document.root is None else "Chart.yaml is not a mapping"
        location = SourceLocation(display_path, line)
        return None, [Finding("chart-file", message, location, chart=chart_dir)]
    chart = ChartFile(
        directory=directory, metadata=document.data, display_path=display_path, source=document
    )
    return chart, essential_findings(chart)


def essential_findings(chart: ChartFile) -> list[Finding]:
    """``name`` and ``version`` present, and every version field a string as Helm reads it."""
    findings: list[tuple[str, str, str | None]] = []  # rule, message, key
    document = chart.source
    for key, rule in (("name", "chart-name"), ("version", "version-semver")):
        if document is None or document.entry(key) is None:
            findings.append((rule, f"{key} is required", None))
    name_entry = document.entry("name") if document is not None else None
    if name_entry is not None and not is_string(name_entry[1]):
        message = f"name must be a string, not a YAML {type_name(name_entry[1])}"
        findings.append(("chart-name", message, "name"))
    for key in STRING_FIELDS:
        entry = document.entry(key) if document is not None else None
        if entry is not None and not is_string(entry[1]):
            findings.append(("string-type", not_a_string_message(key, entry[1]), key))
    return [
        Finding(rule, message, chart.location(key), chart=chart.display_directory)
        for rule, message, key in findings
    ]


def not_a_string_message(key: str, node: yaml.Node) -> str:
    """Say what Helm makes of an unquoted value, e.g. ``1.10`` read as ``1.1``."""
    if node.tag == NULL_TAG:
        return f"{key} is empty (YAML null); give it a quoted value"
    if not isinstance(node, yaml.ScalarNode):
        return f"{key} must be a string, not a YAML {type_name(node)}"
    raw = node.value
    read_as = node_go_string(node)  # what Helm's string field receives: 1.10 is "1.1", y is "true"
    reading = f" and would be read as {read_as}" if read_as != raw else ""
    return f'{key} {raw} is a YAML {type_name(node)}{reading}; quote it: {key}: "{raw}"'


def yaml_finding(problem: YamlProblem, display_path: str, *, chart: str = "") -> Finding:
    """A malformed YAML file as a finding: ``yaml-encoding``, ``yaml-tab``, and so on."""
    rule = {
        "encoding": "yaml-encoding",
        "tab": "yaml-tab",
        "duplicate-key": "yaml-duplicate-key",
    }.get(problem.kind, "yaml-syntax")
    location = SourceLocation(display_path, problem.line, problem.col)
    return Finding(rule, problem.message, location, chart=chart)


def repo_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form when it is inside, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _directory_of(display_path: str) -> str:
    return display_path.rpartition("/")[0] or "."
