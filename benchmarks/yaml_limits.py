"""What the YAML shape check (nesting and alias expansion, issue 9) costs, and how fast it refuses.

    uv run python benchmarks/yaml_limits.py [INDEX.yaml ...]

Times :func:`release_actions.limits.check_yaml_shape` against a full libyaml load of the same
text, on the real indexes in ../shared/data/indexes when they are checked out (or the files
given), and how long the hostile shapes take to be refused: a billion laughs, and sequences
nested 100,000 deep (which crash libyaml's composer with signal 11 when loaded unchecked).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from release_actions.chart.loader.goyaml import IndexLoader
from release_actions.limits import LimitExceeded, check_yaml_shape

REAL_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "indexes"


def seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    with contextlib.suppress(LimitExceeded):
        call()
    return time.perf_counter() - start


def billion_laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return text


def main(paths: list[Path]) -> None:
    for path in paths or sorted(REAL_DATA.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        load = seconds(lambda text=text: yaml.load(text, Loader=IndexLoader))
        scan = seconds(lambda text=text: check_yaml_shape(text))
        print(
            f"{path.name}: {len(text) / 1e6:.1f} MB, load {load:.2f} s, check {scan:.2f} s"
            f" (+{100 * scan / load:.0f}%)"
        )
    for name, text in (
        ("billion laughs", billion_laughs()),
        ("100,000 nested sequences", "- " * 100_000 + "x\n"),
        ("100,000 nested flow lists", "[" * 100_000 + "]" * 100_000),
    ):
        print(
            f"{name}: refused in {seconds(lambda text=text: check_yaml_shape(text)) * 1e3:.2f} ms"
        )


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
