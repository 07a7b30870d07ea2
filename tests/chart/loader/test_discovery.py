"""Finding charts at any depth, leaving vendored subcharts to their parent."""

from __future__ import annotations

from pathlib import Path

import pytest

from release_actions.chart.loader.discovery import (
    Discovery,
    discover_charts,
    files_by_chart,
    is_excluded,
    owning_chart,
)
from release_actions.errors import UsageError


def make_charts(root: Path, *directories: str) -> None:
    for directory in directories:
        path = root / directory
        path.mkdir(parents=True, exist_ok=True)
        (path / "Chart.yaml").write_text(f"name: {path.name}\nversion: 1.0.0\n")


def test_charts_are_found_at_any_depth_in_sorted_order(tmp_path: Path) -> None:
    make_charts(
        tmp_path,
        "charts/services/web",
        "charts/services/analysis",
        "charts/telepace-umbrella",
        "charts/a/b/c/deep",
    )
    (tmp_path / "charts/services/README.md").write_text("not a chart\n")
    assert discover_charts(tmp_path).charts == (
        "charts/a/b/c/deep",
        "charts/services/analysis",
        "charts/services/web",
        "charts/telepace-umbrella",
    )


def test_a_subchart_in_a_charts_directory_belongs_to_its_parent(tmp_path: Path) -> None:
    make_charts(
        tmp_path,
        "charts/umbrella",
        "charts/umbrella/charts/sub",
        "charts/umbrella/charts/sub/charts/x",
    )
    assert discover_charts(tmp_path).charts == ("charts/umbrella",)


def test_a_chart_nested_outside_charts_is_its_own_chart(tmp_path: Path) -> None:
    make_charts(tmp_path, "charts/umbrella", "charts/umbrella/extras/addon")
    assert discover_charts(tmp_path).charts == ("charts/umbrella", "charts/umbrella/extras/addon")


def test_several_roots_and_a_chart_at_a_root(tmp_path: Path) -> None:
    make_charts(tmp_path, "charts/a", "deploy/helm", "single")
    found = discover_charts(tmp_path, ["charts", "deploy", "single", "charts/"])
    assert found.charts == ("charts/a", "deploy/helm", "single")


def test_the_repository_root_as_a_chart(tmp_path: Path) -> None:
    make_charts(tmp_path, ".", "charts/sub", ".github/not-a-chart")
    assert discover_charts(tmp_path, ["."]).charts == (".",)


def test_excluded_charts_are_listed_apart(tmp_path: Path) -> None:
    make_charts(
        tmp_path, "charts/keep", "charts/legacy/old", "charts/other/legacy", "charts/drop-me"
    )
    found = discover_charts(tmp_path, exclude=["charts/legacy/*", "legacy", "drop-*"])
    assert found == Discovery(
        charts=("charts/keep",),
        excluded=("charts/drop-me", "charts/legacy/old", "charts/other/legacy"),
    )
    assert found.all_charts == (
        "charts/drop-me",
        "charts/keep",
        "charts/legacy/old",
        "charts/other/legacy",
    )


@pytest.mark.parametrize(
    ("pattern", "excluded"),
    [
        ("charts/a", True),
        ("a", True),
        ("charts/*", True),
        ("b", False),
        ("", False),
        ("charts/a/", True),
    ],
)
def test_exclude_globs(pattern: str, excluded: bool) -> None:
    assert is_excluded("charts/a", [pattern]) is excluded


@pytest.mark.parametrize(
    ("chart_dir", "pattern", "excluded"),
    [
        # A * stays inside one component.
        ("charts/a/b", "charts/*", False),
        ("charts/a/b", "charts/*/b", True),
        ("charts/a/b", "*", True),  # the last component, named anything
        ("charts/ab", "charts/a*", True),
        ("charts/a/b", "charts/a*", False),
        # ** crosses any number of levels, none included.
        ("charts/web", "charts/**/web", True),
        ("charts/a/b/web", "charts/**/web", True),
        ("charts/legacy/a/b", "./charts/legacy/**", True),
        ("charts/legacy", "charts/legacy/**", True),
        ("charts/other/a", "charts/legacy/**", False),
        # A leading ./ (or /) is stripped and anchors the glob at the repository root.
        ("charts/a", "./charts/a", True),
        ("charts/a", "/charts/*", True),
        ("charts/legacy", "./legacy", False),
        ("vendor/charts/a", "./charts/*", False),
        ("vendor/charts/a", "charts/*", True),
    ],
)
def test_exclude_globs_match_per_path_component(
    chart_dir: str, pattern: str, excluded: bool
) -> None:
    assert is_excluded(chart_dir, [pattern]) is excluded


def test_exclude_leaves_out_a_whole_tree_with_double_star(tmp_path: Path) -> None:
    make_charts(tmp_path, "charts/keep", "charts/legacy/a", "charts/legacy/deep/b")
    found = discover_charts(tmp_path, exclude=["./charts/legacy/**"])
    assert found.charts == ("charts/keep",)
    assert found.excluded == ("charts/legacy/a", "charts/legacy/deep/b")


@pytest.mark.parametrize("charts_dir", ["missing", "../outside", "/abs"])
def test_a_bad_charts_dir_is_a_usage_error(tmp_path: Path, charts_dir: str) -> None:
    with pytest.raises(UsageError, match="charts-dir"):
        discover_charts(tmp_path, [charts_dir])


def test_files_belong_to_the_nearest_enclosing_chart() -> None:
    charts = ["charts/umbrella", "charts/umbrella/extras/addon", "charts/web"]
    assert owning_chart("charts/umbrella/values.yaml", charts) == "charts/umbrella"
    assert owning_chart("charts/umbrella/charts/sub/values.yaml", charts) == "charts/umbrella"
    assert owning_chart("charts/umbrella/extras/addon/templates/a.yaml", charts) == (
        "charts/umbrella/extras/addon"
    )
    assert owning_chart("charts/README.md", charts) is None
    assert owning_chart("charts/web-other/Chart.yaml", charts) is None
    assert owning_chart("templates/x.yaml", ["."]) == "."


def test_changed_files_are_grouped_by_chart_in_order() -> None:
    files = [
        "charts/web/values.yaml",
        "README.md",
        "charts/api/Chart.yaml",
        "charts/web/templates/svc.yaml",
        "charts/web/values.yaml",
    ]
    assert files_by_chart(files, ["charts/api", "charts/web"]) == {
        "charts/api": ["charts/api/Chart.yaml"],
        "charts/web": ["charts/web/templates/svc.yaml", "charts/web/values.yaml"],
    }


def test_a_directory_that_looks_like_a_chart_without_chart_yaml_is_named(tmp_path: Path) -> None:
    make_charts(tmp_path, "charts/good")
    (tmp_path / "charts/forgot/templates").mkdir(parents=True)
    (tmp_path / "charts/misspelt").mkdir()
    (tmp_path / "charts/misspelt/chart.yaml").write_text("name: misspelt\n")
    (tmp_path / "charts/misspelt/values.yaml").write_text("{}\n")
    (tmp_path / "charts/old/values.yaml").parent.mkdir()
    (tmp_path / "charts/old/values.yaml").write_text("{}\n")
    # inside a chart, templates/ and values.yaml are the chart's own
    (tmp_path / "charts/good/templates").mkdir()
    (tmp_path / "charts/good/ci").mkdir()
    (tmp_path / "charts/good/ci/values.yaml").write_text("{}\n")

    discovery = discover_charts(tmp_path, exclude=["old"])

    assert discovery.charts == ("charts/good",)
    assert discovery.lookalikes == ("charts/forgot", "charts/misspelt")
