"""The changelog reader on hostile input: a 1 MB changelog of any shape parses in under 1 s.

    uv run python benchmarks/changelog_adversarial.py [--examples N] [--markdown-it]

Times parsing, then what `changelog lint` and `changelog notes` do with the result (lint, whether
each entry has content, the notes of each of the first entries, trimmed to a release body), on:

- the crafted shapes of issue 9 and more, each about 1 MB (one line of blanks before an ATX
  closing sequence, blanks in a [YANKED] heading, many ``<!--``, words after a TOC marker…);
- then, as a property (Hypothesis), 1 MB documents made of a few random Markdown pieces
  repeated, and of random lines drawn from the pieces that steer the block scanner.

Times are CPU seconds of this process. Exits 1 if any parse takes 1 s or more. ``--markdown-it``
also times markdown-it-py's block parser on each shape, for the README's figures. The unit tests
(tests/changelog/*/test_linear_time.py) check each pattern with a bound; figures come from here.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release_actions.changelog.notes.entry import entry_notes, trim_notes
from release_actions.changelog.reading.model import Changelog, has_content
from release_actions.changelog.reading.parser import parse_changelog
from release_actions.changelog.rules.lint import LintOptions, lint

SIZE = 1_000_000
PARSE_BOUND = 1.0  # seconds, for a 1 MB changelog of any shape
NOTES_ENTRIES = 50


def _repeat(unit: str, size: int = SIZE) -> str:
    return unit * max(size // max(len(unit), 1), 1)


SHAPES: dict[str, Callable[[], str]] = {
    "blanks before ATX closing hashes": lambda: "## v1.0.0 - a" + " " * SIZE + "#b\n",
    "blanks in a [YANKED] heading": lambda: "## [1.0.0] - 2024-01-31" + " " * SIZE + "[YANKED]x\n",
    "blanks between separator and date": lambda: "## 1.0.0 -" + " " * SIZE + "x\n",
    "97 KB lint shape x10 (ATX + yanked)": lambda: _repeat(
        "## [1.0.0] - 2024-01-31" + " " * 5000 + "[YANKED]x\n## v1.0.1 - a" + " " * 5000 + "#b\n"
    ),
    "words after a TOC marker": lambda: "<!-- " + "start " * (SIZE // 6) + "-->\n# 1.0.0\n",
    "TOC marker lines": lambda: "# 1.0.0\n" + _repeat("<!-- start start start doc -->\n"),
    "many <!-- on one line": lambda: "## 1.0.0\n- a\n" + "<!--" * (SIZE // 4),
    "many <!-- lines": lambda: "## 1.0.0\n- a\n" + _repeat("<!--\n"),
    "many <!-- --> lines": lambda: "## 1.0.0\n" + _repeat("<!-- x -->\n- a\n"),
    "long fence, many lines": lambda: "# 1.0.0\n" + "`" * (SIZE // 2) + "\n" + "x\n" * (SIZE // 4),
    "many fences": lambda: "# 1.0.0\n" + _repeat("```\n# 0.1.0\n```\n"),
    "backtick run in an entry": lambda: "## 1.0.0\n- " + "`" * SIZE + "a\n",
    "many <details>": lambda: "## 1.0.0\n" + _repeat("<details>\n"),
    "many duplicate headings": lambda: _repeat("## 1.0.0\n- a\n"),
    "many version headings": lambda: "".join(
        f"## [{n // 1000}.{n % 1000}.0] - 2024-01-31\n### Fixed\n- a [#{n}]\n"
        for n in range(SIZE // 40)
    ),
    "many short version headings": lambda: "".join(
        f"# {n // 1000}.{n % 1000}\n" for n in range(SIZE // 8)
    ),
    "one long setext paragraph": lambda: "## 1.0.0\n" + "a\n" * (SIZE // 2) + "===\n",
    "HTML attributes, then blanks": lambda: "<a" + " b=c" * (SIZE // 8) + " " * (SIZE // 2) + "x",
    "HTML attribute names": lambda: "<a" + " b" * (SIZE // 2) + " =",
    "many HTML blocks": lambda: "## 1.0.0\n" + _repeat("<div>\n# 0.1.0\n\n<br/>\n\n"),
    "many link definitions": lambda: (
        "## 1.0.0\n- [a]\n" + "".join(f"[{n}]: https://x/{n}\n" for n in range(SIZE // 20))
    ),
    "many references": lambda: "## 1.0.0\n- " + "[a]" * (SIZE // 3) + "\n\n[a]: https://x\n",
    "unclosed references": lambda: "## 1.0.0\n- " + "[a" * (SIZE // 2) + "\n",
    "unclosed link definition": lambda: "[" * SIZE + "]x\n",
    "long prerelease": lambda: "## 1.0.0-" + "a." * (SIZE // 2) + "_\n",
    "prefix and blanks": lambda: "## Product" + " " * SIZE + "x\n",
    "hashes": lambda: "#" * SIZE + "\n",
    "nested quotes": lambda: ">" * SIZE + "\n",
    "list items": lambda: "## 1.0.0\n" + _repeat("- a\n  - b\n"),
    "blank lines": lambda: "## 1.0.0\n" + "\n" * SIZE,
    "CRLF and lone CR": lambda: _repeat("## 1.0.0\r\n- a\r"),
}


def timed(action: Callable[[], object]) -> float:
    """CPU seconds: on a shared machine, wall time mostly measures the neighbours."""
    start = time.process_time()
    action()
    return time.process_time() - start


def notes_and_content(changelog: Changelog) -> None:
    for entry in changelog.entries:
        has_content(entry)
    for entry in changelog.entries[:NOTES_ENTRIES]:
        trim_notes(entry_notes(changelog, entry))


def measure(name: str, text: str, oracle: Callable[[str], object] | None) -> float:
    parsed: list[Changelog] = []
    parse = timed(lambda: parsed.append(parse_changelog(text)))
    changelog = parsed[0]
    notes = timed(lambda: notes_and_content(changelog))
    linted = timed(lambda: lint(changelog, LintOptions(order="any", profile="keepachangelog")))
    line = (
        f"{name:38} {len(text) / 1e6:5.2f} MB {len(changelog.entries):6} entries   "
        f"parse {parse * 1000:6.1f} ms   notes {notes * 1000:6.1f} ms   "
        f"lint {linted * 1000:7.1f} ms"
    )
    if oracle is not None:
        line += f"   markdown-it {timed(lambda: oracle(text)) * 1000:7.1f} ms"
    print(line, flush=True)
    return parse


_PIECES = [
    "# ", "## ", "### ", "v1.2.3", "[1.0.0]", " - 2024-01-31", " [YANKED]", "Unreleased",
    "```", "~~~", "``` `", "`", "<!--", "-->", "<pre>", "</pre>", "<div>", "<a b=c>", "<?", "?>",
    "===", "---", "- ", "1. ", "> ", "    ", "\t", " ", "#", "[x]: https://y", "[x]", "(",
    "<!-- START doctoc TOC -->", "<!-- END doctoc TOC -->", "start ", "toc", "<details>",
    "yanked", "\n", "\n\n", "a",
]  # fmt: skip
_UNITS = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join)
_LINES = st.lists(
    st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), min_size=1, max_size=50
).map("\n".join)


def property_runs(examples: int, worst: list[tuple[float, str]]) -> None:
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.one_of(_UNITS, _LINES), st.integers(min_value=0, max_value=8))
    def a_megabyte_of_repeated_pieces_parses_in_time(unit: str, stretch: int) -> None:
        # Stretch runs: a unit whose blanks or backticks are repeated makes long runs.
        unit = unit.replace(" ", " " * (4**stretch // 4 + 1), 1)
        text = _repeat(unit)
        seconds = timed(lambda: parse_changelog(text))
        worst.append((seconds, repr(unit[:80])))
        assert seconds < PARSE_BOUND, f"{seconds:.2f} s for {unit[:80]!r} repeated"

    a_megabyte_of_repeated_pieces_parses_in_time()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60, help="Hypothesis examples to run")
    parser.add_argument("--markdown-it", action="store_true", help="time markdown-it-py too")
    args = parser.parse_args(argv)
    oracle = None
    if args.markdown_it:
        from markdown_it import MarkdownIt

        blocks_only = MarkdownIt("commonmark").disable(["inline", "text_join"])
        oracle = blocks_only.parse
    print(f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    slowest = max(measure(name, make(), oracle) for name, make in SHAPES.items())
    print(f"slowest crafted parse: {slowest * 1000:.1f} ms (bound {PARSE_BOUND * 1000:.0f} ms)")
    worst: list[tuple[float, str]] = []
    property_runs(args.examples, worst)
    seconds, unit = max(worst)
    print(f"{len(worst)} random 1 MB documents: slowest parse {seconds * 1000:.1f} ms, for {unit}")
    return 0 if slowest < PARSE_BOUND else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
