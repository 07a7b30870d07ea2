"""The release flow: plan from the published index, package, release on GitHub, publish the index.

Every step is safe to repeat. The plan lists only what the index lacks; a release that exists
with the same bytes is reused; the index merge adds only missing entries. So a run that failed
half-way is finished by the next one, and a run with nothing new changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    dependency_location,
    describe_dependencies,
    find_helm,
    missing_dependencies,
    missing_dependencies_error,
    package_chart,
)
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
) -> ReleaseResult:
    """Release every chart the index lacks. ``published_index`` is the index as it is now.

    ``tag``: the run is for this tag; with ``{name}`` in the tag template it releases the chart
    the tag names, and no other (see :func:`.plan.plan_release`).
    """
    charts = load_charts(root, config)
    listed = published_versions(published_index) if published_index else {}
    plan = plan_release(charts, listed, config.tag_template, tag=tag)
    if config.dry_run:
        return _dry_run(
            config,
            plan,
            published_index,
            now=now,
            notes_for=notes_for,
            runner=runner,
            dates=_ChartDates(git, root),
        )
    packages = {
        planned.name: _package(planned.chart, workdir, git=git, root=root)
        for planned in plan.releases
    }
    # Every body before any release: a missing changelog entry stops the run with nothing made.
    bodies = {planned.name: notes_for(planned) for planned in plan.releases}
    if plan.empty:
        unchanged = tuple(_unreleased_rows(plan))
        index = IndexUpdate(updated=False)
        if config.index_publish == "pull-request" and github is not None:
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

    index = IndexUpdate(updated=False)
    index_error = ""
    if released:
        change = _index_change(config, plan, released, packages, now)
        try:
            with runner.group(f"Update {config.index_path} on {config.pages_branch}"):
                index = publish_index(
                    git, config, change, generated=now, github=github, message=_message(released)
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
    return ReleaseResult(
        config,
        plan,
        tuple(rows),
        tuple(released),
        index,
        failures=failures,
        index_error=index_error,
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
    if result.diff and runner.in_actions:  # on a terminal the summary below shows it
        with runner.group(f"Index diff ({config.index_path})"):
            runner.info(result.diff.rstrip("\n"))
    runner.add_summary(
        render_summary(result.rows, index_line=_index_line(result), dry_run=config.dry_run)
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


def _package(chart: ChartFile, workdir: Path, *, git: Git | None, root: Path) -> PackagedChart:
    return package_chart(chart, workdir, mtime=_ChartDates(git, root).of(chart))


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
    merged = merged_index_text(published_index, IndexChange(tuple(entries)), now)
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
    )


def _index_change(
    config: ReleaseConfig,
    plan: ReleasePlan,
    released: Sequence[PublishedRelease],
    packages: dict[str, PackagedChart],
    now: datetime,
) -> IndexChange:
    charts = {planned.name: planned.chart for planned in plan.releases}
    entries = tuple(
        _entry(config, charts[r.name], packages[r.name], url=r.asset_url, created=now)
        for r in released
    )
    hosted = tuple(packages[r.name].path for r in released) if config.packages_with_index else ()
    return IndexChange(entries=entries, packages=hosted)


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


def _message(released: Sequence[PublishedRelease]) -> str:
    names = ", ".join(f"{release.name} {release.version}" for release in released)
    return f"Release {names}"


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
