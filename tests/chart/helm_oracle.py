"""Helm itself as the oracle (helm-python-sdk, Helm v4's Go code): its verdicts, one call each.

On CI the SDK must be there (a missing oracle fails, never skips); elsewhere a platform without
its wheel (it is Linux x86_64 only) skips the tests that need it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

try:
    import helm_python as helm
except ImportError:  # pragma: no cover - the wheel is linux x86_64 only
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(
        "helm_python (helm-python-sdk, Helm's Go SDK) is not importable on this platform",
        allow_module_level=True,
    )

__all__ = ["helm", "helm_lint_errors", "helm_loads_chart", "helm_loads_index"]


def helm_loads_index(text: str) -> tuple[bool, str]:
    """Whether Helm's repository loader (``repo.LoadIndexFile``, as ``helm repo index --merge``
    calls it) loads ``text``, and its reason when it does not."""
    with tempfile.TemporaryDirectory() as work:
        directory = Path(work)
        (directory / "repo").mkdir()
        index = directory / "index.yaml"
        index.write_bytes(text.encode("utf-8"))
        try:
            helm.repo_index_generate(directory / "repo", merge=index)
        except helm.HelmRepoError as error:
            return False, str(error)
        except helm.HelmError as error:
            # Loaded, but not written back (a time Go reads and cannot write): a load verdict.
            return "error loading" not in str(error), str(error)
    return True, ""


def helm_loads_chart(path: Path) -> tuple[bool, str]:
    """Whether Helm's chart loader (``loader.Load``) loads the chart directory or archive."""
    try:
        with helm.Chart.load(path):
            pass
    except helm.HelmError as error:
        return False, str(error)
    return True, ""


def helm_lint_errors(path: Path) -> list[dict[str, Any]]:
    """``helm lint``'s error-severity messages (severity 3) for the chart at ``path``."""
    report = helm.lint(path)
    return [message for message in report["messages"] if message["severity"] == 3]
