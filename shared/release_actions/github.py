"""The GitHub adapter: PyGithub built from ``GITHUB_API_URL`` and a token, returning plain data.

Retries live in the HTTP layer (:class:`_Retry`): 5xx answers, 429 and GitHub's rate-limit 403s
are retried with exponential backoff, POSTs included. A retried POST is safe because a repeated
create is recognised (``already_exists``, "a pull request already exists") and answered with the
object that exists. Every failure leaves as a one-line :class:`GitHubError` without the token.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import requests
from github import Auth, Github, GithubException, GithubRetry, UnknownObjectException
from github.GithubObject import NotSet
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from .errors import GitHubError
from .http import USER_AGENT

if TYPE_CHECKING:
    from github.GitRelease import GitRelease
    from github.GitReleaseAsset import GitReleaseAsset
    from github.PullRequest import PullRequest as GitHubPull
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

    from .context import Workflow

# Waits GitHub asks for (Retry-After, rate-limit resets) beyond this fail instead of stalling a job.
MAX_WAIT = 600.0
_PER_PAGE = 100
_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")


@dataclass(frozen=True)
class Asset:
    id: int
    name: str
    size: int
    browser_download_url: str
    digest: str | None  # "sha256:…" when the API reports it


@dataclass(frozen=True)
class Release:
    id: int
    tag: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    html_url: str
    assets: tuple[Asset, ...]


@dataclass(frozen=True)
class PullRequest:
    number: int
    html_url: str
    head: str
    base: str
    title: str
    body: str
    labels: tuple[str, ...]


PullOperation = Literal["created", "updated", "unchanged"]


class GitHub:
    """What the actions need from GitHub, behind one small interface.

    ``backoff`` is urllib3's backoff factor (waits of 0, 2×, 4×… seconds between retries) and
    ``rate_limit_wait`` the pause after a secondary rate limit that names no ``Retry-After``;
    tests set both to 0.
    """

    def __init__(
        self,
        token: str,
        *,
        api_url: str,
        repository: str,
        retries: int = 5,
        backoff: float = 0.5,
        rate_limit_wait: float = 60.0,
        timeout: int = 30,
    ) -> None:
        if not _REPOSITORY.fullmatch(repository):
            raise GitHubError(f"the repository must be 'owner/name', got {repository!r}")
        self.repository = repository
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.api_url,
            timeout=timeout,
            user_agent=USER_AGENT,
            per_page=_PER_PAGE,
            retry=_Retry(
                total=retries,
                backoff_factor=backoff,
                secondary_rate_wait=rate_limit_wait,
                max_rate_limit_wait=MAX_WAIT,
            ),
            # GitHub's guidance is to pace writes; we make a handful, and rate limits are retried.
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,  # objects fetch on first use: no GET before each POST/PATCH
        )
        self._repo = self._github.get_repo(repository)

    @classmethod
    def from_workflow(cls, token: str, workflow: Workflow) -> GitHub:
        """The client for the workflow's repository on its GitHub (``GITHUB_API_URL``)."""
        return cls(token, api_url=workflow.api_url, repository=workflow.repository)

    def close(self) -> None:
        self._github.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # releases

    def latest_release(self) -> Release | None:
        with self._calling("reading the latest release"):
            try:
                return _release(self._repo.get_latest_release())
            except UnknownObjectException:
                return None

    def release_by_tag(self, tag: str) -> Release | None:
        with self._calling(f"reading release {tag}"):
            try:
                return _release(self._repo.get_release(tag))
            except UnknownObjectException:
                return None

    def release_by_id(self, release_id: int) -> Release | None:
        """A release by its id: drafts too, which ``release_by_tag`` cannot see."""
        with self._calling(f"reading release {release_id}"):
            try:
                # Lazy, PyGithub would take the id at the end of the URL for the tag name.
                return _release(self._repo.get_release(release_id).complete())
            except UnknownObjectException:
                return None

    def release_by_tag_with_drafts(self, tag: str) -> Release | None:
        """The release for ``tag``, drafts included.

        ``GET /releases/tags/{tag}`` answers only published releases, so a miss is looked for in
        the list of releases (newest first, drafts included for a token that can push), which is
        read only as far as the first match.
        """
        published = self.release_by_tag(tag)
        if published is not None:
            return published
        with self._calling(f"looking for a draft release {tag}"):
            for release in self._repo.get_releases():
                if release.tag_name == tag:
                    return _release(release)
            return None

    def create_release(
        self,
        tag: str,
        *,
        name: str,
        body: str,
        prerelease: bool,
        make_latest: bool,
        target: str | None = None,
        generate_notes: bool = False,
    ) -> Release:
        """Create a published release; if the tag already has one (a concurrent run), return it.

        With ``generate_notes`` GitHub writes its generated notes after ``body``.
        """
        with self._calling(f"creating release {tag}"):
            try:
                created = self._repo.create_git_release(
                    tag,
                    name=name,
                    message=body,
                    prerelease=prerelease,
                    generate_release_notes=generate_notes,
                    # GitHub refuses to mark a prerelease latest.
                    make_latest="true" if make_latest and not prerelease else "false",
                    target_commitish=target if target else NotSet,
                )
            except GithubException as exc:
                if not _already_exists(exc, "tag_name"):
                    raise
                existing = self.release_by_tag(tag)
                if existing is None:
                    raise
                return existing
            return _release(created)

    def update_release_body(self, release: Release, body: str) -> Release:
        with self._calling(f"updating release {release.tag}"):
            updated = self._repo.get_release(release.id).update_release(
                name=release.name,
                message=body,
                draft=release.draft,
                prerelease=release.prerelease,
                tag_name=release.tag,
            )
            return _release(updated)

    def upload_asset(self, release: Release, path: Path, *, content_type: str) -> Asset:
        """Upload ``path`` as an asset named after the file.

        An asset of that name with the same content (a retried upload) is returned as is; one
        with other content is an error, never silently replaced.
        """
        with self._calling(f"uploading {path.name} to release {release.tag}"):
            target = self._repo.get_release(release.id)
            try:
                uploaded = target.upload_asset(str(path), content_type=content_type, name=path.name)
            except GithubException as exc:
                if not _already_exists(exc, "name"):
                    raise
                existing = next(a for a in target.get_assets() if a.name == path.name)
                if _asset(existing).digest not in (None, _sha256(path.read_bytes())):
                    raise GitHubError(
                        f"release {release.tag} already has an asset {path.name} "
                        "with different content"
                    ) from None
                return _asset(existing)
            return _asset(uploaded)

    def download_asset(self, asset: Asset) -> bytes:
        """The asset's bytes, through the API (works for private repositories too)."""
        with self._calling(f"downloading {asset.name}"):
            _, _, chunks = self._repo.get_release_asset(asset.id).download_asset(chunk_size=65536)
            data = b"".join(chunks)
        if asset.digest is not None and asset.digest != _sha256(data):
            raise GitHubError(
                f"{asset.name} downloaded with a different digest than {asset.digest}"
            )
        return data

    # pull requests and labels

    def find_open_pull(self, head: str, base: str | None = None) -> PullRequest | None:
        """The open pull request from branch ``head`` (in this repository) into ``base``."""
        owner = self.repository.split("/")[0]
        # GitHub ignores a head filter that lacks the "owner:" part and lists every pull.
        qualified = head if ":" in head else f"{owner}:{head}"
        with self._calling(f"looking for an open pull request from {head}"):
            pulls = self._repo.get_pulls(state="open", head=qualified, base=base or NotSet)
            for pull in pulls:
                return _pull(pull)
            return None

    def create_or_update_pull(
        self, *, head: str, base: str, title: str, body: str
    ) -> tuple[PullRequest, PullOperation]:
        """One open pull request from ``head`` into ``base`` with this title and body."""
        existing = self.find_open_pull(head, base)
        if existing is None:
            with self._calling(f"opening a pull request from {head} into {base}"):
                try:
                    created = self._repo.create_pull(base=base, head=head, title=title, body=body)
                    return _pull(created), "created"
                except GithubException as exc:
                    if exc.status != 422 or "already exists" not in _describe(exc):
                        raise
            # A concurrent run opened it between our look-up and our create.
            existing = self.find_open_pull(head, base)
            if existing is None:
                raise GitHubError(f"GitHub reports a pull request from {head} that cannot be found")
        # Bodies edited in the web UI come back with CRLF line ends.
        if existing.title == title and _lf(existing.body) == _lf(body):
            return existing, "unchanged"
        with self._calling(f"updating pull request #{existing.number}"):
            pull = self._repo.get_pull(existing.number)
            pull.edit(title=title, body=body)
            return _pull(pull), "updated"

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        """Add labels to an issue or pull request, keeping the ones it has."""
        if not labels:
            return
        with self._calling(f"labelling #{number}"):
            self._repo.get_issue(number).add_to_labels(*labels)

    def pull_labels(self, number: int) -> list[str]:
        """The labels as they are now (the event payload may be older)."""
        with self._calling(f"reading the labels of #{number}"):
            return [label.name for label in self._repo.get_issue(number).get_labels()]

    def pull_files(self, number: int) -> list[str]:
        """Paths the pull request changes (GitHub lists at most 3000)."""
        with self._calling(f"listing the files of pull request #{number}"):
            return [file.filename for file in self._repo.get_pull(number).get_files()]

    @contextmanager
    def _calling(self, action: str) -> Iterator[None]:
        try:
            yield
        except GithubException as exc:
            raise GitHubError(self._scrub(f"{action} failed: {_describe(exc)}")) from None
        except requests.RequestException as exc:
            message = f"{action} failed: cannot talk to {self.api_url}: {_network_reason(exc)}"
            raise GitHubError(self._scrub(message)) from None

    def _scrub(self, message: str) -> str:
        return message.replace(self._token, "***") if self._token else message


class _Retry(GithubRetry):
    """PyGithub's retry (5xx, and 403 rate limits), plus 429 and a cap on ``Retry-After``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("status_forcelist", [429, *range(500, 600)])
        kwargs.setdefault("allowed_methods", Retry.DEFAULT_ALLOWED_METHODS | {"POST", "PATCH"})
        # After the last retry, hand the error answer to PyGithub so its message reaches the user.
        kwargs.setdefault("raise_on_status", False)
        super().__init__(**kwargs)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[arg-type]
        if (
            response is not None
            and response.status == 429
            and not response.headers.get("Retry-After")
        ):
            # A secondary rate limit without Retry-After: GitHub asks for a pause, like a 403.
            wait = max(self.secondary_rate_wait, retry.get_backoff_time())
            retry.get_backoff_time = lambda: wait  # type: ignore[method-assign]
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_WAIT)


def _release(release: GitRelease) -> Release:
    return Release(
        id=release.id,
        tag=release.tag_name,
        name=release.name or "",
        body=release.body or "",
        draft=release.draft,
        prerelease=release.prerelease,
        html_url=release.html_url,
        assets=tuple(_asset(asset) for asset in release.assets),
    )


def _asset(asset: GitReleaseAsset) -> Asset:
    return Asset(
        id=asset.id,
        name=asset.name,
        size=asset.size,
        browser_download_url=asset.browser_download_url,
        digest=asset.digest,
    )


def _pull(pull: GitHubPull) -> PullRequest:
    return PullRequest(
        number=pull.number,
        html_url=pull.html_url,
        head=pull.head.ref,
        base=pull.base.ref,
        title=pull.title,
        body=pull.body or "",
        labels=tuple(label.name for label in pull.labels),
    )


def _describe(exc: GithubException) -> str:
    """``HTTP 422: Validation Failed (tag_name already_exists)``: status, message, details."""
    data = exc.data if isinstance(exc.data, dict) else {}
    text = f"HTTP {exc.status}"
    message = data.get("message") or exc.message
    if message:
        text += f": {_first_line(str(message))}"
    details = []
    for error in data.get("errors") or []:
        if isinstance(error, dict):
            detail = error.get("message") or " ".join(
                str(error[key]) for key in ("field", "code") if error.get(key)
            )
            details.append(_first_line(str(detail)))
        else:
            details.append(_first_line(str(error)))
    if details:
        text += f" ({'; '.join(details)})"
    return text


def _already_exists(exc: GithubException, field: str) -> bool:
    if exc.status != 422 or not isinstance(exc.data, dict):
        return False
    return any(
        isinstance(error, dict)
        and error.get("code") == "already_exists"
        and error.get("field") == field
        for error in exc.data.get("errors") or []
    )


def _network_reason(exc: requests.RequestException) -> str:
    """``[Errno 111] Connection refused`` out of requests' and urllib3's nested wrappers."""
    cause: object = exc.args[0] if exc.args else exc
    if isinstance(cause, MaxRetryError) and cause.reason is not None:
        cause = cause.reason
    return _first_line(str(cause)).rsplit(": ", 1)[-1] or type(exc).__name__


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
