"""Release notes built at check time, so a pull request learns what would stop its release.

A release builds every chart's notes before it publishes anything (``release-notes``): a
malformed ``artifacthub.io/changes`` annotation, or a changelog without an entry for the new
version, stops it. The pull-request check builds the same notes for the charts it changes and
reports those failures as findings, on their line, before anything is merged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set

from ...errors import ReleaseActionsError
from ...versions import TagTemplate
from ..loader import ChartFile, Finding
from .plan import PlannedRelease, planned_release

# The release body for a chart (see notes.py and release-notes); injected so the changelog
# feature stays optional.
NotesFor = Callable[[PlannedRelease], str]


def release_notes_findings(
    charts: Sequence[ChartFile],
    notes_for: NotesFor,
    tag_template: TagTemplate,
    published_versions: Mapping[str, Set[str]] | None = None,
) -> list[Finding]:
    """One finding per chart whose release notes cannot be built. Versions already in the index
    are skipped: they will not be released again."""
    findings: list[Finding] = []
    for chart in charts:
        if chart.version in (published_versions or {}).get(chart.name, frozenset()):
            continue
        try:
            planned = planned_release(chart, tag_template)
            notes_for(planned)
        except ReleaseActionsError as error:
            message = f"the release of {chart.name} {chart.version} would fail: {error.message}"
            location = error.location or chart.location("version")
            findings.append(
                Finding("release-notes", message, location, chart=chart.display_directory)
            )
    return findings
