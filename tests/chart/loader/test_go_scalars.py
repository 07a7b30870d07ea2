"""YAML scalars as Helm reads and stringifies them: each table is checked against Helm itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from release_actions.chart.loader.go_scalars import (
    go_key_string,
    go_resolve,
    go_scalar,
    go_string,
    sanitize,
)
from release_actions.chart.loader.goyaml import load_go
from release_actions.chart.repo.entry import helm_metadata

# A plain scalar in a Go string field (Chart.yaml's keywords), as Helm loads it.
STRING_FIELD = [
    ("y", "true"),
    ("off", "false"),
    ("~", ""),
    ("1.10", "1.1"),
    ("0.1234567891", "0.12345679"),  # rounded to 32 bits
    ("-0.0", "-0"),
    ("1e39", "+Inf"),  # beyond a float32
    ("3.4028235e38", "3.4028235e+38"),
    ("3.4028236e38", "+Inf"),
    ("1e-50", "0"),
    ("1e-45", "1e-45"),
    ("1e21", "1e+21"),
    ("1e-7", "1e-07"),
    ("123456.7", "123456.7"),
    ("1234567.0", "1.234567e+06"),
    ("0.0001", "0.0001"),
    ("0.00001234", "1.234e-05"),
    (".5", "0.5"),
    ("1_0.5", "10.5"),
    ("1e400", "1e400"),  # out of float64 range: a string
    (".inf", "+Inf"),
    ("-.inf", "-Inf"),
    (".nan", "NaN"),
    ("16777217", "16777217"),
    ("0B11", "3"),
    ("+0b11", "3"),
    ("0o17", "15"),
    ("010", "8"),
    ("09", "9"),
    ("0x_1F", "31"),
    ("1_000", "1000"),
    ("18446744073709551615", "18446744073709551615"),
    ("99999999999999999999", "1e+20"),
    ("-9223372036854775809", "-9.223372e+18"),
    ("2024-01-01", "2024-01-01"),
    ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
]
# A plain scalar as a mapping key (Chart.yaml's annotations), as Helm loads it.
MAPPING_KEY = [
    (".inf", ".inf"),
    ("-1e39", "-.inf"),  # infinite as a float32
    (".nan", ".nan"),
    ("0.1234567891", "0.12345679"),
    ("1.5", "1.5"),
    ("true", "true"),
    ("off", "false"),
    ("12", "12"),
    ("0x10", "16"),
    ("1e3", "1000"),
]
# A value with an explicit tag, and what a Go string field gets of it.
EXPLICIT = [
    ("!!bool yes", True, "true"),
    ("!!float 0x10", 16.0, "16"),
    ("!!float 1_0.5", 10.5, "10.5"),
    ("!!int 0B11", 3, "3"),
    ("!!timestamp 2020-01-01", "2020-01-01", "2020-01-01"),
    ("!!binary aGVsbG8=", "hello", "hello"),
    ("!!str 1.10", "1.10", "1.10"),
    ("!!null ~", None, ""),
]


def plain(text: str) -> object:
    return go_scalar(go_resolve(text), text)


@pytest.mark.parametrize(("raw", "helms"), STRING_FIELD)
def test_a_scalar_in_a_string_field(raw: str, helms: str) -> None:
    assert go_string(plain(raw)) == helms
    assert go_string(load_go(f"k: {raw}\n")["k"]) == helms


@pytest.mark.parametrize(("raw", "helms"), MAPPING_KEY)
def test_a_scalar_as_a_mapping_key(raw: str, helms: str) -> None:
    assert go_key_string(plain(raw)) == helms


@pytest.mark.parametrize(("raw", "value", "helms"), EXPLICIT)
def test_an_explicit_tag_decides_the_type(raw: str, value: object, helms: str) -> None:
    loaded = load_go(f"k: {raw}\n")["k"]
    assert loaded == value and type(loaded) is type(value)
    assert go_string(loaded) == helms


@pytest.mark.parametrize("raw", ["!!bool foo", "!!int 1.5", "!!int 99999999999999999999"])
def test_an_explicit_tag_goyaml_cannot_decode_is_an_error(raw: str) -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="cannot decode"):
        load_go(f"k: {raw}\n")


def test_a_list_or_mapping_is_no_string() -> None:
    with pytest.raises(TypeError, match="a list is not a string"):
        go_string(["a"])
    with pytest.raises(TypeError, match="a mapping is not a string"):
        go_string({"a": 1})


def test_sanitize_is_helms() -> None:
    assert sanitize("a\tb\nc\u00a0d") == "a b c d"
    assert sanitize("bell\x07gone") == "bellgone"
    assert sanitize("plain") == "plain"
    # Go's unicode.IsSpace, not Python's isspace: U+001C goes, U+2028 and NEL become spaces.
    assert sanitize("x\x1cy\u2028z\x85w") == "xy z w"


def test_helm_loads_every_table_as_written_here(tmp_path: Path) -> None:
    helm = pytest.importorskip("helm_python")
    keywords = ", ".join(raw for raw, _ in STRING_FIELD)
    keys = "".join(f"  {raw}: {index}\n" for index, (raw, _) in enumerate(MAPPING_KEY))
    explicit = "".join(f"- {raw}\n" for raw, _, _ in EXPLICIT)
    text = (
        f"apiVersion: v2\nname: c\nversion: 1.0.0\nkeywords: [{keywords}]\n"
        f"sources:\n{explicit}annotations:\n{keys}"
        'description: "x\\x1cy\\u2028z\\x85w"\n'
    )
    (tmp_path / "Chart.yaml").write_text(text, encoding="utf-8")

    with helm.Chart.load(tmp_path) as chart:
        theirs = chart.metadata
    ours = helm_metadata(load_go(text))

    assert theirs["keywords"] == [helms for _, helms in STRING_FIELD] == ours["keywords"]
    annotations = {helms: str(index) for index, (_, helms) in enumerate(MAPPING_KEY)}
    assert theirs["annotations"] == annotations == ours["annotations"]
    sources = [helms for _, _, helms in EXPLICIT]
    assert theirs["sources"] == sources == ours["sources"]
    assert theirs["description"] == "xy z w" == ours["description"]
