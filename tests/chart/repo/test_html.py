"""The repository's web page as text: what it lists, what it escapes, how big it gets."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.repo import html as page
from release_actions.chart.repo.html import PageOptions, render_index_html, safe_url
from release_actions.cli import main

from .html_fixtures import (
    HOSTILE_DESCRIPTION,
    HOSTILE_KEYWORDS,
    HOSTILE_MAINTAINER,
    telepace_index,
    version,
    write_index,
)

OPTIONS = PageOptions(
    repository_name="telepace",
    repository_url="https://telepace.github.io/helm-charts/",
    title="telepace/helm-charts charts",
)


class _Collector(HTMLParser):
    """Every element, attribute and text run of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def article(html: str, name: str) -> str:
    start = html.index(f'<article class="chart" id="chart-{name}"')
    return html[start : html.index("</article>", start)]


def test_the_top_has_the_repo_add_and_update_lines() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    assert (
        "helm repo add telepace https://telepace.github.io/helm-charts/\nhelm repo update" in html
    )
    assert "<title>telepace/helm-charts charts</title>" in html
    assert '4 charts, 8 versions · index generated <time datetime="2026-08-02">' in html
    assert "oci://" not in html


def test_each_chart_shows_its_latest_release_with_app_version_date_and_install_line() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    web = article(html, "web")
    # 0.10.0-alpha and 0.3.0-rc.1 are newer, but Helm installs the newest release: 0.2.0.
    assert "Version <strong>0.2.0</strong> · App version <strong>2.0.0</strong>" in web
    assert '<time datetime="2026-07-15">2026-07-15</time>' in web
    assert "helm install web telepace/web --version 0.2.0" in web
    assert "Telepace web front end" in web
    assert "<li>frontend</li><li>nginx</li>" in web
    assert (
        '<a href="https://telepace.example/web" rel="nofollow noopener noreferrer">Home</a>' in web
    )
    assert 'href="https://github.com/telepace/web"' in web
    assert (
        '<a href="https://github.com/ada" rel="nofollow noopener noreferrer">Ada</a>, Grace' in web
    )
    assert '<img src="https://telepace.example/icons/web.svg" alt="" loading="lazy"' in web


def test_every_version_is_listed_newest_first_in_helms_order_collapsed() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    web = article(html, "web")
    assert '<details class="versions"><summary>All 4 versions</summary>' in web
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", web)
    assert [number for number, _ in rows] == ["0.10.0-alpha", "0.3.0-rc.1", "0.2.0", "0.1.0"]
    assert rows[1][1] == "2.1.0-rc.1"
    url = "https://github.com/telepace/helm-charts/releases/download/web-0.1.0/web-0.1.0.tgz"
    assert f'<a href="{url}">.tgz</a>' in web
    assert f"<code>{'0123456789abcdef' * 4}</code>" in web
    assert "<details open" not in html


def test_charts_are_in_name_order_and_a_deprecated_one_has_a_badge() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    names = re.findall(r'<article class="chart" id="chart-([^"]+)"', html)
    assert names == ["analysis", "collection", "evil", "web"]
    assert '<span class="badge">deprecated</span>' in article(html, "analysis")
    assert "deprecated" not in article(html, "web")


def test_a_package_hosted_beside_the_index_links_relative_with_its_prov(tmp_path: Path) -> None:
    index = telepace_index()
    (tmp_path / "collection-0.1.0.tgz.prov").write_text("signature")
    (tmp_path / "evil-6.6.6.tgz").write_text("no prov for this one")
    provenance = page.provenance_beside(index, tmp_path)
    assert provenance == {"collection-0.1.0.tgz"}
    html = render_index_html(index, PageOptions(provenance=provenance))
    collection = article(html, "collection")
    assert (
        '<a href="collection-0.1.0.tgz">.tgz</a> <a href="collection-0.1.0.tgz.prov">.prov</a>'
        in (collection)
    )
    assert ".prov" not in article(html, "web")


def test_a_prov_outside_the_index_directory_is_not_linked(tmp_path: Path) -> None:
    index = {"entries": {"web": [version("web", "1.0.0", urls=["../web-1.0.0.tgz"])]}}
    (tmp_path / "web-1.0.0.tgz.prov").write_text("signature")
    assert page.provenance_beside(index, tmp_path / "repo") == frozenset()
    (tmp_path / "repo").mkdir()
    assert page.provenance_beside(index, tmp_path / "repo") == frozenset()


def test_an_oci_registry_adds_the_oci_install_lines() -> None:
    options = PageOptions(repository_name="telepace", oci_registry="oci://ghcr.io/telepace/charts")
    html = render_index_html(telepace_index(), options)
    assert "helm install RELEASE oci://ghcr.io/telepace/charts/CHART --version VERSION" in html
    web = article(html, "web")
    assert "helm install web oci://ghcr.io/telepace/charts/web --version 0.2.0" in web
    assert "helm install web telepace/web --version 0.2.0" in web


def test_without_a_url_the_page_fills_in_its_own_address() -> None:
    html = render_index_html(telepace_index(), PageOptions(repository_name="telepace"))
    assert 'helm repo add telepace <span id="here">&lt;URL of this page&gt;</span>' in html


def test_the_page_is_self_contained_and_its_one_script_is_allowed_by_its_policy() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    collected = collect(html)
    tags = {tag for tag, _ in collected.tags}
    assert not tags & {"link", "iframe", "object", "embed", "base", "form"}
    scripts = [attributes for tag, attributes in collected.tags if tag == "script"]
    assert scripts == [{}]  # inline, no src
    assert "url(" not in html and "@import" not in html
    images = [attributes["src"] for tag, attributes in collected.tags if tag == "img"]
    assert images == ["https://telepace.example/icons/web.svg"]
    digest = hashlib.sha256(collected.scripts[0].encode()).digest()
    policy = next(a["content"] for t, a in collected.tags if a.get("http-equiv"))
    assert f"script-src 'sha256-{base64.b64encode(digest).decode()}'" in policy
    assert "default-src 'none'" in policy


# -- hostile text stays text ---------------------------------------------------------------


def test_hostile_strings_are_text_and_hostile_urls_are_dropped() -> None:
    html = render_index_html(telepace_index(), OPTIONS)
    collected = collect(html)
    text = "".join(collected.text)
    for hostile in (HOSTILE_DESCRIPTION, *HOSTILE_KEYWORDS, HOSTILE_MAINTAINER):
        assert hostile in text
    assert "<svg onload=alert(9)>" in text
    assert '"><script>alert(12)</script>' in text
    allowed = {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "div", "pre",
        "code", "button", "label", "input", "main", "article", "span", "img", "h2", "a",
        "strong", "time", "ul", "li", "details", "summary", "table", "thead", "tr", "th",
        "tbody", "td", "footer", "script",
    }  # fmt: skip
    assert {tag for tag, _ in collected.tags} <= allowed
    assert len(collected.scripts) == 1
    for _, attributes in collected.tags:
        assert not any(name.startswith("on") for name in attributes), attributes
        for name in ("href", "src"):
            if name in attributes:
                url = attributes[name]
                assert re.match(r"https?://[^\s\"'<>\\]+$|#chart-|[\w.-]+\.tgz(\.prov)?$", url)
    evil = article(html, "evil")
    assert re.findall(r'href="([^"#]*)"', evil) == [
        "evil-6.6.6.tgz",
        "https://github.com/telepace/helm-charts/releases/download/evil-6.6.5/evil-6.6.5.tgz",
    ]
    assert "<img" not in evil


def test_a_hostile_chart_name_and_version_stay_text_everywhere_they_appear() -> None:
    name, number = '"><script>alert(1)</script>', "1.0.0<img src=x onerror=alert(2)>"
    index = {"entries": {name: [version(name, number)]}}
    options = PageOptions(repository_name="<b>repo</b>", oci_registry="oci://r.example/c")
    collected = collect(render_index_html(index, options))
    assert {tag for tag, _ in collected.tags}.isdisjoint({"b", "img"})
    assert len(collected.scripts) == 1
    text = "".join(collected.text)
    assert f"helm install {name} <b>repo</b>/{name} --version {number}" in text
    assert f"helm install {name} oci://r.example/c/{name} --version {number}" in text
    article = next(a for tag, a in collected.tags if tag == "article")
    assert article["id"] == f"chart-{name}"
    assert article["data-search"] == f"{name} the {name} chart".casefold()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/chart.tgz",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/a?b=c&d=e#f",
        "https://example.com/a%20b",
    ],
)
def test_http_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url
    assert safe_url(url, relative=True) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,AAAA",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "https:example.com",
        "https://",
        "http:///path",
        "//evil.example/x",
        "\\\\evil.example\\x",
        "/\\evil.example",
        'https://example.com/"onmouseover=alert(1)',
        "https://example.com/<script>",
        "https://exa mple.com",
        "",
        None,
        42,
        ["https://example.com"],
    ],
)
def test_anything_else_is_refused(url: Any) -> None:
    assert safe_url(url) is None
    assert safe_url(url, relative=True) is None


@pytest.mark.parametrize("url", ["web-0.1.0.tgz", "charts/web-0.1.0.tgz", "web-1.0.0+build.tgz"])
def test_a_relative_package_url_is_kept_only_where_asked(url: str) -> None:
    assert safe_url(url) is None
    assert safe_url(url, relative=True) == url


@pytest.mark.parametrize("url", ["web:0.1.0.tgz", "/web-0.1.0.tgz", "a:b/c"])
def test_a_relative_url_a_browser_could_read_otherwise_is_refused(url: str) -> None:
    assert safe_url(url, relative=True) is None


# -- scale ---------------------------------------------------------------------------------


def big_index(charts: int, versions: int) -> dict[str, Any]:
    return {
        "entries": {
            f"chart-{c:03d}": [
                version(f"chart-{c:03d}", f"1.{v}.0") for v in range(versions, 0, -1)
            ]
            for c in range(charts)
        }
    }


def test_small_charts_list_every_version_in_full_past_the_budget_big_ones_are_summarised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert page._full_rows_per_chart([3, 40, 7]) == 40  # within the budget: every version
    monkeypatch.setattr(page, "FULL_ROWS", 30)
    assert page._full_rows_per_chart([3, 40, 7]) == 20  # 3 + 20 + 7 rows
    assert page._full_rows_per_chart([100] * 50) == page.MIN_FULL_ROWS
    index = big_index(3, 40)
    html = render_index_html(index, OPTIONS)
    chart = article(html, "chart-000")
    assert chart.count("<tr><td>") == 10  # 30 rows over 3 charts
    assert "30 older versions (their download links and digests are in" in chart
    assert '<a href="https://telepace.github.io/helm-charts/index.yaml">index.yaml</a>' in chart
    # Every version is still named.
    assert all(f">1.{v}.0<" in chart or f" 1.{v}.0" in chart for v in range(1, 41))


def test_a_big_index_makes_a_page_of_a_bounded_size() -> None:
    html = render_index_html(big_index(60, 200), OPTIONS)  # 12,000 versions
    assert page.FULL_ROWS - 60 < html.count("<tr><td>") <= page.FULL_ROWS
    assert len(html.encode()) < 2_000_000


def test_odd_values_in_an_index_are_shown_as_well_as_they_can_be() -> None:
    index = {
        "entries": {
            "odd": [
                {"name": "odd", "version": "not-semver", "urls": "not-a-list", "keywords": 3},
                {"name": "odd", "version": "v1.2", "maintainers": ["just a string", {}]},
                "not an entry",
            ],
            "empty": [],
            "broken": "not a list",
        }
    }
    html = render_index_html(index, PageOptions())
    odd = article(html, "odd")
    assert "Version <strong>v1.2</strong>" in odd
    assert re.findall(r"<tr><td>([^<]*)</td>", odd) == ["v1.2", "not-semver"]
    assert "chart-empty" not in html and "chart-broken" not in html
    assert "1 chart, 2 versions" in html


# -- the command ---------------------------------------------------------------------------


def test_chart_html_writes_the_page(tmp_path: Path) -> None:
    index = write_index(tmp_path, telepace_index())
    (tmp_path / "collection-0.1.0.tgz.prov").write_text("signature")
    code = main(
        [
            "chart", "html", "--index", str(index), "--output", "site/index.html",
            "--url", "https://telepace.github.io/helm-charts", "--name", "telepace",
            "--oci-registry", "oci://ghcr.io/telepace/charts",
        ],
        environ={},
        cwd=tmp_path,
    )  # fmt: skip
    assert code == 0
    html = (tmp_path / "site" / "index.html").read_text()
    assert "helm repo add telepace https://telepace.github.io/helm-charts/\n" in html
    assert "<title>telepace Helm charts</title>" in html
    assert "helm install web oci://ghcr.io/telepace/charts/web --version 0.2.0" in html
    assert 'href="collection-0.1.0.tgz.prov"' in html


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--url", "javascript:alert(1)"], "--url: 'javascript:alert(1)' is not an http(s) URL"),
        (["--oci-registry", "ghcr.io/x"], "--oci-registry: 'ghcr.io/x' is not an oci://HOST/PATH"),
        (["--index", "missing.yaml"], "cannot read missing.yaml"),
    ],
)
def test_chart_html_refuses_bad_input_in_one_line(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    write_index(tmp_path, telepace_index())
    command = ["chart", "html", "--index", "index.yaml", "--output", "out.html", *arguments]
    stream = io.StringIO()
    assert main(command, environ={}, stream=stream, cwd=tmp_path) in (1, 2)
    assert message in stream.getvalue()
    assert len(stream.getvalue().splitlines()) == 1
    assert not (tmp_path / "out.html").exists()


def test_chart_html_refuses_an_index_that_is_not_yaml(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text("entries: [unclosed\n")
    command = ["chart", "html", "--index", "index.yaml", "--output", "out.html"]
    stream = io.StringIO()
    (tmp_path / "output").touch()
    environ = {"GITHUB_OUTPUT": str(tmp_path / "output")}
    assert main(command, environ=environ, stream=stream, cwd=tmp_path) == 1
    assert stream.getvalue() == (
        "::error file=index.yaml::the index is not valid YAML: did not find expected ',' or ']'"
        " at line 2, column 1\n"
    )
    assert not (tmp_path / "out.html").exists()
