"""Fixtures for the fake GitHub; tests/conftest.py loads them through ``pytest_plugins``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from release_actions.github import GitHub

from .fake_github import FakeGitHub, github_for


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A fresh fake GitHub (repository ``octo/charts``, token ``test-token``) for one test.

    The test fails if anything asked it for a route it does not serve.
    """
    with FakeGitHub() as fake:
        yield fake
    fake.assert_healthy()


@pytest.fixture
def github_client(fake_github: FakeGitHub) -> Iterator[GitHub]:
    """:class:`GitHub` talking to ``fake_github`` through PyGithub, as in production."""
    with github_for(fake_github) as client:
        yield client
