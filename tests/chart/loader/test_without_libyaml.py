"""A PyYAML built without libyaml: a clear error where Helm's bytes are needed, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter: PyYAML is made to look as if it were built without libyaml
# before the package is imported.
_SCRIPT = """
import sys
import yaml
for name in ("CSafeLoader", "CSafeDumper", "CLoader", "CDumper", "CParser", "CEmitter"):
    if hasattr(yaml, name):
        delattr(yaml, name)
yaml.__with_libyaml__ = False
from release_actions.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_without_libyaml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def write_chart(root: Path) -> None:
    chart = root / "charts" / "demo"
    chart.mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        'apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: "1.0.0"\n', encoding="utf-8"
    )


def test_commands_that_write_helm_yaml_refuse_with_a_clear_error(tmp_path: Path) -> None:
    write_chart(tmp_path)
    # Packaging is a tar file: it needs no YAML emitter.
    packaged = run_without_libyaml(
        tmp_path, "chart", "package", "charts/demo", "--mtime", "2025-01-01T00:00:00Z"
    )
    assert packaged.returncode == 0, packaged.stdout + packaged.stderr
    result = run_without_libyaml(
        tmp_path,
        "chart",
        "index",
        "--index",
        "index.yaml",
        "--package",
        "demo-1.0.0.tgz",
        "--relative",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "PyYAML was built without libyaml" in result.stderr
    assert not (tmp_path / "index.yaml").exists()


def test_the_checks_and_bump_still_run_without_libyaml(tmp_path: Path) -> None:
    write_chart(tmp_path)
    result = run_without_libyaml(tmp_path, "chart", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout
    bumped = run_without_libyaml(tmp_path, "chart", "bump", "charts/demo", "1.1.0")
    assert bumped.returncode == 0, bumped.stdout + bumped.stderr
    assert "version: 1.1.0\n" in (tmp_path / "charts/demo/Chart.yaml").read_text()
