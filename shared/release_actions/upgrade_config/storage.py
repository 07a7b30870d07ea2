"""Reading and atomically writing the files the sync works on."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import ReleaseActionsError, SourceLocation


def read_text(path: Path, shown_as: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReleaseActionsError(
            f"{shown_as} does not exist", location=SourceLocation(shown_as)
        ) from None
    except UnicodeDecodeError as exc:
        raise ReleaseActionsError(
            f"{shown_as} is not UTF-8 text: {exc.reason}", location=SourceLocation(shown_as)
        ) from None


def write_atomically(path: Path, text: str) -> None:
    """A reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
