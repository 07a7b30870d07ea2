"""File-wide checks: entries present, no duplicates, order, dates, and Keep a Changelog rules."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from ..reading import Changelog, Entry, Finding, compare, link_label, parse_loose_version
from . import catalogue as rules
from .catalogue import Rule

Order = Literal["desc", "asc", "any"]
Profile = Literal["default", "keepachangelog"]
ORDERS: tuple[Order, ...] = ("desc", "asc", "any")
PROFILES: tuple[Profile, ...] = ("default", "keepachangelog")

KEEP_A_CHANGELOG_TYPES = frozenset(
    {"added", "changed", "deprecated", "removed", "fixed", "security"}
)
_WORDS = re.compile(r"[A-Za-z][A-Za-z ]*")
DUPLICATE_LINES_SHOWN = 10


@dataclass(frozen=True)
class LintOptions:
    order: Order = "desc"
    profile: Profile = "default"


def lint_rules(options: LintOptions) -> tuple[Rule, ...]:
    """The rules :func:`lint` applies, for the step summary's table."""
    common = (rules.NO_ENTRIES, rules.DUPLICATE, rules.ORDER, rules.BAD_DATE)
    if options.profile == "keepachangelog":
        return (*common, rules.UNRELEASED_MISSING, rules.UNKNOWN_CHANGE_TYPE, rules.LINK_REFERENCE)
    return common


def lint(changelog: Changelog, options: LintOptions) -> list[Finding]:
    if changelog.blank:
        return [rules.NO_ENTRIES.finding("changelog file is empty", file=changelog.path, line=1)]
    if not changelog.entries:
        return [
            rules.NO_ENTRIES.finding(
                f"no version entries in {changelog.path}: no heading reads like "
                "'## v1.2.3', '# [1.2.3] - 2024-01-31' or '## Unreleased'",
                file=changelog.path,
                line=1,
            )
        ]
    findings = [*duplicates(changelog), *order(changelog, options.order), *dates(changelog)]
    if options.profile == "keepachangelog":
        findings += keep_a_changelog(changelog)
    return findings


def duplicates(changelog: Changelog) -> list[Finding]:
    """Every repeated occurrence of a version. The first repeat names the lines (the first
    :data:`DUPLICATE_LINES_SHOWN`); the others point back at the first, so the findings grow
    linearly with the repeats."""
    by_key: dict[str, list[Entry]] = defaultdict(list)
    for entry in changelog.entries:
        by_key[entry.version.key].append(entry)
    findings = []
    for entries in by_key.values():
        if len(entries) < 2:
            continue
        first, *repeats = entries
        shown = ", ".join(str(entry.line) for entry in entries[:DUPLICATE_LINES_SHOWN])
        hidden = len(entries) - DUPLICATE_LINES_SHOWN
        lines = f"{shown} and {hidden} more" if hidden > 0 else shown
        for index, repeat in enumerate(repeats):
            message = (
                f"{repeat.display} appears {len(entries)} times (lines {lines})"
                if index == 0
                else f"{repeat.display} appears again (first at line {first.line})"
            )
            findings.append(rules.DUPLICATE.finding(message, file=changelog.path, line=repeat.line))
    return findings


def order(changelog: Changelog, direction: Order) -> list[Finding]:
    """Each entry against the one above it; equal versions are duplicates, not disorder.

    A file that mostly runs the other way gets one finding, not one per entry.
    """
    if direction == "any":
        return []
    released = changelog.released
    steps = [compare(entry.version, above.version) for above, entry in itertools.pairwise(released)]
    backwards = 1 if direction == "desc" else -1
    wrong = sum(1 for step in steps if step == backwards)
    right = sum(1 for step in steps if step == -backwards)
    if wrong > 1 and wrong > right:
        actual = "oldest first" if direction == "desc" else "newest first"
        return [
            rules.ORDER.finding(
                f"{changelog.path} lists versions {actual}, but order is '{direction}': "
                f"set order to '{'asc' if direction == 'desc' else 'desc'}' or reverse the file",
                file=changelog.path,
                line=released[0].line,
            )
        ]
    findings = []
    previous: Entry | None = None
    for entry in released:
        if previous is not None:
            step = compare(entry.version, previous.version)
            if step == backwards:
                wanted = "newest first" if direction == "desc" else "oldest first"
                relation = "newer" if step > 0 else "older"
                findings.append(
                    rules.ORDER.finding(
                        f"{entry.display} (line {entry.line}) is {relation} than "
                        f"{previous.display} above it (line {previous.line}); "
                        f"order is '{direction}' ({wanted})",
                        file=changelog.path,
                        line=entry.line,
                    )
                )
        previous = entry
    return findings


def dates(changelog: Changelog) -> list[Finding]:
    return [
        rules.BAD_DATE.finding(
            f"{entry.display} has the date '{entry.date_text}', which is not a valid "
            "YYYY-MM-DD date",
            file=changelog.path,
            line=entry.line,
        )
        for entry in changelog.entries
        if entry.bad_date
    ]


def keep_a_changelog(changelog: Changelog) -> list[Finding]:
    return [
        *_unreleased_on_top(changelog),
        *_missing_dates(changelog),
        *_change_types(changelog),
        *_link_references(changelog),
    ]


def _unreleased_on_top(changelog: Changelog) -> list[Finding]:
    unreleased = [entry for entry in changelog.entries if entry.version.unreleased]
    if not unreleased:
        return [
            rules.UNRELEASED_MISSING.finding(
                "no Unreleased section: Keep a Changelog keeps '## [Unreleased]' at the top",
                file=changelog.path,
                line=changelog.entries[0].line,
            )
        ]
    first = changelog.entries[0]
    return [
        rules.UNRELEASED_MISSING.finding(
            f"the Unreleased section must be the first entry, above {first.display} "
            f"(line {first.line})",
            file=changelog.path,
            line=entry.line,
        )
        for entry in unreleased
        if entry is not first
    ]


def _missing_dates(changelog: Changelog) -> list[Finding]:
    return [
        rules.BAD_DATE.finding(
            f"{entry.display} has no release date: write '## [{entry.version.key}] - YYYY-MM-DD'",
            file=changelog.path,
            line=entry.line,
        )
        for entry in changelog.released
        if not entry.date_text
    ]


def _change_types(changelog: Changelog) -> list[Finding]:
    findings = []
    for entry in changelog.entries:
        for heading in entry.subheadings:
            if heading.level != entry.level + 1:
                continue
            words = _WORDS.search(heading.text)
            kind = words.group(0).strip().casefold() if words else heading.text
            if kind not in KEEP_A_CHANGELOG_TYPES:
                findings.append(
                    rules.UNKNOWN_CHANGE_TYPE.finding(
                        f"'{heading.text}' under {entry.display} is not a Keep a Changelog type "
                        "(Added, Changed, Deprecated, Removed, Fixed, Security)",
                        file=changelog.path,
                        line=heading.line,
                        severity="warning",
                    )
                )
    return findings


def _link_references(changelog: Changelog) -> list[Finding]:
    findings = []
    keys = {entry.version.key for entry in changelog.entries}
    for entry in changelog.entries:
        if entry.bracketed and not entry.link and link_label(entry.display) not in changelog.links:
            findings.append(
                rules.LINK_REFERENCE.finding(
                    f"[{entry.display}] has no link definition such as "
                    f"'[{entry.display}]: https://…' at the end of the file",
                    file=changelog.path,
                    line=entry.line,
                    severity="warning",
                )
            )
    for definition in changelog.links.values():
        version = parse_loose_version(definition.label)
        if version is not None and version.key not in keys:
            findings.append(
                rules.LINK_REFERENCE.finding(
                    f"the link definition [{definition.label}] has no entry",
                    file=changelog.path,
                    line=definition.line,
                    severity="warning",
                )
            )
    return findings
