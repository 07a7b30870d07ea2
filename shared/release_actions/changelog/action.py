"""The action-changelog-check entry point: inputs from the environment, then the checks.

:func:`run` is the thin composition: it parses inputs, builds the GitHub and git adapters, and
hands them to :func:`check_changelog`, which tests call with their own.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from ..context import Context, Workflow
from ..errors import GitError, ReleaseActionsError
from ..fsutil import write_atomically
from ..git import Git
from ..github import GitHub, Release
from ..inputs import Inputs
from ..runner import Runner
from . import rules
from .files import load_changelog, read_text
from .gate import date_matches_tag, file_missing, release_gate
from .lint import LintOptions, lint, lint_rules
from .locate import find_changelogs, is_changelog, newest_changelog
from .loose_version import LooseVersion, version_from_tag
from .model import Changelog, Entry, Finding
from .notes import MAX_RELEASE_BODY, entry_notes, trim_notes
from .parser import decode
from .pull_request import (
    PullRequestFacts,
    check_added_lines,
    check_touched,
    diff_base,
    line_changes,
    skip_reason,
)
from .release_body import changelog_url, release_body
from .report import Report, with_severity
from .settings import Settings, Target, choose_target
from .summary import SummaryFacts, render_summary
from .version_files import check_version_files


class ChangelogGitHub(Protocol):
    """What the checks need from GitHub (``release_actions.github.GitHub`` provides it)."""

    def pull_labels(self, number: int) -> list[str]: ...
    def pull_files(self, number: int) -> list[str]: ...
    def release_by_id(self, release_id: int) -> Release | None: ...
    def release_by_tag_with_drafts(self, tag: str) -> Release | None: ...
    def update_release_body(self, release: Release, body: str) -> Release: ...


@dataclass
class RunResult:
    """What the run found, for the outputs and the summary."""

    subject: str = ""
    version: str = ""
    file: str = ""
    entry: Entry | None = None
    notes: str | None = None
    notes_file: str = ""
    skip_reason: str = ""
    release_updated: bool = False
    release: str = ""


def run(args: argparse.Namespace, context: Context) -> int:
    settings = Settings.from_inputs(Inputs(context.environ))
    context.runner.mask(settings.token)
    workflow = context.workflow
    target = choose_target(settings, workflow)
    needs_github = target.mode == "pr" or (target.mode == "release" and settings.update_release)
    if needs_github and not workflow.repository:
        raise ReleaseActionsError("GITHUB_REPOSITORY is not set: cannot reach the GitHub API")
    github = GitHub.from_workflow(settings.token, workflow) if needs_github else None
    try:
        return check_changelog(
            settings,
            target,
            workflow,
            runner=context.runner,
            root=context.cwd,
            github=github,
            git=Git(context.cwd, token=settings.token or None),
        )
    finally:
        if github is not None:
            github.close()


def check_changelog(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    *,
    runner: Runner,
    root: Path,
    github: ChangelogGitHub | None,
    git: Git,
) -> int:
    """Run the checks for ``target``, set the outputs and the summary; raise if any failed."""
    report = Report()
    if target.mode == "release":
        result = _release(settings, target, workflow, report, runner, root, github, git)
    elif target.mode == "pr":
        if github is None:
            raise ReleaseActionsError("pull request checks need the GitHub API")
        result = _pull_request(settings, workflow, report, runner, root, github, git)
    else:
        result = _lint_files(settings, report, runner, root)
    _set_outputs(runner, target, result, report)
    runner.add_summary(
        render_summary(
            SummaryFacts(
                mode=target.mode,
                subject=result.subject,
                file=result.file,
                entry=result.entry,
                notes=result.notes,
                skip_reason=result.skip_reason,
                release=result.release,
            ),
            report.rows,
        )
    )
    report.emit(runner)
    report.raise_if_failed()
    return 0


# -- the release gate ---------------------------------------------------------------------------


def _release(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    report: Report,
    runner: Runner,
    root: Path,
    github: ChangelogGitHub | None,
    git: Git,
) -> RunResult:
    version = target.version
    assert version is not None
    result = RunResult(subject=target.subject, version=version.key)
    rendered = [template.render(version, target.tag) for template in settings.paths]
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
    _lint(changelog, settings, report)
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
        write_atomically(root / settings.release_notes_file, (notes + "\n").encode())
        result.notes_file = settings.release_notes_file
    if settings.update_release:
        if report.errors:
            result.release = "not updated, because the checks failed"
        elif github is None:  # pragma: no cover - run() builds a client whenever it is asked for
            raise ReleaseActionsError("updating the release needs the GitHub API")
        else:
            _update_release(settings, target, workflow, result, notes, runner, github)
    return result


def _check_version_files(
    settings: Settings, version: LooseVersion, target: Target, report: Report, root: Path
) -> None:
    if not settings.version_files:
        report.skipped(rules.VERSION_MISMATCH, "no version-files given")
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


def _update_release(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    result: RunResult,
    notes: str,
    runner: Runner,
    github: ChangelogGitHub,
) -> None:
    release = _release_to_update(github, workflow, target.tag)
    if release is None:
        result.release = f"no release for tag {target.tag} yet, so nothing was updated"
        runner.warning(f"there is no GitHub release for tag {target.tag}: its body was not updated")
        return
    link = changelog_url(workflow.server_url, workflow.repository, target.tag, result.file)
    existing = release.body.replace("\r\n", "\n")
    body = release_body(existing, notes, link, mode=settings.release_body, limit=MAX_RELEASE_BODY)
    if body is None:
        result.release = "not updated: the existing body leaves no room for the notes"
        runner.warning(
            f"the body of release {target.tag} is too long to add the changelog notes to"
        )
    elif body == existing:
        result.release = f"[{target.tag}]({release.html_url}) already up to date"
    else:
        github.update_release_body(release, body)
        result.release_updated = True
        result.release = (
            f"[{target.tag}]({release.html_url}) body updated ({settings.release_body})"
        )


def _release_to_update(github: ChangelogGitHub, workflow: Workflow, tag: str) -> Release | None:
    """The event's own release on a ``release`` event (a draft has no other handle: the tag
    endpoint answers only published releases), else the tag's release, drafts included."""
    event_release = workflow.event.get("release") if workflow.event_name == "release" else None
    if isinstance(event_release, dict) and event_release.get("tag_name") == tag:
        release_id = event_release.get("id")
        if isinstance(release_id, int):
            release = github.release_by_id(release_id)
            if release is not None:
                return release
    return github.release_by_tag_with_drafts(tag)


# -- pull requests ------------------------------------------------------------------------------


def _pull_request(
    settings: Settings,
    workflow: Workflow,
    report: Report,
    runner: Runner,
    root: Path,
    github: ChangelogGitHub,
    git: Git,
) -> RunResult:
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
        _lint(changelog, settings, report)
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


# -- lint ---------------------------------------------------------------------------------------


def _lint_files(settings: Settings, report: Report, runner: Runner, root: Path) -> RunResult:
    files = find_changelogs(root, settings.paths)
    result = RunResult(file=files[0] if files else "")
    if not files:
        wanted = ", ".join(template.template for template in settings.paths)
        missing = rules.FILE_MISSING.finding(
            f"no changelog matches {wanted}", file=settings.paths[0].template
        )
        report.ran(rules.FILE_MISSING, [missing])
        return result
    result.subject = ", ".join(f"`{path}`" for path in files[:5]) + (
        f" and {len(files) - 5} more" if len(files) > 5 else ""
    )
    for path in files:
        _lint(load_changelog(root, path, runner), settings, report)
    return result


def _lint(changelog: Changelog, settings: Settings, report: Report) -> None:
    options = LintOptions(order=settings.order, profile=settings.profile)
    if settings.lint == "off":
        for rule in lint_rules(options):
            report.skipped(rule, "lint is off")
        return
    report.ran_all(lint_rules(options), with_severity(lint(changelog, options), settings.lint))


# -- outputs ------------------------------------------------------------------------------------


def _set_outputs(runner: Runner, target: Target, result: RunResult, report: Report) -> None:
    entry = result.entry
    outputs = {
        "mode": target.mode,
        "version": result.version,
        "date": entry.date.isoformat() if entry is not None and entry.date else "",
        "status": entry.status if entry is not None else "",
        "changelog-file": result.file,
        "entry-line": str(entry.line) if entry is not None else "",
        "release-notes": result.notes or "",
        "release-notes-file": result.notes_file,
        "skipped": "true" if result.skip_reason else "false",
        "skip-reason": result.skip_reason,
        "release-updated": "true" if result.release_updated else "false",
        "findings": report.as_json(),
    }
    for name, value in outputs.items():
        runner.set_output(name, value)
