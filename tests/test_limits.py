"""Issue 9: YAML alias bombs and deep nesting are measured on libyaml's events, quickly."""

from __future__ import annotations

import json

import pytest

from release_actions.limits import (
    MAX_NESTING,
    LimitExceeded,
    check_json_nesting,
    check_yaml_shape,
)


def billion_laughs(levels: int = 9) -> str:
    """The classic: nine anchors, each a list of nine aliases of the one before (~340 bytes)."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghij"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_a_billion_laughs_is_refused_on_the_line_that_overflows() -> None:
    with pytest.raises(LimitExceeded, match="alias bomb") as refused:
        check_yaml_shape(billion_laughs())
    assert refused.value.line == 7


def test_modest_anchors_and_aliases_pass() -> None:
    defaults = "defaults: &defaults\n" + "".join(f"  k{i}: v{i}\n" for i in range(50))
    uses = "".join(f"svc{i}:\n  <<: *defaults\n  name: s{i}\n" for i in range(100))
    check_yaml_shape(defaults + uses)  # 5,000 values once expanded


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "- " * 100_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(0, 600)) + " " * 600 + "k: v\n",
        "{a: " * 100_000 + "1" + "}" * 100_000,
    ],
    ids=["flow-sequences", "block-sequences", "block-mappings", "flow-mappings"],
)
def test_deep_nesting_is_refused_without_recursing(text: str) -> None:
    with pytest.raises(LimitExceeded, match=f"nested more than {MAX_NESTING} levels deep"):
        check_yaml_shape(text)


def test_nesting_at_the_limit_passes() -> None:
    check_yaml_shape("[" * MAX_NESTING + "]" * MAX_NESTING)
    with pytest.raises(LimitExceeded):
        check_yaml_shape("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1))


def test_malformed_yaml_is_left_for_the_loader_to_report() -> None:
    check_yaml_shape("a: [1, 2\nb: }\n")


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_json_is_refused_with_its_position(depth: int) -> None:
    text = '{"a":' * depth + "1" + "}" * depth
    with pytest.raises(LimitExceeded) as refused:
        check_json_nesting(text)
    assert (refused.value.line, refused.value.col) == (1, 5 * MAX_NESTING + 1)


def test_brackets_inside_json_strings_do_not_count() -> None:
    check_json_nesting(json.dumps({"text": "[" * 10_000, "escaped": '\\"[[[[' * 1000}))
