"""shared/run-action.sh installs from files that must agree with uv.lock."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_locked_requirements_are_uv_lock_exported() -> None:
    exported = subprocess.run(
        [
            "uv",
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--format",
            "requirements-txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (ROOT / "shared" / "locked-requirements.txt").read_text(encoding="utf-8")
    assert requirement_lines(committed) == requirement_lines(exported), (
        "shared/locked-requirements.txt is stale: run uv export --frozen --no-dev "
        "--no-emit-project --format requirements-txt -o shared/locked-requirements.txt"
    )


def test_the_uv_fallback_is_pinned_with_hashes() -> None:
    text = (ROOT / "shared" / "uv-requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^uv==\d+\.\d+\.\d+ \\$", text, re.M)
    assert len(re.findall(r"--hash=sha256:[0-9a-f]{64}", text)) >= 10
