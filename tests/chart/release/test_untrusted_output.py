"""Issue 9, low: text from the repository is never run as a workflow command.

An ``index.yaml`` line ``::error title=X::…`` in the dry run's index diff became a real
annotation. Every such text is printed between ``::stop-commands::`` and its resume token.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from release_actions.cli import main
from support.git_repos import GitProject

INJECTED = "::error title=Injected::from the index"
INDEX = f"""\
apiVersion: v1
entries:
  demo:
  - annotations:
      {INJECTED}: x
    apiVersion: v2
    created: "2024-01-01T00:00:00Z"
    digest: {"0" * 64}
    name: demo
    urls:
    - https://example.com/demo-0.0.1.tgz
    version: 0.0.1
generated: "2024-01-01T00:00:00Z"
"""


def outside_stop_commands(log: str) -> list[str]:
    """The lines the runner would read as commands: those not between stop and resume."""
    live: list[str] = []
    token: str | None = None
    for line in log.splitlines():
        if token is not None:
            if line == f"::{token}::":
                token = None
            continue
        started = re.fullmatch(r"::stop-commands::(\w+)", line)
        if started:
            token = started.group(1)
        else:
            live.append(line)
    return live


def test_the_dry_run_prints_the_index_diff_inside_stop_commands(
    git_project: GitProject, tmp_path: Path
) -> None:
    git_project.seed_branch("gh-pages", {"index.yaml": INDEX})
    git_project.work.commit(
        {"charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n"}, "chart"
    )
    git_project.work.push()
    environ = {
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "GITHUB_REPOSITORY": "octo/charts",
    }
    stream = io.StringIO()

    code = main(
        ["chart", "release", "--dry-run"], environ=environ, stream=stream, cwd=git_project.work.path
    )

    log = stream.getvalue()
    assert code == 0, log
    assert INJECTED in log  # the diff shows it...
    assert not any(line.strip().startswith("::error") for line in outside_stop_commands(log))
