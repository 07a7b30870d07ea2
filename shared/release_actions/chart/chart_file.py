"""Loading ``Chart.yaml``. STUB: the chart-check work hardens it (line-accurate errors for tabs,
duplicate keys, unquoted numeric versions, invalid UTF-8). Signatures are the contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReleaseActionsError, SourceLocation

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class ChartFile:
    """A chart directory and its parsed ``Chart.yaml``."""

    directory: Path
    metadata: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.metadata["name"])

    @property
    def version(self) -> str:
        return str(self.metadata["version"])


def load_chart(directory: Path) -> ChartFile:
    """Read ``directory/Chart.yaml``; raise :class:`ReleaseActionsError` with a location if bad."""
    path = directory / "Chart.yaml"
    try:
        data = yaml.load(path.read_bytes(), Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ReleaseActionsError(f"invalid YAML: {exc}", location=SourceLocation(str(path), line)) from None
    if not isinstance(data, dict):
        raise ReleaseActionsError("Chart.yaml is not a mapping", location=SourceLocation(str(path), 1))
    return ChartFile(directory=directory, metadata=data)
