"""Publishing the Helm repository index on the pages branch: a push that retries, or a PR.

The change is a function of the branch's current content (merge the new entries into whatever
index is there now), so it is re-applied on a fresh checkout when another run pushed first: two
releases racing both land, and neither reverts the other (chart-releaser#143).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...confine import read_confined, writable
from ...errors import ReleaseActionsError, SourceLocation
from ...fsutil import write_atomically
from ...git import Git
from ..repo import (
    IndexMerge,
    PageOptions,
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
    if config.index_publish == "pull-request" and git.remote_branch_exists(config.pages_branch):
        if github is None:
            raise ReleaseActionsError("index-publish: pull-request needs a GitHub token")
        return _propose(git, config, change, generated=generated, github=github, message=message)

    rewritten: list[str] = []  # the last attempt's reason; a retry merges into a fresh branch

    def apply(worktree: Git) -> bool:
        merged = apply_index_change(worktree.path, config, change, generated)
        rewritten[:] = [merged.rewritten_because] if merged is not None else []
        return merged is not None

    with git.worktree(config.pages_branch, depth=tip_depth(git)) as pages:
        result = pages.push_with_retry(config.pages_branch, apply, message)
    return IndexUpdate(
        updated=result.pushed,
        commit=result.sha,
        attempts=result.attempts,
        rewritten_because="".join(rewritten) if result.pushed else "",
    )


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
) -> IndexUpdate:
    head = pull_request_branch(config)
    pushed = False
    rewritten_because = ""
    if not _pull_branch_is_current(git, config, head, change):
        with git.worktree(config.pages_branch) as pages:
            merged = apply_index_change(pages.path, config, change, generated)
            if merged is None:
                return IndexUpdate(updated=False)
            rewritten_because = merged.rewritten_because
            pages.commit_all(message)
            # The branch is ours alone and is rebuilt from the pages branch each time.
            pages.run("push", "--force", "origin", f"HEAD:refs/heads/{head}")
            pushed = True
    body = "Adds to the Helm repository index:\n\n" + "\n".join(
        f"- {name} {version}" for name, version in sorted(change.keys)
    )
    pull, operation = github.create_or_update_pull(
        head=head, base=config.pages_branch, title=message, body=body
    )
    return IndexUpdate(
        updated=pushed or operation != "unchanged",
        pull_request_url=pull.html_url,
        rewritten_because=rewritten_because,
    )


def _pull_branch_is_current(
    git: Git, config: ReleaseConfig, head: str, change: IndexChange
) -> bool:
    """Does the open PR's branch already add these entries on top of the pages branch as it is?"""
    if not git.remote_branch_exists(head):
        return False
    git.fetch(
        f"+refs/heads/{head}:refs/remotes/origin/{head}",
        f"+refs/heads/{config.pages_branch}:refs/remotes/origin/{config.pages_branch}",
    )
    base = f"origin/{config.pages_branch}"
    if git.merge_base(base, f"origin/{head}") != git.head_sha(base):
        return False
    proposed = git.file_at(f"origin/{head}", config.index_path)
    if proposed is None:
        return False
    listed = published_versions(proposed, source=config.index_path)
    return all(version in listed.get(name, set()) for name, version in change.keys)


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
