"""Atomic file writes: every file the actions write goes through here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import ReleaseActionsError, SourceLocation


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write through a temporary file in the same directory and rename it over ``path``.

    A reader, or a run that dies half-way, sees the old file or the new one, never half of one.
    Text is written as UTF-8 exactly as given (no newline translation). The file keeps its mode.
    A full disk or a read-only destination is a :class:`WriteError` naming the file; the old
    file, if any, is left as it was.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write(path, payload)
    except OSError as exc:
        # mkdir(exist_ok=True) over a file says "File exists": say what it means.
        reason = (
            "a part of its directory is a file"
            if isinstance(exc, FileExistsError | NotADirectoryError)
            else exc.strerror or str(exc)
        )
        raise WriteError(
            f"cannot write {path}: {reason}; nothing was changed there",
            location=SourceLocation(str(path)),
        ) from None


class WriteError(ReleaseActionsError):
    """A file could not be written (a full disk, a read-only or missing destination)."""


def _write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
