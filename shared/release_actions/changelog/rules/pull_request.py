"""Pull request checks, over plain data: skip rules, "the changelog was touched", and "new lines
went to Unreleased or the open version, not under an entry that is already released"."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..reading import Changelog, Entry, Finding, PathFilter, PathTemplate, is_changelog
from . import catalogue as rules

Enforcement = Literal["error", "warning", "off"]
ENFORCEMENTS: tuple[Enforcement, ...] = ("error", "warning", "off")


@dataclass(frozen=True)
class PullRequestFacts:
    number: int
    author: str
    labels: Sequence[str]  # read live from the API, so a re-run sees a label added later
    changed_files: Sequence[str]


def skip_reason(
    pull: PullRequestFacts, skip_labels: Sequence[str], skip_authors: Sequence[str]
) -> str | None:
    """Why the changelog requirement does not apply to this pull request, if it does not."""
    wanted = {label.casefold() for label in skip_labels}
    for label in pull.labels:
        if label.casefold() in wanted:
            return f"label '{label}'"
    if pull.author.casefold() in {author.casefold() for author in skip_authors}:
        return f"author {pull.author}"
    return None


def diff_base(head_parents: Sequence[str], *, base_sha: str, head_sha: str) -> str:
    """The commit a pull request's changelog diff starts from.

    The ``pull_request`` checkout is GitHub's merge commit (``refs/pull/N/merge``): its first
    parent is the base branch it was merged onto, its second the pull request's head. The event's
    ``base.sha`` can be older (``labeled`` events, re-runs), and diffing from it would count what
    landed on the base branch since as this pull request's lines. Any other checkout, or a merge
    whose second parent is not the event's head (a branch that merged main), uses ``base.sha``.
    """
    if len(head_parents) >= 2 and (not head_sha or head_parents[1] == head_sha):
        return head_parents[0]
    return base_sha


def check_touched(
    pull: PullRequestFacts,
    templates: Sequence[PathTemplate],
    require_for: PathFilter,
    *,
    severity: Literal["error", "warning"],
    skip_labels: Sequence[str],
    file: str | None = None,
) -> Finding | None:
    """CL008: files that need a changelog entry changed, and no changelog did; ``file`` is the
    changelog the annotation points at."""
    changelogs = [path for path in pull.changed_files if is_changelog(path, templates)]
    if changelogs:
        return None
    needing = [path for path in pull.changed_files if require_for.matches(path)]
    if not needing:
        return None
    shown = ", ".join(needing[:3]) + (f" and {len(needing) - 3} more" if len(needing) > 3 else "")
    named = " or ".join(template.template for template in templates)
    hint = f", or add the label '{skip_labels[0]}'" if skip_labels else ""
    return rules.NOT_TOUCHED.finding(
        f"pull request #{pull.number} changes {shown} but not the changelog ({named}): "
        f"add an entry{hint}",
        file=file,
        severity=severity,
    )


@dataclass(frozen=True)
class LineChanges:
    """A changelog's diff, in the new file's 1-based line numbers."""

    added: tuple[int, ...]  # lines that are new, not counting in-place edits of existing lines
    touched: frozenset[int]  # every line that is new or edited


def line_changes(base: str | None, head: str) -> LineChanges:
    """Compare two versions of a file. An edit that replaces n lines with n lines (a typo fix, a
    renamed heading) adds nothing; lines beyond those it replaces are added."""
    head_lines = head.split("\n")
    if base is None:
        numbers = tuple(range(1, len(head_lines) + 1))
        return LineChanges(numbers, frozenset(numbers))
    matcher = difflib.SequenceMatcher(None, base.split("\n"), head_lines, autojunk=False)
    added: list[int] = []
    touched: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            touched.update(range(j1 + 1, j2 + 1))
            first_new = j1 + (i2 - i1 if tag == "replace" else 0)
            added.extend(range(first_new + 1, j2 + 1))
    return LineChanges(tuple(added), frozenset(touched))


def check_added_lines(
    changelog: Changelog,
    head_lines: Sequence[str],
    changes: LineChanges,
    *,
    is_released: Callable[[Entry], bool],
    severity: Literal["error", "warning"],
) -> list[Finding]:
    """CL009: added lines under an entry that is released, one finding per entry.

    An entry is open when it is Unreleased, when this pull request wrote or edited its heading
    (a new version section, or Unreleased renamed at release time), or when ``is_released`` says
    no tag exists for it yet.
    """
    by_entry: dict[int, list[int]] = {}
    entries: dict[int, Entry] = {}
    for line in changes.added:
        if line in changelog.link_lines or not head_lines[line - 1].strip():
            continue
        entry = changelog.entry_at(line)
        if entry is None or entry.version.unreleased or entry.line in changes.touched:
            continue
        by_entry.setdefault(entry.line, []).append(line)
        entries[entry.line] = entry
    findings = []
    for heading_line, lines in by_entry.items():
        entry = entries[heading_line]
        if not is_released(entry):
            continue
        span = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        findings.append(
            rules.ENTRY_IN_RELEASED_SECTION.finding(
                f"{span} added under {entry.display} (line {entry.line}), which is already "
                "released: move the change to Unreleased or to the next version",
                file=changelog.path,
                line=lines[0],
                severity=severity,
            )
        )
    return findings
