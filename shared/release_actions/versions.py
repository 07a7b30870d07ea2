"""SemVer 2.0 parsing, tag normalisation and tag templates.

Tag templates are rendered and parsed by the template itself: ``{name}-{version}`` parses
``telepace-server-1.0.0-rc.1`` as name ``telepace-server`` and version ``1.0.0-rc.1``, because the
version part must be a valid SemVer string, not because of where the last ``-`` is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import semver

from .errors import UsageError

Version = semver.Version

KNOWN_TAG_TEMPLATES = ("{name}-{version}", "{name}-v{version}", "v{version}-{name}", "v{version}")

# A version number: ASCII digits only (``\d`` would take ``٢`` and ``２`` as 2), and at most 20
# of them, Helm's uint64 (Python refuses to int() more than 4300, and semver would try).
NUMBER = r"(?:0|[1-9][0-9]{0,19})"
_TOO_LONG_NUMBER = re.compile(r"[0-9]{21}")
_IDENTIFIER = rf"(?:{NUMBER}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*?)"
# Lazy quantifiers: when a name follows the version (``v{version}-{name}``), the version takes
# the shortest reading that lets the rest of the tag be a name.
_SEMVER_PATTERN = (
    rf"{NUMBER}\.{NUMBER}\.{NUMBER}"
    rf"(?:-{_IDENTIFIER}(?:\.{_IDENTIFIER})*?)??"
    r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*?)??"
)
_NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]*?"
_PLACEHOLDER = re.compile(r"\{(name|version)\}")


def parse_version(text: str) -> Version:
    """Parse strict SemVer 2.0; raise :class:`ValueError` with the offending text otherwise.
    Only ASCII digits count, and no number runs past 20 of them."""
    if not _plain(text):
        raise ValueError(f"{text[:80]!r} is not a valid SemVer 2.0 version")
    try:
        return Version.parse(text)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{text!r} is not a valid SemVer 2.0 version") from exc


def is_semver(text: str) -> bool:
    return _plain(text) and Version.is_valid(text)


def _plain(text: str) -> bool:
    """semver's own pattern takes any Unicode digit and numbers of any length."""
    return text.isascii() and not has_oversized_number(text)


def has_oversized_number(text: str) -> bool:
    """Whether ``text`` holds a run of more than 20 digits: no version number (a uint64) is
    that long, and past 4300 Python's int() refuses it."""
    return _TOO_LONG_NUMBER.search(text) is not None


def normalize_tag(tag: str) -> str:
    """Strip ``refs/tags/``, surrounding whitespace and one leading ``v``/``V``."""
    text = strip_tag_ref(tag)
    if text[:1] in ("v", "V"):
        text = text[1:]
    return text


def strip_tag_ref(tag: str) -> str:
    """Strip surrounding whitespace and ``refs/tags/``, keeping any ``v`` prefix."""
    text = tag.strip()
    return text.removeprefix("refs/tags/")


def base_version(version: Version) -> Version:
    """``X.Y.Z`` of a version, dropping prerelease and build metadata."""
    return Version(version.major, version.minor, version.patch)


def sort_versions(versions: Iterable[Version], *, descending: bool = False) -> list[Version]:
    return sorted(versions, reverse=descending)


@dataclass(frozen=True)
class TagTemplate:
    """A tag template such as ``{name}-v{version}``; ``{version}`` is required."""

    template: str

    def __post_init__(self) -> None:
        fields = _PLACEHOLDER.findall(self.template)
        if "version" not in fields:
            raise UsageError(f"tag template {self.template!r} must contain {{version}}")
        stray = _PLACEHOLDER.sub("", self.template)
        if "{" in stray or "}" in stray:
            raise UsageError(
                f"tag template {self.template!r} may only use {{name}} and {{version}}"
            )

    @property
    def uses_name(self) -> bool:
        return "{name}" in self.template

    def render(self, *, version: str, name: str = "") -> str:
        if self.uses_name and not name:
            raise UsageError(f"tag template {self.template!r} needs a chart name")
        return self.template.replace("{name}", name).replace("{version}", version)

    def parse(self, tag: str, *, name: str | None = None) -> tuple[str | None, Version] | None:
        """Return ``(name, version)`` when ``tag`` fits this template, else ``None``.

        Give ``name`` when it is known: it is then matched literally, which removes any doubt
        about where the name ends and the version begins.
        """
        match = self._regex(name).fullmatch(strip_tag_ref(tag))
        if match is None:
            return None
        found_name = match.groupdict().get("name", name if self.uses_name else None)
        return found_name, Version.parse(match.group("version"))

    def _regex(self, name: str | None) -> re.Pattern[str]:
        pieces: list[str] = []
        position = 0
        for placeholder in _PLACEHOLDER.finditer(self.template):
            pieces.append(re.escape(self.template[position : placeholder.start()]))
            if placeholder.group(1) == "name":
                pieces.append(re.escape(name) if name else f"(?P<name>{_NAME_PATTERN})")
            else:
                pieces.append(f"(?P<version>{_SEMVER_PATTERN})")
            position = placeholder.end()
        pieces.append(re.escape(self.template[position:]))
        return re.compile("".join(pieces), re.ASCII)
