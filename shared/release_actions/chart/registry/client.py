"""The HTTP side of a registry: the few OCI distribution endpoints a push needs, and auth.

Auth follows the registry's ``401`` challenge, as docker, oras and Helm do: ``Basic`` sends the
credentials; ``Bearer realm=…,service=…,scope=…`` fetches a token from the realm (with the
credentials as Basic, if any) and sends it. ghcr.io takes ``GITHUB_TOKEN`` this way. The
password and tokens stay in memory, out of every message and ``repr``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import ReleaseActionsError
from .manifest import MANIFEST_MEDIA_TYPE, Blob

if TYPE_CHECKING:  # httpx costs ~0.1 s to import: only a push needs it, not a check
    import httpx

_MANIFEST_ACCEPT = ", ".join(
    (
        MANIFEST_MEDIA_TYPE,
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    )
)


class RegistryError(ReleaseActionsError):
    """The registry could not be reached, refused us, or answered something unexpected."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    def basic(self) -> str:
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


@dataclass(frozen=True)
class Challenge:
    """A parsed ``WWW-Authenticate`` header."""

    scheme: str  # lowercased: "basic" or "bearer"
    params: Mapping[str, str]


def parse_challenge(header: str) -> Challenge:
    """``Bearer realm="…",service="…",scope="…"`` → scheme and parameters (quoted values may
    hold commas, as a scope with ``pull,push`` does)."""
    scheme, _, rest = header.strip().partition(" ")
    params: dict[str, str] = {}
    position = 0
    while position < len(rest):
        equals = rest.find("=", position)
        if equals < 0:
            break
        key = rest[position:equals].strip(" ,").lower()
        position = equals + 1
        if rest.startswith('"', position):
            end = rest.find('"', position + 1)
            end = len(rest) if end < 0 else end
            params[key] = rest[position + 1 : end]
            position = end + 1
        else:
            end = rest.find(",", position)
            end = len(rest) if end < 0 else end
            params[key] = rest[position:end].strip()
            position = end
        position += 1 if rest.startswith(",", position) else 0
    return Challenge(scheme=scheme.lower(), params=params)


class RegistryClient:
    """One registry host. ``plain_http`` talks HTTP (a local registry); otherwise HTTPS."""

    def __init__(
        self,
        host: str,
        *,
        credentials: Credentials | None = None,
        plain_http: bool = False,
        http: httpx.Client | None = None,
    ) -> None:
        self.host = host
        self._base = f"{'http' if plain_http else 'https'}://{host}"
        self._credentials = credentials
        if http is None:
            from ...http import make_client

            http = make_client(timeout=60.0)
        self._http = http
        self._authorization: dict[str, str] = {}  # repository → Authorization header

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the endpoints ---------------------------------------------------------------------

    def manifest(self, repository: str, reference: str) -> bytes | None:
        """The manifest bytes at a tag or digest, or ``None`` when there is none."""
        response = self._send(
            "GET",
            repository,
            f"/v2/{repository}/manifests/{reference}",
            headers={"Accept": _MANIFEST_ACCEPT},
        )
        if response.status_code == 404:
            return None
        self._expect(response, (200,), f"read the manifest {repository}:{reference}")
        return response.content

    def has_blob(self, repository: str, digest: str) -> bool:
        response = self._send("HEAD", repository, f"/v2/{repository}/blobs/{digest}")
        if response.status_code == 404:
            return False
        self._expect(response, (200,), f"look up blob {digest} in {repository}")
        return True

    def upload_blob(self, repository: str, blob: Blob) -> None:
        """A monolithic upload: ``POST …/blobs/uploads/`` then ``PUT <location>&digest=…``."""
        started = self._send("POST", repository, f"/v2/{repository}/blobs/uploads/")
        self._expect(started, (202,), f"start uploading to {repository}")
        location = started.headers.get("Location", "")
        if not location:
            raise RegistryError(f"registry {self.host} started an upload without a Location")
        # httpx's params= would replace the query the registry put in the location.
        separator = "&" if "?" in location else "?"
        finished = self._send(
            "PUT",
            repository,
            f"{location}{separator}digest={blob.digest}",
            content=blob.data,
            headers={"Content-Type": "application/octet-stream"},
        )
        self._expect(finished, (201,), f"upload blob {blob.digest} to {repository}")

    def put_manifest(self, repository: str, tag: str, manifest: bytes) -> str:
        """Tag ``manifest``; returns the digest the registry says it stored."""
        response = self._send(
            "PUT",
            repository,
            f"/v2/{repository}/manifests/{tag}",
            content=manifest,
            headers={"Content-Type": MANIFEST_MEDIA_TYPE},
        )
        self._expect(response, (201,), f"tag {repository}:{tag}")
        stored: str = response.headers.get("Docker-Content-Digest", "")
        return stored or "sha256:" + hashlib.sha256(manifest).hexdigest()

    # -- sending and auth ------------------------------------------------------------------

    def _send(self, method: str, repository: str, url: str, **kwargs: Any) -> httpx.Response:
        response = self._request(method, repository, url, **kwargs)
        if response.status_code != 401:
            return response
        challenge = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        self._authorization[repository] = self._authorize(challenge, repository)
        response = self._request(method, repository, url, **kwargs)
        if response.status_code == 401:
            raise self._refused()
        return response

    def _request(
        self,
        method: str,
        repository: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        authorization = self._authorization.get(repository)
        if authorization:
            all_headers["Authorization"] = authorization
        target = url if url.startswith(("http://", "https://")) else self._base + url
        import httpx  # loaded already: the client is an httpx.Client

        try:
            return self._http.request(method, target, headers=all_headers, **kwargs)
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise RegistryError(f"cannot reach registry {self.host}: {reason}") from None

    def _authorize(self, challenge: Challenge, repository: str) -> str:
        if challenge.scheme == "basic":
            if self._credentials is None:
                raise self._refused()
            return self._credentials.basic()
        if challenge.scheme != "bearer" or "realm" not in challenge.params:
            raise RegistryError(
                f"registry {self.host} asks for an authentication we do not speak: "
                f"{challenge.scheme or 'no WWW-Authenticate header'}"
            )
        return "Bearer " + self._token(challenge.params, repository)

    def _token(self, params: Mapping[str, str], repository: str) -> str:
        query = {"scope": f"repository:{repository}:pull,push"}
        if params.get("service"):
            query["service"] = params["service"]
        headers = {} if self._credentials is None else {"Authorization": self._credentials.basic()}
        realm = params["realm"]
        import httpx  # loaded already: the client is an httpx.Client

        try:
            response = self._http.get(realm, params=query, headers=headers)
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise RegistryError(
                f"cannot reach the token service {realm} of registry {self.host}: {reason}"
            ) from None
        if response.status_code in (401, 403):
            raise self._refused()
        if response.status_code != 200:
            raise RegistryError(
                f"the token service {realm} of registry {self.host} answered {response.status_code}"
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        token = (body.get("token") or body.get("access_token")) if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise RegistryError(f"the token service {realm} of registry {self.host} gave no token")
        return token

    def _refused(self) -> RegistryError:
        if self._credentials is None:
            return RegistryError(f"registry {self.host} wants credentials, and none were given")
        return RegistryError(
            f"registry {self.host} refused the credentials of {self._credentials.username!r}"
        )

    def _expect(self, response: httpx.Response, statuses: tuple[int, ...], what: str) -> None:
        if response.status_code in statuses:
            return
        if response.status_code == 403:
            raise RegistryError(
                f"registry {self.host} denied: {what} ({_error_text(response) or 'forbidden'})"
            )
        raise RegistryError(
            f"registry {self.host} could not {what}: {response.status_code} "
            f"{_error_text(response) or response.reason_phrase}"
        )


def _error_text(response: httpx.Response) -> str:
    """The distribution spec's ``{"errors": [{"code", "message"}]}``, as one line."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return ""
    parts = [
        f"{item.get('code', '')}: {item.get('message', '')}".strip(": ")
        for item in errors
        if isinstance(item, dict)
    ]
    return "; ".join(part for part in parts if part)
