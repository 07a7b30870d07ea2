"""The action.yml runner emulator: expressions, runner files, commands, and the real actions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.action_expressions import ExpressionError, condition, evaluate, render
from support.action_runner import (
    REPO_ROOT,
    ActionDefinitionError,
    ActionRunner,
    Annotation,
    StepFailed,
    StubCall,
    parse_env_file,
)
from support.fake_github import FakeGitHub
from support.git_repos import GitProject


def write_action(directory: Path, definition: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "action.yml").write_text(yaml.safe_dump(definition, sort_keys=False))
    return directory


def composite(
    steps: list[dict[str, Any]],
    *,
    inputs: dict[str, Any] | None = None,
    outputs: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "name": "tiny",
        "description": "a test action",
        "inputs": {
            name: {"description": name, **({"default": default} if default is not None else {})}
            for name, default in (inputs or {}).items()
        },
        "outputs": {
            name: {"description": name, "value": value} for name, value in (outputs or {}).items()
        },
        "runs": {"using": "composite", "steps": steps},
    }


def bash(script: str, **fields: Any) -> dict[str, Any]:
    return {"shell": "bash", "run": script, **fields}


# -- expressions --------------------------------------------------------------------------------

CONTEXTS: dict[str, Any] = {
    "inputs": {"mode": "Check", "empty": "", "flag": "true"},
    "github": {"event_name": "pull_request", "event": {"pull_request": {"number": 7}}},
    "steps": {"run": {"outputs": {"n": "3"}, "outcome": "success"}, "later": None},
    "env": {"NAME": "value"},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("inputs.mode == 'check'", True),  # strings compare case-insensitively
        ("inputs.mode != 'release'", True),
        ("inputs.empty || 'fallback'", "fallback"),  # || yields the first truthy operand
        ("inputs.mode && inputs.flag", "true"),
        ("!inputs.empty", True),
        ("github.event.pull_request.number == 7", True),
        ("github.event['pull_request'].number", 7),
        ("github.event.pull_request.missing", None),
        ("steps.run.outputs.n == 3", True),  # a number against a numeric string
        ("steps.later.outputs.n", None),  # a step that has not run yet
        ("env.NAME", "value"),
        ("'it''s'", "it's"),
        ("(false || true) && !(1 == 2)", True),
        ("contains('a,b', 'B')", True),
        ("startsWith(github.event_name, 'pull')", True),
        ("format('{0}-{1} {{x}}', 'a', 1)", "a-1 {x}"),
        ("null == ''", True),
        ("0x10 > 15", True),
    ],
)
def test_expressions(expression: str, expected: Any) -> None:
    assert evaluate(expression, CONTEXTS) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "inputs.undeclared",
        "steps.nope.outputs.x",
        "secrets.TOKEN",
        "toJSON(github)",
        "github.event.*.number",
        "inputs.mode ==",
        "inputs.mode = 'x'",
        "hashFiles('x')",
    ],
)
def test_unsupported_or_unknown_expressions_raise(expression: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(expression, CONTEXTS)


def test_render_substitutes_every_expression_and_keeps_quotes_in_them() -> None:
    assert render("a ${{ inputs.mode }} b ${{ 'x}}y' }}!", CONTEXTS) == "a Check b x}}y!"
    assert render(True, CONTEXTS) == "true"
    with pytest.raises(ExpressionError, match="unclosed"):
        render("${{ inputs.mode ", CONTEXTS)


def test_conditions_imply_success_unless_they_use_a_status_function() -> None:
    assert condition(None, CONTEXTS, failed=False)
    assert not condition(None, CONTEXTS, failed=True)
    assert condition("inputs.flag == 'true'", CONTEXTS, failed=False)
    assert not condition("${{ inputs.flag == 'true' }}", CONTEXTS, failed=True)
    assert condition("always() && inputs.flag == 'true'", CONTEXTS, failed=True)
    assert condition("failure()", CONTEXTS, failed=True)
    assert not condition("failure()", CONTEXTS, failed=False)
    with pytest.raises(ExpressionError, match="mixes"):
        condition("${{ inputs.flag }} == 'true'", CONTEXTS, failed=False)


# -- runner files and commands ------------------------------------------------------------------


def test_parse_env_file_reads_plain_and_heredoc_entries() -> None:
    text = (
        "a=1\n"
        "url=https://x/?q=1\n"
        "notes<<ghadelimiter_0123\nline one\n\nEOF\nline four\nghadelimiter_0123\n"
        "odd=has<<in it\n"
        "crlf=yes\r\n"
        "\n"
        "a=2\n"
    )
    assert parse_env_file(text) == {
        "a": "2",
        "url": "https://x/?q=1",
        "notes": "line one\n\nEOF\nline four",
        "odd": "has<<in it",
        "crlf": "yes",
    }
    with pytest.raises(ValueError, match="Matching delimiter not found 'END'"):
        parse_env_file("x<<END\nno end\n")


# -- a tiny action ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    api_url: str = "http://127.0.0.1:1/api/v3"
    server_url: str = "http://127.0.0.1:1"
    token: str = "fake-token"
    repository: str = "acme/widgets"


TINY_STEPS: list[dict[str, Any]] = [
    bash(
        """\
echo "said=$GREETING" >> "$GITHUB_OUTPUT"
{ echo "multi<<MY_DELIM"; printf 'line 1\\nEOF\\nline 3\\n'; echo "MY_DELIM"; } >> "$GITHUB_OUTPUT"
echo "FOLDED=from step one" >> "$GITHUB_ENV"
mkdir -p "$RUNNER_TEMP/bin"
printf '#!/bin/sh\\necho tool-ran\\n' > "$RUNNER_TEMP/bin/mytool"
chmod +x "$RUNNER_TEMP/bin/mytool"
echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
printf '%s' "$TRICKY" > "$RUNNER_TEMP/tricky.txt"
printf '%s' "$TOKEN" > "$RUNNER_TEMP/token.txt"
env | grep -E '^(GITHUB|RUNNER)_' | sort > "$RUNNER_TEMP/env.txt"
echo "### Tiny" >> "$GITHUB_STEP_SUMMARY"
echo "::warning file=src/a%2Cb.py,line=3,col=2,title=Heads%3A up::50%25 done%0Asecond line"
echo "::add-mask::$TOKEN"
""",
        id="speak",
        env={
            "GREETING": "${{ inputs.greeting }}",
            "TRICKY": "${{ inputs.tricky }}",
            "TOKEN": "${{ inputs.token }}",
        },
    ),
    bash(
        """\
echo "folded=$FOLDED" >> "$GITHUB_OUTPUT"
mytool
echo "event=${{ github.event_name }} greeting=${{ inputs.greeting }}"
echo "more summary" >> "$GITHUB_STEP_SUMMARY"
""",
        id="later",
    ),
    bash('echo "ran=yes" >> "$GITHUB_OUTPUT"', id="optional", **{"if": "inputs.flag == 'true'"}),
]
TINY_INPUTS = {"greeting": "hello", "flag": "false", "tricky": "", "token": "${{ github.token }}"}
TINY_OUTPUTS = {
    "said": "${{ steps.speak.outputs.said }}",
    "multi": "${{ steps.speak.outputs.multi }}",
    "folded": "${{ steps.later.outputs.folded }}",
    "optional": "${{ steps.optional.outputs.ran || 'skipped' }}",
}


@pytest.fixture
def tiny_action(tmp_path: Path) -> Path:
    definition = composite(TINY_STEPS, inputs=TINY_INPUTS, outputs=TINY_OUTPUTS)
    return write_action(tmp_path / "tiny", definition)


def test_tiny_action_outputs_env_folding_path_and_summary(
    action_runner: ActionRunner, tiny_action: Path
) -> None:
    injection = 'a"; echo pwned; "$(touch /tmp/pwned)`id`'
    result = action_runner.run(
        tiny_action,
        inputs={"tricky": injection},
        event_name="workflow_dispatch",
        event={"inputs": {"x": "1"}},
        github=Endpoints(),
    )

    assert result.exit_code == 0, result.log
    assert result.outputs == {
        "said": "hello",
        "multi": "line 1\nEOF\nline 3",
        "folded": "from step one",
        "optional": "skipped",
    }
    assert result.step_outputs["speak"]["said"] == "hello"
    assert [step.outcome for step in result.steps] == ["success", "success", "skipped"]
    assert "tool-ran" in result.stdout  # GITHUB_PATH reached the next step
    assert "event=workflow_dispatch greeting=hello" in result.stdout
    assert result.summary == "### Tiny\nmore summary\n"
    assert result.annotations == [
        Annotation(
            level="warning",
            message="50% done\nsecond line",
            file="src/a,b.py",
            line=3,
            col=2,
            title="Heads: up",
        )
    ]
    temp = result.runner_temp
    assert (temp / "tricky.txt").read_text() == injection  # through env, never into the script
    assert (temp / "token.txt").read_text() == "fake-token"  # the default ${{ github.token }}
    assert result.masks == ["fake-token"]
    env = dict(line.split("=", 1) for line in (temp / "env.txt").read_text().splitlines())
    assert env["GITHUB_ACTION_PATH"] == str(tiny_action)
    assert env["GITHUB_WORKSPACE"] == str(result.workspace)
    assert env["GITHUB_EVENT_NAME"] == "workflow_dispatch"
    assert json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text()) == {"inputs": {"x": "1"}}
    assert env["GITHUB_API_URL"] == "http://127.0.0.1:1/api/v3"
    assert env["GITHUB_SERVER_URL"] == "http://127.0.0.1:1"
    assert env["GITHUB_REPOSITORY"] == "acme/widgets"
    assert env["GITHUB_REF"] == "refs/heads/main"
    assert env["RUNNER_TEMP"] == str(temp)
    assert {"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"} <= set(env)
    assert "GITHUB_TOKEN" not in env  # the runner does not export it; actions map it themselves


def test_no_expression_reaches_bash(action_runner: ActionRunner, tiny_action: Path) -> None:
    result = action_runner.run(tiny_action, inputs={"flag": True})
    scripts = [step.script for step in result.steps if step.outcome != "skipped" and step.script]
    assert len(scripts) == 3
    assert all("${{" not in script for script in scripts)
    assert 'echo "event=push greeting=hello"' in scripts[1]
    assert result.outputs["optional"] == "yes"  # if: saw the boolean input as 'true'


def test_a_failing_step_stops_the_action_except_for_always_and_failure(
    action_runner: ActionRunner, tmp_path: Path
) -> None:
    steps = [
        bash('echo "before=1" >> "$GITHUB_OUTPUT"', id="before"),
        bash(
            'echo "::error file=charts/a/Chart.yaml,line=4::version is not semver"\n'
            'echo "partial=1" >> "$GITHUB_OUTPUT"\n'
            "false | true\n"  # pipefail: a failing pipeline stage fails the step
            "exit 3\n",
            id="boom",
        ),
        bash("echo should-not-run", id="normal"),
        bash("echo cleanup-ran", id="cleanup", **{"if": "always()"}),
        bash("echo on-failure-ran", id="report", **{"if": "${{ failure() }}"}),
        bash("echo success-only", id="happy", **{"if": "success()"}),
        bash("exit 9", id="tolerated", **{"if": "always()", "continue-on-error": True}),
    ]
    action = write_action(
        tmp_path / "failing", composite(steps, outputs={"b": "${{ steps.before.outputs.before }}"})
    )

    result = action_runner.run(action)

    assert result.exit_code == 1  # `false | true` failed under pipefail before `exit 3`
    outcomes = {step.id: (step.outcome, step.conclusion) for step in result.steps}
    assert outcomes == {
        "before": ("success", "success"),
        "boom": ("failure", "failure"),
        "normal": ("skipped", "skipped"),
        "cleanup": ("success", "success"),
        "report": ("success", "success"),
        "happy": ("skipped", "skipped"),
        "tolerated": ("failure", "success"),
    }
    assert "should-not-run" not in result.stdout
    assert "cleanup-ran" in result.stdout and "on-failure-ran" in result.stdout
    assert result.outputs == {"b": "1"}
    assert result.annotations[0] == Annotation(
        level="error", message="version is not semver", file="charts/a/Chart.yaml", line=4
    )
    assert "Process completed with exit code 1." in result.errors


def test_exit_code_of_the_failing_step_and_stop_commands(
    action_runner: ActionRunner, tmp_path: Path
) -> None:
    script = (
        'echo "::stop-commands::pause"\n'
        'echo "::error::not a command while paused"\n'
        'echo "::pause::"\n'
        'echo "::notice title=Note::after resuming" >&2\n'
        "exit 3\n"
    )
    action = write_action(tmp_path / "exit3", composite([bash(script)]))
    result = action_runner.run(action)
    assert result.exit_code == 3
    assert result.notices == ["after resuming"]
    assert result.errors == ["Process completed with exit code 3."]


def test_a_broken_output_file_fails_the_step(action_runner: ActionRunner, tmp_path: Path) -> None:
    action = write_action(
        tmp_path / "broken", composite([bash('echo "x<<END" >> "$GITHUB_OUTPUT"')])
    )
    result = action_runner.run(action)
    assert result.exit_code == 1
    assert "Matching delimiter not found 'END'" in result.errors


def test_uses_steps_need_a_stub(action_runner: ActionRunner, tmp_path: Path) -> None:
    steps = [{"id": "py", "uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}}]
    action = write_action(
        tmp_path / "uses", composite(steps, outputs={"v": "${{ steps.py.outputs.python-version }}"})
    )
    with pytest.raises(ActionDefinitionError, match="no stub registered"):
        action_runner.run(action)

    calls: list[StubCall] = []

    def setup_python(call: StubCall) -> dict[str, str]:
        calls.append(call)
        return {"python-version": call.inputs["python-version"]}

    action_runner.stub("actions/setup-python", setup_python)
    result = action_runner.run(action)
    assert result.outputs == {"v": "3.11"}
    assert calls[0].uses == "actions/setup-python@v5"


def test_a_failing_stub_fails_its_step(action_runner: ActionRunner, tmp_path: Path) -> None:
    action = write_action(
        tmp_path / "stubbed", composite([{"uses": "actions/setup-python@v5"}, bash("echo after")])
    )

    def failing(call: StubCall) -> None:
        raise StepFailed("stub said no")

    action_runner.stub("actions/setup-python", failing)
    result = action_runner.run(action)
    assert result.exit_code == 1
    assert result.errors == ["stub said no"]
    assert "after" not in result.stdout


def test_unknown_inputs_and_bad_definitions_raise(
    action_runner: ActionRunner, tiny_action: Path, tmp_path: Path
) -> None:
    with pytest.raises(ActionDefinitionError, match="unexpected input"):
        action_runner.run(tiny_action, inputs={"greting": "typo"})
    no_shell = write_action(tmp_path / "no-shell", composite([{"run": "echo hi"}]))
    with pytest.raises(ActionDefinitionError, match="requires shell"):
        action_runner.run(no_shell)
    bad_expression = write_action(tmp_path / "bad", composite([bash("echo ${{ secrets.X }}")]))
    with pytest.raises(ExpressionError, match="secrets"):
        action_runner.run(bad_expression)


def test_pull_request_and_release_events_set_the_refs(
    action_runner: ActionRunner, tmp_path: Path, git_project: GitProject
) -> None:
    script = (
        'echo "refs=$GITHUB_REF|$GITHUB_BASE_REF|$GITHUB_HEAD_REF|$GITHUB_SHA" >> "$GITHUB_OUTPUT"'
    )
    action = write_action(
        tmp_path / "refs",
        composite([bash(script, id="s")], outputs={"r": "${{ steps.s.outputs.refs }}"}),
    )
    pull = {"pull_request": {"number": 12, "base": {"ref": "main"}, "head": {"ref": "feat"}}}
    result = action_runner.run(
        action, event_name="pull_request", event=pull, workspace=git_project.work.path
    )
    assert result.outputs["r"] == f"refs/pull/12/merge|main|feat|{git_project.work.head()}"
    release = {"release": {"tag_name": "v1.2.3", "prerelease": False}}
    result = action_runner.run(action, event_name="release", event=release, sha="f" * 40)
    assert result.outputs["r"] == f"refs/tags/v1.2.3|||{'f' * 40}"


# -- the real actions ---------------------------------------------------------------------------

ACTIONS = sorted(path.parent.name for path in REPO_ROOT.glob("action-*/action.yml"))

# A run of each action that should succeed: its inputs, event, and files committed to the
# workspace. Feature teams: adjust these as the actions grow; keep them side-effect free (dry
# runs, skips) and the assertions below generic.
HAPPY_RUNS: dict[str, dict[str, Any]] = {
    "action-chart-release": {
        "inputs": {"mode": "check", "dry-run": "true"},
        "event_name": "workflow_dispatch",
        "event": {},
        "files": {
            "charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            "charts/demo/values.yaml": "replicas: 1\n",
        },
    },
    "action-upgrade-config": {
        "inputs": {"dry-run": "true"},
        "event_name": "release",
        "event": {"action": "edited", "release": {"tag_name": "v1.0.0", "prerelease": False}},
        "files": {},
    },
    "action-changelog-check": {
        "inputs": {},
        "event_name": "workflow_dispatch",
        "event": {},
        "files": {"CHANGELOG.md": "# Changelog\n\n## 1.0.0 - 2024-01-02\n\n- First release.\n"},
    },
}


def boolean_input(action: str) -> str:
    """``dry-run`` when the action has it, else its first true/false input."""
    inputs = yaml.safe_load((REPO_ROOT / action / "action.yml").read_text())["inputs"]
    booleans = [name for name, spec in inputs.items() if spec.get("default") in ("true", "false")]
    return "dry-run" if "dry-run" in booleans else booleans[0]


def test_every_action_has_a_happy_run() -> None:
    assert ACTIONS and set(HAPPY_RUNS) == set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_real_action_end_to_end(
    action: str,
    action_runner: ActionRunner,
    git_project: GitProject,
    fake_github: FakeGitHub,
) -> None:
    happy = HAPPY_RUNS[action]
    if happy["files"]:
        git_project.work.commit(happy["files"], "Fixture files")
    context: dict[str, Any] = {"workspace": git_project.work.path, "github": fake_github}
    context |= {"event_name": happy["event_name"], "event": happy["event"]}

    result = action_runner.run(action, inputs=happy["inputs"], **context)

    assert result.exit_code == 0, result.log
    assert result.summary.strip(), "every action writes a step summary"
    assert result.errors == []
    # The session's tool cache holds the one locked environment; nothing went to RUNNER_TEMP.
    assert action_runner.uv.tool_cache is not None
    assert list(action_runner.uv.tool_cache.glob("release-actions/env-*/.complete"))
    assert not (result.runner_temp / "release-actions").exists()

    flag = boolean_input(action)
    bad = action_runner.run(action, inputs={**happy["inputs"], flag: "yes"}, **context)

    assert bad.exit_code == 2, bad.log
    assert any(flag in message for message in bad.errors), bad.errors
    assert any(value for value in result.outputs.values()), "a happy run sets its outputs"
