"""The self-test workflow uses every action it can (tests/act/test_own_workflows.py runs it
under act)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "selftest.yml"


def local_action_steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    return [step for step in steps if str(step.get("uses", "")).startswith("./")]


def test_the_workflow_runs_every_action_it_can() -> None:
    assert {step["uses"] for step in local_action_steps()} == {
        "./action-chart-release",
        "./action-changelog-check",
    }
