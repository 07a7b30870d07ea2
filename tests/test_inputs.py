from __future__ import annotations

import pytest

from release_actions.errors import InputError
from release_actions.inputs import Inputs, env_name, parse_bool, split_list


def test_env_name() -> None:
    assert env_name("charts-dir") == "INPUT_CHARTS_DIR"


@pytest.mark.parametrize("text", ["yes", "True", "1", "on", "falsey", ""])
def test_booleans_are_strict(text: str) -> None:
    with pytest.raises(InputError, match="'dry-run' must be 'true' or 'false'"):
        parse_bool("dry-run", text)


def test_boolean_default_and_values() -> None:
    inputs = Inputs({"INPUT_A": "true", "INPUT_B": "false", "INPUT_C": ""})
    assert inputs.boolean("a", False) is True
    assert inputs.boolean("b", True) is False
    assert inputs.boolean("c", True) is True
    assert inputs.boolean("missing", False) is False


def test_lists_split_on_newlines_and_commas() -> None:
    assert split_list("charts, more\n\n  deep/charts ,") == ["charts", "more", "deep/charts"]
    inputs = Inputs({"INPUT_LABELS": "automation,\napp-upgrade"})
    assert inputs.items("labels") == ["automation", "app-upgrade"]
    assert inputs.items("exclude", ["x"]) == ["x"]


def test_lines_keep_commas() -> None:
    inputs = Inputs({"INPUT_VALUES_CHECKS": "a = {name},{version}\n\n b = v{version} "})
    assert inputs.lines("values-checks") == ["a = {name},{version}", "b = v{version}"]


def test_required_and_choice() -> None:
    inputs = Inputs({"INPUT_MODE": "publish"})
    with pytest.raises(InputError, match="input 'token' is required"):
        inputs.required("token")
    with pytest.raises(InputError, match="input 'mode' must be one of auto, check, release"):
        inputs.choice("mode", ("auto", "check", "release"), "auto")
    assert Inputs({}).choice("mode", ("auto", "check"), "auto") == "auto"


def test_integer() -> None:
    assert Inputs({"INPUT_N": "5"}).integer("n", 1, minimum=1) == 5
    with pytest.raises(InputError, match="whole number"):
        Inputs({"INPUT_N": "five"}).integer("n", 1)
    with pytest.raises(InputError, match="at least 1"):
        Inputs({"INPUT_N": "0"}).integer("n", 1, minimum=1)
