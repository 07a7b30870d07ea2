"""The action-chart-release entry point: inputs from the environment, then check or release."""

from __future__ import annotations

import argparse

from ..context import Context
from ..inputs import Inputs


def run(args: argparse.Namespace, context: Context) -> int:
    inputs = Inputs(context.environ)
    mode = inputs.choice("mode", ("auto", "check", "release"), "auto")
    dry_run = inputs.boolean("dry-run", False)
    context.runner.set_output("mode", mode)
    context.runner.add_summary(f"### Chart release\n\nMode: `{mode}`, dry run: `{dry_run}`.")
    return 0
