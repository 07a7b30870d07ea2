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


ODD_FIELDS = """\
apiVersion: v1
entries:
  odd:
  - apiVersion: v2
    appVersion: "1.0"
    created: "2026-01-01T00:00:00Z"
    description: the latest
    digest: abc
    name: odd
    urls:
    - https://example.com/odd-3.0.0.tgz
    version: 3.0.0
  - appVersion: "caf\\u00e9"
    created: '2026-01-01T00:00:00Z'
    deprecated: true
    digest: "with \\"quotes\\""
    urls: [https://example.com/flow.tgz]
    version: 2.0.0
  - appVersion: true
    created: 2026-01-01 00:00:00
    deprecated: false
    digest: ~
    urls:
    - https://example.com/a-very-long-url-that-goes-on
      and-on.tgz
    version: '1.0.0'
  - appVersion: null
    created: >-
      2026-01-01T00:00:00Z
    digest: 'it''s'
    urls:
    - "https://example.com/q.tgz"
    - 'https://example.com/s.tgz'
    version: 0.0.1
  - urls:
    - https://example.com/first-key.tgz
    version: 0.0.0
generated: "2026-01-02T00:00:00Z"
"""


def test_fields_written_any_way_yaml_allows_read_as_the_full_load_reads_them() -> None:
    same_page(ODD_FIELDS)
    entries = {e["version"]: e for e in load_index_for_page(ODD_FIELDS)["entries"]["odd"]}
    assert entries["2.0.0"]["appVersion"] == "café" and entries["2.0.0"]["deprecated"] is True
    assert entries["1.0.0"]["appVersion"] is True
    assert entries["0.0.1"]["digest"] == "it's"
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
