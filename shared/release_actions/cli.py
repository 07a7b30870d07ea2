"""The ``release-actions`` command line: ``main(argv)`` and its single error funnel."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .changelog import commands as changelog_commands
from .chart import commands as chart_commands
from .context import Context, Handler
from .errors import ChecksFailed, ReleaseActionsError, UsageError
from .runner import Runner
from .upgrade_config import commands as upgrade_config_commands

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argparse parser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="release-actions",
        description="Release chores for Helm charts, desktop upgrade feeds and changelogs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chart_commands.register(commands)
    upgrade_config_commands.register(commands)
    changelog_commands.register(commands)
    return parser


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
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        return handler(args, Context(runner=runner, environ=environ, cwd=cwd or Path.cwd()))

    return run_with_error_funnel(runner, run_command)


def run_with_error_funnel(runner: Runner, command: Callable[[], int]) -> int:
    """Turn every way a command can fail into an annotation and an exit code."""
    try:
        return _run_reported(runner, command)
    finally:
        runner.finish()


def _run_reported(runner: Runner, command: Callable[[], int]) -> int:
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
