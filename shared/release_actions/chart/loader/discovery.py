"""Which directories are charts, and which chart a changed file belongs to.

A chart is a directory with a ``Chart.yaml`` at any depth under a ``charts-dir`` root, unless it
sits inside another chart's ``charts/`` (a vendored subchart, released with its parent). Paths are
repository-relative POSIX strings, always in sorted order.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...errors import UsageError
from .chart_file import CHART_FILE

SUBCHARTS_DIR = "charts"
_TEMPLATES_DIR = "templates"
_VALUES_FILE = "values.yaml"


@dataclass(frozen=True)
class Discovery:
    """The charts found (``charts``) and those an ``exclude`` glob left out (``excluded``).

    ``lookalikes`` are directories that look like a chart (a ``templates/`` directory or a
    ``values.yaml``) but have no ``Chart.yaml``: skipped, and worth a warning, since a misspelt
    or forgotten ``Chart.yaml`` would otherwise leave a chart silently unreleased.
    """

    charts: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()

    @property
    def all_charts(self) -> tuple[str, ...]:
        return tuple(sorted(self.charts + self.excluded))


def discover_charts(
    root: Path, charts_dirs: Sequence[str] = ("charts",), exclude: Sequence[str] = ()
) -> Discovery:
    """Find the charts under each of ``charts_dirs`` (relative to ``root``)."""
    found: set[str] = set()
    lookalikes: set[str] = set()
    for charts_dir in charts_dirs:
        top = _charts_root(root, charts_dir)
        charts, others = _chart_directories(top)
        found.update(_relative(directory, root) for directory in charts)
        lookalikes.update(_relative(directory, root) for directory in others)
    included = sorted(chart for chart in found if not is_excluded(chart, exclude))
    excluded = sorted(found.difference(included))
    unexcluded = sorted(path for path in lookalikes if not is_excluded(path, exclude))
    return Discovery(charts=tuple(included), excluded=tuple(excluded), lookalikes=tuple(unexcluded))


def is_excluded(chart_dir: str, patterns: Iterable[str]) -> bool:
    """Whether an ``exclude`` glob matches the repository-relative ``chart_dir``.

    Globs match path components: ``*``, ``?`` and ``[…]`` stay inside one component (never
    across a ``/``), and a ``**`` component stands for any number of them, none included. A glob
    matches the path's last components, so ``legacy`` excludes every chart directory named
    ``legacy`` and ``services/*`` the charts directly under any ``services`` directory. A glob
    that starts with ``./`` or ``/`` is anchored at the repository root instead: ``./charts/*``
    excludes the charts directly under the top ``charts`` only. A trailing ``/`` is ignored.
    """
    parts = tuple(part for part in chart_dir.split("/") if part not in ("", "."))
    for pattern in patterns:
        anchored, pattern_parts = _exclude_pattern(pattern)
        if not pattern_parts:
            continue
        starts = (0,) if anchored else range(len(parts) + 1)
        if any(_match_components(pattern_parts, parts[start:]) for start in starts):
            return True
    return False


def _exclude_pattern(pattern: str) -> tuple[bool, tuple[str, ...]]:
    """``(anchored at the root, components)`` of one ``exclude`` glob."""
    text = pattern.strip()
    anchored = text.startswith(("/", "./"))
    parts = tuple(part for part in text.split("/") if part not in ("", "."))
    return anchored, parts


def _match_components(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match_components(rest, parts[skip:]) for skip in range(len(parts) + 1))
    return (
        bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match_components(rest, parts[1:])
    )


def owning_chart(path: str, chart_dirs: Iterable[str]) -> str | None:
    """The nearest chart directory that encloses ``path``, or ``None``."""
    charts = set(chart_dirs)
    for parent in PurePosixPath(path).parents:
        if parent.as_posix() in charts:
            return parent.as_posix()
    return None


def files_by_chart(files: Iterable[str], chart_dirs: Sequence[str]) -> dict[str, list[str]]:
    """Group changed files by the chart they belong to; files of no chart are dropped."""
    grouped: dict[str, list[str]] = {}
    for path in sorted(set(files)):
        chart = owning_chart(path, chart_dirs)
        if chart is not None:
            grouped.setdefault(chart, []).append(path)
    return dict(sorted(grouped.items()))


def _charts_root(root: Path, charts_dir: str) -> Path:
    text = charts_dir.strip()
    relative = PurePosixPath(text.replace("\\", "/")) if text else PurePosixPath(".")
    if relative.is_absolute() or ".." in relative.parts:
        raise UsageError(f"charts-dir {charts_dir!r} must be a path inside the repository")
    top = root / relative
    if not top.is_dir():
        raise UsageError(f"charts-dir {charts_dir!r} is not a directory in {root}")
    return top


def _chart_directories(top: Path) -> tuple[list[Path], list[Path]]:
    """The chart directories under ``top``, and the look-alikes outside any chart."""
    charts: list[Path] = []
    lookalikes: list[Path] = []
    for current, dirnames, filenames in os.walk(top):
        # Hidden directories (.git, .github) never hold charts; sorting makes the walk stable.
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        if CHART_FILE in filenames:
            charts.append(Path(current))
            if SUBCHARTS_DIR in dirnames:
                dirnames.remove(SUBCHARTS_DIR)
        elif _TEMPLATES_DIR in dirnames or _VALUES_FILE in filenames:
            here = Path(current)
            if not any(chart in here.parents for chart in charts):
                lookalikes.append(here)
    return charts, lookalikes


def _relative(directory: Path, root: Path) -> str:
    return PurePosixPath(os.path.relpath(directory, root)).as_posix()
