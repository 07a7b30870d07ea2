"""Issue 9, high: the release flow publishes nothing from outside the repository.

A chart whose link leads out is refused before any release exists; a symlinked directory (or
index) on the pages branch is refused, never written through. Real git, the fake GitHub.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.fake_github import FakeGitHub
from support.git_repos import GitProject, Symlink

from .test_release_flow import Bench, chart_files, commit_charts


@pytest.fixture
def bench(git_project: GitProject, fake_github: FakeGitHub) -> Bench:
    return Bench(git_project, fake_github)


@pytest.mark.parametrize(
    "target", ["/etc/passwd", "/proc/self/environ", "../../../.git/config"], ids=str
)
def test_a_chart_linking_out_is_refused_and_nothing_is_released(bench: Bench, target: str) -> None:
    files: dict[str, str | Symlink] = {**chart_files("charts/hami", "hami", "2.10.0")}
    files["charts/hami/templates/leak.txt"] = Symlink(target)
    bench.project.work.commit(files, "hostile link")
    bench.project.work.push()

    run = bench.release()

    assert run.exit_code == 1
    assert run.error is not None
    # The pull-request check reads every file Helm would package, so the release's own checks
    # refuse the link before anything is built, naming the chart, the link and its target.
    refusal = next(line for line in run.log.splitlines() if "templates/leak.txt" in line)
    assert "charts/hami" in refusal and "symbolic link to" in refusal
    assert bench.release_creations() == []
    assert bench.project.origin_file("gh-pages", "index.yaml") is None


@pytest.mark.parametrize("dry_run", [False, True], ids=["release", "dry-run"])
def test_a_link_to_the_environment_fails_the_release_and_the_dry_run(
    bench: Bench, dry_run: bool
) -> None:
    files: dict[str, str | Symlink] = {**chart_files("charts/hami", "hami", "2.10.0")}
    files["charts/hami/README.md"] = Symlink("/proc/self/environ")
    bench.project.work.commit(files, "hostile link")
    bench.project.work.push()

    run = bench.release(dry_run=dry_run)

    assert run.exit_code == 1
    assert run.error is not None and "outside the repository" in run.log


def test_a_symlinked_directory_on_the_pages_branch_is_refused_not_written_through(
    bench: Bench, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    bench.project.seed_branch("gh-pages", {"charts": Symlink(str(outside))})
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))

    run = bench.release(index_path="charts/index.yaml", packages_with_index=True)

    assert run.exit_code == 1
    assert "charts is a symbolic link to" in run.log
    assert list(outside.iterdir()) == []
    assert bench.project.origin_file("gh-pages", "charts/index.yaml") is None


def test_an_index_that_is_a_link_on_the_pages_branch_is_refused(
    bench: Bench, tmp_path: Path
) -> None:
    outside = tmp_path / "index.yaml"
    outside.write_text("apiVersion: v1\nentries: {}\n")
    bench.project.seed_branch("gh-pages", {"index.yaml": Symlink(str(outside))})
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))

    run = bench.release()

    # Read from git, the link is its target's path: not an index, so nothing is released.
    assert run.exit_code == 1
    assert run.error is not None and "must be a mapping (a Helm index)" in run.error.message
    assert bench.release_creations() == []
    assert outside.read_text() == "apiVersion: v1\nentries: {}\n"


def test_an_index_html_that_is_a_link_on_the_pages_branch_is_not_written_through(
    bench: Bench, tmp_path: Path
) -> None:
    outside = tmp_path / "index.html"
    outside.write_text("theirs")
    bench.project.seed_branch(
        "gh-pages",
        {"index.yaml": "apiVersion: v1\nentries: {}\n", "index.html": Symlink(str(outside))},
    )
    commit_charts(bench.project.work, chart_files("charts/hami", "hami", "2.10.0"))

    run = bench.release(pages_html=True)

    assert run.exit_code == 1
    assert "index.html is a symbolic link to" in run.log
    assert outside.read_text() == "theirs"
    assert bench.index() == {}
