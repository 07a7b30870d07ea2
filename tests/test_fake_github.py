"""The fake GitHub itself, over raw HTTP: the bench other tests stand on must be right."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from github import Auth, Github

from support.fake_github import LATEST_CANNOT_BE_PRERELEASE, SECONDARY_RATE_LIMIT, FakeGitHub

REPO = "/repos/octo/charts"


@pytest.fixture
def api(fake_github: FakeGitHub) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"token {fake_github.token}"}
    with httpx.Client(base_url=fake_github.api_url, headers=headers) as client:
        yield client


def urls_in(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [url for value in data.values() for url in urls_in(value)]
    if isinstance(data, list):
        return [url for value in data for url in urls_in(value)]
    return [data] if isinstance(data, str) and data.startswith("http") else []


def test_writes_need_the_token(fake_github: FakeGitHub) -> None:
    with httpx.Client(base_url=fake_github.api_url) as anonymous:
        assert anonymous.get(REPO).status_code == 200
        missing = anonymous.post(f"{REPO}/releases", json={"tag_name": "v1"})
        wrong = anonymous.post(
            f"{REPO}/releases", json={"tag_name": "v1"}, headers={"Authorization": "token nope"}
        )
        bearer = anonymous.post(
            f"{REPO}/releases",
            json={"tag_name": "v1"},
            headers={"Authorization": f"Bearer {fake_github.token}"},
        )

    assert (missing.status_code, missing.json()["message"]) == (401, "Requires authentication")
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
    assert bearer.status_code == 201
    assert [r.status for r in fake_github.requests] == [200, 401, 401, 201]


def test_unknown_routes_are_404_and_remembered() -> None:
    with FakeGitHub() as fake, httpx.Client(base_url=fake.api_url) as client:
        response = client.get(f"{REPO}/contents/README.md")
        other_repo = client.get("/repos/someone/else/releases")

    assert (response.status_code, response.json()["message"]) == (404, "Not Found")
    assert other_repo.status_code == 404
    assert fake.unhandled == [("GET", f"{REPO}/contents/README.md")]
    with pytest.raises(AssertionError, match="does not serve"):
        fake.assert_healthy()


def test_every_url_points_back_at_the_fake(fake_github: FakeGitHub, api: httpx.Client) -> None:
    fake_github.add_release("v1.0.0", assets={"app.tgz": b"x"})
    fake_github.add_pull("feature", labels=["bug"], files=["a.txt"])

    payloads = [
        api.get(f"{REPO}/releases/latest").json(),
        api.get(f"{REPO}/pulls/1").json(),
        api.get(f"{REPO}/pulls/1/files").json(),
        api.get(f"{REPO}/issues/1/labels").json(),
        api.get(REPO).json(),
    ]

    urls = [url for payload in payloads for url in urls_in(payload)]
    assert len(urls) > 20
    origins = (fake_github.origin + "/", fake_github.uploads_origin + "/")
    assert all(url.startswith(origins) for url in urls), urls
    uploads = [url for url in urls if url.startswith(fake_github.uploads_origin)]
    assert uploads == [  # only upload_url, on its own host as on github.com
        f"{fake_github.uploads_origin}/repos/octo/charts/releases/1001/assets{{?name,label}}"
    ]


def test_list_endpoints_paginate_with_link_headers(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    for n in range(105):
        fake_github.add_release(f"v1.0.{n}")

    first = api.get(f"{REPO}/releases", params={"per_page": 100})
    links = dict(
        (rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"])
    )
    second = api.get(links["next"])

    assert len(first.json()) == 100
    assert first.json()[0]["tag_name"] == "v1.0.104"  # newest first
    assert set(links) == {"next", "last"}
    assert links["next"].startswith(fake_github.api_url)
    assert [r["tag_name"] for r in second.json()] == [f"v1.0.{n}" for n in range(4, -1, -1)]
    assert "next" not in second.headers["Link"]
    github = Github(
        auth=Auth.Token(fake_github.token),
        base_url=fake_github.api_url,
        retry=None,
        seconds_between_requests=None,
    )
    assert github.get_repo("octo/charts").get_releases().totalCount == 105


def test_latest_honours_prereleases_drafts_and_make_latest(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    def latest() -> str | None:
        response = api.get(f"{REPO}/releases/latest")
        return response.json()["tag_name"] if response.status_code == 200 else None

    assert latest() is None
    fake_github.add_release("v0.1.0", make_latest=False)
    assert latest() == "v0.1.0"  # nothing else to be latest
    fake_github.add_release("v0.2.0")
    fake_github.add_release("v0.3.0-rc.1", prerelease=True)
    fake_github.add_release("v0.3.0", draft=True)
    api.post(f"{REPO}/releases", json={"tag_name": "v0.1.1", "make_latest": "false"})
    assert latest() == "v0.2.0"

    oldest = fake_github.release("v0.1.0")
    assert oldest is not None
    api.patch(f"{REPO}/releases/{oldest.id}", json={"make_latest": "true"})
    assert latest() == "v0.1.0"
    api.patch(f"{REPO}/releases/{oldest.id}", json={"make_latest": "false"})
    assert latest() == "v0.2.0"
    assert api.get(f"{REPO}/releases/tags/v0.3.0").status_code == 404  # drafts have no tag yet


def test_a_tag_has_one_release(fake_github: FakeGitHub, api: httpx.Client) -> None:
    assert api.post(f"{REPO}/releases", json={"tag_name": "v1.0.0"}).status_code == 201
    again = api.post(f"{REPO}/releases", json={"tag_name": "v1.0.0"})

    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"resource": "Release", "code": "already_exists", "field": "tag_name"}
    ]
    assert len(fake_github.releases) == 1


def test_faults_hit_the_next_matching_requests_only(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    fake_github.inject("GET", "/releases$", 502, count=2)
    fake_github.inject("*", "/pulls$", 403, headers={"Retry-After": "1"})

    assert api.post(f"{REPO}/releases", json={"tag_name": "v1"}).status_code == 201
    assert [api.get(f"{REPO}/releases").status_code for _ in range(3)] == [502, 502, 200]
    limited = api.get(f"{REPO}/pulls")
    assert (limited.status_code, limited.headers["Retry-After"]) == (403, "1")
    assert limited.json()["message"] == SECONDARY_RATE_LIMIT
    assert api.get(f"{REPO}/pulls").status_code == 200


def test_a_lost_answer_still_changes_state(fake_github: FakeGitHub, api: httpx.Client) -> None:
    fake_github.inject("POST", "/releases$", 504, after_handling=True)

    assert api.post(f"{REPO}/releases", json={"tag_name": "v1"}).status_code == 504
    assert [r.tag_name for r in fake_github.releases] == ["v1"]


def test_assets_upload_list_and_download(fake_github: FakeGitHub, api: httpx.Client) -> None:
    release = api.post(f"{REPO}/releases", json={"tag_name": "v1.0.0"}).json()
    upload = release["upload_url"].split("{")[0]
    chunks = iter([b"first half, ", b"second half"])  # sent with chunked transfer encoding

    uploaded = api.post(
        upload,
        params={"name": "app.tgz"},
        content=chunks,
        headers={"Content-Type": "application/gzip"},
    )
    duplicate = api.post(upload, params={"name": "app.tgz"}, content=b"again")

    asset = uploaded.json()
    assert uploaded.status_code == 201
    assert asset["size"] == len(b"first half, second half")
    assert asset["digest"] == "sha256:" + hashlib.sha256(b"first half, second half").hexdigest()
    assert fake_github.release("v1.0.0").assets[0].content_type == "application/gzip"  # type: ignore[union-attr]
    assert duplicate.json()["errors"][0]["code"] == "already_exists"
    assert api.get(f"{REPO}/releases/{release['id']}/assets").json() == [asset]
    assert api.get(asset["browser_download_url"]).content == b"first half, second half"
    binary = api.get(asset["url"], headers={"Accept": "application/octet-stream"})
    assert binary.status_code == 302
    assert api.get(binary.headers["Location"]).content == b"first half, second half"


def test_enterprise_layout_keeps_every_route_under_the_prefix() -> None:
    with FakeGitHub(prefix="/api/v3") as fake:
        fake.add_release("v1.0.0", assets={"a.tgz": b"a"})
        with httpx.Client(headers={"Authorization": f"token {fake.token}"}) as client:
            release = client.get(f"{fake.api_url}{REPO}/releases/tags/v1.0.0").json()
            asset = release["assets"][0]
            binary = client.get(asset["url"], headers={"Accept": "application/octet-stream"})
            assert client.get(f"{fake.origin}{REPO}/releases").status_code == 404
    fake.unhandled.clear()

    assert release["url"].startswith(f"{fake.origin}/api/v3/repos/")
    assert release["upload_url"].startswith(f"{fake.origin}/api/uploads/repos/")
    assert binary.headers["Location"].startswith(f"{fake.origin}/api/v3/")
    assert asset["browser_download_url"].startswith(f"{fake.origin}/octo/charts/releases/")


def test_one_open_pull_request_per_branch_pair(fake_github: FakeGitHub, api: httpx.Client) -> None:
    body = {"head": "octo:update", "base": "main", "title": "Update"}
    assert api.post(f"{REPO}/pulls", json=body).status_code == 201

    again = api.post(f"{REPO}/pulls", json={**body, "head": "update"})
    other_base = api.post(f"{REPO}/pulls", json={**body, "base": "release-1.x"})

    assert again.status_code == 422
    assert again.json()["errors"][0]["message"] == "A pull request already exists for octo:update."
    assert other_base.status_code == 201
    api.patch(f"{REPO}/pulls/1", json={"state": "closed"})
    assert api.post(f"{REPO}/pulls", json=body).status_code == 201


def test_pull_filters_mimic_github(fake_github: FakeGitHub, api: httpx.Client) -> None:
    fake_github.add_pull("feature")
    fake_github.add_pull("other", base="develop")
    fake_github.add_pull("feature", state="closed")

    def numbers(**params: str) -> list[int]:
        return [pull["number"] for pull in api.get(f"{REPO}/pulls", params=params).json()]

    assert numbers() == [2, 1]
    assert numbers(head="octo:feature") == [1]
    assert numbers(head="feature") == [2, 1]  # no "owner:": GitHub ignores the filter
    assert numbers(head="someone:feature") == []
    assert numbers(base="develop") == [2]
    assert numbers(state="all", head="octo:feature") == [3, 1]


def test_labels_are_added_case_insensitively(fake_github: FakeGitHub, api: httpx.Client) -> None:
    fake_github.add_pull("feature", labels=["bug"])

    as_list = api.post(f"{REPO}/issues/1/labels", json=["Bug", "release"])
    as_object = api.post(f"{REPO}/issues/1/labels", json={"labels": [{"name": "chore"}]})

    assert [label["name"] for label in as_list.json()] == ["bug", "release"]
    assert [label["name"] for label in as_object.json()] == ["bug", "release", "chore"]
    fake_github.set_labels(1, [])
    assert api.get(f"{REPO}/issues/1/labels").json() == []
    assert api.get(f"{REPO}/issues/7/labels").status_code == 404


def test_the_tag_endpoint_skips_a_draft_that_shares_the_published_tag(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_release("v1.0.0", draft=True, body="old draft")
    fake_github.add_release("v1.0.0", body="published")
    response = httpx.get(
        f"{fake_github.api_url}/repos/{fake_github.repository}/releases/tags/v1.0.0",
        headers={"Authorization": f"token {fake_github.token}"},
    )
    assert response.status_code == 200
    assert response.json()["body"] == "published"


def test_the_primary_limit_answers_as_github_until_the_reset(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    fake_github.exhaust_rate_limit(reset_in=30)
    reset = str(int(fake_github.clock.now()) + 30)

    limited = api.get(f"{REPO}/releases")
    assert limited.status_code == 403
    assert limited.json()["message"].startswith("API rate limit exceeded")
    assert (limited.headers["x-ratelimit-remaining"], limited.headers["x-ratelimit-reset"]) == (
        "0",
        reset,
    )
    fake_github.clock.sleep(29)
    assert api.get(f"{REPO}/releases").status_code == 403
    fake_github.clock.sleep(1)
    renewed = api.get(f"{REPO}/releases")
    assert (renewed.status_code, renewed.headers["x-ratelimit-remaining"]) == (200, "4999")


def test_make_latest_is_refused_for_a_prerelease_or_draft(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    for data in (
        {"tag_name": "v1-rc", "prerelease": True, "make_latest": "true"},
        {"tag_name": "v1-draft", "draft": True, "make_latest": "true"},
    ):
        refused = api.post(f"{REPO}/releases", json=data)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["message"] == LATEST_CANNOT_BE_PRERELEASE
    rc = api.post(f"{REPO}/releases", json={"tag_name": "v1-rc", "prerelease": True}).json()
    assert api.patch(f"{REPO}/releases/{rc['id']}", json={"make_latest": "true"}).status_code == 422
    assert fake_github.latest_release() is None


def test_drafts_are_listed_only_for_a_token_with_push_access(fake_github: FakeGitHub) -> None:
    draft = fake_github.add_release("v2.0.0", draft=True)
    fake_github.add_release("v1.0.0")

    def tags(token: str | None) -> list[str]:
        headers = {"Authorization": f"token {token}"} if token else {}
        with httpx.Client(base_url=fake_github.api_url, headers=headers) as client:
            assert client.get(f"{REPO}/releases/{draft.id}").status_code == (
                200 if token == fake_github.token else 404
            )
            return [r["tag_name"] for r in client.get(f"{REPO}/releases").json()]

    assert tags(fake_github.token) == ["v1.0.0", "v2.0.0"]  # newest first
    assert tags(fake_github.read_token) == ["v1.0.0"]
    assert tags(None) == ["v1.0.0"]


def test_an_interrupted_upload_leaves_a_starter_asset_that_holds_the_name(
    fake_github: FakeGitHub, api: httpx.Client
) -> None:
    release = api.post(f"{REPO}/releases", json={"tag_name": "v1.0.0"}).json()
    upload = release["upload_url"].split("{")[0]
    fake_github.interrupt_uploads()

    assert api.post(upload, params={"name": "a.tgz"}, content=b"abcd").status_code == 502
    [starter] = api.get(f"{REPO}/releases/{release['id']}/assets").json()
    assert (starter["state"], starter["size"]) == ("starter", 2)
    again = api.post(upload, params={"name": "a.tgz"}, content=b"abcd")
    assert (again.status_code, again.json()["errors"][0]["code"]) == (422, "already_exists")
    assert api.delete(f"{REPO}/releases/assets/{starter['id']}").status_code == 204
    assert api.post(upload, params={"name": "a.tgz"}, content=b"abcd").status_code == 201
