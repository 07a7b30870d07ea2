"""Benchmark: add one chart version to a big Helm repository index.

Generates a realistic ``index.yaml`` (default 30,000 versions, about 15 MB: the size of
bitnami's index before it was pruned) in Helm's exact byte format, with the field mix of real
indexes (bitnami-like entries with annotations, dependencies, maintainers and keywords;
grafana-like entries with sources and kubeVersion; plain chart-releaser entries), then times the
full merge of one new version (read the file, merge, write the file) two ways:

* ours: ``release_actions.chart.repo.index.merge_into_index``, the append-only splice;
* naive: ``yaml.safe_load`` + insert + ``yaml.safe_dump``, PyYAML's pure-Python loader and dumper.

It prints both times, their ratio, and the peak memory of each (tracemalloc for ours, and the
maximum RSS of a process that does only that merge, for both).

    uv run python benchmarks/index_merge.py               # 30,000 versions (naive: about a minute)
    uv run python benchmarks/index_merge.py --quick       # 3,000 versions, a few seconds
    uv run python benchmarks/index_merge.py --entries 10000 --repeat 9

Targets (issue 4): ours under 1 s on the 15 MB index, at least 30 times faster than naive, peak
memory under 150 MB.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from release_actions.chart.loader.goyaml import dump_go, go_rfc3339
from release_actions.chart.repo.index import merge_into_index, published_versions

TARGET_SECONDS = 1.0
TARGET_RATIO = 30.0
TARGET_PEAK_MB = 150.0
VERSIONS_PER_CHART = 100
NEW_CHART = "chart-0001"  # a new version of an existing chart, the usual case
NEW_VERSION = "999.0.0"

WORDS = [
    "database",
    "cache",
    "queue",
    "proxy",
    "monitoring",
    "logging",
    "metrics",
    "tracing",
    "storage",
    "backup",
    "operator",
    "controller",
    "gateway",
    "ingress",
    "dns",
    "identity",
    "secrets",
    "policy",
    "search",
    "analytics",
]


def _digest(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def _created(rng: random.Random, start: datetime, index: int) -> str:
    moment = start - timedelta(days=index * 3, seconds=rng.randrange(86_400))
    # Nanoseconds, as Helm writes them; a fraction is always there for the digits to extend.
    moment = moment.replace(microsecond=rng.randrange(1, 1_000_000))
    return go_rfc3339(moment).removesuffix("Z") + f"{rng.randrange(1000):03d}Z"


def _entry(
    rng: random.Random, name: str, profile: str, version: str, created: str
) -> dict[str, Any]:
    """One index entry shaped like real ones of that profile."""
    app_version = f"{rng.randrange(1, 12)}.{rng.randrange(30)}.{rng.randrange(20)}"
    entry: dict[str, Any] = {
        "apiVersion": "v2",
        "appVersion": app_version,
        "created": created,
        "description": f"A Helm chart for the {name} {rng.choice(WORDS)} service",
        "digest": _digest(rng),
        "name": name,
        "urls": [
            f"https://github.com/example/charts/releases/download/{name}-{version}/{name}.tgz"
        ],
        "version": version,
    }
    if profile == "plain":
        return entry
    entry["type"] = "application"
    entry["home"] = f"https://example.com/{name}"
    entry["sources"] = [f"https://github.com/example/{name}"]
    entry["maintainers"] = [{"email": "team@example.com", "name": "Example Team"}]
    if profile == "rich":
        entry["annotations"] = {
            "category": rng.choice(("Database", "Infrastructure", "Analytics")),
            "licenses": "Apache-2.0",
        }
        entry["dependencies"] = [
            {
                "name": "common",
                "repository": "oci://registry.example.com/charts",
                "tags": ["example-common"],
                "version": "2.x.x",
            }
        ]
        entry["keywords"] = rng.sample(WORDS, 3)
        entry["icon"] = f"https://example.com/icons/{name}.svg"
    elif rng.random() < 0.5:
        entry["kubeVersion"] = ">=1.21.0-0"
    return entry


def generate_index(entries: int, seed: int = 4) -> str:
    """A canonical index of ``entries`` versions in charts of ~100 versions each."""
    rng = random.Random(seed)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    charts: dict[str, list[dict[str, Any]]] = {}
    remaining = entries
    number = 0
    while remaining > 0:
        number += 1
        name = f"chart-{number:04d}"
        count = min(remaining, VERSIONS_PER_CHART)
        # 1 in 6 charts bitnami-rich, 2 in 6 grafana-like, half plain chart-releaser entries
        profile = ("rich", "standard", "standard", "plain", "plain", "plain")[number % 6]
        charts[name] = [
            _entry(
                rng,
                name,
                profile,
                f"{(count - i) // 10}.{(count - i) % 10}.0",
                _created(rng, start, i),
            )
            for i in range(count)
        ]
        remaining -= count
    gc.disable()
    try:
        return dump_go({"apiVersion": "v1", "entries": charts, "generated": go_rfc3339(start)})
    finally:
        gc.enable()


def new_entry() -> dict[str, Any]:
    rng = random.Random(99)
    return _entry(rng, NEW_CHART, "rich", NEW_VERSION, "2026-09-01T00:00:00.123456789Z")


# -- the two merges, each as one read-merge-write -------------------------------------------


def merge_ours(path: Path, out: Path) -> None:
    text = path.read_text(encoding="utf-8")
    merged = merge_into_index(text, [new_entry()], generated=datetime.now(UTC))
    # The generated index is in Helm's layout: a full re-emit here would time the wrong path.
    if merged.rewritten:
        raise SystemExit(f"the merge re-emitted the index: {merged.rewritten_because}")
    out.write_text(merged.text, encoding="utf-8")


def merge_naive(path: Path, out: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"].setdefault(NEW_CHART, []).insert(0, new_entry())
    data["generated"] = go_rfc3339(datetime.now(UTC))
    out.write_text(yaml.safe_dump(data, sort_keys=True, default_flow_style=False), encoding="utf-8")


MERGES = {"ours": merge_ours, "naive": merge_naive}


def _max_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, because ``ru_maxrss`` of a process
    started by a big parent begins at the parent's size (it survives the fork and exec)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # kB


def run_child(kind: str, path: Path) -> dict[str, float]:
    """One merge in a fresh interpreter: its time and maximum RSS."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def child_main(kind: str, path: Path) -> None:
    baseline = _max_rss_mb()
    out = path.with_name(f"{kind}-merged.yaml")
    started = time.perf_counter()
    MERGES[kind](path, out)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "max_rss_mb": _max_rss_mb(), "baseline_mb": baseline}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=30_000, help="versions in the index")
    parser.add_argument("--quick", action="store_true", help="3,000 versions (unless --entries)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of our merge")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child[0], Path(args.child[1]))
        return 0
    entries = 3_000 if args.quick and "--entries" not in (argv or sys.argv) else args.entries
    print(f"libyaml available: {yaml.__with_libyaml__}")

    with tempfile.TemporaryDirectory(prefix="index-bench-") as temporary:
        path = Path(temporary) / "index.yaml"
        started = time.perf_counter()
        text = generate_index(entries)
        path.write_text(text, encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        print(
            f"index: {entries:,} versions in {len(published_versions(text)):,} charts, "
            f"{size_mb:.1f} MB (generated in {time.perf_counter() - started:.1f} s)"
        )

        out = Path(temporary) / "merged.yaml"
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            merge_ours(path, out)
            times.append(time.perf_counter() - started)
        merged = out.read_text(encoding="utf-8")
        assert NEW_VERSION in published_versions(merged)[NEW_CHART], "the merge lost the entry"
        assert len(merged) > len(text)
        del merged, text

        tracemalloc.start()
        merge_ours(path, out)
        traced_peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        ours_child = run_child("ours", path)
        best, median = min(times), statistics.median(times)
        print(
            f"ours  (splice; read, merge, write): min {best:.3f} s, median {median:.3f} s "
            f"over {args.repeat} runs"
        )
        print(
            f"      peak memory: {traced_peak_mb:.0f} MB traced (tracemalloc); "
            f"{ours_child['max_rss_mb']:.0f} MB max RSS of a process doing only this merge "
            f"({ours_child['baseline_mb']:.0f} MB of it interpreter and imports)"
        )

        print("naive (yaml.safe_load + yaml.safe_dump, pure Python): running once ...", flush=True)
        naive = run_child("naive", path)
        print(f"naive: {naive['seconds']:.2f} s, max RSS {naive['max_rss_mb']:.0f} MB")

    ratio = naive["seconds"] / median
    print(f"ratio: ours is {ratio:.0f}x faster than naive (naive / our median)")
    peak = max(traced_peak_mb, ours_child["max_rss_mb"])
    print(
        f"targets: < {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'MISSED'}; "
        f">= {TARGET_RATIO:.0f}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'}; "
        f"peak < {TARGET_PEAK_MB:.0f} MB: {'met' if peak < TARGET_PEAK_MB else 'MISSED'}"
        + ("" if entries >= 30_000 else f" (at {entries:,} versions, not the 15 MB target size)")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
