"""The action-changelog-check entry point: inputs from the environment, then the checks."""

from __future__ import annotations

import argparse

from ..context import Context
from ..inputs import Inputs


def run(args: argparse.Namespace, context: Context) -> int:
    inputs = Inputs(context.environ)
    enforcement = inputs.choice("pr-enforcement", ("error", "warning", "off"), "error")
    update_release = inputs.boolean("update-release", False)
    context.runner.set_output("version", "")
    context.runner.add_summary(
        f"### Changelog check\n\nPR enforcement: `{enforcement}`, update release: `{update_release}`."
    )
    return 0
