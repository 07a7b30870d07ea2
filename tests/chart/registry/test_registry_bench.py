"""The registry bench itself: each variant is a real registry that wants what it says."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx

from support.oci_registry import RegistryServer

BLOB = b"bench"
DIGEST = "sha256:" + hashlib.sha256(BLOB).hexdigest()


def _push_blob(registry: RegistryServer, headers: dict[str, str]) -> httpx.Response:
    with registry.client() as client:
        started = client.post("/v2/bench/blobs/uploads/", headers=headers)
        if started.status_code != 202:
            return started
        location = started.headers["Location"]
        separator = "&" if "?" in location else "?"
        return client.put(
            f"{location}{separator}digest={DIGEST}",
            content=BLOB,
            headers={**headers, "Content-Type": "application/octet-stream"},
        )


def test_open_registry_takes_a_blob(oci_registry: RegistryServer) -> None:
    assert _push_blob(oci_registry, {}).status_code == 201


def test_basic_registry_wants_the_password(oci_registry_basic: RegistryServer) -> None:
    refused = _push_blob(oci_registry_basic, {})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = base64.b64encode(b"pusher:wrong").decode()
    assert _push_blob(oci_registry_basic, {"Authorization": f"Basic {wrong}"}).status_code == 401
    right = base64.b64encode(b"pusher:s3cret-Pa55").decode()
    assert _push_blob(oci_registry_basic, {"Authorization": f"Basic {right}"}).status_code == 201


def test_token_registry_challenges_with_bearer(oci_registry_token: RegistryServer) -> None:
    refused = _push_blob(oci_registry_token, {})
    assert refused.status_code == 401
    challenge = refused.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer realm=")
    # The registry lists the actions in no fixed order (a Go map): compare them as a set.
    scope = re.search(r'scope="repository:bench:([^"]*)"', challenge)
    assert scope is not None and set(scope.group(1).split(",")) == {"pull", "push"}
    with oci_registry_token.client() as client:
        headers = oci_registry_token._auth_headers(client, "repository:bench:pull,push")
    assert _push_blob(oci_registry_token, headers).status_code == 201
    assert oci_registry_token.token_requests == ["repository:bench:pull,push"]
