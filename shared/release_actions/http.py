"""The one httpx client factory: timeouts, retries with backoff and jitter, and our User-Agent.

Retrying lives in a transport wrapper, so every request a client from :func:`make_client` sends
is retried the same way: connect failures always (nothing reached the server), and timeouts,
dropped connections and 5xx answers only for idempotent methods (the server may have acted).
A 429 is always retried, after the ``Retry-After`` it names.
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from . import USER_AGENT
from .errors import NetworkError

Sleep = Callable[[float], None]

_NO_DELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_SERVER_ERRORS = frozenset({500, 502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_INTERRUPTED = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Marks a request whose caller runs the retry loop, so the transport does not retry inside it.
_CALLER_RETRIES = "release_actions.caller_retries"


@dataclass(frozen=True)
class Backoff:
    """Up to ``attempts`` tries, waiting about ``base``, 2×, 4×… seconds (at most ``cap``)."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 30.0
    sleep: Sleep = time.sleep
    jitter: Callable[[], float] = random.random

    def delay(self, failures: int, response: httpx.Response | None = None) -> float:
        """The wait after ``failures`` failed tries: ``Retry-After`` if the server named one."""
        retry_after = _retry_after(response) if response is not None else None
        if retry_after is not None:
            return min(retry_after, self.cap)
        ceiling = min(self.cap, self.base * 2.0 ** (failures - 1))
        # Half fixed, half random: racing jobs spread out, yet each one does wait.
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def send(self, method: str, send: Callable[[], httpx.Response]) -> httpx.Response:
        """Call ``send`` until it succeeds, fails for good, or the attempts run out."""
        failures = 0
        while True:
            final = failures + 1 >= self.attempts
            try:
                response = send()
            except httpx.TransportError as exc:
                if final or not _may_retry_error(exc, method):
                    raise
                failures += 1
                self.sleep(self.delay(failures))
                continue
            if final or not _may_retry_status(response.status_code, method):
                return response
            failures += 1
            wait = self.delay(failures, response)
            response.close()
            self.sleep(wait)


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport and retries what :class:`Backoff` allows."""

    def __init__(self, wrapped: httpx.BaseTransport, backoff: Backoff) -> None:
        self._wrapped = wrapped
        self._backoff = backoff

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(_CALLER_RETRIES):
            return self._wrapped.handle_request(request)
        return self._backoff.send(request.method, lambda: self._wrapped.handle_request(request))

    def close(self) -> None:
        self._wrapped.close()


def make_client(
    *, timeout: float = 10.0, retries: int = 3, sleep: Sleep = time.sleep
) -> httpx.Client:
    """A client that retries connect errors, timeouts and 5xx answers with exponential backoff."""
    backoff = Backoff(attempts=retries + 1, sleep=sleep)
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        # TCP_NODELAY: httpx writes a request's headers and body apart, and Nagle's algorithm
        # would hold the body back for the peer's delayed ACK (~40 ms per upload).
        transport=RetryTransport(httpx.HTTPTransport(socket_options=_NO_DELAY), backoff),
    )


def get_with_retry(
    client: httpx.Client, url: str, *, attempts: int = 3, sleep: Sleep = time.sleep
) -> httpx.Response:
    """GET ``url``, retrying connect errors, timeouts and 5xx answers with backoff.

    The answer is returned whatever its status (a 404 may be expected); a request that never
    got one raises :class:`NetworkError` ("network error: …"). ``attempts`` counts every try,
    even on a client from :func:`make_client`, whose own retries stand aside.
    """
    backoff = Backoff(attempts=attempts, sleep=sleep)
    try:
        return backoff.send("GET", lambda: client.get(url, extensions={_CALLER_RETRIES: True}))
    except httpx.TransportError as exc:
        reason = str(exc) or type(exc).__name__
        raise NetworkError(f"network error: cannot fetch {url}: {reason}") from None


def _may_retry_error(exc: httpx.TransportError, method: str) -> bool:
    if isinstance(exc, _NOT_SENT):
        return True
    return isinstance(exc, _INTERRUPTED) and method in _IDEMPOTENT


def _may_retry_status(status: int, method: str) -> bool:
    if status == 429:  # Too Many Requests: refused, not processed
        return True
    return status in _SERVER_ERRORS and method in _IDEMPOTENT


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
