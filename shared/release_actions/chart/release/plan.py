"""The release plan: which charts to release, decided from the published index alone.

A chart is planned when its current version is not in the index. Nothing else counts: not the
last tag, not the files changed. So a run that released a chart but failed before the index was
pushed is finished by the next run (chart-releaser-action#92), and a run with nothing new plans
nothing. The one exception is a run for a tag that names a chart (a ``tag-template`` with
``{name}``): it releases that chart alone, at the tag's version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from ...errors import ReleaseActionsError
from ...versions import TagTemplate, parse_version
from ..lint import read_tag, tag_version_message
from ..loader import ChartFile


@dataclass(frozen=True)
class PlannedRelease:
    chart: ChartFile
    tag: str
    prerelease: bool

    @property
    def name(self) -> str:
        return self.chart.name

    @property
    def version(self) -> str:
        return self.chart.version


@dataclass(frozen=True)
class ReleasePlan:
    releases: tuple[PlannedRelease, ...]
    # Charts whose current version the index already lists: nothing to do for them.
    published: tuple[ChartFile, ...]
    # On a tag run for one chart, the others: a tag releases the chart it names, nothing else.
    not_tagged: tuple[ChartFile, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.releases


def plan_release(
    charts: Sequence[ChartFile],
    published_versions: Mapping[str, Set[str]],
    tag_template: TagTemplate,
    *,
    tag: str | None = None,
) -> ReleasePlan:
    """Plan one release per chart whose ``(name, version)`` the index lacks, sorted by name.

    ``tag``: the run is for this tag. When the template has ``{name}``, only the chart the tag
    names is considered; a tag for an unknown chart, for another version than the chart's, or
    that does not fit the template is an error. A template without ``{name}`` speaks for every
    chart, so the tag changes nothing here (the checks compare it with each chart's version).

    Two charts with one name cannot share an index, and two releases cannot share a tag: both are
    errors on the second chart's ``Chart.yaml``.
    """
    _refuse_duplicate_names(charts)
    tagged = _tagged_chart(charts, tag, tag_template) if tag and tag_template.uses_name else None
    releases: list[PlannedRelease] = []
    published: list[ChartFile] = []
    not_tagged: list[ChartFile] = []
    for chart in sorted(charts, key=lambda chart: chart.name):
        if tagged is not None and chart is not tagged:
            not_tagged.append(chart)
            continue
        if chart.version in published_versions.get(chart.name, frozenset()):
            published.append(chart)
            continue
        releases.append(planned_release(chart, tag_template))
    _refuse_shared_tags(releases, tag_template)
    return ReleasePlan(
        releases=tuple(releases), published=tuple(published), not_tagged=tuple(not_tagged)
    )


def planned_release(chart: ChartFile, tag_template: TagTemplate) -> PlannedRelease:
    """``chart``'s release at its current version: the tag, and prerelease from SemVer."""
    return PlannedRelease(
        chart=chart,
        tag=tag_template.render(version=chart.version, name=chart.name),
        prerelease=parse_version(chart.version).prerelease is not None,
    )


def _tagged_chart(charts: Sequence[ChartFile], tag: str, tag_template: TagTemplate) -> ChartFile:
    """The chart a tag run is for, at the tag's version; raise when there is none."""
    reading = read_tag(charts, tag, tag_template)
    if reading.version is None:
        raise ReleaseActionsError(
            f"tag {tag!r} does not fit tag-template {tag_template.template!r}, so it names no"
            " chart to release",
            title="Tag names no chart",
        )
    if reading.chart is None:
        raise ReleaseActionsError(
            f"tag {tag!r} is for chart {reading.name!r}, which is not among the charts",
            title="Tag names no chart",
        )
    mismatch = tag_version_message(reading.chart, tag, reading.version)
    if mismatch is not None:
        raise ReleaseActionsError(
            mismatch, location=reading.chart.location("version"), title="Tag and chart disagree"
        )
    return reading.chart


def _refuse_duplicate_names(charts: Sequence[ChartFile]) -> None:
    first: dict[str, ChartFile] = {}
    for chart in sorted(charts, key=lambda chart: str(chart.directory)):
        other = first.setdefault(chart.name, chart)
        if other is not chart:
            raise ReleaseActionsError(
                f"chart name {chart.name!r} is also used by {other.directory}; chart names must be"
                " unique in a repository",
                location=chart.location("name"),
            )


def _refuse_shared_tags(releases: Sequence[PlannedRelease], tag_template: TagTemplate) -> None:
    first: dict[str, PlannedRelease] = {}
    for release in releases:
        other = first.setdefault(release.tag, release)
        if other is not release:
            raise ReleaseActionsError(
                f"charts {other.name} and {release.name} would both be released as tag"
                f" {release.tag!r}; put {{name}} in the tag template"
                f" (now {tag_template.template!r})",
                location=release.chart.location("version"),
            )
