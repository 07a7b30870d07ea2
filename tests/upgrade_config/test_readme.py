"""The README's examples are real: its segments file validates and its resolve walk holds."""

from __future__ import annotations

import io
import json
import re

from release_actions.cli import main
from release_actions.upgrade_config.document import load_json
from release_actions.upgrade_config.validate import check_segments

from .helpers import EXAMPLES, ROOT

README = (ROOT / "action-upgrade-config" / "README.md").read_text(encoding="utf-8")


def test_the_segments_example_is_valid_and_matches_the_shipped_example() -> None:
    section = README.split("## The segments file", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    assert check_segments(load_json(block.group(1), "README.md")) == []
    shipped = json.loads((EXAMPLES / "config" / "app-upgrade-segments.json").read_text("utf-8"))
    documented = json.loads(block.group(1))
    assert documented["mirrors"] == shipped["mirrors"]
    assert [s["id"] for s in documented["segments"]] == [s["id"] for s in shipped["segments"]]


def test_the_resolve_walk_prints_what_the_readme_says() -> None:
    seen = []
    for current in ("1.6.3", "1.7.23", "2.0.0"):
        stream = io.StringIO()
        argv = ["upgrade-config", "resolve", "--config", "app-upgrade-config.json"]
        code = main([*argv, "--current-version", current], environ={}, stream=stream, cwd=EXAMPLES)
        assert code == 0
        seen.append(json.loads(stream.getvalue())["version"])
    assert seen == ["1.7.23", "2.0.0", "2.1.6"]
    assert "prints `1.7.23`, then `2.0.0`, then `2.1.6`" in README
