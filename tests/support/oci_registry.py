"""A real OCI registry for tests: Debian's ``docker-registry`` (CNCF distribution) on 127.0.0.1.

Three fixtures, each a fresh registry process with its own temporary storage:

- ``oci_registry``: open, anyone may push and pull;
- ``oci_registry_basic``: htpasswd Basic auth (``htpasswd -B``, the one scheme distribution reads);
- ``oci_registry_token``: distribution's ``auth: token`` behind a small loopback token endpoint,
  so a client meets the ``401 WWW-Authenticate: Bearer realm=…,service=…,scope=…`` challenge,
  fetches a JWT with Basic credentials from the realm, and retries with it — ghcr.io's dance.

The JWT is signed with a throwaway self-signed RSA certificate which the registry trusts as its
``rootcertbundle``; the token carries that certificate in ``x5c``. ``cryptography`` and PyJWT
come with PyGithub.

CI never skips these: ``.ci/run`` installs ``docker-registry`` and ``apache2-utils``.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

REGISTRY_BINARY = "/usr/bin/docker-registry"
USERNAME = "pusher"
PASSWORD = "s3cret-Pa55"
TOKEN_SERVICE = "release-actions-test-registry"
TOKEN_ISSUER = "release-actions-test-issuer"


@dataclass
class RegistryServer:
    """A running registry: ``host`` is ``127.0.0.1:PORT``; ``token_requests`` counts the tokens
    the token endpoint handed out (Bearer variant only)."""

    host: str
    username: str | None = None
    password: str | None = None
    auth: str = "none"  # "none", "basic" or "token"
    storage: Path = field(default_factory=Path)
    token_requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def oci(self, path: str = "charts") -> str:
        return f"oci://{self.host}/{path}"

    def client(self) -> httpx.Client:
        """A plain httpx client that answers as an admin would (for reading what was pushed)."""
        return httpx.Client(base_url=self.url, timeout=10)

    def manifest(self, repository: str, reference: str) -> httpx.Response:
        """GET the manifest at ``reference`` as a logged-in reader."""
        headers = {"Accept": "application/vnd.oci.image.manifest.v1+json"}
        with self.client() as client:
            scope = f"repository:{repository}:pull"
            headers.update(self._auth_headers(client, scope))
            return client.get(f"/v2/{repository}/manifests/{reference}", headers=headers)

    def _auth_headers(self, client: httpx.Client, scope: str) -> dict[str, str]:
        if self.auth == "none":
            return {}
        assert self.username is not None and self.password is not None
        basic = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if self.auth == "basic":
            return {"Authorization": f"Basic {basic}"}
        challenge = client.get("/v2/").headers["WWW-Authenticate"]
        realm = challenge.split('realm="', 1)[1].split('"', 1)[0]
        token = httpx.get(
            realm,
            params={"service": TOKEN_SERVICE, "scope": scope},
            headers={"Authorization": f"Basic {basic}"},
        ).json()["token"]
        return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _registry_config(root: Path, port: int, auth: str) -> str:
    return (
        "version: 0.1\n"
        "log:\n  level: error\n  accesslog:\n    disabled: true\n"
        "storage:\n"
        f"  filesystem:\n    rootdirectory: {root / 'storage'}\n"
        "  delete:\n    enabled: true\n"
        "  maintenance:\n    uploadpurging:\n      enabled: false\n"
        "http:\n"
        f"  addr: 127.0.0.1:{port}\n"
        f"  secret: {uuid.uuid4().hex}\n"
        "  draintimeout: 1s\n"
        f"{auth}"
    )


def _start(root: Path, auth_config: str, port: int) -> subprocess.Popen[bytes]:
    if not Path(REGISTRY_BINARY).is_file():
        pytest.fail(
            f"{REGISTRY_BINARY} is missing: apt-get install -y docker-registry (.ci/run does it)"
        )
    config = root / "config.yml"
    config.write_text(_registry_config(root, port, auth_config), encoding="utf-8")
    log = (root / "registry.log").open("wb")
    process = subprocess.Popen(
        [REGISTRY_BINARY, "serve", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    log.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (root / "registry.log").read_text(errors="replace")
            pytest.fail(f"docker-registry exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v2/", timeout=1).status_code in (200, 401):
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    process.kill()
    process.wait()
    pytest.fail("docker-registry did not answer on /v2/ within 20 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _htpasswd(path: Path, username: str, password: str) -> None:
    htpasswd = shutil.which("htpasswd")
    if htpasswd is None:
        pytest.fail("htpasswd is missing: apt-get install -y apache2-utils (.ci/run does it)")
    # -i reads the password from stdin: never on a command line.
    subprocess.run(
        [htpasswd, "-B", "-c", "-i", str(path), username],
        input=password.encode(),
        check=True,
        capture_output=True,
    )


@pytest.fixture
def oci_registry(tmp_path: Path) -> Iterator[RegistryServer]:
    """An open registry on 127.0.0.1: anyone may push."""
    root = tmp_path / "registry"
    root.mkdir()
    port = free_port()
    process = _start(root, "", port)
    try:
        yield RegistryServer(host=f"127.0.0.1:{port}", storage=root / "storage")
    finally:
        _stop(process)


@pytest.fixture
def oci_registry_basic(tmp_path: Path) -> Iterator[RegistryServer]:
    """A registry that wants htpasswd Basic credentials (USERNAME / PASSWORD) for everything."""
    root = tmp_path / "registry"
    root.mkdir()
    _htpasswd(root / "htpasswd", USERNAME, PASSWORD)
    auth = f"auth:\n  htpasswd:\n    realm: basic-realm\n    path: {root / 'htpasswd'}\n"
    port = free_port()
    process = _start(root, auth, port)
    try:
        yield RegistryServer(
            host=f"127.0.0.1:{port}",
            username=USERNAME,
            password=PASSWORD,
            auth="basic",
            storage=root / "storage",
        )
    finally:
        _stop(process)


# -- the Bearer variant: a token endpoint the registry trusts -----------------------------------


@dataclass(frozen=True)
class _SigningCertificate:
    key: rsa.RSAPrivateKey
    der: bytes
    pem: bytes


def _signing_certificate() -> _SigningCertificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "release-actions test tokens")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return _SigningCertificate(
        key=key,
        der=certificate.public_bytes(serialization.Encoding.DER),
        pem=certificate.public_bytes(serialization.Encoding.PEM),
    )


def _token_handler(
    certificate: _SigningCertificate, issued: list[str]
) -> type[http.server.BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()

    class TokenHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path != "/token":
                self._answer(404, {"errors": [{"code": "NOT_FOUND"}]})
                return
            if self.headers.get("Authorization") != expected:
                self._answer(401, {"errors": [{"code": "UNAUTHORIZED"}]})
                return
            access = []
            for scope in query.get("scope", []):
                kind, _, rest = scope.partition(":")
                name, _, actions = rest.rpartition(":")
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            claims = {
                "iss": TOKEN_ISSUER,
                "sub": USERNAME,
                "aud": query.get("service", [""])[0],
                "iat": now,
                "nbf": now - 60,
                "exp": now + 600,
                "jti": uuid.uuid4().hex,
                "access": access,
            }
            token = jwt.encode(
                claims,
                certificate.key,
                algorithm="RS256",
                headers={"x5c": [base64.b64encode(certificate.der).decode()]},
            )
            issued.extend(query.get("scope", []) or ["(no scope)"])
            self._answer(200, {"token": token, "access_token": token, "expires_in": 600})

        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return TokenHandler


@pytest.fixture
def oci_registry_token(tmp_path: Path) -> Iterator[RegistryServer]:
    """A registry that answers 401 with a Bearer challenge naming a loopback token endpoint,
    which hands out JWTs for USERNAME / PASSWORD sent as Basic."""
    root = tmp_path / "registry"
    root.mkdir()
    certificate = _signing_certificate()
    (root / "token-ca.pem").write_bytes(certificate.pem)
    issued: list[str] = []
    token_server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), _token_handler(certificate, issued)
    )
    token_port = token_server.server_address[1]
    thread = threading.Thread(target=token_server.serve_forever, daemon=True)
    thread.start()
    auth = (
        "auth:\n  token:\n"
        f"    realm: http://127.0.0.1:{token_port}/token\n"
        f"    service: {TOKEN_SERVICE}\n"
        f"    issuer: {TOKEN_ISSUER}\n"
        f"    rootcertbundle: {root / 'token-ca.pem'}\n"
    )
    port = free_port()
    try:
        process = _start(root, auth, port)
        try:
            yield RegistryServer(
                host=f"127.0.0.1:{port}",
                username=USERNAME,
                password=PASSWORD,
                auth="token",
                storage=root / "storage",
                token_requests=issued,
            )
        finally:
            _stop(process)
    finally:
        token_server.shutdown()
        token_server.server_close()
