"""Bring-your-own packages: ``.tgz`` files built elsewhere, read and checked as ours.

Each package is unpacked (regular files only, every path inside one top directory, no links,
Helm's size limit) so that its chart can be loaded and checked exactly as a chart directory is.
The package itself is released byte for byte, never rebuilt. Anything in the directory that is
not a package, or the ``.prov`` of one, is refused by name: nothing unknown is published.
"""

from __future__ import annotations

import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...errors import ReleaseActionsError, SourceLocation
from .archive import MAX_CHART_SIZE

PACKAGE_SUFFIX = ".tgz"
PROVENANCE_SUFFIX = ".tgz.prov"


@dataclass(frozen=True)
class SuppliedPackage:
    """A package as given (``path``), its ``.prov`` if one sits beside it, and the directory
    its chart was unpacked into."""

    path: Path
    provenance: Path | None
    chart_directory: Path


def read_packages_dir(directory: Path, *, root: Path, unpack_to: Path) -> list[SuppliedPackage]:
    """Every package in ``directory`` (which must be inside ``root``), unpacked under
    ``unpack_to``; the first file that is not a chart package is an error naming it."""
    _require_inside(directory, root, what="packages-dir")
    if not directory.is_dir():
        raise ReleaseActionsError(f"packages-dir {directory} is not a directory")
    entries = sorted(directory.iterdir(), key=lambda path: path.name)
    names = {entry.name for entry in entries}
    packages: list[SuppliedPackage] = []
    for entry in entries:
        where = SourceLocation(str(entry))
        if entry.is_symlink():
            _require_inside(entry, root, what=entry.name)
        if entry.name.endswith(PROVENANCE_SUFFIX) and entry.is_file():
            if entry.name.removesuffix(".prov") not in names:
                raise ReleaseActionsError(
                    f"{entry.name}: a provenance file without its package", location=where
                )
            continue
        if not (entry.name.endswith(PACKAGE_SUFFIX) and entry.is_file()):
            raise ReleaseActionsError(
                f"{entry.name}: not a chart package (.tgz) nor its .prov; packages-dir holds "
                "nothing else",
                location=where,
            )
        provenance = entry.with_name(entry.name + ".prov")
        chart_directory = unpack_package(entry, unpack_to / entry.name.removesuffix(".tgz"))
        packages.append(
            SuppliedPackage(
                path=entry,
                provenance=provenance if provenance.is_file() else None,
                chart_directory=chart_directory,
            )
        )
    if not packages:
        raise ReleaseActionsError(f"packages-dir {directory} holds no .tgz packages")
    return packages


def unpack_package(package: Path, destination: Path) -> Path:
    """Unpack ``package`` into ``destination``; returns its chart directory (the archive's one
    top directory, holding ``Chart.yaml``)."""
    where = SourceLocation(str(package))

    def refuse(reason: str) -> ReleaseActionsError:
        return ReleaseActionsError(f"{package.name}: not a chart package: {reason}", location=where)

    top: str | None = None
    total = 0
    try:
        with tarfile.open(package, mode="r:gz") as archive:
            for member in archive:
                parts = PurePosixPath(member.name.replace("\\", "/")).parts
                if not parts or member.name.startswith("/") or ".." in parts:
                    raise refuse(f"{member.name!r} points outside the chart")
                if top is None:
                    top = parts[0]
                elif parts[0] != top:
                    raise refuse(f"{member.name!r} is outside the top directory {top!r}")
                if member.isdir():
                    continue
                if not member.isfile():
                    raise refuse(f"{member.name!r} is a link or a special file")
                total += member.size
                if total > MAX_CHART_SIZE:
                    raise refuse(f"its files add up to more than {MAX_CHART_SIZE} bytes")
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise refuse(f"{member.name!r} cannot be read")
                target = destination.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as handle:
                    shutil.copyfileobj(extracted, handle)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise refuse(str(exc) or type(exc).__name__) from None
    if top is None or not (destination / top / "Chart.yaml").is_file():
        raise refuse("it has no <chart>/Chart.yaml")
    return destination / top


def _require_inside(path: Path, root: Path, *, what: str) -> None:
    resolved, base = path.resolve(), root.resolve()
    if resolved != base and base not in resolved.parents:
        raise ReleaseActionsError(
            f"{what}: {path} is outside the repository; nothing from outside it is published"
        )
