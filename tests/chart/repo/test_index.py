"""index.yaml: Helm's bytes, the append-only splice, its fallback, and Helm's entry fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from release_actions.chart.loader.chart_file import ChartFile, load_chart
from release_actions.chart.loader.goyaml import (
    dump_go,
    go_key_less,
    go_needs_quotes,
    go_rfc3339,
    go_sorted_keys,
    load_go,
    load_strings,
)
from release_actions.chart.repo.entry import index_entry
from release_actions.chart.repo.index import merge_index, merge_into_index, published_versions
from release_actions.errors import ReleaseActionsError
from support.shared_data import shared_data

INDEXES = shared_data("indexes")
REAL_INDEXES = sorted(INDEXES.glob("*.yaml")) if INDEXES.is_dir() else []
needs_real_indexes = pytest.mark.skipif(
    not REAL_INDEXES, reason=f"the real indexes are not here: {INDEXES}"
)
# The two smallest, for checks that need a (slow: seconds) full YAML load.
SMALL_INDEXES = sorted(REAL_INDEXES, key=lambda path: path.stat().st_size)[:2]
SMALLEST_INDEX = SMALL_INDEXES[:1]

GENERATED = datetime(2026, 9, 1, 8, 15, 30, 123400, tzinfo=UTC)
GENERATED_LINE = 'generated: "2026-09-01T08:15:30.1234Z"\n'


def entry(name: str, version: str, digest: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v2",
        "appVersion": version,
        "created": "2026-09-01T08:15:30Z",
        "description": f"The {name} chart",
        "digest": digest or f"{name}-{version}".encode().hex().ljust(64, "0")[:64],
        "name": name,
        "type": "application",
        "urls": [f"https://example.com/{name}-{version}.tgz"],
        "version": version,
        **fields,
    }


SMALL_INDEX = dump_go(
    {
        "apiVersion": "v1",
        "entries": {
            "beta": [entry("beta", "2.0.0"), entry("beta", "1.0.0")],
            "delta": [entry("delta", "0.1.0")],
        },
        "generated": "2026-01-01T00:00:00.5Z",
    }
)


class _IndentedListDumper(yaml.SafeDumper):
    """PyYAML writing lists indented under their key (as ruamel.yaml and people do)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def indented_lists(text: str) -> str:
    return yaml.dump(
        load_strings(text), Dumper=_IndentedListDumper, default_flow_style=False, width=80
    )


def versions_in_order(text: str, name: str) -> list[str]:
    return [str(item["version"]) for item in load_strings(text)["entries"][name]]


def without(text: str, *pieces: str) -> str:
    for piece in pieces:
        assert text.count(piece) == 1, piece
        text = text.replace(piece, "")
    return text


def item_text(name: str, added: dict[str, Any]) -> str:
    """The lines of one list item, as they appear under their chart key."""
    emitted = dump_go({"entries": {name: [added]}})
    return emitted.split("\n", 2)[2]


# -- Go-style YAML ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("true", True),
        ("y", True),
        ("Off", True),
        ("", True),
        ("~", True),
        ("1.10", True),
        ("10", True),
        ("0o17", True),
        ("0x1F", True),
        ("1_000", True),
        ("1e3", True),
        (".5", True),
        ("2024-01-01", True),
        ("2026-08-21T06:32:27.002048658Z", True),
        ("190:20:30", True),
        ("1.2.3", False),
        ("v1.0", False),
        ("yes please", False),
        ("08", True),
        ("0b2", False),
        ("nginx", False),
        ("=", False),
        ("2001-12-14 21:59:43.10 -5", False),
    ],
)
def test_strings_are_quoted_exactly_when_goyaml_would(text: str, quoted: bool) -> None:
    assert go_needs_quotes(text) is quoted
    assert dump_go({"k": text}) == (f'k: "{text}"\n' if quoted else f"k: {text}\n")


def test_dump_writes_literal_blocks_unicode_and_escapes_like_helm() -> None:
    assert dump_go({"changes": "- added x\n- fixed y\n"}) == (
        "changes: |\n  - added x\n  - fixed y\n"
    )
    assert dump_go({"d": "Ünïcode"}) == "d: Ünïcode\n"
    assert dump_go({"d": "\U0001f525 hot"}) == 'd: "\\U0001F525 hot"\n'
    assert dump_go({"empty": {}, "list": ["a"]}) == "empty: {}\nlist:\n- a\n"


def test_keys_are_in_goyaml_order() -> None:
    assert go_sorted_keys(["a10", "a9", "b", "a_", "aZ"]) == ["a_", "a9", "a10", "aZ", "b"]
    assert go_key_less("apiVersion", "appVersion")
    assert not go_key_less("urls", "digest")


def test_times_are_written_as_go_rfc3339_nano_in_utc() -> None:
    assert go_rfc3339(datetime(2026, 8, 21, 6, 32, 27, 2040, tzinfo=UTC)) == (
        "2026-08-21T06:32:27.00204Z"
    )
    assert go_rfc3339(datetime(2026, 8, 21, 6, 32, 27, tzinfo=UTC)) == "2026-08-21T06:32:27Z"
    plus_two = timezone(timedelta(hours=2))
    assert go_rfc3339(datetime(2026, 8, 21, 8, 0, tzinfo=plus_two)) == "2026-08-21T06:00:00Z"


@needs_real_indexes
@pytest.mark.parametrize("path", SMALLEST_INDEX, ids=lambda path: path.name)
def test_load_and_go_dump_give_back_a_real_index_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dump_go(load_strings(text)) == text


# -- published_versions ----------------------------------------------------------------------


@needs_real_indexes
@pytest.mark.parametrize("path", SMALL_INDEXES, ids=lambda path: path.name)
def test_published_versions_equals_a_full_load(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = {
        name: {item["version"] for item in items}
        for name, items in load_strings(text)["entries"].items()
    }
    assert published_versions(text) == expected
    assert published_versions(text.encode("utf-8")) == expected


def test_published_versions_of_small_and_empty_indexes() -> None:
    assert published_versions(SMALL_INDEX) == {"beta": {"2.0.0", "1.0.0"}, "delta": {"0.1.0"}}
    empty = 'apiVersion: v1\nentries: {}\ngenerated: "2020-01-01T00:00:00Z"\n'
    assert published_versions(empty) == {}


def test_published_versions_reads_quoted_versions_and_other_layouts() -> None:
    quoted = SMALL_INDEX.replace("version: 0.1.0", 'version: "0.10"')
    assert published_versions(quoted)["delta"] == {"0.10"}
    # a non-canonical layout (PyYAML's own dump, with a comment) goes through the loader
    other = indented_lists(SMALL_INDEX)
    assert "\n    - apiVersion: v2\n" in other
    assert published_versions(other) == published_versions(SMALL_INDEX)


# -- merge_index -----------------------------------------------------------------------------


@needs_real_indexes
@pytest.mark.parametrize("path", REAL_INDEXES, ids=lambda path: path.name)
def test_a_merge_into_a_real_index_leaves_every_existing_byte_in_place(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    versions = published_versions(text)
    chart = sorted(versions)[len(versions) // 2]
    newest = entry(chart, "999.0.0")
    fresh = entry("zz-brand-new-chart", "0.1.0", maintainers=[{"name": "Ünï"}])

    merged = merge_index(text, [newest, fresh], generated=GENERATED)

    old_generated = next(line for line in text.splitlines(True) if line.startswith("generated:"))
    restored = without(
        merged,
        item_text(chart, newest),
        "  zz-brand-new-chart:\n" + item_text("zz-brand-new-chart", fresh),
    ).replace(GENERATED_LINE, old_generated)
    assert restored == text
    assert published_versions(merged)[chart] == versions[chart] | {"999.0.0"}
    assert published_versions(merged)["zz-brand-new-chart"] == {"0.1.0"}
    # the new version is first in its chart's list (newest first)
    chart_block = merged[merged.index(f"\n  {chart}:\n") :]
    assert chart_block.index("version: 999.0.0") < chart_block.index("\n  - ", 10 + len(chart))


@needs_real_indexes
@pytest.mark.parametrize("path", SMALL_INDEXES, ids=lambda path: path.name)
def test_the_splice_equals_a_full_go_style_re_emit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    charts = sorted(published_versions(text))
    added = [
        entry(charts[0], "999.0.0"),
        entry(charts[0], "0.0.0-alpha.1"),  # slotted at the end
        entry(charts[-1], "1000.0.0-rc.1"),
        entry("0-first-new-chart", "1.0.0"),
        entry("zzz-last-new-chart", "1.0.0"),
    ]

    spliced = merge_index(text, added, generated=GENERATED)
    # A comment is not the canonical layout, so this one is loaded and re-emitted whole.
    reemitted = merge_index("# not canonical\n" + text, added, generated=GENERATED)

    assert spliced == reemitted


def test_a_missing_index_becomes_a_new_one_in_helms_layout() -> None:
    added = entry("alpha", "1.0.0", digest="a" * 64)

    assert merge_index(None, [added], generated=GENERATED) == (
        "apiVersion: v1\n"
        "entries:\n"
        "  alpha:\n"
        "  - apiVersion: v2\n"
        "    appVersion: 1.0.0\n"
        '    created: "2026-09-01T08:15:30Z"\n'
        "    description: The alpha chart\n"
        f"    digest: {'a' * 64}\n"
        "    name: alpha\n"
        "    type: application\n"
        "    urls:\n"
        "    - https://example.com/alpha-1.0.0.tgz\n"
        "    version: 1.0.0\n" + GENERATED_LINE
    )


def test_each_charts_entries_stay_newest_first_by_semver() -> None:
    added = [
        entry("beta", "1.10.0"),
        entry("beta", "2.0.0-rc.1"),
        entry("beta", "10.0.0"),
        entry("beta", "0.9.0"),
        entry("beta", "2.0.0-rc.1.1"),
        entry("beta", "2.0.0-beta"),
    ]

    merged = merge_index(SMALL_INDEX, added, generated=GENERATED)

    assert versions_in_order(merged, "beta") == [
        "10.0.0",
        "2.0.0",
        "2.0.0-rc.1.1",
        "2.0.0-rc.1",
        "2.0.0-beta",
        "1.10.0",
        "1.0.0",
        "0.9.0",
    ]
    assert list(load_strings(merged)["entries"]) == ["beta", "delta"]


def test_new_charts_take_their_key_order_place() -> None:
    merged = merge_index(
        SMALL_INDEX, [entry("alpha", "1.0.0"), entry("gamma", "1.0.0")], generated=GENERATED
    )
    assert list(load_strings(merged)["entries"]) == ["alpha", "beta", "delta", "gamma"]
    assert merged == dump_go(
        {
            "apiVersion": "v1",
            "entries": {
                **load_strings(SMALL_INDEX)["entries"],
                "alpha": [entry("alpha", "1.0.0")],
                "gamma": [entry("gamma", "1.0.0")],
            },
            "generated": go_rfc3339(GENERATED),
        }
    )


def test_merging_into_empty_entries() -> None:
    empty = 'apiVersion: v1\nentries: {}\ngenerated: "2026-01-01T00:00:00Z"\n'

    merged = merge_index(empty, [entry("alpha", "1.0.0")], generated=GENERATED)

    assert merged == merge_index(None, [entry("alpha", "1.0.0")], generated=GENERATED)


def test_a_version_already_listed_with_the_same_digest_changes_nothing() -> None:
    again = entry("beta", "2.0.0")

    assert merge_index(SMALL_INDEX, [again], generated=GENERATED) == SMALL_INDEX


def test_a_version_already_listed_with_another_digest_is_refused() -> None:
    rebuilt = entry("beta", "2.0.0", digest="f" * 64)

    with pytest.raises(ReleaseActionsError, match="immutable") as error:
        merge_index(SMALL_INDEX, [rebuilt], generated=GENERATED)

    assert entry("beta", "2.0.0")["digest"] in error.value.message
    assert "f" * 64 in error.value.message
    with pytest.raises(ReleaseActionsError, match="immutable"):
        merge_index("# other layout\n" + SMALL_INDEX, [rebuilt], generated=GENERATED)


def test_two_new_entries_for_one_version_must_agree() -> None:
    one = entry("beta", "3.0.0", digest="1" * 64)

    merged = merge_index(SMALL_INDEX, [one, dict(one)], generated=GENERATED)
    assert versions_in_order(merged, "beta") == ["3.0.0", "2.0.0", "1.0.0"]
    with pytest.raises(ReleaseActionsError, match="different digests"):
        merge_index(
            SMALL_INDEX, [one, entry("beta", "3.0.0", digest="2" * 64)], generated=GENERATED
        )


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: "# a comment\n" + text, id="comment"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf"),
        pytest.param(indented_lists, id="indented-lists"),
        pytest.param(lambda text: "---\n" + text, id="document-marker"),
        pytest.param(
            lambda text: text.replace('generated: "2026-01-01T00:00:00.5Z"\n', ""),
            id="no-generated",
        ),
        pytest.param(
            lambda text: text.replace("entries:\n", "entries:\n  # note\n"), id="indented-comment"
        ),
    ],
)
def test_non_canonical_layouts_fall_back_to_a_full_re_emit(variant: Any) -> None:
    text = variant(SMALL_INDEX)

    merged = merge_index(text, [entry("beta", "3.0.0")], generated=GENERATED)

    assert merged == merge_index(SMALL_INDEX, [entry("beta", "3.0.0")], generated=GENERATED)


@pytest.mark.parametrize(
    ("variant", "reason"),
    [
        (
            lambda text: "# a comment\n" + text,
            "line 1 is a comment, a document marker or a top-level key that Helm does not write",
        ),
        (lambda text: text.replace("\n", "\r\n"), "it has CR line ends"),
        (lambda text: "\ufeff" + text, "it starts with a byte order mark"),
        (lambda text: text.rstrip("\n"), "its last line has no line break"),
        (
            lambda text: text.replace('generated: "2026-01-01T00:00:00.5Z"\n', ""),
            "it has no top-level generated",
        ),
        (
            indented_lists,
            "the chart key on line 3 is not a plain name with its entries at its indent",
        ),
    ],
)
def test_a_full_re_emit_says_why(variant: Any, reason: str) -> None:
    merged = merge_into_index(variant(SMALL_INDEX), [entry("beta", "3.0.0")], generated=GENERATED)
    assert merged.rewritten
    assert reason in merged.rewritten_because
    assert merged.text == merge_index(SMALL_INDEX, [entry("beta", "3.0.0")], generated=GENERATED)


def test_a_splice_or_no_change_rewrites_nothing() -> None:
    spliced = merge_into_index(SMALL_INDEX, [entry("beta", "3.0.0")], generated=GENERATED)
    assert not spliced.rewritten and spliced.rewritten_because == ""
    listed = entry("beta", "2.0.0")
    unchanged = merge_into_index("# hand-made\n" + SMALL_INDEX, [listed], generated=GENERATED)
    assert unchanged.text == "# hand-made\n" + SMALL_INDEX
    assert not unchanged.rewritten  # nothing was added, so nothing was rewritten
    assert not merge_into_index(None, [listed], generated=GENERATED).rewritten


def test_a_flow_style_index_is_merged_too() -> None:
    flow = (
        '{"apiVersion": "v1", "entries": {"beta": [{"name": "beta", "version": "1.0.0", '
        '"digest": "d", "urls": ["u"], "created": "2020-01-01T00:00:00Z"}]}}\n'
    )
    merged = merge_index(flow, [entry("beta", "1.1.0")], generated=GENERATED)
    assert versions_in_order(merged, "beta") == ["1.1.0", "1.0.0"]
    assert merged.endswith(GENERATED_LINE)


def test_an_index_that_is_not_an_index_is_refused() -> None:
    with pytest.raises(ReleaseActionsError, match=r"the file must be a mapping \(a Helm index\)"):
        merge_index("- a list\n", [entry("beta", "1.1.0")], generated=GENERATED)
    with pytest.raises(ReleaseActionsError, match="the index cannot be read: invalid YAML"):
        merge_index("entries: [\n", [entry("beta", "1.1.0")], generated=GENERATED)


# -- index_entry -----------------------------------------------------------------------------

FULL_CHART_YAML = """\
apiVersion: v2
name: full
version: 1.2.3-rc.1+build.5
appVersion: "1.10"
kubeVersion: ">=1.20.0-0"
description: |
  multi line
  description\twith tab
home: https://example.com
icon: https://example.com/icon.png
sources: [https://github.com/a/b]
keywords: [database, "true"]
deprecated: false
condition: full.enabled
tags: backend
unknownField: dropped
maintainers:
- name: A B
  email: a@example.com
- name: C
  url: https://c.example.com
annotations:
  artifacthub.io/changes: |
    - kind: added
      description: x
  category: Database
dependencies:
- name: sub
  version: ">=0.1.0"
  repository: file://charts/sub
  condition: sub.enabled
  tags: [t1]
  enabled: true
  alias: subby
  import-values:
  - child: a
    parent: b
  - data
- name: sub2
  repository: ""
type: application
"""


def test_the_entry_has_helms_field_set(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text(FULL_CHART_YAML, encoding="utf-8")
    chart = load_chart(tmp_path)

    made = index_entry(
        chart,
        digest="d" * 64,
        urls=["https://example.com/full-1.2.3-rc.1+build.5.tgz"],
        created=datetime(2026, 9, 1, 8, 15, 30, 5, tzinfo=UTC),
    )

    assert made == {
        "annotations": {
            "artifacthub.io/changes": "- kind: added\n  description: x\n",
            "category": "Database",
        },
        "apiVersion": "v2",
        "appVersion": "1.10",
        "condition": "full.enabled",
        "created": "2026-09-01T08:15:30.000005Z",
        "dependencies": [
            {
                "alias": "subby",
                "condition": "sub.enabled",
                "enabled": True,
                "import-values": [{"child": "a", "parent": "b"}, "data"],
                "name": "sub",
                "repository": "file://charts/sub",
                "tags": ["t1"],
                "version": ">=0.1.0",
            },
            {"name": "sub2", "repository": ""},
        ],
        "description": "multi line description with tab ",
        "digest": "d" * 64,
        "home": "https://example.com",
        "icon": "https://example.com/icon.png",
        "keywords": ["database", "true"],
        "kubeVersion": ">=1.20.0-0",
        "maintainers": [
            {"email": "a@example.com", "name": "A B"},
            {"name": "C", "url": "https://c.example.com"},
        ],
        "name": "full",
        "sources": ["https://github.com/a/b"],
        "tags": "backend",
        "type": "application",
        "urls": ["https://example.com/full-1.2.3-rc.1+build.5.tgz"],
        "version": "1.2.3-rc.1+build.5",
    }


def test_a_v1_chart_gets_its_dependencies_from_requirements_yaml(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: old\nversion: 0.1.0\n", encoding="utf-8")
    (tmp_path / "requirements.yaml").write_text(
        "dependencies:\n- name: mysql\n  version: 1.0.0\n  repository: https://x\n",
        encoding="utf-8",
    )
    chart = ChartFile(directory=tmp_path, metadata={"name": "old", "version": "0.1.0"})

    made = index_entry(chart, digest="d", urls=["old-0.1.0.tgz"], created=GENERATED)

    assert made["apiVersion"] == "v1"  # Helm's default for a chart without one
    assert made["dependencies"] == [
        {"name": "mysql", "repository": "https://x", "version": "1.0.0"}
    ]


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"version": "1.0.0"}, "name is required"),
        ({"name": "a/b", "version": "1.0.0"}, "is invalid"),
        ({"name": "a"}, "version is required"),
        ({"name": "a", "version": "one"}, "version 'one' is invalid"),
        ({"name": "a", "version": "1.0.0", "type": "plugin"}, "application or library"),
        (
            {"name": "a", "version": "1.0.0", "dependencies": [{"name": "x"}, {"name": "x"}]},
            "more than one dependency",
        ),
        ({"name": "a", "version": "1.0.0", "maintainers": [None]}, "empty or null"),
        ({"name": "a", "version": "1.0.0", "tags": ["x"]}, "tags: a list is not a string"),
        (
            {"name": "a", "version": "1.0.0", "annotations": {"k": {"x": 1}}},
            "annotation k: a mapping is not a string",
        ),
    ],
)
def test_metadata_helm_would_refuse_is_refused(metadata: dict[str, Any], message: str) -> None:
    chart = ChartFile(directory=Path("/nonexistent"), metadata=metadata)
    with pytest.raises(ReleaseActionsError, match=message):
        index_entry(chart, digest="d", urls=["u"], created=GENERATED)


def test_scalars_reach_string_fields_as_go_writes_them() -> None:
    loaded = load_go("keywords: [y, 1.10, 1e6, 0x1F, 2024-01-01]\n")
    chart = ChartFile(Path("/nonexistent"), {"name": "a", "version": "1.0.0", **loaded})

    made = index_entry(chart, digest="d", urls=["u"], created=GENERATED)

    assert made["keywords"] == ["true", "1.1", "1e+06", "31", "2024-01-01"]


def test_annotation_keys_are_go_json_keys() -> None:
    loaded = load_go("annotations: {true: a, 0.1234567891: b, .inf: c, 0x10: d}\n")
    chart = ChartFile(Path("/nonexistent"), {"name": "a", "version": "1.0.0", **loaded})

    made = index_entry(chart, digest="d", urls=["u"], created=GENERATED)

    assert made["annotations"] == {"true": "a", "0.12345679": "b", ".inf": "c", "16": "d"}
