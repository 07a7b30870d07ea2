from __future__ import annotations

from typing import Any

import pytest

from release_actions.changelog.flows.settings import Settings, choose_target
from release_actions.context import Workflow
from release_actions.errors import InputError
from release_actions.inputs import Inputs


def settings(**inputs: str) -> Settings:
    environ = {"INPUT_" + name.upper().replace("-", "_"): value for name, value in inputs.items()}
    return Settings.from_inputs(Inputs(environ))


def workflow(event_name: str = "push", ref: str = "refs/heads/main", **event: Any) -> Workflow:
    return Workflow(event_name=event_name, event=event, ref=ref, repository="o/r")


def test_defaults() -> None:
    parsed = settings()
    assert [template.template for template in parsed.paths] == ["CHANGELOG.md"]
    assert parsed.skip_labels == ("skip-changelog",)
    assert parsed.skip_authors == ("dependabot[bot]", "renovate[bot]")
    assert (parsed.profile, parsed.order, parsed.mode, parsed.pr_enforcement) == (
        "default",
        "desc",
        "auto",
        "error",
    )
    assert (parsed.update_release, parsed.release_body, parsed.max_notes_chars) == (
        False,
        "append",
        125_000,
    )


def test_inputs_are_parsed_strictly() -> None:
    parsed = settings(
        **{
            "paths": "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md\nCHANGELOG.md\n",
            "version-files": "charts/hami/Chart.yaml:version\nVERSION",
            "require-for-paths": "pkg/**, charts/**\n!**/*_test.go",
            "skip-labels": "skip-changelog, 🔧 tooling",
            "order": "asc",
            "update-release": "true",
        }
    )
    assert [t.template for t in parsed.paths] == [
        "docs/CHANGELOG/CHANGELOG-{major}.{minor}.md",
        "CHANGELOG.md",
    ]
    assert [str(f) for f in parsed.version_files] == ["charts/hami/Chart.yaml:version", "VERSION"]
    assert parsed.require_for_paths.patterns == ("pkg/**", "charts/**", "!**/*_test.go")
    assert parsed.skip_labels == ("skip-changelog", "🔧 tooling")
    assert parsed.order == "asc" and parsed.update_release
    for bad in ({"order": "newest"}, {"update-release": "yes"}, {"max-notes-chars": "200000"}):
        with pytest.raises(InputError):
            settings(**bad)


def test_pull_request_events_run_the_pr_checks() -> None:
    for event_name in ("pull_request", "pull_request_target"):
        target = choose_target(settings(), workflow(event_name, pull_request={"number": 3}))
        assert target.mode == "pr"


def test_a_tag_push_runs_the_release_gate() -> None:
    target = choose_target(settings(), workflow(ref="refs/tags/v2.10.0"))
    assert (target.mode, target.tag, target.subject) == ("release", "v2.10.0", "tag v2.10.0")
    assert target.version is not None and target.version.key == "2.10.0"


def test_a_release_event_runs_the_release_gate() -> None:
    target = choose_target(settings(), workflow("release", release={"tag_name": "v1.2.0-rc.1"}))
    assert target.version is not None and target.version.key == "1.2.0-rc.1"


def test_a_dispatch_with_a_version_runs_the_release_gate() -> None:
    target = choose_target(settings(), workflow("workflow_dispatch", inputs={"version": "1.3.0"}))
    assert (target.mode, target.tag, target.subject) == ("release", "v1.3.0", "version 1.3.0")
    assert choose_target(settings(), workflow("workflow_dispatch", inputs={})).mode == "lint"


def test_the_version_input_wins() -> None:
    target = choose_target(settings(version="v2.2"), workflow())
    assert (target.mode, target.tag) == ("release", "v2.2")
    assert target.version is not None and target.version.key == "2.2"


def test_anything_else_is_lint() -> None:
    assert choose_target(settings(), workflow()).mode == "lint"
    assert choose_target(settings(), workflow("merge_group")).mode == "lint"
    assert choose_target(settings(mode="lint"), workflow(ref="refs/tags/v1.0.0")).mode == "lint"


def test_mode_mistakes_are_input_errors() -> None:
    with pytest.raises(InputError, match="pr mode runs on pull_request"):
        choose_target(settings(mode="pr"), workflow())
    with pytest.raises(InputError, match="there is no version"):
        choose_target(settings(mode="release"), workflow())
    with pytest.raises(InputError, match="does not name a version"):
        choose_target(settings(), workflow(ref="refs/tags/nightly"))
    with pytest.raises(InputError, match="input 'version'"):
        choose_target(settings(version="newest"), workflow())


def test_latest_and_unreleased_are_picked_from_the_file_as_changelog_reader_does() -> None:
    latest = choose_target(settings(version="latest"), workflow())
    assert (latest.mode, latest.version, latest.pick) == ("release", None, "latest")
    unreleased = choose_target(settings(version="Unreleased"), workflow(ref="refs/tags/v1.0.0"))
    assert (unreleased.pick, unreleased.tag) == ("unreleased", "v1.0.0")
