"""``release-actions upgrade-config sync|resolve|validate`` through the real CLI funnel."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from release_actions.cli import main

from .helpers import (
    EXAMPLE_CONFIG,
    EXAMPLE_SEGMENTS,
    GC,
    GH,
    dump,
    example_config,
    example_segments,
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir()
    shutil.copy(EXAMPLE_SEGMENTS, tmp_path / "config" / "app-upgrade-segments.json")
    shutil.copy(EXAMPLE_CONFIG, tmp_path / "app-upgrade-config.json")
    return tmp_path


def cli(cwd: Path, *argv: str, environ: dict[str, str] | None = None) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(["upgrade-config", *argv], environ=environ or {}, stream=stream, cwd=cwd)
    return code, stream.getvalue()


def feeds_ready(
    httpx_mock: HTTPXMock, tag: str, channel: str = "latest", gitcode: bool = True
) -> None:
    httpx_mock.add_response(url=f"{GH}/{tag}/{channel}.yml", text="version: x\n")
    if gitcode:
        httpx_mock.add_response(url=f"{GC}/{tag}/{channel}.yml", text="version: x\n")


def test_sync_writes_the_file_and_a_rerun_leaves_it_alone(
    repo: Path, httpx_mock: HTTPXMock
) -> None:
    feeds_ready(httpx_mock, "v2.1.7")
    feeds_ready(httpx_mock, "v2.1.7")
    code, out = cli(repo, "sync", "--tag", "v2.1.7")
    assert code == 0, out
    assert "Updated app-upgrade-config.json: latest of entry 2.1.7 (current-v2) set to 2.1.7" in out
    written = (repo / "app-upgrade-config.json").read_text(encoding="utf-8")
    assert list(json.loads(written)["versions"]) == ["2.1.7", "2.0.0", "1.7.23"]
    assert not list(repo.glob(".app-upgrade-config.json.*"))  # no temp file left behind

    code, out = cli(repo, "sync", "--tag", "v2.1.7")
    assert code == 0
    assert "Unchanged app-upgrade-config.json" in out
    assert (repo / "app-upgrade-config.json").read_text(encoding="utf-8") == written


def test_dry_run_prints_a_unified_diff_and_writes_nothing(
    repo: Path, httpx_mock: HTTPXMock
) -> None:
    feeds_ready(httpx_mock, "v2.2.0-rc.2", "rc", gitcode=False)
    before = (repo / "app-upgrade-config.json").read_bytes()
    code, out = cli(repo, "sync", "--tag", "v2.2.0-rc.2", "--dry-run")
    assert code == 0
    assert "--- a/app-upgrade-config.json\n+++ b/app-upgrade-config.json\n" in out
    assert '-          "version": "2.2.0-rc.1",\n+          "version": "2.2.0-rc.2",' in out
    assert "Would update app-upgrade-config.json" in out
    assert (repo / "app-upgrade-config.json").read_bytes() == before


def test_skip_release_checks_is_refused_without_dry_run(repo: Path) -> None:
    code, out = cli(repo, "sync", "--tag", "v2.1.7", "--skip-release-checks")
    assert code == 2
    assert "--skip-release-checks can only be used together with --dry-run" in out


def test_skip_release_checks_with_dry_run_probes_nothing(repo: Path, httpx_mock: HTTPXMock) -> None:
    code, out = cli(repo, "sync", "--tag", "v2.1.7", "--dry-run", "--skip-release-checks")
    assert code == 0, out
    assert httpx_mock.get_requests() == []


def test_json_output(repo: Path) -> None:
    code, out = cli(
        repo, "sync", "--tag", "v2.0.0-beta.1", "--dry-run", "--skip-release-checks", "--json"
    )
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    assert {k: document[k] for k in list(document)[:8]} == {
        "outcome": "updated",
        "changed": True,
        "channel": "beta",
        "version": "2.0.0-beta.1",
        "segment": "gateway-v2",
        "entryKey": "2.0.0",
        "fallbackUsed": False,
        "reason": "beta of entry 2.0.0 (gateway-v2) set to 2.0.0-beta.1",
    }
    assert document["diff"].startswith("--- a/app-upgrade-config.json")


def test_json_output_reports_the_fallback(repo: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{GH}/v2.1.7/latest.yml", text="ok")
    httpx_mock.add_response(url=f"{GC}/v2.1.7/latest.yml", status_code=404)
    code, out = cli(repo, "sync", "--tag", "v2.1.7", "--json")
    document = json.loads(out)
    assert (code, document["fallbackUsed"]) == (0, True)
    assert document["notes"] == [
        f"mirror gitcode is not ready ({GC}/v2.1.7/latest.yml: HTTP 404); "
        "using its fallback https://releases.cherry-ai.com"
    ]


def noisy_segments(repo: Path) -> None:
    """A segments file that validates with two warnings."""
    segments = example_segments()
    segments["mirrors"]["github"]["fallback"] = "https://unused.example"
    segments["segments"].append({"id": "never", "match": {}, "minCompatibleVersion": "1.0.0"})
    (repo / "config" / "app-upgrade-segments.json").write_text(dump(segments), encoding="utf-8")


DRY = ("--dry-run", "--skip-release-checks")


@pytest.mark.parametrize(
    ("argv", "outcome", "warns"),
    [
        (["--tag", "v2.1.7", *DRY], "updated", True),  # with the diff
        (["--tag", "v2.1.7"], "updated", True),  # written, with a fallback note
        (["--tag", "v2.1.6", *DRY], "unchanged", True),
        (["--tag", "v2.1.5", *DRY], "skipped", True),  # older than the entry
        (["--tag", "v2.1.7-alpha.1"], "skipped", False),  # skipped before the files are read
    ],
)
def test_json_stdout_is_one_document_while_warnings_go_to_stderr(
    repo: Path,
    httpx_mock: HTTPXMock,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    outcome: str,
    warns: bool,
) -> None:
    noisy_segments(repo)
    if "--dry-run" not in argv and outcome == "updated":
        httpx_mock.add_response(url=f"{GH}/v2.1.7/latest.yml", text="ok")
        httpx_mock.add_response(url=f"{GC}/v2.1.7/latest.yml", status_code=404)
    # no stream given: the real sys.stdout and sys.stderr, as in a shell pipe
    code = main(["upgrade-config", "sync", *argv, "--json"], environ={}, cwd=repo)
    captured = capsys.readouterr()
    assert code == 0, captured
    document = json.loads(captured.out)  # the whole of stdout: anything more is "Extra data"
    assert document["outcome"] == outcome
    assert ("primary mirror's fallback is never used" in captured.err) is warns
    assert ("so it never matches" in captured.err) is warns


def test_json_output_of_a_downgrade_skip_names_its_segment_and_entry(repo: Path) -> None:
    argv = ["--tag", "v2.1.5", "--dry-run", "--skip-release-checks", "--json"]
    code, out = cli(repo, "sync", *argv)
    document = json.loads(out)
    assert (code, document["outcome"]) == (0, "skipped")
    assert (document["segment"], document["entryKey"]) == ("current-v2", "2.1.6")


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["--tag", "v2.1.7-alpha.1"], "prerelease label 'alpha'"),
        (["--tag", "v2.1.7", "--is-prerelease", "true"], "marked as a prerelease"),
        (["--tag", "v2.1.7-rc.1", "--is-prerelease", "false"], "not marked as a prerelease"),
    ],
)
def test_skips_exit_zero_and_touch_nothing(repo: Path, argv: list[str], reason: str) -> None:
    before = (repo / "app-upgrade-config.json").read_bytes()
    code, out = cli(repo, "sync", *argv, "--json")
    document = json.loads(out)
    assert (code, document["outcome"], document["changed"]) == (0, "skipped", False)
    assert reason in document["reason"]
    assert (repo / "app-upgrade-config.json").read_bytes() == before


def test_a_bad_is_prerelease_value_is_a_usage_error(repo: Path) -> None:
    code, out = cli(repo, "sync", "--tag", "v2.1.7", "--is-prerelease", "yes")
    assert code == 2
    assert "'true' or 'false'" in out


def test_errors_exit_one_with_the_file_and_line(repo: Path) -> None:
    code, out = cli(repo, "sync", "--tag", "v3.0.0-rc.1", "--dry-run", "--skip-release-checks")
    assert code == 1
    assert "error: config/app-upgrade-segments.json:" in out
    assert "no upgrade segment matches 3.0.0" in out


def test_errors_are_annotations_inside_actions(repo: Path, tmp_path: Path) -> None:
    (repo / "app-upgrade-config.json").write_text('{"versions": {"2.1": {}}}\n', encoding="utf-8")
    environ = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_ACTIONS": "true"}
    code, out = cli(repo, "sync", "--tag", "v2.1.7", environ=environ)
    assert code == 1
    assert "::error file=app-upgrade-config.json,line=1,col=15::/versions/2.1: key " in out


def test_a_primary_that_is_not_ready_fails(repo: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{GH}/v2.1.7/latest.yml", status_code=404)
    code, out = cli(repo, "sync", "--tag", "v2.1.7")
    assert code == 1
    assert "feed URLs are not ready for 2.1.7 (latest)" in out
    assert (repo / "app-upgrade-config.json").read_bytes() == EXAMPLE_CONFIG.read_bytes()


def test_a_missing_file_is_an_error_that_names_the_file_once(repo: Path) -> None:
    (repo / "config" / "app-upgrade-segments.json").unlink()
    code, out = cli(repo, "sync", "--tag", "v2.1.7", "--dry-run", "--skip-release-checks")
    assert (code, out) == (1, "error: config/app-upgrade-segments.json: file does not exist\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"versions": {', "::error file=app-upgrade-config.json,line=1,col=15::not valid JSON: "),
        (b'{"x": "\xff"}', "::error file=app-upgrade-config.json::not UTF-8 text: "),
    ],
)
def test_unreadable_files_are_annotated_on_the_file_without_repeating_it(
    repo: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    (repo / "app-upgrade-config.json").write_bytes(content)
    environ = {"GITHUB_OUTPUT": str(tmp_path / "out")}
    code, out = cli(
        repo, "sync", "--tag", "v2.1.7", "--dry-run", "--skip-release-checks", environ=environ
    )
    assert code == 1
    assert out.startswith(message), out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--current-version", "1.6.3"],
            {"version": "1.7.23", "channel": "latest", "feedUrl": f"{GH}/v1.7.23"},
        ),
        (
            ["--current-version", "v1.7.5"],
            {"version": "2.0.0", "channel": "latest", "feedUrl": f"{GH}/v2.0.0"},
        ),
        (
            ["--current-version", "2.0.0", "--channel", "rc", "--mirror", "gitcode"],
            {"version": "2.2.0-rc.1", "channel": "rc", "feedUrl": f"{GH}/v2.2.0-rc.1"},
        ),
        (  # the deployed client never looks at rc for a beta tester
            ["--current-version", "2.1.0", "--channel", "beta"],
            {"version": "2.2.0-beta.3", "channel": "beta", "feedUrl": f"{GH}/v2.2.0-beta.3"},
        ),
        (
            ["--current-version", "2.1.0", "--channel", "beta", "--matcher", "recommended"],
            {"version": "2.2.0-rc.1", "channel": "rc", "feedUrl": f"{GH}/v2.2.0-rc.1"},
        ),
        (
            ["--current-version", "1.7.23", "--mirror", "gitcode"],
            {"version": "2.0.0", "channel": "latest", "feedUrl": f"{GC}/v2.0.0"},
        ),
    ],
)
def test_resolve_walks_the_upgrade_path(
    repo: Path, argv: list[str], expected: dict[str, str]
) -> None:
    code, out = cli(repo, "resolve", *argv)
    assert code == 0, out
    assert json.loads(out) == expected


def test_resolve_prints_null_when_nothing_is_offered(repo: Path) -> None:
    code, out = cli(repo, "resolve", "--current-version", "0.9.0")
    assert (code, out.strip()) == (0, "null")


def test_resolve_fails_where_the_deployed_client_throws(repo: Path, tmp_path: Path) -> None:
    config = json.loads((repo / "app-upgrade-config.json").read_text())
    del config["versions"]["2.1.6"]["channels"]["rc"]
    (repo / "app-upgrade-config.json").write_text(json.dumps(config, indent=2) + "\n")
    environ = {"GITHUB_OUTPUT": str(tmp_path / "out")}
    code, out = cli(
        repo, "resolve", "--current-version", "2.0.0", "--channel", "rc", environ=environ
    )
    assert code == 1
    assert out.startswith("::error file=app-upgrade-config.json,line="), out
    assert "entry 2.1.6 has no channels.rc key" in out and "Traceback" not in out
    code, out = cli(
        repo, "resolve", "--current-version", "2.0.0", "--channel", "rc", "--matcher", "recommended"
    )
    assert (code, json.loads(out)["version"]) == (0, "2.1.6")


def test_resolve_refuses_a_bad_version_and_an_unknown_mirror(repo: Path) -> None:
    assert cli(repo, "resolve", "--current-version", "latest")[0] == 2
    code, out = cli(repo, "resolve", "--current-version", "1.6.0", "--mirror", "s3")
    assert code == 2 and "no feed URL for mirror 's3'" in out
    assert cli(repo, "resolve", "--current-version", "1.6.0", "--channel", "nightly")[0] == 2


def test_validate_passes_the_examples_and_fails_a_broken_file(repo: Path) -> None:
    code, out = cli(
        repo,
        "validate",
        "--config",
        "app-upgrade-config.json",
        "--segments",
        "config/app-upgrade-segments.json",
    )
    assert code == 0, out
    assert "valid" in out
    config = example_config()
    config["versions"]["2.0.0"]["channels"]["nightly"] = None
    del config["versions"]["1.7.23"]["minCompatibleVersion"]
    (repo / "app-upgrade-config.json").write_text(dump(config), encoding="utf-8")
    code, out = cli(repo, "validate", "--config", "app-upgrade-config.json")
    assert code == 1
    assert 'unknown key "nightly"' in out
    assert 'is missing "minCompatibleVersion"' in out
    assert "2 problem(s) in app-upgrade-config.json" in out


def test_validate_needs_a_file(repo: Path) -> None:
    assert cli(repo, "validate")[0] == 2


def test_a_feed_host_that_cannot_be_reached_is_a_network_error(
    repo: Path, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_exception(
        httpx.ConnectError("[Errno -2] Name or service not known"), is_reusable=True
    )
    code, out = cli(repo, "sync", "--tag", "v2.1.7")
    assert code == 1
    assert out.startswith(
        f"error: network error: cannot fetch {GH}/v2.1.7/latest.yml: "
        "[Errno -2] Name or service not known (probing the feed URLs for 2.1.7 (latest);"
    )
    assert "not ready" not in out


def test_sync_starts_a_config_file_that_does_not_exist_yet(
    repo: Path, httpx_mock: HTTPXMock
) -> None:
    """As the action does on a config branch without the file."""
    feeds_ready(httpx_mock, "v2.1.7")
    (repo / "app-upgrade-config.json").unlink()
    code, out = cli(repo, "sync", "--tag", "v2.1.7")
    assert code == 0, out
    assert out.startswith("Created app-upgrade-config.json: latest of entry 2.1.7")
    written = json.loads((repo / "app-upgrade-config.json").read_text(encoding="utf-8"))
    assert list(written["versions"]) == ["2.1.7"]
