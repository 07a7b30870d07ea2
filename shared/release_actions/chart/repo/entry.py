"""The ``index.yaml`` entry Helm writes for a packaged chart (``repo.ChartVersion``).

Helm reads ``Chart.yaml`` into ``chart.Metadata`` (unknown keys dropped, ``requirements.yaml``
unmarshalled on top of it), validates and sanitises it, and writes the JSON view of
``ChartVersion``: every non-empty ``Metadata`` field plus ``urls``, ``created`` and ``digest``.
This module does the same on plain data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...errors import ReleaseActionsError, SourceLocation
from ..loader import ChartFile, go_key_string, go_rfc3339, go_string, load_go, sanitize, version_key

# chart.Metadata's JSON names; every one is `omitempty`.
_STRING_FIELDS = (
    "name",
    "home",
    "version",
    "description",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "kubeVersion",
    "type",
)
_STRING_LIST_FIELDS = ("sources", "keywords")
METADATA_FIELDS = frozenset(
    (
        *_STRING_FIELDS,
        *_STRING_LIST_FIELDS,
        "maintainers",
        "deprecated",
        "annotations",
        "dependencies",
    )
)
# Fields chart.Metadata.Validate() passes through sanitizeString (not version, not annotations).
_SANITIZED = frozenset(
    ("name", "description", "home", "icon", "condition", "tags", "appVersion", "kubeVersion")
)
_MAINTAINER_FIELDS = ("name", "email", "url")
_ALIAS = re.compile(r"[a-zA-Z0-9_-]+")
_CHART_TYPES = ("", "application", "library")


def index_entry(
    chart: ChartFile, *, digest: str, urls: list[str], created: datetime
) -> dict[str, Any]:
    """The entry ``helm repo index`` writes for ``chart`` packaged with sha256 ``digest``.

    ``created`` is written as Helm writes it (RFC 3339 in UTC, nanosecond precision trimmed).
    A v1 chart's ``requirements.yaml`` supplies its dependencies, as in Helm.
    """
    requirements_path = chart.directory / "requirements.yaml"
    requirements = requirements_path.read_bytes() if requirements_path.is_file() else None
    return entry_from_metadata(
        _as_helm_reads_it(chart),
        requirements=requirements,
        digest=digest,
        urls=urls,
        created=created,
        source=str(chart.directory / "Chart.yaml"),
    )


def _as_helm_reads_it(chart: ChartFile) -> Mapping[str, Any]:
    """``Chart.yaml`` typed as Helm's YAML reader types it: ``y`` and ``on`` are booleans (so
    Helm writes ``"true"``), whatever the loader that made ``chart.metadata`` decided."""
    if chart.source is not None:
        loaded = load_go(chart.source.text)
        if isinstance(loaded, dict):
            return loaded
    return chart.metadata


def entry_from_metadata(
    metadata: Mapping[str, Any],
    *,
    requirements: bytes | None,
    digest: str,
    urls: Sequence[str],
    created: datetime,
    source: str = "Chart.yaml",
) -> dict[str, Any]:
    """:func:`index_entry` over already-read ``Chart.yaml`` data and ``requirements.yaml`` bytes."""
    entry = loaded_metadata(metadata, requirements=requirements, source=source)
    entry["urls"] = list(urls)
    entry["created"] = go_rfc3339(created)
    if digest:
        entry["digest"] = digest
    return entry


def loaded_metadata(
    metadata: Mapping[str, Any], *, requirements: bytes | None, source: str = "Chart.yaml"
) -> dict[str, Any]:
    """``chart.Metadata`` as Helm's loader leaves it: ``Chart.yaml`` with ``requirements.yaml``
    (if any) unmarshalled on top, validated and sanitised, in its JSON form."""
    fields = dict(metadata)
    if requirements is not None:
        extra = load_go(requirements.removeprefix(b"\xef\xbb\xbf"))
        if isinstance(extra, dict):
            fields.update((key, value) for key, value in extra.items() if key in METADATA_FIELDS)
    return helm_metadata(fields, source=source)


def helm_metadata(fields: Mapping[str, Any], *, source: str = "Chart.yaml") -> dict[str, Any]:
    """``fields`` as ``chart.Metadata`` after ``Validate()``, in its JSON form (empty omitted)."""
    where = SourceLocation(source)
    result: dict[str, Any] = {}
    for key in _STRING_FIELDS:
        text = _go_string(fields.get(key), key, where)
        if key in _SANITIZED:
            text = sanitize(text)
        if text:
            result[key] = text
    result.setdefault("apiVersion", "v1")
    for key in _STRING_LIST_FIELDS:
        items = [sanitize(_go_string(v, key, where)) for v in _list(fields.get(key), key, where)]
        if items:
            result[key] = items
    maintainers = [
        _maintainer(item, where) for item in _list(fields.get("maintainers"), "maintainers", where)
    ]
    if maintainers:
        result["maintainers"] = maintainers
    if fields.get("deprecated") is True:
        result["deprecated"] = True
    annotations = fields.get("annotations")
    if isinstance(annotations, Mapping) and annotations:
        result["annotations"] = {
            go_key_string(k): _go_string(v, f"annotation {k}", where)
            for k, v in annotations.items()
        }
    dependencies = [
        _dependency(item, where)
        for item in _list(fields.get("dependencies"), "dependencies", where)
    ]
    if dependencies:
        result["dependencies"] = dependencies
    _validate(result, where)
    return result


def _go_string(value: Any, what: str, where: SourceLocation) -> str:
    # A loader other than goyaml.load_go may have made a date of a timestamp-like text;
    # Helm keeps such text as written, and ISO 8601 is the nearest we can get back to it.
    if isinstance(value, datetime | date):
        return value.isoformat()
    try:
        return go_string(value)
    except TypeError as exc:  # Helm cannot load the chart either
        raise ReleaseActionsError(f"Chart.yaml: {what}: {exc}", location=where) from None


def _list(value: Any, key: str, where: SourceLocation) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReleaseActionsError(f"Chart.yaml: {key} must be a list", location=where)
    return value


def _maintainer(value: Any, where: SourceLocation) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ReleaseActionsError(
            "Chart.yaml: maintainers must not contain empty or null nodes", location=where
        )
    maintainer: dict[str, str] = {}
    for key in _MAINTAINER_FIELDS:
        text = sanitize(_go_string(value.get(key), f"maintainer {key}", where))
        if text:
            maintainer[key] = text
    return maintainer


def _dependency(value: Any, where: SourceLocation) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ReleaseActionsError(
            "Chart.yaml: dependencies must not contain empty or null nodes", location=where
        )
    # chart.Dependency: name and repository are always written, the rest only when set.
    dependency: dict[str, Any] = {
        "name": sanitize(_go_string(value.get("name"), "dependency name", where)),
        "repository": sanitize(_go_string(value.get("repository"), "dependency repository", where)),
    }
    for key in ("version", "condition"):
        text = sanitize(_go_string(value.get(key), f"dependency {key}", where))
        if text:
            dependency[key] = text
    tags = [
        sanitize(_go_string(tag, "dependency tags", where))
        for tag in _list(value.get("tags"), "tags", where)
    ]
    if tags:
        dependency["tags"] = tags
    if value.get("enabled") is True:
        dependency["enabled"] = True
    import_values = value.get("import-values")
    if isinstance(import_values, list) and import_values:
        dependency["import-values"] = import_values
    alias = _go_string(value.get("alias"), "dependency alias", where)
    if alias:
        if not _ALIAS.fullmatch(alias):
            raise ReleaseActionsError(
                f"Chart.yaml: dependency {dependency['name']!r} has disallowed characters in "
                "the alias",
                location=where,
            )
        dependency["alias"] = alias
    return dependency


def _validate(metadata: Mapping[str, Any], where: SourceLocation) -> None:
    name = metadata.get("name", "")
    if not name:
        raise ReleaseActionsError("Chart.yaml: name is required", location=where)
    if name != Path(name).name or name in (".", ".."):
        raise ReleaseActionsError(f"Chart.yaml: name {name!r} is invalid", location=where)
    version = metadata.get("version", "")
    if not version:
        raise ReleaseActionsError("Chart.yaml: version is required", location=where)
    if version_key(version) is None:
        raise ReleaseActionsError(f"Chart.yaml: version {version!r} is invalid", location=where)
    if metadata.get("type", "") not in _CHART_TYPES:
        raise ReleaseActionsError("Chart.yaml: type must be application or library", location=where)
    seen: set[str] = set()
    for dependency in metadata.get("dependencies", ()):
        key = dependency.get("alias") or dependency["name"]
        if key in seen:
            raise ReleaseActionsError(
                f"Chart.yaml: more than one dependency with name or alias {key!r}",
                location=where,
            )
        seen.add(key)
