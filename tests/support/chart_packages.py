"""A chart package on disk, made reproducibly, for the registry and provenance tests."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from release_actions.chart.loader import load_chart
from release_actions.chart.package import package_chart

from .git_repos import write_files

PACKAGED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CHART_YAML = """\
apiVersion: v2
name: demo
version: 1.2.3+build.7
appVersion: "1.10"
description: A demo <chart> & friends
home: https://example.com/demo
sources: [https://github.com/example/demo, https://example.com/mirror]
keywords: [demo, "true"]
maintainers:
- name: Team
  email: team@example.com
- name: Solo
- email: only@example.com
annotations:
  artifacthub.io/license: Apache-2.0
  org.opencontainers.image.title: not the title
  org.opencontainers.image.created: "2000-01-01T00:00:00Z"
dependencies:
- name: cache
  version: 0.2.0
  repository: file://charts/cache
  condition: cache.enabled
  alias: store
type: application
"""


def make_package(directory: Path, chart_yaml: str = CHART_YAML, values: str = "a: 1\n") -> Path:
    """A chart packaged reproducibly, its file stamped with the packaging time."""
    chart_dir = directory / "src" / "demo"
    write_files(
        chart_dir,
        {
            "Chart.yaml": chart_yaml,
            "values.yaml": values,
            "templates/cm.yaml": "kind: ConfigMap\n",
            "charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 0.2.0\n",
        },
    )
    packaged = package_chart(load_chart(chart_dir), directory, mtime=PACKAGED_AT, helm_binary=None)
    os.utime(packaged.path, (PACKAGED_AT.timestamp(), PACKAGED_AT.timestamp()))
    return packaged.path
