"""The command line for a person at a terminal: usage, help, suggestions, and no plumbing."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from release_actions.cli import build_parser, main
from release_actions.cli_help import EXAMPLES, every_parser

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str, cwd: Path | None = None) -> tuple[int, str, str]:
    code = main(list(argv), environ={}, cwd=cwd or Path.cwd())
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_no_arguments_prints_the_usage_and_exits_2(capsys: Capture) -> None:
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: release-actions [-h] [--version] COMMAND ...\n")
    assert "  chart " in err and "example:\n  release-actions chart release" in err


def test_a_missing_command_lists_the_commands_without_internal_names(capsys: Capture) -> None:
    code, _, err = run(capsys, "chart")
    assert code == 2
    assert err == (
        "error: release-actions chart: which command? One of: check, bump, package, index, "
        "push, verify, release, html, action (see release-actions chart --help)\n"
    )
    for area in ("changelog", "upgrade-config"):
        _, _, err = run(capsys, area)
        assert "_command" not in err and "which command?" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chart", "relase"], "release-actions chart: no command 'relase'; did you mean release?"),
        (
            ["chart", "release", "--dryrun"],
            "release-actions chart release: no option --dryrun; did you mean --dry-run?",
        ),
        (  # abbreviations are off: --dry is not --dry-run
            ["changelog", "release", "1.0.0", "--dry"],
            "release-actions changelog release: no option --dry; did you mean --dry-run?",
        ),
        (
            ["changelog", "notes", "--lates", "--path", "CHANGELOG.md"],
            "release-actions changelog notes: no option --lates; did you mean --latest?",
        ),
    ],
)
def test_a_mistyped_command_or_option_suggests_the_closest(
    capsys: Capture, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", f"error: {message}\n")


def test_every_option_has_a_help_line_and_every_command_an_example() -> None:
    parsers = list(every_parser(build_parser()))
    assert len(parsers) >= 20
    for parser in parsers:
        assert parser.allow_abbrev is False, parser.prog
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(choice.help for choice in action._choices_actions), parser.prog
            else:
                assert action.help, f"{parser.prog} {action.option_strings or action.dest}"
        assert parser.epilog == f"example:\n  {EXAMPLES[parser.prog]}", parser.prog
    assert set(EXAMPLES) == {parser.prog for parser in parsers}


def test_a_dry_run_reads_as_text_and_outputs_only_when_asked(
    tmp_path: Path, capsys: Capture
) -> None:
    shutil.copytree(EXAMPLES_DIR / "hami-like", tmp_path / "hami-like")
    cwd = tmp_path / "hami-like"
    argv = ("chart", "release", "--dry-run", "--repository", "o/r")

    code, out, _ = run(capsys, *argv, cwd=cwd)
    assert code == 0
    assert "Would release hami 2.10.0. Nothing was changed." in out
    assert "released: []" not in out and "changed-charts:" not in out

    code, out, _ = run(capsys, *argv, "--outputs", cwd=cwd)
    assert code == 0 and out.endswith(
        "changed-charts: charts/hami\nreleased: []\nchart-version: 2.10.0\nindex-updated: false\n"
        "pull-request-number: \npull-request-url: \npull-request-operation: none\n"
        "pull-request-head-sha: \npull-request-branch: \npushed: []\n"
    )

    code, out, err = run(capsys, *argv, "--json", cwd=cwd)
    assert code == 0 and "would be released (dry run)" in err
    assert json.loads(out) == {
        "changed-charts": "charts/hami",
        "released": "[]",
        "chart-version": "2.10.0",
        "index-updated": "false",
        "pull-request-number": "",
        "pull-request-url": "",
        "pull-request-operation": "none",
        "pull-request-head-sha": "",
        "pull-request-branch": "",
        "pushed": "[]",
    }


def test_an_unknown_repository_outside_actions_names_the_flag_to_pass(
    tmp_path: Path, capsys: Capture
) -> None:
    shutil.copytree(EXAMPLES_DIR / "hami-like", tmp_path / "hami-like")
    code, _, err = run(capsys, "chart", "release", "--dry-run", cwd=tmp_path / "hami-like")
    assert code == 0
    assert (
        "notice: the repository is unknown (GITHUB_REPOSITORY is not set and origin names none), "
        "so the release URLs below say OWNER/REPO; pass --repository OWNER/NAME"
    ) in err
    code, _, err = run(capsys, "chart", "release", "--dry-run", "--repository", "o/r",
                         cwd=tmp_path / "hami-like")  # fmt: skip
    assert "repository is unknown" not in err


def test_the_changelog_action_outside_actions_says_to_set_the_repository(
    tmp_path: Path, capsys: Capture
) -> None:
    environ = {"INPUT_MODE": "release-pr", "INPUT_VERSION": "1.0.0"}
    code = main(["changelog", "action"], environ=environ, cwd=tmp_path)
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "error: mode 'release-pr' needs the GitHub API, but GITHUB_REPOSITORY is not set: outside "
        "GitHub Actions, set GITHUB_REPOSITORY=OWNER/NAME (and INPUT_TOKEN)\n"
    )


# Needs GitHub (a token, the latest release), a registry or a keyring, which a test has only as
# the fakes on loopback (tests/chart/registry and tests/chart/provenance run those commands).
NEEDS_GITHUB = {
    "release-actions upgrade-config action",
    "release-actions chart push",
    "release-actions chart verify",
}
# An example that works on what others made, in order.
NEEDS_FIRST = {
    "release-actions chart index": ("release-actions chart package",),
    "release-actions chart html": ("release-actions chart package", "release-actions chart index"),
}


@pytest.mark.parametrize("prog", sorted(set(EXAMPLES) - NEEDS_GITHUB))
def test_every_help_example_runs_from_the_repository_root(
    prog: str, tmp_path: Path, capsys: Capture
) -> None:
    shutil.copytree(EXAMPLES_DIR, tmp_path / "examples")
    for name in (*NEEDS_FIRST.get(prog, ()), prog):
        words = shlex.split(EXAMPLES[name])
        environ = {}
        while "=" in words[0]:
            key, _, value = words.pop(0).partition("=")
            environ[key] = value
        assert words[0] == "release-actions"
        code = main(words[1:], environ=environ, cwd=tmp_path)
        captured = capsys.readouterr()
        assert code == 0, f"{EXAMPLES[name]}\n{captured.out}{captured.err}"


def loaded_after(modules: str, *heavy: str) -> list[str]:
    """Which of the ``heavy`` packages a fresh interpreter holds after importing ``modules``."""
    code = (
        f"import json, sys, {modules}; print(json.dumps(sorted(set({heavy!r}) & set(sys.modules))))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(completed.stdout)
    return loaded


def test_start_up_imports_neither_pygithub_nor_httpx() -> None:
    """Start-up is a feature: ``--help`` and the light commands do not pay for them."""
    assert loaded_after("release_actions.cli", "github", "httpx") == []


@pytest.mark.parametrize(
    "module",
    [
        "release_actions.upgrade_config.action",
        "release_actions.chart.action",
        "release_actions.changelog.action",
    ],
)
def test_loading_an_action_imports_neither_pygithub_nor_httpx(module: str) -> None:
    """An action's handler loads them only when it makes a client: a check or a skip never pays."""
    assert loaded_after(f"release_actions.cli, {module}", "github", "httpx") == []


def test_upgrade_config_reads_json_without_loading_pyyaml() -> None:
    """Its files are JSON: the YAML bounds in ``limits`` load PyYAML only for a YAML check."""
    modules = "release_actions.upgrade_config.commands, release_actions.upgrade_config.action"
    assert loaded_after(f"release_actions.cli, {modules}", "yaml") == []


def test_the_github_client_does_not_import_httpx() -> None:
    """A run that needs GitHub and no other HTTP client pays for PyGithub alone."""
    assert loaded_after("release_actions.github", "github", "httpx") == ["github"]
