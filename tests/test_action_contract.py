"""Contract tests over every action.yml: metadata, runner safety, wiring and documentation."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from release_actions.cli import build_parser
from release_actions.inputs import env_name

ROOT = Path(__file__).resolve().parents[1]
ACTION_DIRS = sorted(path.parent for path in ROOT.glob("action-*/action.yml"))
PACKAGE_OF_ACTION = {
    "action-chart-release": "chart",
    "action-upgrade-config": "upgrade_config",
    "action-changelog-check": "changelog",
}
# Modules outside an action's package that read inputs for it: the pull request options.
SHARED_INPUT_MODULES = {
    "action-chart-release": ["pull_requests.py"],
    "action-upgrade-config": ["pull_requests.py"],
}
FULL_SHA = re.compile(r"^[^@]+@[0-9a-f]{40}$")
STEP_OUTPUT_REF = re.compile(r"^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$")
INPUT_REF = re.compile(r"^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$")
INPUT_METHODS = {
    "raw",
    "string",
    "required",
    "optional",
    "boolean",
    "items",
    "lines",
    "choice",
    "integer",
}


def load(action_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    return list(action["runs"]["steps"])


def test_every_action_directory_is_found() -> None:
    assert [path.name for path in ACTION_DIRS] == sorted(PACKAGE_OF_ACTION)


@pytest.fixture(params=ACTION_DIRS, ids=lambda path: path.name)
def action_dir(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_metadata(action_dir: Path) -> None:
    action = load(action_dir)
    assert action["name"].strip()
    assert action["description"].strip()
    assert action["branding"]["icon"] and action["branding"]["color"]
    assert action["runs"]["using"] == "composite"


def test_every_input_is_described_and_has_a_default(action_dir: Path) -> None:
    for name, spec in load(action_dir)["inputs"].items():
        assert spec.get("description", "").strip(), f"input {name} has no description"
        assert "default" in spec, f"input {name} has no default (Python must then validate it)"
        assert isinstance(spec["default"], str), f"input {name}: defaults are strings"


def test_no_expression_inside_run_and_every_run_has_a_shell(action_dir: Path) -> None:
    for step in steps(load(action_dir)):
        if "run" in step:
            assert "${{" not in step["run"], f"step {step.get('name')} interpolates into run:"
            assert step.get("shell"), f"step {step.get('name')} has no shell"


def test_third_party_actions_are_pinned_to_a_full_sha(action_dir: Path) -> None:
    for step in steps(load(action_dir)):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            assert FULL_SHA.match(uses), f"{uses} is not pinned to a commit SHA"


def test_outputs_are_wired_to_existing_steps(action_dir: Path) -> None:
    action = load(action_dir)
    step_ids = {step.get("id") for step in steps(action)}
    for name, spec in action["outputs"].items():
        assert spec.get("description", "").strip(), f"output {name} has no description"
        match = STEP_OUTPUT_REF.match(spec["value"])
        assert match, f"output {name} is not a step output: {spec['value']}"
        assert match.group(1) in step_ids, f"output {name} names a missing step"
        assert match.group(2) == name, f"output {name} reads a differently named step output"


def test_every_input_reaches_python_through_env(action_dir: Path) -> None:
    action = load(action_dir)
    run_steps = [step for step in steps(action) if "run" in step]
    passed: dict[str, str] = {}
    for step in run_steps:
        for variable, value in (step.get("env") or {}).items():
            match = INPUT_REF.match(str(value))
            if match:
                passed[variable] = match.group(1)
    for name in action["inputs"]:
        assert passed.get(env_name(name)) == name, f"input {name} is not passed as {env_name(name)}"


def test_the_run_step_calls_an_existing_command(action_dir: Path) -> None:
    (run,) = [step["run"] for step in steps(load(action_dir)) if "run" in step]
    match = re.search(
        r'^bash "\$GITHUB_ACTION_PATH/\.\./shared/run-action\.sh" ([\w-]+)$', run, re.M
    )
    assert match, "the run step does not call shared/run-action.sh GROUP"
    args = build_parser().parse_args([match.group(1), "action"])
    assert callable(args.handler)


def test_no_action_is_used_inside_ours(action_dir: Path) -> None:
    """A used action would cost start-up time, and setup actions leave PATH, env and matchers."""
    assert [step for step in steps(load(action_dir)) if "uses" in step] == []


def test_inputs_declared_are_the_inputs_python_reads(action_dir: Path) -> None:
    """Every input is read by Python (so it is validated there) and Python reads no other."""
    package = ROOT / "shared" / "release_actions" / PACKAGE_OF_ACTION[action_dir.name]
    read: set[str] = set()
    shared = [
        ROOT / "shared" / "release_actions" / name
        for name in SHARED_INPUT_MODULES.get(action_dir.name, [])
    ]
    for source in [*package.rglob("*.py"), *shared]:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in INPUT_METHODS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and re.fullmatch(r"[a-z][a-z0-9-]*", node.args[0].value)
            ):
                read.add(node.args[0].value)
    declared = set(load(action_dir)["inputs"])
    assert declared - read == set(), "declared inputs that Python never reads"
    assert read - declared == set(), "inputs Python reads that action.yml does not declare"


def readme_table(readme: str, heading: str) -> dict[str, list[str]]:
    """The rows of the table under ``## heading``: first-column name → the other cells."""
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`([\w-]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_readme_documents_every_input_and_output(action_dir: Path) -> None:
    readme = (action_dir / "README.md").read_text(encoding="utf-8")
    action = load(action_dir)
    for kind, heading in (("inputs", "Inputs"), ("outputs", "Outputs")):
        rows = readme_table(readme, heading)
        assert set(rows) == set(action[kind]), f"the README's {heading} table differs"


def test_readme_states_each_inputs_default(action_dir: Path) -> None:
    rows = readme_table((action_dir / "README.md").read_text(encoding="utf-8"), "Inputs")
    for name, spec in load(action_dir)["inputs"].items():
        default = spec["default"]
        if default and not default.startswith("${{"):
            assert default in rows[name][0], f"{name}: the README's default is not {default!r}"
