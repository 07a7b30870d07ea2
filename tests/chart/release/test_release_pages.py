"""Publishing the index on the pages branch of a real bare origin: bootstrap, races, PR mode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.release.config import ReleaseConfig
from release_actions.chart.release.pages import (
    IndexChange,
    apply_index_change,
    publish_index,
    pull_request_branch,
)
from release_actions.chart.release.published import read_published_index
from release_actions.chart.repo.index import published_versions
from release_actions.errors import ReleaseActionsError
from release_actions.git import BOT_EMAIL, BOT_NAME, Git, PushResult
from release_actions.github import GitHub
from support.fake_github import FakeGitHub
from support.git_repos import GitFixtureError, GitProject, WorkingCopy

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
CONFIG = ReleaseConfig(repository="octo/charts")


def entry(name: str, version: str, digest: str = "ab" * 32) -> dict[str, Any]:
    return {
        "apiVersion": "v2",
        "name": name,
        "version": version,
        "digest": digest,
        "urls": [f"https://example.com/{name}-{version}.tgz"],
        "created": "2025-03-01T12:00:00Z",
        "description": f"The {name} chart",
    }


def change(*entries: dict[str, Any], packages: tuple[Path, ...] = ()) -> IndexChange:
    return IndexChange(entries=entries, packages=packages)


def index_on_origin(project: GitProject, path: str = "index.yaml") -> dict[str, set[str]]:
    content = project.origin_file("gh-pages", path)
    assert content is not None, f"{path} is missing on gh-pages"
    return published_versions(content.decode())


def test_a_missing_pages_branch_is_bootstrapped(git_project: GitProject) -> None:
    git = git_project.work.client()
    update = publish_index(
        git, CONFIG, change(entry("hami", "2.10.0")), generated=NOW, github=None, message="Add"
    )
    assert update.updated and update.attempts == 1
    assert index_on_origin(git_project) == {"hami": {"2.10.0"}}
    assert git_project.origin_author("gh-pages") == f"{BOT_NAME} <{BOT_EMAIL}>"
    assert git_project.origin_log("gh-pages") == ["Add"]
    # The pages branch is an orphan: it shares no history with main.
    assert "Initial commit" not in git_project.origin_log("gh-pages")


def test_publishing_the_same_entries_again_changes_nothing(git_project: GitProject) -> None:
    git = git_project.work.client()
    first = change(entry("hami", "2.10.0"))
    publish_index(git, CONFIG, first, generated=NOW, github=None, message="Add")
    before = git_project.origin_sha("refs/heads/gh-pages")
    again = publish_index(git, CONFIG, first, generated=NOW, github=None, message="Add again")
    assert not again.updated
    assert git_project.origin_sha("refs/heads/gh-pages") == before


def test_a_published_version_with_another_digest_is_refused(git_project: GitProject) -> None:
    git = git_project.work.client()
    first = change(entry("hami", "1.0.0"))
    publish_index(git, CONFIG, first, generated=NOW, github=None, message="a")
    with pytest.raises(ReleaseActionsError, match="hami"):
        publish_index(
            git,
            CONFIG,
            change(entry("hami", "1.0.0", digest="cd" * 32)),
            generated=NOW,
            github=None,
            message="b",
        )


class RacingGit(Git):
    """A clone whose first push attempt is overtaken: ``before_first_apply`` runs another
    release to completion after this one checked out the pages branch and before it pushes."""

    def __init__(self, path: Path, before_first_apply: Callable[[], None]) -> None:
        super().__init__(path, sleep=lambda seconds: None, jitter=lambda: 0.5)
        self._before_first_apply = before_first_apply

    def _sibling(self, path: Path) -> Git:
        return RacingGit(path, self._before_first_apply)

    def push_with_retry(
        self, branch: str, apply_change: Callable[[Git], bool], message: str, **options: Any
    ) -> PushResult:
        calls = 0

        def overtaken(worktree: Git) -> bool:
            nonlocal calls
            calls += 1
            if calls == 1:
                self._before_first_apply()
            return apply_change(worktree)

        return super().push_with_retry(branch, overtaken, message, **options)


@pytest.mark.parametrize("bootstrapped", [True, False], ids=["existing-branch", "new-branch"])
def test_two_releases_racing_on_the_pages_branch_both_land(
    git_project: GitProject, bootstrapped: bool
) -> None:
    if bootstrapped:
        git_project.seed_branch("gh-pages", {"README.md": "Helm repository\n"})
    other_clone = git_project.clone("other")

    def other_release() -> None:
        publish_index(
            other_clone.client(),
            CONFIG,
            change(entry("web", "0.2.0")),
            generated=NOW,
            github=None,
            message="Release web 0.2.0",
        )

    racing = RacingGit(git_project.work.path, other_release)
    update = publish_index(
        racing,
        CONFIG,
        change(entry("analysis", "0.1.1")),
        generated=NOW,
        github=None,
        message="Release analysis 0.1.1",
    )
    assert update.updated
    assert update.attempts == 2  # rejected once, re-applied on the fresh index, pushed
    assert index_on_origin(git_project) == {"analysis": {"0.1.1"}, "web": {"0.2.0"}}
    assert git_project.origin_log("gh-pages")[:2] == [
        "Release analysis 0.1.1",
        "Release web 0.2.0",
    ]


def test_packages_with_index_are_hosted_next_to_the_index(
    git_project: GitProject, tmp_path: Path
) -> None:
    config = replace(CONFIG, packages_with_index=True, index_path="charts/index.yaml")
    package = tmp_path / "hami-2.10.0.tgz"
    package.write_bytes(b"first build")
    git = git_project.work.client()
    hosted = change(entry("hami", "2.10.0"), packages=(package,))
    publish_index(git, config, hosted, generated=NOW, github=None, message="Add")
    assert git_project.origin_file("gh-pages", "charts/hami-2.10.0.tgz") == b"first build"
    assert index_on_origin(git_project, "charts/index.yaml") == {"hami": {"2.10.0"}}

    package.write_bytes(b"other bytes")
    rebuilt = change(entry("hami", "2.10.1"), packages=(package,))
    with pytest.raises(ReleaseActionsError, match=r"hami-2\.10\.0\.tgz on the pages branch"):
        publish_index(git, config, rebuilt, generated=NOW, github=None, message="Again")


def test_pages_html_lists_the_charts(tmp_path: Path) -> None:
    config = replace(CONFIG, pages_html=True, repository="telepace/helm-charts")
    assert apply_index_change(tmp_path, config, change(entry("web", "0.2.0")), NOW)
    html = (tmp_path / "index.html").read_text()
    assert "helm repo add telepace https://telepace.github.io/helm-charts/" in html
    assert "<title>telepace/helm-charts charts</title>" in html
    assert '<p class="description">The web chart</p>' in html
    assert "helm install web telepace/web --version 0.2.0" in html
    assert '<a href="https://example.com/web-0.2.0.tgz">.tgz</a>' in html
    assert not apply_index_change(tmp_path, config, change(entry("web", "0.2.0")), NOW)


def test_pages_html_next_to_an_index_in_a_subdirectory_adds_that_subdirectory(
    tmp_path: Path,
) -> None:
    config = replace(
        CONFIG, pages_html=True, repository="octo/charts", index_path="stable/index.yaml"
    )
    assert apply_index_change(tmp_path, config, change(entry("web", "0.2.0")), NOW)
    assert not (tmp_path / "index.html").exists()
    html = (tmp_path / "stable" / "index.html").read_text()
    # Helm fetches <url>/index.yaml: the URL is the index's directory, not the site's root.
    assert "helm repo add octo https://octo.github.io/charts/stable/\n" in html


def test_pull_request_mode_proposes_the_index_and_stays_idempotent(
    git_project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    git_project.seed_branch("gh-pages", {"index.yaml": "apiVersion: v1\nentries: {}\n"})
    pages_before = git_project.origin_sha("refs/heads/gh-pages")
    config = replace(CONFIG, index_publish="pull-request")
    git = git_project.work.client()
    head = pull_request_branch(config)

    first = publish_index(
        git, config, change(entry("hami", "2.10.0")), generated=NOW, github=github_client,
        message="Release hami 2.10.0",
    )  # fmt: skip
    assert first.pull_request_url.endswith("/pull/1")
    assert git_project.origin_sha("refs/heads/gh-pages") == pages_before
    proposed = git_project.origin_file(head, "index.yaml")
    assert proposed is not None and published_versions(proposed.decode()) == {"hami": {"2.10.0"}}
    assert [(p.head, p.base) for p in fake_github.pulls] == [(head, "gh-pages")]
    branch_sha = git_project.origin_sha(f"refs/heads/{head}")

    # A re-run while the pull request is open: the same proposal, so nothing moves.
    again = publish_index(
        git, config, change(entry("hami", "2.10.0")), generated=NOW, github=github_client,
        message="Release hami 2.10.0",
    )  # fmt: skip
    assert git_project.origin_sha(f"refs/heads/{head}") == branch_sha
    assert len(fake_github.pulls) == 1
    assert not again.updated

    # Another release before the merge: one pull request that now adds both.
    publish_index(
        git, config, change(entry("hami", "2.10.0"), entry("web", "0.1.0")), generated=NOW,
        github=github_client, message="Release hami 2.10.0, web 0.1.0",
    )  # fmt: skip
    proposed = git_project.origin_file(head, "index.yaml")
    assert proposed is not None
    assert published_versions(proposed.decode()) == {"hami": {"2.10.0"}, "web": {"0.1.0"}}
    assert len(fake_github.pulls) == 1
    assert fake_github.pull(1).title == "Release hami 2.10.0, web 0.1.0"


def test_pull_request_mode_creates_a_missing_pages_branch_directly(
    git_project: GitProject, fake_github: FakeGitHub, github_client: GitHub
) -> None:
    config = replace(CONFIG, index_publish="pull-request")
    update = publish_index(
        git_project.work.client(), config, change(entry("hami", "2.10.0")), generated=NOW,
        github=github_client, message="Release hami 2.10.0",
    )  # fmt: skip
    assert update.updated and not update.pull_request_url
    assert index_on_origin(git_project) == {"hami": {"2.10.0"}}
    assert fake_github.pulls == []


# -- only the pages branch's tip is fetched where nothing else is needed --------------------------

OLD_INDEX = 'apiVersion: v1\nentries: {}\ngenerated: "2025-01-01T00:00:00Z"\n'


def pages_with_history(project: GitProject) -> tuple[str, str]:
    """A pages branch of two commits; returns (first, tip)."""
    first = project.seed_branch("gh-pages", {"index.yaml": OLD_INDEX}, "first")
    index = OLD_INDEX.replace("2025-01-01", "2025-02-01")
    tip = project.seed_branch("gh-pages", {"index.yaml": index}, "second")
    return first, tip


def has_commit(clone: WorkingCopy, sha: str) -> bool:
    try:
        clone.git("cat-file", "-e", f"{sha}^{{commit}}")
    except GitFixtureError:
        return False
    return True


def test_a_shallow_clone_reads_the_published_index_from_the_pages_tip_alone(
    git_project: GitProject,
) -> None:
    first, tip = pages_with_history(git_project)
    shallow = git_project.clone("shallow", depth=1)
    index = read_published_index(shallow.client(), "gh-pages", "index.yaml")
    assert index is not None and "2025-02-01" in index
    assert has_commit(shallow, tip)
    assert not has_commit(shallow, first)  # the branch's history was not downloaded


def test_a_full_clone_is_not_made_shallow_by_reading_the_index(git_project: GitProject) -> None:
    first, _ = pages_with_history(git_project)
    full = git_project.clone("full")
    assert read_published_index(full.client(), "gh-pages", "index.yaml") is not None
    # A --depth fetch would mark the whole clone shallow, and the history checks would then
    # fetch everything again.
    assert full.git("rev-parse", "--is-shallow-repository").strip() == "false"
    assert has_commit(full, first)


def test_a_shallow_clone_commits_the_index_on_the_pages_tip_alone(
    git_project: GitProject,
) -> None:
    first, _ = pages_with_history(git_project)
    shallow = git_project.clone("shallow", depth=1)
    update = publish_index(
        shallow.client(), CONFIG, change(entry("hami", "2.10.0")), generated=NOW, github=None,
        message="Add hami",
    )  # fmt: skip
    assert update.updated
    assert index_on_origin(git_project) == {"hami": {"2.10.0"}}
    assert git_project.origin_log("gh-pages")[:3] == ["Add hami", "second", "first"]
    assert not has_commit(shallow, first)


def test_pages_html_links_the_prov_beside_a_hosted_package(tmp_path: Path) -> None:
    config = replace(CONFIG, pages_html=True, packages_with_index=True)
    (tmp_path / "web-0.2.0.tgz.prov").write_text("signature")
    hosted = entry("web", "0.2.0") | {"urls": ["web-0.2.0.tgz"]}
    assert apply_index_change(tmp_path, config, change(hosted), NOW)
    html = (tmp_path / "index.html").read_text()
    assert '<a href="web-0.2.0.tgz">.tgz</a> <a href="web-0.2.0.tgz.prov">.prov</a>' in html
