"""Both files checked against the shipped JSON Schemas, then for what a schema cannot say."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ..errors import SourceLocation
from ..versions import parse_version
from .document import JsonDocument, JsonPath, format_path
from .feeds import FEED_PLACEHOLDERS, PROBE_PLACEHOLDERS, placeholders
from .model import CHANNELS, PRERELEASE_CHANNELS
from .schema import Schema
from .segments import DEFAULT_MIRROR_NAME, build_segments_file, matches

SEGMENTS_SCHEMA = "app-upgrade-segments.schema.json"
CONFIG_SCHEMA = "app-upgrade-config.schema.json"


@dataclass(frozen=True)
class Finding:
    message: str
    location: SourceLocation
    level: Literal["error", "warning"] = "error"


@cache
def schema(name: str) -> Schema:
    return Schema.load(name)


def _finding(
    doc: JsonDocument, path: JsonPath, message: str, level: Literal["error", "warning"] = "error"
) -> Finding:
    return Finding(f"{format_path(path)}: {message}", doc.location(path), level)


def _schema_findings(doc: JsonDocument, name: str) -> list[Finding]:
    findings = [
        Finding(f"{format_path(path)}: duplicate key", location)
        for path, location in doc.duplicate_keys
    ]
    findings += [_finding(doc, e.path, e.message) for e in schema(name).validate(doc.value)]
    return findings


def check_segments(doc: JsonDocument) -> list[Finding]:
    findings = _schema_findings(doc, SEGMENTS_SCHEMA)
    if any(f.level == "error" for f in findings):
        return findings  # the semantic checks assume the structure is right
    return findings + list(_segment_semantics(doc))


def check_config(doc: JsonDocument) -> list[Finding]:
    findings = _schema_findings(doc, CONFIG_SCHEMA)
    if any(f.level == "error" for f in findings):
        return findings
    return findings + list(_config_semantics(doc))


def _segment_semantics(doc: JsonDocument) -> Iterator[Finding]:
    data: Mapping[str, Any] = doc.value
    mirrors: Mapping[str, Any] = data.get("mirrors") or {DEFAULT_MIRROR_NAME: {}}
    yield from _mirror_semantics(doc, data.get("mirrors") or {})
    model = build_segments_file(data)
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["segments"]):
        segment = model.segments[index]
        path: JsonPath = ("segments", index)
        if segment.id in seen:
            yield _finding(
                doc,
                (*path, "id"),
                f"duplicate segment id {segment.id!r} (also segment {seen[segment.id]})",
            )
        seen.setdefault(segment.id, index)
        match = raw.get("match", {})
        if "range" not in match and "exact" not in match:
            yield _finding(
                doc, (*path, "match"), "has neither range nor exact, so it never matches", "warning"
            )
        for key in ("exact", "excludeExact"):
            for position, text in enumerate(match.get(key, ())):
                if parse_version(text).prerelease or parse_version(text).build:
                    yield _finding(
                        doc,
                        (*path, "match", key, position),
                        f"{text!r} must be X.Y.Z: prereleases match on their base version",
                    )
        locked = segment.locked_version
        if locked is not None:
            if locked.prerelease or locked.build:
                yield _finding(doc, (*path, "lockedVersion"), f"{locked} must be X.Y.Z")
            elif not matches(segment, locked):
                yield _finding(
                    doc,
                    (*path, "lockedVersion"),
                    f"lockedVersion {locked} is not matched by the segment's own match rule",
                )
        yield from _template_semantics(
            doc, path, raw.get("channelTemplates", {}), mirrors, declared=bool(data.get("mirrors"))
        )


def _mirror_semantics(doc: JsonDocument, mirrors: Mapping[str, Any]) -> Iterator[Finding]:
    for position, (name, spec) in enumerate(mirrors.items()):
        path: JsonPath = ("mirrors", name)
        if position == 0 and spec.get("prereleases") is False:
            yield _finding(
                doc,
                (*path, "prereleases"),
                "the primary (first) mirror must carry prereleases: the others borrow its URLs",
            )
        if position == 0 and "fallback" in spec:
            yield _finding(
                doc,
                (*path, "fallback"),
                "the primary mirror's fallback is never used: the primary must be ready",
                "warning",
            )
        for key in ("feedTemplate", "fallback"):
            if key in spec:
                yield from _placeholder_findings(doc, (*path, key), spec[key], FEED_PLACEHOLDERS)
        for index, name_template in enumerate(spec.get("probeFiles", ())):
            yield from _placeholder_findings(
                doc, (*path, "probeFiles", index), name_template, PROBE_PLACEHOLDERS
            )


def _template_semantics(
    doc: JsonDocument,
    path: JsonPath,
    templates: Mapping[str, Any],
    mirrors: Mapping[str, Any],
    *,
    declared: bool,
) -> Iterator[Finding]:
    for channel, spec in templates.items():
        for mirror, template in spec["feedTemplates"].items():
            where: JsonPath = (*path, "channelTemplates", channel, "feedTemplates", mirror)
            if mirror not in mirrors:
                names = ", ".join(mirrors)
                yield _finding(
                    doc,
                    where,
                    f"mirror {mirror!r} is not declared in mirrors (declared: {names})",
                )
                continue
            if channel in PRERELEASE_CHANNELS and mirrors[mirror].get("prereleases") is False:
                yield _finding(
                    doc,
                    where,
                    f"ignored: mirror {mirror} has prereleases: false, so {channel} uses the "
                    "primary mirror's URL",
                    "warning",
                )
            yield from _placeholder_findings(doc, where, template, FEED_PLACEHOLDERS)
    if not declared:
        return  # the implicit github mirror's template comes from the environment at sync time
    for channel in CHANNELS:
        for position, (mirror, spec) in enumerate(mirrors.items()):
            borrowed = position > 0 and channel != "latest" and spec.get("prereleases") is False
            own = templates.get(channel, {}).get("feedTemplates", {}).get(mirror)
            if not (borrowed or own or spec.get("feedTemplate")):
                yield _finding(
                    doc,
                    path,
                    f"no feed template for mirror {mirror} on channel {channel}: "
                    f"set mirrors.{mirror}.feedTemplate or channelTemplates.{channel}",
                )


def _placeholder_findings(
    doc: JsonDocument, path: JsonPath, template: str, allowed: frozenset[str]
) -> Iterator[Finding]:
    unknown = placeholders(template) - allowed
    if unknown:
        names = ", ".join(sorted("{{" + name + "}}" for name in unknown))
        usable = ", ".join(sorted("{{" + name + "}}" for name in allowed))
        yield _finding(doc, path, f"unknown placeholder {names} (use {usable})")


def _config_semantics(doc: JsonDocument) -> Iterator[Finding]:
    owners: dict[str, str] = {}
    for key, entry in (doc.value.get("versions") or {}).items():
        segment_id = (entry.get("metadata") or {}).get("segmentId")
        if segment_id is None:
            continue
        if segment_id in owners:
            yield _finding(
                doc,
                ("versions", key, "metadata", "segmentId"),
                f"segment {segment_id} owns two entries, {owners[segment_id]} and {key}; "
                "the sync would not know which to update",
            )
        owners.setdefault(segment_id, key)
