"""Reading a chart package (and the ``.prov`` beside it) into the artifact Helm would push."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ...errors import ReleaseActionsError, SourceLocation
from ..package import read_chart_archive
from ..repo.entry import loaded_metadata
from .manifest import ChartArtifact, chart_artifact


def load_artifact(package: Path) -> ChartArtifact:
    """``package`` as ``helm push`` sends it: its bytes, its loaded ``Chart.yaml``, its mtime as
    ``created``, and ``package.prov`` as the provenance layer when that file exists."""
    archive = read_chart_archive(package)
    metadata = loaded_metadata(
        archive.metadata, requirements=archive.requirements, source=str(package)
    )
    provenance_path = package.with_name(package.name + ".prov")
    try:
        data = package.read_bytes()
        created = datetime.fromtimestamp(package.stat().st_mtime, UTC)
        provenance = provenance_path.read_bytes() if provenance_path.is_file() else None
    except OSError as exc:
        raise ReleaseActionsError(
            f"cannot read {exc.filename}: {exc.strerror}", location=SourceLocation(str(package))
        ) from None
    return chart_artifact(data, metadata, created=created, provenance=provenance)
