"""The optional ``index.html`` of a pages branch: how to add the repository, and what it holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from html import escape

from ...versions import is_semver, parse_version


def render_index_html(
    versions: Mapping[str, Set[str]], *, repository_url: str, repository_name: str, title: str
) -> str:
    """A small static page: the ``helm repo add`` line, then each chart's versions, newest first."""
    add = f"helm repo add {repository_name} {repository_url}"
    sections = "\n".join(
        f'<section id="{escape(name)}">\n<h2>{escape(name)}</h2>\n'
        f"<pre><code>helm install {escape(name)} {escape(repository_name)}/{escape(name)}"
        " --version "
        f"{escape(newest)}</code></pre>\n"
        f"<ul>\n{_version_items(ordered)}\n</ul>\n</section>"
        for name, ordered in _ordered(versions)
        for newest in ordered[:1]
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        "</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<pre><code>{escape(add)}\nhelm repo update</code></pre>\n"
        f"{sections}\n"
        "</body>\n</html>\n"
    )


def _ordered(versions: Mapping[str, Set[str]]) -> Iterable[tuple[str, list[str]]]:
    for name in sorted(versions):
        yield name, newest_first(versions[name])


def newest_first(versions: Iterable[str]) -> list[str]:
    """SemVer versions newest first, then anything else in text order."""
    semver = [version for version in versions if is_semver(version)]
    other = sorted(version for version in versions if not is_semver(version))
    return sorted(semver, key=parse_version, reverse=True) + other


def _version_items(versions: list[str]) -> str:
    return "\n".join(f"<li>{escape(version)}</li>" for version in versions)
