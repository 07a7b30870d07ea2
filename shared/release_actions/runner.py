"""All GitHub Actions runner I/O: outputs, step summary, annotations, groups, masks.

Inside a workflow (``GITHUB_OUTPUT`` is set) it speaks the runner's file and workflow-command
protocols. On a terminal the same calls print plain, readable text, so every command can be run
locally.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TextIO

from .errors import SourceLocation

AnnotationLevel = Literal["error", "warning", "notice"]

# GitHub shows a few annotations of each level per step; past this many, the rest go to the
# step summary (see Runner.finish), up to a size the summary can hold (its limit is 1 MiB).
MAX_ANNOTATIONS = 20
_MAX_SUMMARY_LIST = 256 * 1024


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    name: str, message: str, properties: Mapping[str, object] | None = None
) -> str:
    """Format ``::name key=value,…::message`` with the toolkit's escaping."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (properties or {}).items()
        if value is not None
    )
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def format_env_file_entry(name: str, value: str) -> str:
    """One ``$GITHUB_OUTPUT``/``$GITHUB_ENV`` entry; multi-line values get a random delimiter."""
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    if delimiter in name or delimiter in value:  # pragma: no cover - 128 random bits
        raise ValueError("output value contains the heredoc delimiter")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


class Runner:
    """The one place that talks to the GitHub Actions runner (or to a terminal)."""

    def __init__(
        self,
        environ: Mapping[str, str],
        stream: TextIO | None = None,
        error_stream: TextIO | None = None,
    ) -> None:
        """``stream`` takes everything; on a terminal, annotations go to ``error_stream``.

        Keeping errors and warnings off standard output outside Actions lets a command's
        output (``--json``, notes) be piped; inside Actions the runner reads commands on stdout.
        Given only ``stream``, everything goes there.
        """
        self._environ = environ
        self._stream = stream if stream is not None else sys.stdout
        self._result_stream = self._stream
        if error_stream is None:
            error_stream = stream if stream is not None else sys.stderr
        self._error_stream = error_stream
        output = environ.get("GITHUB_OUTPUT", "")
        summary = environ.get("GITHUB_STEP_SUMMARY", "")
        self._output_path = Path(output) if output else None
        self._summary_path = Path(summary) if summary else None
        self.in_actions = self._output_path is not None
        self.debug_enabled = environ.get("RUNNER_DEBUG") == "1"
        self.outputs: dict[str, str] = {}
        self.summary_written = False
        self._annotated: dict[str, int] = {}
        self._held_back: list[str] = []  # annotations past MAX_ANNOTATIONS, as summary lines

    @property
    def has_summary_file(self) -> bool:
        return self._summary_path is not None

    def _print(self, line: str) -> None:
        print(line, file=self._stream, flush=True)

    def _print_error(self, line: str) -> None:
        print(line, file=self._error_stream, flush=True)

    def set_output(self, name: str, value: str) -> None:
        self.outputs[name] = value
        if self._output_path is None:
            return  # a terminal shows them only when asked (``--outputs``, ``--json``)
        with self._output_path.open("a", encoding="utf-8") as handle:
            handle.write(format_env_file_entry(name, value))

    def add_summary(self, markdown: str) -> None:
        self.summary_written = True
        text = markdown if markdown.endswith("\n") else markdown + "\n"
        if self._summary_path is None:
            self._print(_for_terminal(text).rstrip("\n"))
            return
        with self._summary_path.open("a", encoding="utf-8") as handle:
            handle.write(text)

    def annotate(
        self,
        level: AnnotationLevel,
        message: str,
        *,
        location: SourceLocation | None = None,
        title: str | None = None,
    ) -> None:
        if not self.in_actions:
            where = ""
            # "NEWS.md: NEWS.md not found" says the file twice; the message alone says it once.
            if location is not None and not message.startswith(f"{location.file} "):
                where = ":".join(
                    str(part)
                    for part in (location.file, location.line, location.col)
                    if part is not None
                )
                where += ": "
            self._print_error(f"{level}: {where}{message}")
            return
        self._annotated[level] = self._annotated.get(level, 0) + 1
        if self._annotated[level] > MAX_ANNOTATIONS:
            self._held_back.append(_summary_line(level, message, location))
            return
        properties: dict[str, object] = {}
        if location is not None:
            properties = {"file": location.file, "line": location.line, "col": location.col}
        properties["title"] = title
        self._print(workflow_command(level, message, properties))

    def finish(self) -> None:
        """Say how many annotations were held back, and list them in the step summary.

        Called once at the end of a command (by the CLI's error funnel).
        """
        if not self._held_back:
            return
        counts = ", ".join(
            f"{count - MAX_ANNOTATIONS:,} {level}{'s' if count - MAX_ANNOTATIONS > 1 else ''}"
            for level, count in self._annotated.items()
            if count > MAX_ANNOTATIONS
        )
        self._print(
            workflow_command(
                "warning",
                f"and {counts} more, not annotated (only the first {MAX_ANNOTATIONS} of each"
                " kind are): see the step summary",
            )
        )
        lines: list[str] = []
        size = 0
        for line in self._held_back:
            size += len(line) + 1
            if size > _MAX_SUMMARY_LIST:
                lines.append(f"- … and {len(self._held_back) - len(lines)} more, not listed")
                break
            lines.append(line)
        self._held_back = []
        self.add_summary(
            "<details><summary>Annotations not shown above</summary>\n\n"
            + "\n".join(lines)
            + "\n\n</details>\n"
        )

    def error(
        self, message: str, *, location: SourceLocation | None = None, title: str | None = None
    ) -> None:
        self.annotate("error", message, location=location, title=title)

    def warning(
        self, message: str, *, location: SourceLocation | None = None, title: str | None = None
    ) -> None:
        self.annotate("warning", message, location=location, title=title)

    def notice(
        self, message: str, *, location: SourceLocation | None = None, title: str | None = None
    ) -> None:
        self.annotate("notice", message, location=location, title=title)

    def info(self, message: str) -> None:
        self._print(message)

    def send_text_to_errors(self) -> None:
        """From now on, text goes where annotations go, leaving stdout to :meth:`print_result`."""
        self._stream = self._error_stream

    def print_result(self, text: str) -> None:
        """A machine-readable result (``--json``) on the original stdout."""
        print(text, file=self._result_stream, flush=True)

    def diagnostic(self, message: str) -> None:
        """Text about the run, not its result: kept off stdout on a terminal."""
        (self._print if self.in_actions else self._print_error)(message)

    def print_untrusted(self, text: str) -> None:
        """Print text from a file or a user (release notes) that may hold ``::command::`` lines.

        Inside Actions the runner would run them, so they go between ``::stop-commands::`` and
        a random resume token. Redirected to a file (``> notes.md``), the runner never reads it:
        the text goes as is.
        """
        if not self.in_actions or _is_regular_file(self._stream):
            self._print(text)
            return
        token = secrets.token_hex(16)
        self._print(workflow_command("stop-commands", token))
        self._print(text)
        self._print(f"::{token}::")

    def debug(self, message: str) -> None:
        if self.in_actions:
            self._print(workflow_command("debug", message))
        elif self.debug_enabled:
            self._print(f"debug: {message}")

    def mask(self, secret: str) -> None:
        if self.in_actions and secret:
            self._print(workflow_command("add-mask", secret))

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        if self.in_actions:
            self._print(workflow_command("group", title))
        else:
            self.diagnostic(f"── {title}")
        try:
            yield
        finally:
            if self.in_actions:
                self._print("::endgroup::")


def _summary_line(level: str, message: str, location: SourceLocation | None) -> str:
    """One held-back annotation as a Markdown list item; its text cannot open HTML or code."""
    where = ""
    if location is not None:
        parts = (location.file, location.line, location.col)
        where = ":".join(str(part) for part in parts if part is not None) + ": "
    text = f"{where}{message}".replace("\n", " ")
    return f"- {level}: " + text.replace("&", "&amp;").replace("<", "&lt;").replace("`", "&#96;")


_DETAILS_OPEN = re.compile(r"<details>\s*<summary>(.*?)</summary>", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"^</details>\n?", re.IGNORECASE | re.MULTILINE)


def _for_terminal(markdown: str) -> str:
    """A step summary as a person at a terminal reads it: a folded section's title is a line
    of its own, and the HTML that folds it is gone."""
    return _DETAILS_CLOSE.sub("", _DETAILS_OPEN.sub(r"\1:", markdown))


def _is_regular_file(stream: TextIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):  # io.StringIO and other streams without a descriptor
        return False
