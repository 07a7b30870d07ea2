"""Which chart, at which version, a release tag names, read through ``tag-template``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...versions import TagTemplate
from ..loader import ChartFile


@dataclass(frozen=True)
class TagReading:
    """A tag read through the template. ``version`` is ``None`` when the tag does not fit it;
    ``chart`` is the chart the tag names (a template with ``{name}`` and a chart of that name)."""

    tag: str
    name: str | None = None
    version: str | None = None
    chart: ChartFile | None = None

    @property
    def fits(self) -> bool:
        return self.version is not None


def read_tag(charts: Sequence[ChartFile], tag: str, template: TagTemplate) -> TagReading:
    """Read ``tag``: with ``{name}`` in the template, each chart's name is tried literally first
    (the longest first), which removes any doubt about where the name ends and the version
    begins; then the template alone says which name the tag is for."""
    if template.uses_name:
        for chart in sorted(charts, key=lambda chart: len(chart.name), reverse=True):
            parsed = template.parse(tag, name=chart.name)
            if parsed is not None:
                return TagReading(tag, chart.name, str(parsed[1]), chart)
    parsed = template.parse(tag)
    if parsed is None:
        return TagReading(tag)
    return TagReading(tag, parsed[0], str(parsed[1]))
