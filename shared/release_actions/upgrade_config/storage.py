"""Reading and atomically writing the files the sync works on."""

from __future__ import annotations

from pathlib import Path

from ..confine import read_confined, work_tree_root
from ..errors import ReleaseActionsError, SourceLocation
from ..fsutil import write_atomically

__all__ = ["read_text", "write_atomically"]


def read_text(path: Path, shown_as: str) -> str:
    """The file's text. Errors name ``shown_as`` in their location only: the annotation (and the
    terminal's ``file: message``) shows it, so the message does not repeat it."""
    try:
        return read_confined(path, work_tree_root(path.parent)).decode("utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise ReleaseActionsError(
            "file does not exist", location=SourceLocation(shown_as)
        ) from None
    except UnicodeDecodeError as exc:
        raise ReleaseActionsError(
            f"not UTF-8 text: {exc.reason}", location=SourceLocation(shown_as)
        ) from None
