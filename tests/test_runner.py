from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from release_actions.errors import SourceLocation
from release_actions.runner import Runner, escape_data, escape_property, workflow_command


def actions_runner(tmp_path: Path) -> tuple[Runner, io.StringIO, Path, Path]:
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.touch()
    summary.touch()
    stream = io.StringIO()
    environ = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    return Runner(environ, stream), stream, output, summary


def test_escaping_matches_the_toolkit() -> None:
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_escapes_properties_and_data(tmp_path: Path) -> None:
    runner, stream, _, _ = actions_runner(tmp_path)
    runner.error(
        "bad value: 100%\nsecond line",
        location=SourceLocation("charts/a,b/Chart.yaml", 4, 2),
        title="Chart: invalid",
    )
    assert stream.getvalue() == (
        "::error file=charts/a%2Cb/Chart.yaml,line=4,col=2,title=Chart%3A invalid"
        "::bad value: 100%25%0Asecond line\n"
    )


def test_annotation_without_location_has_no_properties() -> None:
    assert workflow_command("warning", "careful") == "::warning::careful"


def test_single_line_output(tmp_path: Path) -> None:
    runner, _, output, _ = actions_runner(tmp_path)
    runner.set_output("version", "1.2.3")
    assert output.read_text(encoding="utf-8") == "version=1.2.3\n"


def test_multi_line_output_uses_a_random_delimiter(tmp_path: Path) -> None:
    runner, _, output, _ = actions_runner(tmp_path)
    notes = "## Changes\nEOF\n- ünïcode"
    runner.set_output("notes", notes)
    runner.set_output("notes2", notes)
    text = output.read_text(encoding="utf-8")
    delimiters = re.findall(r"^notes2?<<(ghadelimiter_[0-9a-f]{32})$", text, flags=re.MULTILINE)
    assert len(delimiters) == 2 and delimiters[0] != delimiters[1]
    assert f"notes<<{delimiters[0]}\n{notes}\n{delimiters[0]}\n" in text


def test_summary_is_appended(tmp_path: Path) -> None:
    runner, stream, _, summary = actions_runner(tmp_path)
    runner.add_summary("### One")
    runner.add_summary("### Two\n")
    assert summary.read_text(encoding="utf-8") == "### One\n### Two\n"
    assert stream.getvalue() == ""


def test_group_mask_and_debug(tmp_path: Path) -> None:
    runner, stream, _, _ = actions_runner(tmp_path)
    runner.mask("s3cret")
    with runner.group("Packaging"):
        runner.debug("50% done")
    assert stream.getvalue().splitlines() == [
        "::add-mask::s3cret",
        "::group::Packaging",
        "::debug::50%25 done",
        "::endgroup::",
    ]


def test_group_is_closed_when_the_body_raises(tmp_path: Path) -> None:
    runner, stream, _, _ = actions_runner(tmp_path)
    with pytest.raises(RuntimeError), runner.group("x"):
        raise RuntimeError
    assert stream.getvalue().endswith("::endgroup::\n")


def test_outside_actions_everything_is_plain_text() -> None:
    stream = io.StringIO()
    runner = Runner({}, stream)
    runner.set_output("version", "1.2.3")
    runner.add_summary("### Summary")
    runner.error("broken", location=SourceLocation("Chart.yaml", 3))
    runner.mask("s3cret")
    runner.debug("hidden")
    with runner.group("Step"):
        pass
    assert stream.getvalue().splitlines() == [  # outputs only with --outputs or --json
        "### Summary",
        "error: Chart.yaml:3: broken",
        "── Step",
    ]
    assert runner.outputs == {"version": "1.2.3"}


def test_on_a_terminal_annotations_go_to_the_error_stream() -> None:
    out, err = io.StringIO(), io.StringIO()
    runner = Runner({}, out, err)
    runner.info('{"outcome": "updated"}')
    runner.warning("template ignored", location=SourceLocation("segments.json", 55, 9))
    assert out.getvalue() == '{"outcome": "updated"}\n'
    assert err.getvalue() == "warning: segments.json:55:9: template ignored\n"


def test_inside_actions_annotations_stay_on_stdout_for_the_runner(tmp_path: Path) -> None:
    (tmp_path / "out").touch()
    out, err = io.StringIO(), io.StringIO()
    Runner({"GITHUB_OUTPUT": str(tmp_path / "out")}, out, err).error("broken")
    assert out.getvalue() == "::error::broken\n"
    assert err.getvalue() == ""


def test_untrusted_text_is_printed_as_is_on_a_terminal() -> None:
    stream = io.StringIO()
    Runner({}, stream).print_untrusted("::add-mask::x\n- a fix")
    assert stream.getvalue() == "::add-mask::x\n- a fix\n"


def test_untrusted_text_cannot_run_workflow_commands_inside_actions(tmp_path: Path) -> None:
    runner, stream, _, _ = actions_runner(tmp_path)
    runner.print_untrusted("- a fix\n::add-mask::x\n::error::boom")
    runner.print_untrusted("again")
    lines = stream.getvalue().splitlines()
    tokens = [line.removeprefix("::stop-commands::") for line in lines if "stop-commands" in line]
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens)
    assert lines == [
        f"::stop-commands::{tokens[0]}",
        "- a fix",
        "::add-mask::x",
        "::error::boom",
        f"::{tokens[0]}::",
        f"::stop-commands::{tokens[1]}",
        "again",
        f"::{tokens[1]}::",
    ]


def test_untrusted_text_redirected_to_a_file_is_not_wrapped(tmp_path: Path) -> None:
    """``release-actions changelog notes … > notes.md`` in a workflow: the runner never reads the
    file, so wrapping would only corrupt it."""
    (tmp_path / "out").touch()
    with (tmp_path / "notes.md").open("w", encoding="utf-8") as handle:
        Runner({"GITHUB_OUTPUT": str(tmp_path / "out")}, handle).print_untrusted("::error::x")
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "::error::x\n"


def test_on_a_terminal_the_file_is_named_once_and_summaries_lose_their_html() -> None:
    stream = io.StringIO()
    runner = Runner({}, stream)
    runner.error("NEWS.md not found", location=SourceLocation("NEWS.md"))
    runner.error("no entry for 2.0.0", location=SourceLocation("NEWS.md", 5))
    runner.add_summary(
        "Notes:\n\n<details><summary>Release notes preview</summary>\n\n- a\n\n</details>\n"
    )
    assert stream.getvalue() == (
        "error: NEWS.md not found\n"
        "error: NEWS.md:5: no entry for 2.0.0\n"
        "Notes:\n\nRelease notes preview:\n\n- a\n"
    )
