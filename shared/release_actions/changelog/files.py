"""File I/O for the changelog commands: reading changelogs leniently, writing atomically."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceLocation
from ..runner import Runner
from .model import Changelog
from .parser import read_changelog

BOM = b"\xef\xbb\xbf"


def load_changelog(root: Path, path: str, runner: Runner) -> Changelog:
    """Parse ``root/path``; invalid UTF-8 is replaced, with a warning rather than a crash."""
    changelog = read_changelog(root / path, path)
    if changelog.invalid_utf8:
        runner.warning(
            f"{path} is not valid UTF-8; the bytes that are not were replaced",
            location=SourceLocation(path),
        )
    return changelog


def read_text(root: Path, path: str) -> str | None:
    """A text file's content, or None when it does not exist."""
    try:
        return (root / path).read_text(encoding="utf-8-sig", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def encode_like(text: str, original: bytes | None) -> bytes:
    """Encode LF text with the line ends and BOM of the file it replaces (CRLF files stay CRLF)."""
    if original is not None and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if original is not None and original.startswith(BOM) else data
