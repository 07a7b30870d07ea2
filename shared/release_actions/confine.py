"""Paths that come from the repository or from an input stay inside the repository.

A repository is not trusted: a symbolic link in it may point at ``/etc/passwd``, at
``/proc/self/environ`` (the token, in the environment), at ``.git/config`` (actions/checkout's
persisted token) or at a FIFO that blocks a read for ever. Helm follows links with a warning; an
action that runs with a write token refuses them. Every path we read from the repository, or
write into a checkout, goes through this module:

- :func:`confined` resolves a path and refuses it when it leads outside the work tree, into its
  ``.git``, or to anything but a regular file or a directory. Links that stay inside keep working.
- :func:`read_confined` reads a file after that check.
- :func:`writable` refuses a path under a checkout that passes through any link at all, so a
  write can never land outside it (a symlinked directory on the pages branch, say).
- :func:`output_file` accepts an output path only under the workspace or ``RUNNER_TEMP``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import ReleaseActionsError, SourceLocation

__all__ = [
    "RefusedPath",
    "confined",
    "output_file",
    "read_confined",
    "work_tree_root",
    "writable",
]

GIT_DIR = ".git"


class RefusedPath(ReleaseActionsError):
    """A path leads outside the repository, into ``.git``, or to a device, FIFO or socket."""


def work_tree_root(path: Path) -> Path:
    """The top of the git work tree holding ``path``: the nearest directory with a ``.git``.

    The search goes up ``path`` as written, never through where a link leads: a chart
    directory that is itself a link out must not take the boundary along with it. Outside any
    work tree the boundary is ``path`` itself (its directory, for a file), so a plain directory
    cannot reach beyond itself either.
    """
    # ``..`` is folded first: pathlib's parents of ``repo/../data`` would climb back into ``repo``.
    start = Path(os.path.normpath(path.absolute()))
    for candidate in (start, *start.parents):
        if (candidate / GIT_DIR).exists():
            return candidate
    return start if start.is_dir() and not start.is_symlink() else start.parent


def confined(path: Path, root: Path, *, subject: str = "") -> Path:
    """``path`` resolved; refused when it is outside ``root`` (the work tree), inside its
    ``.git``, or neither a regular file nor a directory. A missing path is returned as is: the
    caller says what is missing.

    ``subject`` starts the message (``chart demo``); the message names the link and its target.
    """
    real_root = root.resolve()
    real = path.resolve()
    git_dir = real_root / GIT_DIR
    if real != real_root and real_root not in real.parents:
        raise _refused(subject, path, root, "outside the repository")
    if real == git_dir or git_dir in real.parents:
        raise _refused(subject, path, root, f"inside {GIT_DIR}/")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise _refused(subject, path, root, f"unreadable ({exc.strerror})") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise _refused(subject, path, root, f"a {_kind(mode)}, not a regular file")
    return real


def read_confined(path: Path, root: Path, *, subject: str = "") -> bytes:
    """The bytes of ``path`` after :func:`confined`'s checks (``FileNotFoundError`` when
    missing, as :meth:`Path.read_bytes` raises it)."""
    real = confined(path, root, subject=subject)
    if real.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    return real.read_bytes()


def writable(path: Path, root: Path, *, subject: str = "") -> Path:
    """``path`` (under the checkout ``root``) when no part of it below ``root`` is a link.

    A write through a link could land anywhere, and ``git add`` would not see it: so a link on
    the way, even one that stays inside, is refused. The path need not exist yet.
    """
    try:
        relative = path.relative_to(root) if path.is_absolute() else path
    except ValueError:
        raise _refused(subject, path, root, f"outside {root}") from None
    if relative.is_absolute() or ".." in relative.parts:
        raise _refused(subject, path, root, f"outside {root}")
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise _refused(subject, current, root, "and a write never goes through a link")
    return root / relative


def output_file(path: Path, allowed: Iterable[Path], *, name: str) -> Path:
    """An output file an input names: refused unless it resolves under one of ``allowed``
    (the workspace and ``RUNNER_TEMP``)."""
    real = path.resolve()
    roots = [root.resolve() for root in allowed]
    if any(real == root or root in real.parents for root in roots):
        return path
    places = " or ".join(str(root) for root in roots) or "the workspace"
    raise RefusedPath(f"input '{name}': {path} is not under {places}; refusing to write it")


def _first_link(path: Path, root: Path) -> Path | None:
    """The first component of ``path`` below ``root`` that is a symbolic link."""
    try:
        parts = path.relative_to(root).parts
        current = root
    except ValueError:
        parts, current = path.parts, Path(path.anchor or ".")
        parts = parts[1:] if path.anchor else parts
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _refused(subject: str, path: Path, root: Path, reason: str) -> RefusedPath:
    """ "chart demo: templates is a symbolic link to /etc/ssh, outside the repository"."""
    link = _first_link(path, root)
    if link is not None:
        what = f"{_shown(link, root)} is a symbolic link to {link.resolve()},"
    else:
        what = f"{_shown(path, root)} is"
    message = f"{what} {reason}"
    return RefusedPath(
        f"{subject}: {message}" if subject else message,
        location=SourceLocation(str(path)),
        title="Path refused",
    )
