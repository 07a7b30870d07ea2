"""After any of our actions, the caller's later steps see the job as it was before it.

Each action runs in a shallow checkout (actions/checkout's default) between two dumps of the
job's state: every environment variable, PATH, the checkout's local git config, its refs,
shallow list, worktrees and status. The dumps must be equal, and no problem matcher may be
registered.
"""

from __future__ import annotations

from pathlib import Path

from support.act import Act, ActRun
from support.act_events import pull_request, push, release
from support.fake_github import FakeGitHub
from support.git_repos import GitProject

from .test_readme_changelog import entry_added
from .workflows import example_files, readme_workflows

# Set by the runner for each step: they differ between any two steps, ours or not.
PER_STEP = (
    "GITHUB_ACTION=",
    "GITHUB_ACTION_PATH=",
    "GITHUB_ACTION_REPOSITORY=",
    "GITHUB_ACTION_REF=",
    "TRACE_NAME=",
    "GITHUB_STEP_SUMMARY=",
    "GITHUB_OUTPUT=",
    "GITHUB_STATE=",
    "GITHUB_ENV=",
    "GITHUB_PATH=",
)


def state(directory: Path) -> dict[str, str]:
    dumps = {}
    for item in sorted(directory.iterdir()):
        text = item.read_text(encoding="utf-8")
        if item.name == "env":
            text = "\n".join(line for line in text.splitlines() if not line.startswith(PER_STEP))
        dumps[item.name] = text
    return dumps


def assert_no_trace(run: ActRun, *steps: str) -> None:
    assert run.returncode == 0, run.log
    assert "add-matcher" not in run.log
    for step in steps:
        before = state(run.trace_dir / f"{step}-before")
        after = state(run.trace_dir / f"{step}-after")
        for name in before:
            assert after[name] == before[name], f"{step} changed {name}"
        assert before["git-shallow"].startswith("true"), "the checkout was meant to be shallow"


def test_chart_release_and_check_leave_the_checkout_as_found(
    act: Act, git_project: GitProject, fake_github: FakeGitHub
) -> None:
    git_project.work.commit(example_files("hami-like"), "Add the hami chart")
    git_project.work.push()
    git_project.work.tag("v0.0.1")
    git_project.work.push(tags=True)
    git_project.seed_branch("gh-pages", {"README.md": "pages\n"}, "Start the pages")
    workflow = readme_workflows("README.md")["charts.yml"]
    shallow = git_project.clone("shallow", depth=1)

    run = act.run(
        workflow, "push", push(fake_github, shallow), shallow.path, github=fake_github, trace=True
    )

    assert fake_github.release("hami-2.10.0") is not None, run.log
    assert_no_trace(run, "charts-step1")

    git_project.work.checkout("bump", create=True)
    chart = git_project.work.read("charts/hami/Chart.yaml").replace("2.10.0", "2.10.1")
    values = git_project.work.read("charts/hami/values.yaml").replace("v2.10.0", "v2.10.1")
    git_project.work.commit(
        {"charts/hami/Chart.yaml": chart, "charts/hami/values.yaml": values}, "Bump"
    )
    git_project.work.push("bump")
    pull = fake_github.add_pull("bump", files=["charts/hami/Chart.yaml"])
    pr_checkout = git_project.clone("pr", branch="bump", depth=1)
    pr_checkout.git("fetch", "--quiet", "--depth=1", "origin", "main:refs/remotes/origin/main")
    event = pull_request(fake_github, pr_checkout, pull.number, head_ref="bump")

    check = act.run(
        workflow, "pull_request", event, pr_checkout.path, github=fake_github, trace=True
    )

    assert check.step("step1").outcome == "success", check.log
    assert_no_trace(check, "charts-step1")


def test_changelog_and_upgrade_config_leave_the_checkout_as_found(
    act: Act, git_project: GitProject, fake_github: FakeGitHub
) -> None:
    git_project.work.commit(example_files("changelog"), "Release 1.2.1")
    git_project.work.commit(
        {
            "config/app-upgrade-segments.json": (
                '{"segments": [{"id": "v1", "type": "latest", "match": {"range": ">=1.0.0 <2.0.0"},'
                ' "minCompatibleVersion": "1.0.0", "description": "v1"}]}\n'
            )
        },
        "Add segments",
    )
    git_project.work.push()
    git_project.work.checkout("feature", create=True)
    git_project.work.commit({"docs/CHANGELOG/CHANGELOG-1.2.md": entry_added(git_project)}, "Entry")
    git_project.work.push("feature")
    pull = fake_github.add_pull("feature", files=["docs/CHANGELOG/CHANGELOG-1.2.md"])
    checkout = git_project.clone("pr", branch="feature", depth=1)
    checkout.git("fetch", "--quiet", "--depth=1", "origin", "main:refs/remotes/origin/main")
    changelog = readme_workflows("README.md")["changelog.yml"]
    changelog["jobs"]["changelog"]["steps"][1]["with"].pop("update-release")

    run = act.run(
        changelog,
        "pull_request",
        pull_request(fake_github, checkout, pull.number, head_ref="feature"),
        checkout.path,
        github=fake_github,
        trace=True,
    )

    assert run.step("step1").outputs["mode"] == "pr", run.log
    assert_no_trace(run, "changelog-step1")

    fake_github.add_release("v1.2.1", assets={"latest.yml": b"version: 1.2.1\n"})
    main = git_project.clone("main", depth=1)
    sync = act.run(
        readme_workflows("README.md")["upgrade-config.yml"],
        "release",
        release(fake_github, "v1.2.1"),
        main.path,
        github=fake_github,
        trace=True,
    )

    assert sync.step("step1").outputs["outcome"] == "updated", sync.log
    assert_no_trace(sync, "sync-step1")
