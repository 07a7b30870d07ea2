"""Helm itself as the oracle (its Go SDK through helm-python-sdk): it loads and lints what we
package exactly as the source, indexes it into the same entry, and reads our index over HTTP."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.loader.chart_file import load_chart
from release_actions.chart.loader.goyaml import load_strings
from release_actions.chart.package.archive import PackagedChart, package_chart
from release_actions.chart.repo.entry import index_entry
from release_actions.chart.repo.index import merge_index, published_versions
from support.shared_data import shared_data

try:
    import helm_python as helm
except ImportError:  # pragma: no cover - the wheel is linux x86_64 only
    pytest.skip(
        "helm_python (helm-python-sdk, Helm's Go SDK) is not importable on this platform",
        allow_module_level=True,
    )

INDEXES = shared_data("indexes")
OLD_INDEX = INDEXES / "opentelemetry-helm-charts.gh-pages.index.yaml"
COMMIT_TIME = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
BASE_URL = "https://charts.example.com/releases/download"

CHART_YAML = """\
apiVersion: v2
name: webapp
version: 1.4.0-rc.1
appVersion: "1.10"
kubeVersion: ">=1.24.0-0"
description: |
  A web application,
  on two lines
home: https://example.com/webapp
icon: https://example.com/webapp.png
sources:
- https://github.com/example/webapp
keywords: [web, "true", y]
maintainers:
- name: Web Team
  email: web@example.com
annotations:
  artifacthub.io/changes: |
    - kind: added
      description: probes
  artifacthub.io/license: Apache-2.0
  a9: nine
  a10: ten
dependencies:
- name: cache
  version: 0.2.0
  repository: file://charts/cache
  condition: cache.enabled
- name: common
  version: ">=1.0.0"
  repository: https://charts.example.com/common
  alias: shared
  import-values: [defaults]
type: application
"""

FILES: dict[str, str] = {
    "Chart.yaml": CHART_YAML,
    "values.yaml": "replicaCount: 1\ncache:\n  enabled: false\nshared: {}\n",
    "values.schema.json": '{"type": "object"}\n',
    ".helmignore": "# build leftovers\n*.orig\n/ci/\ndocs/*.md\ntmp/\n",
    "templates/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  replicas: {{ .Values.replicaCount }}\n"
        "  selector:\n    matchLabels:\n      app: webapp\n"
        "  template:\n    metadata:\n      labels:\n        app: webapp\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n"
    ),
    "templates/_helpers.tpl": '{{- define "webapp.name" -}}webapp{{- end }}\n',
    "templates/NOTES.txt": "Thanks for installing {{ .Chart.Name }}.\n",
    "templates/.backup.yaml": "ignored by Helm's default rule\n",
    "crds/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
    "files/config.ini": "[main]\nkey = value\n",
    "docs/usage.md": "ignored\n",
    "docs/img/arch.md": "kept: * does not cross /\n",
    "values.yaml.orig": "ignored\n",
    "ci/test-values.yaml": "ignored: anchored at the root\n",
    "files/ci/kept.yaml": "kept\n",
    "tmp/scratch.txt": "ignored directory\n",
    "README.md": "# webapp\n",
    "charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 0.2.0\n",
    "charts/cache/values.yaml": "enabled: false\n",
    "charts/cache/templates/cm.yaml": "kind: ConfigMap\n",
    "charts/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 1.3.0\ntype: library\n",
    "charts/common/templates/_util.tpl": '{{- define "common.x" -}}x{{- end }}\n',
}


@pytest.fixture
def chart_dir(tmp_path: Path) -> Path:
    root = tmp_path / "src" / "webapp"
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def packaged(chart_dir: Path, tmp_path: Path) -> PackagedChart:
    return package_chart(
        load_chart(chart_dir), tmp_path / "ours", mtime=COMMIT_TIME, helm_binary=None
    )


def contents(chart: Any) -> dict[str, Any]:
    """What Helm loaded, minus nothing that a package should change."""
    return {
        "metadata": chart.metadata,
        "values": chart.values,
        "schema": chart.schema,
        "files": sorted((item["name"], item["data"]) for item in chart.files),
        "templates": sorted((item["name"], item["data"]) for item in chart.templates),
        "crds": sorted(item["name"] for item in chart.crds),
        "dependencies": sorted(str(item) for item in chart.dependencies),
    }


def test_helm_loads_our_package_as_it_loads_the_source(
    chart_dir: Path, packaged: PackagedChart
) -> None:
    with helm.Chart.load(packaged.path) as ours, helm.Chart.load(chart_dir) as source:
        assert ours.name == "webapp"
        assert ours.version == "1.4.0-rc.1"
        assert contents(ours) == contents(source)
    with helm.Chart.load_archive(packaged.path.read_bytes()) as from_memory:
        assert from_memory.name == "webapp"


def test_our_package_holds_the_files_helm_packages(
    chart_dir: Path, packaged: PackagedChart, tmp_path: Path
) -> None:
    helms = helm.package(chart_dir, destination=tmp_path / "helm")
    with helm.Chart.load(helms) as theirs, helm.Chart.load(packaged.path) as ours:
        assert contents(ours) == contents(theirs)
        names = {item["name"] for item in ours.files} | {item["name"] for item in ours.templates}
    assert "files/ci/kept.yaml" in names
    assert "docs/img/arch.md" in names
    assert not names & {"docs/usage.md", "values.yaml.orig", "templates/.backup.yaml"}


def test_helm_lints_our_package_exactly_as_the_source(
    chart_dir: Path, packaged: PackagedChart
) -> None:
    ours = helm.lint(packaged.path)
    source = helm.lint(chart_dir)

    assert ours == source
    assert ours["total_charts_linted"] == 1
    assert not ours["errors"]


def test_helm_indexes_our_package_into_the_entry_we_write(
    chart_dir: Path, packaged: PackagedChart, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(packaged.path, repo)

    helm.repo_index_generate(repo, base_url=BASE_URL)
    helms = load_strings((repo / "index.yaml").read_text(encoding="utf-8"))
    ours = index_entry(
        load_chart(chart_dir),
        digest=packaged.digest,
        urls=[f"{BASE_URL}/{packaged.path.name}"],
        created=COMMIT_TIME,
    )

    (theirs,) = helms["entries"]["webapp"]
    assert theirs.pop("created")
    ours.pop("created")
    assert ours == theirs


@pytest.mark.skipif(not OLD_INDEX.is_file(), reason=f"the real index is not here: {OLD_INDEX}")
def test_our_merge_is_helms_repo_index_merge_byte_for_byte(
    packaged: PackagedChart, chart_dir: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(packaged.path, repo)
    old = OLD_INDEX.read_text(encoding="utf-8")

    helm.repo_index_generate(repo, base_url=BASE_URL, merge=OLD_INDEX)
    helms = (repo / "index.yaml").read_text(encoding="utf-8")
    new_entry = index_entry(
        load_chart(chart_dir),
        digest=packaged.digest,
        urls=[f"{BASE_URL}/{packaged.path.name}"],
        created=COMMIT_TIME,
    )
    ours = merge_index(old, [new_entry], generated=COMMIT_TIME)

    # Only the times differ: Helm stamps its run's time (with nanoseconds) on both lines.
    their_created = re.search(
        r'\n    created: "([^"]+)"\n(?=(?:    .*\n)*?    name: webapp\n)', helms
    )
    assert their_created is not None
    ours = ours.replace('created: "2024-05-01T12:30:00Z"', f'created: "{their_created[1]}"')
    their_generated = re.search(r'\ngenerated: "([^"]+)"\n', helms)
    assert their_generated is not None
    ours = ours.replace('generated: "2024-05-01T12:30:00Z"', f'generated: "{their_generated[1]}"')
    assert ours == helms


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on 127.0.0.1, as GitHub Pages would serve the branch."""
    root = tmp_path / "pages"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_helms_repository_client_lists_and_pulls_from_our_index(
    chart_dir: Path, packaged: PackagedChart, served: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = served
    shutil.copy(packaged.path, root)
    older = index_entry(
        load_chart(chart_dir), digest="0" * 64, urls=["webapp-1.3.0.tgz"], created=COMMIT_TIME
    )
    older["version"] = "1.3.0"
    newer = index_entry(
        load_chart(chart_dir),
        digest=packaged.digest,
        urls=[packaged.path.name],  # relative, as with packages kept next to the index
        created=COMMIT_TIME,
    )
    index = merge_index(None, [older], generated=COMMIT_TIME)
    index = merge_index(index, [newer], generated=COMMIT_TIME)
    (root / "index.yaml").write_text(index, encoding="utf-8")

    listed = helm.repo_index(url)

    assert [item["version"] for item in listed["entries"]["webapp"]] == ["1.4.0-rc.1", "1.3.0"]
    assert published_versions(index) == {"webapp": {"1.4.0-rc.1", "1.3.0"}}
    (tmp_path / "dl").mkdir()
    helm.pull("webapp", repo_url=url, version="1.4.0-rc.1", destination=tmp_path / "dl")
    assert (tmp_path / "dl" / packaged.path.name).read_bytes() == packaged.path.read_bytes()
