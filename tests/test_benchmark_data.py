"""The index benchmarks/index_merge.py measures on is one Helm reads, as our reader reads it, and
our merge of one version into it is Helm's ``repo index --merge``, apart from the run's time."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from release_actions.chart.loader.goyaml import go_rfc3339, load_strings
from release_actions.chart.repo.index import merge_into_index, published_versions

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "index_merge.py"
VERSIONS = 250  # three charts: 100, 100 and 50 versions, of the three entry profiles
GENERATED = datetime(2026, 9, 2, tzinfo=UTC)


def _load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("index_merge_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()


@pytest.fixture(scope="module")
def index_text() -> str:
    text: str = bench.generate_index(VERSIONS)
    return text


@pytest.fixture
def helm() -> Any:
    try:
        import helm_python
    except ImportError:  # pragma: no cover - the wheel is linux x86_64 only
        pytest.skip("helm_python (helm-python-sdk, Helm's Go SDK) is not importable here")
    return helm_python


def test_every_time_in_the_generated_index_is_rfc3339_as_helm_writes_it(index_text: str) -> None:
    data = load_strings(index_text)
    times = [item["created"] for items in data["entries"].values() for item in items]
    times.append(data["generated"])

    assert len(times) == VERSIONS + 1
    for written in times:
        moment = datetime.fromisoformat(written)
        assert go_rfc3339(moment) == written
    assert any("." in written for written in times)  # fractions, written with their dot


def test_helm_loads_the_generated_index_as_our_reader_does(
    helm: Any, index_text: str, tmp_path: Path
) -> None:
    old = tmp_path / "index.yaml"
    old.write_text(index_text, encoding="utf-8")
    empty = tmp_path / "repo"
    empty.mkdir()

    helms = helm.repo_index_generate(empty, merge=old)  # loads it with Helm's LoadIndexFile

    ours = load_strings(index_text)
    assert helms["entries"] == ours["entries"]
    assert published_versions(index_text) == {
        name: {item["version"] for item in items} for name, items in helms["entries"].items()
    }
    # Helm writes it back in the very bytes the generator wrote: only its run's time differs.
    rewritten = (empty / "index.yaml").read_text(encoding="utf-8")
    generated_line = f'generated: "{ours["generated"]}"'
    assert rewritten.replace(f'generated: "{helms["generated"]}"', generated_line) == index_text


def test_our_merge_of_one_version_is_helms_repo_index_merge(
    helm: Any, index_text: str, tmp_path: Path
) -> None:
    old = tmp_path / "index.yaml"
    old.write_text(index_text, encoding="utf-8")
    new = bench.package_new_version(tmp_path)

    helm.repo_index_generate(new.package.parent, base_url=bench.BASE_URL, merge=old)
    helms = (new.package.parent / "index.yaml").read_text(encoding="utf-8")
    merged = merge_into_index(index_text, [new.entry], generated=GENERATED)

    assert not merged.rewritten  # spliced in: the benchmark times the path a real run takes
    assert bench.stamps_aligned(helms, merged.text) == merged.text
    assert helms != merged.text  # the stamps were Helm's own, so the alignment did something
