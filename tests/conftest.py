"""Suite-wide fixtures. Every test starts with no runner, GitHub or git identity of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = [
    "support.fixtures_git",
    "support.fixtures_github",
    "support.action_runner",
    "support.oci_registry",
    "support.signing_keys",
]

_SCRUBBED_PREFIXES = ("GITHUB_", "RUNNER_", "INPUT_", "ACTIONS_", "GIT_")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests may run inside GitHub Actions: drop its variables and any git config of the host."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(_SCRUBBED_PREFIXES):
            del os.environ[name]
    home = tmp_path_factory.mktemp("home")
    os.environ["HOME"] = str(home)
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    os.environ["GIT_CONFIG_GLOBAL"] = str(Path(home) / ".gitconfig")
    os.environ["GIT_AUTHOR_NAME"] = os.environ["GIT_COMMITTER_NAME"] = "Test Author"
    os.environ["GIT_AUTHOR_EMAIL"] = os.environ["GIT_COMMITTER_EMAIL"] = "author@example.com"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
