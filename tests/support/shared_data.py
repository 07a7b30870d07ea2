"""Where the real files some tests read live: ``../shared/data`` next to the repository.

They are public files copied byte for byte (changelogs of real projects, indexes of real Helm
repositories, up to 4 MB each), kept outside this repository because of their size and
licences. Tests that need them skip, naming the path, when they are absent; point
``RELEASE_ACTIONS_TEST_DATA`` at another copy to run them from anywhere (a worktree, CI).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_data(kind: str) -> Path:
    """``changelogs`` or ``indexes``: the directory holding the real files of that kind."""
    configured = os.environ.get("RELEASE_ACTIONS_TEST_DATA")
    base = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return base / kind
