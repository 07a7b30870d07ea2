"""Differential tests: ``chart package`` refuses exactly the charts Helm's loader refuses, and
``chart check`` fails wherever ``helm lint`` reports an error.

Hypothesis builds charts from parts that Helm reads in its own way: Chart.yaml fields of each
type (``type`` in other case, maintainers without a name or null, dependencies null, aliased or
twice, unknown fields), values.yaml as a map, a list, a scalar, several documents, a byte order
mark; ``.helmignore`` with a BOM; subcharts in ``charts/`` as directories and archives, loadable
or not, declared or not.

Stricter than Helm, on purpose (the README's "Stricter than Helm" list), so left out of the
comparison below: ``chart check`` wants strict SemVer and a lower-case name and refuses a key
twice in Chart.yaml (Helm keeps the last one); ``chart package`` refuses a Chart.yaml key twice,
a version or name that YAML reads as a number, and a declared dependency that is not vendored
(the package would lack it).
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from release_actions.chart.lint.checks import CheckConfig, run_checks
from release_actions.chart.loader.chart_file import load_chart
from release_actions.chart.package.archive import package_chart
from release_actions.errors import ReleaseActionsError

from ..helm_oracle import helm_lint_errors, helm_loads_chart

MTIME = datetime(2024, 5, 1, tzinfo=UTC)
BASE = "apiVersion: v2\nname: demo\nversion: 1.0.0\n"
SUB = "apiVersion: v2\nname: sub\nversion: 1.0.0\n"
DECLARED_SUB = "dependencies:\n- name: sub\n  version: 1.0.0\n"
# Each SDK call is a few milliseconds; 120 charts take about five seconds.
EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tgz(files: dict[str, str], top: str = "sub") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in files.items():
            data = content.encode("utf-8")
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue())


def write_chart(root: Path, files: dict[str, str | bytes]) -> Path:
    chart = root / "demo"
    for name, content in files.items():
        path = chart / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return chart


def our_package_verdict(chart: Path) -> tuple[bool, str]:
    try:
        package_chart(
            load_chart(chart), chart.parent / "out", mtime=MTIME, helm_binary=None, write=False
        )
    except ReleaseActionsError as error:
        return False, str(error)
    return True, ""


def our_check_fails(chart: Path) -> tuple[bool, list[str]]:
    report = run_checks(CheckConfig(charts_dirs=(".",)), root=chart.parent)
    return report.failed, [f"{f.rule}: {f.message}" for f in report.errors]


CASES: dict[str, dict[str, str | bytes]] = {
    "values-a-list": {"values.yaml": "- a\n"},
    "values-a-scalar": {"values.yaml": "hello\n"},
    "values-second-document-a-list": {"values.yaml": "a: 1\n---\n- b\n"},
    "values-list-as-key": {"values.yaml": "? [a]\n: b\n"},
    "values-not-yaml": {"values.yaml": "a: [\n"},
    "type-in-other-case": {"Chart.yaml": BASE + "type: Application\n"},
    "type-a-number": {"Chart.yaml": BASE + "type: 1\n"},
    "maintainer-null": {"Chart.yaml": BASE + "maintainers:\n- \n"},
    "maintainers-a-string": {"Chart.yaml": BASE + "maintainers: x\n"},
    "deprecated-a-string": {"Chart.yaml": BASE + "deprecated: 'yes'\n"},
    "dependency-null": {"Chart.yaml": BASE + "dependencies:\n- \n"},
    "alias-with-a-space": {
        "Chart.yaml": BASE + "dependencies:\n- name: a\n  version: 1.0.0\n  alias: 'a b'\n"
    },
    "dependency-twice": {
        "Chart.yaml": BASE
        + "dependencies:\n- name: a\n  version: 1.0.0\n- name: a\n  version: 1.0.0\n"
    },
    "lock-a-list": {"Chart.lock": "- x\n"},
    "version-not-semver": {"Chart.yaml": "apiVersion: v2\nname: demo\nversion: abc\n"},
    "prerelease-leading-zero": {"Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0-01\n"},
    "name-with-a-slash": {"Chart.yaml": "apiVersion: v2\nname: a/b\nversion: 1.0.0\n"},
    "subchart-without-name": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub/Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n",
    },
    "subchart-without-chart-yaml": {"charts/sub/values.yaml": "a: 1\n"},
    "stray-file-in-charts": {"charts/README.md": "hi\n"},
    "subchart-values-a-list": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub/Chart.yaml": SUB,
        "charts/sub/values.yaml": "- a\n",
    },
    "subchart-type-in-other-case": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub/Chart.yaml": SUB + "type: App\n",
    },
    "archive-without-name": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub-1.0.0.tgz": tgz({"Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n"}),
    },
    "archive-not-an-archive": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub-1.0.0.tgz": b"not a tgz",
    },
    "archive-values-a-list": {
        "Chart.yaml": BASE + DECLARED_SUB,
        "charts/sub-1.0.0.tgz": tgz({"Chart.yaml": SUB, "values.yaml": "- a\n"}),
    },
}


@pytest.mark.parametrize("files", [pytest.param(files, id=name) for name, files in CASES.items()])
def test_what_helm_cannot_load_is_never_packaged_and_fails_the_check(
    files: dict[str, str | bytes], tmp_path: Path
) -> None:
    chart = write_chart(tmp_path, {"Chart.yaml": BASE, **files})

    assert not helm_loads_chart(chart)[0]
    assert not our_package_verdict(chart)[0]
    assert our_check_fails(chart)[0]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"Chart.yaml": BASE + "maintainers:\n- email: a@example.com\n"},
            id="maintainer-without-name",
        ),
        pytest.param({"charts/sub/Chart.yaml": SUB}, id="subchart-not-declared"),
    ],
)
def test_what_helm_lint_calls_an_error_fails_the_check(
    files: dict[str, str | bytes], tmp_path: Path
) -> None:
    chart = write_chart(tmp_path, {"Chart.yaml": BASE, **files})

    assert helm_loads_chart(chart)[0]
    assert helm_lint_errors(chart)
    assert our_check_fails(chart)[0]


def test_a_helmignore_with_a_byte_order_mark_keeps_its_first_rule(tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path,
        {"Chart.yaml": BASE, ".helmignore": "\ufeffsecret.txt\n", "secret.txt": "s3cret\n"},
    )
    packaged = package_chart(load_chart(chart), tmp_path / "out", mtime=MTIME, helm_binary=None)

    with tarfile.open(packaged.path) as archive:
        names = archive.getnames()
    assert "demo/secret.txt" not in names
    assert helm_loads_chart(packaged.path)[0]


# -- generated charts ---------------------------------------------------------------------


def usually(good: object, *others: object) -> st.SearchStrategy[object]:
    """``good`` nine times in ten: one fault per chart is the most telling."""
    return st.integers(0, 9).flatmap(
        lambda roll: st.sampled_from(others) if roll == 0 else st.just(good)
    )


CHART_FIELDS = {
    "apiVersion": usually("apiVersion: v2\n", "apiVersion: v1\n", ""),
    "name": usually("name: demo\n", "name: ''\n", "name: a/b\n", "name: 1\n", ""),
    "version": usually("version: 1.0.0\n", "version: 1.0.0-01\n", "version: abc\n", ""),
    "type": usually(
        "",
        "type: application\n",
        "type: library\n",
        "type: Application\n",
        "type: LIBRARY\n",
        "type: ''\n",
        "type: 1\n",
    ),
    "maintainers": usually(
        "",
        "maintainers:\n- name: Ann\n",
        "maintainers:\n- email: a@example.com\n",
        "maintainers:\n- \n",
        "maintainers: x\n",
        "maintainers:\n- name: 1\n",
    ),
    "dependencies": usually(
        "",
        DECLARED_SUB,
        "dependencies:\n- \n",
        "dependencies:\n- name: sub\n  version: 1.0.0\n  alias: 'a b'\n",
        "dependencies:\n- name: sub\n  version: 1.0.0\n  alias: other\n",
    ),
    "other": usually(
        "",
        "deprecated: true\n",
        "deprecated: 'yes'\n",
        "foo: bar\n",
        "keywords: [1, web]\n",
        "annotations: {a: 1}\n",
    ),
}
VALUES = usually(
    None,
    "",
    "a: 1\n",
    "a: 1\na: 2\n",
    "- a\n",
    "hello\n",
    "~\n",
    "# c\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\n- b\n",
    "? [a]\n: b\n",
    "a: [\n",
    "\ufeffa: 1\n",
)
HELMIGNORE = usually(None, "values.yaml\n", "\ufeffvalues.yaml\n", "charts/\n", "\ufeff# c\n")
SUBCHART_METADATA = usually(
    SUB, "apiVersion: v2\nversion: 1.0.0\n", SUB + "type: App\n", SUB + "maintainers:\n- \n"
)
SUBCHART_VALUES = usually(None, "a: 1\n", "- a\n")


@st.composite
def charts(draw: st.DrawFn) -> dict[str, str | bytes]:
    chart_yaml = "".join(str(draw(strategy)) for strategy in CHART_FIELDS.values())
    if draw(st.integers(0, 9)) == 0:
        chart_yaml = "\ufeff" + chart_yaml
    files: dict[str, str | bytes] = {"Chart.yaml": chart_yaml}
    values = draw(VALUES)
    if values is not None:
        files["values.yaml"] = str(values)
    ignore = draw(HELMIGNORE)
    if ignore is not None:
        files[".helmignore"] = str(ignore)
    subchart = draw(st.sampled_from(["none", "directory", "archive", "stray", "hidden"]))
    sub_files = {"Chart.yaml": str(draw(SUBCHART_METADATA))}
    sub_values = draw(SUBCHART_VALUES)
    if sub_values is not None:
        sub_files["values.yaml"] = str(sub_values)
    if subchart == "directory":
        files.update({f"charts/sub/{name}": content for name, content in sub_files.items()})
    elif subchart == "archive":
        files["charts/sub-1.0.0.tgz"] = tgz(sub_files)
    elif subchart == "stray":
        files["charts/README.md"] = "hi\n"
    elif subchart == "hidden":
        files["charts/_scratch/notes.txt"] = "hi\n"
    return files


def stricter_than_helm(files: dict[str, str | bytes]) -> bool:
    """A chart ``chart package`` refuses on purpose: a name YAML reads as a number (Helm
    would name the package after Go's text for it), or a declared dependency not vendored."""
    number_name = re.search(r"(?m)^\ufeff?name: 1$", str(files["Chart.yaml"])) is not None
    return number_name or _declares_missing_dependency(files)


def _declares_missing_dependency(files: dict[str, str | bytes]) -> bool:
    chart_yaml = str(files["Chart.yaml"])
    declared = "- name: sub" in chart_yaml
    vendored = any(name.startswith("charts/sub") for name in files) and "charts/\n" not in str(
        files.get(".helmignore", "")
    )
    return declared and not vendored


@EXAMPLES
@given(charts())
def test_we_package_exactly_what_helm_loads_and_check_fails_where_helm_lint_does(
    files: dict[str, str | bytes],
) -> None:
    with tempfile.TemporaryDirectory() as work:
        chart = write_chart(Path(work), files)
        helm_loads, helm_reason = helm_loads_chart(chart)
        lint_errors = helm_lint_errors(chart)
        we_package, our_reason = our_package_verdict(chart)
        check_fails, _ = our_check_fails(chart)
    event("Helm loads it" if helm_loads else "Helm refuses it")
    event("helm lint: errors" if lint_errors else "helm lint: no error")

    if not stricter_than_helm(files):
        assert we_package == helm_loads, (
            f"Helm: {helm_reason or 'loads it'}; we: {our_reason or 'package it'}"
        )
    if lint_errors:
        assert check_fails, f"helm lint: {lint_errors}; chart check passed"
    if not helm_loads:
        assert check_fails, f"Helm: {helm_reason}; chart check passed"
