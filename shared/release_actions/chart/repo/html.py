"""The ``index.html`` of a Helm repository: how to add it, and every chart and version it holds.

:func:`render_index_html` is a pure function of the loaded index: a static, self-contained page
(inline CSS, one small inline script, nothing fetched but the charts' icons) that is readable
with JavaScript off (the versions sit in ``<details>``; the search box and the copy buttons
appear only when the script runs). Chart metadata can come from a pull request, so every string
from the index is escaped, only ``http(s)`` URLs become links or images (a package's relative
URL too, as Helm resolves it against the repository), and a Content-Security-Policy lets no
script run but the page's own.

A huge index (bitnami's reached 30,000 versions) would make a page of tens of megabytes: every
version is listed, but past :data:`FULL_ROWS` rows in the whole page the older versions of the
biggest charts are summarised (their numbers only; the links and digests are in index.yaml).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..loader import version_key

__all__ = [
    "FULL_ROWS",
    "PageOptions",
    "latest_entry",
    "provenance_beside",
    "render_index_html",
    "safe_url",
]

# Rows with a download link and digest, in the whole page; ~330 bytes each with the markup.
FULL_ROWS = 4000
# Even the biggest chart shows this many newest versions in full.
MIN_FULL_ROWS = 5

_UNSAFE_URL_CHARACTER = re.compile(r"[\x00-\x20\x7f\\<>\"'`]")
_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIRST_SEGMENT = re.compile(r"[^/?#]*")


@dataclass(frozen=True)
class PageOptions:
    """What the page says about the repository itself."""

    # The name in ``helm repo add NAME URL``, and in ``helm install … NAME/CHART``.
    repository_name: str = "charts"
    # The URL users add; "" fills in the page's own directory when the script runs.
    repository_url: str = ""
    title: str = ""
    # ``oci://registry/path`` where the charts are pushed too; "" when they are not.
    oci_registry: str = ""
    # Entry URLs that have a ``.prov`` beside them (``URL.prov``).
    provenance: frozenset[str] = field(default_factory=frozenset)

    @property
    def heading(self) -> str:
        return self.title or f"{self.repository_name} Helm charts"

    @property
    def index_link(self) -> str:
        return f"{self.repository_url.rstrip('/')}/index.yaml" if self.repository_url else ""


@dataclass(frozen=True)
class _Chart:
    name: str
    versions: list[Mapping[str, Any]]  # newest first, as Helm orders them
    latest: Mapping[str, Any]  # the newest release, else the newest prerelease


def render_index_html(index: Mapping[str, Any], options: PageOptions) -> str:
    """The page for a loaded ``index.yaml`` (``{"entries": {name: [entry, …]}, …}``)."""
    charts = _charts(index)
    full_rows = _full_rows_per_chart([len(chart.versions) for chart in charts])
    total = sum(len(chart.versions) for chart in charts)
    generated = _date(index.get("generated"))
    summary = (
        f"{len(charts)} chart{'s' if len(charts) != 1 else ''}, "
        f"{total} version{'s' if total != 1 else ''}"
    )
    generated_html = f" · index generated {_time(generated)}" if generated else ""
    script = _SCRIPT
    policy = (
        "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'; "
        f"script-src '{_csp_hash(script)}'; base-uri 'none'; form-action 'none'"
    )
    body = "\n".join(_chart_html(chart, options, full_rows) for chart in charts)
    heading = escape(options.heading)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{heading}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<header>\n<h1>{heading}</h1>\n<p class="summary">{escape(summary)}{generated_html}</p>\n'
        f"{_repository_commands(options)}"
        '<div class="search js" hidden><label for="q">Search charts</label>'
        '<input type="search" id="q" placeholder="name, description or keyword"'
        ' autocomplete="off" spellcheck="false"></div>\n'
        '<p id="count" aria-live="polite"></p>\n</header>\n'
        f'<main id="charts">\n{body}\n</main>\n'
        f"<footer>{_footer(options)}</footer>\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def safe_url(value: Any, *, relative: bool = False) -> str | None:
    """``value`` if it is an absolute ``http(s)`` URL (or, with ``relative``, a relative one
    such as a package's file name), else ``None``: no ``javascript:``, ``data:`` or other
    scheme, and nothing a browser would read differently (spaces, controls, backslashes)."""
    if not isinstance(value, str) or not value or _UNSAFE_URL_CHARACTER.search(value):
        return None
    if _HTTP_URL.match(value):
        parts = urlsplit(value)
        return value if parts.scheme.lower() in ("http", "https") and parts.hostname else None
    if not relative or value.startswith("/"):
        return None
    # A colon before the first "/", "?" or "#" would make a browser read a scheme.
    first_segment = _FIRST_SEGMENT.match(value)
    return value if first_segment is not None and ":" not in first_segment.group() else None


def provenance_beside(index: Mapping[str, Any], directory: Path) -> frozenset[str]:
    """The relative entry URLs whose ``.prov`` file sits in ``directory`` (next to the index)."""
    found = set()
    for _, entry in _entries(index):
        for url in _strings(entry.get("urls")):
            relative = safe_url(url, relative=True)
            if relative and not _HTTP_URL.match(relative) and _has_provenance(directory, relative):
                found.add(url)
    return frozenset(found)


def _has_provenance(directory: Path, relative: str) -> bool:
    path = urlsplit(relative).path
    if ".." in path.split("/"):  # only files under the index's directory
        return False
    package = directory / path
    return package.with_name(f"{package.name}.prov").is_file()


# -- the charts ---------------------------------------------------------------------------------


def _entries(index: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    entries = index.get("entries") if isinstance(index, Mapping) else None
    if not isinstance(entries, Mapping):
        return
    for name, items in entries.items():
        if isinstance(items, list):
            for item in items:
                if isinstance(item, Mapping):
                    yield str(name), item


def _charts(index: Mapping[str, Any]) -> list[_Chart]:
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for name, entry in _entries(index):
        by_name.setdefault(name, []).append(entry)
    charts = []
    for name in sorted(by_name, key=lambda name: (name.casefold(), name)):
        versions = _newest_first(by_name[name])
        charts.append(_Chart(name, versions, _latest(versions)))
    return charts


def latest_entry(entries: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The entry the page shows a chart by: what ``helm install`` picks without ``--version``,
    the newest release, else the newest prerelease (``None`` for no entries)."""
    return _latest(_newest_first(entries)) if entries else None


def _latest(newest_first: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    releases = (entry for entry in newest_first if _is_release(_text(entry.get("version"))))
    return next(releases, newest_first[0])


def _newest_first(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Helm's order: by SemVer precedence, newest first; versions Helm cannot parse last."""
    keyed = [(version_key(_text(entry.get("version"))), entry) for entry in entries]
    parsed = sorted(
        ((key, entry) for key, entry in keyed if key is not None),
        key=lambda pair: pair[0],
        reverse=True,
    )
    other = sorted(
        (entry for key, entry in keyed if key is None),
        key=lambda entry: _text(entry.get("version")),
    )
    return [entry for _, entry in parsed] + other


def _is_release(version: str) -> bool:
    key = version_key(version)
    return key is not None and key[3] == 1


def _full_rows_per_chart(counts: Sequence[int]) -> int:
    """The most newest versions each chart may show in full, so the page keeps to
    :data:`FULL_ROWS` rows (every version when the index is no bigger)."""
    if sum(counts) <= FULL_ROWS:
        return max(counts, default=0)
    low, high = MIN_FULL_ROWS, max(counts)
    while low < high:  # the largest limit whose rows fit
        middle = (low + high + 1) // 2
        if sum(min(count, middle) for count in counts) <= FULL_ROWS:
            low = middle
        else:
            high = middle - 1
    return low


# -- HTML pieces ------------------------------------------------------------------------------


def _chart_html(chart: _Chart, options: PageOptions, full_rows: int) -> str:
    latest = chart.latest
    name = chart.name
    version = _text(latest.get("version"))
    description = _text(latest.get("description"))
    keywords = _strings(latest.get("keywords"))
    search = " ".join([name, description, *keywords]).casefold()
    anchor = f"chart-{name}"
    badge = ' <span class="badge">deprecated</span>' if _is_deprecated(latest) else ""
    facts = [f"Version <strong>{escape(version)}</strong>"]
    app_version = _text(latest.get("appVersion"))
    if app_version:
        facts.append(f"App version <strong>{escape(app_version)}</strong>")
    date = _date(latest.get("created"))
    if date:
        facts.append(_time(date))
    install = f"helm install {name} {options.repository_name}/{name} --version {version}"
    commands = [_command(install)]
    if options.oci_registry:
        oci = f"{options.oci_registry.rstrip('/')}/{name}"
        commands.append(_command(f"helm install {name} {oci} --version {version}"))
    parts = [
        f'<article class="chart" id="{escape(anchor)}" data-search="{escape(search)}">',
        '<div class="head">',
        _icon(name, latest.get("icon")),
        '<div class="title">',
        f'<h2><a href="#{escape(anchor)}">{escape(name)}</a>{badge}</h2>',
        f'<p class="description">{escape(description)}</p>' if description else "",
        f'<p class="facts">{" · ".join(facts)}</p>',
        "</div>\n</div>",
        *commands,
        _keywords(keywords),
        _links(latest),
        _maintainers(latest.get("maintainers")),
        _versions(chart.versions, options, full_rows),
        "</article>",
    ]
    return "\n".join(part for part in parts if part)


def _icon(name: str, icon: Any) -> str:
    letter = escape(name[:1].upper() or "?")
    url = safe_url(icon)
    image = (
        f'<img src="{escape(url)}" alt="" loading="lazy" decoding="async" width="48" height="48"'
        ' referrerpolicy="no-referrer">'
        if url
        else ""
    )
    return f'<span class="icon" aria-hidden="true">{letter}{image}</span>'


def _command(text: str) -> str:
    return (
        f'<div class="command"><pre><code>{escape(text)}</code></pre>'
        '<button type="button" class="copy js" hidden>Copy</button></div>'
    )


def _repository_commands(options: PageOptions) -> str:
    url = options.repository_url
    shown_url = escape(url) if url else '<span id="here">&lt;URL of this page&gt;</span>'
    add = (
        f'<div class="command"><pre><code>helm repo add {escape(options.repository_name)} '
        f"{shown_url}\nhelm repo update</code></pre>"
        '<button type="button" class="copy js" hidden>Copy</button></div>\n'
    )
    if not options.oci_registry:
        return add
    oci = f"helm install RELEASE {options.oci_registry.rstrip('/')}/CHART --version VERSION"
    return (
        f"{add}<p>Or install from the OCI registry, with no repository to add:</p>\n"
        f"{_command(oci)}\n"
    )


def _keywords(keywords: Sequence[str]) -> str:
    if not keywords:
        return ""
    items = "".join(f"<li>{escape(keyword)}</li>" for keyword in keywords)
    return f'<ul class="keywords" aria-label="Keywords">{items}</ul>'


def _links(entry: Mapping[str, Any]) -> str:
    links = []
    home = safe_url(entry.get("home"))
    if home:
        links.append(_link(home, "Home"))
    for source in _strings(entry.get("sources")):
        url = safe_url(source)
        if url:
            links.append(_link(url, _short(url)))
    if not links:
        return ""
    return f'<p class="links">{" · ".join(links)}</p>'


def _short(url: str) -> str:
    """A source link's text: its host and path (``github.com/org/repo``), at most 60 characters."""
    parts = urlsplit(url)
    text = f"{parts.hostname or ''}{parts.path}".rstrip("/")
    return text if len(text) <= 60 else text[:59] + "…"


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}" rel="nofollow noopener noreferrer">{escape(text)}</a>'


def _maintainers(maintainers: Any) -> str:
    if not isinstance(maintainers, list):
        return ""
    people = []
    for maintainer in maintainers:
        if not isinstance(maintainer, Mapping):
            continue
        name = _text(maintainer.get("name")) or _text(maintainer.get("email"))
        if not name:
            continue
        url = safe_url(maintainer.get("url"))
        people.append(_link(url, name) if url else escape(name))
    if not people:
        return ""
    return f'<p class="maintainers">Maintainers: {", ".join(people)}</p>'


def _versions(versions: Sequence[Mapping[str, Any]], options: PageOptions, full_rows: int) -> str:
    shown, older = versions[:full_rows], versions[full_rows:]
    rows = "\n".join(_version_row(entry, options) for entry in shown)
    count = len(versions)
    parts = [
        f'<details class="versions"><summary>{"All " if count > 1 else ""}{count} '
        f"version{'s' if count != 1 else ''}</summary>",
        '<div class="table"><table>',
        "<thead><tr><th>Version</th><th>App version</th><th>Date</th><th>Download</th>"
        "<th>Digest (sha256)</th></tr></thead>",
        f"<tbody>\n{rows}\n</tbody></table></div>",
    ]
    if older:
        where = (
            f'<a href="{escape(options.index_link)}">index.yaml</a>'
            if options.index_link
            else "index.yaml"
        )
        numbers = ", ".join(escape(_text(entry.get("version"))) for entry in older)
        parts.append(
            f'<p class="older">{len(older)} older version{"s" if len(older) != 1 else ""}'
            f" (their download links and digests are in {where}): {numbers}</p>"
        )
    parts.append("</details>")
    return "\n".join(parts)


def _version_row(entry: Mapping[str, Any], options: PageOptions) -> str:
    version = escape(_text(entry.get("version")))
    app_version = escape(_text(entry.get("appVersion")))
    date = _date(entry.get("created"))
    downloads = []
    for url in _strings(entry.get("urls")):
        safe = safe_url(url, relative=True)
        if safe is None:
            continue
        downloads.append(f'<a href="{escape(safe)}">.tgz</a>')
        if url in options.provenance:
            downloads.append(f'<a href="{escape(safe)}.prov">.prov</a>')
    digest = escape(_text(entry.get("digest")))
    deprecated = ' <span class="badge">deprecated</span>' if _is_deprecated(entry) else ""
    return (
        f"<tr><td>{version}{deprecated}</td><td>{app_version}</td>"
        f"<td>{_time(date) if date else ''}</td><td>{' '.join(downloads)}</td>"
        f"<td><code>{digest}</code></td></tr>"
    )


def _footer(options: PageOptions) -> str:
    index = (
        f'<a href="{escape(options.index_link)}">index.yaml</a>'
        if options.index_link
        else "index.yaml"
    )
    return f"A Helm chart repository: {index}. Page made by release-actions."


def _time(date: str) -> str:
    return f'<time datetime="{date}">{date}</time>'


# -- values from the index --------------------------------------------------------------------


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _date(value: Any) -> str:
    """``YYYY-MM-DD`` of an RFC 3339 time, or ""."""
    match = _DATE.match(value) if isinstance(value, str) else None
    return match.group() if match else ""


def _is_deprecated(entry: Mapping[str, Any]) -> bool:
    deprecated = entry.get("deprecated")
    return deprecated is True or deprecated == "true"


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# -- style and script -------------------------------------------------------------------------

_STYLE = """
:root{--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#57606a;--line:#d8dee4;--accent:#0b5cad;
--code:#eef1f4;--badge:#b35900;--badge-text:#fff;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--text:#e6edf3;
--muted:#9da7b3;--line:#30363d;--accent:#58a6ff;--code:#0b0f14;--badge:#d98a2b;
--badge-text:#111}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem}h1{font-size:1.8rem;margin:0 0 .25rem;overflow-wrap:anywhere}
.summary,#count,footer,.facts,.older,.maintainers{color:var(--muted)}
a{color:var(--accent)}time{white-space:nowrap}
.command{position:relative;margin:.5rem 0}
pre{margin:0;background:var(--code);border:1px solid var(--line);border-radius:6px;
padding:.6rem 4.5rem .6rem .8rem;font-size:.875rem;white-space:pre-wrap;
overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.copy{position:absolute;top:.35rem;right:.35rem;font:inherit;font-size:.8rem;padding:.2rem .6rem;
border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--text);
cursor:pointer}
.search{margin:1rem 0 .25rem}.search label{display:block;font-weight:600;margin-bottom:.25rem}
.search input{width:100%;font:inherit;padding:.5rem .75rem;border:1px solid var(--line);
border-radius:6px;background:var(--card);color:var(--text)}
#count{min-height:1.5em;margin:.25rem 0}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;
margin:0 0 1rem}
.head{display:flex;gap:.9rem;align-items:flex-start}
.title{min-width:0}
.icon{position:relative;flex:none;width:48px;height:48px;border-radius:8px;display:flex;
align-items:center;justify-content:center;background:var(--code);font-weight:700;
font-size:1.4rem;color:var(--muted);overflow:hidden}
.icon img{position:absolute;inset:0;width:100%;height:100%;object-fit:contain;
background:var(--card)}
h2{font-size:1.25rem;margin:0;overflow-wrap:anywhere}h2 a{color:inherit;text-decoration:none}
.description{margin:.2rem 0;overflow-wrap:anywhere}.facts{margin:.2rem 0;font-size:.9rem}
.facts strong{color:var(--text)}
.badge{display:inline-block;margin-left:.4rem;padding:0 .45rem;border-radius:9px;
background:var(--badge);color:var(--badge-text);font-size:.75rem;font-weight:600;
vertical-align:middle}
.keywords{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem}
.keywords li{background:var(--code);border:1px solid var(--line);border-radius:9px;
padding:0 .5rem;font-size:.8rem;overflow-wrap:anywhere}
.links,.maintainers{margin:.4rem 0;font-size:.9rem;overflow-wrap:anywhere}
details{margin-top:.5rem}summary{cursor:pointer;font-weight:600}
.table{overflow-x:auto}
table{border-collapse:collapse;margin-top:.5rem;font-size:.85rem;width:100%}
th,td{text-align:left;padding:.25rem .6rem .25rem 0;border-bottom:1px solid var(--line);
white-space:nowrap}td code{font-size:.75rem;color:var(--muted)}
.older{font-size:.85rem;overflow-wrap:anywhere}
footer{padding-bottom:2rem;font-size:.85rem}
@media (max-width:600px){h1{font-size:1.4rem}.chart{padding:.75rem}}
"""

# Filters the charts as you type (also from ?q=), shows the copy buttons, and drops icons that
# fail to load (the letter behind them shows instead).
_SCRIPT = """
(() => {
  for (const element of document.querySelectorAll(".js[hidden]")) element.hidden = false;
  const here = document.getElementById("here");
  if (here && /^https?:$/.test(location.protocol)) {
    here.textContent = new URL(".", location.href).href;
  }
  const input = document.getElementById("q");
  const count = document.getElementById("count");
  const charts = Array.from(document.querySelectorAll("article.chart"));
  const filter = (remember) => {
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const chart of charts) {
      const search = chart.dataset.search;
      chart.hidden = !words.every((word) => search.includes(word));
      if (!chart.hidden) shown++;
    }
    count.textContent = words.length
      ? (shown ? `${shown} of ${charts.length} charts match` : "No chart matches")
      : "";
    if (remember) {
      const url = new URL(location.href);
      if (input.value) url.searchParams.set("q", input.value);
      else url.searchParams.delete("q");
      try { history.replaceState(null, "", url); } catch (error) { /* file: URLs */ }
    }
  };
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.addEventListener("input", () => filter(true));
  filter(false);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (!button) return;
    const code = button.parentElement.querySelector("code");
    const done = (label) => {
      button.textContent = label;
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    };
    navigator.clipboard.writeText(code.textContent).then(() => done("Copied"), () => {
      getSelection().selectAllChildren(code);
      done("Press Ctrl+C");
    });
  });
  const drop = (image) => image.remove();
  document.addEventListener("error", (event) => {
    if (event.target instanceof HTMLImageElement) drop(event.target);
  }, true);
  for (const image of Array.from(document.images)) {
    if (image.complete && !image.naturalWidth) drop(image);
  }
})();
"""
