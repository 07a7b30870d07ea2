"""Reading an index for its page without a full load: the page must be that of the full load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from release_actions.chart.loader import dump_go
from release_actions.chart.repo import (
    PageOptions,
    load_index,
    load_index_for_page,
    render_index_html,
)
from release_actions.errors import ReleaseActionsError

from .html_fixtures import REAL_INDEXES, telepace_index, version

OPTIONS = PageOptions(repository_name="example", repository_url="https://example.github.io/c/")


def same_page(text: str) -> None:
    fast = render_index_html(load_index_for_page(text), OPTIONS)
    assert fast == render_index_html(load_index(text), OPTIONS)


@pytest.mark.skipif(not REAL_INDEXES, reason="the real indexes are not here")
@pytest.mark.parametrize("index_path", REAL_INDEXES, ids=lambda path: path.name.split(".")[0])
def test_a_real_index_gives_the_page_of_its_full_load(index_path: Path) -> None:
    same_page(index_path.read_text(encoding="utf-8"))


def test_only_the_latest_versions_are_loaded_whole() -> None:
    index = load_index_for_page(dump_go(telepace_index()))
    web = {entry["version"]: entry for entry in index["entries"]["web"]}
    assert web["0.2.0"]["maintainers"][0]["name"] == "Ada"  # the latest release: all of it
    assert set(web["0.1.0"]) == {"appVersion", "created", "digest", "urls", "version"}
    assert index["generated"] == "2026-08-02T00:00:00Z"
    same_page(dump_go(telepace_index()))


def odd_item(version: str, odd: str) -> str:
    """An entry whose fields are plain but for ``odd`` (one or more lines, sorted in place)."""
    fields = {
        "appVersion": '    appVersion: "1.0"\n',
        "created": '    created: "2026-01-01T00:00:00Z"\n',
        "digest": "    digest: abc\n",
        "urls": f"    urls:\n    - https://example.com/odd-{version}.tgz\n",
    }
    key = odd.strip().split(":")[0]
    fields[key] = odd
    body = "".join(fields[name] for name in sorted(fields))
    return "  - " + body[4:] + f"    version: {version}\n"


ODD = {
    "2.0.0": '    appVersion: "caf\\u00e9"\n',
    "1.9.0": "    urls: [https://example.com/flow.tgz]\n",
    "1.8.0": "    appVersion: true\n",
    "1.7.0": "    digest: ~\n",
    "1.6.0": "    created: 2026-01-01 00:00:00\n",
    "1.5.0": "    urls:\n    - https://example.com/a-long-url-that-goes-on\n      and-on.tgz\n",
    "1.4.0": "    created: >-\n      2026-01-01T00:00:00Z\n",
    "1.3.0": "    digest: 'it''s'\n",
    "1.2.0": "    urls:\n    - \"https://example.com/q.tgz\"\n    - 'https://example.com/s.tgz'\n",
    "1.1.0": "    appVersion: null\n",
    "1.0.0": '    digest: "with \\"quotes\\""\n',
}
ODD_FIELDS = (
    "apiVersion: v1\nentries:\n  odd:\n"
    + odd_item("3.0.0", "    description: the latest\n")
    + "".join(odd_item(number, odd) for number, odd in ODD.items())
    + "  - urls:\n    - https://example.com/first-key.tgz\n    version: 0.0.0\n"
    + 'generated: "2026-01-02T00:00:00Z"\n'
)


def test_fields_written_any_way_yaml_allows_read_as_the_full_load_reads_them() -> None:
    same_page(ODD_FIELDS)
    entries = {e["version"]: e for e in load_index_for_page(ODD_FIELDS)["entries"]["odd"]}
    assert entries == {e["version"]: e for e in load_index(ODD_FIELDS)["entries"]["odd"]}
    assert entries["2.0.0"]["appVersion"] == "café"
    assert entries["1.9.0"]["urls"] == ["https://example.com/flow.tgz"]
    assert entries["1.8.0"]["appVersion"] is True
    assert entries["1.7.0"]["digest"] is None
    assert entries["1.6.0"]["created"] == "2026-01-01 00:00:00"
    assert entries["1.5.0"]["urls"] == ["https://example.com/a-long-url-that-goes-on and-on.tgz"]
    assert entries["1.4.0"]["created"] == "2026-01-01T00:00:00Z"
    assert entries["1.3.0"]["digest"] == "it's"
    assert entries["1.2.0"]["urls"] == ["https://example.com/q.tgz", "https://example.com/s.tgz"]
    assert entries["1.1.0"]["appVersion"] is None
    assert entries["1.0.0"]["digest"] == 'with "quotes"'
    assert entries["0.0.0"]["urls"] == ["https://example.com/first-key.tgz"]


def test_an_index_not_in_helms_layout_is_loaded_whole() -> None:
    text = "# a comment\n" + dump_go(telepace_index())
    assert load_index_for_page(text) == load_index(text)


def test_an_index_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(ReleaseActionsError, match="not valid YAML"):
        load_index_for_page("apiVersion: v1\nentries:\n  x:\n  - version: [\n")


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
fields = st.fixed_dictionaries(
    {},
    optional={
        "appVersion": st.one_of(texts, st.sampled_from(["true", "null", "1.0", "~", "0x10"])),
        "created": st.one_of(texts, st.just("2026-01-01T00:00:00.5Z")),
        "digest": texts,
        "deprecated": st.booleans(),
        "description": texts,
        "urls": st.lists(st.one_of(texts, st.just("https://e.com/x y.tgz")), max_size=3),
        "keywords": st.lists(texts, max_size=2),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
        st.lists(
            st.tuples(st.from_regex(r"v?[0-9]{1,2}\.[0-9](-rc\.[0-9])?", fullmatch=True), fields),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_index_helm_writes_gives_the_page_of_its_full_load(
    charts: dict[str, list[tuple[str, dict[str, Any]]]],
) -> None:
    index = {
        "apiVersion": "v1",
        "entries": {
            name: [{**version(name, number), **extra} for number, extra in entries]
            for name, entries in charts.items()
        },
        "generated": "2026-01-01T00:00:00Z",
    }
    text = dump_go(index)
    try:
        full = load_index(text)
    except ReleaseActionsError:
        # The full loader cannot read a plain "=" (YAML 1.1's value tag), which Helm reads as
        # a string; the page reader can.
        assume(False)
    assert render_index_html(load_index_for_page(text), OPTIONS) == render_index_html(full, OPTIONS)
