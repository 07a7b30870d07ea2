"""A package index on 127.0.0.1 (PEP 503 simple pages) over a directory of wheels.

It stands for a corporate mirror the runner configures with UV_DEFAULT_INDEX, UV_INDEX_URL or
PIP_INDEX_URL, and records every path asked of it. The wheels are the locked ones, downloaded by
.ci/run into .cache/wheelhouse (tests run offline, so they cannot fetch them).
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = REPO_ROOT / ".cache" / "wheelhouse"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class PackageIndex:
    def __init__(self, wheels: Path) -> None:
        self.paths: list[str] = []
        self._files = {path.name: path for path in sorted(wheels.glob("*.whl"))}
        self._projects: dict[str, list[str]] = {}
        for name in self._files:
            self._projects.setdefault(normalize(name.split("-")[0]), []).append(name)
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                index.paths.append(self.path)
                body, content_type = index.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.url = f"{self.origin}/simple/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def answer(self, path: str) -> tuple[bytes | None, str]:
        if path.startswith("/files/") and path[len("/files/") :] in self._files:
            return self._files[path[len("/files/") :]].read_bytes(), "application/octet-stream"
        match = re.fullmatch(r"/simple/([^/]+)/?", path)
        if match is None or normalize(match.group(1)) not in self._projects:
            return None, "text/plain"
        links = []
        for name in self._projects[normalize(match.group(1))]:
            digest = hashlib.sha256(self._files[name].read_bytes()).hexdigest()
            links.append(f'<a href="/files/{html.escape(name)}#sha256={digest}">{name}</a><br>')
        page = "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
        return page.encode(), "text/html"

    def projects_asked(self) -> set[str]:
        return {normalize(path.split("/")[2]) for path in self.paths if path.startswith("/simple/")}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def locked_wheels_index() -> Iterator[PackageIndex]:
    """The locked wheels on a loopback index. CI (.ci/run) downloads them; it never skips."""
    if not any(WHEELHOUSE.glob("uv-*.whl")):
        import os

        message = (
            f"no locked wheels in {WHEELHOUSE}: .ci/run downloads them (see its wheelhouse step)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    index = PackageIndex(WHEELHOUSE)
    yield index
    index.close()
