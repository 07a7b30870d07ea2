"""Feed URLs: mirror templates rendered for a release, and probes that they are ready."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NetworkError, ReleaseActionsError
from .model import Channel, Mirror, ReleaseTag, Segment

if TYPE_CHECKING:  # httpx costs ~50 ms to import: only a probe needs it
    import httpx

    from ..http import Sleep

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
FEED_PLACEHOLDERS = frozenset({"tag", "version"})
PROBE_PLACEHOLDERS = frozenset({"channel"})


def placeholders(template: str) -> set[str]:
    return {name.lower() for name in _PLACEHOLDER.findall(template)}


def render_template(template: str, values: dict[str, str]) -> str:
    """Replace ``{{ name }}`` (any case, any inner whitespace); nothing is URL-encoded."""

    def substitute(match: re.Match[str]) -> str:
        return values.get(match.group(1).lower(), match.group(0))

    return _PLACEHOLDER.sub(substitute, template)


def feed_template(segment: Segment, mirror: Mirror, channel: Channel) -> str | None:
    """A segment's channel template beats the mirror's own ``feedTemplate``."""
    return segment.channel_templates.get(channel, {}).get(mirror.name) or mirror.feed_template


@dataclass(frozen=True)
class FeedCandidate:
    mirror: Mirror
    url: str
    probe: bool  # False: a prerelease on a mirror that does not carry prereleases
    fallback: str | None


def plan_feeds(
    mirrors: Sequence[Mirror], segment: Segment, release: ReleaseTag
) -> list[FeedCandidate]:
    """The URL each mirror would get, primary first. Pure: no network."""
    assert release.channel is not None
    values = {"tag": release.tag, "version": str(release.version)}
    primary_url = ""
    candidates: list[FeedCandidate] = []
    for position, mirror in enumerate(mirrors):
        if position > 0 and not mirror.prereleases and release.channel != "latest":
            candidates.append(FeedCandidate(mirror, primary_url, probe=False, fallback=None))
            continue
        template = feed_template(segment, mirror, release.channel)
        if template is None:
            raise ReleaseActionsError(
                f"segment {segment.id} has no feed template for mirror {mirror.name} on channel "
                f"{release.channel}: set mirrors.{mirror.name}.feedTemplate or a channelTemplate"
            )
        url = render_template(template, values)
        fallback = render_template(mirror.fallback, values) if mirror.fallback else None
        candidates.append(FeedCandidate(mirror, url, probe=True, fallback=fallback))
        if position == 0:
            primary_url = url
    return candidates


@dataclass(frozen=True)
class ProbeResult:
    ready: bool
    detail: str  # "HTTP 200", "HTTP 404", "network error: cannot fetch …: …"
    unreachable: bool = False  # no answer at all: DNS, connection, timeout


Prober = Callable[[str], ProbeResult]


class HttpProber:
    """GETs a URL through an injected httpx client, retrying as :mod:`release_actions.http` does."""

    def __init__(
        self, client: httpx.Client, *, attempts: int = 3, sleep: Sleep = time.sleep
    ) -> None:
        self._client = client
        self._attempts = attempts
        self._sleep = sleep

    def __call__(self, url: str) -> ProbeResult:
        from ..http import get_with_retry

        try:
            response = get_with_retry(self._client, url, attempts=self._attempts, sleep=self._sleep)
        except NetworkError as exc:  # no answer at all, after the retries
            return ProbeResult(False, exc.message, unreachable=True)
        return ProbeResult(response.is_success, f"HTTP {response.status_code}")


@dataclass(frozen=True)
class ResolvedFeeds:
    urls: dict[str, str]
    fallback_used: bool
    notes: tuple[str, ...] = ()  # one line per fallback taken, for the log and summary


def probe_urls(candidate: FeedCandidate, channel: Channel) -> list[str]:
    base = candidate.url.rstrip("/")
    return [
        f"{base}/{render_template(name, {'channel': channel})}"
        for name in candidate.mirror.probe_files
    ]


def resolve_feeds(
    candidates: Sequence[FeedCandidate], release: ReleaseTag, prober: Prober | None
) -> ResolvedFeeds:
    """Probe each mirror (unless ``prober`` is None) and take fallbacks for secondaries."""
    assert release.channel is not None
    urls: dict[str, str] = {}
    notes: list[str] = []
    fallback_used = False
    for position, candidate in enumerate(candidates):
        failure = _first_failure(candidate, release.channel, prober)
        if failure is None:
            urls[candidate.mirror.name] = candidate.url
            continue
        url, result = failure
        if position > 0 and candidate.fallback:
            urls[candidate.mirror.name] = candidate.fallback
            fallback_used = True
            state = "cannot be reached" if result.unreachable else "is not ready"
            detail = result.detail if result.unreachable else f"{url}: {result.detail}"
            notes.append(
                f"mirror {candidate.mirror.name} {state} ({detail}); "
                f"using its fallback {candidate.fallback}"
            )
            continue
        if result.unreachable:
            raise NetworkError(
                f"{result.detail} (probing the feed URLs for {release.version} "
                f"({release.channel}); check the network or the mirror's host name)"
            )
        raise ReleaseActionsError(
            f"feed URLs are not ready for {release.version} ({release.channel}): "
            f"{url} answered {result.detail}. Try again after the release mirrors finish syncing."
        )
    return ResolvedFeeds(urls, fallback_used, tuple(notes))


def _first_failure(
    candidate: FeedCandidate, channel: Channel, prober: Prober | None
) -> tuple[str, ProbeResult] | None:
    if prober is None or not candidate.probe:
        return None
    for url in probe_urls(candidate, channel):
        result = prober(url)
        if not result.ready:
            return url, result
    return None
