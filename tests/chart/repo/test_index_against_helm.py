"""Differential tests: we refuse exactly the index.yaml files Helm's repository loader refuses.

Hypothesis builds indexes from parts that Helm reads differently (types, duplicate keys, unknown
fields, case, nulls, times, BOMs, empty files), in Helm's own layout (the splice's C-speed proof)
and in other layouts (the full check), and compares our verdict with Helm's.

Stricter than Helm, on purpose (not generated here; see STRICTER_THAN_HELM and the README):
an index in JSON form with a key twice or a field Helm does not know, a second YAML document,
a zone offset of 24 hours. The JSON form is generated, and compared where it is not stricter.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from release_actions.chart.loader.goyaml import dump_go
from release_actions.chart.repo.index import (
    _NotCanonical,
    _scan,
    merge_into_index,
    published_versions,
)
from release_actions.chart.repo.index_check import STRICTER_THAN_HELM, IndexRefused

from ..helm_oracle import helm_loads_index

GENERATED = datetime(2026, 9, 1, tzinfo=UTC)
NEW_ENTRY = {
    "apiVersion": "v2",
    "name": "zeta",
    "version": "9.9.9",
    "digest": "f" * 64,
    "urls": ["zeta-9.9.9.tgz"],
    "created": "2026-09-01T00:00:00Z",
}
# The SDK calls are a few milliseconds each; these counts keep each test near a second.
EXAMPLES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TIMES = st.sampled_from(
    [
        "2026-01-31T10:00:00Z",
        "2024-02-29T23:59:59.123456789+05:30",
        "2026-02-29T00:00:00Z",  # no such day
        "2026-01-01T24:00:00Z",
        "2026-01-01",
        "2026-01-01T00:00:00z",
        "2026-01-01 00:00:00Z",
        "x",
        "",
    ]
)
SCALARS = st.one_of(
    st.sampled_from(["1.0.0", "v1.2.3", "nginx", "1.10", "1", "true", "yes", "~", "", "y"]),
    st.integers(-3, 3),
    st.booleans(),
    st.none(),
    st.just(1.5),
)


VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "b", "name"]), inner, max_size=2)
    ),
    max_leaves=4,
)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually what Helm writes, sometimes something else: one fault per index is the most
    telling, and an index with many faults is refused for the first."""
    return st.integers(0, 24).flatmap(lambda roll: bad if roll == 0 else good)


ENTRY_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": mostly(st.just("nginx"), VALUES),
    "version": mostly(st.sampled_from(["1.0.0", "2.0.0-rc.1"]), st.sampled_from(["1.10", "x"])),
    "apiVersion": mostly(st.sampled_from(["v2", "v1"]), VALUES),
    "appVersion": mostly(st.sampled_from(["1.0", "v2", "1.2.3"]), VALUES),
    "description": mostly(st.sampled_from(["A chart: with a colon", "x " * 50]), VALUES),
    "created": mostly(st.just("2026-01-31T10:00:00.5Z"), st.one_of(TIMES, st.integers(0, 5))),
    "digest": mostly(st.just("ab" * 32), VALUES),
    "urls": mostly(st.lists(st.just("https://e.com/a.tgz"), max_size=2), VALUES),
    "keywords": mostly(st.lists(st.sampled_from(["web", "db"]), max_size=2), VALUES),
    "deprecated": mostly(st.booleans(), VALUES),
    "annotations": mostly(
        st.dictionaries(st.sampled_from(["a", "b.io/c", "y"]), st.just("v"), max_size=2),
        st.dictionaries(st.sampled_from(["a", "b"]), VALUES, max_size=2) | VALUES,
    ),
    "maintainers": mostly(
        st.lists(
            st.fixed_dictionaries({"name": st.just("Ann")}, optional={"email": st.just("a@b.c")}),
            max_size=2,
        ),
        st.lists(
            st.one_of(
                st.none(),
                st.dictionaries(st.sampled_from(["name", "email", "foo"]), VALUES, max_size=2),
            ),
            max_size=2,
        ),
    ),
    "dependencies": mostly(
        st.lists(
            st.fixed_dictionaries({"name": st.just("db"), "version": st.just("1.x")}), max_size=1
        ),
        st.lists(
            st.dictionaries(
                st.sampled_from(["name", "version", "enabled", "tags", "import-values"]),
                VALUES,
                max_size=3,
            ),
            max_size=1,
        ),
    ),
    "type": mostly(st.just("application"), VALUES),
    "home": mostly(st.just("https://example.com"), st.just("h").map(lambda _: {"x": 1})),
    "Home": st.just("https://example.com"),  # Go's JSON decoder takes a field in any case
    "foo": SCALARS,  # not a field: UnmarshalStrict refuses it
}
COMMON_FIELDS = ("name", "version", "apiVersion", "created", "digest", "urls")


@st.composite
def entries(draw: st.DrawFn) -> Any:
    rare = draw(
        st.lists(
            mostly(st.sampled_from(sorted(ENTRY_FIELDS.keys() - {"Home", "foo"})), st.just("foo")),
            max_size=2,
            unique=True,
        )
    )
    common = draw(st.lists(st.sampled_from(COMMON_FIELDS), min_size=3, unique=True))
    item = {name: draw(ENTRY_FIELDS[name]) for name in [*common, *rare]}
    return draw(mostly(st.just(item), st.none() | SCALARS))


@st.composite
def index_data(draw: st.DrawFn) -> dict[str, Any]:
    charts = draw(
        st.dictionaries(
            mostly(st.sampled_from(["nginx", "redis", "Nginx"]), st.sampled_from(["1", "yes"])),
            mostly(st.lists(entries(), min_size=1, max_size=3), VALUES),
            max_size=3,
        )
    )
    data: dict[str, Any] = {
        "apiVersion": draw(mostly(st.just("v1"), SCALARS)),
        "entries": draw(mostly(st.just(charts), VALUES)),
        "generated": draw(mostly(st.just("2026-01-01T00:00:00Z"), TIMES)),
    }
    if draw(st.integers(0, 9)) == 0:
        del data[draw(st.sampled_from(sorted(data)))]
    if draw(st.integers(0, 4)) == 0:
        key = draw(st.sampled_from(["annotations", "publicKeys", "serverInfo", "foo", "Entries"]))
        data[key] = draw(VALUES)
    return data


def helm_layout(data: dict[str, Any]) -> str:
    return dump_go(data)


def other_layout(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, default_flow_style=None, sort_keys=False)


def repeat_a_line(text: str, line: int) -> str:
    """The text with one of its lines written twice: a key twice, or one more list item."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    at = line % len(lines)
    return "".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])


def repeat_a_chart(text: str) -> str:
    """Two blocks under one chart key, as in the issue's two ``nginx:`` keys."""
    lines = text.splitlines(keepends=True)
    keys = [
        number
        for number, line in enumerate(lines)
        if line.startswith("  ") and line[2] not in " -" and line.rstrip().endswith(":")
    ]
    if not keys:
        return text
    first = keys[0]
    end = next(
        (
            number
            for number in range(first + 1, len(lines))
            if not lines[number].startswith(("   ", "  - "))
        ),
        len(lines),
    )
    block = "".join(lines[first:end]).replace("1.0.0", "3.0.0")
    return "".join(lines[:end]) + block + "".join(lines[end:])


@st.composite
def index_texts(draw: st.DrawFn) -> str:
    data = draw(index_data())
    text = draw(mostly(st.just(helm_layout), st.just(other_layout)))(data)
    mutation = draw(st.sampled_from(["none"] * 8 + ["line", "chart", "bom", "json"]))
    if mutation == "line":
        text = repeat_a_line(text, draw(st.integers(0, 200)))
    elif mutation == "chart":
        text = repeat_a_chart(text)
    elif mutation == "bom":
        text = "\ufeff" + text
    elif mutation == "json":
        text = json.dumps(data)
    return text


def stricter_than_helm(text: str, our_reason: str) -> bool:
    """An index we refuse on purpose (STRICTER_THAN_HELM): JSON with a field Helm ignores, or
    text after the first YAML document (goyaml.v2 stops reading there)."""
    try:
        json.loads(text)
    except ValueError:
        return text_after_first_document(text)
    return STRICTER_THAN_HELM["json-unknown-field"] in our_reason


def text_after_first_document(text: str) -> bool:
    end = None
    try:
        for parsed in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(parsed, yaml.DocumentEndEvent):
                end = parsed.end_mark.index
                break
    except yaml.YAMLError:
        pass
    return end is not None and bool(text.lstrip("\ufeff")[end:].strip())


def _scan_or_none(text: str) -> bool:
    try:
        _scan(text)
    except (_NotCanonical, IndexError):
        return False
    return True


def our_verdict(text: str) -> tuple[bool, str]:
    try:
        published_versions(text)
    except IndexRefused as refused:
        return False, str(refused)
    return True, ""


@EXAMPLES
@given(index_texts())
def test_we_refuse_an_index_exactly_when_helm_does(text: str) -> None:
    helm_accepts, helm_reason = helm_loads_index(text)
    we_accept, our_reason = our_verdict(text)
    event("Helm loads it" if helm_accepts else "Helm refuses it")
    event("in Helm's layout" if _scan_or_none(text) else "in another layout")
    if helm_accepts and not we_accept and stricter_than_helm(text, our_reason):
        return

    assert we_accept == helm_accepts, (
        f"Helm: {helm_reason or 'loads it'}; we: {our_reason or 'load it'}"
    )
    if we_accept:
        merged = merge_into_index(text, [NEW_ENTRY], generated=GENERATED)
        assert helm_loads_index(merged.text)[0]
    else:
        with pytest.raises(IndexRefused):
            merge_into_index(text, [NEW_ENTRY], generated=GENERATED)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\n", id="blank"),
        pytest.param("# nothing yet\n", id="comment-only"),
        pytest.param("apiVersion: v1\napiVersion: v1\nentries: {}\n", id="top-level-key-twice"),
        pytest.param("apiVersion: v1\nentries: []\n", id="entries-a-list"),
        pytest.param("apiVersion: v1\nentries:\n  a: {}\n", id="chart-a-map"),
        pytest.param("apiVersion: v1\nentries:\n  a:\n  - x\n", id="entry-a-string"),
        pytest.param("apiVersion: v1\ngenerated: x\n", id="generated-not-a-time"),
        pytest.param("apiVersion: v1\ngenerated: 2026-02-29T00:00:00Z\n", id="no-such-day"),
        pytest.param(
            "apiVersion: v1\nentries:\n  a:\n  - created: 2026-01-01T24:00:00Z\n", id="hour-24"
        ),
        pytest.param("apiVersion: ~\nentries: {}\n", id="no-api-version"),
        pytest.param("apiVersion: v1\nfoo: 1\n", id="unknown-top-level-field"),
        pytest.param("apiVersion: v1\nentries: {[a]: []}\n", id="list-as-key"),
        pytest.param(
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    urls: x\n", id="urls-a-string"
        ),
        pytest.param(
            "apiVersion: v1\nentries:\n  a:\n  - name: 1\n", id="metadata-number-not-converted"
        ),
    ],
)
def test_examples_helm_refuses_are_refused(text: str) -> None:
    assert not helm_loads_index(text)[0]
    assert not our_verdict(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ufeffapiVersion: v1\nentries: {}\n", id="bom"),
        pytest.param("apiVersion: 1\n", id="api-version-a-number"),
        pytest.param("apiVersion: v1\nEntries: {}\n", id="field-in-other-case"),
        pytest.param("apiVersion: v1\nentries:\n  a:\n  - \n", id="null-entry"),
        pytest.param(
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: nope\n", id="bad-version"
        ),
        pytest.param(
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    digest: 1\n", id="digest-converted"
        ),
        pytest.param("apiVersion: v1\n<<: {entries: {}}\n", id="merge-key"),
    ],
)
def test_examples_helm_loads_are_loaded(text: str) -> None:
    assert helm_loads_index(text)[0]
    assert our_verdict(text)[0]


FAULTS: st.SearchStrategy[Any] = st.one_of(
    VALUES,
    TIMES,
    st.sampled_from(["true", "1.10", "~", "null", "y", "<<", "2026-01-01", "a: b", "- x", "#x"]),
)
# Where one fault goes: a field of an entry, or a value inside one.
FAULT_PLACES = [
    *ENTRY_FIELDS,
    "maintainers.0.name",
    "maintainers.0",
    "dependencies.0.name",
    "dependencies.0.enabled",
    "annotations.a",
    "keywords.0",
    "urls.0",
]


def good_entry(name: str, version: str) -> dict[str, Any]:
    return {
        "apiVersion": "v2",
        "name": name,
        "version": version,
        "appVersion": "1.0",
        "created": "2026-01-31T10:00:00.5Z",
        "description": "A chart: with a colon",
        "digest": "ab" * 32,
        "urls": [f"https://e.com/{name}-{version}.tgz"],
        "keywords": ["web"],
        "maintainers": [{"name": "Ann", "email": "a@b.c"}],
        "dependencies": [{"name": "db", "version": "1.x", "enabled": True}],
        "annotations": {"a": "v"},
    }


@st.composite
def one_fault_in_helms_layout(draw: st.DrawFn) -> str:
    """A valid index in Helm's layout with exactly one value changed, or one line or chart
    written twice: what the C-speed proof of Helm's layout has to tell from Helm's output."""
    names = draw(st.lists(st.sampled_from(["nginx", "redis"]), min_size=1, unique=True))
    versions = st.lists(st.sampled_from(["1.0.0", "2.0.0"]), min_size=1, unique=True)
    charts = {name: [good_entry(name, version) for version in draw(versions)] for name in names}
    data = {"apiVersion": "v1", "entries": charts, "generated": "2026-01-01T00:00:00Z"}
    fault = draw(st.sampled_from(["value", "value", "value", "line", "chart"]))
    if fault == "value":
        target: Any = draw(st.sampled_from([item for items in charts.values() for item in items]))
        *path, last = draw(st.sampled_from(FAULT_PLACES)).split(".")
        for step in path:
            target = target[int(step)] if step.isdigit() else target[step]
        target[int(last) if last.isdigit() else last] = draw(FAULTS)
        return dump_go(data)
    text = dump_go(data)
    if fault == "line":
        return repeat_a_line(text, draw(st.integers(0, 200)))
    return repeat_a_chart(text)


@EXAMPLES
@given(one_fault_in_helms_layout())
def test_one_fault_in_helms_layout_is_judged_as_helm_judges_it(text: str) -> None:
    helm_accepts, helm_reason = helm_loads_index(text)
    we_accept, our_reason = our_verdict(text)
    event("Helm loads it" if helm_accepts else "Helm refuses it")
    event("in Helm's layout" if _scan_or_none(text) else "in another layout")

    assert we_accept == helm_accepts, (
        f"Helm: {helm_reason or 'loads it'}; we: {our_reason or 'load it'}"
    )
