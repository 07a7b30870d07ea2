"""``chart bump``: the values change, and every other byte of the files stays where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_actions.chart.lint.bump import apply_bump, plan_bump, render_like
from release_actions.chart.lint.values import parse_values_check
from release_actions.chart.loader.chart_file import ChartFileError, load_chart
from release_actions.chart.loader.yaml_source import parse_yaml
from release_actions.errors import ReleaseActionsError, SourceLocation, UsageError

HAMI_CHART = """\
# HAMi chart: keep version and appVersion equal (hack/verify-chart-version.sh)
apiVersion: v2
name: hami
version: 2.9.0   # the chart version
appVersion: "2.9.0"
kubeVersion: ">= 1.18.0-0"

description: Heterogeneous AI Computing Virtualization Middleware
dependencies:
  - name: hami-dra
    version: 0.2.0   # not the chart version: left alone
    repository: https://project-hami.github.io/HAMi-DRA/
"""

HAMI_VALUES = """\
global:
  # image tag, with the v
  imageTag: 'v2.9.0'
  imagePullSecrets: []
scheduler:
  image:
    tag: v2.9.0 # plain
"""

IMAGE_TAG = parse_values_check("global.imageTag = v{version}")
SCHEDULER_TAG = parse_values_check("scheduler.image.tag = v{appVersion}")


@pytest.fixture
def hami(tmp_path: Path) -> Path:
    chart_dir = tmp_path / "charts" / "hami"
    chart_dir.mkdir(parents=True)
    (chart_dir / "Chart.yaml").write_text(HAMI_CHART, encoding="utf-8")
    (chart_dir / "values.yaml").write_text(HAMI_VALUES, encoding="utf-8")
    return chart_dir


def bump(chart_dir: Path, version: str, **options: object) -> list[Path]:
    plan = plan_bump(chart_dir, version, **options)  # type: ignore[arg-type]
    return apply_bump(plan)


def test_only_the_values_change_byte_for_byte(hami: Path) -> None:
    written = bump(
        hami, "2.10.0", policy="equal", values_checks=[IMAGE_TAG, SCHEDULER_TAG], root=hami.parent
    )
    assert written == [hami / "Chart.yaml", hami / "values.yaml"]
    assert (hami / "Chart.yaml").read_text(encoding="utf-8") == HAMI_CHART.replace(
        "version: 2.9.0   #", "version: 2.10.0   #"
    ).replace('appVersion: "2.9.0"', 'appVersion: "2.10.0"')
    assert (hami / "values.yaml").read_text(encoding="utf-8") == HAMI_VALUES.replace(
        "'v2.9.0'", "'v2.10.0'"
    ).replace("tag: v2.9.0 #", "tag: v2.10.0 #")
    chart = load_chart(hami)
    assert (chart.version, chart.app_version) == ("2.10.0", "2.10.0")


def test_a_second_bump_changes_nothing(hami: Path) -> None:
    options = {"policy": "equal", "values_checks": [IMAGE_TAG]}
    bump(hami, "2.10.0", **options)
    before = {path: path.read_bytes() for path in hami.iterdir()}
    mtimes = {path: path.stat().st_mtime_ns for path in hami.iterdir()}
    plan = plan_bump(hami, "2.10.0", **options)  # type: ignore[arg-type]
    assert not plan.changed and plan.diff() == ""
    assert apply_bump(plan) == []
    assert {path: path.read_bytes() for path in hami.iterdir()} == before
    assert {path: path.stat().st_mtime_ns for path in hami.iterdir()} == mtimes


def test_policy_none_leaves_app_version_alone(hami: Path) -> None:
    bump(hami, "3.0.0")
    chart = load_chart(hami)
    assert (chart.version, chart.app_version) == ("3.0.0", "2.9.0")
    assert (hami / "values.yaml").read_text(encoding="utf-8") == HAMI_VALUES


def test_v_prefixed_policy_and_an_inserted_app_version(tmp_path: Path) -> None:
    text = "apiVersion: v2\r\nname: web\r\nversion: 0.1.0 # c\r\ndescription: x\r\n"
    (tmp_path / "Chart.yaml").write_bytes(text.encode())
    bump(tmp_path, "0.2.0-rc.1", policy="v-prefixed")
    assert (tmp_path / "Chart.yaml").read_bytes() == (
        b'apiVersion: v2\r\nname: web\r\nversion: 0.2.0-rc.1 # c\r\nappVersion: "v0.2.0-rc.1"\r\n'
        b"description: x\r\n"
    )


def test_an_inserted_app_version_at_the_end_of_a_file_without_newline(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0")
    bump(tmp_path, "0.1.1", policy="equal")
    assert (tmp_path / "Chart.yaml").read_text() == (
        'apiVersion: v2\nname: web\nversion: 0.1.1\nappVersion: "0.1.1"'
    )


def test_an_unquoted_float_version_is_repaired(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text(
        "apiVersion: v2\nname: hami\nversion: 2.3\nappVersion: 2.3\n"
    )
    with pytest.raises(ChartFileError):
        load_chart(tmp_path)
    bump(tmp_path, "2.4.0", policy="equal")
    assert (tmp_path / "Chart.yaml").read_text() == (
        "apiVersion: v2\nname: hami\nversion: 2.4.0\nappVersion: 2.4.0\n"
    )
    assert load_chart(tmp_path).app_version == "2.4.0"


def test_an_unquoted_app_version_the_policy_leaves_alone_is_still_refused(tmp_path: Path) -> None:
    text = "apiVersion: v2\nname: hami\nversion: 2.3\nappVersion: 2.3\n"
    (tmp_path / "Chart.yaml").write_text(text)
    with pytest.raises(ChartFileError) as caught:
        plan_bump(tmp_path, "2.4.0")
    assert caught.value.location is not None and caught.value.location.line == 4
    assert "appVersion 2.3 is a YAML number" in caught.value.message
    assert (tmp_path / "Chart.yaml").read_text() == text


def test_the_byte_order_mark_survives(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_bytes("\ufeffname: a\nversion: 1.0.0\n".encode())
    bump(tmp_path, "1.0.1")
    assert (tmp_path / "Chart.yaml").read_bytes() == "\ufeffname: a\nversion: 1.0.1\n".encode()


def test_a_non_ascii_comment_before_the_value(tmp_path: Path) -> None:
    text = "# 图表 😀 chart\nname: a\ndescription: «é»\nversion: '1.0.0'\n"
    (tmp_path / "Chart.yaml").write_text(text, encoding="utf-8")
    bump(tmp_path, "1.1.0")
    assert (tmp_path / "Chart.yaml").read_text(encoding="utf-8") == text.replace("1.0.0", "1.1.0")


def test_the_dry_run_diff(hami: Path) -> None:
    plan = plan_bump(hami, "2.10.0", policy="equal", values_checks=[IMAGE_TAG], root=hami.parent)
    diff = plan.diff()
    assert "--- a/hami/Chart.yaml\n+++ b/hami/Chart.yaml\n" in diff
    assert '\n-appVersion: "2.9.0"\n' in diff and '\n+appVersion: "2.10.0"\n' in diff
    assert "-  imageTag: 'v2.9.0'\n+  imageTag: 'v2.10.0'\n" in diff
    assert (hami / "Chart.yaml").read_text(encoding="utf-8") == HAMI_CHART  # nothing written
    assert (plan.chart_name, plan.old_version, plan.new_version) == ("hami", "2.9.0", "2.10.0")


def test_a_missing_values_key_is_an_error_on_its_parent(hami: Path) -> None:
    check = parse_values_check("global.image.tag = {version}")
    with pytest.raises(ReleaseActionsError) as caught:
        plan_bump(hami, "2.10.0", values_checks=[check], root=hami.parent)
    assert caught.value.location == SourceLocation("hami/values.yaml", 1)
    assert "values.yaml has no global.image" in caught.value.message


def test_a_block_scalar_is_not_rewritten(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: a\nversion: 1.0.0\nappVersion: |\n  1.0.0\n")
    with pytest.raises(ReleaseActionsError, match="block scalar") as caught:
        plan_bump(tmp_path, "1.0.1", policy="equal")
    assert caught.value.location is not None and caught.value.location.line == 3


def test_a_malformed_chart_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: a\nversion: 1.0.0\nversion: 1.0.1\n")
    with pytest.raises(ChartFileError) as caught:
        plan_bump(tmp_path, "1.0.2")
    assert caught.value.location is not None and caught.value.location.line == 3


def test_an_invalid_version_is_a_usage_error(hami: Path) -> None:
    with pytest.raises(UsageError, match="SemVer"):
        plan_bump(hami, "2.10")


@pytest.mark.parametrize(
    ("original", "value", "rendered"),
    [
        ("k: plain", "1.2.3", "1.2.3"),
        ("k: plain", "1.10", '"1.10"'),
        ("k: plain", "y", '"y"'),
        ("k: plain", "a: b", '"a: b"'),
        ("k: plain", "x #y", '"x #y"'),
        ("k: 'single'", "it's", "'it''s'"),
        ('k: "double"', 'say "hi"', '"say \\"hi\\""'),
    ],
)
def test_values_keep_their_quoting_style_when_it_is_safe(
    original: str, value: str, rendered: str
) -> None:
    document = parse_yaml(original.encode())
    entry = document.entry("k")
    assert entry is not None
    node = entry[1]
    assert render_like(node, value) == rendered  # type: ignore[arg-type]
    assert parse_yaml(f"k: {rendered}".encode()).data == {"k": value}


semver_parts = st.integers(min_value=0, max_value=10_000)
prerelease = st.one_of(st.none(), st.from_regex(r"(rc|alpha|beta)\.[1-9][0-9]?", fullmatch=True))


@settings(max_examples=60, deadline=None)
@given(
    major=semver_parts,
    minor=semver_parts,
    patch=semver_parts,
    pre=prerelease,
    quote=st.sampled_from(["", "'", '"']),
)
def test_any_version_in_any_quoting_style_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    major: int,
    minor: int,
    patch: int,
    pre: str | None,
    quote: str,
) -> None:
    directory = tmp_path_factory.mktemp("chart")
    version = f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
    original = f"# top\nname: demo # name\nversion: {quote}0.0.1{quote}  # v\nkeywords: [a]\n"
    (directory / "Chart.yaml").write_text(original)
    bump(directory, version)
    expected = original.replace(f"{quote}0.0.1{quote}", f"{quote}{version}{quote}")
    assert (directory / "Chart.yaml").read_text() == expected
    assert load_chart(directory).version == version
    assert not plan_bump(directory, version).changed
