"""Release mode: the gate on the released version's entry, its notes, and the release body."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from ...confine import output_file
from ...context import Workflow
from ...errors import GitError, ReleaseActionsError
from ...fsutil import write_atomically
from ...git import Git
from ...runner import Runner
from ..notes import entry_notes, trim_notes
from ..reading import (
    Changelog,
    Entry,
    LooseVersion,
    find_changelogs,
    load_changelog,
    newest_changelog,
    read_text,
)
from ..rules import catalogue as rules
from ..rules import check_version_files, date_matches_tag, file_missing, release_gate
from .lint import lint_changelog
from .release_update import update_release
from .report import Report
from .settings import Settings, Target
from .shared import ChangelogGitHub, RunResult


def check_release(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    report: Report,
    runner: Runner,
    root: Path,
    github: ChangelogGitHub | None,
    git: Git,
) -> RunResult:
    """The release gate for ``target.version``, then the notes file and the release body."""
    picked_path = None
    if target.version is None:
        picked = _picked_target(settings, target, report, runner, root)
        if picked is None:
            return RunResult(subject=target.subject)
        target, picked_path = picked
    version = target.version
    assert version is not None
    result = RunResult(subject=target.subject, version=version.key)
    rendered = (
        [picked_path]
        if picked_path
        else [template.render(version, target.tag) for template in settings.paths]
    )
    path = next((candidate for candidate in rendered if (root / candidate).is_file()), None)
    if path is None:
        result.file = rendered[0]
        report.ran(rules.FILE_MISSING, [file_missing(rendered[0], target.subject)])
        for rule in (rules.ENTRY_MISSING, rules.ENTRY_EMPTY):
            report.skipped(rule, "no changelog file")
        _check_version_files(settings, version, target, report, root)
        return result
    report.ran(rules.FILE_MISSING, [])
    result.file = path
    changelog = load_changelog(root, path, runner)
    gate = release_gate(changelog, version, subject=target.subject)
    if any(finding.rule == rules.PRERELEASE_FOR_FINAL.id for finding in gate.findings):
        report.ran(rules.PRERELEASE_FOR_FINAL, gate.findings)
    else:
        report.ran(rules.ENTRY_MISSING, gate.findings)
    if gate.entry is None:
        report.skipped(rules.ENTRY_EMPTY, "no entry")
    else:
        report.ran(rules.ENTRY_EMPTY, gate.findings)
    lint_changelog(changelog, settings, report)
    _check_version_files(settings, version, target, report, root)
    entry = gate.entry
    result.entry = entry
    if entry is None:
        return result
    if entry.date is None:
        report.skipped(rules.DATE_MISMATCH_TAG, "the entry has no date")
    else:
        _check_tag_date(entry, changelog, target.tag, report, git)
    notes, _ = trim_notes(entry_notes(changelog, entry), settings.max_notes_chars)
    result.notes = notes
    if settings.release_notes_file:
        notes_file = output_file(
            root / settings.release_notes_file,
            workflow.output_roots(root),
            name="release-notes-file",
        )
        write_atomically(notes_file, (notes + "\n").encode())
        result.notes_file = settings.release_notes_file
    if settings.update_release:
        if not target.tag:
            result.release = "not updated: the Unreleased section has no tag"
        elif report.errors:
            result.release = "not updated, because the checks failed"
        elif github is None:  # pragma: no cover - run() builds a client whenever it is asked for
            raise ReleaseActionsError("updating the release needs the GitHub API")
        else:
            update_release(settings, target, workflow, result, notes, runner, github)
    return result


def _picked_target(
    settings: Settings, target: Target, report: Report, runner: Runner, root: Path
) -> tuple[Target, str] | None:
    """``latest`` or ``unreleased``: the version, read from the newest changelog file the
    templates match. None (with the finding reported) when there is no such file or entry."""
    path = newest_changelog(find_changelogs(root, settings.paths))
    if path is None:
        missing = settings.paths[0].template
        report.ran(rules.FILE_MISSING, [file_missing(missing, target.subject)])
        return None
    changelog = load_changelog(root, path, runner)
    if target.pick == "latest":
        entry = changelog.latest()
    else:
        entry = next((entry for entry in changelog.entries if entry.version.unreleased), None)
    if entry is None:
        detail = "released entry" if target.pick == "latest" else "Unreleased section"
        finding = rules.ENTRY_MISSING.finding(
            f"{path} has no {detail}, so there is no {target.pick} entry", file=path, line=1
        )
        report.ran(rules.FILE_MISSING, [])
        report.ran(rules.ENTRY_MISSING, [finding])
        return None
    version = entry.version
    tag = target.tag or ("" if version.unreleased else f"v{version.key}")
    subject = f"version {version.key}" if target.pick == "latest" else target.subject
    return replace(target, version=version, tag=tag, subject=subject), path


def _check_version_files(
    settings: Settings, version: LooseVersion, target: Target, report: Report, root: Path
) -> None:
    if not settings.version_files:
        report.skipped(rules.VERSION_MISMATCH, "no version-files given")
        return
    if version.unreleased:
        report.skipped(rules.VERSION_MISMATCH, "Unreleased has no version to compare")
        return
    subject = target.subject if target.subject.startswith("tag ") else f"version {version.key}"
    findings = check_version_files(
        settings.version_files,
        version.key,
        subject=subject,
        read=lambda path: read_text(root, path),
    )
    report.ran(rules.VERSION_MISMATCH, findings)


def _check_tag_date(entry: Entry, changelog: Changelog, tag: str, report: Report, git: Git) -> None:
    """CL005, when the tag is in the clone (actions/checkout fetches tags only on request)."""
    try:
        stamp = git.run("for-each-ref", "--format=%(creatordate:short)", f"refs/tags/{tag}").strip()
        tag_date = datetime.date.fromisoformat(stamp) if stamp else None
    except (GitError, ValueError):
        tag_date = None
    if tag_date is None:
        report.skipped(rules.DATE_MISMATCH_TAG, f"tag {tag} is not in the clone")
        return
    finding = date_matches_tag(entry, tag_date, file=changelog.path, tag=tag)
    report.ran(rules.DATE_MISMATCH_TAG, [finding] if finding else [])
