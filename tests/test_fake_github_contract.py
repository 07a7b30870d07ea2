"""Contract: every answer of the fake GitHub fits GitHub's OpenAPI description of its operation.

The description is ``support/openapi_github.json``, cut from ``@octokit/openapi`` by
``support/openapi_trim.py`` to the operations the fake serves and the fields we read. A scenario
drives every operation through our adapter (and raw HTTP where the adapter does not reach),
including the error answers; then each recorded answer is validated against the schema GitHub
documents for its operation and status. Formats (``uri``, ``date-time``) are not checked.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from release_actions.github import GitHub, TreeEntry
from release_actions.upgrade_config.schema import Schema
from support.fake_github import FakeGitHub, Recorded, github_for
from support.git_repos import GitProject

DESCRIPTION = Path(__file__).parent / "support" / "openapi_github.json"
REPO = "/repos/octo/charts"
RATE_LIMIT_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
)


@cache
def description() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DESCRIPTION.read_text(encoding="utf-8"))
    # GitHub's docs: an upload that broke off leaves its asset in state "starter", to be
    # deleted before a retry. The description's enum lists only "uploaded" and "open".
    document["$defs"]["release-asset"]["properties"]["state"]["enum"].append("starter")
    return document


def json_schema(openapi: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: ``nullable`` becomes a ``null`` type."""
    if isinstance(openapi, list):
        return [json_schema(item) for item in openapi]
    if not isinstance(openapi, dict):
        return openapi
    if "allOf" in openapi:  # GitHub's allOf: a $ref plus objects whose fields we do not read
        kept = [branch for branch in openapi["allOf"] if branch != {"type": "object"}]
        assert set(openapi) == {"allOf"} and len(kept) == 1, openapi
        return json_schema(kept[0])
    converted = {
        # Our answers fit one branch or none: anyOf is as strict for them as oneOf.
        "anyOf" if key == "oneOf" else key: json_schema(value)
        if key != "properties"
        else _properties(value)
        for key, value in openapi.items()
        if key not in ("nullable", "format")
    }
    if openapi.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def _properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {name: json_schema(schema) for name, schema in properties.items()}


def schema_for(openapi: dict[str, Any]) -> Schema:
    defs = {name: json_schema(schema) for name, schema in description()["$defs"].items()}
    return Schema({"$defs": defs, **json_schema(openapi)})


def problems(answer: Recorded) -> list[str]:
    """What is wrong with one answer, measured against its operation's documented answers."""
    assert answer.operation is not None
    responses = description()["operations"][answer.operation]["responses"]
    documented = responses.get(str(answer.status))
    if documented is None and (answer.status == 204 or 300 <= answer.status < 400):
        return [] if answer.body is None else [f"{answer.status} must have no body"]
    if documented is None and answer.status >= 400:
        # Errors GitHub answers on any operation (401, 403, 429, 5xx) have its error shape.
        documented = {"$ref": "#/$defs/" + _error_shape(answer.status)}
    if documented is None:
        return [f"GitHub documents no {answer.status} answer for {answer.operation}"]
    return [
        f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}"
        for error in schema_for(documented).validate(answer.body)
    ]


def _error_shape(status: int) -> str:
    return "validation-error" if status == 422 else "basic-error"


@pytest.fixture
def api(fake_github: FakeGitHub) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"token {fake_github.token}"}
    with httpx.Client(base_url=fake_github.api_url, headers=headers) as client:
        yield client


def drive_every_operation(fake: FakeGitHub, api: httpx.Client, tmp_path: Path) -> None:
    """Successes and the errors our code meets, through the adapter where it reaches."""
    project = GitProject.create(tmp_path / "git")
    fake.attach_origin(project.origin)
    project.work.git("push", "--quiet", "origin", "HEAD:refs/heads/topic")
    fake.add_release("v0.9.0", draft=True)
    fake.add_pull("feature", labels=["bug"], files=["a.txt", "b.txt"])
    fake.add_milestone(1, "v1")
    asset_file = tmp_path / "chart.tgz"
    asset_file.write_bytes(b"chart " * 1000)
    with github_for(fake) as client:
        assert client.latest_release() is None  # 404
        release = client.create_release(
            "v1.0.0", name="v1.0.0", body="", prerelease=False, make_latest=True
        )
        client.create_release("v1.0.0", name="", body="", prerelease=False, make_latest=True)
        client.create_release("v1.1.0-rc.1", name="", body="", prerelease=True, make_latest=True)
        assert client.latest_release() is not None
        assert client.release_by_tag("v1.0.0") is not None
        assert client.release_by_tag("v9.9.9") is None  # 404
        assert client.release_by_id(release.id) is not None
        assert client.release_by_tag_with_drafts("v0.9.0") is not None  # lists releases
        client.update_release_body(release, "notes")
        fake.interrupt_uploads()
        asset = client.upload_asset(release, asset_file, content_type="application/gzip")
        client.upload_asset(release, asset_file, content_type="application/gzip")  # 422
        client.download_asset(asset)  # 302 to storage
        pull, _ = client.create_or_update_pull(head="topic", base="main", title="T", body="B")
        client.create_or_update_pull(head="topic", base="main", title="T2", body="B")
        client.add_labels(pull.number, ["release"])
        client.decorate_pull(
            pull.number,
            assignees=["octocat"],
            reviewers=["hubot"],
            team_reviewers=["o/t"],
            milestone=1,
        )
        drive_git_data(client, project)
        client.close_pull(pull.number)
        client.pull_labels(pull.number)
        client.pull_files(1)
        fake.secondary_rate_limit("GET", "/pulls$", status=429)
        client.find_open_pull("topic", "main")
        fake.exhaust_rate_limit(reset_in=5)
        client.find_open_pull("topic", "main")
    assert api.get(REPO).status_code == 200
    assert api.get(f"{REPO}/pulls/1").status_code == 200
    assert api.get(f"{REPO}/pulls/99").status_code == 404
    assert api.get(f"{REPO}/releases/{release.id}/assets").status_code == 200
    assert api.get(f"{REPO}/releases/assets/{asset.id}").status_code == 200
    assert api.post(f"{REPO}/pulls", json={"head": "topic", "base": "main"}).status_code == 422
    bad = {"tag_name": "v2.0.0", "prerelease": True, "make_latest": "true"}
    assert api.post(f"{REPO}/releases", json=bad).status_code == 422
    reader = {"Authorization": f"token {fake.read_token}"}
    assert api.post(f"{REPO}/releases", json={"tag_name": "v3"}, headers=reader).status_code == 403
    assert api.post(f"{REPO}/releases", json={}, headers={"Authorization": ""}).status_code == 401
    assert api.delete(f"{REPO}/releases/assets/{asset.id}").status_code == 204


def drive_git_data(client: GitHub, project: GitProject) -> None:
    main = client.branch_sha("main")
    assert main is not None and client.branch_sha("missing") is None  # 404
    blob = client.create_blob(b"data\n")
    base = project.work.git("rev-parse", "HEAD^{tree}").strip()
    tree = client.create_tree([TreeEntry("dir/a.txt", "100644", blob)], base_tree=base)
    commit = client.create_commit(message="API", tree=tree, parents=[main])
    assert client.commit(commit.sha).verified
    assert client.create_branch("api", commit.sha)
    assert not client.create_branch("api", commit.sha)  # 422 exists
    assert client.move_branch("main", commit.sha, force=False)
    assert not client.move_branch("api", main, force=False)  # 422 not a fast forward
    client.delete_branch("api")
    client.delete_branch("api")  # 422 missing, and fine


def test_every_answer_fits_githubs_description(
    fake_github: FakeGitHub, api: httpx.Client, tmp_path: Path
) -> None:
    drive_every_operation(fake_github, api, tmp_path)

    answers = [r for r in fake_github.requests if r.operation is not None]
    found = {
        f"{r.method} {r.path} -> {r.status} ({r.operation})": problems(r)
        for r in answers
        if problems(r)
    }
    assert found == {}
    for answer in answers:  # GitHub sends its rate-limit state with every API answer
        assert set(RATE_LIMIT_HEADERS) <= set(answer.headers), answer
    statuses = {(r.operation, r.status) for r in answers}
    for expected in [
        ("repos/get-latest-release", 404),
        ("repos/create-release", 422),
        ("repos/upload-release-asset", 502),
        ("repos/upload-release-asset", 422),
        ("repos/get-release-asset", 302),
        ("repos/delete-release-asset", 204),
        ("pulls/list", 429),
        ("pulls/list", 403),
        ("repos/create-release", 401),
        ("repos/create-release", 403),
        ("git/get-ref", 404),
        ("git/create-ref", 422),
        ("git/update-ref", 422),
        ("git/delete-ref", 422),
    ]:
        assert expected in statuses


def test_the_scenario_covers_every_operation_the_fake_serves(
    fake_github: FakeGitHub, api: httpx.Client, tmp_path: Path
) -> None:
    drive_every_operation(fake_github, api, tmp_path)

    served = {route.operation for route in fake_github._routes if route.operation}
    assert served == set(description()["operations"])  # the route table and the description
    succeeded = {r.operation for r in fake_github.requests if r.operation and r.status < 300}
    assert succeeded == served


def test_every_api_answer_carries_the_rate_limit_headers(fake_github: FakeGitHub) -> None:
    with httpx.Client(base_url=fake_github.api_url) as anonymous:
        first = anonymous.get(REPO)
        missing = anonymous.get(f"{REPO}/releases/tags/nope")
    with github_for(fake_github) as client:
        client.latest_release()

    assert {k: v for k, v in first.headers.items() if k.startswith("x-ratelimit-")} == {
        "x-ratelimit-limit": "60",
        "x-ratelimit-remaining": "59",
        "x-ratelimit-reset": str(int(fake_github.clock.now()) + 3600),
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
    }
    assert missing.status_code == 404 and missing.headers["x-ratelimit-remaining"] == "58"


def test_the_checker_catches_an_answer_that_breaks_the_description() -> None:
    release = {"$ref": "#/$defs/release"}
    good = {
        "id": 1,
        "url": "u",
        "html_url": "h",
        "assets_url": "a",
        "upload_url": "p",
        "tag_name": "v1",
        "target_commitish": "main",
        "name": None,
        "body": None,
        "draft": False,
        "prerelease": False,
        "created_at": "2024-01-01T00:00:00Z",
        "published_at": None,
        "author": {"login": "o", "id": 1, "type": "User", "url": "u", "html_url": "h"},
        "assets": [],
    }
    assert schema_for(release).validate(good) == []
    for broken in [
        {**good, "draft": "false"},
        {k: v for k, v in good.items() if k != "upload_url"},
        {**good, "tag_name": None},
        {**good, "assets": [{"id": 2, "state": "broken"}]},
    ]:
        assert schema_for(release).validate(copy.deepcopy(broken)) != []
