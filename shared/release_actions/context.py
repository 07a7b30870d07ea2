"""What a command runs with: the runner I/O, the environment, and the workflow's context."""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ReleaseActionsError, SourceLocation
from .runner import Runner

DEFAULT_SERVER_URL = "https://github.com"
DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class Workflow:
    """The ``GITHUB_*`` variables a workflow run provides, and its event payload."""

    event_name: str = ""
    event: Mapping[str, Any] = field(default_factory=dict)
    repository: str = ""
    ref: str = ""
    ref_name: str = ""
    ref_type: str = ""
    sha: str = ""
    base_ref: str = ""
    head_ref: str = ""
    server_url: str = DEFAULT_SERVER_URL
    api_url: str = DEFAULT_API_URL
    run_id: str = ""
    workspace: str = ""
    runner_temp: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Workflow:
        return cls(
            event_name=environ.get("GITHUB_EVENT_NAME", ""),
            event=_read_event(environ.get("GITHUB_EVENT_PATH", "")),
            repository=environ.get("GITHUB_REPOSITORY", ""),
            ref=environ.get("GITHUB_REF", ""),
            ref_name=environ.get("GITHUB_REF_NAME", ""),
            ref_type=environ.get("GITHUB_REF_TYPE", ""),
            sha=environ.get("GITHUB_SHA", ""),
            base_ref=environ.get("GITHUB_BASE_REF", ""),
            head_ref=environ.get("GITHUB_HEAD_REF", ""),
            server_url=(environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
            api_url=(environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            run_id=environ.get("GITHUB_RUN_ID", ""),
            workspace=environ.get("GITHUB_WORKSPACE", ""),
            runner_temp=environ.get("RUNNER_TEMP", ""),
        )

    def output_roots(self, root: Path) -> tuple[Path, ...]:
        """Where an input may name a file for us to write: the checkout ``root``, the
        workspace and ``RUNNER_TEMP`` (see :func:`release_actions.confine.output_file`)."""
        given = (self.workspace, self.runner_temp)
        return (root, *(Path(path) for path in given if path))

    @property
    def run_url(self) -> str:
        if not (self.repository and self.run_id):
            return ""
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def repository_url(self) -> str:
        return f"{self.server_url}/{self.repository}" if self.repository else ""

    @property
    def tag(self) -> str | None:
        """The tag this run is for: a tag push, or the tag of a ``release`` event."""
        if self.event_name == "release":
            release = self.event.get("release") or {}
            tag = release.get("tag_name")
            return str(tag) if tag else None
        if self.ref.startswith("refs/tags/"):
            return self.ref.removeprefix("refs/tags/")
        return None


def _read_event(path: str) -> Mapping[str, Any]:
    if not path:
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReleaseActionsError(
            f"the event payload is not valid JSON: {exc.msg}",
            location=SourceLocation(path, exc.lineno, exc.colno),
        ) from None
    return payload if isinstance(payload, dict) else {}


@dataclass(frozen=True)
class Context:
    """Handed to every command: injected, so tests can give their own."""

    runner: Runner
    environ: Mapping[str, str]
    cwd: Path

    @property
    def workflow(self) -> Workflow:
        return Workflow.from_environ(self.environ)


Handler = Callable[[argparse.Namespace, Context], int]


def lazy_handler(target: str) -> Handler:
    """A handler for ``"package.module:function"`` that imports the module only when it runs.

    Commands register their parsers eagerly but their code lazily, so ``--help`` and the light
    commands don't pay for importing PyGithub and httpx.
    """
    module_name, _, function_name = target.partition(":")

    def handler(args: argparse.Namespace, context: Context) -> int:
        function: Handler = getattr(importlib.import_module(module_name), function_name)
        return function(args, context)

    return handler
