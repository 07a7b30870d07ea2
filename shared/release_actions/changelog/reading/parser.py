"""Parse a changelog into entries. Pure, linear, and total: any text gives a :class:`Changelog`.

A version heading is an ATX heading of level 1–3 or a setext heading whose text names a version
(see :mod:`.title`). Its entry's body runs to the next version heading of any level (release-please
mixes H2 minors with H3 patches, which are siblings, not children) or to an ordinary heading of a
higher level (a shallower one), whichever comes first.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ...confine import read_confined, work_tree_root
from ...errors import SourceLocation
from ...runner import Runner
from .markdown import Document, Heading, scan
from .model import Changelog, Entry, SubHeading
from .title import VersionTitle, read_version_title

MAX_VERSION_LEVEL = 3
# Prefixes that introduce a version on their own; a product name ("Towncrier 24.8.0") must recur.
_KNOWN_PREFIXES = frozenset({"version", "release"})


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 with or without a BOM, LF/CRLF/CR line ends → LF text; True if bytes were invalid."""
    try:
        text = data.decode("utf-8-sig")
        invalid = False
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        invalid = True
    return normalize_text(text), invalid


def normalize_text(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_changelog(file: Path, display_path: str) -> Changelog:
    """Read and parse a file; ``display_path`` is how annotations name it. A link out of the
    repository (or into ``.git``, or to a FIFO) is refused: see :mod:`release_actions.confine`."""
    text, invalid = decode(read_confined(file, work_tree_root(file.parent), subject="changelog"))
    return parse_changelog(text, display_path, invalid_utf8=invalid)


def parse_changelog(
    text: str, path: str = "CHANGELOG.md", *, invalid_utf8: bool = False
) -> Changelog:
    text = normalize_text(text)
    document = scan(text)
    return Changelog(
        path=path,
        entries=tuple(_entries(document)),
        links=document.links,
        link_lines=document.link_lines,
        line_count=len(document.lines),
        blank=not text.strip(),
        invalid_utf8=invalid_utf8,
    )


def _entries(document: Document) -> list[Entry]:
    headings = document.headings
    titles = _version_titles(headings)
    positions = sorted(titles)
    entries = []
    for number, position in enumerate(positions):
        heading = headings[position]
        stop = positions[number + 1] if number + 1 < len(positions) else len(headings)
        end_line = headings[stop].line - 1 if stop < len(headings) else len(document.lines)
        subheadings = []
        for other in headings[position + 1 : stop]:
            if other.level < heading.level:
                end_line = other.line - 1
                break
            subheadings.append(SubHeading(other.level, other.text, other.line))
        entries.append(_entry(document, heading, titles[position], end_line, subheadings))
    return entries


def _version_titles(headings: tuple[Heading, ...]) -> dict[int, VersionTitle]:
    """Version titles by position in ``headings``."""
    read: dict[str, VersionTitle | None] = {}  # a file may repeat one heading 100,000 times
    candidates = {}
    for position, heading in enumerate(headings):
        if heading.level > MAX_VERSION_LEVEL:
            continue
        if heading.text not in read:
            read[heading.text] = read_version_title(heading.text)
        if title := read[heading.text]:
            candidates[position] = title
    plain_levels = [headings[p].level for p, title in candidates.items() if not title.prefix]
    shallowest_plain = min(plain_levels, default=MAX_VERSION_LEVEL)
    prefixes = Counter(title.prefix.casefold() for title in candidates.values() if title.prefix)

    def accepted(heading: Heading, title: VersionTitle) -> bool:
        if not title.prefix:
            return True
        prefix = title.prefix.casefold()
        recurring = prefix in _KNOWN_PREFIXES or prefixes[prefix] >= 2
        # "### Kubernetes 1.28" inside an entry is a topic, not a release.
        return recurring and heading.level <= shallowest_plain

    return {p: title for p, title in candidates.items() if accepted(headings[p], title)}


def _entry(
    document: Document,
    heading: Heading,
    title: VersionTitle,
    end_line: int,
    subheadings: list[SubHeading],
) -> Entry:
    first = heading.end_line + 1
    last = end_line
    while last >= first and (not document.lines[last - 1].strip() or last in document.link_lines):
        last -= 1
    start = first
    while start <= last and not document.lines[start - 1].strip():
        start += 1
    return Entry(
        version=title.version,
        title=heading.text,
        line=heading.line,
        level=heading.level,
        body="\n".join(document.lines[start - 1 : last]),
        body_line=first,
        end_line=end_line,
        date=title.date,
        date_text=title.date_text,
        yanked=title.yanked,
        bracketed=title.bracketed,
        link=title.link,
        prefix=title.prefix,
        subheadings=tuple(subheadings),
    )


# File I/O for the changelog commands: reading changelogs leniently, writing atomically.
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
    """A text file's content, or None when it does not exist. Only a file inside the
    repository is read (see :mod:`release_actions.confine`)."""
    try:
        data = read_confined(root / path, work_tree_root(root))
        return data.decode("utf-8-sig", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def encode_like(text: str, original: bytes | None) -> bytes:
    """Encode LF text with the line ends and BOM of the file it replaces (CRLF files stay CRLF)."""
    if original is not None and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if original is not None and original.startswith(BOM) else data
