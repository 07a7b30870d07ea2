"""Where changelogs are: path templates (``docs/CHANGELOG/CHANGELOG-{major}.{minor}.md``), globs.

A template is rendered for one version in the release gate, and read as a glob (each placeholder
matches any one path segment part) to find every changelog in lint mode and on pull requests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from .loose_version import LooseVersion

PLACEHOLDERS = ("major", "minor", "patch", "version", "tag")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NUMBER = re.compile(r"[0-9]{1,20}")  # ASCII only (\d takes ٢); int() refuses 4301 digits


@dataclass(frozen=True)
class PathTemplate:
    template: str

    def __post_init__(self) -> None:
        unknown = [name for name in _PLACEHOLDER.findall(self.template) if name not in PLACEHOLDERS]
        if unknown or not self.template.strip():
            raise InputError(
                f"input 'paths': {self.template!r} may only use the placeholders "
                + ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            )

    def render(self, version: LooseVersion, tag: str) -> str:
        values = {
            "major": str(version.major),
            "minor": str(version.minor),
            "patch": str(version.patch),
            "version": version.key,
            "tag": tag,
        }
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], self.template)

    @property
    def glob(self) -> str:
        return _PLACEHOLDER.sub("*", self.template)

    @property
    def regex(self) -> re.Pattern[str]:
        """Paths relative to the repository root that this template names."""
        return glob_regex(self.glob, anchored=True)


def glob_regex(pattern: str, *, anchored: bool = False) -> re.Pattern[str]:
    """``**`` crosses directories, ``*`` and ``?`` do not. Unless ``anchored``, a pattern without
    ``/`` matches at any depth, like ``.gitignore`` (``*.go``)."""
    text = pattern.strip().removeprefix("./")
    anchored = anchored or "/" in text.rstrip("/")
    text = text.lstrip("/")
    out = []
    index = 0
    while index < len(text):
        if text.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif text.startswith("**", index):
            out.append(".*")
            index += 2
        elif text[index] == "*":
            out.append("[^/]*")
            index += 1
        elif text[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(text[index]))
            index += 1
    body = "".join(out)
    if text.endswith("/"):
        body += ".*"  # a directory: everything under it
    return re.compile(body if anchored else f"(?:.*/)?{body}")


@dataclass(frozen=True)
class PathFilter:
    """Globs, where a leading ``!`` excludes; no include pattern means every path."""

    patterns: tuple[str, ...] = ()

    def matches(self, path: str) -> bool:
        includes = [p for p in self.patterns if not p.startswith("!")]
        excludes = [p[1:] for p in self.patterns if p.startswith("!")]
        if includes and not any(glob_regex(p).fullmatch(path) for p in includes):
            return False
        return not any(glob_regex(p).fullmatch(path) for p in excludes)


def is_changelog(path: str, templates: Sequence[PathTemplate]) -> bool:
    return any(template.regex.fullmatch(path) for template in templates)


def find_changelogs(root: Path, templates: Sequence[PathTemplate]) -> list[str]:
    """Every existing file a template matches, as sorted paths relative to ``root``."""
    found: set[str] = set()
    for template in templates:
        pattern = template.glob.removeprefix("./").lstrip("/")
        for path in root.glob(pattern):
            relative = path.relative_to(root)
            if relative.parts[:1] != (".git",) and path.is_file():
                found.add(relative.as_posix())
    return sorted(path for path in found if is_changelog(path, templates))


def newest_changelog(paths: Sequence[str]) -> str | None:
    """The path whose numbers are highest: ``CHANGELOG-1.10.md`` over ``CHANGELOG-1.9.md``."""
    return max(
        paths, key=lambda path: [int(number) for number in _NUMBER.findall(path)], default=None
    )
