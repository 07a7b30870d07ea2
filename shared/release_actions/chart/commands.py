"""The ``release-actions chart …`` subcommands: check, bump, package, index, push, verify,
release, action."""

from __future__ import annotations

import argparse
from typing import Any

from ..context import lazy_handler
from . import check_command, package_command, push_command, release_command, verify_command


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser("chart", help="Helm chart commands")
    subcommands = parser.add_subparsers(dest="chart_command", required=True)
    check_command.register(subcommands)
    package_command.register(subcommands)
    push_command.register(subcommands)
    verify_command.register(subcommands)
    release_command.register(subcommands)
    action_parser = subcommands.add_parser(
        "action", help="run as the GitHub Action does, reading INPUT_* variables"
    )
    action_parser.set_defaults(handler=lazy_handler("release_actions.chart.action:run"))
