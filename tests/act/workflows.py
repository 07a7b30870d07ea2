"""The workflows that the READMEs show, read from the READMEs themselves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
_YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_workflows(readme: str) -> dict[str, dict[str, Any]]:
    """Every workflow (a YAML block with ``jobs:``) in a README, by its first line or its name."""
    found: dict[str, dict[str, Any]] = {}
    text = (REPO_ROOT / readme).read_text(encoding="utf-8")
    for block in _YAML_BLOCK.findall(text):
        data = yaml.safe_load(block)
        if not isinstance(data, dict) or "jobs" not in data:
            continue
        first = block.splitlines()[0]
        match = re.match(r"# \.github/workflows/([\w.-]+)", first)
        found[match.group(1) if match else str(data.get("name"))] = data
    return found


def example_files(name: str) -> dict[str, bytes]:
    root = EXAMPLES / name
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
