"""The one httpx client factory: timeouts, retries with backoff, and our User-Agent.

INTERFACE STUB: implemented by the foundation work; signatures are the contract.
"""

from __future__ import annotations

import httpx

from . import __version__

USER_AGENT = f"release-actions/{__version__}"


def make_client(*, timeout: float = 10.0, retries: int = 3) -> httpx.Client:
    """A client that retries connect errors and 5xx answers with exponential backoff."""
    raise NotImplementedError


def get_with_retry(client: httpx.Client, url: str, *, attempts: int = 3) -> httpx.Response:
    """GET ``url``, retrying connect errors, timeouts and 5xx answers with backoff."""
    raise NotImplementedError
