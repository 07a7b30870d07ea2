"""The command line for a person: a parser that explains itself, and an example per command.

Every command's ``--help`` ends with an example (:data:`EXAMPLES`, checked by a test for every
command), abbreviations are off, a mistyped option or command names the closest one, and no
internal name (the ``dest`` of a subcommand) reaches a message.
"""

from __future__ import annotations

import argparse
import difflib
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from .errors import UsageError

__all__ = [
    "EXAMPLES",
    "CommandParser",
    "add_output_options",
    "every_parser",
    "finish_parser",
    "unknown_arguments_error",
]

# One runnable example per command, shown at the end of its --help; from the repository root.
_KAC = "examples/keep-a-changelog/CHANGELOG.md"
_CHART = "examples/hami-like/charts/hami"
_SEGMENTS = "examples/upgrade-config/config/app-upgrade-segments.json"
_CONFIG = "examples/upgrade-config/app-upgrade-config.json"
EXAMPLES: dict[str, str] = {
    "release-actions": "release-actions chart release --charts-dir examples/hami-like/charts "
    "--dry-run",
    "release-actions chart": "release-actions chart check --charts-dir examples/hami-like/charts",
    "release-actions chart check": "release-actions chart check "
    "--charts-dir examples/hami-like/charts",
    "release-actions chart bump": f"release-actions chart bump {_CHART} 2.10.1 --dry-run",
    "release-actions chart package": f"release-actions chart package {_CHART} --destination dist "
    "--mtime 2026-01-01T00:00:00Z",
    "release-actions chart index": "release-actions chart index --index dist/index.yaml "
    "--package dist/hami-2.10.0.tgz --url-base https://example.com/charts",
    "release-actions chart html": "release-actions chart html --index dist/index.yaml "
    "--output dist/index.html --name charts",
    "release-actions chart push": "release-actions chart push dist/hami-2.10.0.tgz "
    "--registry oci://ghcr.io/OWNER/charts --username OWNER --password-stdin",
    "release-actions chart verify": "release-actions chart verify dist/hami-2.10.0.tgz "
    "--keyring pubring.gpg",
    "release-actions chart release": "release-actions chart release "
    "--charts-dir examples/hami-like/charts --dry-run",
    "release-actions chart action": "INPUT_CHARTS_DIR=examples/hami-like/charts INPUT_DRY_RUN=true "
    "INPUT_MODE=release release-actions chart action",
    "release-actions upgrade-config": "release-actions upgrade-config validate "
    f"--segments {_SEGMENTS}",
    "release-actions upgrade-config sync": "release-actions upgrade-config sync --tag v2.1.7 "
    f"--segments {_SEGMENTS} --config {_CONFIG} --dry-run --skip-release-checks",
    "release-actions upgrade-config resolve": "release-actions upgrade-config resolve "
    f"--config {_CONFIG} --current-version 1.6.0",
    "release-actions upgrade-config validate": f"release-actions upgrade-config validate "
    f"--config {_CONFIG}",
    # The one example that needs GitHub: a token, and the repository it syncs for.
    "release-actions upgrade-config action": "GITHUB_REPOSITORY=OWNER/REPO INPUT_TOKEN=… "
    "INPUT_TAG=v2.1.7 INPUT_DRY_RUN=true release-actions upgrade-config action",
    "release-actions changelog": f"release-actions changelog lint {_KAC} --profile keepachangelog",
    "release-actions changelog check": f"release-actions changelog check --version 1.2.0 "
    f"--path {_KAC}",
    "release-actions changelog notes": f"release-actions changelog notes --latest --path {_KAC}",
    "release-actions changelog lint": f"release-actions changelog lint {_KAC}",
    "release-actions changelog new": f"release-actions changelog new --version 1.2.1 --path {_KAC}",
    "release-actions changelog release": f"release-actions changelog release 1.3.0 --path {_KAC} "
    "--dry-run",
    "release-actions changelog action": f"INPUT_VERSION=latest INPUT_PATHS={_KAC} "
    "release-actions changelog action",
}


class _LineFormatter(argparse.HelpFormatter):
    """Wraps each line of a description on its own; an indented line (an example) is kept."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            indent + line
            if line.startswith(" ") or not line  # an example: copied as it is
            else textwrap.fill(
                line,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
            for line in text.splitlines()
        )


class CommandParser(argparse.ArgumentParser):
    """An argparse parser that raises :class:`UsageError` instead of exiting, never takes an
    abbreviation for an option, and calls a missing subcommand ``COMMAND``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        kwargs.setdefault("formatter_class", _LineFormatter)
        super().__init__(*args, **kwargs)
        self._given: list[str] = []

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[Any]:
        kwargs.setdefault("metavar", "COMMAND")
        kwargs.setdefault("parser_class", CommandParser)
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        unknown = [arg for arg in self._given if _is_unknown_option(self, arg)]
        if unknown and "required" in message:
            raise unknown_arguments_error(self, unknown)  # the typo is why the option is missing
        commands = _subcommands(self)
        if commands and "required: COMMAND" in message:
            raise UsageError(
                f"{self.prog}: which command? One of: {', '.join(commands)} "
                f"(see {self.prog} --help)"
            )
        if commands and "invalid choice:" in message:
            given = message.split("invalid choice: ", 1)[1].split(" (", 1)[0].strip("'")
            raise UsageError(f"{self.prog}: no command {given!r}{_did_you_mean(given, commands)}")
        raise UsageError(f"{self.prog}: {message}")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._given = list(args) if args is not None else []
        parsed, extras = super().parse_known_args(args, namespace)
        # The innermost parser records itself first, so unknown options are told against it.
        if not hasattr(parsed, "_parser"):
            parsed._parser = self
        return parsed, extras


def unknown_arguments_error(parser: argparse.ArgumentParser, extras: Sequence[str]) -> UsageError:
    """``--dryrun`` → "did you mean --dry-run?", told against the command that was run."""
    options = _options(parser)
    given = extras[0]
    if given.startswith("-"):
        name = given.split("=", 1)[0]
        return UsageError(f"{parser.prog}: no option {name}{_did_you_mean(name, options)}")
    return UsageError(f"{parser.prog}: unexpected argument {given!r} (see {parser.prog} --help)")


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings]


def _is_unknown_option(parser: argparse.ArgumentParser, arg: str) -> bool:
    return arg.startswith("--") and arg != "--" and arg.split("=", 1)[0] not in _options(parser)


def _did_you_mean(given: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(given, candidates, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def every_parser(
    parser: argparse.ArgumentParser,
) -> Iterator[argparse.ArgumentParser]:
    """Every parser in the tree, the top one included."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from every_parser(child)


def finish_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give every command its example."""
    for each in every_parser(parser):
        example = EXAMPLES.get(each.prog)
        if example and not each.epilog:
            each.epilog = f"example:\n  {example}"
    return parser


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--outputs`` and ``--json`` for a command that sets action outputs: on a terminal the
    outputs are kept out of the human text unless asked for."""
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--outputs",
        action="store_true",
        help="after the run, print the action outputs as 'name: value' lines",
    )
    shown.add_argument(
        "--json",
        action="store_true",
        help="print the action outputs as one JSON object on stdout (the text goes to stderr)",
    )
