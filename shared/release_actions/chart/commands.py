"""The ``release-actions chart …`` subcommands."""

from __future__ import annotations

import argparse
from typing import Any

from . import action


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser("chart", help="Helm chart commands")
    subcommands = parser.add_subparsers(dest="chart_command", required=True)
    action_parser = subcommands.add_parser(
        "action", help="run as the GitHub Action does, reading INPUT_* variables"
    )
    action_parser.set_defaults(handler=action.run)
