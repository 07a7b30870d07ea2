"""The repository's web page in a real browser: headless Chromium, after the page's script ran.

Each test renders a page to a file, loads it with ``chromium --headless --dump-dom`` (or takes a
screenshot) and checks what a person sees: the charts not hidden, their text, the links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from release_actions.chart.loader import version_key
from release_actions.chart.repo import (
    PageOptions,
    load_index_for_page,
    provenance_beside,
    render_index_html,
)
from support.chromium import Element, dump_dom, parse_dom, read_png, screenshot

from .html_fixtures import (
    HOSTILE_DESCRIPTION,
    HOSTILE_KEYWORDS,
    HOSTILE_MAINTAINER,
    REAL_INDEXES,
    telepace_index,
)

needs_real_indexes = pytest.mark.skipif(not REAL_INDEXES, reason="the real indexes are not here")
TELEPACE = PageOptions(
    repository_name="telepace",
    repository_url="https://telepace.github.io/helm-charts/",
    oci_registry="oci://ghcr.io/telepace/charts",
)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "chromium-profile"


def load_real_index(path: Path) -> dict[str, Any]:
    # As the command reads it (test_page_index checks it is the page of the full load).
    return load_index_for_page(path.read_text(encoding="utf-8"))


def write_page(directory: Path, index: dict[str, Any], options: PageOptions) -> Path:
    path = directory / "index.html"
    path.write_text(render_index_html(index, options), encoding="utf-8")
    return path


def visible_charts(dom: Element) -> dict[str, Element]:
    return {
        chart.attributes["id"].removeprefix("chart-"): chart
        for chart in dom.find_all("article", "chart")
        if not chart.hidden
    }


def expected_latest(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """What Helm installs without ``--version``: the newest release, else the newest version."""
    parsed = [entry for entry in entries if version_key(str(entry["version"])) is not None]
    ordered = sorted(parsed, key=lambda entry: version_key(str(entry["version"])), reverse=True)
    releases = [entry for entry in ordered if "-" not in str(entry["version"]).partition("+")[0]]
    return (releases or ordered or entries)[0]


# -- a small repository and a hostile chart ------------------------------------------------


def test_a_person_sees_every_chart_its_latest_version_download_and_install_line(
    tmp_path: Path, profile: Path
) -> None:
    page = write_page(tmp_path, telepace_index(), TELEPACE)
    dom = parse_dom(dump_dom(page.as_uri(), profile))
    charts = visible_charts(dom)
    assert sorted(charts) == ["analysis", "collection", "evil", "web"]
    web = charts["web"]
    text = " ".join(web.text().split())
    assert "Version 0.2.0 · App version 2.0.0 · 2026-07-15" in text
    assert "helm install web telepace/web --version 0.2.0" in text
    assert "helm install web oci://ghcr.io/telepace/charts/web --version 0.2.0" in text
    links = [a.attributes["href"] for a in web.find_all("a")]
    assert (
        "https://github.com/telepace/helm-charts/releases/download/web-0.2.0/web-0.2.0.tgz" in links
    )
    # The versions are collapsed; the script showed the copy buttons and the search box.
    assert all("open" not in details.attributes for details in dom.find_all("details"))
    assert all(not button.hidden for button in dom.find_all("button", "copy"))
    assert not dom.find_all("div", "search")[0].hidden
    header = " ".join(dom.find_all("header")[0].text().split())
    assert "helm repo add telepace https://telepace.github.io/helm-charts/ helm repo update" in (
        header
    )
    # No network here: the icon failed to load and the script removed it; the letter remains.
    icon = web.find_all("span", "icon")[0]
    assert icon.text() == "W" and not icon.find_all("img")


def test_hostile_strings_stay_text_in_the_browser(tmp_path: Path, profile: Path) -> None:
    page = write_page(tmp_path, telepace_index(), TELEPACE)
    dom = parse_dom(dump_dom(page.as_uri(), profile))
    evil = visible_charts(dom)["evil"]
    description = evil.find_all("p", "description")[0]
    assert description.text() == HOSTILE_DESCRIPTION
    assert [li.text() for li in evil.find_all("li")] == HOSTILE_KEYWORDS
    assert HOSTILE_MAINTAINER in evil.find_all("p", "maintainers")[0].text()
    # Nothing the attacker wrote became an element, an attribute or a running script.
    assert not {element.tag for element in evil.iter()} & {"script", "img", "svg", "b", "i"}
    assert len(dom.find_all("script")) == 1
    assert dom.find_all("title")[0].text() != "pwned"
    for element in dom.iter():
        assert not any(name.startswith("on") for name in element.attributes), element.attributes
    hrefs = [a.attributes["href"] for a in evil.find_all("a")]
    assert [href for href in hrefs if not href.startswith("#")] == [
        "evil-6.6.6.tgz",
        "https://github.com/telepace/helm-charts/releases/download/evil-6.6.5/evil-6.6.5.tgz",
    ]


@pytest.mark.parametrize(
    ("query", "shown", "count"),
    [
        ("NGINX", ["web"], "1 of 4 charts match"),  # a keyword (only), any case
        ("collection", ["analysis", "collection"], "2 of 4 charts match"),  # "replaced by …"
        ("front nginx", ["web"], "1 of 4 charts match"),  # every word, anywhere
        ("nothing-like-this", [], "No chart matches"),
    ],
)
def test_q_in_the_url_filters_the_charts(
    tmp_path: Path, profile: Path, query: str, shown: list[str], count: str
) -> None:
    page = write_page(tmp_path, telepace_index(), TELEPACE)
    url = page.as_uri() + f"?q={query.replace(' ', '+')}"
    dom = parse_dom(dump_dom(url, profile))
    assert sorted(visible_charts(dom)) == shown
    search = next(e for e in dom.iter() if e.tag == "input" and e.attributes.get("id") == "q")
    assert search.attributes.get("value", query) == query  # Chromium may not serialise it
    assert next(e for e in dom.iter() if e.attributes.get("id") == "count").text() == count


def test_without_javascript_every_chart_shows_and_dead_controls_stay_hidden(
    tmp_path: Path, profile: Path
) -> None:
    page = write_page(tmp_path, telepace_index(), TELEPACE)
    html = page.read_text(encoding="utf-8")
    # The page as served, before any script: what a browser with JavaScript off shows.
    dom = parse_dom(html)
    assert sorted(visible_charts(dom)) == ["analysis", "collection", "evil", "web"]
    assert all(button.hidden for button in dom.find_all("button", "copy"))
    assert dom.find_all("div", "search")[0].hidden
    assert "helm install web telepace/web --version 0.2.0" in visible_charts(dom)["web"].text()


# -- screenshots -------------------------------------------------------------------------------


def test_the_page_on_a_phone_is_not_blank(tmp_path: Path, profile: Path) -> None:
    page = write_page(tmp_path, telepace_index(), TELEPACE)
    light = read_png(
        screenshot(
            page.as_uri(), tmp_path / "light.png", profile, width=390, height=844
        ).read_bytes()
    )
    assert (light.width, light.height) == (390, 844)
    assert light.pixel(2, 2)[:3] == (0xF6, 0xF7, 0xF9)  # the light background
    assert len(light.colours()) > 50  # text, cards, code blocks, badges: not one flat colour


# -- real indexes ------------------------------------------------------------------------------


@needs_real_indexes
@pytest.mark.parametrize("index_path", REAL_INDEXES, ids=lambda path: path.name.split(".")[0])
def test_a_real_index_page_shows_every_chart_with_its_latest_version(
    tmp_path: Path, profile: Path, index_path: Path
) -> None:
    index = load_real_index(index_path)
    options = PageOptions(
        repository_name="example",
        repository_url="https://example.github.io/charts/",
        provenance=provenance_beside(index, index_path.parent),
    )
    page = write_page(tmp_path, index, options)
    assert page.stat().st_size < 3_000_000
    dom = parse_dom(dump_dom(page.as_uri(), profile))
    charts = visible_charts(dom)
    assert sorted(charts) == sorted(index["entries"])
    for name, entries in index["entries"].items():
        latest = expected_latest(entries)
        text = " ".join(charts[name].text().split())
        assert f"Version {latest['version']}" in text, name
        assert f"helm install {name} example/{name} --version {latest['version']}" in text
        hrefs = {a.attributes["href"] for a in charts[name].find_all("a")}
        assert latest["urls"][0] in hrefs, name


@needs_real_indexes
def test_a_real_index_page_filters_by_q_and_its_screenshot_is_not_blank(
    tmp_path: Path, profile: Path
) -> None:
    index_path = next(path for path in REAL_INDEXES if path.name.startswith("grafana"))
    index = load_real_index(index_path)
    options = PageOptions(
        repository_name="grafana", repository_url="https://grafana.github.io/helm-charts/"
    )
    page = write_page(tmp_path, index, options)

    def matches(entries: list[dict[str, Any]]) -> bool:
        latest = expected_latest(entries)
        words = [str(latest.get("description", "")), *latest.get("keywords", [])]
        return any("tempo" in word.lower() for word in words)

    dom = parse_dom(dump_dom(page.as_uri() + "?q=tempo", profile))
    expected = {
        name for name, entries in index["entries"].items() if "tempo" in name or matches(entries)
    }
    assert 1 < len(expected) < len(index["entries"])
    assert set(visible_charts(dom)) == expected

    shot = tmp_path / "grafana.png"
    image = read_png(screenshot(page.as_uri(), shot, profile, width=1100, height=900).read_bytes())
    assert len(image.colours()) > 50
    dark = tmp_path / "grafana-dark.png"
    dark_image = read_png(
        screenshot(page.as_uri(), dark, profile, width=1100, height=900, dark=True).read_bytes()
    )
    assert dark_image.pixel(2, 2)[:3] == (0x0D, 0x11, 0x17)  # the dark background
    assert len(dark_image.colours()) > 50
