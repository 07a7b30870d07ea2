"""Publishing the Helm repository index on the pages branch: a push that retries, or a PR.

The change is a function of the branch's current content (merge the new entries into whatever
index is there now), so it is re-applied on a fresh checkout when another run pushed first: two
releases racing both land, and neither reverts the other (chart-releaser#143).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...api_commits import publisher_for
from ...confine import read_confined, writable
from ...errors import ReleaseActionsError, SourceLocation
from ...fsutil import write_atomically
from ...git import BranchPublisher, Git
from ...pull_requests import Proposal, close_proposal, propose
from ..repo import (
    IndexMerge,
    PageOptions,
    index_entries,
    load_index_for_page,
    merge_into_index,
    provenance_beside,
    published_versions,
    render_index_html,
    rewritten_warning,
    unified_index_diff,
)
from .config import ReleaseConfig

if TYPE_CHECKING:  # PyGithub is imported only by the commands that talk to GitHub
    from ...github import GitHub

INDEX_HTML = "index.html"


@dataclass(frozen=True)
class IndexChange:
    """What to add to the index: entries, and the packages to host next to it (or none)."""

    entries: tuple[Mapping[str, Any], ...]
    packages: tuple[Path, ...] = ()

    @property
    def keys(self) -> frozenset[tuple[str, str]]:
        return frozenset((str(entry["name"]), str(entry["version"])) for entry in self.entries)


@dataclass(frozen=True)
class IndexUpdate:
    updated: bool
    commit: str = ""
    pull_request_url: str = ""
    attempts: int = 0
    # Why the index's existing bytes were rewritten (not in Helm's layout); "" when they were kept.
    rewritten_because: str = ""
    proposal: Proposal | None = None  # in pull-request mode


def pull_request_branch(config: ReleaseConfig) -> str:
    return f"release-actions/index-{config.pages_branch}"


def merged_index_text(
    current: str | None, change: IndexChange, generated: datetime, *, source: str
) -> IndexMerge | None:
    """The index with ``change`` merged in, or ``None`` when it already lists every entry.

    A listed version with another digest raises: published versions are immutable. The result
    says when the existing entries had to be rewritten (an index not in Helm's layout).
    """
    entries = [dict(entry) for entry in change.entries]
    merged = merge_into_index(current, entries, generated=generated, source=source)
    return None if merged.text == current else merged


def rewritten_index_warning(config: ReleaseConfig, reason: str, *, dry_run: bool = False) -> str:
    """The warning for an index on the pages branch whose existing entries were re-emitted."""
    where = f"{config.index_path} on {config.pages_branch}"
    return rewritten_warning(where, reason, dry_run=dry_run)


def apply_index_change(
    directory: Path, config: ReleaseConfig, change: IndexChange, generated: datetime
) -> IndexMerge | None:
    """Merge ``change`` into the checkout at ``directory``; ``None`` when nothing is missing.

    The pages branch is repository content too: a link on the way to any file written here
    (a symlinked directory, say) is refused, so nothing lands outside the checkout.
    """
    subject = f"the {config.pages_branch} branch"
    index_file = writable(directory / config.index_path, directory, subject=subject)
    current = _read_index(index_file, directory, subject)
    merged = merged_index_text(current, change, generated, source=config.index_path)
    if merged is None:
        return None
    for package in change.packages:
        hosted = writable(index_file.parent / package.name, directory, subject=subject)
        _host_package(package, hosted)
    write_atomically(index_file, merged.text.encode("utf-8"))
    if config.pages_html:
        index = load_index_for_page(merged.text)
        options = PageOptions(
            repository_name=config.helm_repository_name,
            repository_url=config.helm_repository_url,
            title=f"{config.repository or 'Helm'} charts",
            oci_registry=config.oci_registry,
            provenance=provenance_beside(index, index_file.parent),
        )
        html = render_index_html(index, options)
        html_file = writable(index_file.parent / INDEX_HTML, directory, subject=subject)
        write_atomically(html_file, html.encode("utf-8"))
    return merged


def _read_index(index_file: Path, checkout: Path, subject: str) -> str | None:
    try:
        data = read_confined(index_file, checkout, subject=subject)
    except FileNotFoundError:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReleaseActionsError(
            f"{subject}: {index_file.name} is not UTF-8 text (byte {exc.start})",
            location=SourceLocation(index_file.relative_to(checkout).as_posix()),
        ) from None


def publish_index(
    git: Git,
    config: ReleaseConfig,
    change: IndexChange,
    *,
    generated: datetime,
    github: GitHub | None,
    message: str,
) -> IndexUpdate:
    """Push the merged index to the pages branch, or propose it in a pull request.

    A pages branch that does not exist yet is created by a push in either mode: a pull request
    needs a base, and there is no protection to respect on a branch that is not there.
    """
    publisher = publisher_for(config.commit_method, github)
    if config.index_publish == "pull-request" and git.remote_branch_exists(config.pages_branch):
        if github is None:
            raise ReleaseActionsError("index-publish: pull-request needs a GitHub token")
        return _propose(
            git,
            config,
            change,
            generated=generated,
            github=github,
            message=message,
            publisher=publisher,
        )

    rewritten: list[str] = []  # the last attempt's reason; a retry merges into a fresh branch

    def apply(worktree: Git) -> bool:
        merged = apply_index_change(worktree.path, config, change, generated)
        rewritten[:] = [merged.rewritten_because] if merged is not None else []
        return merged is not None

    with git.worktree(config.pages_branch, depth=tip_depth(git)) as pages:
        result = pages.push_with_retry(config.pages_branch, apply, message, publisher=publisher)
    return IndexUpdate(
        updated=result.pushed,
        commit=result.sha,
        attempts=result.attempts,
        rewritten_because="".join(rewritten) if result.pushed else "",
    )


def retire_index_pull(config: ReleaseConfig, github: GitHub) -> IndexUpdate:
    """The index lists every chart version: an index pull request still open is obsolete
    (merged by other means, or overtaken), so it is closed, as create-pull-request does."""
    branch = config.pull_request.branch or pull_request_branch(config)
    options = replace(config.pull_request, branch=branch)
    proposal = close_proposal(github, config.pages_branch, options)
    return IndexUpdate(updated=False, pull_request_url=proposal.url, proposal=proposal)


def tip_depth(git: Git) -> int | None:
    """How deep to fetch a branch whose tip alone is needed (the index is read or committed on).

    One commit when the clone is shallow already, so a pages branch with years of index history
    is not downloaded whole. A full clone gets no depth: any ``--depth`` fetch marks the whole
    repository shallow, after which the history checks (a bump's merge-base, a release's
    package dates) would take it for a shallow clone and fetch every branch's history.
    """
    return 1 if git.is_shallow() else None


def _propose(
    git: Git,
    config: ReleaseConfig,
    change: IndexChange,
    *,
    generated: datetime,
    github: GitHub,
    message: str,
    publisher: BranchPublisher | None,
) -> IndexUpdate:
    body = "Adds to the Helm repository index:\n\n" + "\n".join(
        f"- {name} {version}" for name, version in sorted(change.keys)
    )
    options = config.pull_request.completed(
        git.path,
        title=message,
        body=body,
        branch=pull_request_branch(config),
        commit_message=message,
    )
    rewritten: list[str] = []
    pending = _pending_proposal(git, config, options.branch)

    def apply(pages: Git) -> bool:
        carried = _carry_pending(pages, config, pending)
        combined = replace(change, entries=change.entries + carried)
        merged = apply_index_change(pages.path, config, combined, generated)
        rewritten[:] = [merged.rewritten_because] if merged is not None else []
        return merged is not None

    def already_proposed(pages: Git, head: str, base_sha: str) -> bool:
        """Does the branch already add these entries on top of the pages branch as it is?"""
        if pages.merge_base(base_sha, head) != base_sha:
            return False
        proposed = pages.file_at(head, config.index_path)
        if proposed is None:
            return False
        listed = published_versions(proposed, source=config.index_path)
        return all(version in listed.get(name, set()) for name, version in change.keys)

    with git.worktree(config.pages_branch) as pages:
        proposal = propose(
            pages,
            github,
            base=config.pages_branch,
            options=options,
            apply_change=apply,
            already_proposed=already_proposed,
            publisher=publisher,
        )
    return IndexUpdate(
        updated=proposal.operation in ("created", "updated"),
        commit=proposal.head_sha,
        pull_request_url=proposal.url,
        rewritten_because="".join(rewritten) if proposal.pushed else "",
        proposal=proposal,
    )


@dataclass(frozen=True)
class _PendingProposal:
    """What the open pull request branch proposes: its index entries, and its hosted files."""

    entries: tuple[dict[str, Any], ...]
    packages: Mapping[str, bytes]  # file name next to the index -> bytes


def _pending_proposal(git: Git, config: ReleaseConfig, branch: str) -> _PendingProposal:
    """The entries the pull request branch already proposes. The branch is rebuilt on the pages
    branch for each change, so a release made while the pull request waits must carry the
    earlier releases' entries over, or the rebuilt branch would drop them."""
    if not git.remote_branch_exists(branch):
        return _PendingProposal((), {})
    ref = f"refs/remotes/origin/{branch}"
    git.fetch(f"+refs/heads/{branch}:{ref}")
    text = git.file_at(ref, config.index_path)
    entries = tuple(index_entries(text)) if text is not None else ()
    packages: dict[str, bytes] = {}
    if config.packages_with_index:
        directory = config.index_path.rpartition("/")[0]
        for entry in entries:
            name = f"{entry['name']}-{entry.get('version')}.tgz"
            data = git.file_at(ref, f"{directory}/{name}" if directory else name)
            if data is not None:
                packages[name] = data
    return _PendingProposal(entries, packages)


def _carry_pending(
    pages: Git, config: ReleaseConfig, pending: _PendingProposal
) -> tuple[dict[str, Any], ...]:
    """The pending entries the pages branch (checked out in ``pages``) does not list yet, with
    their hosted packages written next to the index."""
    subject = f"the {config.pages_branch} branch"
    index_file = writable(pages.path / config.index_path, pages.path, subject=subject)
    current = _read_index(index_file, pages.path, subject)
    listed = published_versions(current, source=config.index_path) if current is not None else {}
    carried = tuple(
        entry
        for entry in pending.entries
        if str(entry.get("version")) not in listed.get(str(entry["name"]), set())
    )
    for entry in carried:
        name = f"{entry['name']}-{entry.get('version')}.tgz"
        if name in pending.packages:
            index_file.parent.mkdir(parents=True, exist_ok=True)
            hosted = writable(index_file.parent / name, pages.path, subject=subject)
            if not hosted.exists():
                write_atomically(hosted, pending.packages[name])
    return carried


def _host_package(package: Path, destination: Path) -> None:
    """Copy a package next to the index; a different file of the same name is never replaced."""
    data = package.read_bytes()
    if destination.exists():
        if destination.read_bytes() != data:
            raise ReleaseActionsError(
                f"{destination.name} on the pages branch differs from this build; published"
                " packages are immutable, so bump the chart version"
            )
        return
    write_atomically(destination, data)


def index_diff(before: str | None, after: str, *, path: str) -> str:
    """A unified diff of the index; an append-only merge keeps it to the new lines."""
    return unified_index_diff(before or "", after, path=path)
