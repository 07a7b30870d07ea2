"""Release-pr mode: the Keep a Changelog release step, proposed as a pull request."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ...confine import read_confined, writable
from ...context import Workflow
from ...errors import InputError, ReleaseActionsError, SourceLocation
from ...fsutil import write_atomically
from ...git import Git
from ...pull_requests import Proposal, PullRequestOptions, propose
from ...runner import Runner
from ..notes import entry_notes, trim_notes
from ..promote import AlreadyReleased, promote_unreleased
from ..reading import decode, encode_like, parse_changelog
from .settings import Settings, Target
from .shared import RunResult

if TYPE_CHECKING:
    from ...github import GitHub

PULL_BRANCH = "release-actions/changelog-release-{version}"


def open_release_pull(
    settings: Settings,
    target: Target,
    workflow: Workflow,
    runner: Runner,
    github: GitHub,
    git: Git,
    today: datetime.date,
) -> RunResult:
    """Release Unreleased as ``target.version`` on the workflow's branch, through a pull request.

    A re-run proposes the same commit, so it pushes nothing; once merged, the version has its
    entry and the run says so and changes nothing.
    """
    version = target.version
    assert version is not None
    base = _branch(workflow)
    result = RunResult(subject=target.subject, version=version.key)
    with git.worktree(base) as tree:
        rendered = [template.render(version, target.tag) for template in settings.paths]
        path = next((name for name in rendered if (tree.path / name).is_file()), None)
        if path is None:
            raise ReleaseActionsError(
                f"{rendered[0]} not found on branch {base}", location=SourceLocation(rendered[0])
            )
        result.file = path
        original = read_confined(tree.path / path, tree.path, subject="changelog")
        text, invalid = decode(original)
        if invalid:
            raise ReleaseActionsError(
                f"{path} is not valid UTF-8; it is left as it is", location=SourceLocation(path)
            )
        date = settings.release_date or today
        try:
            promotion = promote_unreleased(
                text, version, date, path=path, allow_empty=settings.allow_empty
            )
        except AlreadyReleased as exc:
            runner.notice(f"{exc.message}: nothing to release", location=exc.location)
            result.pull = f"none: {version.key} is already released on `{base}`"
            return result
        for note in promotion.notes:
            runner.warning(note, location=SourceLocation(path))
        changelog = parse_changelog(promotion.text, path)
        entry = changelog.find(version)[0]
        notes, _ = trim_notes(entry_notes(changelog, entry), settings.max_notes_chars)
        result.entry, result.notes = entry, notes
        title = f"Release {version.key}"
        released = encode_like(promotion.text, original)

        def release_the_changelog(git: Git) -> bool:
            write_atomically(writable(git.path / path, git.path, subject="changelog"), released)
            return True

        def already_proposed(git: Git, head: str, base_sha: str) -> bool:
            """The branch is one commit on the base, holding this very file."""
            on_base = git.run("rev-parse", f"{head}^", check=False).strip() == base_sha
            return on_base and git.file_at(head, path) == released

        options = PullRequestOptions(
            title=title,
            body=_pull_body(path, version.key, date, notes, workflow),
            branch=PULL_BRANCH.format(version=version.key),
            commit_message=f"{title}\n\nMove the Unreleased changes of {path} into "
            f"{version.key}.\n",
        )
        proposal = propose(
            tree,
            github,
            base=base,
            options=options,
            apply_change=release_the_changelog,
            already_proposed=already_proposed,
        )
    result.proposal = proposal
    result.pull = _pull_line(proposal)
    return result


def _pull_line(proposal: Proposal) -> str:
    # "none" is create-pull-request's word; the summary says what it means here.
    operation = "unchanged" if proposal.operation == "none" else proposal.operation
    pushed = f"; branch `{proposal.branch}` pushed" if proposal.pushed else ""
    return f"[#{proposal.number}]({proposal.url}) ({operation}{pushed})"


def _branch(workflow: Workflow) -> str:
    if workflow.ref.startswith("refs/heads/"):
        return workflow.ref.removeprefix("refs/heads/")
    raise InputError(
        "mode 'release-pr' opens a pull request against the branch the workflow runs on, "
        f"but the ref is {workflow.ref or 'not set'!r}; run it on a branch "
        "(workflow_dispatch or push)"
    )


def _pull_body(path: str, version: str, date: datetime.date, notes: str, workflow: Workflow) -> str:
    name = PurePosixPath(path).name
    lines = [
        f"Releases {version} in `{path}`: the Unreleased changes move into a new "
        f"`{version}` section dated {date.isoformat()}, and the compare links follow.",
        "",
        f"Merge it, then tag the merge commit. The notes {name} will give the release:",
        "",
        "<details><summary>Release notes</summary>",
        "",
        notes or "*(empty)*",
        "",
        "</details>",
    ]
    if workflow.run_url:
        lines += ["", f"Opened by {workflow.run_url}."]
    return "\n".join(lines) + "\n"
