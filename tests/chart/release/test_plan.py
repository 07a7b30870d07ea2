"""The release plan is decided by the published index alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from release_actions.chart.loader.chart_file import ChartFile
from release_actions.chart.release.plan import plan_release
from release_actions.errors import ReleaseActionsError
from release_actions.versions import TagTemplate

DEFAULT = TagTemplate("{name}-{version}")


def chart(name: str, version: str, directory: str | None = None) -> ChartFile:
    return ChartFile(
        directory=Path(directory or f"charts/{name}"),
        metadata={"apiVersion": "v2", "name": name, "version": version},
    )


def test_a_chart_missing_from_the_index_is_planned_with_its_tag() -> None:
    plan = plan_release([chart("hami", "2.10.0")], {}, DEFAULT)
    assert [(r.name, r.version, r.tag, r.prerelease) for r in plan.releases] == [
        ("hami", "2.10.0", "hami-2.10.0", False)
    ]
    assert plan.published == ()
    assert not plan.empty


def test_a_chart_whose_version_is_published_is_not_planned() -> None:
    hami = chart("hami", "2.10.0")
    plan = plan_release([hami], {"hami": {"2.9.0", "2.10.0"}}, DEFAULT)
    assert plan.empty
    assert plan.published == (hami,)


def test_an_older_version_missing_from_the_index_is_planned() -> None:
    """A backport from a release branch: the index only lacks it, it is not "behind"."""
    plan = plan_release([chart("hami", "2.8.4")], {"hami": {"2.9.0"}}, DEFAULT)
    assert [r.version for r in plan.releases] == ["2.8.4"]


def test_the_same_version_of_another_chart_does_not_count() -> None:
    plan = plan_release([chart("web", "0.1.0")], {"analysis": {"0.1.0"}}, DEFAULT)
    assert [r.name for r in plan.releases] == ["web"]


def test_prerelease_comes_from_semver() -> None:
    template = TagTemplate("{name}-v{version}")
    plan = plan_release([chart("web", "1.0.0-rc.1"), chart("api", "1.0.0+build.5")], {}, template)
    assert [(r.tag, r.prerelease) for r in plan.releases] == [
        ("api-v1.0.0+build.5", False),
        ("web-v1.0.0-rc.1", True),
    ]


def test_several_charts_are_planned_in_name_order_and_only_the_unpublished_ones() -> None:
    charts = [
        chart("web", "0.2.0", "charts/services/web"),
        chart("analysis", "0.1.1", "charts/services/analysis"),
        chart("voiceflow", "0.1.0", "charts/services/voiceflow"),
    ]
    published = {"analysis": {"0.1.0"}, "voiceflow": {"0.1.0"}, "web": {"0.1.0"}}
    plan = plan_release(charts, published, TagTemplate("{name}-v{version}"))
    assert [r.tag for r in plan.releases] == ["analysis-v0.1.1", "web-v0.2.0"]
    assert [c.name for c in plan.published] == ["voiceflow"]


def test_a_nameless_template_is_fine_for_one_chart() -> None:
    plan = plan_release([chart("hami", "2.10.0")], {}, TagTemplate("v{version}"))
    assert [r.tag for r in plan.releases] == ["v2.10.0"]


def test_two_releases_sharing_a_tag_are_refused() -> None:
    with pytest.raises(ReleaseActionsError, match=r"both be released as tag 'v1\.0\.0'") as error:
        plan_release([chart("a", "1.0.0"), chart("b", "1.0.0")], {}, TagTemplate("v{version}"))
    assert error.value.location is not None
    assert error.value.location.file == "charts/b/Chart.yaml"


def test_two_charts_with_one_name_are_refused() -> None:
    charts = [chart("web", "1.0.0", "charts/a/web"), chart("web", "1.0.1", "charts/b/web")]
    with pytest.raises(ReleaseActionsError, match="'web' is also used by charts/a/web") as error:
        plan_release(charts, {}, DEFAULT)
    assert error.value.location is not None
    assert error.value.location.file == "charts/b/web/Chart.yaml"


def test_planning_twice_from_the_same_index_gives_the_same_plan() -> None:
    charts = [chart("b", "1.0.0"), chart("a", "2.0.0")]
    assert plan_release(charts, {}, DEFAULT) == plan_release(list(reversed(charts)), {}, DEFAULT)


# -- a tag run ----------------------------------------------------------------------------------

NAMED = TagTemplate("{name}-v{version}")
TELEPACE = [
    chart("api", "1.0.0", "charts/services/api"),
    chart("web", "0.2.0", "charts/services/web"),
    chart("web-admin", "0.3.0", "charts/services/web-admin"),
]


@pytest.mark.parametrize(
    ("tag", "released"),
    [
        ("web-v0.2.0", "web"),
        ("refs/tags/web-v0.2.0", "web"),
        ("web-admin-v0.3.0", "web-admin"),  # not web with version "admin-v0.3.0"
    ],
)
def test_a_tag_run_plans_the_chart_its_tag_names_and_no_other(tag: str, released: str) -> None:
    plan = plan_release(TELEPACE, {}, NAMED, tag=tag)
    assert [r.name for r in plan.releases] == [released]
    assert sorted(c.name for c in plan.not_tagged) == sorted(
        c.name for c in TELEPACE if c.name != released
    )
    assert plan.published == ()


def test_a_tag_run_for_a_published_version_plans_nothing() -> None:
    plan = plan_release(TELEPACE, {"web": {"0.2.0"}}, NAMED, tag="web-v0.2.0")
    assert plan.empty
    assert [c.name for c in plan.published] == ["web"]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("web-v0.2.1", "tag 'web-v0.2.1' is for version 0.2.1, but chart web has version 0.2.0"),
        ("ghost-v1.0.0", "tag 'ghost-v1.0.0' is for chart 'ghost', which is not among the charts"),
        ("v0.2.0", "tag 'v0.2.0' does not fit tag-template '{name}-v{version}'"),
    ],
)
def test_a_tag_for_another_version_or_no_chart_is_an_error(tag: str, message: str) -> None:
    with pytest.raises(ReleaseActionsError) as error:
        plan_release(TELEPACE, {}, NAMED, tag=tag)
    assert error.value.message.startswith(message)


def test_the_version_mismatch_points_at_the_charts_version_line() -> None:
    with pytest.raises(ReleaseActionsError) as error:
        plan_release(TELEPACE, {}, NAMED, tag="web-v0.2.1")
    assert error.value.location is not None
    assert error.value.location.file == "charts/services/web/Chart.yaml"


def test_without_a_name_in_the_template_a_tag_run_plans_every_missing_chart() -> None:
    """``v{version}`` speaks for every chart; the checks compare it with each version."""
    charts = [chart("hami", "2.10.0")]
    plan = plan_release(charts, {}, TagTemplate("v{version}"), tag="v2.10.0")
    assert [r.tag for r in plan.releases] == ["v2.10.0"]
    assert plan.not_tagged == ()
