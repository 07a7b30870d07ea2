"""One sync, start to end: read and validate both files, plan, probe feeds, apply, render.

The CLI and the action both run this; the prober and the clock are injected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import ChecksFailed
from ..runner import Runner
from .document import JsonDocument, load_json
from .feeds import Prober, ResolvedFeeds, plan_feeds, resolve_feeds
from .model import Outcome, ReleaseTag, SegmentsFile
from .render import format_timestamp, render_config, unified_diff
from .segments import build_segments_file
from .sync import Plan, Skip, apply_update, plan_update
from .tags import parse_release_tag, skip_reason
from .validate import Finding, check_config, check_segments

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SyncResult:
    outcome: Outcome
    reason: str
    path: str
    old_text: str
    new_text: str
    release: ReleaseTag | None = None
    segment: str | None = None
    entry_key: str | None = None
    fallback_used: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return self.outcome == "updated"

    @property
    def diff(self) -> str:
        return unified_diff(self.old_text, self.new_text, self.path)

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "changed": self.changed,
            "channel": self.release.channel if self.release else None,
            "version": str(self.release.version) if self.release else None,
            "segment": self.segment,
            "entryKey": self.entry_key,
            "fallbackUsed": self.fallback_used,
            "reason": self.reason,
        }


def report_findings(runner: Runner, findings: Sequence[Finding], what: str) -> None:
    """Annotate each finding; raise :class:`ChecksFailed` when any is an error."""
    errors = 0
    for finding in findings:
        if finding.level == "error":
            errors += 1
            runner.error(finding.message, location=finding.location)
        else:
            runner.warning(finding.message, location=finding.location)
    if errors:
        raise ChecksFailed(f"{errors} problem(s) in {what}")


def read_release(tag: str, is_prerelease: bool | None) -> tuple[ReleaseTag, str | None]:
    release = parse_release_tag(tag)
    return release, skip_reason(release, is_prerelease)


def load_segments(
    text: str, path: str, runner: Runner, *, default_template: str | None
) -> tuple[SegmentsFile, JsonDocument]:
    doc = load_json(text, path)
    report_findings(runner, check_segments(doc), path)
    return build_segments_file(doc.value, default_template=default_template), doc


def load_config(text: str | None, path: str, runner: Runner) -> JsonDocument:
    """``None`` is a config file that does not exist yet: it starts empty."""
    doc = load_json("{}" if text is None else text, path)
    report_findings(runner, check_config(doc), path)
    return doc


class Syncer:
    """Syncs one release into config texts; can be re-applied to a fresh text (push retries).

    Feed URLs depend only on the segment and the release, so each segment is probed once.
    """

    def __init__(
        self,
        *,
        release: ReleaseTag,
        segments: SegmentsFile,
        segments_doc: JsonDocument,
        prober: Prober | None,
        clock: Clock,
        runner: Runner,
    ) -> None:
        self.release = release
        self.segments = segments
        self.segments_doc = segments_doc
        self.prober = prober
        self.clock = clock
        self.runner = runner
        self._feeds: dict[str, ResolvedFeeds] = {}

    def sync(self, text: str | None, path: str) -> SyncResult:
        old_text = text or ""
        config = load_config(text, path, self.runner)
        plan = plan_update(config, self.segments_doc, self.segments, self.release)
        if isinstance(plan, Skip):
            return SyncResult(
                "skipped",
                plan.reason,
                path,
                old_text,
                old_text,
                self.release,
                segment=plan.segment,
                entry_key=plan.entry_key,
            )
        feeds = self._resolve_feeds(plan)
        document, changed = apply_update(
            config.value, plan, feeds.urls, format_timestamp(self.clock())
        )
        if changed:
            outcome: Outcome = "updated"
            new_text = render_config(document)
            reason = (
                f"{self.release.channel} of entry {plan.target_key} ({plan.segment.id}) "
                f"set to {self.release.version}"
            )
        else:
            outcome, new_text = "unchanged", old_text
            reason = (
                f"entry {plan.target_key} already has {self.release.channel} {self.release.version}"
            )
        return SyncResult(
            outcome,
            reason,
            path,
            old_text,
            new_text,
            self.release,
            segment=plan.segment.id,
            entry_key=plan.target_key,
            fallback_used=feeds.fallback_used,
            notes=feeds.notes,
        )

    def _resolve_feeds(self, plan: Plan) -> ResolvedFeeds:
        cached = self._feeds.get(plan.segment.id)
        if cached is None:
            candidates = plan_feeds(self.segments.mirrors, plan.segment, self.release)
            cached = resolve_feeds(candidates, self.release, self.prober)
            self._feeds[plan.segment.id] = cached
        return cached


def skipped(release: ReleaseTag | None, reason: str, text: str, path: str) -> SyncResult:
    return SyncResult("skipped", reason, path, text, text, release)
