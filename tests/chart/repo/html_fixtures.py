"""Small indexes for the page tests: an ordinary repository, and a chart written by an attacker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release_actions.chart.loader import dump_go

# Where the shared material lives: beside the main checkout (../shared), which is also above a
# worktree of it (../../shared), so look up from the repository.
_REPOSITORY = Path(__file__).resolve().parents[3]
INDEXES = next(
    (
        candidate / "shared" / "data" / "indexes"
        for candidate in _REPOSITORY.parents
        if (candidate / "shared" / "data" / "indexes").is_dir()
    ),
    _REPOSITORY.parent / "shared" / "data" / "indexes",
)
REAL_INDEXES = sorted(INDEXES.glob("*.yaml")) if INDEXES.is_dir() else []

DIGEST = "0123456789abcdef" * 4
HOSTILE_SCRIPT = "<script>document.title='pwned'</script>"
HOSTILE_DESCRIPTION = f"Harmless {HOSTILE_SCRIPT} <img src=x onerror=alert(1)> javascript:alert(1)"
HOSTILE_KEYWORDS = ['"><script>alert(2)</script>', "<b>bold</b>"]
HOSTILE_MAINTAINER = "<i>mallory</i>"
HOSTILE_URLS = [
    "javascript:alert(3)",
    " JavaScript:alert(4)",
    "java\tscript:alert(5)",
    "data:text/html,<script>alert(6)</script>",
    "vbscript:msgbox(7)",
    "//evil.example/x",
    "\\\\evil.example\\x",
    'https://example.com/"><script>alert(8)</script>',
]


def version(
    name: str, number: str, *, created: str = "2026-08-01T10:00:00.123456789Z", **fields: Any
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "apiVersion": "v2",
        "appVersion": "1.0",
        "created": created,
        "description": f"The {name} chart",
        "digest": DIGEST,
        "name": name,
        "urls": [
            f"https://github.com/telepace/helm-charts/releases/download/{name}-{number}/"
            f"{name}-{number}.tgz"
        ],
        "version": number,
    }
    entry.update(fields)
    return entry


def telepace_index() -> dict[str, Any]:
    """Three ordinary charts (one deprecated, one with a prerelease newer than its latest
    release, one hosted beside the index with a ``.prov``) and one hostile chart."""
    return {
        "apiVersion": "v1",
        "entries": {
            "web": [
                version("web", "0.3.0-rc.1", appVersion="2.1.0-rc.1"),
                version(
                    "web",
                    "0.2.0",
                    appVersion="2.0.0",
                    created="2026-07-15T09:00:00Z",
                    description="Telepace web front end",
                    keywords=["frontend", "nginx"],
                    home="https://telepace.example/web",
                    sources=["https://github.com/telepace/web"],
                    icon="https://telepace.example/icons/web.svg",
                    maintainers=[
                        {"name": "Ada", "url": "https://github.com/ada"},
                        {"name": "Grace", "email": "grace@telepace.example"},
                    ],
                ),
                version("web", "0.10.0-alpha", created="2026-06-01T09:00:00Z"),
                version("web", "0.1.0", created="2026-05-01T09:00:00Z"),
            ],
            "analysis": [
                version(
                    "analysis",
                    "1.4.2",
                    appVersion="3.3",
                    deprecated=True,
                    description="Batch analysis workers (replaced by collection)",
                ),
            ],
            "collection": [
                version(
                    "collection",
                    "0.1.0",
                    urls=["collection-0.1.0.tgz"],
                    description="Collects feedback events",
                    keywords=["feedback", "events"],
                ),
            ],
            "evil": [
                version(
                    "evil",
                    "6.6.6",
                    appVersion="<svg onload=alert(9)>",
                    description=HOSTILE_DESCRIPTION,
                    keywords=HOSTILE_KEYWORDS,
                    home=HOSTILE_URLS[0],
                    sources=HOSTILE_URLS,
                    icon="javascript:alert(10)",
                    maintainers=[
                        {"name": HOSTILE_MAINTAINER, "url": "javascript:alert(11)"},
                        {"name": "data", "url": "data:text/html,hi"},
                    ],
                    urls=[*HOSTILE_URLS, "evil-6.6.6.tgz"],
                    digest='"><script>alert(12)</script>',
                ),
                version("evil", "6.6.5", icon="data:image/svg+xml,<svg/onload=alert(13)>"),
            ],
        },
        "generated": "2026-08-02T00:00:00Z",
    }


def write_index(directory: Path, index: dict[str, Any]) -> Path:
    path = directory / "index.yaml"
    path.write_text(dump_go(index), encoding="utf-8")
    return path
