"""``changelog release``: the Keep a Changelog release step, done the way people do it by hand.

Everything under ``## [Unreleased]`` becomes the body of a new ``## [1.2.0] - 2024-06-01``
section, and an empty Unreleased stays above it. The compare links at the bottom follow:
``[Unreleased]`` now compares from the new tag, and a new ``[1.2.0]`` link compares from the
previous tag to the new one, spelled with the file's own URL and tag prefix.

Only the lines involved change: the body is not moved (a heading is inserted above it), and a
link's URL is replaced inside its line. Pure: text in, text out.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from ..errors import ReleaseActionsError, SourceLocation
from .reading import Changelog, Entry, LooseVersion, has_content, link_label, parse_changelog
from .scaffold import spelled_like, title_like

# ``https://github.com/o/r/compare/v1.1.0...HEAD`` (GitLab's ``/-/compare/`` too).
_COMPARE = re.compile(r"(?P<base>\S*/compare/)(?P<old>[^\s.][^\s]*?)\.\.\.(?P<new>\S+)")


class NothingToRelease(ReleaseActionsError):
    """The changelog cannot be released as asked: no Unreleased section, or nothing under it."""


class AlreadyReleased(NothingToRelease):
    """The changelog already has an entry for the version."""


@dataclass(frozen=True)
class Promotion:
    text: str  # the whole new file (LF)
    heading: str  # the new version's heading line, as written
    line: int  # its line number in ``text``
    notes: tuple[str, ...]  # what was left as it was, and why


def promote_unreleased(
    text: str,
    version: LooseVersion,
    date: datetime.date,
    *,
    path: str = "CHANGELOG.md",
    allow_empty: bool = False,
) -> Promotion:
    """``text`` with its Unreleased section released as ``version`` on ``date``.

    Raises :class:`NothingToRelease` when the file has no Unreleased section, already has an
    entry for ``version``, or (unless ``allow_empty``) has nothing under Unreleased.
    """
    changelog = parse_changelog(text, path)
    unreleased = _unreleased_entry(changelog, version)
    existing = changelog.find(version)
    if existing:
        raise AlreadyReleased(
            f"{path} already has an entry for {existing[0].display} at line {existing[0].line}",
            location=SourceLocation(path, existing[0].line),
        )
    if not allow_empty and not has_content(unreleased):
        raise NothingToRelease(
            f"the Unreleased section of {path} is empty, so there is nothing to release as "
            f"{version.key}; write the changes under it, or pass --allow-empty",
            location=SourceLocation(path, unreleased.line),
        )
    sample = changelog.latest()
    spelled = spelled_like(sample, version) if sample is not None else version.text.lstrip("vV")
    heading = "#" * unreleased.level + " " + _title(unreleased, sample, spelled, version, date)
    lines = text.split("\n")
    ascending = any(entry.line < unreleased.line for entry in changelog.released)
    edits = _heading_edits(lines, changelog, unreleased, heading, ascending=ascending)
    link_edits, notes = _link_edits(lines, changelog, unreleased, sample, spelled, version)
    for start, stop, replacement in sorted([*edits, *link_edits], reverse=True):
        lines[start:stop] = replacement
    new_text = "\n".join(lines)
    line = parse_changelog(new_text, path).find(version)[0].line
    return Promotion(new_text, heading, line, tuple(notes))


# A change to the file's lines: ``lines[start:stop] = replacement`` (0-based, on the original).
Edit = tuple[int, int, list[str]]


def _unreleased_entry(changelog: Changelog, version: LooseVersion) -> Entry:
    for entry in changelog.entries:
        if entry.version.unreleased:
            return entry
    raise NothingToRelease(
        f"{changelog.path} has no Unreleased section to release from; in a changelog kept "
        "without one (such as one file per minor version), add the entry with "
        f"`release-actions changelog new --version {version.key}`",
        location=SourceLocation(changelog.path),
    )


def _title(
    unreleased: Entry,
    sample: Entry | None,
    spelled: str,
    version: LooseVersion,
    date: datetime.date,
) -> str:
    """In the style of the newest entry when it has a date, else Keep a Changelog's."""
    if sample is not None and sample.date_text:
        return title_like(sample, version, date)
    label = f"[{spelled}]" if unreleased.bracketed else spelled
    return f"{label} - {date.isoformat()}"


def _heading_edits(
    lines: list[str], changelog: Changelog, unreleased: Entry, heading: str, *, ascending: bool
) -> list[Edit]:
    """Newest first: the new heading goes right under Unreleased's, above the body it takes
    over. Oldest first: Unreleased's heading becomes the new one, and an Unreleased heading
    follows the body."""
    heading_end = unreleased.body_line - 1  # a setext heading ends on its underline
    if not ascending:
        return [(heading_end, heading_end, ["", heading])]
    last = unreleased.end_line
    while last > heading_end and (not lines[last - 1].strip() or last in changelog.link_lines):
        last -= 1
    old_heading = lines[unreleased.line - 1 : heading_end]
    return [
        (unreleased.line - 1, heading_end, [heading]),
        (last, last, ["", *old_heading]),
    ]


def _link_edits(
    lines: list[str],
    changelog: Changelog,
    unreleased: Entry,
    sample: Entry | None,
    spelled: str,
    version: LooseVersion,
) -> tuple[list[Edit], list[str]]:
    """Point ``[Unreleased]`` at the new tag and add the new version's compare link below it."""
    link = changelog.links.get(link_label(unreleased.version.text))
    if link is None:
        return [], []
    compare = _COMPARE.fullmatch(link.url)
    if compare is None:
        return [], [f"the [{link.label}] link is not a compare link ({link.url}): left as it is"]
    if link_label(spelled) in changelog.links:
        return [], [f"a [{spelled}] link is already defined: the links were left as they are"]
    old_tag = compare["old"]
    new_tag = _tag_prefix(old_tag, sample) + version.text.lstrip("vV")
    index = link.line - 1
    updated = lines[index].replace(link.url, f"{compare['base']}{new_tag}...{compare['new']}", 1)
    added = f"[{spelled}]: {compare['base']}{old_tag}...{new_tag}"
    return [(index, index + 1, [updated, added])], []


def _tag_prefix(tag: str, sample: Entry | None) -> str:
    """What the tags put before the version: ``v`` in ``v1.1.0``, ``app-v`` in ``app-v1.1.0``."""
    written = sample.version.text.lstrip("vV") if sample is not None else ""
    if written and tag.endswith(written):
        return tag[: -len(written)]
    match = re.search(r"[0-9]", tag)
    return tag[: match.start()] if match else "v"


def unified_diff(old: str, new: str, path: str) -> str:
    """``git diff``-style lines from ``old`` to ``new``."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
