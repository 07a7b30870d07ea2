"""The action-upgrade-config entry point: inputs from the environment, then sync."""

from __future__ import annotations

import argparse

from ..context import Context
from ..inputs import Inputs


def run(args: argparse.Namespace, context: Context) -> int:
    inputs = Inputs(context.environ)
    publish = inputs.choice("publish", ("pull-request", "push", "none"), "pull-request")
    dry_run = inputs.boolean("dry-run", False)
    context.runner.set_output("outcome", "skipped")
    context.runner.add_summary(f"### Upgrade config\n\nPublish: `{publish}`, dry run: `{dry_run}`.")
    return 0
