"""The release gate: before anything is published, the version must have a real entry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..reading import Changelog, Entry, Finding, LooseVersion, has_content
from . import catalogue as rules


@dataclass(frozen=True)
class GateResult:
    entry: Entry | None  # the entry the notes come from, when there is one
    findings: tuple[Finding, ...]


def file_missing(path: str, subject: str) -> Finding:
    """CL001: ``docs/CHANGELOG/CHANGELOG-2.10.md not found for tag v2.10.0``."""
    return rules.FILE_MISSING.finding(f"{path} not found for {subject}", file=path)


def release_gate(changelog: Changelog, version: LooseVersion, *, subject: str) -> GateResult:
    """CL002, CL003 and CL015 for ``version``; ``subject`` names its source (``tag v1.2.0``)."""
    entries = changelog.find(version)
    if not entries:
        return GateResult(None, (_missing(changelog, version, subject),))
    entry = entries[0]
    findings = []
    if not has_content(entry):
        findings.append(
            rules.ENTRY_EMPTY.finding(
                f"the entry for {entry.display} is empty: it holds only headings or "
                "placeholders such as 'None.'",
                file=changelog.path,
                line=entry.line,
            )
        )
    return GateResult(entry, tuple(findings))


def _missing(changelog: Changelog, version: LooseVersion, subject: str) -> Finding:
    if not version.is_prerelease:
        prereleases = [
            entry
            for entry in changelog.released
            if entry.version.is_prerelease and entry.version.final.same_release(version)
        ]
        if prereleases:
            stand_in = max(prereleases, key=lambda entry: entry.version)
            return rules.PRERELEASE_FOR_FINAL.finding(
                f"no entry for {version.key} in {changelog.path}: only the prerelease "
                f"{stand_in.display} (line {stand_in.line}) is there, and it does not cover "
                f"the final {subject}",
                file=changelog.path,
                line=stand_in.line,
            )
    latest = changelog.latest()
    if latest is None:
        detail = "it has no version entries"
        line = 1
    else:
        detail = f"latest entry is {latest.display} at line {latest.line}"
        line = latest.line
    return rules.ENTRY_MISSING.finding(
        f"no entry for {version.key} in {changelog.path} ({detail}); {subject} needs one",
        file=changelog.path,
        line=line,
    )


def date_matches_tag(
    entry: Entry, tag_date: datetime.date, *, file: str, tag: str
) -> Finding | None:
    """CL005 (a warning): the entry's date should be the day the tag was made."""
    if entry.date is None or entry.date == tag_date:
        return None
    return rules.DATE_MISMATCH_TAG.finding(
        f"{entry.display} is dated {entry.date.isoformat()}, but tag {tag} was made on "
        f"{tag_date.isoformat()}",
        file=file,
        line=entry.line,
        severity="warning",
    )
