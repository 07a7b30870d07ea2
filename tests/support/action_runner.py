"""Runs a composite ``action.yml`` the way GitHub's runner does, minus GitHub.

Use the ``action_runner`` fixture::

    def test_check(action_runner: ActionRunner, git_project: GitProject, fake_github) -> None:
        result = action_runner.run(
            "action-chart-release",  # a directory of the repository, or a path
            inputs={"mode": "check", "dry-run": True},
            event_name="pull_request",
            event={"pull_request": {"number": 7, "base": {"ref": "main"}}},
            workspace=git_project.work.path,
            github=fake_github,  # anything with .api_url and .server_url
        )
        assert result.exit_code == 0, result.log
        assert result.outputs["index-updated"] == "false"
        assert "Chart release" in result.summary
        assert result.errors == []  # messages of ::error annotations

What it emulates: input defaults (``${{ github.token }}`` too); ``${{ }}`` in ``with:``, ``env:``,
``run:``, ``working-directory:``, ``if:`` and the outputs' ``value:`` (tests/support/
action_expressions.py: unsupported syntax raises); ``run:`` steps through ``bash --noprofile
--norc -eo pipefail`` in the workspace; per-step GITHUB_OUTPUT/GITHUB_ENV/GITHUB_PATH/
GITHUB_STEP_SUMMARY files; workflow commands (annotations, add-mask, stop-commands);
``continue-on-error``; skipping steps after a failure unless ``if:`` says always()/failure().
``uses:`` steps must be stubbed (:meth:`ActionRunner.stub`). ``github=fake_github`` also
supplies the token and repository. The session shares one RUNNER_TOOL_CACHE, so
shared/run-action.sh builds the locked environment once (offline, from the host's uv cache).

What it is still for, now that tests/act/ runs real workflows under nektos/act: the per-action
end-to-end suites (tests/*/test_action_e2e.py), which run an action many times per test (pull
request, release, re-run, bump, release; races and faults injected into the fake between runs;
hostile inputs) at a fraction of act's cost per run. It is not a runner: anything about runner
semantics (workflow expressions, ``uses:`` resolution, what later steps of the job see, checkout,
reusable workflows, the README workflows as written) is tested under act only. Retired in its
favour: the self-test workflow's emulated run and the setup-uv stub (the actions use no setup
action any more).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml

from .action_expressions import condition, render, to_text

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TOKEN = "ghs_EmulatedRunnerToken0000000000000000"
DEFAULT_REPOSITORY = "octo-org/octo-repo"
# Nothing listens on the discard port: an action that forgot to honour GITHUB_API_URL fails fast.
UNREACHABLE_URL = "http://127.0.0.1:9"
STEP_TIMEOUT = 300

# The host environment when this plugin was loaded, before any test isolated its own.
_HOST_ENVIRON = dict(os.environ)
_SCRUBBED_PREFIXES = ("GITHUB_", "RUNNER_", "INPUT_", "ACTIONS_", "STATE_")
_SCRUBBED_NAMES = frozenset(
    {
        "VIRTUAL_ENV",
        "UV_RUN_RECURSION_DEPTH",
        "UV_PROJECT_ENVIRONMENT",
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONDONTWRITEBYTECODE",  # runners cache bytecode; without it every run recompiles
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "CI",
    }
)


class ActionDefinitionError(Exception):
    """The action.yml uses something this emulator does not support, or is malformed."""


class StepFailed(Exception):
    """Raised by a ``uses:`` stub to fail its step (the message becomes an ::error)."""


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotation:
    level: str  # error, warning or notice
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class StepRecord:
    id: str
    name: str
    outcome: str  # success, failure or skipped
    conclusion: str  # as outcome, but success when continue-on-error caught a failure
    exit_code: int | None
    outputs: Mapping[str, str]
    stdout: str = ""
    stderr: str = ""
    script: str = ""  # the script bash ran, after expression substitution


@dataclass(frozen=True)
class ActionResult:
    exit_code: int  # of the first failed step; 0 when the action succeeded
    outputs: Mapping[str, str]  # the action's outputs, from action.yml's outputs mapping
    step_outputs: Mapping[str, Mapping[str, str]]
    steps: Sequence[StepRecord]
    summary: str  # every step's GITHUB_STEP_SUMMARY, concatenated
    annotations: Sequence[Annotation]
    stdout: str
    stderr: str
    masks: Sequence[str]  # values registered with ::add-mask::
    runner_temp: Path
    workspace: Path

    @property
    def errors(self) -> list[str]:
        return [a.message for a in self.annotations if a.level == "error"]

    @property
    def warnings(self) -> list[str]:
        return [a.message for a in self.annotations if a.level == "warning"]

    @property
    def notices(self) -> list[str]:
        return [a.message for a in self.annotations if a.level == "notice"]

    @property
    def log(self) -> str:
        """Everything printed, for assertion messages."""
        return f"exit code {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


# -- runner files and workflow commands ---------------------------------------------------------


def parse_env_file(text: str) -> dict[str, str]:
    """``name=value`` and ``name<<DELIMITER`` … ``DELIMITER`` entries, as the runner reads them."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        index += 1
        if line == "":
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            name, value = line[:equals], line[equals + 1 :]
        elif heredoc >= 0:
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            body: list[str] = []
            while True:
                if index >= len(lines):
                    raise ValueError(f"Matching delimiter not found '{delimiter}'")
                candidate = lines[index].rstrip("\r")
                index += 1
                if candidate == delimiter:
                    break
                body.append(candidate)
            value = "\n".join(body)
        else:
            raise ValueError(f"Invalid format '{line}'")
        if not name:
            raise ValueError(f"Invalid format '{line}': empty name")
        values[name] = value
    return values


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


_COMMAND = re.compile(r"^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$")
_ANNOTATION_PROPERTIES = {
    "file": "file",
    "line": "line",
    "col": "col",
    "endLine": "end_line",
    "endColumn": "end_column",
    "title": "title",
}


@dataclass
class _CommandLog:
    annotations: list[Annotation] = field(default_factory=list)
    masks: list[str] = field(default_factory=list)

    def read(self, output: str) -> None:
        stop_token: str | None = None
        for raw in output.splitlines():
            line = raw.strip()
            if stop_token is not None:
                if line == f"::{stop_token}::":
                    stop_token = None
                continue
            match = _COMMAND.match(line)
            if match is None:
                continue
            command, properties, data = match.groups()
            if command == "stop-commands":
                stop_token = data
            elif command == "add-mask":
                self.masks.append(_unescape_data(data))
            elif command in ("error", "warning", "notice"):
                self.annotations.append(_annotation(command, properties or "", data))


def _annotation(level: str, properties: str, data: str) -> Annotation:
    values: dict[str, Any] = {}
    for item in filter(None, properties.split(",")):
        key, _, value = item.partition("=")
        attribute = _ANNOTATION_PROPERTIES.get(key.strip())
        if attribute is None:
            continue
        text = _unescape_property(value)
        values[attribute] = int(text) if attribute not in ("file", "title") else text
    return Annotation(level=level, message=_unescape_data(data), **values)


# -- the runner ---------------------------------------------------------------------------------


class GitHubEndpoints(Protocol):
    @property
    def api_url(self) -> str: ...

    @property
    def server_url(self) -> str: ...


@dataclass(frozen=True)
class StubCall:
    """What a ``uses:`` stub is given."""

    uses: str
    inputs: Mapping[str, str]  # the step's with:, rendered
    env: Mapping[str, str]  # the environment the step would run with
    runner_temp: Path
    workspace: Path


Stub = Callable[[StubCall], Mapping[str, str] | None]


@dataclass(frozen=True)
class UvSettings:
    """Where the emulated job's uv finds its cache and Pythons, and the session's tool cache.

    The tool cache is shared by the session, so shared/run-action.sh builds the locked
    environment once; UV_OFFLINE keeps that build on the host's (warm) uv cache.
    """

    tool_cache: Path | None
    cache_dir: str | None = None
    python_install_dir: str | None = None

    def environ(self) -> dict[str, str]:
        values = {
            "UV_CACHE_DIR": self.cache_dir,
            "UV_PYTHON_INSTALL_DIR": self.python_install_dir,
            "RUNNER_TOOL_CACHE": str(self.tool_cache) if self.tool_cache else None,
            "UV_OFFLINE": "1",
        }
        return {name: value for name, value in values.items() if value}


class ActionRunner:
    """Runs composite actions; each :meth:`run` gets fresh runner directories under ``root``."""

    def __init__(self, root: Path, *, uv: UvSettings | None = None) -> None:
        self.root = root
        self.uv = uv or UvSettings(tool_cache=None)
        self._stubs: dict[str, Stub] = {}
        self._counter = itertools.count(1)

    def stub(self, action: str, stub: Stub) -> None:
        """Replace ``uses: <action>@…`` (owner/repo or owner/repo/path) with ``stub``."""
        self._stubs[action] = stub

    def __call__(self, action: str | Path, **options: Any) -> ActionResult:
        return self.run(action, **options)

    def run(
        self,
        action: str | Path,
        *,
        inputs: Mapping[str, str | bool | int] | None = None,
        event_name: str = "push",
        event: Mapping[str, Any] | None = None,
        workspace: Path | None = None,
        env: Mapping[str, str] | None = None,
        github: GitHubEndpoints | None = None,
        token: str | None = None,
        repository: str | None = None,
        ref: str | None = None,
        sha: str | None = None,
        run_id: str = "4242",
        actor: str = "octocat",
    ) -> ActionResult:
        action_file = _action_file(action)
        token = token or getattr(github, "token", None) or DEFAULT_TOKEN
        repository = repository or getattr(github, "repository", None) or DEFAULT_REPOSITORY
        definition = _load(action_file)
        run_dir = self.root / f"run-{next(self._counter)}"
        runner_temp = run_dir / "temp"
        files_dir = run_dir / "file_commands"
        for directory in (runner_temp, files_dir):
            directory.mkdir(parents=True)
        if workspace is None:
            workspace = run_dir / "workspace"
            workspace.mkdir()
        event = dict(event or {})
        event_path = run_dir / "workflow" / "event.json"
        event_path.parent.mkdir()
        event_path.write_text(json.dumps(event), encoding="utf-8")

        github_context = _github_context(
            action_path=action_file.parent,
            workspace=workspace,
            event_name=event_name,
            event=event,
            token=token,
            repository=repository,
            ref=ref,
            sha=sha,
            run_id=run_id,
            actor=actor,
            endpoints=github,
        )
        defaults = _default_variables(github_context, runner_temp, event_path)
        job = _Job(
            definition=definition,
            contexts={
                "github": github_context,
                "runner": {
                    "temp": str(runner_temp),
                    "os": "Linux",
                    "arch": "X64",
                    "name": "emulator",
                    "environment": "github-hosted",
                    "tool_cache": str(run_dir / "tool_cache"),
                    "debug": "",
                },
                "env": dict(env or {}),
                "steps": {},
            },
            defaults=defaults,
            base_environ={**_scrubbed(os.environ), **self.uv.environ()},
            files_dir=files_dir,
            runner_temp=runner_temp,
            workspace=workspace,
            stubs=self._stubs,
        )
        job.contexts["inputs"] = _resolve_inputs(definition, inputs or {}, job.contexts)
        return job.run()


def _action_file(action: str | Path) -> Path:
    """An action directory or file; a relative name is looked up in the repository first."""
    path = Path(action)
    if not path.is_absolute() and (REPO_ROOT / path).exists():
        path = REPO_ROOT / path
    path = path.resolve()
    if path.is_dir():
        path = next((path / n for n in ("action.yml", "action.yaml") if (path / n).is_file()), path)
    if not path.is_file():
        raise ActionDefinitionError(f"no action.yml at {action}")
    return path


def _load(action_file: Path) -> dict[str, Any]:
    definition = yaml.safe_load(action_file.read_text(encoding="utf-8"))
    runs = definition.get("runs") if isinstance(definition, dict) else None
    if not isinstance(runs, dict) or runs.get("using") != "composite":
        raise ActionDefinitionError(f"{action_file}: only composite actions are supported")
    if not isinstance(runs.get("steps"), list):
        raise ActionDefinitionError(f"{action_file}: runs.steps must be a list")
    return dict(definition)


def _resolve_inputs(
    definition: Mapping[str, Any],
    given: Mapping[str, str | bool | int],
    contexts: Mapping[str, Any],
) -> dict[str, str]:
    declared: Mapping[str, Any] = definition.get("inputs") or {}
    unknown = sorted(set(given) - set(declared))
    if unknown:  # the runner only warns; a test passing an unknown input has a typo
        raise ActionDefinitionError(f"unexpected input(s): {', '.join(unknown)}")
    values: dict[str, str] = {}
    for name, spec in declared.items():
        if name in given:
            values[name] = to_text(given[name])
        else:
            default = (spec or {}).get("default", "")
            values[name] = render(default, contexts)
    return values


def _github_context(
    *,
    action_path: Path,
    workspace: Path,
    event_name: str,
    event: Mapping[str, Any],
    token: str,
    repository: str,
    ref: str | None,
    sha: str | None,
    run_id: str,
    actor: str,
    endpoints: GitHubEndpoints | None,
) -> dict[str, Any]:
    pull = event.get("pull_request") if event_name.startswith("pull_request") else None
    base_ref = head_ref = ""
    if isinstance(pull, dict):
        base_ref = str((pull.get("base") or {}).get("ref", ""))
        head_ref = str((pull.get("head") or {}).get("ref", ""))
    if ref is None:
        release = event.get("release")
        if event_name == "release" and isinstance(release, dict) and release.get("tag_name"):
            ref = f"refs/tags/{release['tag_name']}"
        elif isinstance(pull, dict) and pull.get("number") is not None:
            ref = f"refs/pull/{pull['number']}/merge"
        elif isinstance(event.get("ref"), str):
            ref = event["ref"]
        else:
            ref = "refs/heads/main"
    if sha is None:
        sha = _workspace_head(workspace) or "0" * 40
    server_url = endpoints.server_url.rstrip("/") if endpoints else UNREACHABLE_URL
    api_url = endpoints.api_url.rstrip("/") if endpoints else UNREACHABLE_URL
    ref_type = "tag" if ref.startswith("refs/tags/") else "branch"
    ref_name = re.sub(r"^refs/(heads|tags)/", "", ref)
    return {
        "token": token,
        "action_path": str(action_path),
        "action": "__run",
        "action_repository": "",
        "action_ref": "",
        "workspace": str(workspace),
        "event_name": event_name,
        "event": dict(event),
        "event_path": "",
        "repository": repository,
        "repository_owner": repository.split("/", 1)[0],
        "ref": ref,
        "ref_name": ref_name,
        "ref_type": ref_type,
        "sha": sha,
        "base_ref": base_ref,
        "head_ref": head_ref,
        "server_url": server_url,
        "api_url": api_url,
        "graphql_url": f"{api_url}/graphql",
        "run_id": run_id,
        "run_number": "1",
        "run_attempt": "1",
        "actor": actor,
        "triggering_actor": actor,
        "job": "emulated",
        "workflow": "emulated",
        "retention_days": "90",
    }


def _workspace_head(workspace: Path) -> str | None:
    if not (workspace / ".git").exists():
        return None
    completed = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or None


def _default_variables(
    github: Mapping[str, Any], runner_temp: Path, event_path: Path
) -> dict[str, str]:
    names = {
        "GITHUB_ACTION_PATH": "action_path",
        "GITHUB_ACTION": "action",
        "GITHUB_ACTION_REPOSITORY": "action_repository",
        "GITHUB_ACTION_REF": "action_ref",
        "GITHUB_WORKSPACE": "workspace",
        "GITHUB_EVENT_NAME": "event_name",
        "GITHUB_REPOSITORY": "repository",
        "GITHUB_REPOSITORY_OWNER": "repository_owner",
        "GITHUB_REF": "ref",
        "GITHUB_REF_NAME": "ref_name",
        "GITHUB_REF_TYPE": "ref_type",
        "GITHUB_SHA": "sha",
        "GITHUB_BASE_REF": "base_ref",
        "GITHUB_HEAD_REF": "head_ref",
        "GITHUB_SERVER_URL": "server_url",
        "GITHUB_API_URL": "api_url",
        "GITHUB_GRAPHQL_URL": "graphql_url",
        "GITHUB_RUN_ID": "run_id",
        "GITHUB_RUN_NUMBER": "run_number",
        "GITHUB_RUN_ATTEMPT": "run_attempt",
        "GITHUB_ACTOR": "actor",
        "GITHUB_TRIGGERING_ACTOR": "triggering_actor",
        "GITHUB_JOB": "job",
        "GITHUB_WORKFLOW": "workflow",
        "GITHUB_RETENTION_DAYS": "retention_days",
    }
    variables = {env_name: str(github[key]) for env_name, key in names.items()}
    variables.update(
        {
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "RUNNER_TEMP": str(runner_temp),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_NAME": "emulator",
            "RUNNER_ENVIRONMENT": "github-hosted",
        }
    )
    return variables


def _scrubbed(environ: Mapping[str, str]) -> dict[str, str]:
    """The test process environment as a runner would have it: no venv, no GitHub variables."""
    clean = {
        name: value
        for name, value in environ.items()
        if not name.startswith(_SCRUBBED_PREFIXES) and name not in _SCRUBBED_NAMES
    }
    venv_bin = Path(sys.prefix) / "bin"
    if sys.prefix != sys.base_prefix and "PATH" in clean:
        clean["PATH"] = os.pathsep.join(
            entry for entry in clean["PATH"].split(os.pathsep) if Path(entry) != venv_bin
        )
    return clean


_SHELLS = {
    "bash": "bash --noprofile --norc -eo pipefail {0}",
    "sh": "sh -e {0}",
}


@dataclass
class _Job:
    definition: Mapping[str, Any]
    contexts: dict[str, Any]
    defaults: Mapping[str, str]
    base_environ: Mapping[str, str]
    files_dir: Path
    runner_temp: Path
    workspace: Path
    stubs: Mapping[str, Stub]
    records: list[StepRecord] = field(default_factory=list)
    commands: _CommandLog = field(default_factory=_CommandLog)
    path_entries: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    exit_code: int = 0

    @property
    def failed(self) -> bool:
        return self.exit_code != 0

    def run(self) -> ActionResult:
        steps: list[Mapping[str, Any]] = self.definition["runs"]["steps"]
        ids = [str(step.get("id") or f"__step{index}") for index, step in enumerate(steps)]
        if len(set(ids)) != len(ids):
            raise ActionDefinitionError(f"duplicate step ids: {ids}")
        self.contexts["steps"] = {step_id: None for step_id in ids}
        for step_id, step in zip(ids, steps, strict=True):
            self._step(step_id, step)
        outputs = {
            name: render((spec or {}).get("value", ""), self.contexts, failed=self.failed)
            for name, spec in (self.definition.get("outputs") or {}).items()
        }
        return ActionResult(
            exit_code=self.exit_code,
            outputs=outputs,
            step_outputs={
                record.id: dict(record.outputs)
                for record in self.records
                if not record.id.startswith("__")
            },
            steps=list(self.records),
            summary="".join(self.summaries),
            annotations=list(self.commands.annotations),
            stdout="".join(record.stdout for record in self.records),
            stderr="".join(record.stderr for record in self.records),
            masks=list(self.commands.masks),
            runner_temp=self.runner_temp,
            workspace=self.workspace,
        )

    def _step(self, step_id: str, step: Mapping[str, Any]) -> None:
        name = str(step.get("name") or step.get("uses") or str(step.get("run", "")).split("\n")[0])
        if not condition(step.get("if"), self.contexts, failed=self.failed):
            self._record(StepRecord(step_id, name, "skipped", "skipped", None, {}))
            return
        step_env = {
            key: render(value, self.contexts, failed=self.failed)
            for key, value in (step.get("env") or {}).items()
        }
        if "run" in step:
            record = self._run_script(step_id, name, step, step_env)
        elif "uses" in step:
            record = self._use(step_id, name, step, step_env)
        else:
            raise ActionDefinitionError(f"step {name!r} has neither run nor uses")
        if record.outcome == "failure":
            if render(step.get("continue-on-error", False), self.contexts) == "true":
                record = dataclasses.replace(record, conclusion="success")
            elif not self.failed:
                self.exit_code = record.exit_code or 1
        self._record(record)

    def _record(self, record: StepRecord) -> None:
        self.records.append(record)
        self.contexts["steps"][record.id] = {
            "outputs": dict(record.outputs),
            "outcome": record.outcome,
            "conclusion": record.conclusion,
        }

    def _environment(
        self, step_env: Mapping[str, str], files: Mapping[str, Path]
    ) -> dict[str, str]:
        environ = {**self.base_environ, **self.contexts["env"], **step_env, **self.defaults}
        environ.update({name: str(path) for name, path in files.items()})
        if self.path_entries:
            environ["PATH"] = os.pathsep.join([*self.path_entries, environ.get("PATH", "")])
        return environ

    def _files(self) -> dict[str, Path]:
        token = uuid.uuid4().hex
        files = {
            "GITHUB_OUTPUT": self.files_dir / f"set_output_{token}",
            "GITHUB_ENV": self.files_dir / f"set_env_{token}",
            "GITHUB_PATH": self.files_dir / f"add_path_{token}",
            "GITHUB_STATE": self.files_dir / f"save_state_{token}",
            "GITHUB_STEP_SUMMARY": self.files_dir / f"step_summary_{token}",
        }
        for path in files.values():
            path.touch()
        return files

    def _run_script(
        self, step_id: str, name: str, step: Mapping[str, Any], step_env: Mapping[str, str]
    ) -> StepRecord:
        shell = step.get("shell")
        if not shell:
            raise ActionDefinitionError(f"step {name!r}: run requires shell in a composite action")
        template = _SHELLS.get(str(shell), str(shell))
        if "{0}" not in template:
            raise ActionDefinitionError(f"step {name!r}: unsupported shell {shell!r}")
        script = render(step["run"], self.contexts, failed=self.failed)
        script_path = self.runner_temp / f"{uuid.uuid4()}.sh"
        script_path.write_text(script, encoding="utf-8")
        command = [part.replace("{0}", str(script_path)) for part in shlex.split(template)]
        cwd = self.workspace
        if step.get("working-directory"):
            cwd = self.workspace / render(step["working-directory"], self.contexts)
        files = self._files()
        completed = subprocess.run(
            command,
            cwd=cwd,
            env=self._environment(step_env, files),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=STEP_TIMEOUT,
            check=False,
        )
        self.commands.read(completed.stdout)
        self.commands.read(completed.stderr)
        exit_code = completed.returncode
        try:
            outputs = self._collect(files)
        except ValueError as problem:
            self.commands.annotations.append(Annotation("error", str(problem)))
            outputs, exit_code = {}, exit_code or 1
        if exit_code != 0:
            self.commands.annotations.append(
                Annotation("error", f"Process completed with exit code {exit_code}.")
            )
        outcome = "success" if exit_code == 0 else "failure"
        return StepRecord(
            step_id,
            name,
            outcome,
            outcome,
            exit_code,
            outputs,
            completed.stdout,
            completed.stderr,
            script,
        )

    def _collect(self, files: Mapping[str, Path]) -> dict[str, str]:
        """Read the step's files: fold GITHUB_ENV and GITHUB_PATH into later steps."""
        outputs = parse_env_file(files["GITHUB_OUTPUT"].read_text(encoding="utf-8"))
        for key, value in parse_env_file(files["GITHUB_ENV"].read_text(encoding="utf-8")).items():
            if not key.startswith(("GITHUB_", "RUNNER_")):  # the runner refuses to override these
                self.contexts["env"][key] = value
        added = files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines()
        self.path_entries[:0] = [entry for entry in reversed(added) if entry.strip()]
        self.summaries.append(files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8"))
        return outputs

    def _use(
        self, step_id: str, name: str, step: Mapping[str, Any], step_env: Mapping[str, str]
    ) -> StepRecord:
        uses = str(step["uses"])
        action = uses.split("@", 1)[0]
        stub = next(
            (
                stub
                for key, stub in self.stubs.items()
                if action == key or action.startswith(key + "/")
            ),
            None,
        )
        if stub is None:
            raise ActionDefinitionError(f"no stub registered for uses: {uses}")
        call = StubCall(
            uses=uses,
            inputs={
                key: render(value, self.contexts, failed=self.failed)
                for key, value in (step.get("with") or {}).items()
            },
            env=self._environment(step_env, {}),
            runner_temp=self.runner_temp,
            workspace=self.workspace,
        )
        try:
            outputs = dict(stub(call) or {})
        except StepFailed as failure:
            self.commands.annotations.append(Annotation("error", str(failure)))
            return StepRecord(step_id, name, "failure", "failure", 1, {}, "", f"{failure}\n")
        return StepRecord(step_id, name, "success", "success", 0, outputs)


# -- pytest fixtures ----------------------------------------------------------------------------


def _uv_dir(*args: str) -> str | None:
    uv = shutil.which("uv", path=_HOST_ENVIRON.get("PATH"))
    if uv is None:
        return None
    completed = subprocess.run(
        [uv, *args], env=_HOST_ENVIRON, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None


@pytest.fixture(scope="session")
def uv_settings(tmp_path_factory: pytest.TempPathFactory) -> UvSettings:
    """The uv cache and Pythons of the host, and one tool cache for the session."""
    return UvSettings(
        tool_cache=tmp_path_factory.mktemp("tool-cache"),
        cache_dir=_HOST_ENVIRON.get("UV_CACHE_DIR") or _uv_dir("cache", "dir"),
        python_install_dir=_HOST_ENVIRON.get("UV_PYTHON_INSTALL_DIR") or _uv_dir("python", "dir"),
    )


@pytest.fixture
def action_runner(tmp_path: Path, uv_settings: UvSettings) -> ActionRunner:
    """Runs an action.yml like GitHub's runner: ``action_runner.run("action-…", inputs=…)``."""
    return ActionRunner(tmp_path / "runner", uv=uv_settings)
