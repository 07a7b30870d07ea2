"""Event payloads as GitHub sends them (the fields our actions and act read), for ``act -e``."""

from __future__ import annotations

from typing import Any

from .fake_github import FakeGitHub
from .git_repos import WorkingCopy


def repository(github: FakeGitHub) -> dict[str, Any]:
    owner, name = github.repository.split("/")
    return {
        "id": 1296269,
        "name": name,
        "full_name": github.repository,
        "owner": {"login": owner, "type": "Organization"},
        "private": False,
        "default_branch": "main",
        "html_url": f"{github.server_url}/{github.repository}",
        "clone_url": f"{github.server_url}/{github.repository}.git",
    }


def _sender() -> dict[str, Any]:
    return {"login": "octocat", "type": "User"}


def push(github: FakeGitHub, work: WorkingCopy, ref: str = "refs/heads/main") -> dict[str, Any]:
    """A push of ``work``'s HEAD to ``ref`` (a branch or a tag)."""
    head = work.head()
    return {
        "ref": ref,
        "before": "0" * 40,
        "after": head,
        "created": ref.startswith("refs/tags/"),
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "head_commit": {"id": head, "message": "change"},
        "repository": repository(github),
        "pusher": {"name": "octocat"},
        "sender": _sender(),
    }


def pull_request(
    github: FakeGitHub,
    work: WorkingCopy,
    number: int,
    *,
    head_ref: str,
    base_ref: str = "main",
    action: str = "opened",
    labels: tuple[str, ...] = (),
    author: str = "octocat",
) -> dict[str, Any]:
    base = work.head(f"origin/{base_ref}")
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "number": number,
            "state": "open",
            "title": "A change",
            "user": {"login": author, "type": "User"},
            "labels": [{"name": label} for label in labels],
            "head": {"ref": head_ref, "sha": work.head(), "repo": repository(github)},
            "base": {"ref": base_ref, "sha": base, "repo": repository(github)},
            "html_url": f"{github.server_url}/{github.repository}/pull/{number}",
        },
        "repository": repository(github),
        "sender": _sender(),
    }


def release(
    github: FakeGitHub, tag: str, *, action: str = "released", prerelease: bool = False
) -> dict[str, Any]:
    found = github.release(tag)
    release_id = found.id if found is not None else 1
    return {
        "action": action,
        "release": {
            "id": release_id,
            "tag_name": tag,
            "name": tag,
            "draft": False,
            "prerelease": prerelease,
            "target_commitish": "main",
            "html_url": f"{github.server_url}/{github.repository}/releases/tag/{tag}",
        },
        "repository": repository(github),
        "sender": _sender(),
    }


def workflow_dispatch(
    github: FakeGitHub, inputs: dict[str, Any], ref: str = "refs/heads/main"
) -> dict[str, Any]:
    return {
        "ref": ref,
        "inputs": inputs,
        "repository": repository(github),
        "sender": _sender(),
    }
