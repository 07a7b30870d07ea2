"""The self-test workflow's steps pass when run as GitHub's runner would run them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.action_runner import ActionRunner

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "selftest.yml"


def local_action_steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = workflow["jobs"]["actions"]["steps"]
    return [step for step in steps if str(step.get("uses", "")).startswith("./")]


def test_the_workflow_runs_every_action_it_can() -> None:
    assert {step["uses"] for step in local_action_steps()} == {
        "./action-chart-release",
        "./action-changelog-check",
    }


@pytest.mark.parametrize("step", local_action_steps(), ids=lambda step: step["name"])
def test_self_test_step_passes(
    step: dict[str, Any], action_runner: ActionRunner, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples", workspace / "examples")
    inputs = {name: str(value) for name, value in (step.get("with") or {}).items()}
    result = action_runner.run(
        ROOT / step["uses"], inputs=inputs, event_name="workflow_dispatch", workspace=workspace
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.summary.strip()
    assert not result.errors
