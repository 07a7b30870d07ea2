"""The release plan: which charts to release, decided from the published index alone.

A chart is planned when its current version is not in the index. Nothing else counts: not the
last tag, not the files changed. So a run that released a chart but failed before the index was
pushed is finished by the next run (chart-releaser-action#92), and a run with nothing new plans
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from ..errors import ReleaseActionsError
from ..versions import TagTemplate, parse_version
from .chart_file import ChartFile


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

    @property
    def empty(self) -> bool:
        return not self.releases


def plan_release(
    charts: Sequence[ChartFile],
    published_versions: Mapping[str, Set[str]],
    tag_template: TagTemplate,
) -> ReleasePlan:
    """Plan one release per chart whose ``(name, version)`` the index lacks, sorted by name.

    Two charts with one name cannot share an index, and two releases cannot share a tag: both are
    errors on the second chart's ``Chart.yaml``.
    """
    _refuse_duplicate_names(charts)
    releases: list[PlannedRelease] = []
    published: list[ChartFile] = []
    for chart in sorted(charts, key=lambda chart: chart.name):
        if chart.version in published_versions.get(chart.name, frozenset()):
            published.append(chart)
            continue
        releases.append(
            PlannedRelease(
                chart=chart,
                tag=tag_template.render(version=chart.version, name=chart.name),
                prerelease=parse_version(chart.version).prerelease is not None,
            )
        )
    _refuse_shared_tags(releases, tag_template)
    return ReleasePlan(releases=tuple(releases), published=tuple(published))


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
