"""Benchmark: the repository's web page (``chart html``) of a big Helm repository index.

Generates the same realistic index as ``index_merge.py`` (default 30,000 versions, about 15 MB,
in Helm's byte format), then times:

* read: ``load_index_for_page``, what the command and the action read: a scan for the fields the
  page lists, libyaml only for each chart's latest version (beside it, the full libyaml load);
* render: ``render_index_html`` on the loaded index, the page's pure function;
* the whole ``release-actions chart html`` command in a fresh interpreter;

and prints the page's size, how many versions it shows in full and how many it summarises,
and, when Chromium is installed, how long headless Chromium takes to load the page and run its
filter (``?q=``), beside the same for a one-chart page: that is the "stays usable" figure.

    uv run python benchmarks/index_html.py               # 30,000 versions
    uv run python benchmarks/index_html.py --quick       # 3,000 versions

Targets (issue 15): the page (read + render) under 1 s and under 3 MB on the 15 MB index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index_merge import generate_index
from release_actions.chart.repo.html import PageOptions, render_index_html
from release_actions.chart.repo.index import load_index
from release_actions.chart.repo.page_index import load_index_for_page

TARGET_SECONDS = 1.0
TARGET_BYTES = 3_000_000
OPTIONS = PageOptions(repository_name="example", repository_url="https://example.github.io/charts/")


def chromium_seconds(page: Path, query: str, runs: int = 3) -> float | None:
    """Median wall time of headless Chromium loading ``page?q=query`` and dumping its DOM."""
    binary = shutil.which("chromium")
    if binary is None:
        return None
    times = []
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        for _ in range(runs):
            command = [
                binary,
                "--headless",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--dump-dom",
                f"{page.as_uri()}?q={query}",
            ]
            if os.geteuid() == 0:
                command.insert(1, "--no-sandbox")
            started = time.perf_counter()
            dom = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            times.append(time.perf_counter() - started)
            if "charts match" not in dom:
                raise SystemExit("the page's filter did not run in Chromium")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=30_000, help="versions in the index")
    parser.add_argument("--quick", action="store_true", help="3,000 versions (unless --entries)")
    parser.add_argument("--repeat", type=int, default=5, help="timed renders")
    args = parser.parse_args(argv)
    entries = 3_000 if args.quick and "--entries" not in (argv or sys.argv) else args.entries

    with tempfile.TemporaryDirectory(prefix="index-html-bench-") as temporary:
        directory = Path(temporary)
        index_path = directory / "index.yaml"
        text = generate_index(entries)
        index_path.write_text(text, encoding="utf-8")
        print(f"index: {entries:,} versions, {len(text.encode()) / 1e6:.1f} MB")

        started = time.perf_counter()
        full = load_index(text)
        full_seconds = time.perf_counter() - started
        del full
        reads, read_cpu = [], []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            index = load_index_for_page(text)
            reads.append(time.perf_counter() - started)
            read_cpu.append(time.process_time() - cpu)
        read_median = statistics.median(reads)
        print(
            f"read for the page: min {min(reads):.3f} s, median {read_median:.3f} s over "
            f"{args.repeat} runs, CPU median {statistics.median(read_cpu):.3f} s "
            f"(a full libyaml load, gc paused: {full_seconds:.2f} s)"
        )

        times, render_cpu = [], []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            html = render_index_html(index, OPTIONS)
            times.append(time.perf_counter() - started)
            render_cpu.append(time.process_time() - cpu)
        render_median = statistics.median(times)
        size = len(html.encode("utf-8"))
        full = html.count("<tr><td>")
        print(
            f"render: min {min(times):.3f} s, median {render_median:.3f} s over {args.repeat} runs,"
            f" CPU median {statistics.median(render_cpu):.3f} s"
        )
        page_seconds = read_median + render_median
        cpu_seconds = statistics.median(read_cpu) + statistics.median(render_cpu)
        print(
            f"read + render: {page_seconds:.3f} s wall, {cpu_seconds:.3f} s CPU (medians; wall "
            f"above CPU means other work shared the cores: load average {os.getloadavg()[0]:.1f})"
        )
        print(
            f"page: {size / 1e6:.2f} MB; {full:,} versions in full (link, digest),"
            f" {entries - full:,} summarised by number"
        )
        page = directory / "index.html"
        page.write_text(html, encoding="utf-8")

        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "release_actions", "chart", "html", "--index",
             str(index_path), "--output", str(directory / "command.html"), "--name", "example"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        print(f"whole command (fresh interpreter, load + render + write): "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip

        small = directory / "small.html"
        first = next(iter(index["entries"]))
        small.write_text(
            render_index_html({"entries": {first: index["entries"][first]}}, OPTIONS),
            encoding="utf-8",
        )
        big_browser = chromium_seconds(page, "chart-0001")
        if big_browser is None:
            print("browser: not measured (chromium is not installed)")
        else:
            small_browser = chromium_seconds(small, first)
            print(
                f"browser: headless Chromium loads the page, filters ?q= and dumps the DOM in "
                f"{big_browser:.2f} s (median of 3; a one-chart page: {small_browser:.2f} s)"
            )

    print(
        f"targets: read + render < {TARGET_SECONDS:.0f} s: "
        f"{'met' if page_seconds < TARGET_SECONDS else 'MISSED'} on wall time, "
        f"{'met' if cpu_seconds < TARGET_SECONDS else 'MISSED'} on CPU time; page < 3 MB: "
        f"{'met' if size < TARGET_BYTES else 'MISSED'}"
        + ("" if entries >= 30_000 else f" (at {entries:,} versions, not the 15 MB target size)")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
