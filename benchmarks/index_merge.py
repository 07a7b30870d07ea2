"""Benchmark: add one chart version to a big Helm repository index.

Generates a realistic ``index.yaml`` (default 30,000 versions, about 15 MB: the size of
bitnami's index before it was pruned) in Helm's exact byte format, with the field mix of real
indexes (bitnami-like entries with annotations, dependencies, maintainers and keywords;
grafana-like entries with sources and kubeVersion; plain chart-releaser entries), packages a new
version of one of its charts, then times the full merge of that version (read the file, merge,
write the file) three ways on the same file:

* ours: ``release_actions.chart.index.merge_into_index``, the append-only splice;
* naive: ``yaml.safe_load`` + insert + ``yaml.safe_dump``, PyYAML's pure-Python loader and dumper;
* helm: Helm's own ``repo index --merge`` (Helm v4's Go SDK through helm-python-sdk, a Linux
  x86_64 dev dependency; its time includes the SDK handing the index back as JSON). Without the
  SDK it prints "Helm: not measured". It also checks that Helm's output equals ours, apart from
  the two stamps of the run's time.

It prints the times, our ratio to naive and to Helm, and the peak memory of each (tracemalloc for
ours, and the maximum RSS of a process that does only that merge, for all three).
tests/test_benchmark_data.py checks with Helm's loader that the generated index is one Helm reads.

    uv run python benchmarks/index_merge.py               # 30,000 versions (naive: about a minute)
    uv run python benchmarks/index_merge.py --quick       # 3,000 versions, about 10 s
    uv run python benchmarks/index_merge.py --entries 10000 --repeat 9 --helm-repeat 5

Targets (issue 4): ours under 1 s on the 15 MB index, at least 30 times faster than naive, peak
memory under 150 MB.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from release_actions.chart.loader.chart_file import load_chart
from release_actions.chart.loader.goyaml import dump_go, go_rfc3339
from release_actions.chart.package.archive import package_chart
from release_actions.chart.repo.entry import index_entry
from release_actions.chart.repo.index import merge_into_index, published_versions

TARGET_SECONDS = 1.0
TARGET_RATIO = 30.0
TARGET_PEAK_MB = 150.0
VERSIONS_PER_CHART = 100
NEW_CHART = "chart-0001"  # a new version of an existing chart, the usual case
NEW_VERSION = "999.0.0"
BASE_URL = "https://github.com/example/charts/releases/download/new"

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
    moment = start - timedelta(
        days=index * 3, seconds=rng.randrange(86_400), milliseconds=rng.randrange(1000)
    )
    return go_rfc3339(moment)


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


# -- the new version: a real chart, packaged, so Helm can index it too -----------------------

NEW_CHART_YAML = f"""\
apiVersion: v2
name: {NEW_CHART}
version: {NEW_VERSION}
appVersion: "9.1"
kubeVersion: ">=1.21.0-0"
description: A Helm chart for the {NEW_CHART} database service
type: application
home: https://example.com/{NEW_CHART}
icon: https://example.com/icons/{NEW_CHART}.svg
sources:
- https://github.com/example/{NEW_CHART}
keywords: [database, cache, backup]
maintainers:
- name: Example Team
  email: team@example.com
annotations:
  category: Database
  licenses: Apache-2.0
"""
NEW_CREATED = datetime(2026, 9, 1, 0, 0, 0, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class NewVersion:
    """The version every merge adds: its package (alone in its directory, for Helm) and the
    entry our merge and the naive one insert (what Helm would index for it, at ``NEW_CREATED``).
    """

    package: Path
    entry: dict[str, Any]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"package": str(self.package), "entry": self.entry}))

    @classmethod
    def saved(cls, path: Path) -> NewVersion:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(Path(data["package"]), data["entry"])


def package_new_version(directory: Path) -> NewVersion:
    """Write the new version's chart under ``directory`` and package it into
    ``directory/repo/``, the directory Helm's ``repo index`` is pointed at."""
    source = directory / "source" / NEW_CHART
    (source / "templates").mkdir(parents=True)
    (source / "Chart.yaml").write_text(NEW_CHART_YAML, encoding="utf-8")
    (source / "values.yaml").write_text("replicaCount: 1\n", encoding="utf-8")
    (source / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
        encoding="utf-8",
    )
    chart = load_chart(source)
    packaged = package_chart(chart, directory / "repo", mtime=NEW_CREATED, helm_binary=None)
    entry = index_entry(
        chart,
        digest=packaged.digest,
        urls=[f"{BASE_URL}/{packaged.path.name}"],
        created=NEW_CREATED,
    )
    return NewVersion(packaged.path, entry)


def stamps_aligned(helms: str, ours: str) -> str:
    """Helm's merged index with the two stamps of its run's time (the new entry's ``created`` and
    the ``generated`` line) replaced by those of ``ours``: all else must be equal."""
    for text in (helms, ours):
        if text.count(f"\n    version: {NEW_VERSION}\n") != 1:
            raise ValueError(f"{NEW_CHART} {NEW_VERSION} is not in the merged index once")

    def stamps(text: str) -> tuple[str, str]:
        version = text.index(f"\n    version: {NEW_VERSION}\n")
        created_start = text.rindex('\n    created: "', 0, version)
        created = text[created_start : text.index("\n", created_start + 1)]
        generated_start = text.rindex('\ngenerated: "')
        return created, text[generated_start : text.index("\n", generated_start + 1)]

    (their_created, their_generated), (our_created, our_generated) = stamps(helms), stamps(ours)
    return helms.replace(their_created, our_created, 1).replace(their_generated, our_generated)


# -- the three merges, each as one read-merge-write -----------------------------------------


def merge_ours(path: Path, out: Path, new: NewVersion) -> None:
    text = path.read_text(encoding="utf-8")
    merged = merge_into_index(text, [new.entry], generated=datetime.now(UTC))
    # The generated index is in Helm's layout: a full re-emit here would time the wrong path.
    if merged.rewritten:
        raise SystemExit(f"the merge re-emitted the index: {merged.rewritten_because}")
    out.write_text(merged.text, encoding="utf-8")


def merge_naive(path: Path, out: Path, new: NewVersion) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"].setdefault(NEW_CHART, []).insert(0, new.entry)
    data["generated"] = go_rfc3339(datetime.now(UTC))
    out.write_text(yaml.safe_dump(data, sort_keys=True, default_flow_style=False), encoding="utf-8")


def merge_helm(path: Path, out: Path, new: NewVersion) -> None:
    """Helm's ``repo index --merge`` (its Go SDK): index the package's directory, merging the
    old index. The SDK also hands the whole index back to Python as JSON, which is timed too."""
    import helm_python  # imported here only: the other merges' processes do not load Helm

    helm_python.repo_index_generate(new.package.parent, base_url=BASE_URL, merge=path)
    (new.package.parent / "index.yaml").replace(out)


MERGES = {"ours": merge_ours, "naive": merge_naive, "helm": merge_helm}


def helm_available() -> bool:
    """Whether helm-python-sdk is installed (a dev dependency; its wheel is Linux x86_64 only)."""
    return importlib.util.find_spec("helm_python") is not None


def _max_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, because ``ru_maxrss`` of a process
    started by a big parent begins at the parent's size (it survives the fork and exec)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # kB


def run_child(kind: str, path: Path, runs: int = 1) -> dict[str, Any]:
    """``runs`` merges in a fresh interpreter: their times and its maximum RSS."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), "--repeat", str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def child_main(kind: str, path: Path, runs: int) -> None:
    new = NewVersion.saved(path.with_name("new-version.json"))
    if kind == "helm":
        import helm_python  # noqa: F401 - loading Helm's Go library is not part of its merge
    baseline = _max_rss_mb()
    out = path.with_name(f"{kind}-merged.yaml")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        MERGES[kind](path, out, new)
        times.append(time.perf_counter() - started)
    print(json.dumps({"seconds": times, "max_rss_mb": _max_rss_mb(), "baseline_mb": baseline}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=30_000, help="versions in the index")
    parser.add_argument("--quick", action="store_true", help="3,000 versions (unless --entries)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of our merge")
    parser.add_argument("--helm-repeat", type=int, default=3, help="timed runs of Helm's merge")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child[0], Path(args.child[1]), args.repeat)
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
        new = package_new_version(Path(temporary))
        new.save(path.with_name("new-version.json"))

        out = Path(temporary) / "merged.yaml"
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            merge_ours(path, out, new)
            times.append(time.perf_counter() - started)
        ours_text = out.read_text(encoding="utf-8")
        assert NEW_VERSION in published_versions(ours_text)[NEW_CHART], "the merge lost the entry"
        assert len(ours_text) > len(text)
        del text

        tracemalloc.start()
        merge_ours(path, out, new)
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

        helm_median = None
        if not helm_available():
            print("Helm: not measured (helm-python-sdk, a Linux x86_64 dev dependency, is absent)")
        else:
            print(f"helm  (repo index --merge, Helm's Go SDK): {args.helm_repeat} runs", flush=True)
            helm = run_child("helm", path, args.helm_repeat)
            helm_median = statistics.median(helm["seconds"])
            helm_text = path.with_name("helm-merged.yaml").read_text(encoding="utf-8")
            same = stamps_aligned(helm_text, ours_text) == ours_text
            print(
                f"helm: min {min(helm['seconds']):.3f} s, median {helm_median:.3f} s; "
                f"max RSS {helm['max_rss_mb']:.0f} MB ({helm['baseline_mb']:.0f} MB before the "
                f"merge); its output {'equals' if same else 'DIFFERS FROM'} ours, apart from the "
                "stamps of the run's time"
            )
        del ours_text

        print("naive (yaml.safe_load + yaml.safe_dump, pure Python): running once ...", flush=True)
        naive = run_child("naive", path)
        naive_seconds = naive["seconds"][0]
        print(f"naive: {naive_seconds:.2f} s, max RSS {naive['max_rss_mb']:.0f} MB")

    ratio = naive_seconds / median
    print(f"ratio: ours is {ratio:.0f}x faster than naive (naive / our median)")
    if helm_median is not None:
        print(
            f"ratio: ours is {helm_median / median:.0f}x faster than Helm's repo index --merge "
            "(Helm's median / ours)"
        )
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
