"""Does a heading's text name a version? ``v1.2.3``, ``[1.2.3](link) (2024-01-31)``, ``Unreleased``…

Accepted shapes, after an optional one-word product prefix (``Towncrier 24.8.0``):

- the version alone, or in brackets, or as a link's text: ``1.2.3``, ``[v1.2.3]``,
  ``[1.2.3](https://…)``, ``[1.2.3][ref]``;
- then, optionally, a date: `` - 2024-01-31``, `` (2024-01-31)``, `` on 2024-01-31``,
  `` / 2024-01-31``; a ``[YANKED]`` or ``- YANKED`` marker; or any text after a separator
  (``- Codename``).

Anything else after the version (``2.0 Migration guide``) is prose, not a version heading.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from typing import NamedTuple

from .loose_version import VERSION_TOKEN, LooseVersion, version_from_token

_UNRELEASED_TOKEN = r"[vV]?(?i:unreleased)(?![0-9A-Za-z_])"
_TITLE = re.compile(
    r"(?:(?P<prefix>[A-Za-z][A-Za-z0-9_-]*)[ \t]+)??"
    rf"(?:\[[ \t]*(?P<bracketed>{VERSION_TOKEN}|{_UNRELEASED_TOKEN})[ \t]*\]"
    r"(?:\((?P<link>[^()\s]*)\)|\[(?P<ref>[^\]]*)\])?"
    rf"|(?P<bare>{VERSION_TOKEN}|{_UNRELEASED_TOKEN}))"
    r"(?P<rest>.*)$"
)
_MAYBE_VERSION = re.compile(r"[0-9]\.[0-9]|(?i:unreleased)")
_DATE = re.compile(
    r"(?:[-–—/:,|]|(?i:released(?:[ \t]+on)?|on))?[ \t]*(?:[\[(][ \t]*)?"
    r"(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"
    r"|[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}"
    r"|[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4})"
    r"(?![0-9])[ \t]*[\])]?"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b")
_SEPARATOR = "-–—:|/(,"
# One word after a version without a separator: "## 5.0.2 alpha", "## 5.0.3 RTM" (Polly).
_LABEL = re.compile(
    r"(?i:(?P<pre>alpha|beta|pre|preview|rc)\.?(?P<number>[0-9]*)|rtm|ga|final|stable|lts|hotfix)"
)


class VersionTitle(NamedTuple):  # a tuple: a 1 MB file may hold 100,000 of them
    version: LooseVersion
    prefix: str = ""  # a product name before the version, as written
    date: datetime.date | None = None
    date_text: str = ""  # the date as written; set while ``date`` is None means a bad date
    yanked: bool = False
    bracketed: bool = False
    link: str = ""  # the URL of ``[1.2.3](url)``

    @property
    def bad_date(self) -> bool:
        return bool(self.date_text) and self.date is None


def read_version_title(text: str) -> VersionTitle | None:
    """The version a heading names, or None when the heading is not a version heading."""
    if not _MAYBE_VERSION.search(text):  # most headings ("### Bug Fixes"): skip the big pattern
        return None
    match = _TITLE.match(text.strip())
    if match is None:
        return None
    prefix, bracketed, link, bare, rest = match.group("prefix", "bracketed", "link", "bare", "rest")
    version = version_from_token(bracketed or bare)
    rest = rest.strip()
    if not rest:
        return VersionTitle(version, prefix or "", bracketed=bracketed is not None, link=link or "")
    if rest.startswith(". ") or rest == ".":  # "2.4.2. / 2011-07-06": a stray full stop
        rest = rest[1:].lstrip()
    before_yanked = _before_yanked_marker(rest)
    yanked = before_yanked is not None
    if before_yanked is not None:
        rest = before_yanked
    date: datetime.date | None = None
    date_text = ""
    date_match = _DATE.match(rest)
    if date_match:
        date_text = date_match.group("date")
        date = _iso_date(date_text)
    elif rest and not version.unreleased and rest[0] not in _SEPARATOR:
        label = _LABEL.fullmatch(rest)
        if label is None:
            return None
        if label.group("pre") and not version.prerelease:
            number = label.group("number")
            prerelease = label.group("pre").lower() + (f".{int(number)}" if number else "")
            version = replace(version, prerelease=prerelease)
    elif rest and not version.unreleased and _YEAR.search(rest):
        # "- January 5, 2024": a date, but not one we can read
        date_text = rest.lstrip(_SEPARATOR + " \t").rstrip(")").strip()
    return VersionTitle(
        version=version,
        prefix=prefix or "",
        date=date,
        date_text=date_text,
        yanked=yanked,
        bracketed=bracketed is not None,
        link=link or "",
    )


def _before_yanked_marker(rest: str) -> str | None:
    """What comes before a closing `` [YANKED]``, `` - yanked``, `` (Yanked)``…, if there is one.

    Read from the end by hand: searched for as a pattern (a blank, a dash, blanks, ``yanked``
    at the end), it starts again at every blank of a run, which is quadratic in the run's length.
    """
    text = rest.rstrip(" \t")
    if text.endswith(("]", ")")):
        text = text[:-1]
    if text[-6:].lower() != "yanked":
        return None
    head = text[:-6]
    if head.endswith(("[", "(")):
        head = head[:-1]
    # The marker stands apart: at the start, after a blank, or after a dash that is.
    apart = not head or head[-1] in " \t"
    after_dash = head[-1:] in ("-", "–", "—") and (len(head) == 1 or head[-2] in " \t")
    if not (apart or after_dash):
        return None
    return head.rstrip(" \t-–—")


def _iso_date(text: str) -> datetime.date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
