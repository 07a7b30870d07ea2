from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from release_actions.cli import build_parser, main, run_with_error_funnel
from release_actions.context import Workflow
from release_actions.errors import ChecksFailed, ReleaseActionsError, SourceLocation, UsageError
from release_actions.runner import Runner


def actions_runner(tmp_path: Path) -> tuple[Runner, io.StringIO]:
    (tmp_path / "out").touch()
    stream = io.StringIO()
    return Runner({"GITHUB_OUTPUT": str(tmp_path / "out")}, stream), stream


def fail_with(exc: BaseException) -> int:
    raise exc


def test_user_error_becomes_an_annotation_and_exit_1(tmp_path: Path) -> None:
    runner, stream = actions_runner(tmp_path)
    error = ReleaseActionsError("version is not SemVer", location=SourceLocation("Chart.yaml", 3))
    assert run_with_error_funnel(runner, lambda: fail_with(error)) == 1
    assert stream.getvalue() == "::error file=Chart.yaml,line=3::version is not SemVer\n"


def test_usage_error_exits_2(tmp_path: Path) -> None:
    runner, stream = actions_runner(tmp_path)
    assert run_with_error_funnel(runner, lambda: fail_with(UsageError("bad flag"))) == 2
    assert stream.getvalue() == "::error::bad flag\n"


def test_checks_failed_does_not_repeat_the_findings(tmp_path: Path) -> None:
    runner, stream = actions_runner(tmp_path)
    assert run_with_error_funnel(runner, lambda: fail_with(ChecksFailed("2 findings"))) == 1
    assert "::error" not in stream.getvalue()


def test_unexpected_exception_prints_its_traceback_in_a_group(tmp_path: Path) -> None:
    runner, stream = actions_runner(tmp_path)
    assert run_with_error_funnel(runner, lambda: fail_with(KeyError("boom"))) == 1
    lines = stream.getvalue().splitlines()
    assert lines[0] == "::group::Unexpected error: KeyError"
    assert "Traceback (most recent call last):" in lines
    assert lines[-2:] == ["::endgroup::", "::error::unexpected error: KeyError: 'boom'"]


def test_unknown_command_is_a_usage_error() -> None:
    stream = io.StringIO()
    assert main(["frobnicate"], environ={}, stream=stream) == 2
    assert stream.getvalue() == "error: release-actions: no command 'frobnicate'\n"


def test_bad_boolean_input_names_the_input(tmp_path: Path) -> None:
    stream = io.StringIO()
    environ = {"INPUT_DRY_RUN": "yes"}
    assert main(["chart", "action"], environ=environ, stream=stream, cwd=tmp_path) == 2
    assert "input 'dry-run' must be 'true' or 'false', got 'yes'" in stream.getvalue()


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "release_actions", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("release-actions ")


def test_workflow_context_from_environ(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"release": {"tag_name": "v1.2.0", "draft": False}}))
    workflow = Workflow.from_environ(
        {
            "GITHUB_EVENT_NAME": "release",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REPOSITORY": "octo/app",
            "GITHUB_RUN_ID": "42",
            "GITHUB_SERVER_URL": "https://ghe.example/",
            "GITHUB_API_URL": "https://ghe.example/api/v3",
        }
    )
    assert workflow.tag == "v1.2.0"
    assert workflow.run_url == "https://ghe.example/octo/app/actions/runs/42"
    assert workflow.api_url == "https://ghe.example/api/v3"
    assert Workflow.from_environ({"GITHUB_REF": "refs/tags/hami-1.0.0"}).tag == "hami-1.0.0"
    assert Workflow.from_environ({"GITHUB_REF": "refs/heads/main"}).tag is None


def test_malformed_event_payload_is_reported_with_its_position(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text('{\n  "release": ,\n}')
    try:
        Workflow.from_environ({"GITHUB_EVENT_PATH": str(event)})
    except ReleaseActionsError as exc:
        assert exc.location == SourceLocation(str(event), 2, 14)
    else:
        raise AssertionError("a malformed event payload was accepted")


def test_on_a_terminal_failures_stay_off_stdout() -> None:
    out, err = io.StringIO(), io.StringIO()
    runner = Runner({}, out, err)
    assert run_with_error_funnel(runner, lambda: fail_with(ChecksFailed("2 findings"))) == 1
    assert run_with_error_funnel(runner, lambda: fail_with(KeyError("boom"))) == 1
    assert out.getvalue() == ""
    assert "Failed: 2 findings" in err.getvalue()
    assert "Traceback (most recent call last):" in err.getvalue()


def summary_runner(tmp_path: Path) -> tuple[Runner, Path]:
    (tmp_path / "out").touch()
    summary = tmp_path / "summary.md"
    environ = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(summary)}
    return Runner(environ, io.StringIO()), summary


def test_a_failure_without_a_summary_gets_one_saying_what_to_do(tmp_path: Path) -> None:
    runner, summary = summary_runner(tmp_path)
    error = ReleaseActionsError("branch cs-releases is protected")
    assert run_with_error_funnel(runner, lambda: fail_with(error), attempted="ra x action") == 1
    text = summary.read_text(encoding="utf-8")
    assert "### release-actions: failed" in text
    assert "- **Attempted:** `ra x action`" in text
    assert "- **Failed:** branch cs-releases is protected" in text
    assert "- **What to do:** Fix the cause named above." in text


def test_every_failure_kind_writes_a_summary(tmp_path: Path) -> None:
    for index, error in enumerate(
        [UsageError("bad flag"), ChecksFailed("2 findings"), KeyError("boom"), KeyboardInterrupt()]
    ):
        (tmp_path / str(index)).mkdir()
        runner, summary = summary_runner(tmp_path / str(index))
        run_with_error_funnel(runner, lambda error=error: fail_with(error))  # type: ignore[misc]
        assert "- **What to do:** " in summary.read_text(encoding="utf-8"), error


def test_a_failure_after_a_summary_does_not_add_a_second(tmp_path: Path) -> None:
    runner, summary = summary_runner(tmp_path)

    def report_then_fail() -> int:
        runner.add_summary("### Chart release\n\nchart hami: failed")
        raise ReleaseActionsError("push refused")

    assert run_with_error_funnel(runner, report_then_fail) == 1
    assert summary.read_text(encoding="utf-8") == "### Chart release\n\nchart hami: failed\n"


def test_each_group_loaded_lazily_has_the_help_of_its_module() -> None:
    full = build_parser()
    lazy = build_parser(["--version"])
    assert full.format_help() == lazy.format_help()


def test_version_loads_no_command_group() -> None:
    code = (
        "import sys; from release_actions.cli import main\n"
        "try: main(['--version'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('release_actions.')))\n"
        "print('github' in sys.modules, 'yaml' in sys.modules, 'httpx' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded, heavy = result.stdout.splitlines()[-2:]
    assert "commands" not in loaded
    assert heavy == "False False False"
