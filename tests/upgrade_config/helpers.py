"""Shared test data and a direct way to run one sync without the CLI."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from release_actions.runner import Runner
from release_actions.upgrade_config.feeds import ProbeResult
from release_actions.upgrade_config.pipeline import (
    Syncer,
    SyncResult,
    load_segments,
    read_release,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "upgrade-config"
EXAMPLE_SEGMENTS = EXAMPLES / "config" / "app-upgrade-segments.json"
EXAMPLE_CONFIG = EXAMPLES / "app-upgrade-config.json"

NOW = datetime(2026, 5, 2, 9, 30, 0, 123456, tzinfo=UTC)
NOW_TEXT = "2026-05-02T09:30:00.123Z"
GH = "https://github.com/CherryHQ/cherry-studio/releases/download"
GC = "https://gitcode.com/CherryHQ/cherry-studio/releases/download"


def example_segments() -> dict[str, Any]:
    return json.loads(EXAMPLE_SEGMENTS.read_text(encoding="utf-8"))


def example_config() -> dict[str, Any]:
    return json.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))


def dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def all_ready(url: str) -> ProbeResult:
    return ProbeResult(True, "HTTP 200")


class RecordingProber:
    """Answers 404 for URLs containing any of ``missing``; remembers every URL asked."""

    def __init__(self, *missing: str) -> None:
        self.missing = missing
        self.asked: list[str] = []

    def __call__(self, url: str) -> ProbeResult:
        self.asked.append(url)
        if any(part in url for part in self.missing):
            return ProbeResult(False, "HTTP 404")
        return ProbeResult(True, "HTTP 200")


def run_sync(
    config: Any,
    tag: str,
    *,
    segments: Any = None,
    is_prerelease: bool | None = None,
    prober: Callable[[str], ProbeResult] | None = all_ready,
    default_template: str | None = None,
    now: datetime = NOW,
    stream: io.StringIO | None = None,
) -> SyncResult:
    """One sync of ``config`` (a document, a text, or None for a missing file)."""
    runner = Runner({}, stream if stream is not None else io.StringIO())
    release, reason = read_release(tag, is_prerelease)
    text = config if isinstance(config, str) or config is None else dump(config)
    if reason is not None:
        return SyncResult(
            "skipped", reason, "app-upgrade-config.json", text or "", text or "", release
        )
    segments_data = example_segments() if segments is None else segments
    segments_text = segments_data if isinstance(segments_data, str) else dump(segments_data)
    model, doc = load_segments(
        segments_text, "config/app-upgrade-segments.json", runner, default_template=default_template
    )
    syncer = Syncer(
        release=release,
        segments=model,
        segments_doc=doc,
        prober=prober,
        clock=lambda: now,
        runner=runner,
    )
    return syncer.sync(text, "app-upgrade-config.json")


def synced(config: Any, tag: str, **kwargs: Any) -> dict[str, Any]:
    result = run_sync(config, tag, **kwargs)
    return json.loads(result.new_text)  # type: ignore[no-any-return]
