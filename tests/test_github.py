"""The GitHub adapter, driven through PyGithub against the fake GitHub over real sockets."""

from __future__ import annotations

import hashlib
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from release_actions.context import Workflow
from release_actions.errors import GitHubError
from release_actions.github import MAX_WAIT_PER_REQUEST, GitHub
from support.fake_github import FakeGitHub, github_for

RELEASES = r"/repos/octo/charts/releases$"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def statuses(fake: FakeGitHub, method: str, path_regex: str) -> list[int]:
    return [request.status for request in fake.requests_to(method, path_regex)]


# releases and assets


def test_release_asset_round_trip(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 300
    release = github_client.create_release(
        "app-1.2.0", name="app 1.2.0", body="notes", prerelease=False, make_latest=True
    )
    asset = github_client.upload_asset(
        release, write(tmp_path, "app-1.2.0.tgz", data), content_type="application/gzip"
    )

    assert asset.name == "app-1.2.0.tgz"
    assert asset.size == len(data)
    assert asset.digest == "sha256:" + hashlib.sha256(data).hexdigest()
    assert github_client.download_asset(asset) == data
    assert fake_github.release("app-1.2.0") is not None
    assert fake_github.release("app-1.2.0").assets[0].content_type == "application/gzip"  # type: ignore[union-attr]
    again = github_client.release_by_tag("app-1.2.0")
    assert again is not None
    assert (again.id, again.name, again.body, again.assets) == (
        release.id,
        "app 1.2.0",
        "notes",
        (asset,),
    )
    assert again.html_url == f"{fake_github.server_url}/octo/charts/releases/tag/app-1.2.0"


def test_a_missing_release_is_none(github_client: GitHub) -> None:
    assert github_client.release_by_tag("v9.9.9") is None
    assert github_client.latest_release() is None


def test_draft_releases_are_found_by_id_and_by_listing(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    """``GET /releases/tags/{tag}`` answers only published releases; drafts need another way."""
    draft = fake_github.add_release("v1.3.0", body="draft notes", draft=True)
    for number in range(120):  # the draft ends up on the second page of the newest-first list
        fake_github.add_release(f"v0.{number}.0")
    assert github_client.release_by_tag("v1.3.0") is None

    by_id = github_client.release_by_id(draft.id)
    assert by_id is not None and (by_id.tag, by_id.body, by_id.draft) == (
        "v1.3.0",
        "draft notes",
        True,
    )
    assert github_client.release_by_id(999_999) is None
    listed = github_client.release_by_tag_with_drafts("v1.3.0")
    assert listed == by_id
    assert github_client.release_by_tag_with_drafts("v9.9.9") is None

    updated = github_client.update_release_body(listed, "new notes")
    assert (updated.draft, draft.draft, draft.body) == (True, True, "new notes")


def test_a_published_release_is_found_without_listing(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    fake_github.add_release("v1.3.0", draft=True)
    published = fake_github.add_release("v1.2.0", body="published")
    found = github_client.release_by_tag_with_drafts("v1.2.0")
    assert found is not None and (found.id, found.draft) == (published.id, False)
    assert fake_github.requests_to("GET", RELEASES) == []


def test_latest_release_skips_prereleases_and_releases_not_made_latest(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    github_client.create_release("v1.0.0", name="", body="", prerelease=False, make_latest=True)
    github_client.create_release("v2.0.0-rc.1", name="", body="", prerelease=True, make_latest=True)
    github_client.create_release("v0.9.1", name="", body="", prerelease=False, make_latest=False)

    latest = github_client.latest_release()

    assert latest is not None
    assert latest.tag == "v1.0.0"
    assert fake_github.release("v2.0.0-rc.1").prerelease  # type: ignore[union-attr]


def test_creating_a_release_that_exists_returns_the_existing_one(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    first = fake_github.add_release("v1.0.0", body="from the first run")

    release = github_client.create_release(
        "v1.0.0", name="v1.0.0", body="from a racing run", prerelease=False, make_latest=True
    )

    assert (release.id, release.body) == (first.id, "from the first run")
    assert len(fake_github.releases) == 1


def test_release_creation_is_retried_after_bad_gateways(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    fake_github.inject("POST", RELEASES, 502, count=2)

    release = github_client.create_release(
        "v1.0.0", name="v1.0.0", body="", prerelease=False, make_latest=True
    )

    assert release.tag == "v1.0.0"
    assert statuses(fake_github, "POST", RELEASES) == [502, 502, 201]
    assert len(fake_github.releases) == 1


def test_a_create_whose_answer_was_lost_is_not_repeated(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    fake_github.inject("POST", RELEASES, 504, after_handling=True)

    release = github_client.create_release(
        "v1.0.0", name="v1.0.0", body="", prerelease=False, make_latest=True
    )

    assert statuses(fake_github, "POST", RELEASES) == [504, 422]
    assert [r.id for r in fake_github.releases] == [release.id]


def test_racing_runs_end_with_one_release(fake_github: FakeGitHub) -> None:
    def run() -> int:
        with github_for(fake_github) as client:
            release = client.create_release(
                "v1.0.0", name="v1.0.0", body="", prerelease=False, make_latest=True
            )
            return release.id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda _: run(), range(4)))

    assert len(fake_github.releases) == 1
    assert set(ids) == {fake_github.releases[0].id}
    assert sorted(statuses(fake_github, "POST", RELEASES)) == [201, 422, 422, 422]


def test_a_prerelease_is_never_asked_to_be_latest(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    # GitHub answers make_latest=true on a prerelease with 422 "Latest release cannot be draft
    # or prerelease": the caller's wish for "latest" must not reach it for a prerelease.
    release = github_client.create_release(
        "v2.0.0-rc.1", name="", body="", prerelease=True, make_latest=True
    )
    assert release.prerelease
    assert statuses(fake_github, "POST", RELEASES) == [201]
    assert fake_github.latest_release() is None


@pytest.mark.parametrize(
    ("status", "retry_after", "waits"),
    [
        (403, None, [60.0]),  # GitHub's guidance: at least a minute when it names no wait
        (429, None, [60.0]),
        (403, 7, [7.0]),
        (429, 7, [7.0]),
    ],
)
def test_secondary_rate_limits_pause_as_github_asks(
    fake_github: FakeGitHub, status: int, retry_after: int | None, waits: list[float]
) -> None:
    fake_github.add_release("v1.0.0")
    fake_github.secondary_rate_limit(
        "GET", "/releases/latest$", status=status, retry_after=retry_after
    )

    with github_for(fake_github) as client:
        latest = client.latest_release()

    assert latest is not None
    assert statuses(fake_github, "GET", "/releases/latest$") == [status, 200]
    assert fake_github.clock.sleeps == waits


@pytest.mark.parametrize("status", [403, 429])
def test_the_primary_rate_limit_is_waited_out_until_its_reset(
    fake_github: FakeGitHub, status: int
) -> None:
    fake_github.add_release("v1.0.0")
    fake_github.exhaust_rate_limit(reset_in=30, status=status)

    with github_for(fake_github) as client:
        latest = client.latest_release()

    assert latest is not None
    assert statuses(fake_github, "GET", "/releases/latest$") == [status, 200]
    assert fake_github.clock.sleeps == [31.0]  # to the reset, and a second for its rounding


def test_a_primary_rate_limit_that_resets_too_late_fails_saying_when_to_retry(
    fake_github: FakeGitHub,
) -> None:
    fake_github.exhaust_rate_limit(reset_in=2 * 3600)
    reset = int(fake_github.clock.now()) + 2 * 3600

    with github_for(fake_github) as client, pytest.raises(GitHubError) as caught:
        client.latest_release()

    when = datetime.fromtimestamp(reset + 1, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert str(caught.value) == (
        "reading the latest release failed: HTTP 403: GitHub's rate limit asks to wait "
        f"2 h 1 s, more than the 5 min one request may wait in all; retry after {when}"
    )
    assert fake_github.clock.sleeps == []
    assert statuses(fake_github, "GET", "/releases/latest$") == [403]


def test_a_retry_after_beyond_the_cap_fails_at_once_instead_of_waiting_for_ever(
    fake_github: FakeGitHub,
) -> None:
    fake_github.secondary_rate_limit("GET", "/releases/latest$", status=429, retry_after=100000)

    with github_for(fake_github) as client, pytest.raises(GitHubError) as caught:
        client.latest_release()

    assert "asks to wait 27 h 46 min 40 s, more than the 5 min" in str(caught.value)
    assert "retry after 20" in str(caught.value)
    assert fake_github.clock.sleeps == []


def test_the_cap_is_on_the_total_wait_of_one_request(fake_github: FakeGitHub) -> None:
    assert MAX_WAIT_PER_REQUEST == 300
    fake_github.secondary_rate_limit("GET", "/releases/latest$", count=3, retry_after=120)

    with github_for(fake_github) as client, pytest.raises(GitHubError, match="retry after"):
        client.latest_release()

    assert fake_github.clock.sleeps == [120.0, 120.0]  # a third would make 360 s
    # the next request starts with a whole budget
    fake_github.add_release("v1.0.0")
    fake_github.secondary_rate_limit("GET", "/releases/latest$", count=2, retry_after=120)
    with github_for(fake_github) as client:
        assert client.latest_release() is not None
    assert fake_github.clock.sleeps == [120.0, 120.0, 120.0, 120.0]


@pytest.mark.parametrize(
    ("status", "headers"),
    [(403, {}), (403, {"Retry-After": "0"}), (429, {}), (429, {"Retry-After": "0"})],
)
def test_secondary_rate_limits_are_waited_out(
    github_client: GitHub, fake_github: FakeGitHub, status: int, headers: dict[str, str]
) -> None:
    fake_github.add_release("v1.0.0")
    fake_github.inject("GET", "/releases/latest$", status, count=2, headers=headers)

    latest = github_client.latest_release()

    assert latest is not None
    assert statuses(fake_github, "GET", "/releases/latest$") == [status, status, 200]


def test_a_server_that_keeps_failing_gives_a_one_line_error_without_the_token(
    fake_github: FakeGitHub,
) -> None:
    body = {"message": f"Server Error\nwhile checking token {fake_github.token}"}
    fake_github.inject("POST", RELEASES, 500, count=100, body=body)

    with github_for(fake_github, retries=2) as client, pytest.raises(GitHubError) as caught:
        client.create_release("v1.0.0", name="", body="", prerelease=False, make_latest=True)

    assert str(caught.value) == "creating release v1.0.0 failed: HTTP 500: Server Error"
    assert fake_github.token not in str(caught.value)
    assert statuses(fake_github, "POST", RELEASES) == [500, 500, 500]
    assert fake_github.releases == []


def test_the_token_is_scrubbed_from_error_messages(fake_github: FakeGitHub) -> None:
    body = {"message": f"token {fake_github.token} is not allowed here"}
    fake_github.inject("GET", "/releases/latest$", 404, body=body)

    with github_for(fake_github) as client, pytest.raises(GitHubError) as caught:
        client.latest_release()

    assert (
        str(caught.value)
        == "reading the latest release failed: HTTP 404: token *** is not allowed here"
    )


def test_a_permission_error_is_not_retried(fake_github: FakeGitHub) -> None:
    body = {"message": "Resource not accessible by integration"}
    fake_github.inject("POST", RELEASES, 403, count=10, body=body)

    with github_for(fake_github) as client, pytest.raises(GitHubError) as caught:
        client.create_release("v1.0.0", name="", body="", prerelease=False, make_latest=True)

    assert "HTTP 403: Resource not accessible by integration" in str(caught.value)
    assert statuses(fake_github, "POST", RELEASES) == [403]


def test_a_wrong_token_is_reported_as_bad_credentials(fake_github: FakeGitHub) -> None:
    client = GitHub("not-the-token", api_url=fake_github.api_url, repository=fake_github.repository)
    with client, pytest.raises(GitHubError, match="HTTP 401: Bad credentials"):
        client.create_release("v1.0.0", name="", body="", prerelease=False, make_latest=True)
    assert fake_github.releases == []


def test_an_unreachable_api_is_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = GitHub("ghs_secret", api_url=f"http://127.0.0.1:{port}", repository="o/r", retries=1)
    with client, pytest.raises(GitHubError) as caught:
        client.latest_release()
    assert str(caught.value) == (
        f"reading the latest release failed: cannot talk to http://127.0.0.1:{port}: "
        "[Errno 111] Connection refused"
    )


def test_update_release_body_keeps_everything_else(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    release = github_client.create_release(
        "v2.0.0-rc.1", name="RC 1", body="old", prerelease=True, make_latest=False
    )

    updated = github_client.update_release_body(release, "new")

    assert (updated.body, updated.name, updated.prerelease, updated.tag) == (
        "new",
        "RC 1",
        True,
        "v2.0.0-rc.1",
    )
    assert fake_github.release("v2.0.0-rc.1").body == "new"  # type: ignore[union-attr]


def test_uploading_the_same_asset_again_returns_it(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    path = write(tmp_path, "index.yaml", b"apiVersion: v1\n")
    first = github_client.upload_asset(release, path, content_type="text/yaml")

    assert github_client.upload_asset(release, path, content_type="text/yaml") == first

    path.write_bytes(b"apiVersion: v2\n")
    with pytest.raises(GitHubError, match=r"index\.yaml with different content"):
        github_client.upload_asset(release, path, content_type="text/yaml")
    assert len(fake_github.release("v1.0.0").assets) == 1  # type: ignore[union-attr]


def test_an_upload_is_retried_with_the_whole_file(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    data = b"chart bytes " * 5000
    fake_github.inject("POST", "/assets$", 502)

    asset = github_client.upload_asset(
        release, write(tmp_path, "chart.tgz", data), content_type="application/gzip"
    )

    assert statuses(fake_github, "POST", "/assets$") == [502, 201]
    assert fake_github.release("v1.0.0").assets[0].data == data  # type: ignore[union-attr]
    assert github_client.download_asset(asset) == data


def test_an_upload_broken_off_by_a_bad_gateway_deletes_its_starter_asset_and_retries(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    data = b"chart bytes " * 5000
    fake_github.interrupt_uploads()

    asset = github_client.upload_asset(
        release, write(tmp_path, "chart.tgz", data), content_type="application/gzip"
    )

    # 502 leaves a starter asset; the retry is refused (the name is taken) until it is deleted
    assert statuses(fake_github, "POST", "/assets$") == [502, 422, 201]
    assert statuses(fake_github, "DELETE", "/releases/assets/") == [204]
    [stored] = fake_github.release("v1.0.0").assets  # type: ignore[union-attr]
    assert (stored.state, stored.data, stored.id) == ("uploaded", data, asset.id)
    assert github_client.download_asset(asset) == data


def test_uploads_that_keep_breaking_off_give_up(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    fake_github.interrupt_uploads(100)
    with pytest.raises(GitHubError, match=r"chart\.tgz to release v1\.0\.0 broke off 3 times"):
        github_client.upload_asset(
            release, write(tmp_path, "chart.tgz", b"x"), content_type="application/gzip"
        )
    assert statuses(fake_github, "POST", "/assets$") == [502, 422] * 3
    assert fake_github.release("v1.0.0").assets == []  # type: ignore[union-attr]


def test_uploads_go_to_the_uploads_host_named_by_upload_url(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    github_client.upload_asset(release, write(tmp_path, "a.tgz", b"a"), content_type="x/y")
    # the API host does not serve uploads, so the answer above came from uploads.127.0.0.1
    with socket.create_connection(("127.0.0.1", fake_github.port)) as direct:
        direct.sendall(
            f"POST /repos/octo/charts/releases/{release.id}/assets?name=b.tgz HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: token {fake_github.token}\r\n"
            "Content-Length: 1\r\nConnection: close\r\n\r\nb".encode()
        )
        answer = direct.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 404"), answer
    fake_github.unhandled.clear()


def test_drafts_are_found_only_with_push_access(fake_github: FakeGitHub) -> None:
    draft = fake_github.add_release("v2.0.0", draft=True)
    with github_for(fake_github) as pusher:
        found = pusher.release_by_tag_with_drafts("v2.0.0")
        assert found is not None and found.id == draft.id
    with github_for(fake_github, token=fake_github.read_token) as reader:
        assert reader.release_by_tag_with_drafts("v2.0.0") is None
        assert reader.release_by_id(draft.id) is None


def test_a_download_that_does_not_match_the_digest_fails(
    github_client: GitHub, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    release = github_client.create_release(
        "v1.0.0", name="", body="", prerelease=False, make_latest=True
    )
    asset = github_client.upload_asset(
        release, write(tmp_path, "chart.tgz", b"original"), content_type="application/gzip"
    )
    fake_github.release("v1.0.0").assets[0].data = b"tampered"  # type: ignore[union-attr]

    with pytest.raises(GitHubError, match=r"chart\.tgz downloaded with a different digest"):
        github_client.download_asset(asset)


# pull requests and labels


def test_create_or_update_pull_keeps_one_pull_request(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    args = {"head": "release/upgrade-config", "base": "main", "title": "Update feed"}

    created, first = github_client.create_or_update_pull(**args, body="v1")
    same, second = github_client.create_or_update_pull(**args, body="v1")
    changed, third = github_client.create_or_update_pull(**args, body="v2")

    assert (first, second, third) == ("created", "unchanged", "updated")
    assert created.number == same.number == changed.number == 1
    assert (changed.head, changed.base, changed.body) == ("release/upgrade-config", "main", "v2")
    assert len(fake_github.pulls) == 1
    assert fake_github.pull(1).body == "v2"
    assert statuses(fake_github, "POST", "/pulls$") == [201]
    assert statuses(fake_github, "PATCH", "/pulls/1$") == [200]


def test_a_pull_request_opened_by_a_racing_run_is_updated(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    fake_github.add_pull("bump", title="Bump", body="theirs")
    fake_github.inject("GET", "/pulls$", 200, body=[])  # our look-up happened before theirs

    pull, operation = github_client.create_or_update_pull(
        head="bump", base="main", title="Bump", body="ours"
    )

    assert (pull.number, operation) == (1, "updated")
    assert statuses(fake_github, "POST", "/pulls$") == [422]
    assert len(fake_github.pulls) == 1


def test_find_open_pull_matches_branch_and_base_only(
    github_client: GitHub, fake_github: FakeGitHub
) -> None:
    fake_github.add_pull("other")
    fake_github.add_pull("feature", base="release-1.x")
    fake_github.add_pull("feature", state="closed")
    wanted = fake_github.add_pull("feature", labels=["bug"])

    found = github_client.find_open_pull("feature", "main")

    assert found is not None
    assert (found.number, found.labels) == (wanted.number, ("bug",))
    assert github_client.find_open_pull("nothing-here") is None
    assert github_client.find_open_pull("feature") is not None


def test_labels_are_added_and_read_live(github_client: GitHub, fake_github: FakeGitHub) -> None:
    fake_github.add_pull("feature", labels=["bug"])

    github_client.add_labels(1, ["release", "Bug"])
    github_client.add_labels(1, [])

    assert github_client.pull_labels(1) == ["bug", "release"]
    fake_github.set_labels(1, ["skip-changelog"])
    assert github_client.pull_labels(1) == ["skip-changelog"]
    assert len(fake_github.requests_to("POST", "/labels$")) == 1


def test_pull_files_follow_pagination(github_client: GitHub, fake_github: FakeGitHub) -> None:
    files = [f"charts/app/templates/file-{n:03}.yaml" for n in range(250)]
    fake_github.add_pull("feature", files=files)

    assert github_client.pull_files(1) == files
    assert len(fake_github.requests_to("GET", "/pulls/1/files$")) == 3


# where the API is


def test_github_enterprise_api_url_with_a_path_prefix(tmp_path: Path) -> None:
    with FakeGitHub(prefix="/api/v3") as fake, github_for(fake) as client:
        release = client.create_release(
            "v1.0.0", name="", body="", prerelease=False, make_latest=True
        )
        asset = client.upload_asset(
            release, write(tmp_path, "a.tgz", b"ghe"), content_type="application/gzip"
        )
        assert client.download_asset(asset) == b"ghe"
        assert client.create_or_update_pull(head="b", base="main", title="t", body="")[1] == (
            "created"
        )
        client.add_labels(1, ["x"])
        assert client.pull_labels(1) == ["x"]
    fake.assert_healthy()
    assert {r.path.split("/")[2] for r in fake.requests} == {"v3", "uploads"}


def test_from_workflow_uses_the_workflow_api_url_and_repository(fake_github: FakeGitHub) -> None:
    fake_github.add_release("v1.0.0")
    workflow = Workflow(api_url=fake_github.api_url, repository=fake_github.repository)

    with GitHub.from_workflow(fake_github.token, workflow) as client:
        assert client.release_by_tag("v1.0.0") is not None


@pytest.mark.parametrize("repository", ["", "octo", "octo/charts/extra", "octo/ charts"])
def test_a_malformed_repository_is_refused(repository: str) -> None:
    with pytest.raises(GitHubError, match="must be 'owner/name'"):
        GitHub("t", api_url="https://api.github.com", repository=repository)


def test_generated_notes_are_requested_from_github(github_client: GitHub) -> None:
    release = github_client.create_release(
        "hami-2.0.0",
        name="hami-2.0.0",
        body="Chart notes",
        prerelease=False,
        make_latest=False,
        generate_notes=True,
    )
    assert release.body.startswith("Chart notes\n\n## What's Changed")
    plain = github_client.create_release(
        "hami-2.0.1", name="hami-2.0.1", body="Only this", prerelease=False, make_latest=False
    )
    assert plain.body == "Only this"
