from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

from release_actions.errors import NetworkError, ReleaseActionsError
from release_actions.upgrade_config.feeds import (
    HttpProber,
    ProbeResult,
    plan_feeds,
    render_template,
    resolve_feeds,
)
from release_actions.upgrade_config.model import Mirror, Segment
from release_actions.upgrade_config.segments import build_segments_file
from release_actions.upgrade_config.tags import parse_release_tag

from .helpers import GC, GH, RecordingProber, example_segments

MODEL = build_segments_file(example_segments())
SEGMENTS = {segment.id: segment for segment in MODEL.segments}


@pytest.mark.parametrize(
    "template",
    [
        "https://x/{{tag}}/{{version}}",
        "https://x/{{ tag }}/{{  Version }}",
        "https://x/{{TAG}}/{{VERSION }}",
    ],
)
def test_templates_are_case_and_whitespace_insensitive(template: str) -> None:
    assert (
        render_template(template, {"tag": "v2.1.0", "version": "2.1.0"}) == "https://x/v2.1.0/2.1.0"
    )


def test_a_template_without_placeholders_is_used_verbatim() -> None:
    assert render_template("https://releases.example", {"tag": "v1"}) == "https://releases.example"


def urls(segment: str, tag: str) -> list[tuple[str, str, bool]]:
    release = parse_release_tag(tag)
    return [
        (c.mirror.name, c.url, c.probe)
        for c in plan_feeds(MODEL.mirrors, SEGMENTS[segment], release)
    ]


def test_each_mirror_renders_its_template_with_the_tag_as_given() -> None:
    assert urls("current-v2", "V2.1.7") == [
        ("github", f"{GH}/V2.1.7", True),
        ("gitcode", f"{GC}/V2.1.7", True),
    ]


def test_a_segment_channel_template_overrides_the_mirror_template() -> None:
    assert urls("legacy-v1", "v1.7.24") == [
        ("github", f"{GH}/v1.7.24", True),
        ("gitcode", "https://releases.cherry-ai.com", True),
    ]


def test_a_mirror_without_prereleases_borrows_the_primary_url_and_is_not_probed() -> None:
    assert urls("current-v2", "v2.2.0-rc.1") == [
        ("github", f"{GH}/v2.2.0-rc.1", True),
        ("gitcode", f"{GH}/v2.2.0-rc.1", False),
    ]


def test_a_missing_template_is_an_error_naming_mirror_and_channel() -> None:
    segment = Segment(id="s", match=SEGMENTS["current-v2"].match, min_compatible_version="1.0.0")
    with pytest.raises(
        ReleaseActionsError, match="no feed template for mirror github on channel rc"
    ):
        plan_feeds((Mirror("github"),), segment, parse_release_tag("v2.1.0-rc.1"))


def resolve(
    tag: str, prober: RecordingProber, segment: str = "current-v2"
) -> tuple[dict[str, str], bool]:
    release = parse_release_tag(tag)
    resolved = resolve_feeds(plan_feeds(MODEL.mirrors, SEGMENTS[segment], release), release, prober)
    return resolved.urls, resolved.fallback_used


def test_probes_fetch_the_channel_manifest_electron_updater_reads() -> None:
    prober = RecordingProber()
    assert resolve("v2.1.7", prober) == (
        {"github": f"{GH}/v2.1.7", "gitcode": f"{GC}/v2.1.7"},
        False,
    )
    assert prober.asked == [f"{GH}/v2.1.7/latest.yml", f"{GC}/v2.1.7/latest.yml"]
    prober = RecordingProber()
    resolve("v2.2.0-beta.1", prober)
    assert prober.asked == [f"{GH}/v2.2.0-beta.1/beta.yml"]


def test_probe_file_names_are_configurable_per_mirror() -> None:
    mirrors = (
        Mirror(
            "github", "https://dl/{{tag}}", probe_files=("{{channel}}.yml", "{{channel}}-mac.yml")
        ),
    )
    release = parse_release_tag("v2.1.0-rc.1")
    prober = RecordingProber()
    resolve_feeds(plan_feeds(mirrors, SEGMENTS["current-v2"], release), release, prober)
    assert prober.asked == ["https://dl/v2.1.0-rc.1/rc.yml", "https://dl/v2.1.0-rc.1/rc-mac.yml"]


def test_a_primary_that_is_not_ready_fails_with_the_url() -> None:
    with pytest.raises(ReleaseActionsError) as caught:
        resolve("v2.1.7", RecordingProber("github.com"))
    assert "feed URLs are not ready" in caught.value.message
    assert f"{GH}/v2.1.7/latest.yml answered HTTP 404" in caught.value.message


def test_a_secondary_that_is_not_ready_takes_its_fallback_and_says_so() -> None:
    assert resolve("v2.1.7", RecordingProber("gitcode.com")) == (
        {"github": f"{GH}/v2.1.7", "gitcode": "https://releases.cherry-ai.com"},
        True,
    )


def test_a_secondary_without_fallback_that_is_not_ready_is_an_error() -> None:
    mirrors = (Mirror("a", "https://a/{{tag}}"), Mirror("b", "https://b/{{tag}}"))
    release = parse_release_tag("v2.1.0")
    with pytest.raises(ReleaseActionsError, match=r"https://b/v2.1.0/latest.yml answered HTTP 404"):
        resolve_feeds(
            plan_feeds(mirrors, SEGMENTS["current-v2"], release),
            release,
            RecordingProber("https://b/"),
        )


def test_without_a_prober_nothing_is_probed() -> None:
    release = parse_release_tag("v2.1.7")
    resolved = resolve_feeds(
        plan_feeds(MODEL.mirrors, SEGMENTS["current-v2"], release), release, None
    )
    assert resolved.urls["gitcode"] == f"{GC}/v2.1.7"


def test_http_prober_reads_2xx_as_ready_and_anything_else_as_not(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://dl.example/ok/latest.yml", text="version: 2.1.0\n")
    httpx_mock.add_response(url="https://dl.example/missing/latest.yml", status_code=404)
    with httpx.Client() as client:
        prober = HttpProber(client, attempts=1)
        assert prober("https://dl.example/ok/latest.yml") == ProbeResult(True, "HTTP 200")
        assert prober("https://dl.example/missing/latest.yml") == ProbeResult(False, "HTTP 404")


def test_http_prober_retries_server_errors_then_reports_them(httpx_mock: HTTPXMock) -> None:
    for _ in range(2):
        httpx_mock.add_response(url="https://dl.example/flaky/latest.yml", status_code=503)
    httpx_mock.add_response(url="https://dl.example/flaky/latest.yml", text="ok")
    with httpx.Client() as client:
        waits: list[float] = []
        assert HttpProber(client, attempts=3, sleep=waits.append)(
            "https://dl.example/flaky/latest.yml"
        ).ready
    assert len(waits) == 2 and waits[1] > waits[0] * 0.9  # backoff between the tries


def test_http_prober_tells_a_network_error_from_not_ready(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), is_reusable=True)
    with httpx.Client() as client:
        result = HttpProber(client, attempts=2, sleep=lambda _: None)(
            "https://dl.example/down/latest.yml"
        )
    assert (result.ready, result.unreachable) == (False, True)
    assert result.detail == (
        "network error: cannot fetch https://dl.example/down/latest.yml: refused"
    )
    assert len(httpx_mock.get_requests()) == 2


def test_a_primary_that_cannot_be_reached_is_a_network_error_not_a_mirror_not_ready() -> None:
    """A DNS failure is not "the mirrors have not finished syncing"."""
    detail = (
        "network error: cannot fetch https://github.com/x: [Errno -2] Name or service not known"
    )

    def unreachable(url: str) -> ProbeResult:
        return ProbeResult(False, detail, unreachable=True)

    with pytest.raises(NetworkError) as caught:
        resolve("v2.1.7", unreachable)
    assert caught.value.message.startswith(detail + " (probing the feed URLs for 2.1.7 (latest)")
    assert "not ready" not in caught.value.message
