"""Chart dependencies: where they are declared, ``file://`` paths, and the lock file's sync.

The lock check is Helm's own: ``helm dependency build`` refuses a lock whose ``digest`` is not
the sha256 of Go's JSON of ``[declared dependencies, locked dependencies]``. We compute that
digest exactly (see :mod:`.helm_json`), so "out of sync" here means Helm would refuse it. Before
the digest we compare names, repositories, pinned versions and ``file://`` chart versions, so the
message says what is out of sync, on its line. Repository aliases (``@name``) resolve through the
user's Helm configuration: for them the lock's URL is taken, which is what Helm hashed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from ...errors import SourceLocation
from ...versions import is_semver
from ..loader import (
    ChartFile,
    Finding,
    YamlDocument,
    YamlProblem,
    find_entry,
    go_bool,
    go_json,
    go_value,
    node_go_string,
    node_position,
    sanitize,
    yaml_finding,
)

PathKind = Literal["chart", "directory", "file", "missing", "outside"]
FILE_SCHEME = "file://"
_UPDATE_HINT = "run `helm dependency update`"


@dataclass(frozen=True)
class LocalTarget:
    """What a ``file://`` dependency points at, and that chart's version when it is one."""

    kind: PathKind
    version: str | None = None


@dataclass(frozen=True)
class DependencySources:
    """The files besides Chart.yaml that dependencies involve (``None``: the file is absent)."""

    requirements: YamlDocument | YamlProblem | None = None
    requirements_path: str = "requirements.yaml"
    lock: YamlDocument | YamlProblem | None = None
    lock_path: str = "Chart.lock"
    local_targets: Mapping[str, LocalTarget] = field(default_factory=dict)


@dataclass(frozen=True)
class Dependency:
    """One dependency entry; ``node`` is its mapping, for line numbers."""

    node: yaml.MappingNode
    name: str
    version: str
    repository: str

    @property
    def is_alias(self) -> bool:
        return self.repository.startswith(("@", "alias:"))

    @property
    def is_local(self) -> bool:
        return self.repository.startswith(FILE_SCHEME)

    def field_node(self, key: str) -> yaml.Node:
        entry = find_entry(self.node, key)
        return entry[1] if entry is not None else self.node


def lock_file_name(chart: ChartFile) -> str:
    return "requirements.lock" if chart.api_version == "v1" else "Chart.lock"


def declared_dependencies(
    chart: ChartFile, requirements: YamlDocument | YamlProblem | None
) -> list[Dependency]:
    """Chart.yaml's dependencies (apiVersion v2), or requirements.yaml's (v1)."""
    if chart.api_version == "v1":
        document = requirements if isinstance(requirements, YamlDocument) else None
        return dependency_list(document.root if document is not None else None)
    return dependency_list(chart.source.root if chart.source is not None else None)


def dependency_list(root: yaml.Node | None) -> list[Dependency]:
    entry = find_entry(root, "dependencies")
    if entry is None or not isinstance(entry[1], yaml.SequenceNode):
        return []
    dependencies: list[Dependency] = []
    for item in entry[1].value:
        if isinstance(item, yaml.MappingNode):
            name, version, repository = (
                _string_field(item, key) for key in ("name", "version", "repository")
            )
            dependencies.append(Dependency(item, name, version, repository))
    return dependencies


def helm_lock_digest(
    declared: Sequence[Dependency], locked: Sequence[Dependency], *, depends_on: bool = True
) -> str:
    """Helm's ``HashReq``: the digest ``helm dependency update`` writes into the lock file.

    Helm 4 added ``depends-on`` to its dependency type; Helm 3 ignores the field, so a lock
    written by Helm 3 hashes without it (``depends_on=False``).
    """
    lock_urls = {dependency.name: dependency.repository for dependency in locked}
    requested = [
        _go_dependency(d, lock_urls.get(d.name) if d.is_alias else None, depends_on=depends_on)
        for d in declared
    ]
    locks = [_go_dependency(dependency, depends_on=depends_on) for dependency in locked]
    payload = go_json([requested or None, locks or None])
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def helm2_lock_digest(declared: Sequence[Dependency]) -> str:
    """Helm's ``HashV2Req``, still accepted for the requirements.lock of apiVersion v1 charts."""
    payload = go_json({"dependencies": [_go_dependency(d) for d in declared] or None})
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def check_dependencies(chart: ChartFile, sources: DependencySources) -> list[Finding]:
    """Where dependencies are declared, their ``file://`` paths, and the lock file's sync."""
    findings = _placement_findings(chart, sources)
    if isinstance(sources.requirements, YamlProblem) and chart.api_version == "v1":
        findings.append(yaml_finding(sources.requirements, sources.requirements_path))
    declared = declared_dependencies(chart, sources.requirements)
    declared_path = sources.requirements_path if chart.api_version == "v1" else chart.display_path
    for dependency in declared:
        if dependency.is_local:
            finding = _local_path_finding(dependency, sources.local_targets, declared_path)
            if finding is not None:
                findings.append(finding)
    findings.extend(_lock_findings(chart, declared, declared_path, sources))
    return [_for_chart(finding, chart) for finding in findings]


def _placement_findings(chart: ChartFile, sources: DependencySources) -> list[Finding]:
    entry = chart.source.entry("dependencies") if chart.source is not None else None
    if chart.api_version == "v1" and entry is not None:
        message = (
            "dependencies in Chart.yaml need apiVersion v2; with apiVersion v1 they belong in"
            " requirements.yaml"
        )
        return [Finding("dependencies-v1", message, _at(chart.display_path, entry[0]))]
    if chart.api_version == "v2" and sources.requirements is not None:
        message = (
            "requirements.yaml is the Helm 2 (apiVersion v1) way; with apiVersion v2, declare"
            " dependencies in Chart.yaml"
        )
        location = SourceLocation(sources.requirements_path, 1)
        return [Finding("dependencies-v1", message, location, severity="warning")]
    return []


def _local_path_finding(
    dependency: Dependency, targets: Mapping[str, LocalTarget], declared_path: str
) -> Finding | None:
    target = targets.get(dependency.repository, LocalTarget("missing"))
    if target.kind == "chart":
        return None
    path = dependency.repository.removeprefix(FILE_SCHEME)
    reason = {
        "missing": "does not exist",
        "directory": "is a directory without a Chart.yaml",
        "file": "is a file, not a chart directory",
        "outside": "leads outside the repository (or into .git/, or to a special file)",
    }[target.kind]
    message = f"dependency {dependency.name}: {path} {reason}"
    location = _at(declared_path, dependency.field_node("repository"))
    return Finding("dependency-path", message, location)


def _lock_findings(
    chart: ChartFile,
    declared: Sequence[Dependency],
    declared_path: str,
    sources: DependencySources,
) -> list[Finding]:
    lock = sources.lock
    if lock is None:
        return []
    if isinstance(lock, YamlProblem):
        return [yaml_finding(lock, sources.lock_path)]
    lock_name = lock_file_name(chart)
    locked = dependency_list(lock.root)
    findings = _structure_findings(declared, declared_path, locked, sources, lock_name)
    if findings:
        return findings
    digest_entry = find_entry(lock.root, "digest")
    if digest_entry is None:
        message = f"{lock_name} has no digest; {_UPDATE_HINT}"
        return [Finding("chart-lock", message, SourceLocation(sources.lock_path, 1))]
    recorded = node_go_string(digest_entry[1])
    unreadable = _unreadable_finding(declared, declared_path) or _unreadable_finding(
        locked, sources.lock_path
    )
    if unreadable is not None:
        return [unreadable]
    accepted = {
        helm_lock_digest(declared, locked, depends_on=depends_on) for depends_on in (True, False)
    }
    if chart.api_version == "v1":
        accepted.add(helm2_lock_digest(declared))
    if recorded in accepted:
        return []
    message = (
        f"{lock_name} is out of sync with the dependencies in {declared_path.rpartition('/')[2]}"
        f" (its digest does not match, so helm dependency build would refuse it); {_UPDATE_HINT}"
    )
    return [Finding("chart-lock", message, _at(sources.lock_path, digest_entry[1]))]


def _unreadable_finding(dependencies: Sequence[Dependency], path: str) -> Finding | None:
    """A dependency Helm cannot load, such as ``import-values: [.inf]``: JSON has no infinity."""
    for dependency in dependencies:
        try:
            go_json(_go_dependency(dependency))
        except ValueError as exc:
            message = f"dependency {dependency.name}: Helm cannot load it ({exc})"
            return Finding("chart-lock", message, _at(path, dependency.node))
    return None


def _structure_findings(
    declared: Sequence[Dependency],
    declared_path: str,
    locked: Sequence[Dependency],
    sources: DependencySources,
    lock_name: str,
) -> list[Finding]:
    missing = Counter(d.name for d in declared) - Counter(d.name for d in locked)
    extra = Counter(d.name for d in locked) - Counter(d.name for d in declared)
    findings: list[Finding] = []
    for dependency in declared:
        if missing[dependency.name] > 0:
            missing[dependency.name] -= 1
            message = f"dependency {dependency.name} is not in {lock_name}; {_UPDATE_HINT}"
            findings.append(Finding("chart-lock", message, _at(declared_path, dependency.node)))
    for dependency in locked:
        if extra[dependency.name] > 0:
            extra[dependency.name] -= 1
            message = (
                f"{lock_name} still locks {dependency.name}, which is no longer a dependency;"
                f" {_UPDATE_HINT}"
            )
            findings.append(Finding("chart-lock", message, _at(sources.lock_path, dependency.node)))
    if findings:
        return findings
    if [d.name for d in declared] != [d.name for d in locked]:
        message = f"{lock_name} lists the dependencies in another order; {_UPDATE_HINT}"
        return [Finding("chart-lock", message, SourceLocation(sources.lock_path, 1))]
    for wanted, pinned in zip(declared, locked, strict=True):
        findings.extend(_pair_findings(wanted, pinned, declared_path, sources, lock_name))
    return findings


def _pair_findings(
    wanted: Dependency,
    pinned: Dependency,
    declared_path: str,
    sources: DependencySources,
    lock_name: str,
) -> list[Finding]:
    name = wanted.name
    if not wanted.is_alias and wanted.repository != pinned.repository:
        message = (
            f"dependency {name} comes from {wanted.repository!r}, but {lock_name} has it from"
            f" {pinned.repository!r}; {_UPDATE_HINT}"
        )
        return [Finding("chart-lock", message, _at(declared_path, wanted.field_node("repository")))]
    target = sources.local_targets.get(wanted.repository) if wanted.is_local else None
    if target is not None and target.version is not None and target.version != pinned.version:
        message = (
            f"{lock_name} locks {name} at {pinned.version}, but the chart at"
            f" {wanted.repository.removeprefix(FILE_SCHEME)} is now {target.version};"
            f" {_UPDATE_HINT}"
        )
        return [
            Finding("chart-lock", message, _at(sources.lock_path, pinned.field_node("version")))
        ]
    if not wanted.is_local and is_semver(wanted.version) and wanted.version != pinned.version:
        message = (
            f"dependency {name} is pinned to {wanted.version}, but {lock_name} locks"
            f" {pinned.version}; {_UPDATE_HINT}"
        )
        return [Finding("chart-lock", message, _at(declared_path, wanted.field_node("version")))]
    return []


def _go_dependency(
    dependency: Dependency, repository: str | None = None, *, depends_on: bool = True
) -> dict[str, Any]:
    """The dependency as Go's ``json.Marshal`` writes a ``chart.Dependency`` (field order,
    ``omitempty``), after Helm's ``sanitizeString``."""
    node = dependency.node
    fields: dict[str, Any] = {
        "name": sanitize(_string_field(node, "name")),
        "version": sanitize(_string_field(node, "version")),
        "repository": sanitize(repository or _string_field(node, "repository")),
        "condition": sanitize(_string_field(node, "condition")),
        "tags": [sanitize(node_go_string(tag)) for tag in _sequence(node, "tags")],
        "enabled": _bool_field(node, "enabled"),
        "import-values": [go_value(item) for item in _sequence(node, "import-values")],
        "alias": _string_field(node, "alias"),
        "depends-on": [sanitize(node_go_string(name)) for name in _sequence(node, "depends-on")]
        if depends_on
        else [],
    }
    always = ("name", "repository")
    return {key: value for key, value in fields.items() if key in always or value}


def _string_field(node: yaml.Node, key: str) -> str:
    entry = find_entry(node, key)
    return node_go_string(entry[1]) if entry is not None else ""


def _bool_field(node: yaml.Node, key: str) -> bool:
    entry = find_entry(node, key)
    return go_bool(entry[1]) if entry is not None else False


def _sequence(node: yaml.Node, key: str) -> list[yaml.Node]:
    entry = find_entry(node, key)
    if entry is None or not isinstance(entry[1], yaml.SequenceNode):
        return []
    return list(entry[1].value)


def _at(path: str, node: yaml.Node) -> SourceLocation:
    position = node_position(node)
    return SourceLocation(path, position.line, position.col)


def _for_chart(finding: Finding, chart: ChartFile) -> Finding:
    return Finding(
        finding.rule, finding.message, finding.location, finding.severity, chart.display_directory
    )
