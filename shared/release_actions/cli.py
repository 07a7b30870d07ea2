"""The ``release-actions`` command line: ``main(argv)`` and its single error funnel."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .cli_help import CommandParser, finish_parser, unknown_arguments_error
from .context import Context, Handler
from .errors import ChecksFailed, GitError, GitHubError, ReleaseActionsError, UsageError
from .runner import Runner

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

# Command group → its help and the module that registers it. A group's module, and everything
# it imports, loads only when that group runs: `release-actions --version` stays fast.
COMMAND_GROUPS = {
    "chart": ("Helm chart commands", "release_actions.chart.commands"),
    "upgrade-config": (
        "Sync, check and query a desktop app's upgrade-config JSON",
        "release_actions.upgrade_config.commands",
    ),
    "changelog": (
        "Changelog checks, release notes and entries",
        "release_actions.changelog.commands",
    ),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser; given ``argv``, only the group it names is loaded in full."""
    parser = CommandParser(
        prog="release-actions",
        description="Release chores for Helm charts, desktop upgrade feeds and changelogs.\n"
        "Each command runs locally as its GitHub Action would; see COMMAND --help.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    wanted = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name, (help_text, module) in COMMAND_GROUPS.items():
        if wanted is None or wanted == name:
            importlib.import_module(module).register(commands)
        else:
            commands.add_parser(name, help=help_text)
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
    arguments = list(sys.argv[1:] if argv is None else argv)

    def run_command() -> int:
        parser = build_parser(arguments)
        if not arguments:
            runner.diagnostic(parser.format_help().rstrip("\n"))
            return EXIT_USAGE
        args, extras = parser.parse_known_args(arguments)
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

    attempted = " ".join(["release-actions", *arguments])
    return run_with_error_funnel(runner, run_command, attempted=attempted)


def _print_outputs(args: argparse.Namespace, runner: Runner) -> None:
    """``--outputs``/``--json``: the action outputs, which a terminal otherwise does not show."""
    if runner.in_actions:
        return
    if args.outputs:
        for name, value in runner.outputs.items():
            runner.print_result(f"{name}: {value}")
    elif args.json:
        runner.print_result(json.dumps(runner.outputs, indent=2, ensure_ascii=False))


def run_with_error_funnel(
    runner: Runner, command: Callable[[], int], *, attempted: str = "release-actions"
) -> int:
    """Turn every way a command can fail into an annotation, a step summary and an exit code."""
    try:
        return _run_reported(runner, command, attempted)
    finally:
        runner.finish()


def _run_reported(runner: Runner, command: Callable[[], int], attempted: str) -> int:
    try:
        return command()
    except ChecksFailed as exc:
        runner.diagnostic(f"Failed: {exc.message}")
        _failure_summary(runner, attempted, exc.message, "Fix the findings annotated above.")
        return EXIT_FAILURE
    except UsageError as exc:
        runner.error(exc.message, location=exc.location, title=exc.title)
        _failure_summary(runner, attempted, str(exc), "Fix the input or flag named above.")
        return EXIT_USAGE
    except ReleaseActionsError as exc:
        runner.error(exc.message, location=exc.location, title=exc.title)
        _failure_summary(runner, attempted, str(exc), _what_to_do(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        runner.error("interrupted")
        _failure_summary(runner, attempted, "interrupted", _RERUN)
        return EXIT_FAILURE
    except Exception as exc:  # anything unexpected is a bug: show where, inside a group
        with runner.group(f"Unexpected error: {type(exc).__name__}"):
            runner.diagnostic(traceback.format_exc().rstrip())
        message = f"unexpected error: {type(exc).__name__}: {exc}"
        runner.error(message)
        _failure_summary(
            runner,
            attempted,
            message,
            "This is a bug in release-actions: re-run once, and if it fails again, report it "
            "with this log (the traceback is in the group above).",
        )
        return EXIT_FAILURE


_RERUN = "Re-run the job: a re-run does only what is still missing."


def _what_to_do(error: ReleaseActionsError) -> str:
    if isinstance(error, GitError):
        return (
            "Check that the token may push (contents: write) and that the branch is not "
            f"protected against it. {_RERUN}"
        )
    if isinstance(error, GitHubError):
        return f"Check the token's permissions and GitHub's status. {_RERUN}"
    return f"Fix the cause named above. {_RERUN}"


def _failure_summary(runner: Runner, attempted: str, failure: str, what_to_do: str) -> None:
    """Every exit path writes a step summary: a failure that wrote none gets this one."""
    if runner.summary_written or not runner.has_summary_file:  # a terminal has the error line
        return
    runner.add_summary(
        "\n".join(
            [
                "### release-actions: failed",
                "",
                f"- **Attempted:** `{attempted}`",
                f"- **Failed:** {_one_line(failure)}",
                f"- **What to do:** {what_to_do}",
            ]
        )
    )


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


def entrypoint() -> NoReturn:
    sys.exit(main(sys.argv[1:]))
