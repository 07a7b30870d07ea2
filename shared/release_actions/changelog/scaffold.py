"""``changelog new``: a new entry, from the project's template or in the style of the file.

With a template (HAMi's ``docs/CHANGELOG/CHANGELOG-0.0.0.md``), its version is replaced by the new
one, except after "since", which names the previous version. Without one, the heading copies the
level, ``v`` prefix, brackets and date style of an entry already in the file. The body is left as
placeholders, which the release gate counts as empty, so an unfilled entry cannot ship.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .reading import Changelog, Entry, LooseVersion, parse_changelog
from .rules import Order, Profile

DEFAULT_TITLE = "# Changelog"
_PLACEHOLDER_BODY = {
    "default": "None.",
    "keepachangelog": "### Added\n\n### Changed\n\n### Fixed",
}


@dataclass(frozen=True)
class Scaffold:
    text: str  # the whole new file
    line: int  # the new entry's heading line


def new_file(
    version: LooseVersion,
    *,
    previous: LooseVersion | None,
    template: str | None,
    date: datetime.date,
    profile: Profile,
) -> Scaffold:
    """A new changelog file holding one entry: the template filled in, or a title and a section."""
    if template is not None:
        template_changelog = parse_changelog(template)
        if template_changelog.entries:
            sample = template_changelog.entries[0]
            text = _fill(template, sample, version, previous, date)
            line = parse_changelog(text).entries[0].line
            return Scaffold(text.rstrip("\n") + "\n", line)
    section = _section(version, None, date, profile)
    return Scaffold(f"{DEFAULT_TITLE}\n\n{section}\n", 3)


def add_entry(
    text: str,
    changelog: Changelog,
    version: LooseVersion,
    *,
    previous: LooseVersion | None,
    template: str | None,
    date: datetime.date,
    order: Order,
    profile: Profile,
) -> Scaffold:
    """``text`` with a new section for ``version`` where ``order`` wants it."""
    section = _template_section(template, version, previous, date)
    if section is None:
        sample = changelog.latest() or (changelog.entries[0] if changelog.entries else None)
        section = _section(version, sample, date, profile)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    at = _insertion_index(changelog, lines, version, order)
    before = lines[:at]
    while before and not before[-1].strip():
        before.pop()
    after = lines[at:]
    while after and not after[0].strip():
        after.pop(0)
    block = section.split("\n")
    new_lines = [*before, *([""] if before else []), *block, *([""] if after else []), *after]
    return Scaffold("\n".join(new_lines) + "\n", len(before) + (2 if before else 1))


def _insertion_index(
    changelog: Changelog, lines: list[str], version: LooseVersion, order: Order
) -> int:
    """The 0-based line index the new section goes before."""
    released = changelog.released
    if order == "asc":
        newer = [entry for entry in released if entry.version > version]
        if newer:
            return newer[0].line - 1
        last = changelog.entries[-1] if changelog.entries else None
        if last is not None and last.version.unreleased:
            return last.line - 1
    else:
        older = [entry for entry in released if entry.version < version]
        if older:
            return older[0].line - 1
    if not changelog.entries:
        return len(lines)
    return _content_end(changelog, lines, changelog.entries[-1])


def _content_end(changelog: Changelog, lines: list[str], entry: Entry) -> int:
    """Just after the entry's last line that is neither blank nor a link definition."""
    last = min(entry.end_line, len(lines))
    while last > entry.line and (not lines[last - 1].strip() or last in changelog.link_lines):
        last -= 1
    return last


def _section(
    version: LooseVersion, sample: Entry | None, date: datetime.date, profile: Profile
) -> str:
    body = _PLACEHOLDER_BODY[profile]
    if sample is None:
        title = (
            f"[{version.key}] - {date.isoformat()}"
            if profile == "keepachangelog"
            else f"v{version.key} - {date.isoformat()}"
        )
        return f"## {title}\n\n{body}"
    return f"{'#' * sample.level} {title_like(sample, version, date)}\n\n{body}"


def title_like(sample: Entry, version: LooseVersion, date: datetime.date) -> str:
    """A heading text for ``version`` in the style of ``sample``'s: its ``v``, brackets and date
    style, without its link or a ``[YANKED]`` marker."""
    title = sample.title
    if sample.link:
        title = title.replace(f"({sample.link})", "", 1)
    title = title.replace(sample.version.text, spelled_like(sample, version), 1)
    if sample.date_text:
        title = title.replace(sample.date_text, date.isoformat(), 1)
    return _without_yanked_marker(title)


def _without_yanked_marker(title: str) -> str:
    """``title`` less a trailing ``- [YANKED]`` (any case, brackets and dash optional); read
    from the end by hand, as a searched pattern would go quadratic on a long run of blanks."""
    text = title.rstrip(" \t")
    body = text[:-1] if text[-1:] in ("]", ")") else text
    if body[-6:].lower() != "yanked":
        return title
    head = body[:-6]
    head = head[:-1] if head[-1:] in ("[", "(") else head
    head = head.rstrip(" \t")
    head = head[:-1] if head[-1:] in ("-", "–", "—") else head
    return head.rstrip(" \t")


def spelled_like(sample: Entry, version: LooseVersion) -> str:
    """``version`` as given, with a ``v`` when ``sample``'s version has one."""
    return ("v" if sample.version.text[:1] in "vV" else "") + version.text.lstrip("vV")


def _template_section(
    template: str | None,
    version: LooseVersion,
    previous: LooseVersion | None,
    date: datetime.date,
) -> str | None:
    if template is None:
        return None
    changelog = parse_changelog(template)
    if not changelog.entries:
        return None
    sample = changelog.entries[0]
    lines = template.split("\n")[sample.line - 1 : sample.end_line]
    return _fill("\n".join(lines), sample, version, previous, date).strip("\n")


def _fill(
    text: str,
    sample: Entry,
    version: LooseVersion,
    previous: LooseVersion | None,
    date: datetime.date,
) -> str:
    """Replace the template's version by the new one, and by the previous one after "since"."""
    old = sample.version.key
    since = previous.key if previous is not None else version.key
    pattern = re.compile(
        rf"(?P<since>(?i:since)[ \t]+)?(?<![\w.])(?P<v>[vV]?){re.escape(old)}(?!\w|\.[0-9])"
    )
    filled = pattern.sub(
        lambda m: (m["since"] or "") + m["v"] + (since if m["since"] else version.key), text
    )
    filled = _replace_anchors(filled, old.replace(".", ""), version, previous)
    if sample.date_text:
        filled = filled.replace(sample.date_text, date.isoformat(), 1)
    return filled


def _replace_anchors(
    text: str, anchor: str, version: LooseVersion, previous: LooseVersion | None
) -> str:
    """doctoc anchors drop the dots: ``#v000``, ``#changelog-since-v000``."""
    new = version.key.replace(".", "")
    since = previous.key.replace(".", "") if previous is not None else new
    text = re.sub(rf"(#changelog-since-v?){re.escape(anchor)}\b", rf"\g<1>{since}", text)
    return re.sub(rf"(#(?:[\w-]*-)?v?){re.escape(anchor)}\b", rf"\g<1>{new}", text)
