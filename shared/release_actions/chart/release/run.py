"""The release flow: plan from the published index, package, release on GitHub, publish the index.

Every step is safe to repeat. The plan lists only what the index lacks; a release that exists
with the same bytes is reused; the index merge adds only missing entries. So a run that failed
half-way is finished by the next one, and a run with nothing new changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ChecksFailed, ReleaseActionsError, UsageError
from ...git import Git
from ...pull_requests import Proposal
from ...runner import Runner
from ..loader import ChartFile, discover_charts, load_chart, repo_path
from ..package import (
    PackagedChart,
    SuppliedPackage,
    dependency_location,
    describe_dependencies,
    find_helm,
    missing_dependencies,
    missing_dependencies_error,
    package_chart,
)
from ..provenance import provenance_path
from ..repo import index_entry, published_versions
from .config import ReleaseConfig
from .github_release import PublishedRelease, publish_release
from .notes_check import NotesFor
from .pages import (
    IndexChange,
    IndexUpdate,
    index_diff,
    merged_index_text,
    publish_index,
    retire_index_pull,
    rewritten_index_warning,
)
from .plan import PlannedRelease, ReleasePlan, plan_release
from .summary import STATUS_TEXT, ChartRow, render_summary
from .targets import PushedChart, push_to_registry, sign_packages, supplied_package, would_push

if TYPE_CHECKING:  # PyGithub is imported only by the commands that talk to GitHub
    from ...github import GitHub


@dataclass(frozen=True)
class ReleaseResult:
    config: ReleaseConfig
    plan: ReleasePlan
    rows: tuple[ChartRow, ...]
    released: tuple[PublishedRelease, ...]
    index: IndexUpdate
    diff: str = ""
    failures: int = 0
    index_error: str = ""
    # Dry run: how many entries the diff adds (a chart whose dependencies must be built first has
    # no digest yet, so no entry).
    diff_entries: int = 0
    # The oci target: the charts now in the registry, or why none were pushed.
    pushed: tuple[PushedChart, ...] = ()
    registry_error: str = ""
    would_push: tuple[str, ...] = ()


def load_charts(root: Path, config: ReleaseConfig) -> list[ChartFile]:
    """Every chart under ``charts-dir``, minus ``exclude``, with repository-relative paths."""
    discovery = discover_charts(root, config.charts_dirs, config.exclude)
    return [load_chart(root / directory, root=root) for directory in discovery.charts]


def run_release(
    config: ReleaseConfig,
    *,
    root: Path,
    git: Git | None,
    github: GitHub | None,
    runner: Runner,
    workdir: Path,
    now: datetime,
    notes_for: NotesFor,
    published_index: str | None,
    target: str | None = None,
    tag: str | None = None,
    supplied_packages: Sequence[SuppliedPackage] = (),
) -> ReleaseResult:
    """Release every chart the index lacks. ``published_index`` is the index as it is now.

    ``tag``: the run is for this tag; with ``{name}`` in the tag template it releases the chart
    the tag names, and no other (see :func:`.plan.plan_release`).

    ``supplied_packages``: packages built elsewhere (``packages-dir``), unpacked under ``root``;
    each chart found there is released as that package, byte for byte, never rebuilt.
    """
    if supplied_packages:
        charts = [
            load_chart(package.chart_directory, root=package.chart_directory.parents[1])
            for package in supplied_packages
        ]
    else:
        charts = load_charts(root, config)
    # Each target is idempotent; the index is the plan only when it is one of the targets.
    indexed = "pages-index" in config.publish
    listed = (
        published_versions(published_index, source=config.index_path)
        if published_index is not None and indexed
        else {}
    )
    plan = plan_release(charts, listed, config.tag_template, tag=tag)
    supplied = {package.chart_directory: package for package in supplied_packages}
    if config.dry_run:
        return _dry_run(
            config,
            plan,
            published_index,
            now=now,
            notes_for=notes_for,
            runner=runner,
            dates=_ChartDates(git, root),
            supplied=supplied,
        )
    # The registry may lack a version the index lists (a push that failed last time).
    to_push = [*(planned.chart for planned in plan.releases), *plan.published]
    to_package = to_push if "oci" in config.publish else [p.chart for p in plan.releases]
    packages = {
        chart.name: _package(chart, workdir, git=git, root=root, supplied=supplied)
        for chart in to_package
    }
    if config.signing is not None:
        with runner.group("Sign the packages"):
            sign_packages(config.signing, list(packages.values()), root=root, workdir=workdir)
    # Every body before any release: a missing changelog entry stops the run with nothing made.
    bodies = {planned.name: notes_for(planned) for planned in plan.releases}
    if plan.empty and "oci" not in config.publish:
        unchanged = tuple(_unreleased_rows(plan))
        index = IndexUpdate(updated=False)
        if indexed and config.index_publish == "pull-request" and github is not None:
            index = retire_index_pull(config, github)
        return ReleaseResult(config, plan, unchanged, (), index)
    if github is None:
        raise UsageError("a release needs a GitHub token: the token input, or GITHUB_TOKEN")
    if git is None:
        raise UsageError("a release needs a git checkout whose origin holds the pages branch")

    released: list[PublishedRelease] = []
    rows: list[ChartRow] = []
    failures = 0
    for planned in plan.releases:
        packaged = packages[planned.name]
        if "github-release" not in config.publish:
            rows.append(
                _row(planned, status="indexed" if indexed else "packaged", digest=packaged.digest)
            )
            continue
        try:
            with runner.group(f"Release {planned.name} {planned.version} as {planned.tag}"):
                result = publish_release(
                    github,
                    planned,
                    packaged,
                    body=bodies[planned.name],
                    make_latest=config.mark_latest,
                    target=target,
                    generate_notes=config.release_notes == "generate",
                    provenance=_provenance_of(packaged),
                )
                runner.info(f"{STATUS_TEXT[result.status]}: {result.release_url}")
        except ReleaseActionsError as error:
            failures += 1
            runner.error(error.message, location=error.location, title=error.title)
            rows.append(_row(planned, status="failed", error=error.message))
            continue
        released.append(result)
        rows.append(_row(planned, status=result.status, published=result))
    rows.extend(_unreleased_rows(plan))

    pushed: list[PushedChart] = []
    registry_error = ""
    if "oci" in config.publish and to_push:
        try:
            with runner.group(f"Push to {config.oci_registry}"):
                pushed = push_to_registry(config, [packages[c.name] for c in to_push], runner)
                for chart in pushed:
                    runner.info(chart.reference + ("" if chart.pushed else " (already pushed)"))
        except ReleaseActionsError as error:
            failures += 1
            registry_error = f"nothing was pushed: {error.message}; re-run to complete it"
            runner.error(registry_error, location=error.location, title="Charts not pushed")

    index = IndexUpdate(updated=False)
    index_error = ""
    if "github-release" in config.publish:
        indexed_charts = [(r.name, r.asset_url) for r in released]
    else:
        indexed_charts = [(planned.name, "") for planned in plan.releases]
    if indexed and indexed_charts:
        change = _index_change(config, plan, indexed_charts, packages, now)
        try:
            with runner.group(f"Update {config.index_path} on {config.pages_branch}"):
                index = publish_index(
                    git,
                    config,
                    change,
                    generated=now,
                    github=github,
                    message=_message(plan, [name for name, _ in indexed_charts]),
                )
                runner.info(_index_outcome(config, index))
            if index.rewritten_because:
                runner.warning(
                    rewritten_index_warning(config, index.rewritten_because),
                    title="Chart index rewritten",
                )
        except ReleaseActionsError as error:
            failures += 1
            index_error = f"the index was not updated: {error.message}; re-run to complete it"
            runner.error(index_error, location=error.location, title="Chart index not updated")
    elif indexed and plan.empty and config.index_publish == "pull-request":
        index = retire_index_pull(config, github)
    return ReleaseResult(
        config,
        plan,
        tuple(rows),
        tuple(released),
        index,
        failures=failures,
        index_error=index_error,
        pushed=tuple(pushed),
        registry_error=registry_error,
    )


def report(result: ReleaseResult, runner: Runner) -> None:
    """Outputs and the step summary; fails the run when a chart or the index failed."""
    config = result.config
    if config.dry_run:
        chosen = [release.chart for release in result.plan.releases]
        versions = [release.version for release in result.plan.releases]
    else:
        by_name = {release.name: release for release in result.plan.releases}
        chosen = [by_name[release.name].chart for release in result.released]
        versions = [release.version for release in result.released]
    runner.set_output("changed-charts", ",".join(_chart_dir(chart) for chart in chosen))
    runner.set_output("released", json.dumps([release.as_output() for release in result.released]))
    runner.set_output("chart-version", versions[0] if versions else "")
    runner.set_output("index-updated", "true" if result.index.updated else "false")
    set_pull_request_outputs(runner, result.index.proposal)
    runner.set_output("pushed", json.dumps([chart.as_output() for chart in result.pushed]))
    if result.diff and runner.in_actions:  # on a terminal the summary below shows it
        with runner.group(f"Index diff ({config.index_path})"):
            runner.print_untrusted(result.diff.rstrip("\n"))
    index_line = _index_line(result) if "pages-index" in config.publish else ""
    registry_line = _registry_line(result)
    runner.add_summary(
        render_summary(
            result.rows,
            index_line="\n\n".join(line for line in (index_line, registry_line) if line),
            dry_run=config.dry_run,
        )
    )
    if result.failures:
        raise ChecksFailed(f"{result.failures} step(s) of the release failed; see the errors above")


def set_pull_request_outputs(runner: Runner, proposal: Proposal | None) -> None:
    """create-pull-request's outputs: the index pull request, or empty with operation none."""
    outputs = Proposal("none", "").outputs() if proposal is None else proposal.outputs()
    for name, value in outputs.items():
        runner.set_output(name, value)


@dataclass(frozen=True)
class _ChartDates:
    """When a chart was last changed: its package's mtime."""

    git: Git | None
    root: Path

    def of(self, chart: ChartFile) -> datetime:
        # Reproducible: the archive's mtimes are the chart's last commit, never the clock.
        # Outside git (a dry run on a plain directory) the newest file's mtime stands in for it.
        git, directory = self.git, chart.directory
        committed = (
            git.last_commit_time(repo_path(directory, self.root)) if git is not None else None
        )
        return committed or _newest_file_time(directory)


def _package(
    chart: ChartFile,
    workdir: Path,
    *,
    git: Git | None,
    root: Path,
    supplied: Mapping[Path, SuppliedPackage],
) -> PackagedChart:
    if chart.directory in supplied:
        return supplied_package(supplied[chart.directory], workdir)
    return package_chart(chart, workdir, mtime=_ChartDates(git, root).of(chart))


def _provenance_of(packaged: PackagedChart) -> Path | None:
    prov = provenance_path(packaged.path)
    return prov if prov.is_file() else None


def _newest_file_time(directory: Path) -> datetime:
    newest = max(
        (path.stat().st_mtime for path in directory.rglob("*") if path.is_file()),
        default=0.0,
    )
    return datetime.fromtimestamp(int(newest), UTC)


def _dry_run(
    config: ReleaseConfig,
    plan: ReleasePlan,
    published_index: str | None,
    *,
    now: datetime,
    notes_for: NotesFor,
    runner: Runner,
    dates: _ChartDates,
    supplied: Mapping[Path, SuppliedPackage],
) -> ReleaseResult:
    """What a release would do, with nothing written anywhere: not even into a chart.

    A release runs ``helm dependency build`` for a chart whose dependencies are not vendored,
    which writes into the chart's ``charts/``. A dry run never runs helm: it says which
    dependencies would be built. Such a chart's digest is known only after the build, so it has
    no entry in the index diff. Without helm on PATH the release would fail: so does the dry run.
    """
    helm = find_helm()
    rows: list[ChartRow] = []
    entries: list[dict[str, Any]] = []
    failures = 0
    for planned in plan.releases:
        notes_for(planned)  # a release would stop here: a missing changelog entry, say
        chart = planned.chart
        if chart.directory in supplied:
            given = supplied[chart.directory].path
            packaged = PackagedChart(
                path=Path(given.name),
                name=chart.name,
                version=chart.version,
                digest=hashlib.sha256(given.read_bytes()).hexdigest(),
            )
            url = _expected_asset_url(config, planned, packaged)
            entries.append(_entry(config, chart, packaged, url=url, created=now))
            rows.append(_row(planned, status="planned", digest=packaged.digest))
            continue
        missing = missing_dependencies(chart)
        if missing and helm is None:
            error = missing_dependencies_error(chart, missing, helm_tried=False)
            runner.error(error.message, location=error.location, title=error.title)
            rows.append(_row(planned, status="failed", error=error.message))
            failures += 1
            continue
        if missing:
            listed = describe_dependencies(missing)
            runner.notice(
                f"{planned.name} {planned.version}: a release would first run `helm dependency"
                f" build` for {listed}; this dry run leaves the chart alone, so its package and"
                " digest are not known yet",
                location=dependency_location(chart, missing),
                title="Dependencies to build",
            )
            rows.append(_row(planned, status="planned", note=f"dependencies to build: {listed}"))
            continue
        packaged = package_chart(
            chart, Path(), mtime=dates.of(chart), helm_binary=None, write=False
        )
        url = _expected_asset_url(config, planned, packaged)
        entries.append(_entry(config, chart, packaged, url=url, created=now))
        rows.append(_row(planned, status="planned", digest=packaged.digest))
    rows.extend(_unreleased_rows(plan))
    pushes: list[str] = []
    if "oci" in config.publish:
        charts = [*(planned.chart for planned in plan.releases), *plan.published]
        pushes = would_push(config, [(chart.name, chart.version) for chart in charts])
    if "pages-index" not in config.publish:
        entries = []
    merged = merged_index_text(
        published_index, IndexChange(tuple(entries)), now, source=config.index_path
    )
    diff = ""
    if merged is not None:
        diff = index_diff(published_index, merged.text, path=config.index_path)
        if merged.rewritten_because:
            runner.warning(
                rewritten_index_warning(config, merged.rewritten_because, dry_run=True),
                title="Chart index would be rewritten",
            )
    return ReleaseResult(
        config,
        plan,
        tuple(rows),
        (),
        IndexUpdate(updated=False),
        diff=diff,
        failures=failures,
        diff_entries=len(entries) if merged is not None else 0,
        would_push=tuple(pushes),
    )


def _index_change(
    config: ReleaseConfig,
    plan: ReleasePlan,
    indexed: Sequence[tuple[str, str]],
    packages: dict[str, PackagedChart],
    now: datetime,
) -> IndexChange:
    """Entries for ``indexed`` (chart name, release asset URL); with packages-with-index the
    packages and their ``.prov`` files are hosted beside the index."""
    charts = {planned.name: planned.chart for planned in plan.releases}
    entries = tuple(
        _entry(config, charts[name], packages[name], url=url, created=now) for name, url in indexed
    )
    hosted: list[Path] = []
    if config.packages_with_index:
        for name, _ in indexed:
            hosted.append(packages[name].path)
            prov = _provenance_of(packages[name])
            if prov is not None:
                hosted.append(prov)
    return IndexChange(entries=entries, packages=tuple(hosted))


def _entry(
    config: ReleaseConfig, chart: ChartFile, packaged: PackagedChart, *, url: str, created: datetime
) -> dict[str, Any]:
    # With packages-with-index the .tgz sits next to index.yaml, and Helm resolves the
    # relative URL against the index's own URL (so private Pages sites work too).
    urls = [packaged.path.name] if config.packages_with_index else [url]
    return index_entry(chart, digest=packaged.digest, urls=urls, created=created)


def _expected_asset_url(
    config: ReleaseConfig, planned: PlannedRelease, packaged: PackagedChart
) -> str:
    repository = config.repository or "OWNER/REPO"
    return f"{config.server_url}/{repository}/releases/download/{planned.tag}/{packaged.path.name}"


def _message(plan: ReleasePlan, names: Sequence[str]) -> str:
    versions = {planned.name: planned.version for planned in plan.releases}
    return "Release " + ", ".join(f"{name} {versions[name]}" for name in names)


def _chart_dir(chart: ChartFile) -> str:
    return chart.display_directory


def _row(
    planned: PlannedRelease,
    *,
    status: str,
    published: PublishedRelease | None = None,
    digest: str = "",
    error: str = "",
    note: str = "",
) -> ChartRow:
    return ChartRow(
        name=planned.name,
        version=planned.version,
        status=status,
        path=_chart_dir(planned.chart),
        tag=planned.tag,
        release_url=published.release_url if published else "",
        asset_url=published.asset_url if published else "",
        digest=published.digest if published else digest,
        error=error,
        note=note,
    )


def _unreleased_rows(plan: ReleasePlan) -> list[ChartRow]:
    """The charts this run leaves alone: already published, or not the tag's chart."""
    rows = [_published_row(chart) for chart in plan.published]
    rows.extend(
        ChartRow(
            name=chart.name, version=chart.version, status="not-tagged", path=_chart_dir(chart)
        )
        for chart in plan.not_tagged
    )
    return sorted(rows, key=lambda row: row.name)


def _published_row(chart: ChartFile) -> ChartRow:
    return ChartRow(
        name=chart.name, version=chart.version, status="published", path=_chart_dir(chart)
    )


def _index_line(result: ReleaseResult) -> str:
    config = result.config
    where = f"`{config.index_path}` on `{config.pages_branch}`"
    if config.dry_run:
        if not result.diff:
            if result.plan.releases:
                return f"Index {where}: no entry whose digest is known yet."
            return f"Index {where}: already lists every chart version."
        count = result.diff_entries
        entries = "entry" if count == 1 else "entries"
        return f"Index {where}: would gain {count} {entries}:\n\n```diff\n{_clip(result.diff)}\n```"
    if result.index_error:
        return f"Index {where}: **{result.index_error}**."
    return f"Index {where}: {_index_outcome(config, result.index)}."


def _registry_line(result: ReleaseResult) -> str:
    config = result.config
    if "oci" not in config.publish:
        return ""
    where = f"OCI registry `{config.oci_registry}`"
    if result.registry_error:
        return f"{where}: **{result.registry_error}**."
    if config.dry_run:
        listed = "".join(f"\n- would push `{reference}`" for reference in result.would_push)
        return f"{where}:{listed or ' nothing to push.'}"
    lines = [
        f"\n- `{chart.reference}`" + ("" if chart.pushed else " (already pushed)")
        for chart in result.pushed
    ]
    return f"{where}:{''.join(lines) or ' nothing to push.'}"


def _index_outcome(config: ReleaseConfig, index: IndexUpdate) -> str:
    if index.pull_request_url:
        return f"update proposed in {index.pull_request_url}"
    if index.updated:
        commit = f"`{index.commit[:12]}`"
        if config.repository:
            commit = f"[{commit}]({config.server_url}/{config.repository}/commit/{index.commit})"
        retried = f" after {index.attempts} attempts" if index.attempts > 1 else ""
        return f"updated in {commit}{retried}"
    return "unchanged"


def _clip(text: str, limit: int = 8000) -> str:
    text = text.rstrip("\n")
    return text if len(text) <= limit else text[:limit] + "\n… (clipped)"
