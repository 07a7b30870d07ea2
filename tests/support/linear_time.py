"""Run code on a crafted input in a child process that must finish within a CPU-time bound.

For regular expressions (and loops) that must stay linear: each test builds an input of one to a
few megabytes, on which the quadratic version takes minutes of CPU (hours, for most), while the
linear one takes a second or two at most. The bound is CPU time, set with RLIMIT_CPU, so a loaded
machine cannot fail the test; the wall-clock timeout is only a backstop. Timing figures belong to
benchmarks/changelog_adversarial.py, not here.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

CPU_SECONDS = 20
WALL_SECONDS = 600  # a backstop only: the CPU limit decides
MEGABYTE = 1_000_000

_LIMIT = (
    f"import resource\nresource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))\n"
)


def finishes_in_time(code: str) -> None:
    """Run ``code`` (which builds its own input) in a fresh interpreter; fail past the bound."""
    try:
        completed = subprocess.run(
            [sys.executable, "-c", _LIMIT + textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {WALL_SECONDS} s: not linear") from None
    if completed.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise AssertionError(f"more than {CPU_SECONDS} s of CPU: not linear")
    assert completed.returncode == 0, completed.stderr
