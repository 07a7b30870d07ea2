"""Benchmark: what one use of each of our actions costs under a real runner (nektos/act).

One workflow run (``act -P ubuntu-latest=-self-hosted``, no Docker) of three rounds, each a job
of its own, times from act's own step durations:

* a trivial local Node action (``node20``, one ``console.log``): the reference;
* a trivial composite action with one ``run: true`` step;
* each of our three actions, on cheap valid inputs:
  - first use, empty uv cache: a fresh ``RUNNER_TOOL_CACHE`` and a fresh ``UV_CACHE_DIR``
    (the locked wheels come from the package index: needs PyPI or the runner's mirror);
  - first use, warm uv cache: a fresh ``RUNNER_TOOL_CACHE``, the host's uv cache;
  - second use in the same job: the same tool cache again.

Each first use runs from a fresh copy of our repository, so it compiles our bytecode as a job's
first use does. The table shows the median over the rounds, and the range of the ratios to the
Node action of the same round. All actions are local to the workspace (``uses: ./…``), as
GitHub's runner has every action of a job on disk before the first step, so no action pays a
download here. act also runs a "Post" phase for each ``uses:`` step (GitHub runs none for a
composite action without post steps); its time is printed on its own line.
``release-actions --version`` is timed as the actions start it (the environment's Python, -P,
the source tree on PYTHONPATH), best of 5.

    uv run python benchmarks/action_startup.py
    uv run python benchmarks/action_startup.py --no-empty     # offline: skip the empty-cache uses
    uv run python benchmarks/action_startup.py --host-path    # keep pyenv's shims on PATH

Targets (issue 11), as ratios to the Node action in the same run: first use with a warm cache
<= 15x, second use <= 8x; ``release-actions --version`` <= 0.15 s; no post steps.

PATH is the host's without version-manager shims (pyenv, asdf), as on a runner image, whose
``python3`` is the distribution's. ``--host-path`` keeps them: then each first use also pays
pyenv's shim (0.1-0.15 s, as uv asks the interpreter for its version) and pyenv's own build of
Python, which runs our imports about 10% slower than Debian's.

Figures, 2026-12-06, 2 cores of a quiet virtual machine, Node action 0.028-0.033 s. The median
ratio of each of five runs (one also lists the empty-cache uses), then the range over all their
rounds; runs on this machine differ by up to 20%:

    action            empty cache    warm cache, first          second use
    changelog-check   18.4x          8.5-9.7x (rounds 7.2-10)    3.8-4.3x (3.5-4.7)
    chart-release     22.4x          11.1-13.1x (9.4-13.4)       5.6-6.6x (5.1-6.9)
    upgrade-config    24.2x          11.3-13.3x (9.7-14.0)       5.9-7.0x (5.3-9.1)
    --version         0.043-0.046 s (whole process); post steps: none
    with --host-path  first use 14.3x, 18.8x, 19.5x; second use 4.4x, 6.9x, 7.2x

What a first use costs beyond a second, traced under act: uv 0.08-0.11 s (its version 0.01 s,
the venv 0.02 s, the install from its cache through the base interpreter 0.04-0.06 s), then
compiling bytecode, for upgrade-config about 0.05 s for the dependencies it imports (httpx's
family, semver) and 0.03 s for ours. A use of upgrade-config does real work besides: a fetch
and a worktree in a private git directory (ten git commands, some starting helpers of their
own) and the feed probe over httpx (importing httpx 0.02-0.05 s, its TLS context 0.03 s).

Before (issue 11, setup-uv replaced by a stand-in): warm first use 22-33x, second use 19-22x,
--version 0.45 s, plus setup-uv's own post step. 2026-12-05, before the uv cache was used
offline, before the install went through the base interpreter and before upgrade-config
opened GitHub on need only: changelog-check 19-23x first, 4.7-5.0x second; chart-release
22-28x, 7.1-8.5x; upgrade-config 42-47x, 12.6-13.2x (one job, pyenv's shims on PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.act import act_binary, clean_copy  # noqa: E402
from support.fake_github import FakeGitHub  # noqa: E402
from support.git_repos import GitProject  # noqa: E402

ROUNDS = 3  # each round: the references, then every action's uses, each from fresh caches
SCENARIOS = ("first use, empty uv cache", "first use, warm uv cache", "second use, same job")
ACTIONS: dict[str, dict[str, str]] = {
    "action-changelog-check": {"mode": "lint"},
    "action-chart-release": {"mode": "check", "dry-run": "true"},
    "action-upgrade-config": {"tag": "v1.0.0", "publish": "none"},
}
CHART = "apiVersion: v2\nname: demo\nversion: 1.0.0\ndescription: A demo chart\n"
CHANGELOG = "# Changelog\n\n## 1.0.0 - 2026-12-01\n\n- First release.\n"
SEGMENTS = {
    "segments": [
        {
            "id": "v1",
            "type": "latest",
            "match": {"range": ">=1.0.0 <2.0.0"},
            "minCompatibleVersion": "1.0.0",
            "description": "v1",
        }
    ]
}
NODE_ACTION = {
    "name": "Node no-op",
    "description": "The reference: a trivial JavaScript action.",
    "runs": {"using": "node20", "main": "index.js"},
}
COMPOSITE_ACTION = {
    "name": "Composite no-op",
    "description": "A composite action with one run: true step.",
    "runs": {"using": "composite", "steps": [{"shell": "bash", "run": "true"}]},
}
_DURATION = re.compile(r"(?:(\d+)m)?([\d.]+)(h|m|s|ms|µs|us|ns)$")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}


def seconds(text: str) -> float:
    """A Go duration as act prints it: 1.27s, 15.5ms, 569.3µs, 1m2.3s."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a duration: {text}")
    minutes = float(match.group(1) or 0) * 60
    return minutes + float(match.group(2)) * _UNIT[match.group(3)]


def step_times(log: str, prefix: str) -> dict[str, float]:
    times: dict[str, float] = {}
    pattern = re.compile(
        rf"(?:Success|Failure) - (Main|Post) ({re.escape(prefix)}[^\[]*?) \[(.+?)\]"
    )
    for phase, name, duration in pattern.findall(log):
        times[f"{phase} {name}"] = seconds(duration)
    return times


def source_copy(action: str, round_: int, scenario: int) -> str:
    """Our repository's copy for a use: a fresh one for each first use, which compiles our
    bytecode as a job's first use does; the second use runs from the warm first use's copy."""
    first = "empty-cache" if scenario == 0 else "warm"
    return f".release-actions-{action}-{round_}-{first}"


def prepare(root: Path, fake: FakeGitHub) -> GitProject:
    project = GitProject.create(root / "repo")
    actions = root / "repo" / "work"
    files: dict[str, str | bytes] = {
        "CHANGELOG.md": CHANGELOG,
        "charts/demo/Chart.yaml": CHART,
        "charts/demo/values.yaml": "replicas: 1\n",
        "config/app-upgrade-segments.json": json.dumps(SEGMENTS) + "\n",
        ".github/actions/node-noop/action.yml": yaml.safe_dump(NODE_ACTION),
        ".github/actions/node-noop/index.js": 'console.log("ok");\n',
        ".github/actions/composite-true/action.yml": yaml.safe_dump(COMPOSITE_ACTION),
    }
    project.work.commit(files, "Benchmark repository")
    project.work.push()
    for round_ in range(ROUNDS):
        for action in ACTIONS:
            for scenario in (0, 1):
                clean_copy(ROOT, actions / source_copy(action, round_, scenario))
    fake.add_release("v1.0.0", assets={"latest.yml": b"version: 1.0.0\n"})
    return project


def workflow(root: Path, host_uv_cache: str, empty: bool) -> dict[str, Any]:
    # One job per round, one after the other: act's own cost per step grows with the steps
    # already run in the job (0.5 s by the 40th), which would bill the last round for it.
    jobs: dict[str, dict[str, Any]] = {}
    for round_ in range(ROUNDS):
        # act copies the repository into the job's workspace at the checkout step
        steps: list[dict[str, Any]] = [{"uses": "actions/checkout@v5"}]
        steps.append({"name": f"bench node {round_}", "uses": "./.github/actions/node-noop"})
        steps.append(
            {"name": f"bench composite {round_}", "uses": "./.github/actions/composite-true"}
        )
        for action, inputs in ACTIONS.items():
            for index, scenario in enumerate(SCENARIOS):
                if index == 0 and not empty:
                    continue
                cache = root / f"{action}-{round_}-{'empty' if index == 0 else 'warm'}"
                env = {
                    "RUNNER_TOOL_CACHE": str(cache / "tool-cache"),
                    "UV_CACHE_DIR": str(cache / "uv-cache") if index == 0 else host_uv_cache,
                }
                steps.append(
                    {
                        "name": f"bench {action} / {scenario} / {round_}",
                        "uses": f"./{source_copy(action, round_, min(index, 1))}/{action}",
                        "with": inputs,
                        "env": env,
                    }
                )
        job: dict[str, Any] = {"runs-on": "ubuntu-latest", "steps": steps}
        if round_:
            job["needs"] = f"round-{round_ - 1}"
        jobs[f"round-{round_}"] = job
    return {"name": "Startup benchmark", "on": "workflow_dispatch", "jobs": jobs}


def print_row(label: str, spent: list[float], nodes: list[float]) -> None:
    ratios = [seconds / node for seconds, node in zip(spent, nodes, strict=True)]
    ratio_range = f"{min(ratios):.1f}-{max(ratios):.1f}"
    print(
        f"{label:52} {statistics.median(spent):8.3f} "
        f"{statistics.median(ratios):6.1f} {ratio_range:>11}"
    )


def version_time(tool_cache: Path) -> float:
    (python,) = tool_cache.glob("release-actions/env-*/bin/python")
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [str(python), "-P", "-m", "release_actions", "--version"],
            env={"PYTHONPATH": str(ROOT / "shared"), "PATH": os.environ["PATH"]},
            check=True,
            capture_output=True,
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-empty", action="store_true", help="skip the empty-cache uses")
    parser.add_argument(
        "--host-path",
        action="store_true",
        help="keep version-manager shims (pyenv, asdf) on PATH; a runner image has none",
    )
    options = parser.parse_args()
    host_uv_cache = subprocess.run(
        ["uv", "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="action-startup-") as temp, FakeGitHub() as fake:
        root = Path(temp)
        project = prepare(root, fake)
        workflow_file = root / "startup.yml"
        workflow_file.write_text(
            yaml.safe_dump(workflow(root, host_uv_cache, not options.no_empty))
        )
        event_file = root / "event.json"
        event_file.write_text(json.dumps({"inputs": {}}))
        # The host's TLS and proxy settings reach the steps: the empty-cache uses download.
        passed = {
            name: value
            for name, value in os.environ.items()
            if name in ("SSL_CERT_FILE", "SSL_CERT_DIR") or name.lower().endswith("_proxy")
        }
        venv_bin = str(Path(sys.prefix) / "bin")
        path = os.pathsep.join(
            part
            for part in os.environ["PATH"].split(os.pathsep)
            if part != venv_bin and (options.host_path or Path(part).name != "shims")
        )
        completed = subprocess.run(
            [
                str(act_binary()),
                "workflow_dispatch",
                *("-W", str(workflow_file), "-e", str(event_file)),
                *("-P", "ubuntu-latest=-self-hosted"),
                *("--action-cache-path", str(root / "act-cache")),
                "--no-cache-server",
                *("-s", f"GITHUB_TOKEN={fake.token}"),
                f"--env=GITHUB_API_URL={fake.api_url}",
                f"--env=GITHUB_SERVER_URL={fake.server_url}",
                f"--env=GITHUB_REPOSITORY={fake.repository}",
                *(f"--env={name}={value}" for name, value in passed.items()),
            ],
            cwd=project.work.path,
            env={"PATH": path, "HOME": str(root), "UV_CACHE_DIR": host_uv_cache, **passed},
            capture_output=True,
            text=True,
            check=False,
        )
        log = completed.stdout + completed.stderr
        times = step_times(log, "bench ")
        if completed.returncode != 0:
            (Path.cwd() / "action_startup.log").write_text(log)
            print("the workflow failed; its log is in action_startup.log", file=sys.stderr)
            return 1
        nodes = [times[f"Main bench node {round_}"] for round_ in range(ROUNDS)]
        composites = [times[f"Main bench composite {round_}"] for round_ in range(ROUNDS)]
        print(f"act {completed.args[0]}, one workflow run of {ROUNDS} rounds: medians, and the")
        print("range of the ratios to the Node action of the same round")
        print(f"{'what':52} {'seconds':>8} {'ratio':>6} {'range':>11}")
        print_row("trivial local Node action (reference)", nodes, nodes)
        print_row("composite action, run: true", composites, nodes)
        posts: list[float] = []
        for action in ACTIONS:
            for scenario in SCENARIOS:
                keys = [f"bench {action} / {scenario} / {round_}" for round_ in range(ROUNDS)]
                if f"Main {keys[0]}" not in times:
                    continue
                posts.extend(times.get(f"Post {key}", 0.0) for key in keys)
                spent = [times[f"Main {key}"] for key in keys]
                print_row(f"{action.removeprefix('action-')}: {scenario}", spent, nodes)
        version = version_time(root / f"{next(iter(ACTIONS))}-0-warm" / "tool-cache")
        print(f"{'release-actions --version (whole process)':52} {version:8.3f}")
        post = statistics.median(posts)
        print(f"act's Post phase per use (no post step is declared): median {post:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
