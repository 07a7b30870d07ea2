"""Reading a chart exactly as Helm does: YAML and scalars, Chart.yaml, .helmignore, discovery."""

from __future__ import annotations

from .chart_file import (
    CHART_FILE,
    ChartFile,
    ChartFileError,
    load_chart,
    parse_chart,
    read_chart,
    repo_path,
    yaml_finding,
)
from .discovery import discover_charts, files_by_chart
from .findings import Finding, Severity
from .go_scalars import go_key_string, go_string, sanitize
from .goyaml import dump_go, go_key_less, go_rfc3339, go_sorted_keys, load_go, load_strings
from .helm_json import go_bool, go_json, go_value, node_go_string
from .helm_version import is_newer, version_key
from .helmignore import HelmIgnore
from .yaml_source import (
    STR_TAG,
    YamlDocument,
    YamlProblem,
    find_entry,
    find_path,
    is_string,
    node_position,
    parse_yaml,
    path_anchor,
    type_name,
)

__all__ = [
    "CHART_FILE",
    "STR_TAG",
    "ChartFile",
    "ChartFileError",
    "Finding",
    "HelmIgnore",
    "Severity",
    "YamlDocument",
    "YamlProblem",
    "discover_charts",
    "dump_go",
    "files_by_chart",
    "find_entry",
    "find_path",
    "go_bool",
    "go_json",
    "go_key_less",
    "go_key_string",
    "go_rfc3339",
    "go_sorted_keys",
    "go_string",
    "go_value",
    "is_newer",
    "is_string",
    "load_chart",
    "load_go",
    "load_strings",
    "node_go_string",
    "node_position",
    "parse_chart",
    "parse_yaml",
    "path_anchor",
    "read_chart",
    "repo_path",
    "sanitize",
    "type_name",
    "version_key",
    "yaml_finding",
]
