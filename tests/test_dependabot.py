"""Dependabot keeps every pin fresh: each directory holding an action.yml or a workflow is in
.github/dependabot.yml, and each pin is a commit SHA with the version in a comment.

Dependabot's github-actions ecosystem reads, for the directory ``/``, the root ``action.yml`` and
``.github/workflows/*.yml``; for any other directory, that directory's own ``*.yml`` files (its
FileFetcher). A composite action in a subdirectory is therefore updated only when listed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
NOT_THE_PROJECT = {".git", ".venv", "node_modules"}
ACTION_FILES = {"action.yml", "action.yaml"}
WORKFLOW_KEYS = re.compile(r"^jobs:", re.MULTILINE)
# A remote ``uses:`` (not ``./…`` nor ``docker://…``): owner/repo[/path]@ref, then the rest.
REMOTE_USES = re.compile(
    r"^[ \t]*(?:-[ \t]+)?uses:[ \t]*([\w.-]+/[\w./-]+)@(\S+)(.*)$", re.MULTILINE
)
SHA = re.compile(r"[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"[ \t]+# v\d+(?:\.\d+)*[ \t]*")


def yaml_files(root: Path) -> Iterator[Path]:
    """The project's YAML files: none in .git, .venv or any hidden directory but .github."""
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if name not in NOT_THE_PROJECT and (not name.startswith(".") or name == ".github")
        )
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                yield Path(directory, name)


def is_action_or_workflow(path: Path) -> bool:
    if path.name in ACTION_FILES:
        return True
    if path.parent.parts[-2:] == (".github", "workflows"):
        return True
    text = path.read_text(encoding="utf-8", errors="replace")
    return bool(WORKFLOW_KEYS.search(text)) and "runs-on:" in text


def dependabot_directory(path: Path, root: Path) -> str:
    """The ``directories:`` entry under which Dependabot reads ``path``."""
    relative = path.parent.relative_to(root)
    if relative.parts in {(), (".github", "workflows")}:
        return "/"
    return "/" + relative.as_posix()


def covered_directories(config: dict[str, Any]) -> set[str]:
    directories: set[str] = set()
    for update in config["updates"]:
        if update["package-ecosystem"] != "github-actions":
            continue
        listed = update.get("directories") or [update["directory"]]
        directories.update("/" + entry.strip("/") if entry != "/" else "/" for entry in listed)
    return directories


def uncovered(root: Path, config: dict[str, Any]) -> list[str]:
    covered = covered_directories(config)
    return sorted(
        f"{path.relative_to(root)} (add {dependabot_directory(path, root)!r})"
        for path in yaml_files(root)
        if is_action_or_workflow(path) and dependabot_directory(path, root) not in covered
    )


def unpinned(root: Path) -> list[str]:
    problems = []
    for path in yaml_files(root):
        if not is_action_or_workflow(path):
            continue
        for match in REMOTE_USES.finditer(path.read_text(encoding="utf-8")):
            action, ref, rest = match.groups()
            if not SHA.fullmatch(ref) or not VERSION_COMMENT.fullmatch(rest):
                problems.append(f"{path.relative_to(root)}: {action}@{ref}{rest}")
    return problems


def load_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    return config


def test_every_action_and_workflow_directory_is_kept_fresh() -> None:
    config = load_config()

    assert uncovered(ROOT, config) == []
    assert {update["package-ecosystem"] for update in config["updates"]} == {
        "github-actions",
        "uv",
    }


def test_a_new_action_directory_is_caught(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    for directory in ("action-old", "action-new", ".github/actions/setup"):
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "action.yml").write_text("runs:\n  using: composite\n")
    (tmp_path / "tests" / "act").mkdir(parents=True)
    (tmp_path / "tests" / "act" / "e2e.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    (tmp_path / "charts" / "a" / "templates").mkdir(parents=True)
    (tmp_path / "charts" / "a" / "templates" / "job.yaml").write_text("kind: Job\njobs: 1\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "action.yml").write_text("runs: {}\n")
    config: dict[str, Any] = {
        "updates": [{"package-ecosystem": "github-actions", "directories": ["/", "/action-old/"]}]
    }

    assert uncovered(tmp_path, config) == [
        ".github/actions/setup/action.yml (add '/.github/actions/setup')",
        "action-new/action.yml (add '/action-new')",
        "tests/act/e2e.yml (add '/tests/act')",
    ]


def test_every_remote_action_is_pinned_by_sha_with_its_version_in_a_comment() -> None:
    assert unpinned(ROOT) == []


def test_a_pin_without_its_version_comment_is_caught(tmp_path: Path) -> None:
    (tmp_path / "action-a").mkdir()
    (tmp_path / "action-a" / "action.yml").write_text(
        "runs:\n  using: composite\n  steps:\n"
        f"    - uses: actions/checkout@{'a' * 40} # v5.0.0\n"
        f"    - uses: astral-sh/setup-uv@{'b' * 40}\n"
        "    - uses: actions/cache@v4 # v4\n"
        "    - uses: ./action-b\n"
    )

    assert unpinned(tmp_path) == [
        f"action-a/action.yml: astral-sh/setup-uv@{'b' * 40}",
        "action-a/action.yml: actions/cache@v4 # v4",
    ]
