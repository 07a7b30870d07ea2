"""Building a chart's package: the reproducible .tgz and its file:// dependencies."""

from __future__ import annotations

from .archive import (
    PackagedChart,
    chart_file_contents,
    dependency_location,
    describe_dependencies,
    find_helm,
    missing_dependencies,
    missing_dependencies_error,
    package_chart,
    read_chart_archive,
)
from .dependencies import (
    FILE_SCHEME,
    DependencySources,
    LocalTarget,
    check_dependencies,
    declared_dependencies,
    lock_file_name,
)
from .helm_load import LoadProblem, archive_load_problem, chart_problems, helm_reads_version
from .supplied import SuppliedPackage, read_packages_dir, unpack_package

__all__ = [
    "FILE_SCHEME",
    "DependencySources",
    "LoadProblem",
    "LocalTarget",
    "PackagedChart",
    "SuppliedPackage",
    "archive_load_problem",
    "chart_file_contents",
    "chart_problems",
    "check_dependencies",
    "declared_dependencies",
    "dependency_location",
    "describe_dependencies",
    "find_helm",
    "helm_reads_version",
    "lock_file_name",
    "missing_dependencies",
    "missing_dependencies_error",
    "package_chart",
    "read_chart_archive",
    "read_packages_dir",
    "unpack_package",
]
