"""Building a chart's package: the reproducible .tgz and its file:// dependencies."""

from __future__ import annotations

from .archive import (
    PackagedChart,
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
from .supplied import SuppliedPackage, read_packages_dir, unpack_package

__all__ = [
    "FILE_SCHEME",
    "DependencySources",
    "LocalTarget",
    "PackagedChart",
    "SuppliedPackage",
    "check_dependencies",
    "declared_dependencies",
    "dependency_location",
    "describe_dependencies",
    "find_helm",
    "lock_file_name",
    "missing_dependencies",
    "missing_dependencies_error",
    "package_chart",
    "read_chart_archive",
    "read_packages_dir",
    "unpack_package",
]
