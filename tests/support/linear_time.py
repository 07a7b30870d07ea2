"""Run code on a crafted input in a child process that must finish within a bound.

For regular expressions that must stay linear: each test builds an input of about a megabyte,
on which the quadratic version of the pattern takes minutes (hours, for most), while the linear
one takes milliseconds. The bound (``TIMEOUT``) is generous for a loaded machine, and far below
what a quadratic pattern needs, so the test can fail only for the right reason. Timing figures
belong to benchmarks/changelog_adversarial.py, not here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

TIMEOUT = 15.0  # seconds, Python's start-up included
MEGABYTE = 1_000_000


def finishes_in_time(code: str) -> None:
    """Run ``code`` (which builds its own input) in a fresh interpreter; fail past TIMEOUT."""
    try:
        completed = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {TIMEOUT:.0f} s: not linear") from None
    assert completed.returncode == 0, completed.stderr
