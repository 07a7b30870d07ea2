"""Cut GitHub's OpenAPI description down to what the fake GitHub serves and what we read.

Run by hand when the fake learns an operation or we read another field; the tests never fetch:

    npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
    uv run python tests/support/openapi_trim.py package/generated/api.github.com.json

It writes ``tests/support/openapi_github.json``: for each operation (by GitHub's operationId),
the JSON schema of each documented answer, and under ``$defs`` the component schemas those
reach, each cut to the fields in :data:`READ` (what our adapter and PyGithub read). Everything
else about a schema (types, ``nullable``, ``enum``, ``required`` among the kept fields) is kept as
GitHub wrote it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("openapi_github.json")

# (method, path) of every operation the fake serves, as the description spells them.
OPERATIONS = [
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/releases"),
    ("post", "/repos/{owner}/{repo}/releases"),
    ("get", "/repos/{owner}/{repo}/releases/latest"),
    ("get", "/repos/{owner}/{repo}/releases/tags/{tag}"),
    ("get", "/repos/{owner}/{repo}/releases/{release_id}"),
    ("patch", "/repos/{owner}/{repo}/releases/{release_id}"),
    ("get", "/repos/{owner}/{repo}/releases/{release_id}/assets"),
    ("post", "/repos/{owner}/{repo}/releases/{release_id}/assets"),
    ("get", "/repos/{owner}/{repo}/releases/assets/{asset_id}"),
    ("delete", "/repos/{owner}/{repo}/releases/assets/{asset_id}"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("post", "/repos/{owner}/{repo}/pulls"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("patch", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("post", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"),
    ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"),
    ("post", "/repos/{owner}/{repo}/git/blobs"),
    ("post", "/repos/{owner}/{repo}/git/trees"),
    ("post", "/repos/{owner}/{repo}/git/commits"),
    ("get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"),
    ("get", "/repos/{owner}/{repo}/git/ref/{ref}"),
    ("post", "/repos/{owner}/{repo}/git/refs"),
    ("patch", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("delete", "/repos/{owner}/{repo}/git/refs/{ref}"),
]

# Fields read, per component schema; "a.b" names an inline object under field b of a, and
# "a.b[]" the items of an array field b. An inline object not listed keeps only its type.
_PULL = [
    *("number", "html_url", "url", "state", "title", "body", "user", "labels", "head", "base"),
    *("draft", "assignees", "requested_reviewers", "milestone"),
]
_PERSON = ["name", "email", "date"]
_BRANCH = ["label", "ref", "sha", "repo"]
READ: dict[str, list[str]] = {
    "release": [
        "id",
        "url",
        "html_url",
        "assets_url",
        "upload_url",
        "tag_name",
        "target_commitish",
        "name",
        "body",
        "draft",
        "prerelease",
        "created_at",
        "published_at",
        "author",
        "assets",
    ],
    "release-asset": [
        "id",
        "url",
        "browser_download_url",
        "name",
        "label",
        "state",
        "content_type",
        "size",
        "digest",
    ],
    "pull-request": _PULL,
    "pull-request.head": _BRANCH,
    "pull-request.base": _BRANCH,
    "pull-request.labels[]": ["name"],
    "pull-request-simple": _PULL,
    "pull-request-simple.head": _BRANCH,
    "pull-request-simple.base": _BRANCH,
    "pull-request-simple.labels[]": ["name"],
    "label": ["name"],
    "diff-entry": ["filename", "status"],
    "simple-user": ["login", "id", "type", "url", "html_url"],
    "nullable-simple-user": ["login", "id", "type", "url", "html_url"],
    "full-repository": ["id", "name", "full_name", "owner", "url", "html_url", "default_branch"],
    "repository": ["id", "name", "full_name", "owner", "url", "html_url"],
    "issue": [
        *("id", "number", "url", "html_url", "state", "title", "user", "assignees"),
        "milestone",
    ],
    "nullable-milestone": ["id", "number", "title", "state", "url"],
    "short-blob": ["url", "sha"],
    "git-tree": ["sha", "url", "truncated", "tree"],
    "git-tree.tree[]": ["path", "mode", "type", "sha", "size", "url"],
    "git-commit": [
        *("sha", "node_id", "url", "html_url", "author", "committer", "message", "tree"),
        *("parents", "verification"),
    ],
    "git-commit.author": _PERSON,
    "git-commit.committer": _PERSON,
    "git-commit.tree": ["sha", "url"],
    "git-commit.parents[]": ["sha", "url", "html_url"],
    "git-commit.verification": ["verified", "reason", "signature", "payload", "verified_at"],
    "git-ref": ["ref", "node_id", "url", "object"],
    "git-ref.object": ["type", "sha", "url"],
    "basic-error": ["message", "documentation_url"],
    "validation-error": ["message", "documentation_url", "errors"],
    "validation-error.errors[]": ["resource", "field", "code", "message"],
}
_PREFIX = "#/components/schemas/"


class _Trimmer:
    def __init__(self, description: dict[str, Any]) -> None:
        self.description = description
        self.components: dict[str, Any] = description["components"]["schemas"]
        self.defs: dict[str, Any] = {}

    def schema(self, schema: dict[str, Any], where: str | None) -> dict[str, Any]:
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(_PREFIX)
            if name not in self.defs:
                self.defs[name] = {}  # a placeholder first: schemas may refer to themselves
                self.defs[name] = self.schema(self.components[name], name)
            return {"$ref": f"#/$defs/{name}"}
        trimmed = {key: value for key, value in schema.items() if key not in _SUBSCHEMAS}
        for key in ("allOf", "anyOf", "oneOf"):
            if key in schema:
                trimmed[key] = [self.schema(branch, where) for branch in schema[key]]
        if "items" in schema:
            trimmed["items"] = self.schema(schema["items"], f"{where}[]" if where else None)
        if "properties" in schema:
            read = READ.get(where or "")
            if read is None:
                trimmed.pop("required", None)
                return trimmed
            trimmed["properties"] = {
                name: self.schema(sub, f"{where}.{name}")
                for name, sub in schema["properties"].items()
                if name in read
            }
            missing = set(read) - set(schema["properties"])
            assert not missing, f"{where} has no {sorted(missing)}"
            if "required" in schema:
                trimmed["required"] = [name for name in schema["required"] if name in read]
        if "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
            trimmed["additionalProperties"] = self.schema(schema["additionalProperties"], None)
        return trimmed

    def response(self, response: dict[str, Any]) -> dict[str, Any] | None:
        if "$ref" in response:
            name = response["$ref"].removeprefix("#/components/responses/")
            response = self.description["components"]["responses"][name]
        content = response.get("content", {}).get("application/json")
        return None if content is None else self.schema(content["schema"], None)


_SUBSCHEMAS = {"properties", "items", "allOf", "anyOf", "oneOf", "additionalProperties"}
_DROPPED = {"description", "example", "examples", "title"}  # words, not rules


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip(v) for k, v in value.items() if k not in _DROPPED and not k.startswith("x-")
        }
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


def main(source: str) -> None:
    description = json.loads(Path(source).read_text(encoding="utf-8"))
    trimmer = _Trimmer(description)
    operations: dict[str, Any] = {}
    for method, path in OPERATIONS:
        operation = description["paths"][path][method]
        operations[operation["operationId"]] = {
            "method": method.upper(),
            "path": path,
            "responses": {
                status: trimmer.response(response)
                for status, response in operation["responses"].items()
            },
        }
    document = {
        "source": (
            "npm @octokit/openapi@23.0.2, generated/api.github.com.json "
            f"(OpenAPI {description['openapi']}, {description['info']['title']} "
            f"{description['info']['version']}), cut by tests/support/openapi_trim.py"
        ),
        "operations": operations,
        "$defs": dict(sorted(trimmer.defs.items())),
    }
    OUTPUT.write_text(json.dumps(_strip(document), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
