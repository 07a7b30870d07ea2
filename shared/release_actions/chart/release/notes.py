"""Release bodies from a chart: its ``artifacthub.io/changes`` annotation, else its description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ...errors import ReleaseActionsError, SourceLocation
from ...limits import check_yaml_shape
from ..loader import ChartFile, find_entry, node_position

CHANGES_ANNOTATION = "artifacthub.io/changes"

# libyaml's loader when the wheel has it; the pure-Python one is ten times slower.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Artifact Hub's change kinds, as headings people read.
_KIND_TITLES = {
    "added": "Added",
    "changed": "Changed",
    "deprecated": "Deprecated",
    "removed": "Removed",
    "fixed": "Fixed",
    "security": "Security",
}


def chart_notes(chart: ChartFile) -> str:
    """Markdown from ``artifacthub.io/changes`` when the chart has it, else its description."""
    annotations = chart.metadata.get("annotations")
    changes = annotations.get(CHANGES_ANNOTATION) if isinstance(annotations, Mapping) else None
    if changes:
        return render_changes(str(changes), chart)
    return str(chart.metadata.get("description") or "").strip()


def render_changes(text: str, chart: ChartFile) -> str:
    """Render Artifact Hub's change list: plain strings, or ``{kind, description, links}``."""
    location = _changes_location(chart)
    try:
        check_yaml_shape(text)  # LimitExceeded is a ValueError
        changes: Any = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # yaml.YAMLError, or a constructor's own error for a value such as ``!!int abc``
        raise ReleaseActionsError(
            f"the {CHANGES_ANNOTATION} annotation is not valid YAML: {exc}", location=location
        ) from None
    if not isinstance(changes, list):
        raise ReleaseActionsError(
            f"the {CHANGES_ANNOTATION} annotation must be a YAML list of changes", location=location
        )
    lines = [_render_change(change, location) for change in changes]
    return "\n".join(lines)


def _changes_location(chart: ChartFile) -> SourceLocation:
    """The line of the ``artifacthub.io/changes`` annotation in Chart.yaml."""
    document = chart.source
    annotations = document.entry("annotations") if document is not None else None
    entry = find_entry(annotations[1], CHANGES_ANNOTATION) if annotations is not None else None
    if entry is None:
        return chart.location("annotations")
    position = node_position(entry[1])
    return SourceLocation(chart.location().file, position.line, position.col)


def _render_change(change: object, location: SourceLocation) -> str:
    if isinstance(change, str):
        return f"- {change.strip()}"
    if isinstance(change, Mapping) and isinstance(change.get("description"), str):
        kind = str(change.get("kind") or "").lower()
        prefix = f"**{_KIND_TITLES.get(kind, kind.capitalize())}**: " if kind else ""
        links = change.get("links") or []
        rendered_links = [
            f"[{link.get('name') or link.get('url')}]({link['url']})"
            for link in links
            if isinstance(link, Mapping) and isinstance(link.get("url"), str)
        ]
        suffix = f" ({', '.join(rendered_links)})" if rendered_links else ""
        return f"- {prefix}{change['description'].strip()}{suffix}"
    raise ReleaseActionsError(
        f"each {CHANGES_ANNOTATION} entry must be a string or have a description; got {change!r}",
        location=location,
    )
