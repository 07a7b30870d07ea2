"""Pull request mode: the changelog was touched, and its new lines went to an open entry.

The decisions are in ``pull_request``; this module reads the event, GitHub and git for them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from ...context import Workflow
from ...errors import GitError, ReleaseActionsError
from ...git import Git
from ...runner import Runner
from ..reading import (
    Changelog,
    Entry,
    Finding,
    LooseVersion,
    decode,
    find_changelogs,
    is_changelog,
    load_changelog,
    newest_changelog,
    version_from_tag,
)
from ..rules import (
    PullRequestFacts,
    check_added_lines,
    check_touched,
    diff_base,
    line_changes,
    skip_reason,
)
from ..rules import catalogue as rules
from .lint import lint_changelog
from .report import Report
from .settings import Settings
from .shared import ChangelogGitHub, RunResult


def check_pull_request(
    settings: Settings,
    workflow: Workflow,
    report: Report,
    runner: Runner,
    root: Path,
    github: ChangelogGitHub,
    git: Git,
) -> RunResult:
    """CL008 and CL009 for the event's pull request (unless skipped), then lint what it changed."""
    event = workflow.event
    pull = event.get("pull_request") or {}
    number = int(pull.get("number") or event.get("number") or 0)
    if not number:
        raise ReleaseActionsError(f"the {workflow.event_name} event has no pull request number")
    facts = PullRequestFacts(
        number=number,
        author=str((pull.get("user") or {}).get("login") or ""),
        labels=github.pull_labels(number),
        changed_files=github.pull_files(number),
    )
    result = RunResult(subject=f"pull request #{number}")
    changed_logs = [path for path in facts.changed_files if is_changelog(path, settings.paths)]
    existing_logs = [path for path in changed_logs if (root / path).is_file()]
    changelogs = {path: load_changelog(root, path, runner) for path in existing_logs}
    result.file = existing_logs[0] if existing_logs else ""
    reason = skip_reason(facts, settings.skip_labels, settings.skip_authors)
    if reason is not None:
        result.skip_reason = reason
        runner.notice(f"changelog requirement skipped for pull request #{number}: {reason}")
        for rule in (rules.NOT_TOUCHED, rules.ENTRY_IN_RELEASED_SECTION):
            report.skipped(rule, f"skipped: {reason}")
    elif settings.pr_enforcement == "off":
        for rule in (rules.NOT_TOUCHED, rules.ENTRY_IN_RELEASED_SECTION):
            report.skipped(rule, "pr-enforcement is off")
    else:
        severity: Literal["error", "warning"] = (
            "warning" if settings.pr_enforcement == "warning" else "error"
        )
        touched = check_touched(
            facts,
            settings.paths,
            settings.require_for_paths,
            severity=severity,
            skip_labels=settings.skip_labels,
            file=newest_changelog(find_changelogs(root, settings.paths))
            or settings.paths[0].template,
        )
        report.ran(rules.NOT_TOUCHED, [touched] if touched else [])
        base_sha = diff_base(
            _head_parents(git) if changelogs else [],
            base_sha=str((pull.get("base") or {}).get("sha") or ""),
            head_sha=str((pull.get("head") or {}).get("sha") or ""),
        )
        _check_new_lines(changelogs, base_sha, severity, report, runner, root, git)
    for changelog in changelogs.values():
        lint_changelog(changelog, settings, report)
    return result


def _check_new_lines(
    changelogs: dict[str, Changelog],
    base_sha: str,
    severity: Literal["error", "warning"],
    report: Report,
    runner: Runner,
    root: Path,
    git: Git,
) -> None:
    """CL009 on each changed changelog: its diff from the pull request's base to the checkout."""
    if not changelogs:
        report.skipped(rules.ENTRY_IN_RELEASED_SECTION, "no changelog changed")
        return
    if not base_sha:
        report.skipped(rules.ENTRY_IN_RELEASED_SECTION, "the event names no base commit")
        return
    released = _released_versions(git)

    def is_released(entry: Entry) -> bool:
        return any(entry.version.same_release(version) for version in released)

    findings: list[Finding] = []
    for path, changelog in changelogs.items():
        try:
            base = _file_at_base(git, base_sha, path)
        except GitError as exc:
            runner.warning(f"cannot read {path} at the base commit {base_sha[:12]}: {exc}")
            report.skipped(rules.ENTRY_IN_RELEASED_SECTION, "the base commit is not available")
            return
        head_text, _ = decode((root / path).read_bytes())
        base_text = decode(base)[0] if base is not None else None
        findings += check_added_lines(
            changelog,
            head_text.split("\n"),
            line_changes(base_text, head_text),
            is_released=is_released,
            severity=severity,
        )
    report.ran(rules.ENTRY_IN_RELEASED_SECTION, findings)


def _head_parents(git: Git) -> list[str]:
    """HEAD's parents as its commit records them, which a shallow clone keeps (it only cuts the
    history behind them)."""
    try:
        raw = git.run("cat-file", "commit", "HEAD")
    except GitError:
        return []
    headers = raw.split("\n\n", 1)[0]
    return [
        line.removeprefix("parent ") for line in headers.splitlines() if line.startswith("parent ")
    ]


def _file_at_base(git: Git, sha: str, path: str) -> bytes | None:
    """The file at the base commit; fetched first when the checkout is shallow and lacks it."""
    try:
        return git.file_at(sha, path)
    except GitError:
        git.fetch(sha, depth=1)
        return git.file_at(sha, path)


def _released_versions(git: Git) -> list[LooseVersion]:
    """Versions that have a tag, locally or on origin; an entry for one is released."""
    names: set[str] = set()
    with contextlib.suppress(GitError):
        names.update(git.tags())
    try:
        listing = git.run("ls-remote", "--tags", "--refs", "origin")
    except GitError:
        listing = ""
    for line in listing.splitlines():
        _, _, ref = line.partition("\t")
        names.add(ref.removeprefix("refs/tags/"))
    return [version for name in names if (version := version_from_tag(name)) is not None]
