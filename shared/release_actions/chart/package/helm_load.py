"""Whether Helm's chart loader loads a chart, judged from the very files it would read.

Helm's ``loader.LoadFiles`` (for a directory and for a ``.tgz`` alike) decodes ``Chart.yaml``
into its ``Metadata`` struct, ``Chart.lock``/``requirements.lock`` into ``Lock``,
``requirements.yaml`` into ``Metadata``, and every YAML document of ``values.yaml`` into a map;
it validates the metadata (a name, a version Masterminds semver reads, ``type`` exactly
``application`` or ``library``, no null maintainer or dependency, aliases of letters, digits,
``-`` and ``_``, no two dependencies with one name or alias), and loads every entry of
``charts/`` as a chart: a ``.tgz`` archive, or a directory (anything else there but a ``.prov``
or a name starting with ``_`` or ``.`` is a subchart without ``Chart.yaml``). Each of those is
one :class:`LoadProblem` here, so ``chart check`` reports it and ``chart package`` never builds
a package Helm cannot load.

Two ``helm lint`` errors that the loader lets through are here too (:func:`lint_problems`): a
maintainer without a name, and a vendored subchart that ``Chart.yaml`` does not declare.
"""

from __future__ import annotations

import gzip
import io
import posixpath
import re
import tarfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import ReleaseActionsError, SourceLocation
from ..loader import (
    DEPENDENCY,
    METADATA,
    NULL_TAG,
    TEXT,
    Decoding,
    GoList,
    GoStruct,
    GoTime,
    YamlProblem,
    decode_problem,
    field_value,
    node_go_string,
    node_position,
    parse_yaml,
    sanitize,
)

_UTF8_BOM = b"\xef\xbb\xbf"
_METADATA_STRUCT = GoStruct("Chart.yaml", METADATA)
_LOCK = GoStruct(
    "lock",
    {"generated": GoTime(), "digest": TEXT, "dependencies": GoList(DEPENDENCY)},
)
# sigs.k8s.io/yaml's plain Unmarshal: unknown fields pass, numbers become strings.
_PLAIN = Decoding(converts=True)
_CHART_TYPES = ("", "application", "library")
_ALIAS = re.compile(r"[a-zA-Z0-9_-]+")
# Masterminds semver v3 NewVersion: Helm's reading of a chart version.
_HELM_VERSION = re.compile(
    r"v?(?P<major>[0-9]+)(?:\.(?P<minor>[0-9]+))?(?:\.(?P<patch>[0-9]+))?"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
_DRIVE_PATH = re.compile(r"^[a-zA-Z]:/")


@dataclass(frozen=True)
class LoadProblem:
    """Why Helm would not load a chart: the chart-relative file at fault, its line, a message."""

    path: str
    line: int | None
    message: str

    def error(self, chart_directory: Path | str) -> ReleaseActionsError:
        where = SourceLocation(posixpath.join(str(chart_directory), self.path), self.line)
        return ReleaseActionsError(
            f"Helm cannot load this chart: {self.message}",
            location=where,
            title="Chart Helm cannot load",
        )


def load_problem(files: Mapping[str, bytes]) -> LoadProblem | None:
    """The first reason Helm's loader refuses the chart made of ``files`` (chart-relative
    ``/``-separated path to content), or ``None`` when Helm loads it."""
    try:
        _load(files, prefix="")
    except _Refused as refused:
        return refused.problem
    return None


def archive_load_problem(data: bytes) -> LoadProblem | None:
    """:func:`load_problem` for a packaged chart (``.tgz`` bytes), read as ``LoadArchive``."""
    try:
        _load(_archive_files(data, prefix=""), prefix="")
    except _Refused as refused:
        return refused.problem
    return None


def lint_problems(files: Mapping[str, bytes]) -> list[LoadProblem]:
    """``helm lint`` errors the loader lets through: a maintainer without a name, and a
    subchart in ``charts/`` that ``Chart.yaml`` does not declare. For a chart Helm loads."""
    problems: list[LoadProblem] = []
    chart_yaml = _document(files, "Chart.yaml", "")
    if chart_yaml is None:
        return problems
    maintainers = field_value(chart_yaml, "maintainers")
    if isinstance(maintainers, yaml.SequenceNode):
        for item in maintainers.value:
            named = field_value(item, "name") if isinstance(item, yaml.MappingNode) else None
            if isinstance(item, yaml.MappingNode) and not _text(named):
                line = node_position(item).line
                problems.append(
                    LoadProblem("Chart.yaml", line, "each maintainer requires a name (helm lint)")
                )
    declared = {_text(field_value(dep, "name")) for dep in _dependency_nodes(files, "")}
    for directory, subchart in _subchart_names(files):
        if subchart not in declared:
            problems.append(
                LoadProblem(
                    directory,
                    None,
                    f"the subchart {subchart} in {directory} is not declared in Chart.yaml's"
                    " dependencies (helm lint: chart metadata is missing these dependencies)",
                )
            )
    return problems


class _Refused(Exception):
    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.problem = LoadProblem(path, line, message)


def _load(files: Mapping[str, bytes], *, prefix: str) -> None:
    """Helm's ``LoadFiles``: raise :class:`_Refused` for the first thing it refuses."""
    chart_yaml = _document(files, "Chart.yaml", prefix)
    if chart_yaml is not None:
        _decode(chart_yaml, _METADATA_STRUCT, prefix + "Chart.yaml")
    for name in sorted(files):
        if name in ("Chart.lock", "requirements.lock"):
            node = _document(files, name, prefix)
            if node is not None:
                _decode(node, _LOCK, prefix + name)
        elif name == "requirements.yaml":
            node = _document(files, name, prefix)
            if node is not None:
                _decode(node, _METADATA_STRUCT, prefix + name)
        elif name == "values.yaml":
            _check_values(files[name], prefix + name)
    if "Chart.yaml" not in files:
        raise _Refused(prefix or ".", None, f"{prefix or 'the chart'} has no Chart.yaml")
    _validate(files, prefix)
    for name, subchart in _subcharts(files, prefix):
        _load(subchart, prefix=name + "/")


def _document(files: Mapping[str, bytes], name: str, prefix: str) -> yaml.Node | None:
    """A YAML file's root node (``None`` when absent, empty or null)."""
    content = files.get(name)
    if content is None:
        return None
    try:
        root = parse_yaml(content.removeprefix(_UTF8_BOM), construct=False).root
    except YamlProblem as problem:
        raise _Refused(prefix + name, problem.line, problem.message) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == NULL_TAG):
        return None
    return root


def _decode(root: yaml.Node, shape: GoStruct, path: str) -> None:
    wrong = decode_problem(root, shape, _PLAIN)
    if wrong is not None:
        raise _Refused(path, wrong.line, wrong.message)


def _check_values(content: bytes, path: str) -> None:
    """Every YAML document of ``values.yaml`` must be a map (or empty), with scalar keys."""
    try:
        for root in yaml.compose_all(content.removeprefix(_UTF8_BOM).decode("utf-8")):
            if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == NULL_TAG):
                continue
            if not isinstance(root, yaml.MappingNode):
                line = node_position(root).line
                raise _Refused(
                    path, line, "values.yaml must be a map of values, not a list or a scalar"
                )
            for key in _keys(root):
                if not isinstance(key, yaml.ScalarNode):
                    line = node_position(key).line
                    raise _Refused(
                        path, line, "a list or a map is used as a key, which Helm cannot read"
                    )
    except UnicodeDecodeError:
        raise _Refused(path, None, "values.yaml is not valid UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        raise _Refused(path, at, f"values.yaml is not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _Refused(path, None, f"values.yaml is not valid YAML: {exc}") from None


def _keys(root: yaml.Node) -> Iterator[yaml.Node]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield key
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _validate(files: Mapping[str, bytes], prefix: str) -> None:
    """``Metadata.Validate`` after ``LoadFiles`` took an empty apiVersion for v1."""
    path = prefix + "Chart.yaml"
    root = _document(files, "Chart.yaml", prefix)
    name = _text(field_value(root, "name")) if root is not None else ""
    version = _text(field_value(root, "version")) if root is not None else ""
    if not name:
        raise _Refused(path, 1, "the chart has no name")
    if name != _go_base(name):
        raise _Refused(path, _line(root, "name"), f"the chart name {name!r} is not a file name")
    if not version:
        raise _Refused(path, 1, "the chart has no version")
    if not helm_reads_version(version):
        raise _Refused(path, _line(root, "version"), f"Helm cannot read the version {version!r}")
    chart_type = _text(field_value(root, "type")) if root is not None else ""
    if chart_type not in _CHART_TYPES:
        raise _Refused(
            path,
            _line(root, "type"),
            f"type must be exactly application or library, not {chart_type!r}",
        )
    maintainers = field_value(root, "maintainers") if root is not None else None
    if isinstance(maintainers, yaml.SequenceNode):
        for item in maintainers.value:
            if _is_null(item):
                raise _Refused(path, node_position(item).line, "a maintainer entry is empty")
    keys: set[str] = set()
    for dependency in _dependency_nodes(files, prefix, nulls=True):
        if _is_null(dependency):
            line = node_position(dependency).line
            raise _Refused(path, line, "a dependency entry is empty")
        alias = _text(field_value(dependency, "alias"))
        if alias and not _ALIAS.fullmatch(alias):
            raise _Refused(
                path,
                node_position(dependency).line,
                f"the alias {alias!r} may hold only letters, digits, - and _",
            )
        key = alias or _text(field_value(dependency, "name"))
        if key in keys:
            raise _Refused(
                path,
                node_position(dependency).line,
                f"more than one dependency has the name or alias {key!r}",
            )
        keys.add(key)


def _dependency_nodes(
    files: Mapping[str, bytes], prefix: str, *, nulls: bool = False
) -> list[yaml.Node]:
    """The dependencies Helm ends up with: requirements.yaml's replace Chart.yaml's."""
    found: list[yaml.Node] = []
    for name in ("Chart.yaml", "requirements.yaml"):
        root = _document(files, name, prefix) if name in files else None
        listed = field_value(root, "dependencies") if root is not None else None
        if isinstance(listed, yaml.SequenceNode):
            found = list(listed.value)
    return [node for node in found if nulls or not _is_null(node)]


def _subcharts(files: Mapping[str, bytes], prefix: str) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Each entry of ``charts/`` as Helm loads it: ``(its chart-relative path, its files)``."""
    grouped: dict[str, list[tuple[str, bytes]]] = {}
    for name, content in files.items():
        if not name.startswith("charts/") or posixpath.splitext(name)[1] == ".prov":
            continue
        relative = name.removeprefix("charts/")
        grouped.setdefault(relative.split("/", 1)[0], []).append((relative, content))
    for entry in sorted(grouped):
        members = grouped[entry]
        where = f"{prefix}charts/{entry}"
        if entry[:1] in ("_", "."):
            continue
        if posixpath.splitext(entry)[1] == ".tgz":
            relative, content = members[0]
            if relative != entry:
                raise _Refused(where, None, f"{where} is a directory, not a chart archive")
            yield where, _archive_files(content, prefix=where)
            continue
        yield (
            where,
            {
                relative.split("/", 1)[1]: content
                for relative, content in members
                if "/" in relative
            },
        )


def _subchart_names(files: Mapping[str, bytes]) -> Iterator[tuple[str, str]]:
    """``(path, metadata name)`` of each subchart of a chart Helm loads."""
    for where, subchart in _subcharts(files, ""):
        root = _document(subchart, "Chart.yaml", where + "/")
        yield where, _text(field_value(root, "name")) if root is not None else ""


def _archive_files(data: bytes, *, prefix: str) -> dict[str, bytes]:
    """Helm's ``loadArchiveFiles``: the files of a ``.tgz``, first path component dropped."""
    where = prefix or "the package"
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data)), mode="r:") as archive:
            for member in archive:
                if member.isdir() or member.type in (tarfile.XGLTYPE, tarfile.XHDTYPE):
                    continue
                delimiter = "\\" if "\\" in member.name else "/"
                parts = member.name.split(delimiter)
                name = "/".join(parts[1:])
                if name.startswith("/"):
                    raise _Refused(where, None, f"{where} holds an absolute path")
                name = posixpath.normpath(name) if name else "."
                if name == "." or name.startswith("..") or _DRIVE_PATH.match(name):
                    raise _Refused(where, None, f"{where} holds a path outside its chart")
                if parts[0] == "Chart.yaml":
                    raise _Refused(where, None, f"{where} has Chart.yaml outside its directory")
                extracted = archive.extractfile(member) if member.isfile() else None
                content = extracted.read() if extracted is not None else b""
                files[name] = content.removeprefix(_UTF8_BOM)
    except (OSError, EOFError, tarfile.TarError, gzip.BadGzipFile) as exc:
        raise _Refused(where, None, f"{where} is not a readable chart archive: {exc}") from None
    if not files:
        raise _Refused(where, None, f"{where} holds no files")
    return files


def _exceeds_uint64(digits: str) -> bool:
    significant = digits.lstrip("0")
    # 20 digits bound a uint64, and keep int() below Python's 4300-digit limit.
    return len(significant) > 20 or int(significant or "0") >= 1 << 64


def helm_reads_version(version: str) -> bool:
    """Whether Masterminds semver v3's ``NewVersion`` (Helm's) parses ``version``."""
    match = _HELM_VERSION.fullmatch(version)
    if match is None:
        return False
    if any(
        number is not None and _exceeds_uint64(number)
        for number in match.group("major", "minor", "patch")
    ):
        return False
    prerelease = match.group("pre")
    return prerelease is None or not any(
        part.isdigit() and len(part) > 1 and part.startswith("0") for part in prerelease.split(".")
    )


def _text(node: yaml.Node | None) -> str:
    """A scalar as Helm's string field holds it (numbers converted, control characters gone)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return ""
    return sanitize(node_go_string(node))


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def _line(root: yaml.Node | None, key: str) -> int | None:
    value = field_value(root, key) if root is not None else None
    return node_position(value).line if value is not None else None


def _go_base(name: str) -> str:
    """Go's ``filepath.Base``."""
    stripped = name.rstrip("/")
    if not stripped:
        return "/" if name else "."
    return stripped.rsplit("/", 1)[-1]


def chart_problems(files: Sequence[tuple[str, bytes]]) -> list[LoadProblem]:
    """What ``chart check`` reports: the loader's refusal, else the lint errors."""
    by_name = dict(files)
    refused = load_problem(by_name)
    return [refused] if refused is not None else lint_problems(by_name)
