"""The exception hierarchy. Library code raises these; only :mod:`release_actions.cli` exits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """Where in a user's file a problem is, for an ``::error file=…,line=…::`` annotation."""

    file: str
    line: int | None = None
    col: int | None = None


class ReleaseActionsError(Exception):
    """A problem the user can fix: bad input, a failed check, an unreachable service.

    It becomes one ``::error`` annotation (on ``location`` when known) and exit code 1.
    """

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.title = title

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        where = self.location.file
        if self.location.line is not None:
            where += f":{self.location.line}"
            if self.location.col is not None:
                where += f":{self.location.col}"
        return f"{where}: {self.message}"


class UsageError(ReleaseActionsError):
    """The command or action was called wrongly (a bad flag or input). Exit code 2."""


class InputError(UsageError):
    """An action input is missing or malformed; the message names the input."""


class ChecksFailed(ReleaseActionsError):
    """One or more checks failed. Each finding was already reported as its own annotation."""


class GitError(ReleaseActionsError):
    """A git command failed."""


class GitHubError(ReleaseActionsError):
    """A GitHub API call failed after its retries."""


class NetworkError(ReleaseActionsError):
    """No answer at all from a server (DNS, refused connection, timeout), after the retries."""
