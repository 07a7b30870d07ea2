"""The OCI artifact ``helm push`` makes of a chart package, byte for byte.

Helm (pkg/registry, v3.8 to v4) pushes:

- a config blob, ``application/vnd.cncf.helm.config.v1+json``: Go's ``json.Marshal`` of the
  loaded ``chart.Metadata`` (fields in the struct's order, empty ones omitted);
- the ``.tgz`` as a layer, ``application/vnd.cncf.helm.chart.content.v1.tar+gzip``, and the
  ``.prov`` beside it, when there is one, as ``application/vnd.cncf.helm.chart.provenance.v1.prov``;
  layers sorted by digest;
- an image manifest (no ``mediaType`` field: Helm leaves it out) whose annotations are the OCI
  ones Helm derives from the metadata (description, title, version, url, created, source,
  authors) overlaid with the chart's own annotations, except title and version.

``created`` is the package file's modification time in RFC 3339 (``helm push`` reads the
file's mtime; it writes it in the machine's local zone, which is UTC on GitHub's runners; we
always write UTC).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..loader import go_json

CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROVENANCE_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"

# chart.Metadata and chart.Dependency fields in Go's struct order (json.Marshal keeps it).
_METADATA_ORDER = (
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
)
_DEPENDENCY_ORDER = (
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
)
_IMMUTABLE_ANNOTATIONS = ("org.opencontainers.image.version", "org.opencontainers.image.title")


@dataclass(frozen=True)
class Blob:
    """Bytes with the descriptor a manifest gives them."""

    media_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.data).hexdigest()

    def descriptor(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": len(self.data)}


@dataclass(frozen=True)
class ChartArtifact:
    """Everything one ``helm push`` uploads: the blobs, then the manifest under the tag."""

    name: str
    version: str
    config: Blob
    chart: Blob
    provenance: Blob | None
    manifest: bytes

    @property
    def digest(self) -> str:
        """The manifest digest: what the tag resolves to once pushed."""
        return "sha256:" + hashlib.sha256(self.manifest).hexdigest()

    @property
    def layers(self) -> tuple[Blob, ...]:
        layers = [self.chart] if self.provenance is None else [self.chart, self.provenance]
        return tuple(sorted(layers, key=lambda blob: blob.digest))

    @property
    def blobs(self) -> tuple[Blob, ...]:
        return (self.config, *self.layers)


def chart_artifact(
    package: bytes,
    metadata: Mapping[str, Any],
    *,
    created: datetime,
    provenance: bytes | None = None,
) -> ChartArtifact:
    """The artifact for ``package`` whose loaded metadata (``repo.entry.loaded_metadata``) is
    ``metadata``, as ``helm push`` builds it for a file last modified at ``created``."""
    config = Blob(CONFIG_MEDIA_TYPE, go_json(helm_config(metadata)).encode("utf-8"))
    chart = Blob(CHART_MEDIA_TYPE, package)
    prov = Blob(PROVENANCE_MEDIA_TYPE, provenance) if provenance is not None else None
    layers = sorted([chart] if prov is None else [chart, prov], key=lambda blob: blob.digest)
    return ChartArtifact(
        name=str(metadata["name"]),
        version=str(metadata["version"]),
        config=config,
        chart=chart,
        provenance=prov,
        manifest=image_manifest(config, layers, oci_annotations(metadata, created)),
    )


def helm_config(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``chart.Metadata`` in Go's field order, ready for :func:`go_json`."""
    config: dict[str, Any] = {}
    for key in _METADATA_ORDER:
        if key not in metadata:
            continue
        value = metadata[key]
        if key == "annotations":
            value = {name: value[name] for name in sorted(value)}
        elif key == "dependencies":
            value = [
                {field: item[field] for field in _DEPENDENCY_ORDER if field in item}
                for item in value
            ]
        config[key] = value
    return config


def oci_annotations(metadata: Mapping[str, Any], created: datetime) -> dict[str, str]:
    """Helm's ``generateOCIAnnotations``: the manifest annotations, sorted as Go writes a map."""
    annotations: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        if value.strip():
            annotations[key] = value

    add("org.opencontainers.image.description", str(metadata.get("description", "")))
    add("org.opencontainers.image.title", str(metadata.get("name", "")))
    add("org.opencontainers.image.version", str(metadata.get("version", "")))
    add("org.opencontainers.image.url", str(metadata.get("home", "")))
    add("org.opencontainers.image.created", go_rfc3339_seconds(created))
    sources: Sequence[str] = metadata.get("sources") or ()
    if sources:
        add("org.opencontainers.image.source", sources[0])
    maintainers: Sequence[Mapping[str, str]] = metadata.get("maintainers") or ()
    if maintainers:
        add("org.opencontainers.image.authors", ", ".join(_author(m) for m in maintainers))
    chart_annotations: Mapping[str, str] = metadata.get("annotations") or {}
    for key, value in chart_annotations.items():
        if key not in _IMMUTABLE_ANNOTATIONS:
            annotations[key] = value
    return {key: annotations[key] for key in sorted(annotations)}


def _author(maintainer: Mapping[str, str]) -> str:
    text = maintainer.get("name", "")
    if maintainer.get("email"):
        text += f" ({maintainer['email']})"
    return text


def image_manifest(config: Blob, layers: Sequence[Blob], annotations: Mapping[str, str]) -> bytes:
    """Go's ``json.Marshal(ocispec.Manifest{…})`` as Helm fills it in."""
    manifest: dict[str, Any] = {
        "schemaVersion": 2,
        "config": config.descriptor(),
        "layers": [layer.descriptor() for layer in layers],
    }
    if annotations:
        manifest["annotations"] = dict(annotations)
    return go_json(manifest).encode("utf-8")


def go_rfc3339_seconds(moment: datetime) -> str:
    """Go's ``time.RFC3339`` (no fraction) in UTC; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
