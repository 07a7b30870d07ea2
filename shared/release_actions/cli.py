"""The ``release-actions`` command line: ``main(argv)`` and its single error funnel."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .changelog import commands as changelog_commands
from .chart import commands as chart_commands
from .cli_help import CommandParser, finish_parser, unknown_arguments_error
from .context import Context, Handler
from .errors import ChecksFailed, ReleaseActionsError, UsageError
from .runner import Runner
from .upgrade_config import commands as upgrade_config_commands

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="release-actions",
        description="Release chores for Helm charts, desktop upgrade feeds and changelogs.\n"
        "Each command runs locally as its GitHub Action would; see COMMAND --help.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    chart_commands.register(commands)
    upgrade_config_commands.register(commands)
    changelog_commands.register(commands)
    return finish_parser(parser)


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
    cwd: Path | None = None,
) -> int:
    """Run one command and return its exit code. Every error ends here, and nowhere else."""
    environ = os.environ if environ is None else environ
    runner = Runner(environ, stream)

    def run_command() -> int:
        parser = build_parser()
        if not argv:
            runner.diagnostic(parser.format_help().rstrip("\n"))
            return EXIT_USAGE
        args, extras = parser.parse_known_args(argv)
        if extras:
            raise unknown_arguments_error(args._parser, extras)
        handler: Handler = args.handler
        shows_outputs = "outputs" in args  # the command has add_output_options
        if shows_outputs and args.json and not runner.in_actions:
            runner.send_text_to_errors()  # stdout is for the JSON alone
        code = handler(args, Context(runner=runner, environ=environ, cwd=cwd or Path.cwd()))
        if shows_outputs:
            _print_outputs(args, runner)
        return code

    if argv is None:
        argv = sys.argv[1:]
    return run_with_error_funnel(runner, run_command)


def _print_outputs(args: argparse.Namespace, runner: Runner) -> None:
    """``--outputs``/``--json``: the action outputs, which a terminal otherwise does not show."""
    if runner.in_actions:
        return
    if args.outputs:
        for name, value in runner.outputs.items():
            runner.print_result(f"{name}: {value}")
    elif args.json:
        runner.print_result(json.dumps(runner.outputs, indent=2, ensure_ascii=False))


def run_with_error_funnel(runner: Runner, command: Callable[[], int]) -> int:
    """Turn every way a command can fail into an annotation and an exit code."""
    try:
        return command()
    except ChecksFailed as exc:
        runner.diagnostic(f"Failed: {exc.message}")
        return EXIT_FAILURE
    except UsageError as exc:
        runner.error(exc.message, location=exc.location, title=exc.title)
        return EXIT_USAGE
    except ReleaseActionsError as exc:
        runner.error(exc.message, location=exc.location, title=exc.title)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        runner.error("interrupted")
        return EXIT_FAILURE
    except Exception as exc:  # anything unexpected is a bug: show where, inside a group
        with runner.group(f"Unexpected error: {type(exc).__name__}"):
            runner.diagnostic(traceback.format_exc().rstrip())
        runner.error(f"unexpected error: {type(exc).__name__}: {exc}")
        return EXIT_FAILURE


def entrypoint() -> NoReturn:
    sys.exit(main(sys.argv[1:]))
