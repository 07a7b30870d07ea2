"""Pytest fixtures for real git repositories (see tests/support/git_repos.py for the helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .git_repos import GitProject


@pytest.fixture
def git_project(tmp_path: Path) -> GitProject:
    """A bare origin (HEAD → main) and a clone ``work`` with README.md committed and pushed."""
    return GitProject.create(tmp_path / "git")
