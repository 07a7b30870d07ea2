"""Would a well-kept library do better than our own code? Two trials, measured on our tests.

    uv run --with jsonschema==4.26.0 --with node-semver==0.9.1 python benchmarks/library_trials.py

1. ``jsonschema`` for the upgrade-config schema validator (``upgrade_config/schema.py``): every
   document the validation tests hand to our validator is recorded, then given to jsonschema's
   Draft 2020-12 validator with our two formats; the error paths (which become file, line and
   column) and messages are compared, and both are timed.
2. PyPI's ``node-semver`` for the ranges (``upgrade_config/ranges.py``): our range tests' cases,
   run through ``nodesemver.satisfies``.

And the cost every run of the command line pays: the import time of each library.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from release_actions.upgrade_config import schema as ours

ROOT = Path(__file__).resolve().parents[1]


def record_validations() -> list[tuple[dict[str, Any], Any, list[ours.SchemaError]]]:
    """Run the validation tests, keeping what each validation got and found."""
    seen: list[tuple[dict[str, Any], Any, list[ours.SchemaError]]] = []
    original = ours.Schema.validate

    def recording(self: ours.Schema, value: Any) -> list[ours.SchemaError]:
        errors = original(self, value)
        seen.append((dict(self.document), value, errors))
        return errors

    ours.Schema.validate = recording  # type: ignore[method-assign]
    try:
        code = pytest.main(
            ["-q", "-p", "no:cacheprovider", str(ROOT / "tests/upgrade_config/test_validate.py")]
        )
    finally:
        ours.Schema.validate = original  # type: ignore[method-assign]
    assert code == 0
    return seen


def jsonschema_trial() -> None:
    import jsonschema

    checker = jsonschema.FormatChecker()
    checker.checks("semver")(ours._FORMATS["semver"][0])
    checker.checks("semver-range")(ours._FORMATS["semver-range"][0])
    cases = record_validations()
    same_paths = 0
    differences: list[str] = []
    for document, value, our_errors in cases:
        validator = jsonschema.Draft202012Validator(document, format_checker=checker)
        theirs = sorted(tuple(error.absolute_path) for error in validator.iter_errors(value))
        mine = sorted(tuple(error.path) for error in our_errors)
        if theirs == mine:
            same_paths += 1
        else:
            differences.append(f"  ours {mine} vs jsonschema {theirs}")
        for error in validator.iter_errors(value):
            message = f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            differences.append(f"  jsonschema says: {message[:150]}")
        for error in our_errors:
            differences.append(
                f"  we say:         {'/'.join(map(str, error.path))}: {error.message}"
            )
    print(f"jsonschema {metadata.version('jsonschema')}")
    print(f"  documents validated by the tests: {len(cases)}")
    print(f"  same error paths as ours: {same_paths} of {len(cases)}")
    print("\n".join(dict.fromkeys(differences)))

    # Speed on the valid example documents (the common case), per validation.
    valid = [(document, value) for document, value, errors in cases if not errors][:2]
    for label, run in (
        ("ours", lambda d, v: ours.Schema(d).validate(v)),
        (
            "jsonschema",
            lambda d, v: list(
                jsonschema.Draft202012Validator(d, format_checker=checker).iter_errors(v)
            ),
        ),
    ):
        times = []
        for _ in range(50):
            start = time.perf_counter()
            for document, value in valid:
                run(document, value)
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1e3
        print(f"  {label:10} validate both example files: median {median:.2f} ms")


def node_semver_trial() -> None:
    import nodesemver

    sys.path.insert(0, str(ROOT / "tests"))
    from upgrade_config import test_ranges

    (mark,) = test_ranges.test_node_semver_ranges.pytestmark
    cases = mark.args[1]
    wrong = []
    for range_text, inside, outside in cases:
        for version in inside:
            if not nodesemver.satisfies(version, range_text, loose=False):
                wrong.append(f"{version} should satisfy {range_text!r}")
        for version in outside:
            if nodesemver.satisfies(version, range_text, loose=False):
                wrong.append(f"{version} should not satisfy {range_text!r}")
    # The anchor's behaviour: prereleases compare like node's includePrerelease.
    for version, range_text, expected in (
        ("2.0.0-beta.1", ">=1.0.0 <2.0.0", True),
        ("2.0.0-beta.1", "<2", False),
    ):
        got = nodesemver.satisfies(version, range_text, loose=False, include_prerelease=True)
        if got != expected:
            wrong.append(f"{version} in {range_text!r} with include_prerelease: {got}")
    bad = []
    for text in (">=1.0.0 <<2", "abc", ">=1.0.0.0", "1.2.3 -"):
        try:
            nodesemver.make_range(text, loose=False)
        except Exception:
            continue
        bad.append(text)
    checks = sum(len(inside) + len(outside) for _, inside, outside in cases) + 2
    print(f"node-semver {metadata.version('node-semver')}")
    print(f"  range checks passed: {checks - len(wrong)} of {checks}")
    for line in wrong:
        print(f"  wrong: {line}")
    print(f"  malformed ranges accepted instead of refused: {bad or 'none'}")


def import_time(module: str) -> float:
    """What importing ``module`` adds, in ms, once its package is imported: the cumulative
    time ``python -X importtime`` reports on its line (it and whatever it imports first),
    median of 7 runs. CPU time of the imports, steadier than wall time on a busy machine."""
    parent = module.rpartition(".")[0]
    code = f"import {parent}; import {module}" if parent else f"import {module}"
    runs = []
    for _ in range(7):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in completed.stderr.splitlines():
            fields = line.removeprefix("import time:").split("|")
            if len(fields) == 3 and fields[2].strip() == module:
                runs.append(int(fields[1]))
    return statistics.median(runs) / 1e3


def main() -> None:
    jsonschema_trial()
    node_semver_trial()
    print("import time (python -X importtime, cumulative, median of 7 runs):")
    for module in (
        "release_actions.upgrade_config.schema",
        "jsonschema",
        "release_actions.upgrade_config.ranges",
        "nodesemver",
    ):
        print(f"  {module:42} {import_time(module):6.1f} ms")


if __name__ == "__main__":
    main()
