"""``chart check``: every rule over every chart, as a list of findings.

:func:`run_checks` is the one entry point (the check mode and the first step of a release). It
reads the files through :func:`read_chart_sources`, then calls the pure rules in
:mod:`.rules`, :mod:`.dependencies` and :mod:`.policies`. Git is only asked what changed since the
merge-base, and only when a target branch is given: without one the static checks run alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from ...confine import RefusedPath, confined, read_confined, work_tree_root
from ...errors import ReleaseActionsError, SourceLocation, UsageError
from ...git import Git
from ...versions import TagTemplate
from ..loader import (
    CHART_FILE,
    ChartFile,
    Finding,
    YamlDocument,
    YamlProblem,
    discover_charts,
    files_by_chart,
    parse_yaml,
    read_chart,
    repo_path,
)
from ..package import (
    FILE_SCHEME,
    DependencySources,
    LoadProblem,
    LocalTarget,
    chart_file_contents,
    chart_problems,
    check_dependencies,
    declared_dependencies,
    lock_file_name,
    missing_dependencies,
    missing_dependencies_error,
)
from .changes import ChangeSet, find_changes
from .policies import (
    AppVersionPolicy,
    check_app_version,
    check_tag,
    check_values,
    parse_app_version_policy,
)
from .rules import check_metadata, check_unique_names, check_unpublished, check_version_bump
from .values import VALUES_FILE, ValuesCheck, parse_values_checks

DEFAULT_TAG_TEMPLATE = "{name}-{version}"


class CheckSettings(Protocol):
    """What the checks read from a configuration. The release configuration fits it too."""

    @property
    def charts_dirs(self) -> tuple[str, ...]: ...
    @property
    def exclude(self) -> tuple[str, ...]: ...
    @property
    def target_branch(self) -> str | None: ...
    @property
    def app_version_policy(self) -> str: ...
    @property
    def values_checks(self) -> tuple[str, ...]: ...
    @property
    def tag_template(self) -> TagTemplate: ...


@dataclass(frozen=True, kw_only=True)
class CheckConfig:
    """The ``chart check`` command line; defaults are the action's input defaults."""

    charts_dirs: tuple[str, ...] = ("charts",)
    exclude: tuple[str, ...] = ()
    target_branch: str | None = None
    app_version_policy: str = "none"
    values_checks: tuple[str, ...] = ()
    tag_template: TagTemplate = field(default_factory=lambda: TagTemplate(DEFAULT_TAG_TEMPLATE))


@dataclass(frozen=True)
class ChartSources:
    """A chart's files as read from disk: Chart.yaml, values.yaml and dependency files."""

    directory: str  # repository-relative
    chart: ChartFile | None
    chart_findings: tuple[Finding, ...]
    values: YamlDocument | YamlProblem | None
    values_path: str
    dependencies: DependencySources
    # What Helm's chart loader (and helm lint) would refuse in the chart's files.
    helm_problems: tuple[LoadProblem, ...] = ()


@dataclass(frozen=True)
class CheckedChart:
    """One chart's line in the report. ``changed`` is None when no target branch was given."""

    directory: str
    name: str | None
    version: str | None
    changed: bool | None = None
    chart: ChartFile | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CheckReport:
    charts: tuple[CheckedChart, ...]
    findings: tuple[Finding, ...]
    changes: ChangeSet | None = None
    excluded: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == "error")

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def chart_files(self) -> tuple[ChartFile, ...]:
        """The charts :func:`.chart_file.load_chart` would load, in discovery order."""
        return tuple(checked.chart for checked in self.charts if checked.chart is not None)


def run_checks(
    config: CheckSettings,
    *,
    root: Path,
    git: Git | None = None,
    published_versions: Mapping[str, Set[str]] | None = None,
    release_tags: Set[str] | None = None,
    tag: str | None = None,
) -> CheckReport:
    """Check every chart under ``config.charts_dirs`` of the repository at ``root``.

    - Static rules (Chart.yaml, dependencies, app-version-policy, values-checks) run always.
    - ``tag``: the tag this run is for; it must match a chart version through the template.
    - With ``config.target_branch`` (and ``git``), the charts whose files changed since the
      merge-base must have a greater version, one that is neither in ``published_versions``
      (chart name to versions, e.g. from the index) nor in ``release_tags``.
    """
    policy = parse_app_version_policy(config.app_version_policy)
    values_checks = parse_values_checks(config.values_checks)
    discovery = discover_charts(root, config.charts_dirs, config.exclude)
    sources = [read_chart_sources(root, directory, values_checks) for directory in discovery.charts]
    findings = [_lookalike(directory) for directory in discovery.lookalikes]
    for source in sources:
        findings.extend(static_findings(source, policy, values_checks))
    # Charts whose name and version can be relied on: the others have findings already.
    usable = {
        source.directory: source.chart
        for source in sources
        if source.chart is not None and not findings_block_versions(source.chart_findings)
    }
    findings.extend(check_unique_names(list(usable.values())))
    if tag:
        findings.extend(check_tag(list(usable.values()), tag, config.tag_template))
    changes: ChangeSet | None = None
    changed: dict[str, list[str]] = {}
    if config.target_branch:
        if git is None:
            raise UsageError("checking version bumps against a target branch needs git")
        changes = find_changes(git, config.target_branch)
        prefix = _repository_prefix(git, root)
        changed = _changed_charts(changes, prefix, discovery.all_charts, discovery.charts)
        for directory, chart in usable.items():
            if directory not in changed:
                continue
            base_content = git.file_at(changes.merge_base, prefix + _join(directory, CHART_FILE))
            findings.extend(check_version_bump(chart, base_content, changes.label))
            findings.extend(
                check_unpublished(chart, published_versions, release_tags, config.tag_template)
            )
    checked = tuple(
        _checked(source, changed if changes is not None else None) for source in sources
    )
    return CheckReport(
        charts=checked,
        findings=tuple(findings),
        changes=changes,
        excluded=discovery.excluded,
    )


def with_dependency_builds(
    report: CheckReport, helm: str | None, published_versions: Mapping[str, Set[str]] | None
) -> CheckReport:
    """``report`` plus, when there is no helm to run, the release's own error for each chart
    whose dependencies are not vendored in ``charts/`` and that a release would build: changed
    (every chart without a target branch to compare with) and not already in the index."""
    if helm is not None:
        return report
    extra = []
    for checked in report.charts:
        chart = checked.chart
        if chart is None or checked.changed is False or not checked.name:
            continue
        if checked.version in (published_versions or {}).get(checked.name, ()):
            continue
        missing = missing_dependencies(chart)
        if missing:
            error = missing_dependencies_error(chart, missing, helm_tried=False)
            extra.append(
                Finding("dependency-build", error.message, error.location, chart=checked.directory)
            )
    return replace(report, findings=report.findings + tuple(extra)) if extra else report


def _lookalike(directory: str) -> Finding:
    """chart-releaser-action warns about these too: a chart without Chart.yaml is skipped."""
    return Finding(
        "chart-lookalike",
        f"{directory} looks like a chart (it has templates/ or values.yaml) but has no "
        f"{CHART_FILE}, so it is skipped; add {CHART_FILE}, or exclude the directory",
        None,
        severity="warning",
        chart=directory,
    )


def static_findings(
    sources: ChartSources, policy: AppVersionPolicy, values_checks: Sequence[ValuesCheck]
) -> list[Finding]:
    """Every rule that needs only the chart's own files."""
    findings = list(sources.chart_findings)
    chart = sources.chart
    if chart is None:
        return findings
    findings.extend(check_metadata(chart))
    findings.extend(check_dependencies(chart, sources.dependencies))
    findings.extend(_helm_findings(sources, findings))
    if not findings_block_versions(findings):
        findings.extend(check_app_version(chart, policy))
        findings.extend(check_values(chart, sources.values, sources.values_path, values_checks))
    return findings


def _helm_findings(sources: ChartSources, found: Sequence[Finding]) -> list[Finding]:
    """Helm's refusals, but not twice: a line with an error already has its finding."""
    reported = {
        (finding.location.file, finding.location.line)
        for finding in found
        if finding.location is not None and finding.severity == "error"
    }
    findings = []
    for problem in sources.helm_problems:
        where = sources.directory if problem.path == "." else _join(sources.directory, problem.path)
        location = SourceLocation(where, problem.line)
        if (location.file, location.line) in reported or (
            problem.path == CHART_FILE and any(f.rule.startswith("yaml-") for f in found)
        ):
            continue
        findings.append(Finding("helm-load", problem.message, location, chart=sources.directory))
    return findings


def findings_block_versions(findings: Sequence[Finding]) -> bool:
    """Whether ``version``/``appVersion``/``name`` are unusable, so policies cannot be judged."""
    blocking = {"chart-name", "version-semver", "string-type"}
    return any(finding.rule in blocking and finding.severity == "error" for finding in findings)


def read_chart_sources(
    root: Path, directory: str, values_checks: Sequence[ValuesCheck] = ()
) -> ChartSources:
    """Read one chart's files (the thin I/O part): nothing here judges them."""
    chart_dir = root / directory
    display = repo_path(chart_dir / CHART_FILE, root)
    chart, chart_findings = read_chart(chart_dir, display_path=display)
    values_path = _join(directory, VALUES_FILE)
    values = _read_yaml(chart_dir / VALUES_FILE, root) if values_checks else None
    dependencies = DependencySources()
    if chart is not None:
        requirements = _read_yaml(chart_dir / "requirements.yaml", root)
        lock_name = lock_file_name(chart)
        local_targets = {
            dependency.repository: _local_target(chart_dir, dependency.repository, root)
            for dependency in declared_dependencies(chart, requirements)
            if dependency.is_local
        }
        dependencies = DependencySources(
            requirements=requirements,
            requirements_path=_join(directory, "requirements.yaml"),
            lock=_read_yaml(chart_dir / lock_name, root),
            lock_path=_join(directory, lock_name),
            local_targets=local_targets,
        )
    return ChartSources(
        directory=directory,
        chart=chart,
        chart_findings=tuple(chart_findings),
        values=values,
        values_path=values_path,
        dependencies=dependencies,
        helm_problems=tuple(_helm_problems(chart_dir)) if chart is not None else (),
    )


def _helm_problems(chart_dir: Path) -> list[LoadProblem]:
    try:
        files = chart_file_contents(chart_dir)
    except RefusedPath as refused:
        return [LoadProblem(".", None, refused.message)]
    except (ReleaseActionsError, OSError) as error:
        return [LoadProblem(".", None, f"the chart's files cannot be read: {error}")]
    return chart_problems(files)


def _read_yaml(path: Path, root: Path) -> YamlDocument | YamlProblem | None:
    try:
        content = read_confined(path, work_tree_root(root))
    except FileNotFoundError:
        return None
    except RefusedPath as refused:
        return YamlProblem("syntax", refused.message, None)
    except OSError as exc:
        return YamlProblem("syntax", f"{path.name} cannot be read: {exc.strerror}", None)
    try:
        return parse_yaml(content, construct=False)
    except YamlProblem as problem:
        return problem


def _local_target(chart_dir: Path, repository: str, root: Path) -> LocalTarget:
    """Where a ``file://`` dependency points, as Helm resolves it (relative to the chart)."""
    relative = repository.removeprefix(FILE_SCHEME)
    target = Path(relative) if relative.startswith("/") else chart_dir / relative
    try:
        confined(target, work_tree_root(root))
    except RefusedPath:
        return LocalTarget("outside")
    if (target / CHART_FILE).is_file():
        chart, _ = read_chart(target, display_path=str(target / CHART_FILE))
        version = chart.metadata.get("version") if chart is not None else None
        return LocalTarget("chart", version if isinstance(version, str) else None)
    if target.is_dir():
        return LocalTarget("directory")
    if target.exists():
        return LocalTarget("file")
    return LocalTarget("missing")


def _changed_charts(
    changes: ChangeSet, prefix: str, all_charts: Sequence[str], included: Sequence[str]
) -> dict[str, list[str]]:
    """Changed files by included chart; files of excluded charts do not count for a parent."""
    files = [
        path.removeprefix(prefix) for path in changes.files if not prefix or path.startswith(prefix)
    ]
    grouped = files_by_chart(files, all_charts)
    return {chart: paths for chart, paths in grouped.items() if chart in included}


def _repository_prefix(git: Git, root: Path) -> str:
    """Where ``root`` sits inside the repository (``""`` at the top), as git prints paths."""
    top = Path(git.run("rev-parse", "--show-toplevel").strip())
    try:
        relative = root.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{root} is not inside the git repository at {top}") from None
    return "" if relative == "." else relative + "/"


def _checked(source: ChartSources, changed: Mapping[str, list[str]] | None) -> CheckedChart:
    chart = source.chart
    name = version = None
    if chart is not None and chart.source is not None:
        name, version = (_raw_text(chart.source, key) for key in ("name", "version"))
    return CheckedChart(
        directory=source.directory,
        name=name,
        version=version,
        changed=None if changed is None else source.directory in changed,
        chart=None if findings_block_versions(source.chart_findings) else chart,
    )


def _raw_text(document: YamlDocument, key: str) -> str | None:
    """A scalar as written (``1.10`` stays ``1.10``), for showing what the file says."""
    entry = document.entry(key)
    value = getattr(entry[1], "value", None) if entry is not None else None
    return value if isinstance(value, str) and value else None


def _join(directory: str, name: str) -> str:
    return name if directory in ("", ".") else f"{directory}/{name}"
