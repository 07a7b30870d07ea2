"""The GitHub adapter: PyGithub built from ``GITHUB_API_URL`` and a token, returning plain data.

INTERFACE STUB: implemented by the foundation work; signatures are the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import GitHubError


@dataclass(frozen=True)
class Asset:
    id: int
    name: str
    size: int
    browser_download_url: str
    digest: str | None  # "sha256:…" when the API reports it


@dataclass(frozen=True)
class Release:
    id: int
    tag: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    html_url: str
    assets: tuple[Asset, ...]


@dataclass(frozen=True)
class PullRequest:
    number: int
    html_url: str
    head: str
    base: str
    title: str
    body: str
    labels: tuple[str, ...]


PullOperation = Literal["created", "updated", "unchanged"]


class GitHub:
    """What the actions need from GitHub, behind one small interface."""

    def __init__(self, token: str, *, api_url: str, repository: str) -> None:
        raise GitHubError("not implemented")

    # releases
    def latest_release(self) -> Release | None: ...
    def release_by_tag(self, tag: str) -> Release | None: ...
    def create_release(
        self,
        tag: str,
        *,
        name: str,
        body: str,
        prerelease: bool,
        make_latest: bool,
        target: str | None = None,
    ) -> Release: ...
    def update_release_body(self, release: Release, body: str) -> Release: ...
    def upload_asset(self, release: Release, path: Path, *, content_type: str) -> Asset: ...
    def download_asset(self, asset: Asset) -> bytes: ...

    # pull requests and labels
    def find_open_pull(self, head: str, base: str | None = None) -> PullRequest | None: ...
    def create_or_update_pull(
        self, *, head: str, base: str, title: str, body: str
    ) -> tuple[PullRequest, PullOperation]: ...
    def add_labels(self, number: int, labels: Sequence[str]) -> None: ...
    def pull_labels(self, number: int) -> list[str]: ...
    def pull_files(self, number: int) -> list[str]: ...
