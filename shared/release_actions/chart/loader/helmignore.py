""".helmignore rules, evaluated exactly as Helm's ``pkg/ignore`` evaluates them.

Helm's rules are gitignore-like but not gitignore: patterns are Go ``filepath.Match`` globs
(``*`` stops at ``/``, ``[^…]`` negates, ``**`` is an error), a pattern without ``/`` matches the
base name, a leading ``/`` anchors at the chart root, a trailing ``/`` matches directories only,
and rules are tried in order with the first decisive one winning. A negated rule ``!p`` is
decisive for everything it does *not* match (that is ignored), and lets what it matches go on to
the next rule. Helm always adds ``templates/.?*`` last. We also always skip version-control
metadata (``.git`` and friends), which is never chart content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import ReleaseActionsError, SourceLocation

_ALWAYS_IGNORED = (".git", ".hg", ".svn", ".bzr")
_HELM_DEFAULT_RULE = "templates/.?*"


class BadPattern(ValueError):
    """Go's ``filepath.ErrBadPattern``."""


@dataclass(frozen=True)
class _Rule:
    raw: str
    negate: bool
    must_be_dir: bool
    whole_path: bool  # match the path from the chart root, not just the base name
    regex: re.Pattern[str]

    def matches(self, path: str) -> bool:
        subject = path if self.whole_path else PurePosixPath(path).name
        return self.regex.fullmatch(subject) is not None


@dataclass(frozen=True)
class HelmIgnore:
    """An ordered rule set; :meth:`ignores` answers for one chart-relative path."""

    rules: tuple[_Rule, ...]

    @classmethod
    def parse(cls, text: str, *, source: str = ".helmignore") -> HelmIgnore:
        """The rules in ``text`` followed by Helm's default rule; a bad line raises
        :class:`ReleaseActionsError` located on that line."""
        rules: list[_Rule] = []
        # Helm trims a UTF-8 byte order mark off the first line, so its rule still counts.
        text = text.removeprefix("\ufeff")
        # Go's bufio.ScanLines: lines end at "\n" only (a "\r" before it goes with TrimSpace).
        for number, line in enumerate(text.split("\n"), start=1):
            try:
                rule = _parse_rule(line)
            except BadPattern as exc:
                raise ReleaseActionsError(
                    f"invalid .helmignore rule {line.strip()!r}: {exc}",
                    location=SourceLocation(source, number),
                ) from None
            if rule is not None:
                rules.append(rule)
        default = _parse_rule(_HELM_DEFAULT_RULE)
        assert default is not None
        return cls((*rules, default))

    @classmethod
    def empty(cls) -> HelmIgnore:
        return cls.parse("")

    def ignores(self, path: str, *, is_dir: bool) -> bool:
        """Whether the chart-relative ``path`` (``/``-separated) is left out of the package."""
        if path in ("", ".", "./"):
            return False
        if PurePosixPath(path).name in _ALWAYS_IGNORED:
            return True
        for rule in self.rules:
            if rule.negate:
                if rule.must_be_dir and not is_dir:
                    return True
                if not rule.matches(path):
                    return True
                continue
            if rule.must_be_dir and not is_dir:
                continue
            if rule.matches(path):
                return True
        return False


def _parse_rule(line: str) -> _Rule | None:
    rule = line.strip()
    if not rule or rule.startswith("#"):
        return None
    if "**" in rule:
        raise BadPattern("double-star (**) syntax is not supported")
    go_glob_regex(rule)  # Helm validates the raw rule, "!" and trailing "/" included
    raw = rule
    negate = rule.startswith("!")
    if negate:
        rule = rule[1:]
    must_be_dir = rule.endswith("/")
    if must_be_dir:
        rule = rule[:-1]
    whole_path = "/" in rule
    if rule.startswith("/"):
        rule = rule[1:]
    return _Rule(
        raw=raw,
        negate=negate,
        must_be_dir=must_be_dir,
        whole_path=whole_path,
        regex=re.compile(go_glob_regex(rule), re.DOTALL),
    )


def go_glob_regex(pattern: str) -> str:
    """A regular expression matching what Go's ``filepath.Match(pattern, name)`` matches.

    Raises :class:`BadPattern` where Go returns ``ErrBadPattern``.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "\\":
            if i + 1 >= len(pattern):
                raise BadPattern("trailing backslash")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif char == "[":
            regex, i = _character_class(pattern, i + 1)
            out.append(regex)
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


def _character_class(pattern: str, i: int) -> tuple[str, int]:
    negated = i < len(pattern) and pattern[i] == "^"
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    count = 0
    while True:
        if i < len(pattern) and pattern[i] == "]" and count > 0:
            i += 1
            break
        low, i = _class_char(pattern, i)
        high = low
        if pattern[i] == "-":
            high, i = _class_char(pattern, i + 1)
        if low <= high:  # Go accepts an empty range like z-a; it just matches nothing
            ranges.append((low, high))
        count += 1
    members = "".join(
        f"\\U{ord(low):08x}" if low == high else f"\\U{ord(low):08x}-\\U{ord(high):08x}"
        for low, high in ranges
    )
    if not members:
        return ("[\\s\\S]" if negated else "(?!)"), i
    return (f"[^{members}]" if negated else f"[{members}]"), i


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    """Go's ``getEsc``: one (possibly escaped) character of a class, which must not end it."""
    if i >= len(pattern) or pattern[i] in "-]":
        raise BadPattern("malformed character class")
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise BadPattern("malformed character class")
    if i + 1 >= len(pattern):
        raise BadPattern("unterminated character class")
    return pattern[i], i + 1
