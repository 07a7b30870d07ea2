"""Reproducible chart packages: the same chart directory and time give the same ``.tgz`` bytes.

``helm package`` stamps every entry with the current time, so each run gives a new digest.
Here the archive is a function of the files alone: entries in one order (``Chart.yaml`` first,
then by path), every mtime the given time (the chart's last commit), uid/gid 0 with empty owner
names, modes 0644 (0755 when executable), no directory entries (Helm writes none either), and a
gzip header with mtime 0 and no file name. The files are the ones Helm would package: the chart
directory minus its ``.helmignore`` (see :mod:`.helmignore`), symlinks followed while they stay
inside the repository (one that leads outside, into ``.git/`` or to a device is refused, see
:mod:`release_actions.confine`), vendored ``charts/`` included. The top directory is the chart
name, as Helm requires.

The bytes depend on zlib's deflate too, which is stable for a given zlib; two machines with
different zlib builds could in principle compress differently.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import stat
import subprocess
import tarfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ...confine import confined, read_confined, work_tree_root
from ...errors import ReleaseActionsError, SourceLocation
from ...fsutil import write_atomically
from ..loader import ChartFile, HelmIgnore, load_go, version_key
from .helm_load import archive_load_problem

# Helm refuses to load an archive whose files add up to more than this (MaxDecompressedChartSize).
MAX_CHART_SIZE = 100 * 1024 * 1024
_GZIP_LEVEL = 9
_MAX_FILE_NAME = 255  # bytes: NAME_MAX on Linux and macOS


@dataclass(frozen=True)
class PackagedChart:
    """A written package: ``path`` is ``<destination>/<name>-<version>.tgz``."""

    path: Path
    name: str
    version: str
    digest: str  # sha256 hex of the .tgz


@dataclass(frozen=True)
class ChartArchive:
    """What an index entry needs from a ``.tgz``: its ``Chart.yaml`` (typed as Helm types it)
    and ``requirements.yaml`` bytes, if any."""

    metadata: dict[str, Any]
    requirements: bytes | None


@dataclass(frozen=True)
class _Member:
    name: str  # relative to the chart directory, "/"-separated
    source: Path
    executable: bool


def package_chart(
    chart: ChartFile,
    destination: Path,
    *,
    mtime: datetime,
    helm_binary: str | None = "helm",
    write: bool = True,
    root: Path | None = None,
) -> PackagedChart:
    """Write ``chart`` as ``<destination>/<name>-<version>.tgz``, atomically, and return it.

    Every dependency in Chart.yaml (or a v1 chart's requirements.yaml) must be vendored as
    ``charts/<name>-<version>.tgz`` or ``charts/<name>/``. When one is not and ``helm_binary``
    (default: ``helm``, looked up on PATH) is found, ``helm dependency build`` fetches them
    into the chart's ``charts/`` first; otherwise the error names each missing dependency.
    ``None`` never runs helm. ``write=False`` (a dry run) builds the bytes and writes nothing;
    give it ``helm_binary=None`` too, so that nothing is written into the chart either.

    ``root`` is the repository's work tree (by default the one holding the chart): no file
    from outside it is read, and no ``file://`` dependency outside it is built.
    """
    name, version = _name_and_version(chart)
    root = work_tree_root(chart.directory) if root is None else root
    subject = f"chart {name}"
    for _ in chart_files(chart.directory, root=root, subject=subject):
        pass  # refuses a link out of the repository before anything reads or builds
    missing = missing_dependencies(chart, root=root)
    if missing:
        helm = find_helm(helm_binary)
        if helm is not None:
            _check_local_dependencies(chart, root, subject)
            _helm_dependency_build(helm, chart.directory)
            missing = missing_dependencies(chart, root=root)
        if missing:
            raise missing_dependencies_error(chart, missing, helm_tried=helm is not None)
    data = build_archive(chart.directory, name, mtime=mtime, root=root)
    refuse_unloadable(data, chart.directory)
    path = destination / f"{name}-{version}.tgz"
    if write:
        write_atomically(path, data)
    return PackagedChart(
        path=path, name=name, version=version, digest=hashlib.sha256(data).hexdigest()
    )


def find_helm(helm_binary: str | None = "helm") -> str | None:
    """The ``helm`` executable :func:`package_chart` would run, or ``None``."""
    return shutil.which(helm_binary) if helm_binary else None


def build_archive(
    directory: Path, name: str, *, mtime: datetime, root: Path | None = None
) -> bytes:
    """The reproducible ``.tgz`` bytes of the chart in ``directory`` under top directory
    ``name``; nothing outside ``root`` (default: the work tree holding it) is read."""
    root = work_tree_root(directory) if root is None else root
    members = sorted(
        chart_files(directory, root=root, subject=f"chart {name}"),
        key=lambda member: (member.name != "Chart.yaml", member.name.encode("utf-8")),
    )
    if not members or members[0].name != "Chart.yaml":
        raise ReleaseActionsError(
            "Chart.yaml is missing from the package (is it in .helmignore?)",
            location=SourceLocation(str(directory / "Chart.yaml")),
        )
    stamp = int(mtime.timestamp())
    if stamp < 0:
        raise ReleaseActionsError(f"archive time {mtime.isoformat()} is before 1970")
    buffer = io.BytesIO()
    total = 0
    # filename="" and mtime=0 keep the gzip header free of the file name and the time.
    with (
        gzip.GzipFile(
            filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=_GZIP_LEVEL
        ) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for member in members:
            content = member.source.read_bytes()
            total += len(content)
            if total > MAX_CHART_SIZE:
                raise ReleaseActionsError(
                    f"the chart's files add up to more than {MAX_CHART_SIZE} bytes, "
                    "more than Helm loads",
                    location=SourceLocation(str(member.source)),
                )
            info = tarfile.TarInfo(f"{name}/{member.name}")
            info.size = len(content)
            info.mtime = stamp
            info.mode = 0o755 if member.executable else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def refuse_unloadable(data: bytes, directory: Path) -> None:
    """Raise when Helm's loader would refuse the package ``data``: it is never written."""
    refused = archive_load_problem(data)
    if refused is not None:
        raise refused.error(directory)


def chart_file_contents(directory: Path) -> list[tuple[str, bytes]]:
    """``(chart-relative path, bytes)`` of every file Helm would package from ``directory``."""
    return [(member.name, member.source.read_bytes()) for member in chart_files(directory)]


def chart_files(
    directory: Path, *, root: Path | None = None, subject: str = ""
) -> Iterator[_Member]:
    """Every file Helm would package from ``directory``: ``.helmignore`` honoured, symlinks
    followed (a broken one is an error unless ignored), anything but a regular file refused,
    and so is a link that leads outside ``root`` (default: the work tree) or into its ``.git``.
    """
    root = work_tree_root(directory) if root is None else root
    subject = subject or f"chart {directory.name}"
    real = confined(directory, root, subject=subject)
    ignore_file = directory / ".helmignore"
    try:
        ignore_text = read_confined(ignore_file, root, subject=subject)
    except (FileNotFoundError, IsADirectoryError):
        rules = HelmIgnore.empty()
    else:
        rules = HelmIgnore.parse(
            ignore_text.decode("utf-8", errors="replace"), source=str(ignore_file)
        )
    yield from _walk(directory, "", rules, ancestors=(real,), root=root, subject=subject)


def _walk(
    directory: Path,
    prefix: str,
    rules: HelmIgnore,
    *,
    ancestors: tuple[Path, ...],
    root: Path,
    subject: str,
) -> Iterator[_Member]:
    for entry in sorted(os.scandir(directory), key=lambda item: item.name):
        relative = f"{prefix}{entry.name}"
        path = Path(entry.path)
        try:
            info = path.stat()  # follows symlinks, as Helm's walk does
        except OSError:
            if rules.ignores(relative, is_dir=False):
                continue
            raise ReleaseActionsError(
                f"{relative} is a broken symbolic link", location=SourceLocation(str(path))
            ) from None
        if stat.S_ISDIR(info.st_mode):
            if rules.ignores(relative, is_dir=True):
                continue
            real = confined(path, root, subject=subject)
            if real in ancestors:
                raise ReleaseActionsError(
                    f"{relative} is a symbolic link loop", location=SourceLocation(str(path))
                )
            yield from _walk(
                path,
                f"{relative}/",
                rules,
                ancestors=(*ancestors, real),
                root=root,
                subject=subject,
            )
            continue
        if rules.ignores(relative, is_dir=False):
            continue
        confined(path, root, subject=subject)
        if not stat.S_ISREG(info.st_mode):
            raise ReleaseActionsError(
                f"cannot package {relative}: not a regular file",
                location=SourceLocation(str(path)),
            )
        yield _Member(relative, path, executable=bool(info.st_mode & 0o111))


def read_chart_archive(path: Path) -> ChartArchive:
    """``Chart.yaml`` and ``requirements.yaml`` of a packaged chart, read as Helm reads them
    (the first path component is the chart directory, whatever its name)."""
    chart_yaml: bytes | None = None
    requirements: bytes | None = None
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            for member in archive:
                parts = member.name.replace("\\", "/").split("/")
                if len(parts) != 2 or not member.isfile():
                    continue
                if parts[1] in ("Chart.yaml", "requirements.yaml"):
                    extracted = archive.extractfile(member)
                    content = extracted.read() if extracted is not None else b""
                    if parts[1] == "Chart.yaml":
                        chart_yaml = content
                    else:
                        requirements = content
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise ReleaseActionsError(
            f"cannot read chart archive: {exc}", location=SourceLocation(str(path))
        ) from None
    if chart_yaml is None:
        raise ReleaseActionsError(
            "the archive has no <chart>/Chart.yaml", location=SourceLocation(str(path))
        )
    try:
        metadata = load_go(chart_yaml.removeprefix(b"\xef\xbb\xbf"))
    except Exception as exc:  # yaml.YAMLError and the constructors' ValueError
        raise ReleaseActionsError(
            f"the archive's Chart.yaml is not valid YAML: {exc}", location=SourceLocation(str(path))
        ) from None
    if not isinstance(metadata, dict):
        raise ReleaseActionsError(
            "the archive's Chart.yaml is not a mapping", location=SourceLocation(str(path))
        )
    return ChartArchive(metadata=metadata, requirements=requirements)


# -- dependencies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingDependency:
    name: str
    version: str
    repository: str

    def __str__(self) -> str:
        where = f" from {self.repository}" if self.repository else ""
        return f"{self.name} {self.version or '(any version)'}{where}"


def missing_dependencies(chart: ChartFile, *, root: Path | None = None) -> list[MissingDependency]:
    """Each dependency Chart.yaml (or requirements.yaml) declares that ``charts/`` lacks.

    A dependency is vendored as ``charts/<name>/`` (a chart directory of that name) or as
    ``charts/<name>-<version>.tgz``; the version is the one Chart.lock pins when there is a
    lock, and any version when the declared one is a range. Files are read only inside
    ``root`` (default: the work tree holding the chart).
    """
    root = work_tree_root(chart.directory) if root is None else root
    declared = _declared_dependencies(chart, root)
    if not declared:
        return []
    locked = _locked_versions(chart.directory, root)
    vendored = _vendored_charts(chart.directory / "charts", root)
    missing = []
    for dependency in declared:
        name = str(dependency.get("name") or "")
        wanted = str(locked.get(name) or dependency.get("version") or "")
        exact = version_key(wanted)
        if any(
            found_name == name
            and (found_version is None or exact is None or version_key(found_version) == exact)
            for found_name, found_version in vendored
        ):
            continue
        missing.append(MissingDependency(name, wanted, str(dependency.get("repository") or "")))
    return missing


def _load_yaml(data: bytes, path: Path) -> Any:
    """A chart file loaded as Helm loads it; malformed, too deep or an alias bomb: an error."""
    try:
        return load_go(data)
    except Exception as exc:  # yaml.YAMLError, LimitExceeded and the constructors' ValueError
        raise ReleaseActionsError(
            f"{path.name} cannot be read as Helm reads it: {exc}",
            location=SourceLocation(str(path)),
        ) from None


def _read_inside(path: Path, root: Path) -> bytes | None:
    """A file of the chart, read only when it stays inside the repository; ``None`` if absent."""
    try:
        return read_confined(path, root, subject=f"chart in {path.parent}")
    except (FileNotFoundError, IsADirectoryError):
        return None


def _declared_dependencies(chart: ChartFile, root: Path) -> list[Mapping[str, Any]]:
    dependencies = chart.metadata.get("dependencies")
    requirements = _read_inside(chart.directory / "requirements.yaml", root)
    if requirements is not None:
        loaded = _load_yaml(requirements, chart.directory / "requirements.yaml")
        if isinstance(loaded, dict) and "dependencies" in loaded:
            dependencies = loaded["dependencies"]
    if not isinstance(dependencies, list):
        return []
    return [item for item in dependencies if isinstance(item, Mapping) and item.get("name")]


def _locked_versions(directory: Path, root: Path) -> dict[str, str]:
    for lock_name in ("Chart.lock", "requirements.lock"):
        lock = _read_inside(directory / lock_name, root)
        if lock is not None:
            loaded = _load_yaml(lock, directory / lock_name)
            if isinstance(loaded, dict) and isinstance(loaded.get("dependencies"), list):
                return {
                    str(item.get("name")): str(item.get("version"))
                    for item in loaded["dependencies"]
                    if isinstance(item, Mapping) and item.get("name") and item.get("version")
                }
    return {}


def _vendored_charts(charts: Path, root: Path) -> list[tuple[str, str | None]]:
    """``(name, version)`` of each chart in ``charts/``; the version is ``None`` for a
    directory, which counts whatever its version."""
    if not charts.is_dir():
        return []
    found: list[tuple[str, str | None]] = []
    for entry in sorted(charts.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue  # Helm skips these in charts/
        confined(entry, root, subject=f"chart in {charts.parent}")
        chart_yaml = _read_inside(entry / "Chart.yaml", root) if entry.is_dir() else None
        if chart_yaml is not None:
            loaded = _load_yaml(chart_yaml, entry / "Chart.yaml")
            name = loaded.get("name") if isinstance(loaded, dict) else None
            found.append((str(name or entry.name), None))
        elif entry.is_file() and entry.name.endswith(".tgz"):
            found.append(_archive_name_and_version(entry))
    return found


def _archive_name_and_version(path: Path) -> tuple[str, str | None]:
    try:
        metadata = read_chart_archive(path).metadata
        return str(metadata.get("name") or ""), str(metadata.get("version") or "")
    except ReleaseActionsError:
        stem = path.name.removesuffix(".tgz")
        for index, char in enumerate(stem):
            if char == "-" and version_key(stem[index + 1 :]) is not None:
                return stem[:index], stem[index + 1 :]
        return stem, None


def _check_local_dependencies(chart: ChartFile, root: Path, subject: str) -> None:
    """``helm dependency build`` packages each ``file://`` dependency: each must be a chart
    directory inside the repository, or it would publish files from outside it."""
    for dependency in _declared_dependencies(chart, root):
        repository = str(dependency.get("repository") or "")
        if repository.startswith("file://"):
            relative = repository.removeprefix("file://")
            target = Path(relative) if relative.startswith("/") else chart.directory / relative
            if confined(target, root, subject=subject).is_dir():
                for _ in chart_files(target, root=root, subject=subject):
                    pass


def _helm_dependency_build(helm: str, directory: Path) -> None:
    completed = subprocess.run(
        [helm, "dependency", "build", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise ReleaseActionsError(
            f"`helm dependency build` failed: {detail[-1] if detail else 'no output'}",
            location=SourceLocation(str(directory / "Chart.yaml")),
        )


def describe_dependencies(missing: Sequence[MissingDependency]) -> str:
    return ", ".join(str(dependency) for dependency in missing)


def missing_dependencies_error(
    chart: ChartFile, missing: Sequence[MissingDependency], *, helm_tried: bool
) -> ReleaseActionsError:
    """The error of a chart whose dependencies are not in ``charts/`` and were not built."""
    listed = describe_dependencies(missing)
    hint = (
        "`helm dependency build` did not provide them"
        if helm_tried
        else "helm is not on PATH to run `helm dependency build`; vendor them in charts/"
    )
    return ReleaseActionsError(
        f"chart {chart.name} is missing dependencies in charts/: {listed} ({hint})",
        location=dependency_location(chart, missing),
        title="Missing chart dependencies",
    )


def dependency_location(chart: ChartFile, missing: Sequence[MissingDependency]) -> SourceLocation:
    """The line declaring the first missing dependency."""
    chart_yaml = chart.directory / "Chart.yaml"
    display = chart.display_path or str(chart_yaml)
    return SourceLocation(display, _dependency_line(chart_yaml, missing[0].name))


def _dependency_line(chart_yaml: Path, name: str) -> int | None:
    try:
        lines = chart_yaml.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        text = line.strip().removeprefix("-").strip()
        if text.startswith("name:") and text[5:].strip().strip("\"'") == name:
            return number
    return None


def _name_and_version(chart: ChartFile) -> tuple[str, str]:
    name, version = str(chart.metadata.get("name") or ""), str(chart.metadata.get("version") or "")
    file_name = f"{name}-{version}.tgz"
    if not name or name != Path(name).name or name in (".", "..") or not name.isprintable():
        raise ReleaseActionsError(
            f"Chart.yaml: name {name[:80]!r} is not a chart name", location=chart.location("name")
        )
    if not version or "/" in version or not version.isprintable():
        raise ReleaseActionsError(
            f"Chart.yaml: version {version[:80]!r} is invalid", location=chart.location("version")
        )
    if len(file_name.encode("utf-8")) > _MAX_FILE_NAME:
        raise ReleaseActionsError(
            f"Chart.yaml: the package name {file_name[:40]}… is {len(file_name.encode())} bytes,"
            f" more than the {_MAX_FILE_NAME} a file name may have",
            location=chart.location("version" if len(version) > len(name) else "name"),
        )
    return name, version
