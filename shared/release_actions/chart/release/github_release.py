"""One chart's GitHub release: create it, or reuse it when it already holds these exact bytes.

Published versions are immutable: a release whose asset has another digest is an error, never
overwritten. A release without the asset (an upload that failed last time, or an application
release sharing the tag) gets it uploaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ...errors import ReleaseActionsError
from ..package import PackagedChart
from .plan import PlannedRelease

if TYPE_CHECKING:  # PyGithub is imported only by the commands that talk to GitHub
    from ...github import Asset, GitHub, Release

ASSET_CONTENT_TYPE = "application/gzip"
PROVENANCE_CONTENT_TYPE = "application/pgp-signature"

ReleaseStatus = Literal["released", "completed", "reused"]


@dataclass(frozen=True)
class PublishedRelease:
    """A chart version that now has its GitHub release and asset."""

    name: str
    version: str
    tag: str
    release_url: str
    asset_url: str
    digest: str
    # released: created now; completed: the release existed without the asset;
    # reused: the release already held these exact bytes.
    status: ReleaseStatus

    def as_output(self) -> dict[str, str]:
        return {
            "name": self.name,
            "version": self.version,
            "tag": self.tag,
            "release_url": self.release_url,
            "asset_url": self.asset_url,
            "digest": self.digest,
        }


def publish_release(
    github: GitHub,
    planned: PlannedRelease,
    packaged: PackagedChart,
    *,
    body: str,
    make_latest: bool,
    target: str | None,
    generate_notes: bool = False,
    provenance: Path | None = None,
) -> PublishedRelease:
    """Make sure the release ``planned.tag`` exists and carries ``packaged`` as its asset, and
    ``provenance`` (its ``.prov``) beside it. A ``.prov`` already there is kept: signatures
    differ from one signing to the next, and the package it signs is the same."""
    release = github.release_by_tag(planned.tag)
    created = release is None
    # The adapter answers a create that raced another run's with the release that run made.
    if release is None:
        release = github.create_release(
            planned.tag,
            name=planned.tag,
            body=body,
            prerelease=planned.prerelease,
            make_latest=make_latest,
            target=target,
            generate_notes=generate_notes,
        )
    asset = _asset_named(release, packaged.path.name)
    if asset is not None:
        _require_same_digest(github, planned, asset, packaged)
        status: ReleaseStatus = "released" if created else "reused"
    else:
        asset = github.upload_asset(release, packaged.path, content_type=ASSET_CONTENT_TYPE)
        status = "released" if created else "completed"
    if provenance is not None and _asset_named(release, provenance.name) is None:
        github.upload_asset(release, provenance, content_type=PROVENANCE_CONTENT_TYPE)
    return PublishedRelease(
        name=planned.name,
        version=planned.version,
        tag=planned.tag,
        release_url=release.html_url,
        asset_url=asset.browser_download_url,
        digest=packaged.digest,
        status=status,
    )


def _asset_named(release: Release, name: str) -> Asset | None:
    return next((asset for asset in release.assets if asset.name == name), None)


def _require_same_digest(
    github: GitHub, planned: PlannedRelease, asset: Asset, packaged: PackagedChart
) -> None:
    published = _asset_digest(github, asset)
    if published != packaged.digest:
        raise ReleaseActionsError(
            f"published {planned.name} {planned.version} ({asset.browser_download_url}) has"
            f" sha256 {published}, this build has {packaged.digest}; published versions are"
            " immutable, so bump the chart version",
            title="Chart version already published",
        )


def _asset_digest(github: GitHub, asset: Asset) -> str:
    if asset.digest and asset.digest.startswith("sha256:"):
        return asset.digest.removeprefix("sha256:")
    return hashlib.sha256(github.download_asset(asset)).hexdigest()
