"""Every command the READMEs show runs as written, from the root of a copy of the repository.

Shell blocks are read line by line: ``cd`` lines move on, ``release-actions`` lines run (in bash,
with ``uv run`` standing for this environment), and a command whose comment says it ``fails``
must exit non-zero. Console blocks (``$`` prompts) also compare what the command prints.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from release_actions.cli import main

ROOT = Path(__file__).resolve().parents[1]
READMES = sorted(
    [ROOT / "README.md", *ROOT.glob("action-*/README.md"), *ROOT.glob("examples/*/README.md")]
)
_BLOCK = re.compile(r"^```(bash|console)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# `uv run` stands for this environment: the test runs what the reader would, without a new venv.
_PRELUDE = 'uv() { if [ "$1" = run ]; then shift; "$@"; else echo "not run: uv $*" >&2; fi; }\n'


@dataclass(frozen=True)
class Command:
    readme: str
    cwd: str  # relative to the repository root
    text: str
    fails: bool = False
    output: str | None = None  # what a console block shows it printing


def documented_commands(readme: Path) -> list[Command]:
    commands = []
    for kind, body in _BLOCK.findall(readme.read_text(encoding="utf-8")):
        cwd = "."
        for text, comment, output in _commands(kind, body):
            if text.startswith("cd "):
                cwd = os.path.normpath(os.path.join(cwd, text.removeprefix("cd ").strip()))
            elif "release-actions" in text:
                name = readme.relative_to(ROOT).as_posix()
                fails = "fails" in comment
                commands.append(Command(name, cwd, text, fails, output))
    return commands


def _commands(kind: str, body: str) -> list[tuple[str, str, str | None]]:
    """(command, the comment above it, its shown output) for each command in a block."""
    found: list[tuple[str, str, str | None]] = []
    comment = ""
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if kind == "console":
            if not line.startswith("$ "):
                continue
            text = line[2:]
            while index < len(lines) and (text.endswith("\\") or lines[index].startswith("> ")):
                text = text.rstrip("\\") + ("\n" if lines[index].startswith("> ") else " ")
                text += lines[index].removeprefix("> ").strip()
                index += 1
            output = []
            while index < len(lines) and not lines[index].startswith("$ "):
                output.append(lines[index])
                index += 1
            found.append((text, "", "\n".join(output) + "\n" if output else None))
            continue
        if line.startswith("#"):
            comment = line
            continue
        if not line.strip():
            continue
        text = line
        while text.endswith("\\") and index < len(lines):
            text = text[:-1] + " " + lines[index].strip()
            index += 1
        found.append((text, comment, None))
        comment = ""
    return found


ALL = [command for readme in READMES for command in documented_commands(readme)]


def test_the_readmes_show_commands() -> None:
    assert len(ALL) >= 20
    names = {command.readme for command in ALL}
    assert {
        "README.md",
        "action-changelog-check/README.md",
        "examples/hami-like/README.md",
    } <= names


@pytest.fixture(scope="module")
def repository_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, where the commands point, in a scratch copy (some commands write)."""
    root = tmp_path_factory.mktemp("repository")
    shutil.copytree(ROOT / "examples", root / "examples")
    return root


@pytest.mark.parametrize(
    "command", ALL, ids=[f"{c.readme}:{c.text.split('release-actions ')[-1][:50]}" for c in ALL]
)
def test_a_documented_command_runs_as_written(
    command: Command, repository_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cwd = repository_copy / command.cwd
    if _SHELL.search(command.text):
        code, stdout, stderr = _run_in_bash(command.text, cwd)
    else:
        code, stdout, stderr = _run_in_process(command.text, cwd, capsys)
    shown = f"{command.text}\n--- stdout\n{stdout}--- stderr\n{stderr}"
    assert code == (1 if command.fails else 0), shown
    if command.output is not None:
        assert stdout == command.output, shown


# What needs a real shell; anything else runs in this process, which is much faster.
_SHELL = re.compile(r"[;|&$`]|\bfor\b")


def _run_in_process(
    text: str, cwd: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    words = shlex.split(text)
    assert words[:3] == ["uv", "run", "release-actions"], text
    argv, redirect = words[3:], None
    if ">" in argv:
        at = argv.index(">")
        argv, redirect = argv[:at], argv[at + 1]
    argv = [_glob(word, cwd) for word in argv]
    capsys.readouterr()
    code = main([word for words in argv for word in words], environ={}, cwd=cwd)
    captured = capsys.readouterr()
    if redirect is not None:
        (cwd / redirect).write_text(captured.out)
        return code, "", captured.err
    return code, captured.out, captured.err


def _glob(word: str, cwd: Path) -> list[str]:
    """The shell's pathname expansion of one unquoted word (the README's ``docs/*.md``)."""
    if "*" not in word or "{" in word:
        return [word]
    return sorted(path.relative_to(cwd).as_posix() for path in cwd.glob(word)) or [word]


def _run_in_bash(text: str, cwd: Path) -> tuple[int, str, str]:
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "INPUT_"))
    }
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    completed = subprocess.run(
        ["bash", "-c", _PRELUDE + text],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "not run: uv" not in completed.stderr, completed.stderr
    return completed.returncode, completed.stdout, completed.stderr
