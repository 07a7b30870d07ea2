"""``release-actions chart check`` and ``chart bump`` through the CLI's one error funnel."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from release_actions import cli
from release_actions.chart import check_command
from release_actions.cli_help import CommandParser
from support.git_repos import GitProject
from support.git_repos import write_files as write


@pytest.fixture(autouse=True)
def chart_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``chart`` noun with just these subcommands, under the real ``main`` funnel."""

    def build_parser(argv: object = None) -> argparse.ArgumentParser:
        parser = CommandParser(prog="release-actions")
        commands = parser.add_subparsers(dest="command", required=True)
        chart = commands.add_parser("chart")
        check_command.register(chart.add_subparsers(dest="chart_command", required=True))
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)


class Run:
    def __init__(self, code: int, output: str, summary: str) -> None:
        self.code = code
        self.output = output
        self.summary = summary


def run(root: Path, *argv: str, actions: bool = True) -> Run:
    stream = io.StringIO()
    environ: dict[str, str] = {}
    summary = root.parent / f"{root.name}-summary.md"
    if actions:
        output = root.parent / f"{root.name}-output"
        output.touch()
        summary.write_text("")
        environ = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    code = cli.main(["chart", *argv], environ=environ, stream=stream, cwd=root)
    text = summary.read_text(encoding="utf-8") if actions else ""
    return Run(code, stream.getvalue(), text)


GOOD = "apiVersion: v2\nname: good\nversion: 1.0.0\n"


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"apiVersion: v2\nname: bad\nversion: 1.0.0\ndependencies:\n\t- name: x\n", 5, "tab"),
        (b"apiVersion: v2\nname: bad\nversion: 1.0.0\nname: again\n", 4, "duplicate key 'name'"),
        (b"apiVersion: v2\nname: bad\nversion: 1.10\n", 3, "would be read as 1.1"),
        (
            b"apiVersion: v2\nname: bad\ndescription: caf\xe9\nversion: 1.0.0\n",
            3,
            "not valid UTF-8",
        ),
    ],
)
def test_a_malformed_chart_yaml_is_one_annotation_with_its_line_and_exit_1(
    tmp_path: Path, content: bytes, line: int, words: str
) -> None:
    write(tmp_path, {"charts/bad/Chart.yaml": content, "charts/good/Chart.yaml": GOOD})
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = run(tmp_path, "check")
    assert result.code == 1
    errors = [text for text in result.output.splitlines() if text.startswith("::error")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"::error file=charts/bad/Chart.yaml,line={line},")
    assert words in errors[0]
    assert "Traceback" not in result.output
    assert (
        "❌ 1 problem" in result.summary
        and "| good (`charts/good`) | 1.0.0 | — | ✅ |" in result.summary
    )
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before  # a check writes nothing


def test_a_clean_repository_passes(tmp_path: Path) -> None:
    write(tmp_path, {"deploy/charts/good/Chart.yaml": GOOD})
    result = run(tmp_path, "check", "--charts-dir", "deploy", actions=False)
    assert result.code == 0, result.output
    assert "no problems found" in result.output


def test_policies_and_tag_from_flags(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "charts/hami/Chart.yaml": (
                "apiVersion: v2\nname: hami\nversion: 2.8.1\nappVersion: 2.8.1\n"
            ),
            "charts/hami/values.yaml": "global:\n  imageTag: v2.8.1\n",
        },
    )
    policy = ["--app-version-policy", "equal", "--values-check", "global.imageTag = v{version}"]
    assert run(tmp_path, "check", *policy).code == 0
    result = run(tmp_path, "check", *policy, "--tag-template", "v{version}", "--tag", "v2.8.2")
    assert result.code == 1
    assert (
        "::error file=charts/hami/Chart.yaml,line=3,col=10,title=chart tag-version::"
        in result.output
    )


def test_a_pull_request_without_a_version_bump_fails(tmp_path: Path) -> None:
    project = GitProject.create(tmp_path / "git")
    work = project.work
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api")}, "add api")
    work.push()
    work.checkout("feature", create=True)
    work.commit({"charts/api/values.yaml": "replicas: 2\n"}, "change api")
    result = run(work.path, "check", "--target-branch", "main")
    assert result.code == 1
    assert "title=chart version-bump::files of chart api changed" in result.output
    assert "| api (`charts/api`) | 1.0.0 | yes | ❌ 1 problem |" in result.summary
    work.tag("api-1.0.1")
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api").replace("1.0.0", "1.0.1")})
    tagged = run(work.path, "check", "--target-branch", "main")
    assert tagged.code == 1 and "the release tag api-1.0.1 already exists" in tagged.output
    work.git("tag", "--delete", "api-1.0.1")
    assert run(work.path, "check", "--target-branch", "main").code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--app-version-policy", "same"],
        ["check", "--values-check", "no equals sign"],
        ["check", "--tag-template", "{name}"],
        ["check", "--charts-dir", "../elsewhere"],
        ["bump", "charts/good", "1.0"],
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, argv: list[str]) -> None:
    write(tmp_path, {"charts/good/Chart.yaml": GOOD})
    result = run(tmp_path, *argv, actions=False)
    assert result.code == 2, result.output


def test_bump_writes_then_has_nothing_to_do(tmp_path: Path) -> None:
    write(tmp_path, {"charts/good/Chart.yaml": GOOD + "# trailing comment\n"})
    result = run(
        tmp_path, "bump", "charts/good", "v1.1.0", "--app-version-policy", "equal", actions=False
    )
    assert result.code == 0, result.output
    assert "Reading v1.1.0 as 1.1.0" in result.output
    assert "good: 1.0.0 → 1.1.0 (charts/good/Chart.yaml)." in result.output
    assert (tmp_path / "charts/good/Chart.yaml").read_text() == (
        'apiVersion: v2\nname: good\nversion: 1.1.0\nappVersion: "1.1.0"\n# trailing comment\n'
    )
    again = run(
        tmp_path, "bump", "charts/good", "1.1.0", "--app-version-policy", "equal", actions=False
    )
    assert again.code == 0 and "already at 1.1.0: nothing to change" in again.output


def test_bump_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"charts/good/Chart.yaml": GOOD})
    result = run(tmp_path, "bump", "charts/good", "2.0.0", "--dry-run", actions=False)
    assert result.code == 0
    assert "-version: 1.0.0\n+version: 2.0.0" in result.output
    assert (tmp_path / "charts/good/Chart.yaml").read_text() == GOOD


def test_bump_of_a_broken_chart_is_an_annotated_error(tmp_path: Path) -> None:
    write(tmp_path, {"charts/bad/Chart.yaml": "name: bad\nversion: 1.0.0\nversion: 1.0.1\n"})
    result = run(tmp_path, "bump", "charts/bad", "1.0.2")
    assert result.code == 1
    assert result.output.startswith("::error file=charts/bad/Chart.yaml,line=3,col=1")


PUBLISHED_INDEX = (
    "apiVersion: v1\nentries:\n  api:\n  - apiVersion: v2\n    digest: abc\n    name: api\n"
    '    urls:\n    - api-1.0.1.tgz\n    version: 1.0.1\ngenerated: "2025-01-01T00:00:00Z"\n'
)


@pytest.mark.parametrize(
    ("options", "branch", "path"),
    [
        ((), "gh-pages", "index.yaml"),
        (
            ("--pages-branch", "helm", "--index-path", "stable/index.yaml"),
            "helm",
            "stable/index.yaml",
        ),
    ],
)
def test_a_version_already_in_origins_index_fails_as_in_the_action(
    tmp_path: Path, options: tuple[str, ...], branch: str, path: str
) -> None:
    project = GitProject.create(tmp_path / "git")
    work = project.work
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api")}, "add api")
    work.push()
    project.seed_branch(branch, {path: PUBLISHED_INDEX})
    work.checkout("feature", create=True)
    # Bumped, but to a version the index already lists (released from another branch).
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api").replace("1.0.0", "1.0.1")})
    result = run(work.path, "check", "--target-branch", "main", *options)
    assert result.code == 1, result.output
    assert "api 1.0.1 is already published in the index" in result.output
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api").replace("1.0.0", "1.0.2")})
    assert run(work.path, "check", "--target-branch", "main", *options).code == 0


def test_without_an_origin_the_published_check_is_skipped_with_a_warning(tmp_path: Path) -> None:
    project = GitProject.create(tmp_path / "git")
    work = project.work
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api")}, "add api")
    work.checkout("feature", create=True)
    work.commit({"charts/api/Chart.yaml": GOOD.replace("good", "api").replace("1.0.0", "1.0.1")})
    work.git("remote", "remove", "origin")
    result = run(work.path, "check", "--target-branch", "main", actions=False)
    assert result.code == 0, result.output
    assert "warning: cannot read what is already published" in result.output


def test_a_chart_without_chart_yaml_gets_a_warning_naming_it(tmp_path: Path) -> None:
    write(tmp_path, {"charts/good/Chart.yaml": GOOD, "charts/app/values.yaml": "image: x\n"})
    result = run(tmp_path, "check")
    assert result.code == 0, result.output
    assert (
        "::warning title=chart chart-lookalike::charts/app looks like a chart (it has templates/ "
        "or values.yaml) but has no Chart.yaml, so it is skipped; add Chart.yaml, or exclude the "
        "directory"
    ) in result.output
    assert "Checked 1 chart(s): no errors, 1 warning(s)." in result.output


def test_bump_prints_the_chart_name_inside_stop_commands_in_actions(tmp_path: Path) -> None:
    """A chart name is repository text: inside Actions it never runs as a workflow command."""
    chart = tmp_path / "charts" / "demo"
    chart.mkdir(parents=True)
    (chart / "Chart.yaml").write_text('apiVersion: v2\nname: "::error::pwned"\nversion: 1.0.0\n')
    output = tmp_path / "output"
    output.touch()
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)}
    stream = io.StringIO()

    code = cli.main(
        ["chart", "bump", "charts/demo", "1.0.1"], environ=environ, stream=stream, cwd=tmp_path
    )

    lines = stream.getvalue().splitlines()
    assert code == 0, lines
    named = next(i for i, line in enumerate(lines) if line.startswith("::error::pwned"))
    assert lines[named - 1].startswith("::stop-commands::")
