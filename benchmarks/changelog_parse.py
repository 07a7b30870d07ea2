"""How long parsing (and linting) a ~200 KB changelog takes.

    uv run python benchmarks/changelog_parse.py [--markdown-it] [FILE ...]

Without arguments it times a generated 200 KB file in HAMi's per-minor shape (fences, a doctoc
TOC, H1 versions with H2–H4 sections) and, when ../shared/data/changelogs is checked out, the
largest real ones. The issue's target: a 200 KB file parses in well under 100 ms.
``--markdown-it`` also times markdown-it-py's block parser alone (no inline parsing) on the same
text: what adopting it as the block scanner would cost before any of our own work.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from release_actions.changelog.reading.parser import decode, parse_changelog
from release_actions.changelog.rules.lint import LintOptions, lint

# The real files the tests read too (see tests/support/shared_data.py).
REAL_DATA = (
    Path(
        os.environ.get("RELEASE_ACTIONS_TEST_DATA")
        or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    / "changelogs"
)
TARGET_BYTES = 200_000
ROUNDS = 30


def generated(target: int = TARGET_BYTES) -> str:
    toc = ["<!-- START doctoc generated TOC please keep comment here to allow auto update -->"]
    sections: list[str] = []
    patch = 0
    while sum(map(len, sections)) < target:
        version = f"v1.{200 - patch // 10}.{9 - patch % 10}"
        toc.append(f"- [{version}](#{version.replace('.', '')})")
        items = "\n".join(
            f"- Fix item {n} of {version}: the scheduler no longer double-counts `vGPU` memory "
            f"([#{1000 + n}](https://github.com/Project-HAMi/HAMi/pull/{1000 + n}), @dev{n})"
            for n in range(8)
        )
        sections.append(
            f"# {version}\n## Downloads for {version}\n\nDownload {version} in the "
            f"[{version} release page](https://github.com/Project-HAMi/HAMi/releases/tag/{version}).\n\n"
            f"## Changelog since v1.0.0\n### Changes by Kind\n#### Bug Fixes\n{items}\n\n"
            "```yaml\n# not a heading\n## v9.9.9\n```\n\n#### Others\nNone.\n\n"
        )
        patch += 1
    toc.append("<!-- END doctoc generated TOC please keep comment here to allow auto update -->")
    return "\n".join(toc) + "\n\n" + "".join(sections)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return min(samples) * 1000, statistics.median(samples) * 1000


def report(name: str, text: str, block_parser: Callable[[str], object] | None) -> None:
    changelog = parse_changelog(text)
    parse_best, parse_median = timed(lambda: parse_changelog(text))
    lint_best, lint_median = timed(lambda: lint(changelog, LintOptions(order="any")))
    line = (
        f"{name:45} {len(text.encode()) / 1000:7.1f} KB {len(changelog.entries):5} entries   "
        f"parse {parse_best:6.1f} ms (median {parse_median:6.1f})   "
        f"lint {lint_best:5.1f} ms (median {lint_median:5.1f})"
    )
    if block_parser is not None:
        best, median = timed(lambda: block_parser(text))
        line += f"   markdown-it blocks {best:6.1f} ms (median {median:6.1f})"
    print(line)


def main(arguments: list[str]) -> None:
    block_parser = None
    if "--markdown-it" in arguments:
        arguments = [argument for argument in arguments if argument != "--markdown-it"]
        from markdown_it import MarkdownIt

        block_parser = MarkdownIt("commonmark").disable(["inline", "text_join"]).parse
    if arguments:
        for path in arguments:
            report(path, decode(Path(path).read_bytes())[0], block_parser)
        return
    report("generated (HAMi per-minor shape)", generated(), block_parser)
    if REAL_DATA.is_dir():
        for path in sorted(REAL_DATA.iterdir(), key=lambda p: p.stat().st_size, reverse=True)[:4]:
            report(path.name, decode(path.read_bytes())[0], block_parser)


if __name__ == "__main__":
    main(sys.argv[1:])
