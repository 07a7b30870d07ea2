"""A fake GitHub REST API on 127.0.0.1 that PyGithub talks to unchanged, over real sockets.

It answers as GitHub's OpenAPI description (``openapi_github.json`` next to this file, checked by
tests/test_fake_github_contract.py) and docs say, never more kindly:

- ``x-ratelimit-*`` headers on every API answer; the primary limit (``x-ratelimit-remaining: 0``
  until the reset) and secondary limits on demand, on a :class:`FakeClock` that the adapter from
  :func:`github_for` sleeps on, so waits are real values but take no time;
- uploads on a separate host, ``uploads.127.0.0.1:<port>``, as ``upload_url`` says, so PyGithub's
  cross-host path runs. That name resolves nowhere: while a fake runs, ``HTTP_PROXY`` points at
  it (loopback stays direct through ``NO_PROXY``) and it serves requests for the uploads host;
- 422 "Latest release cannot be draft or prerelease" for ``make_latest=true`` on one;
- an upload broken off by a 502 leaves its asset in state ``starter``, which holds the name
  until it is deleted;
- drafts are listed only for a token with push access (``push_token``, the default; a
  ``read_token`` sees published releases only and cannot write).

- the Git Data API (blobs, trees, commits, refs) over a real bare repository given as ``origin``
  (the tests' git origin), through git plumbing (``hash-object -w``, ``mktree``,
  ``update-ref`` with the old value), so a git client and an API client see one truth. A commit
  made through the API is signed by "GitHub" (a ``gpgsig`` header) and answers
  ``verification.verified: true``; a ref update that is not a fast forward gets GitHub's 422;
  :meth:`FakeGitHub.protect` refuses writes to a branch through both the API and ``git push``
  (a pre-receive hook in the origin, GH006 like GitHub's).

It keeps state (releases with assets, pull requests with labels and files), logs every request,
and can be told to fail the next N matching requests. Every URL it hands out points back at
itself. With ``prefix="/api/v3"`` it looks like GitHub Enterprise Server, where uploads stay on
the API host under ``/api/uploads``.

Routes live in :meth:`FakeGitHub._route_table`, one line per operation with GitHub's
operationId, handlers grouped by resource below it. A new operation adds its line there, its
handlers in a section of its own, its (method, path) to ``openapi_trim.py``'s ``OPERATIONS``
and the fields we read to its ``READ``, then re-runs that script; the contract test fails until
the description has the operation and its scenario drives it.

Writes need ``Authorization: token <token>`` (401 otherwise), so token plumbing is really tested.
A request no route knows is answered 404 and remembered in ``unhandled``: the fixture fails the
test on it, so a gap in the fake is never mistaken for a "not found" in the product.
``github_for(fake)`` is our production adapter pointed at it, sleeping on the fake's clock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from release_actions.github import GitHub

SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
PRIMARY_RATE_LIMIT = "API rate limit exceeded for user ID 1."
LATEST_CANNOT_BE_PRERELEASE = "Latest release cannot be draft or prerelease"
NOT_ACCESSIBLE = "Resource not accessible by integration"
NOT_FAST_FORWARD = "Update is not a fast forward"
PULL_REQUIRED = "Changes must be made through a pull request."
# GitHub's web-flow identity, which commits and signs what the API commits.
WEB_FLOW = ("GitHub", "noreply@github.com")
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
_DOCS = "https://docs.github.com/rest"
_RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
_PRIMARY_LIMIT = 5000  # per hour for an installation token; 60 without one
_ANONYMOUS_LIMIT = 60
_WINDOW = 3600
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class Recorded(NamedTuple):
    method: str
    path: str  # without the query string
    status: int
    operation: str | None = None  # GitHub's operationId of the route that answered
    body: Any = None  # the JSON answer
    headers: Mapping[str, str] = {}  # shared default, never mutated


class FakeClock:
    """Time for the fake and the adapter under test: sleeping advances it and is recorded."""

    def __init__(self, start: float | None = None) -> None:
        self._now = float(int(time.time() if start is None else start))
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += seconds


@dataclass
class _Budget:
    """One token's primary rate limit window."""

    limit: int
    reset: float
    used: int = 0


@dataclass
class FakeAsset:
    id: int
    name: str
    content_type: str
    data: bytes
    label: str = ""
    state: str = "uploaded"  # "starter" after an upload that broke off

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.data).hexdigest()


@dataclass
class FakeRelease:
    id: int
    tag_name: str
    name: str | None = None
    body: str | None = None
    draft: bool = False
    prerelease: bool = False
    make_latest: bool = True
    target_commitish: str = "main"
    assets: list[FakeAsset] = field(default_factory=list)


@dataclass
class FakePull:
    number: int
    head: str  # branch name, in the fake's own repository
    base: str
    title: str
    body: str | None = None
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    author: str = "octocat"
    draft: bool = False
    assignees: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    team_reviewers: list[str] = field(default_factory=list)
    milestone: int | None = None


@dataclass
class _Fault:
    method: str
    path: re.Pattern[str]
    status: int
    remaining: int
    body: Any
    headers: dict[str, str]
    after_handling: bool


@dataclass
class _Call:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    params: dict[str, str]  # the route's named groups, percent-decoded
    access: Access = "push"

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            raise _Problem(400, "Problems parsing JSON") from None


@dataclass
class _Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of JSON

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return b"" if self.body is None else json.dumps(self.body).encode()


class _Problem(Exception):
    """An error answer in GitHub's shape: ``{"message": ..., "errors": [...]}``."""

    def __init__(self, status: int, message: str, errors: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.reply = _Reply(status, {"message": message, "documentation_url": _DOCS})
        if errors:
            self.reply.body["errors"] = errors


def _latest_cannot_be_prerelease() -> _Problem:
    return _Problem(
        422,
        "Validation Failed",
        [
            {
                "resource": "Release",
                "code": "custom",
                "field": "make_latest",
                "message": LATEST_CANNOT_BE_PRERELEASE,
            }
        ],
    )


def _validation_failed(resource: str, code: str, field_name: str) -> _Problem:
    return _Problem(
        422, "Validation Failed", [{"resource": resource, "code": code, "field": field_name}]
    )


Handler = Callable[[_Call], _Reply]
Site = Literal["api", "uploads", "web"]  # web: github.com pages and storage, not the REST API
Access = Literal["read", "push"]


class _Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    operation: str | None  # GitHub's operationId, for the OpenAPI contract test
    site: Site


class FakeGitHub:
    """The fake server. Use as a context manager, or the ``fake_github`` fixture."""

    def __init__(
        self,
        *,
        repository: str = "octo/charts",
        token: str = "test-token",
        read_token: str = "read-token",
        prefix: str = "",
        clock: FakeClock | None = None,
        origin: Path | None = None,
    ) -> None:
        self.repository = repository
        self.owner = repository.split("/")[0]
        self.token = token  # push access: the workflow's GITHUB_TOKEN with contents: write
        self.read_token = read_token  # read access only
        self.prefix = prefix.rstrip("/")
        self.clock = clock or FakeClock()
        self.origin_repository = origin  # the bare repository behind the Git Data API
        self.protected: dict[str, str] = {}  # branch -> the rule's message
        self.milestones: dict[int, str] = {}
        self.api_commits: set[str] = set()  # made (and signed) through the API
        # Called with the ref name inside an update, between reading and moving it: a test moves
        # the branch there to interleave another writer exactly at that point.
        self.before_ref_update: Callable[[str], None] | None = None
        self.releases: list[FakeRelease] = []
        self.pulls: list[FakePull] = []
        self.requests: list[Recorded] = []
        self.unhandled: list[tuple[str, str]] = []
        self.crashes: list[str] = []
        self._faults: list[_Fault] = []
        self._budgets: dict[str | None, _Budget] = {}
        self._primary_limit_status = 403
        self._interrupted_uploads = 0
        self._latest_id: int | None = None
        self._next_id = 1000
        self._lock = threading.RLock()
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.fake = self
        self._thread: threading.Thread | None = None
        port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{port}"
        # GitHub Enterprise Server keeps uploads on its API host; github.com has uploads.github.com.
        self.uploads_origin = self.origin if self.prefix else f"http://uploads.127.0.0.1:{port}"
        self._routes = self._route_table()

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        # A short poll interval: stopping waits for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        _proxy.register(self)
        return self

    def stop(self) -> None:
        _proxy.unregister(self)
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def server_url(self) -> str:
        return self.origin

    @property
    def api_url(self) -> str:
        return self.origin + self.prefix

    @property
    def _repo_api(self) -> str:
        return f"{self.api_url}/repos/{self.repository}"

    @property
    def _web(self) -> str:
        return f"{self.server_url}/{self.repository}"

    @property
    def _uploads(self) -> str:
        return self.uploads_origin + ("/api/uploads" if self.prefix else "")

    def assert_healthy(self) -> None:
        """Fail if a request hit a route the fake lacks, or a handler crashed."""
        assert not self.crashes, "the fake GitHub crashed:\n" + "\n".join(self.crashes)
        assert not self.unhandled, f"requests the fake GitHub does not serve: {self.unhandled}"

    # --- test helpers ------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        path_regex: str,
        status: int,
        count: int = 1,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        after_handling: bool = False,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status``.

        ``path_regex`` is searched in the path (without query). 403 and 429 default to GitHub's
        secondary-rate-limit message. With ``after_handling`` the request is served first and only
        its answer is lost, as when a proxy times out after GitHub created the object.
        """
        if body is None:
            message = SECONDARY_RATE_LIMIT if status in (403, 429) else "Server Error"
            body = {"message": message, "documentation_url": _DOCS}
        with self._lock:
            self._faults.append(
                _Fault(
                    method.upper(),
                    re.compile(path_regex),
                    status,
                    count,
                    body,
                    dict(headers or {}),
                    after_handling,
                )
            )

    def secondary_rate_limit(
        self,
        method: str,
        path_regex: str,
        count: int = 1,
        *,
        status: int = 403,
        retry_after: int | None = None,
    ) -> None:
        """The next ``count`` matching requests hit a secondary rate limit, as GitHub answers it:
        403 or 429, ``x-ratelimit-remaining`` not 0, ``Retry-After`` when GitHub names a wait."""
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        body = {"message": SECONDARY_RATE_LIMIT, "documentation_url": _RATE_LIMIT_DOCS}
        self.inject(method, path_regex, status, count, body=body, headers=headers)

    def exhaust_rate_limit(
        self, reset_in: float, *, status: int = 403, token: str | None = None
    ) -> None:
        """Use up the primary rate limit of ``token`` (default: the push token) until
        ``reset_in`` seconds from now on the fake's clock; GitHub answers 403 or 429 then."""
        with self._lock:
            key = self.token if token is None else token
            budget = self._budget(key)
            budget.used = budget.limit
            budget.reset = self.clock.now() + reset_in
            self._primary_limit_status = status

    def interrupt_uploads(self, count: int = 1) -> None:
        """The next ``count`` uploads break off with a 502 after GitHub created the asset: it
        stays in state ``starter``, holding its name until deleted (GitHub's docs)."""
        with self._lock:
            self._interrupted_uploads += count

    def add_release(
        self,
        tag: str,
        *,
        name: str | None = None,
        body: str = "",
        draft: bool = False,
        prerelease: bool = False,
        make_latest: bool = True,
        assets: Mapping[str, bytes] | None = None,
    ) -> FakeRelease:
        with self._lock:
            release = FakeRelease(
                self._new_id(), tag, name if name is not None else tag, body, draft, prerelease
            )
            for asset_name, data in (assets or {}).items():
                release.assets.append(
                    FakeAsset(self._new_id(), asset_name, "application/octet-stream", data)
                )
            self._publish(release, make_latest)
            return release

    def add_pull(
        self,
        head: str,
        *,
        base: str = "main",
        title: str = "A change",
        body: str = "",
        labels: Iterable[str] = (),
        files: Iterable[str] = (),
        author: str = "octocat",
        state: str = "open",
    ) -> FakePull:
        with self._lock:
            pull = FakePull(
                len(self.pulls) + 1,
                head,
                base,
                title,
                body,
                state,
                list(labels),
                list(files),
                author,
            )
            self.pulls.append(pull)
            return pull

    def set_labels(self, number: int, labels: Iterable[str]) -> None:
        """Replace a pull request's labels, as a maintainer clicking in the UI would."""
        with self._lock:
            self.pull(number).labels = list(labels)

    def attach_origin(self, origin: Path) -> None:
        """Serve the Git Data API (and pull request heads) from this bare repository."""
        with self._lock:
            self.origin_repository = origin

    def protect(self, branch: str, rule: str = PULL_REQUIRED) -> None:
        """Branch protection: writes to ``branch`` through the API get 422 with the rule's
        message, and ``git push`` to it is declined by a pre-receive hook, as GitHub's GH006."""
        with self._lock:
            self.protected[branch] = rule
            hook = self._origin() / "hooks" / "pre-receive"
            hook.parent.mkdir(exist_ok=True)
            cases = "\n".join(
                f"  refs/heads/{name}) echo 'error: GH006: Protected branch update failed for "
                f"refs/heads/{name}.' >&2; echo 'error: {message}' >&2; exit 1 ;;"
                for name, message in self.protected.items()
            )
            hook.write_text(
                f'#!/bin/sh\nwhile read old new ref; do\n case "$ref" in\n{cases}\n'
                " esac\ndone\nexit 0\n",
                encoding="utf-8",
            )
            hook.chmod(0o755)

    def add_milestone(self, number: int, title: str) -> None:
        with self._lock:
            self.milestones[number] = title

    def commit_verified(self, sha: str) -> bool:
        with self._lock:
            return sha in self.api_commits

    def release(self, tag: str) -> FakeRelease | None:
        with self._lock:
            return next((r for r in self.releases if r.tag_name == tag), None)

    def pull(self, number: int) -> FakePull:
        with self._lock:
            return self.pulls[number - 1]

    def latest_release(self) -> FakeRelease | None:
        """What ``GET /releases/latest`` answers: the one marked latest, else the newest
        published full release (one created with ``make_latest=false`` only if nothing else)."""
        with self._lock:
            eligible = [r for r in self.releases if not (r.draft or r.prerelease)]
            marked = [r for r in eligible if r.id == self._latest_id]
            preferred = [r for r in eligible if r.make_latest]
            for candidates in (marked, preferred, eligible):
                if candidates:
                    return max(candidates, key=lambda r: r.id)
            return None

    def requests_to(self, method: str, path_regex: str) -> list[Recorded]:
        pattern = re.compile(path_regex)
        with self._lock:
            return [r for r in self.requests if r.method == method and pattern.search(r.path)]

    # --- dispatch ----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        split = urlsplit(target)
        path = split.path
        host = split.hostname or headers.get("host", "").rsplit(":", 1)[0]
        site: Site = "uploads" if host.startswith("uploads.") else "api"
        with self._lock:
            route, params = self._route(method, path, site)
            limited = route is not None and route.site != "web"
            fault = self._take_fault(method, path)
            if fault is not None and not fault.after_handling:
                reply = _Reply(fault.status, fault.body, dict(fault.headers))
            else:
                reply = self._serve(method, path, route, params, split.query, headers, body)
                if fault is not None:
                    reply = _Reply(fault.status, fault.body, dict(fault.headers))
            if limited:
                reply = self._count(headers, reply)
            operation = route.operation if route is not None else None
            self.requests.append(
                Recorded(method, path, reply.status, operation, reply.body, dict(reply.headers))
            )
            return reply

    def _route(self, method: str, path: str, site: Site) -> tuple[_Route | None, dict[str, str]]:
        for route in self._routes:
            match = route.pattern.fullmatch(path)
            if match and route.method == method and route.site in (site, "web"):
                return route, {k: unquote(v) for k, v in match.groupdict().items()}
        return None, {}

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in (method, "*") and fault.path.search(path):
                fault.remaining -= 1
                return fault
        return None

    def _budget(self, token: str | None) -> _Budget:
        budget = self._budgets.get(token)
        now = self.clock.now()
        if budget is None or now >= budget.reset:
            limit = _PRIMARY_LIMIT if token else _ANONYMOUS_LIMIT
            budget = self._budgets[token] = _Budget(limit, now + _WINDOW)
        return budget

    def _count(self, headers: Mapping[str, str], reply: _Reply) -> _Reply:
        """Charge the request to its token's primary limit, as GitHub does, errors included;
        answer the primary-limit error instead when the limit is used up."""
        authorization = headers.get("authorization", "")
        token = authorization.partition(" ")[2] or None
        budget = self._budget(token)
        if budget.used >= budget.limit:
            body = {"message": PRIMARY_RATE_LIMIT, "documentation_url": _RATE_LIMIT_DOCS}
            reply = _Reply(self._primary_limit_status, body)
        else:
            budget.used += 1
        reply.headers.update(
            {
                "x-ratelimit-limit": str(budget.limit),
                "x-ratelimit-remaining": str(budget.limit - budget.used),
                "x-ratelimit-reset": str(int(budget.reset)),
                "x-ratelimit-used": str(budget.used),
                "x-ratelimit-resource": "core",
            }
        )
        return reply

    def _serve(
        self,
        method: str,
        path: str,
        route: _Route | None,
        params: dict[str, str],
        query: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> _Reply:
        try:
            access = self._authenticate(method, headers)
            if route is None:
                self.unhandled.append((method, path))
                raise _Problem(404, "Not Found")
            if "owner" in params and f"{params['owner']}/{params['repo']}" != self.repository:
                raise _Problem(404, "Not Found")
            call = _Call(method, path, dict(parse_qsl(query)), headers, body, params, access)
            return route.handler(call)
        except _Problem as problem:
            return problem.reply
        except Exception:
            self.crashes.append(traceback.format_exc())
            return _Reply(500, {"message": "the fake GitHub crashed"})

    def _authenticate(self, method: str, headers: Mapping[str, str]) -> Access:
        """Who is asking: anonymous and read-only callers read; writes need push access."""
        authorization = headers.get("authorization")
        if authorization is None:
            if method not in ("GET", "HEAD"):
                raise _Problem(401, "Requires authentication")
            return "read"
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() not in ("token", "bearer") or credential not in (
            self.token,
            self.read_token,
        ):
            raise _Problem(401, "Bad credentials")
        access: Access = "push" if credential == self.token else "read"
        if access == "read" and method not in ("GET", "HEAD"):
            raise _Problem(403, NOT_ACCESSIBLE)
        return access

    def _route_table(self) -> list[_Route]:
        """One line per operation: method, path, handler, and GitHub's operationId."""
        api = re.escape(self.prefix)
        owner_repo = r"/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
        repo = api + "/repos" + owner_repo
        uploads: Site = "api" if self.prefix else "uploads"
        upload = re.escape("/api/uploads" if self.prefix else "") + "/repos" + owner_repo
        download = owner_repo + r"/releases/download/(?P<tag>[^/]+)/(?P<name>[^/]+)"
        table: list[tuple[str, str, Handler, str, Site]] = [
            ("GET", repo, self._get_repository, "repos/get", "api"),
            ("GET", repo + r"/releases", self._list_releases, "repos/list-releases", "api"),
            ("POST", repo + r"/releases", self._create_release, "repos/create-release", "api"),
            (
                "GET",
                repo + r"/releases/latest",
                self._get_latest_release,
                "repos/get-latest-release",
                "api",
            ),
            (
                "GET",
                repo + r"/releases/tags/(?P<tag>[^/]+)",
                self._get_release_by_tag,
                "repos/get-release-by-tag",
                "api",
            ),
            ("GET", repo + r"/releases/(?P<id>\d+)", self._get_release, "repos/get-release", "api"),
            (
                "PATCH",
                repo + r"/releases/(?P<id>\d+)",
                self._update_release,
                "repos/update-release",
                "api",
            ),
            (
                "GET",
                repo + r"/releases/(?P<id>\d+)/assets",
                self._list_assets,
                "repos/list-release-assets",
                "api",
            ),
            (
                "GET",
                repo + r"/releases/assets/(?P<id>\d+)",
                self._get_asset,
                "repos/get-release-asset",
                "api",
            ),
            (
                "DELETE",
                repo + r"/releases/assets/(?P<id>\d+)",
                self._delete_asset,
                "repos/delete-release-asset",
                "api",
            ),
            (
                "POST",
                upload + r"/releases/(?P<id>\d+)/assets",
                self._upload_asset,
                "repos/upload-release-asset",
                uploads,
            ),
            ("GET", api + r"/_storage/assets/(?P<id>\d+)", self._asset_bytes, "", "web"),
            ("GET", download, self._browser_download, "", "web"),
            ("GET", repo + r"/pulls", self._list_pulls, "pulls/list", "api"),
            ("POST", repo + r"/pulls", self._create_pull, "pulls/create", "api"),
            ("GET", repo + r"/pulls/(?P<number>\d+)", self._get_pull, "pulls/get", "api"),
            ("PATCH", repo + r"/pulls/(?P<number>\d+)", self._update_pull, "pulls/update", "api"),
            (
                "GET",
                repo + r"/pulls/(?P<number>\d+)/files",
                self._list_pull_files,
                "pulls/list-files",
                "api",
            ),
            (
                "GET",
                repo + r"/issues/(?P<number>\d+)/labels",
                self._list_labels,
                "issues/list-labels-on-issue",
                "api",
            ),
            (
                "POST",
                repo + r"/issues/(?P<number>\d+)/labels",
                self._add_labels,
                "issues/add-labels",
                "api",
            ),
            (
                "POST",
                repo + r"/pulls/(?P<number>\d+)/requested_reviewers",
                self._request_reviewers,
                "pulls/request-reviewers",
                "api",
            ),
            (
                "PATCH",
                repo + r"/issues/(?P<number>\d+)",
                self._update_issue,
                "issues/update",
                "api",
            ),
            (
                "POST",
                repo + r"/issues/(?P<number>\d+)/assignees",
                self._add_assignees,
                "issues/add-assignees",
                "api",
            ),
            ("POST", repo + r"/git/blobs", self._create_blob, "git/create-blob", "api"),
            ("POST", repo + r"/git/trees", self._create_tree, "git/create-tree", "api"),
            ("POST", repo + r"/git/commits", self._create_commit, "git/create-commit", "api"),
            (
                "GET",
                repo + r"/git/commits/(?P<sha>[0-9a-f]{40})",
                self._get_commit,
                "git/get-commit",
                "api",
            ),
            ("GET", repo + r"/git/ref/(?P<ref>.+)", self._get_ref, "git/get-ref", "api"),
            ("POST", repo + r"/git/refs", self._create_ref, "git/create-ref", "api"),
            ("PATCH", repo + r"/git/refs/(?P<ref>.+)", self._update_ref, "git/update-ref", "api"),
            ("DELETE", repo + r"/git/refs/(?P<ref>.+)", self._delete_ref, "git/delete-ref", "api"),
        ]
        return [
            _Route(method, re.compile(pattern), handler, operation or None, site)
            for method, pattern, handler, operation, site in table
        ]

    # --- releases ----------------------------------------------------------------------------

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _publish(self, release: FakeRelease, make_latest: bool) -> None:
        release.make_latest = make_latest
        self.releases.append(release)
        if make_latest and not (release.draft or release.prerelease):
            self._latest_id = release.id

    def _find_release(self, call: _Call) -> FakeRelease:
        wanted = int(call.params["id"])
        for release in self.releases:
            if release.id == wanted and (call.access == "push" or not release.draft):
                return release
        raise _Problem(404, "Not Found")

    def _get_repository(self, call: _Call) -> _Reply:
        return _Reply(200, self._repository_json())

    def _list_releases(self, call: _Call) -> _Reply:
        # "Information about published releases are available to everyone. Only users with
        # push access will receive listings for draft releases."
        visible = [r for r in self.releases if call.access == "push" or not r.draft]
        newest_first = sorted(visible, key=lambda r: r.id, reverse=True)
        return self._page(call, [self._release_json(r) for r in newest_first])

    def _create_release(self, call: _Call) -> _Reply:
        data = _object(call.json())
        tag = data.get("tag_name")
        if not isinstance(tag, str) or not tag:
            raise _validation_failed("Release", "missing_field", "tag_name")
        if self.release(tag) is not None:
            raise _validation_failed("Release", "already_exists", "tag_name")
        make_latest = str(data.get("make_latest", "true"))
        if make_latest not in ("true", "false", "legacy"):
            raise _validation_failed("Release", "invalid", "make_latest")
        body = data.get("body")
        if data.get("generate_release_notes"):
            generated = f"## What's Changed\n\n**Full Changelog**: generated for {tag}"
            body = f"{body}\n\n{generated}" if body else generated
        release = FakeRelease(
            self._new_id(),
            tag,
            data.get("name"),
            body,
            bool(data.get("draft", False)),
            bool(data.get("prerelease", False)),
            target_commitish=data.get("target_commitish") or "main",
        )
        # Only an explicit "true" is refused: omitted, it defaults to true, and a prerelease
        # is still created (just not latest).
        if data.get("make_latest") == "true" and (release.draft or release.prerelease):
            raise _latest_cannot_be_prerelease()
        self._publish(release, make_latest != "false")
        return _Reply(201, self._release_json(release))

    def _get_latest_release(self, call: _Call) -> _Reply:
        release = self.latest_release()
        if release is None:
            raise _Problem(404, "Not Found")
        return _Reply(200, self._release_json(release))

    def _get_release_by_tag(self, call: _Call) -> _Reply:
        # Like GitHub: drafts are invisible here, even when a draft shares the published tag.
        with self._lock:
            release = next(
                (r for r in self.releases if r.tag_name == call.params["tag"] and not r.draft),
                None,
            )
        if release is None:
            raise _Problem(404, "Not Found")
        return _Reply(200, self._release_json(release))

    def _get_release(self, call: _Call) -> _Reply:
        return _Reply(200, self._release_json(self._find_release(call)))

    def _update_release(self, call: _Call) -> _Reply:
        release = self._find_release(call)
        data = _object(call.json())
        draft = bool(data.get("draft", release.draft))
        prerelease = bool(data.get("prerelease", release.prerelease))
        if data.get("make_latest") == "true" and (draft or prerelease):
            raise _latest_cannot_be_prerelease()
        for key in ("tag_name", "name", "body", "target_commitish"):
            if key in data:
                setattr(release, key, data[key])
        for key in ("draft", "prerelease"):
            if key in data:
                setattr(release, key, bool(data[key]))
        if data.get("make_latest") == "true" and not (release.draft or release.prerelease):
            release.make_latest = True
            self._latest_id = release.id
        elif data.get("make_latest") == "false":
            release.make_latest = False
            if self._latest_id == release.id:
                self._latest_id = None
        return _Reply(200, self._release_json(release))

    # --- assets ------------------------------------------------------------------------------

    def _find_asset(self, call: _Call) -> tuple[FakeRelease, FakeAsset]:
        wanted = int(call.params["id"])
        for release in self.releases:
            for asset in release.assets:
                if asset.id == wanted:
                    return release, asset
        raise _Problem(404, "Not Found")

    def _list_assets(self, call: _Call) -> _Reply:
        release = self._find_release(call)
        return self._page(call, [self._asset_json(release, a) for a in release.assets])

    def _get_asset(self, call: _Call) -> _Reply:
        release, asset = self._find_asset(call)
        if "application/octet-stream" in call.headers.get("accept", ""):
            # GitHub redirects binary downloads to its storage host.
            location = f"{self.api_url}/_storage/assets/{asset.id}"
            return _Reply(302, headers={"Location": location})
        return _Reply(200, self._asset_json(release, asset))

    def _asset_bytes(self, call: _Call) -> _Reply:
        _, asset = self._find_asset(call)
        return _Reply(200, raw=asset.data, headers={"Content-Type": "application/octet-stream"})

    def _browser_download(self, call: _Call) -> _Reply:
        release = self.release(call.params["tag"])
        for asset in release.assets if release else []:
            if asset.name == call.params["name"] and asset.state == "uploaded":
                return _Reply(
                    200, raw=asset.data, headers={"Content-Type": "application/octet-stream"}
                )
        raise _Problem(404, "Not Found")

    def _upload_asset(self, call: _Call) -> _Reply:
        release = self._find_release(call)
        name = call.query.get("name", "")
        if not name:
            raise _validation_failed("ReleaseAsset", "missing_field", "name")
        if any(asset.name == name for asset in release.assets):
            raise _validation_failed("ReleaseAsset", "already_exists", "name")
        content_type = call.headers.get("content-type", "application/octet-stream")
        asset = FakeAsset(
            self._new_id(), name, content_type, call.body, call.query.get("label", "")
        )
        release.assets.append(asset)
        if self._interrupted_uploads > 0:
            self._interrupted_uploads -= 1
            asset.state, asset.data = "starter", call.body[: len(call.body) // 2]
            return _Reply(502, {"message": "Server Error"})
        return _Reply(201, self._asset_json(release, asset))

    def _delete_asset(self, call: _Call) -> _Reply:
        release, asset = self._find_asset(call)
        release.assets.remove(asset)
        return _Reply(204)

    # --- pull requests and labels ------------------------------------------------------------

    def _find_pull(self, call: _Call) -> FakePull:
        number = int(call.params["number"])
        if not 1 <= number <= len(self.pulls):
            raise _Problem(404, "Not Found")
        return self.pulls[number - 1]

    def _list_pulls(self, call: _Call) -> _Reply:
        state = call.query.get("state", "open")
        head = call.query.get("head", "")
        base = call.query.get("base", "")
        pulls = [p for p in reversed(self.pulls) if state in ("all", p.state)]
        if base:
            pulls = [p for p in pulls if p.base == base]
        if ":" in head:  # GitHub ignores a head filter without the "owner:" part.
            owner, _, branch = head.partition(":")
            pulls = [p for p in pulls if owner == self.owner and p.head == branch]
        return self._page(call, [self._pull_json(p) for p in pulls])

    def _create_pull(self, call: _Call) -> _Reply:
        data = _object(call.json())
        for key in ("head", "base", "title"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise _validation_failed("PullRequest", "missing_field", key)
        owner, _, branch = data["head"].rpartition(":")
        if owner not in ("", self.owner):
            raise _validation_failed("PullRequest", "invalid", "head")
        for pull in self.pulls:
            if pull.state == "open" and (pull.head, pull.base) == (branch, data["base"]):
                message = f"A pull request already exists for {self.owner}:{branch}."
                raise _Problem(
                    422,
                    "Validation Failed",
                    [{"resource": "PullRequest", "code": "custom", "message": message}],
                )
        if self.origin_repository is not None:
            for name in (branch, data["base"]):
                if self._branch_sha(f"refs/heads/{name}") is None:
                    field_name = "head" if name == branch else "base"
                    raise _validation_failed("PullRequest", "invalid", field_name)
        pull = FakePull(len(self.pulls) + 1, branch, data["base"], data["title"], data.get("body"))
        pull.draft = bool(data.get("draft", False))
        self.pulls.append(pull)
        return _Reply(201, self._pull_json(pull))

    def _get_pull(self, call: _Call) -> _Reply:
        return _Reply(200, self._pull_json(self._find_pull(call)))

    def _update_pull(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        data = _object(call.json())
        for key in ("title", "body", "state", "base"):
            if key in data:
                setattr(pull, key, data[key])
        return _Reply(200, self._pull_json(pull))

    def _list_pull_files(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        return self._page(call, [self._file_json(name) for name in pull.files[:3000]])

    def _list_labels(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        return self._page(call, [self._label_json(name) for name in pull.labels])

    def _add_labels(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        data = call.json()
        names = data.get("labels") if isinstance(data, dict) else data
        if not isinstance(names, list):
            raise _validation_failed("Label", "invalid", "labels")
        for name in names:
            name = name["name"] if isinstance(name, dict) else str(name)
            if name.lower() not in (existing.lower() for existing in pull.labels):
                pull.labels.append(name)
        return _Reply(200, [self._label_json(name) for name in pull.labels])

    def _request_reviewers(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        data = _object(call.json())
        reviewers, teams = data.get("reviewers") or [], data.get("team_reviewers") or []
        if not isinstance(reviewers, list) or not isinstance(teams, list):
            raise _validation_failed("PullRequest", "invalid", "reviewers")
        if pull.author in reviewers:
            raise _Problem(422, "Review cannot be requested from pull request author.")
        pull.reviewers += [name for name in reviewers if name not in pull.reviewers]
        pull.team_reviewers += [name for name in teams if name not in pull.team_reviewers]
        return _Reply(201, self._pull_json(pull))

    def _update_issue(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        data = _object(call.json())
        if "milestone" in data:
            milestone = data["milestone"]
            if milestone is not None and milestone not in self.milestones:
                raise _validation_failed("Issue", "invalid", "milestone")
            pull.milestone = milestone
        if "assignees" in data:
            pull.assignees = list(data["assignees"] or [])
        if "state" in data:
            pull.state = data["state"]
        return _Reply(200, self._issue_json(pull))

    def _add_assignees(self, call: _Call) -> _Reply:
        pull = self._find_pull(call)
        names = _object(call.json()).get("assignees") or []
        # GitHub silently leaves out names that cannot be assigned; the fake assigns all.
        pull.assignees += [name for name in names if name not in pull.assignees]
        return _Reply(201, self._issue_json(pull))

    # --- the Git Data API, over the bare origin ----------------------------------------------

    def _origin(self) -> Path:
        if self.origin_repository is None:
            raise AssertionError("the fake GitHub has no origin: pass origin= or attach_origin()")
        return self.origin_repository

    def _git(self, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
        completed = subprocess.run(
            ["git", *args],
            cwd=self._origin(),
            input=stdin,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"},
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"git {args} in the fake's origin: {completed.stderr!r}")
        return (
            completed.stdout.decode("utf-8", "surrogateescape") if completed.returncode == 0 else ""
        )

    def _object_type(self, sha: Any) -> str | None:
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{40}", sha):
            return None
        return self._git("cat-file", "-t", sha, check=False).strip() or None

    def _create_blob(self, call: _Call) -> _Reply:
        data = _object(call.json())
        content, encoding = data.get("content"), data.get("encoding", "utf-8")
        if not isinstance(content, str):
            raise _validation_failed("Blob", "missing_field", "content")
        if encoding == "base64":
            try:
                raw = base64.b64decode(content, validate=True)
            except ValueError:
                raise _Problem(422, "content is not valid Base64") from None
        elif encoding in ("utf-8", "utf8"):
            raw = content.encode("utf-8")
        else:
            raise _Problem(422, f"encoding must be utf-8 or base64, got {encoding}")
        sha = self._git("hash-object", "-w", "--stdin", stdin=raw).strip()
        return _Reply(201, {"url": f"{self._repo_api}/git/blobs/{sha}", "sha": sha})

    def _flat_tree(self, tree: str) -> dict[str, tuple[str, str, str]]:
        """path -> (mode, type, sha) of every blob (and submodule) under ``tree``."""
        listing = self._git("ls-tree", "-r", "-z", "--full-tree", tree)
        flat = {}
        for line in filter(None, listing.split("\0")):
            info, _, path = line.partition("\t")
            mode, kind, sha = info.split()
            flat[path] = (mode, kind, sha)
        return flat

    def _write_tree(self, flat: dict[str, tuple[str, str, str]]) -> str:
        children: dict[str, dict[str, tuple[str, str, str]]] = {}
        lines = []
        for path, entry in flat.items():
            head, slash, rest = path.partition("/")
            if slash:
                children.setdefault(head, {})[rest] = entry
            else:
                lines.append(f"{entry[0]} {entry[1]} {entry[2]}\t{head}")
        for name, below in children.items():
            lines.append(f"040000 tree {self._write_tree(below)}\t{name}")
        listing = "".join(line + "\0" for line in lines).encode()
        return self._git("mktree", "-z", stdin=listing).strip()

    def _create_tree(self, call: _Call) -> _Reply:
        data = _object(call.json())
        entries, base = data.get("tree"), data.get("base_tree")
        if not isinstance(entries, list):
            raise _validation_failed("Tree", "missing_field", "tree")
        flat: dict[str, tuple[str, str, str]] = {}
        if base is not None:
            if self._object_type(base) != "tree":
                raise _Problem(
                    422,
                    "Invalid tree info",
                    [{"resource": "Tree", "code": "invalid", "field": "base_tree"}],
                )
            flat = self._flat_tree(base)
        for entry in entries:
            entry = _object(entry)
            path, mode, kind = entry.get("path"), entry.get("mode"), entry.get("type", "blob")
            if not isinstance(path, str) or mode not in (
                "100644",
                "100755",
                "040000",
                "160000",
                "120000",
            ):
                raise _Problem(
                    422,
                    "Invalid tree info",
                    [{"resource": "Tree", "code": "invalid", "field": "tree"}],
                )
            if "content" in entry:
                sha = self._git(
                    "hash-object", "-w", "--stdin", stdin=str(entry["content"]).encode()
                ).strip()
            else:
                sha = entry.get("sha")
            if sha is None:  # deletes the path (a whole directory too)
                flat = {p: e for p, e in flat.items() if p != path and not p.startswith(path + "/")}
                continue
            if self._object_type(sha) != kind:
                raise _Problem(422, f"tree.sha {sha} is not a valid {kind}")
            if kind == "tree":
                flat = {p: e for p, e in flat.items() if not p.startswith(path + "/")}
                flat.update({f"{path}/{p}": e for p, e in self._flat_tree(sha).items()})
            else:
                flat[path] = (mode, kind, sha)
        sha = self._write_tree(flat)
        return _Reply(201, self._tree_json(sha))

    def _create_commit(self, call: _Call) -> _Reply:
        data = _object(call.json())
        message, tree, parents = data.get("message"), data.get("tree"), data.get("parents", [])
        if not isinstance(message, str):
            raise _validation_failed("Commit", "missing_field", "message")
        if self._object_type(tree) != "tree":
            raise _Problem(422, "Tree SHA does not exist")
        if not isinstance(parents, list) or any(self._object_type(p) != "commit" for p in parents):
            raise _Problem(422, "Parent SHA does not exist or is not a commit object")
        stamp = f"{int(self.clock.now())} +0000"
        author = _person(data.get("author"), BOT)
        committer = _person(data.get("committer"), None)
        # GitHub signs what it commits itself: a commit without a committer of the caller's own.
        signed = committer is None
        committer = committer or WEB_FLOW
        header = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        header += [f"author {author[0]} <{author[1]}> {stamp}"]
        header += [f"committer {committer[0]} <{committer[1]}> {stamp}"]
        if signed:
            header += [
                "gpgsig -----BEGIN PGP SIGNATURE-----",
                " ",
                " c2lnbmVkIGJ5IHRoZSBmYWtl",
                " -----END PGP SIGNATURE-----",
            ]
        text = "\n".join(header) + "\n\n" + message
        sha = self._git("hash-object", "-t", "commit", "-w", "--stdin", stdin=text.encode()).strip()
        if signed:
            self.api_commits.add(sha)
        return _Reply(201, self._commit_json(sha))

    def _get_commit(self, call: _Call) -> _Reply:
        if self._object_type(call.params["sha"]) != "commit":
            raise _Problem(404, "Not Found")
        return _Reply(200, self._commit_json(call.params["sha"]))

    def _branch_sha(self, ref: str) -> str | None:
        return self._git("rev-parse", "--verify", "--quiet", ref, check=False).strip() or None

    def _refuse_protected(self, ref: str) -> None:
        rule = self.protected.get(ref.removeprefix("refs/heads/"))
        if ref.startswith("refs/heads/") and rule is not None:
            raise _Problem(422, rule)

    def _get_ref(self, call: _Call) -> _Reply:
        ref = "refs/" + call.params["ref"]
        if self._branch_sha(ref) is None:
            raise _Problem(404, "Not Found")
        return _Reply(200, self._ref_json(ref))

    def _create_ref(self, call: _Call) -> _Reply:
        data = _object(call.json())
        ref, sha = data.get("ref"), data.get("sha")
        if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
            raise _Problem(422, "Reference name is invalid")
        if self._object_type(sha) is None:
            raise _Problem(422, "Object does not exist")
        self._refuse_protected(ref)
        if self._branch_sha(ref) is not None:
            raise _Problem(422, "Reference already exists")
        # The zero old value: create only if absent, atomically against a concurrent git push.
        self._git("update-ref", ref, str(sha), "0" * 40)
        return _Reply(201, self._ref_json(ref))

    def _update_ref(self, call: _Call) -> _Reply:
        ref = "refs/" + call.params["ref"]
        data = _object(call.json())
        sha, force = data.get("sha"), data.get("force", False)
        if self._object_type(sha) != "commit":
            raise _Problem(422, "Object does not exist")
        old = self._branch_sha(ref)
        if old is None:
            raise _Problem(422, "Reference does not exist")
        if self.before_ref_update is not None:
            self.before_ref_update(ref)
            old = self._branch_sha(ref) or old
        self._refuse_protected(ref)
        ancestor = ["git", "merge-base", "--is-ancestor", old, str(sha)]
        fast_forward = subprocess.run(ancestor, cwd=self._origin(), check=False).returncode == 0
        if not force and not fast_forward:
            raise _Problem(422, NOT_FAST_FORWARD)
        self._git("update-ref", ref, str(sha), old)
        return _Reply(200, self._ref_json(ref))

    def _delete_ref(self, call: _Call) -> _Reply:
        ref = "refs/" + call.params["ref"]
        old = self._branch_sha(ref)
        if old is None:
            raise _Problem(422, "Reference does not exist")
        self._refuse_protected(ref)
        self._git("update-ref", "-d", ref, old)
        branch = ref.removeprefix("refs/heads/")
        for pull in self.pulls:  # GitHub closes the pull requests of a deleted head branch
            if pull.state == "open" and pull.head == branch:
                pull.state = "closed"
        return _Reply(204)

    # --- JSON shapes (the fields PyGithub and our adapter read, plus GitHub's usual ones) ------

    def _page(self, call: _Call, items: list[Any]) -> _Reply:
        per_page = max(1, min(100, int(call.query.get("per_page", "30"))))
        page = max(1, int(call.query.get("page", "1")))
        last = max(1, -(-len(items) // per_page))
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("first", 1), ("last", last)):
            if 1 <= number <= last and number != page:
                query = urlencode({**call.query, "per_page": per_page, "page": number})
                links.append(f'<{self.origin}{call.path}?{query}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)} if links else {}
        return _Reply(200, items[(page - 1) * per_page : page * per_page], headers)

    def _user_json(self, login: str) -> dict[str, Any]:
        return {
            "login": login,
            "id": sum(login.encode()),
            "type": "Bot" if login.endswith("[bot]") else "User",
            "url": f"{self.api_url}/users/{quote(login)}",
            "html_url": f"{self.server_url}/{quote(login)}",
        }

    def _repository_json(self) -> dict[str, Any]:
        return {
            "id": 1,
            "name": self.repository.split("/")[1],
            "full_name": self.repository,
            "owner": self._user_json(self.owner),
            "private": False,
            "default_branch": "main",
            "url": self._repo_api,
            "html_url": self._web,
        }

    def _release_json(self, release: FakeRelease) -> dict[str, Any]:
        url = f"{self._repo_api}/releases/{release.id}"
        created = (_EPOCH + timedelta(seconds=release.id)).isoformat().replace("+00:00", "Z")
        return {
            "id": release.id,
            "node_id": f"RE_{release.id}",
            "tag_name": release.tag_name,
            "target_commitish": release.target_commitish,
            "name": release.name,
            "body": release.body,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "created_at": created,
            "published_at": None if release.draft else created,
            "author": self._user_json("github-actions[bot]"),
            "url": url,
            "html_url": f"{self._web}/releases/tag/{quote(release.tag_name)}",
            "assets_url": f"{url}/assets",
            "upload_url": f"{self._uploads}/repos/{self.repository}/releases/{release.id}/assets"
            "{?name,label}",
            "tarball_url": f"{self._repo_api}/tarball/{quote(release.tag_name)}",
            "zipball_url": f"{self._repo_api}/zipball/{quote(release.tag_name)}",
            "assets": [self._asset_json(release, asset) for asset in release.assets],
        }

    def _asset_json(self, release: FakeRelease, asset: FakeAsset) -> dict[str, Any]:
        return {
            "id": asset.id,
            "node_id": f"RA_{asset.id}",
            "name": asset.name,
            "label": asset.label,
            "state": asset.state,
            "content_type": asset.content_type,
            "size": len(asset.data),
            "digest": asset.digest,
            "download_count": 0,
            "created_at": _EPOCH.isoformat().replace("+00:00", "Z"),
            "updated_at": _EPOCH.isoformat().replace("+00:00", "Z"),
            "uploader": self._user_json("github-actions[bot]"),
            "url": f"{self._repo_api}/releases/assets/{asset.id}",
            "browser_download_url": f"{self._web}/releases/download/"
            f"{quote(release.tag_name)}/{quote(asset.name)}",
        }

    def _pull_json(self, pull: FakePull) -> dict[str, Any]:
        url = f"{self._repo_api}/pulls/{pull.number}"
        repo = self._repository_json()
        head_sha = base_sha = None
        if self.origin_repository is not None:
            head_sha = self._branch_sha(f"refs/heads/{pull.head}")
            base_sha = self._branch_sha(f"refs/heads/{pull.base}")
        return {
            "id": 5000 + pull.number,
            "node_id": f"PR_{pull.number}",
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "body": pull.body,
            "draft": pull.draft,
            "assignees": [self._user_json(name) for name in pull.assignees],
            "requested_reviewers": [self._user_json(name) for name in pull.reviewers],
            "milestone": self._milestone_json(pull.milestone),
            "merged": False,
            "user": self._user_json(pull.author),
            "labels": [self._label_json(name) for name in pull.labels],
            "head": {
                "label": f"{self.owner}:{pull.head}",
                "ref": pull.head,
                "sha": head_sha or "0" * 40,
                "repo": repo,
                "user": self._user_json(self.owner),
            },
            "base": {
                "label": f"{self.owner}:{pull.base}",
                "ref": pull.base,
                "sha": base_sha or "1" * 40,
                "repo": repo,
                "user": self._user_json(self.owner),
            },
            "url": url,
            "html_url": f"{self._web}/pull/{pull.number}",
            "issue_url": f"{self._repo_api}/issues/{pull.number}",
            "diff_url": f"{self._web}/pull/{pull.number}.diff",
            "patch_url": f"{self._web}/pull/{pull.number}.patch",
        }

    def _tree_json(self, sha: str) -> dict[str, Any]:
        entries = []
        for line in filter(None, self._git("ls-tree", "-z", "--long", sha).split("\0")):
            info, _, path = line.partition("\t")
            mode, kind, entry_sha, size = info.split()
            entry = {"path": path, "mode": mode, "type": kind, "sha": entry_sha}
            if kind == "blob":
                entry["size"] = int(size)
            entry["url"] = f"{self._repo_api}/git/{kind}s/{entry_sha}"
            entries.append(entry)
        return {
            "sha": sha,
            "url": f"{self._repo_api}/git/trees/{sha}",
            "truncated": False,
            "tree": entries,
        }

    def _commit_json(self, sha: str) -> dict[str, Any]:
        text = self._git("cat-file", "commit", sha)
        header, _, message = text.partition("\n\n")
        fields: dict[str, list[str]] = {}
        for line in header.splitlines():
            if not line.startswith(" "):
                key, _, value = line.partition(" ")
                fields.setdefault(key, []).append(value)
        verified = sha in self.api_commits
        return {
            "sha": sha,
            "node_id": f"C_{sha[:12]}",
            "url": f"{self._repo_api}/git/commits/{sha}",
            "html_url": f"{self._web}/commit/{sha}",
            "author": _signature_json(fields["author"][0]),
            "committer": _signature_json(fields["committer"][0]),
            "message": message,
            "tree": {
                "sha": fields["tree"][0],
                "url": f"{self._repo_api}/git/trees/{fields['tree'][0]}",
            },
            "parents": [
                {
                    "sha": p,
                    "url": f"{self._repo_api}/git/commits/{p}",
                    "html_url": f"{self._web}/commit/{p}",
                }
                for p in fields.get("parent", [])
            ],
            "verification": {
                "verified": verified,
                "reason": "valid" if verified else "unsigned",
                "signature": "-----BEGIN PGP SIGNATURE-----" if verified else None,
                "payload": text.split("gpgsig")[0] if verified else None,
                "verified_at": _EPOCH.isoformat().replace("+00:00", "Z") if verified else None,
            },
        }

    def _ref_json(self, ref: str) -> dict[str, Any]:
        sha = self._branch_sha(ref) or ""
        return {
            "ref": ref,
            "node_id": f"REF_{ref}",
            "url": f"{self._repo_api}/git/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{self._repo_api}/git/commits/{sha}"},
        }

    def _issue_json(self, pull: FakePull) -> dict[str, Any]:
        return {
            "id": 5000 + pull.number,
            "number": pull.number,
            "url": f"{self._repo_api}/issues/{pull.number}",
            "html_url": f"{self._web}/pull/{pull.number}",
            "state": pull.state,
            "title": pull.title,
            "user": self._user_json(pull.author),
            "assignees": [self._user_json(name) for name in pull.assignees],
            "milestone": self._milestone_json(pull.milestone),
        }

    def _milestone_json(self, number: int | None) -> dict[str, Any] | None:
        if number is None:
            return None
        return {
            "id": 7000 + number,
            "number": number,
            "title": self.milestones[number],
            "state": "open",
            "url": f"{self._repo_api}/milestones/{number}",
        }

    def _label_json(self, name: str) -> dict[str, Any]:
        return {
            "id": sum(name.encode()),
            "node_id": f"LA_{name}",
            "name": name,
            "color": "ededed",
            "default": False,
            "description": None,
            "url": f"{self._repo_api}/labels/{quote(name)}",
        }

    def _file_json(self, name: str) -> dict[str, Any]:
        return {
            "sha": hashlib.sha1(name.encode()).hexdigest(),  # a fake blob id
            "filename": name,
            "status": "modified",
            "additions": 1,
            "deletions": 0,
            "changes": 1,
            "blob_url": f"{self._web}/blob/main/{quote(name)}",
            "raw_url": f"{self._web}/raw/main/{quote(name)}",
            "contents_url": f"{self._repo_api}/contents/{quote(name)}?ref=main",
            "patch": "@@ -1 +1 @@",
        }


def github_for(fake: FakeGitHub, **options: Any) -> GitHub:
    """Our adapter pointed at ``fake``, with its production waits slept on the fake's clock."""
    options = {"sleep": fake.clock.sleep, "clock": fake.clock.now, **options}
    token = options.pop("token", fake.token)
    return GitHub(token, api_url=fake.api_url, repository=fake.repository, **options)


class _ProxyRoute:
    """Routes requests for ``uploads.127.0.0.1:<port>``, a name no resolver knows, to the fake
    on that port: while any fake runs, ``HTTP_PROXY`` points at one of them, and loopback
    addresses bypass it (``NO_PROXY``), so only the uploads host goes through a proxy.
    Subprocesses (the action runner's steps) inherit the variables."""

    _NAMES = ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")

    def __init__(self) -> None:
        self._live: dict[int, FakeGitHub] = {}
        self._saved: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def register(self, fake: FakeGitHub) -> None:
        with self._lock:
            if not self._live:
                self._saved = {name: os.environ.get(name) for name in self._NAMES}
                # A CIDR for requests (a bare 127.0.0.1 would also match "uploads.127.0.0.1" as
                # a suffix) and a URL for httpx, which reads no CIDRs.
                direct = "127.0.0.0/8,http://127.0.0.1,localhost,::1"
                bypass = ",".join(part for part in (direct, self._saved["NO_PROXY"]) if part)
                os.environ.update(
                    HTTP_PROXY=fake.origin, http_proxy=fake.origin, NO_PROXY=bypass, no_proxy=bypass
                )
            self._live[fake.port] = fake

    def unregister(self, fake: FakeGitHub) -> None:
        with self._lock:
            self._live.pop(fake.port, None)
            if self._live:
                if os.environ.get("HTTP_PROXY") == fake.origin:
                    other = next(iter(self._live.values()))
                    os.environ.update(HTTP_PROXY=other.origin, http_proxy=other.origin)
                return
            for name, value in self._saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def fake_for(self, target: str, default: FakeGitHub) -> FakeGitHub:
        """The fake a request is for: by the port of an absolute (proxied) target."""
        port = urlsplit(target).port if target.startswith("http") else None
        with self._lock:
            return self._live.get(port, default) if port is not None else default


_proxy = _ProxyRoute()


def _person(data: Any, default: tuple[str, str] | None) -> tuple[str, str] | None:
    if not isinstance(data, dict):
        return default
    name, email = data.get("name"), data.get("email")
    if not isinstance(name, str) or not isinstance(email, str):
        raise _validation_failed("Commit", "invalid", "author")
    return name, email


def _signature_json(line: str) -> dict[str, str]:
    """``Name <email> 1700000000 +0000`` as the API spells a commit's author."""
    person, _, stamp = line.rpartition(">")
    name, _, email = person.partition(" <")
    seconds = int(stamp.split()[0])
    date = datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
    return {"name": name, "email": email, "date": date}


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Problem(400, "Problems parsing JSON")
    return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeGitHub


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's requests session expects
    disable_nagle_algorithm = True  # headers and body go out as two writes: don't wait for ACKs
    server: _Server

    def _respond(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        fake = _proxy.fake_for(self.path, self.server.fake)
        reply = fake.handle(self.command, self.path, headers, self._read_body())
        payload = reply.payload()
        self.send_response(reply.status)
        for name, value in {"Content-Type": "application/json", **reply.headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _respond

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is ``FakeGitHub.requests``
