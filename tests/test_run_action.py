"""shared/run-action.sh, what every action.yml runs: the job's settings stay out, and a failure
before Python starts still writes a step summary."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from support.package_index import PackageIndex

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "shared" / "run-action.sh"
HOST_UV_CACHE = subprocess.run(
    ["uv", "cache", "dir"], capture_output=True, text=True, check=False
).stdout.strip()


def run_script(tmp_path: Path, **environ: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    (workspace / "CHANGELOG.md").write_text("# Changelog\n\n## 1.0.0\n\n- First.\n")
    summary = tmp_path / "summary.md"
    output = tmp_path / "output"
    output.touch()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ["HOME"],
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TOOL_CACHE": str(tmp_path / "tool-cache"),
        "UV_CACHE_DIR": HOST_UV_CACHE,
        "UV_OFFLINE": "1",
        "INPUT_MODE": "lint",
        **environ,
    }
    completed = subprocess.run(
        ["bash", str(SCRIPT), "changelog"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed, summary


def test_the_jobs_python_and_uv_settings_do_not_reach_our_environment(tmp_path: Path) -> None:
    hostile = {
        "UV_NO_SYNC": "1",
        "UV_NO_CACHE": "1",  # honoured, the offline install would find nothing
        "UV_LINK_MODE": "bogus",
        "UV_INDEX": "http://127.0.0.1:9/simple",
        "UV_PROJECT_ENVIRONMENT": "/nonexistent",
        "VIRTUAL_ENV": "/opt/venv",
        "PYTHONPATH": str(tmp_path / "shadow"),
        "PYTHONHOME": "/nonexistent",
    }
    shadow = tmp_path / "shadow" / "release_actions"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise SystemExit('the job shadowed our package')\n")
    # the caller's working directory may hold a package of the same name, too
    (tmp_path / "workspace" / "release_actions").mkdir(parents=True)
    (tmp_path / "workspace" / "release_actions" / "__init__.py").write_text("raise SystemExit(9)\n")

    completed, _ = run_script(tmp_path, **hostile)

    assert completed.returncode == 0, completed.stderr
    assert "mode=lint" in (tmp_path / "output").read_text()
    assert list((tmp_path / "tool-cache" / "release-actions").glob("env-*/.complete"))

    again, _ = run_script(tmp_path, **hostile)  # second use: the environment is reused as is
    assert again.returncode == 0, again.stderr
    assert len(list((tmp_path / "tool-cache" / "release-actions").glob("env-*"))) == 1


def test_a_failed_install_writes_a_step_summary(tmp_path: Path) -> None:
    # An empty uv cache, offline: the locked environment cannot be installed.
    completed, summary = run_script(tmp_path, UV_CACHE_DIR=str(tmp_path / "empty-cache"))

    assert completed.returncode != 0
    assert "::error::release-actions could not start: installing the locked environment" in (
        completed.stdout
    )
    text = summary.read_text()
    assert "### release-actions: failed" in text and "UV_DEFAULT_INDEX" in text


def test_a_uv_cache_holding_every_locked_wheel_is_used_without_asking_the_index(
    tmp_path: Path, locked_wheels_index: PackageIndex
) -> None:
    mirror = {
        "UV_OFFLINE": "0",
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
        "UV_DEFAULT_INDEX": locked_wheels_index.url,
    }
    first, _ = run_script(tmp_path, **mirror)
    assert first.returncode == 0, first.stderr
    asked = len(locked_wheels_index.paths)
    assert asked  # the empty uv cache was filled from the index

    shutil.rmtree(tmp_path / "tool-cache")  # a new runner: no environment, the same uv cache
    second, _ = run_script(tmp_path, **mirror)

    assert second.returncode == 0, second.stderr
    assert list((tmp_path / "tool-cache" / "release-actions").glob("env-*/.complete"))
    assert len(locked_wheels_index.paths) == asked


def test_the_install_goes_through_the_interpreter_uv_already_knows(tmp_path: Path) -> None:
    """uv asks every interpreter path it has not seen for its version, and each new venv is
    one: the install names the venv's base interpreter and the venv as its prefix."""
    real_uv = shutil.which("uv")
    assert real_uv is not None
    wrapper = tmp_path / "bin" / "uv"
    wrapper.parent.mkdir()
    calls = tmp_path / "uv-calls"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {real_uv} "$@"\n')
    wrapper.chmod(0o755)

    completed, _ = run_script(tmp_path, PATH=f"{wrapper.parent}:{os.environ['PATH']}")

    assert completed.returncode == 0, completed.stderr
    (environment,) = (tmp_path / "tool-cache" / "release-actions").glob("env-*")
    installs = [line for line in calls.read_text().splitlines() if line.startswith("pip install")]
    assert installs
    for line in installs:
        arguments = line.split()
        python = Path(arguments[arguments.index("--python") + 1])
        assert not python.is_relative_to(tmp_path), line  # not the new venv's interpreter
        prefix = Path(arguments[arguments.index("--prefix") + 1])
        assert prefix.parent == environment.parent and prefix.name.startswith(environment.name)


class RecordingIndex:
    """A package index on 127.0.0.1 that records what is asked of it and has nothing."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.paths.append(self.path)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def index() -> Iterator[RecordingIndex]:
    recording = RecordingIndex()
    yield recording
    recording.close()


@pytest.mark.parametrize("variable", ["UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"])
def test_the_runners_index_mirror_is_used_by_uv(
    tmp_path: Path, index: RecordingIndex, variable: str
) -> None:
    completed, summary = run_script(
        tmp_path, UV_OFFLINE="0", UV_CACHE_DIR=str(tmp_path / "empty"), **{variable: index.url}
    )

    assert completed.returncode != 0  # the mirror has nothing
    assert any(path.startswith("/simple/") for path in index.paths), completed.stderr
    assert "### release-actions: failed" in summary.read_text()


def test_without_uv_on_path_pip_installs_it_from_the_mirror(
    tmp_path: Path, index: RecordingIndex
) -> None:
    assert shutil.which("uv", path="/usr/bin:/bin") is None
    completed, summary = run_script(
        tmp_path,
        PATH="/usr/bin:/bin",
        UV_DEFAULT_INDEX=index.url,
        PIP_NO_INDEX="",
        PIP_FIND_LINKS="",
    )

    assert completed.returncode != 0
    assert "/simple/uv/" in index.paths, completed.stderr
    assert "installing uv" in summary.read_text()
