"""The files a release of this repository needs: a LICENSE that matches pyproject, a changelog."""

from __future__ import annotations

import tomllib
from pathlib import Path

from release_actions.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_license_file_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_our_changelog_follows_keep_a_changelog() -> None:
    changelog = str(ROOT / "CHANGELOG.md")
    assert main(["changelog", "lint", "--profile", "keepachangelog", changelog], environ={}) == 0
