"""Pushing charts: a pure plan over what each tag holds, then the uploads.

A tag is immutable here. The plan for one chart is:

- the tag is free: push;
- it holds our manifest (same digest): already pushed, nothing to do;
- it holds a manifest whose chart layer is the very same ``.tgz`` but which differs otherwise:
  ``helm push`` of the same file (``created`` is another mtime), or another signature of it
  (a ``.prov`` differs with every signing): already pushed, nothing to do, and the outcome
  names the digest the tag holds;
- anything else: refused, naming both digests.

Every chart is planned before anything is uploaded, so one refusal pushes nothing at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .client import RegistryClient, RegistryError
from .files import load_artifact
from .manifest import CHART_MEDIA_TYPE, ChartArtifact
from .reference import ChartReference, RegistryLocation

Status = Literal["push", "already pushed", "conflict"]


@dataclass(frozen=True)
class PushPlan:
    """What to do with one chart, and what the tag holds now (``remote_digest``, if any)."""

    artifact: ChartArtifact
    reference: ChartReference
    status: Status
    remote_digest: str | None = None

    @property
    def digest(self) -> str:
        """The digest the tag resolves to once the plan is carried out."""
        if self.status == "already pushed" and self.remote_digest:
            return self.remote_digest
        return self.artifact.digest


@dataclass(frozen=True)
class PushOutcome:
    reference: ChartReference
    digest: str
    pushed: bool  # False: it was already there

    @property
    def pinned(self) -> str:
        return self.reference.pinned(self.digest)


def plan_push(artifact: ChartArtifact, reference: ChartReference, remote: bytes | None) -> PushPlan:
    """Decide for one chart, given the manifest bytes the tag holds (``None``: no such tag)."""
    if remote is None:
        return PushPlan(artifact, reference, "push")
    remote_digest = "sha256:" + hashlib.sha256(remote).hexdigest()
    if remote_digest == artifact.digest or _chart_layer(remote) == artifact.chart.digest:
        return PushPlan(artifact, reference, "already pushed", remote_digest)
    return PushPlan(artifact, reference, "conflict", remote_digest)


def conflict_message(plan: PushPlan) -> str:
    return (
        f"{plan.reference} already holds {plan.remote_digest}, other bytes than ours "
        f"({plan.artifact.digest}); a published version is immutable: bump the chart version"
    )


def _chart_layer(manifest: bytes) -> str | None:
    """The digest of a manifest's one Helm chart content layer, if it has exactly one."""
    try:
        parsed = json.loads(manifest)
    except ValueError:
        return None
    layers = parsed.get("layers") if isinstance(parsed, dict) else None
    if not isinstance(layers, list):
        return None
    charts = [
        str(layer.get("digest"))
        for layer in layers
        if isinstance(layer, dict) and layer.get("mediaType") == CHART_MEDIA_TYPE
    ]
    return charts[0] if len(charts) == 1 else None


def plan_pushes(
    client: RegistryClient, charts: Sequence[tuple[ChartArtifact, ChartReference]]
) -> list[PushPlan]:
    """Plan every chart; the first conflict raises, before anything is uploaded."""
    plans = [
        plan_push(artifact, reference, client.manifest(reference.repository, reference.tag))
        for artifact, reference in charts
    ]
    for plan in plans:
        if plan.status == "conflict":
            raise RegistryError(conflict_message(plan))
    return plans


def push_chart(client: RegistryClient, plan: PushPlan) -> PushOutcome:
    """Carry out one plan: the blobs the registry lacks, then the manifest under the tag."""
    if plan.status == "already pushed":
        return PushOutcome(plan.reference, plan.digest, pushed=False)
    if plan.status == "conflict":
        raise RegistryError(conflict_message(plan))
    repository = plan.reference.repository
    for blob in plan.artifact.blobs:
        if not client.has_blob(repository, blob.digest):
            client.upload_blob(repository, blob)
    stored = client.put_manifest(repository, plan.reference.tag, plan.artifact.manifest)
    if stored != plan.artifact.digest:
        raise RegistryError(
            f"{plan.reference}: the registry stored {stored}, not our {plan.artifact.digest}"
        )
    return PushOutcome(plan.reference, plan.artifact.digest, pushed=True)


def push_packages(
    client: RegistryClient, location: RegistryLocation, packages: Sequence[Path]
) -> list[PushOutcome]:
    """Push each package (and its ``.prov``) under ``location``, all planned first."""
    charts = []
    for package in packages:
        artifact = load_artifact(package)
        charts.append((artifact, location.chart(artifact.name, artifact.version)))
    return [push_chart(client, plan) for plan in plan_pushes(client, charts)]
