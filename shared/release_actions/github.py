"""The GitHub adapter: PyGithub built from ``GITHUB_API_URL`` and a token, returning plain data.

Retries live in the HTTP layer (:class:`_Retry`): 5xx answers, 429 and GitHub's rate-limit 403s
are retried with exponential backoff, POSTs included. A retried POST is safe because a repeated
create is recognised (``already_exists``, "a pull request already exists") and answered with the
object that exists. Rate limits are waited out (until ``x-ratelimit-reset`` for the primary limit,
``Retry-After`` or a minute for a secondary one), but one request never waits more than
:data:`MAX_WAIT_PER_REQUEST` in all: beyond that it fails and says when to try again. Every
failure leaves as a one-line :class:`GitHubError` without the token.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import requests
from github import Auth, Github, GithubException, GithubRetry, UnknownObjectException
from github.GithubException import RateLimitExceededExceedsMaxWait
from github.GithubObject import NotSet
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from . import USER_AGENT
from .errors import GitHubError

if TYPE_CHECKING:
    from github.GitRelease import GitRelease
    from github.GitReleaseAsset import GitReleaseAsset
    from github.PullRequest import PullRequest as GitHubPull
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

    from .context import Workflow
    from .http import Sleep  # a type only: .http imports httpx, which this client never uses

# The most one request waits in all (rate limits, Retry-After, backoff) before it fails instead
# of stalling the job: a job that waits longer holds a runner for nothing.
MAX_WAIT_PER_REQUEST = 300.0
Clock = Callable[[], float]  # seconds since the epoch, as time.time
_PER_PAGE = 100
_UPLOAD_ATTEMPTS = 3  # each after deleting what the broken-off one left
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
    head_sha: str = ""


PullOperation = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class TreeEntry:
    """One change of a tree made through the API: a blob at ``path``, or its deletion."""

    path: str
    mode: str  # "100644", "100755" or "120000"
    sha: str | None  # None deletes the path


@dataclass(frozen=True)
class ApiCommit:
    sha: str
    verified: bool
    reason: str


# GitHub's answers that name a cause we report in our own words.
NOT_FAST_FORWARD = "Update is not a fast forward"
_REF_EXISTS = "Reference already exists"
_REF_MISSING = "Reference does not exist"
_NOT_ACCESSIBLE = "Resource not accessible by integration"


class GitHub:
    """What the actions need from GitHub, behind one small interface.

    ``backoff`` is urllib3's backoff factor (waits of 0, 2×, 4×… seconds between retries) and
    ``rate_limit_wait`` the pause after a secondary rate limit that names no ``Retry-After``.
    ``sleep`` and ``clock`` are injected by tests, which record the waits instead of waiting.
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
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
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
                max_rate_limit_wait=MAX_WAIT_PER_REQUEST,
                sleep=sleep,
                clock=clock,
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
        with other content is an error, never silently replaced. An upload that broke off
        leaves its asset in state ``starter``, which holds the name until it is deleted (GitHub's
        docs): such an asset is deleted and the upload tried again.
        """
        with self._calling(f"uploading {path.name} to release {release.tag}"):
            target = self._repo.get_release(release.id)
            for _ in range(_UPLOAD_ATTEMPTS):
                try:
                    uploaded = target.upload_asset(
                        str(path), content_type=content_type, name=path.name
                    )
                    return _asset(uploaded)
                except GithubException as exc:
                    if not _already_exists(exc, "name"):
                        raise
                existing = next((a for a in target.get_assets() if a.name == path.name), None)
                if existing is None:
                    raise GitHubError(f"GitHub reports an asset {path.name} that cannot be found")
                if existing.state != "uploaded":
                    existing.delete_asset()
                    continue
                if _asset(existing).digest not in (None, _sha256(path.read_bytes())):
                    raise GitHubError(
                        f"release {release.tag} already has an asset {path.name} "
                        "with different content"
                    ) from None
                return _asset(existing)
            raise GitHubError(
                f"uploading {path.name} to release {release.tag} broke off {_UPLOAD_ATTEMPTS} times"
            )

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
        self, *, head: str, base: str, title: str, body: str, draft: bool = False
    ) -> tuple[PullRequest, PullOperation]:
        """One open pull request from ``head`` into ``base`` with this title and body
        (``draft`` when it is created)."""
        existing = self.find_open_pull(head, base)
        if existing is None:
            with self._calling(
                f"opening a pull request from {head} into {base}", permission="pull-requests"
            ):
                try:
                    created = self._repo.create_pull(
                        base=base, head=head, title=title, body=body, draft=draft
                    )
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
        with self._calling(f"updating pull request #{existing.number}", permission="pull-requests"):
            pull = self._repo.get_pull(existing.number)
            pull.edit(title=title, body=body)
            return _pull(pull), "updated"

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        """Add labels to an issue or pull request, keeping the ones it has."""
        if not labels:
            return
        with self._calling(f"labelling #{number}", permission="pull-requests"):
            self._repo.get_issue(number).add_to_labels(*labels)

    def pull_labels(self, number: int) -> list[str]:
        """The labels as they are now (the event payload may be older)."""
        with self._calling(f"reading the labels of #{number}"):
            return [label.name for label in self._repo.get_issue(number).get_labels()]

    def pull_files(self, number: int) -> list[str]:
        """Paths the pull request changes (GitHub lists at most 3000)."""
        with self._calling(f"listing the files of pull request #{number}"):
            return [file.filename for file in self._repo.get_pull(number).get_files()]

    def close_pull(self, number: int) -> PullRequest:
        with self._calling(f"closing pull request #{number}", permission="pull-requests"):
            pull = self._repo.get_pull(number)
            pull.edit(state="closed")
            return _pull(pull)

    def decorate_pull(
        self,
        number: int,
        *,
        labels: Sequence[str] = (),
        assignees: Sequence[str] = (),
        reviewers: Sequence[str] = (),
        team_reviewers: Sequence[str] = (),
        milestone: int | None = None,
    ) -> None:
        """Labels, assignees, milestone and review requests, as create-pull-request adds them."""
        self.add_labels(number, labels)
        issue = f"/repos/{self.repository}/issues/{number}"
        with self._calling(f"updating pull request #{number}", permission="pull-requests"):
            if milestone is not None:
                self._request("PATCH", issue, {"milestone": milestone})
            if assignees:
                self._request("POST", f"{issue}/assignees", {"assignees": list(assignees)})
            if reviewers or team_reviewers:
                teams = [team.rpartition("/")[2] for team in team_reviewers]  # "org/team" too
                self._request(
                    "POST",
                    f"/repos/{self.repository}/pulls/{number}/requested_reviewers",
                    {"reviewers": list(reviewers), "team_reviewers": teams},
                )

    # the Git Data API: commits GitHub makes (and signs) itself

    def create_blob(self, data: bytes) -> str:
        """A blob of any size (base64), never inline tree content; returns its sha."""
        with self._calling("creating a blob", permission="contents"):
            content = base64.b64encode(data).decode("ascii")
            answer = self._request(
                "POST", self._git_url("blobs"), {"content": content, "encoding": "base64"}
            )
            return str(answer["sha"])

    def create_tree(self, entries: Sequence[TreeEntry], *, base_tree: str | None) -> str:
        body: dict[str, Any] = {
            "tree": [
                {"path": entry.path, "mode": entry.mode, "type": "blob", "sha": entry.sha}
                for entry in entries
            ]
        }
        if base_tree is not None:
            body["base_tree"] = base_tree
        with self._calling("creating a tree", permission="contents"):
            return str(self._request("POST", self._git_url("trees"), body)["sha"])

    def create_commit(self, *, message: str, tree: str, parents: Sequence[str]) -> ApiCommit:
        """A commit by the token's identity, committed and signed by GitHub (Verified)."""
        body = {"message": message, "tree": tree, "parents": list(parents)}
        with self._calling("creating a commit", permission="contents"):
            return _api_commit(self._request("POST", self._git_url("commits"), body))

    def commit(self, sha: str) -> ApiCommit:
        with self._calling(f"reading commit {sha}"):
            return _api_commit(self._request("GET", self._git_url(f"commits/{sha}")))

    def branch_sha(self, branch: str) -> str | None:
        with self._calling(f"reading branch {branch}"):
            try:
                answer = self._request("GET", self._git_url(f"ref/heads/{branch}"))
            except UnknownObjectException:
                return None
            return str(answer["object"]["sha"])

    def move_branch(self, branch: str, sha: str, *, force: bool) -> bool:
        """Point ``branch`` at ``sha``; False when it moved on meanwhile (not a fast forward)."""
        with self._calling(f"moving branch {branch}", permission="contents", branch=branch):
            try:
                self._request(
                    "PATCH", self._git_url(f"refs/heads/{branch}"), {"sha": sha, "force": force}
                )
            except GithubException as exc:
                if exc.status == 422 and NOT_FAST_FORWARD in _describe(exc):
                    return False
                raise
            return True

    def create_branch(self, branch: str, sha: str) -> bool:
        """Create ``branch`` at ``sha``; False when another writer created it first."""
        with self._calling(f"creating branch {branch}", permission="contents", branch=branch):
            try:
                self._request(
                    "POST", self._git_url("refs"), {"ref": f"refs/heads/{branch}", "sha": sha}
                )
            except GithubException as exc:
                if exc.status == 422 and _REF_EXISTS in _describe(exc):
                    return False
                raise
            return True

    def delete_branch(self, branch: str) -> None:
        """Delete ``branch``; one already gone is fine."""
        with self._calling(f"deleting branch {branch}", permission="contents", branch=branch):
            try:
                self._request("DELETE", self._git_url(f"refs/heads/{branch}"))
            except GithubException as exc:
                if exc.status != 422 or _REF_MISSING not in _describe(exc):
                    raise

    def _git_url(self, path: str) -> str:
        return f"/repos/{self.repository}/git/{path}"

    def _request(self, verb: str, url: str, body: Any = None) -> Any:
        # PyGithub's documented way to reach endpoints it has no method for.
        _, data = self._github.requester.requestJsonAndCheck(verb, url, input=body)
        return data

    @contextmanager
    def _calling(
        self, action: str, *, permission: str | None = None, branch: str | None = None
    ) -> Iterator[None]:
        """One-line errors; a 403 names the ``permission`` to grant, and a refusal of a write
        to ``branch`` other than a lost race is reported as its branch protection."""
        try:
            yield
        except _WaitTooLong as exc:
            raise GitHubError(self._scrub(f"{action} failed: {exc}")) from None
        except RateLimitExceededExceedsMaxWait as exc:  # PyGithub's own check, same limit
            too_long = _WaitTooLong(exc.status, exc.wait or 0.0, time.time() + (exc.wait or 0.0))
            raise GitHubError(self._scrub(f"{action} failed: {too_long}")) from None
        except GithubException as exc:
            message = f"{action} failed: {_describe(exc)}"
            if exc.status == 403 and permission and _NOT_ACCESSIBLE in message:
                message += (
                    f"; the token lacks '{permission}: write': add it under the job's"
                    " permissions (or use a token that has it)"
                )
            elif exc.status in (409, 422) and branch and not _known_ref_answer(exc):
                reason = _describe(exc).removeprefix(f"HTTP {exc.status}: ")
                message = f"branch {branch} is protected and refused the change: {reason}"
            raise GitHubError(self._scrub(message)) from None
        except requests.RequestException as exc:
            message = f"{action} failed: cannot talk to {self.api_url}: {_network_reason(exc)}"
            raise GitHubError(self._scrub(message)) from None

    def _scrub(self, message: str) -> str:
        return message.replace(self._token, "***") if self._token else message


class _Retry(GithubRetry):
    """PyGithub's retry (5xx, and 403 rate limits), plus 429, the primary rate limit on the
    injected clock, and a cap on the total wait of one request."""

    def __init__(
        self,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        waited: float = 0.0,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("status_forcelist", [429, *range(500, 600)])
        kwargs.setdefault("allowed_methods", Retry.DEFAULT_ALLOWED_METHODS | {"POST", "PATCH"})
        # After the last retry, hand the error answer to PyGithub so its message reaches the user.
        kwargs.setdefault("raise_on_status", False)
        super().__init__(**kwargs)
        # urllib3 quietly shortens a Retry-After beyond 6 h; ours is the cap, and it fails loudly.
        self.retry_after_max = sys.maxsize
        self.sleep_for = sleep
        self.clock = clock
        self.waited = waited  # by this request so far, carried from retry to retry

    def new(self, **kw: Any) -> _Retry:
        kw.update(sleep=self.sleep_for, clock=self.clock, waited=self.waited)
        return super().new(**kw)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        reset = _primary_limit_reset(response)
        retry: Retry
        if reset is not None:
            # GitHub's primary limit (403 or 429, x-ratelimit-remaining: 0): wait for the reset,
            # plus a second because the reset may fall anywhere in that second.
            retry = Retry.increment(self, method, url, response, error, _pool, _stacktrace)
            wait = max(reset - self.clock(), 0.0) + 1.0
        else:
            retry = super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[arg-type]
            if response is None or response.status != 429 or response.headers.get("Retry-After"):
                return retry
            # A secondary rate limit without Retry-After: GitHub asks for a pause, like a 403.
            wait = self.secondary_rate_wait
        wait = max(wait, retry.get_backoff_time())
        retry.get_backoff_time = lambda: wait  # type: ignore[method-assign]
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        seconds = self.get_retry_after(response) if response is not None else None
        if seconds is None:
            seconds = self.get_backoff_time()
        if self.waited + seconds > MAX_WAIT_PER_REQUEST:
            status = response.status if response is not None else 0
            raise _WaitTooLong(status, seconds, self.clock() + seconds)
        self.waited += seconds
        if seconds > 0:
            self.sleep_for(seconds)


def _primary_limit_reset(response: BaseHTTPResponse | None) -> float | None:
    """When GitHub's primary rate limit resets, if ``response`` says it is exhausted."""
    if response is None or response.status not in (403, 429):
        return None
    reset = response.headers.get("x-ratelimit-reset", "")
    if response.headers.get("x-ratelimit-remaining") != "0" or not reset.isdigit():
        return None
    return float(reset)


class _WaitTooLong(Exception):
    """GitHub asks for a longer wait than one request may take: fail, saying when to retry."""

    def __init__(self, status: int, wait: float, retry_at: float) -> None:
        when = datetime.fromtimestamp(retry_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        super().__init__(
            f"HTTP {status}: GitHub's rate limit asks to wait {_duration(wait)}, "
            f"more than the {_duration(MAX_WAIT_PER_REQUEST)} one request may wait in all; "
            f"retry after {when}"
        )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    parts.append(f"{secs} s" if secs or not (hours or minutes) else "")
    return " ".join(part for part in parts if part)


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
        head_sha=pull.head.sha,
    )


def _api_commit(answer: Any) -> ApiCommit:
    verification = answer.get("verification") or {}
    return ApiCommit(
        sha=str(answer["sha"]),
        verified=bool(verification.get("verified")),
        reason=str(verification.get("reason") or ""),
    )


def _known_ref_answer(exc: GithubException) -> bool:
    """A lost race, or one of the ref API's own validation answers: not a protection rule."""
    text = _describe(exc)
    return any(
        known in text
        for known in (
            NOT_FAST_FORWARD,
            _REF_EXISTS,
            _REF_MISSING,
            "Reference name is invalid",
            "Object does not exist",
        )
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
