"""The chart release configuration: one typed value built from action inputs or CLI flags."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ...api_commits import COMMIT_METHODS, CommitMethod
from ...context import DEFAULT_API_URL, DEFAULT_SERVER_URL, Workflow
from ...errors import UsageError
from ...inputs import Inputs
from ...pull_requests import PullRequestOptions
from ...versions import TagTemplate
from ..lint import APP_VERSION_POLICIES, DEFAULT_TAG_TEMPLATE, AppVersionPolicy
from ..registry import parse_registry

Mode = Literal["check", "release"]
ModeChoice = Literal["auto", "check", "release"]
ReleaseNotes = Literal["changelog", "chart", "generate", "none"]
IndexPublish = Literal["push", "pull-request"]
PublishTarget = Literal["github-release", "pages-index", "oci"]

MODE_CHOICES: tuple[ModeChoice, ...] = ("auto", "check", "release")
RELEASE_NOTES_CHOICES: tuple[ReleaseNotes, ...] = ("changelog", "chart", "generate", "none")
INDEX_PUBLISH_CHOICES: tuple[IndexPublish, ...] = ("push", "pull-request")
PUBLISH_TARGETS: tuple[PublishTarget, ...] = ("github-release", "pages-index", "oci")
DEFAULT_PUBLISH: frozenset[PublishTarget] = frozenset({"github-release", "pages-index"})


CHECK_EVENTS = frozenset({"pull_request", "pull_request_target", "merge_group"})
RELEASE_EVENTS = frozenset({"push", "workflow_dispatch"})


@dataclass(frozen=True)
class Signing:
    """How to sign packages: ``key`` names the key (Helm's ``--key``; empty: the keyring's only
    key) in ``keyring``, a file; or ``key_material`` is an armoured secret key (a secret)."""

    key: str = ""
    keyring: Path | None = None
    key_material: str = field(default="", repr=False)
    passphrase: str | None = field(default=None, repr=False)
    passphrase_file: Path | None = None  # its first line is the passphrase


@dataclass(frozen=True, kw_only=True)
class ReleaseConfig:
    """Everything ``chart check``/``chart release`` and the action need to know, validated."""

    mode: Mode = "release"
    charts_dirs: tuple[str, ...] = ("charts",)
    exclude: tuple[str, ...] = ()
    target_branch: str | None = None
    app_version_policy: AppVersionPolicy = "none"
    values_checks: tuple[str, ...] = ()
    tag_template: TagTemplate = field(default_factory=lambda: TagTemplate(DEFAULT_TAG_TEMPLATE))
    release_notes: ReleaseNotes = "chart"
    changelog_path: str = "CHANGELOG.md"
    mark_latest: bool = False
    pages_branch: str = "gh-pages"
    index_path: str = "index.yaml"
    packages_with_index: bool = False
    index_publish: IndexPublish = "push"
    commit_method: CommitMethod = "git"
    pull_request: PullRequestOptions = field(default_factory=PullRequestOptions)
    pages_html: bool = False
    pages_url: str = ""
    dry_run: bool = False
    publish: frozenset[PublishTarget] = DEFAULT_PUBLISH
    oci_registry: str = ""  # oci://HOST[:PORT]/PATH
    registry_plain_http: bool = False
    registry_username: str = ""
    registry_password: str = field(default="", repr=False)
    signing: Signing | None = None
    packages_dir: str = ""  # release these .tgz files instead of packaging the charts
    # Where the repository lives; from the workflow's GITHUB_* variables.
    repository: str = ""
    server_url: str = DEFAULT_SERVER_URL
    api_url: str = DEFAULT_API_URL
    token: str = field(default="", repr=False)

    @property
    def owner(self) -> str:
        return self.repository.partition("/")[0]

    @property
    def repository_name(self) -> str:
        return self.repository.partition("/")[2]

    @property
    def helm_repository_url(self) -> str:
        """The URL users give to ``helm repo add``: where the pages branch is served
        (``pages-url``, or the GitHub Pages default), plus the directory of ``index-path``."""
        if self.pages_url:
            site = self.pages_url.rstrip("/") + "/"
        else:
            site = default_pages_url(self.server_url, self.repository)
        directory = self.index_path.rpartition("/")[0]
        return f"{site}{directory}/" if directory else site

    @property
    def helm_repository_name(self) -> str:
        return (self.owner or self.repository_name or "charts").lower()

    @classmethod
    def from_inputs(cls, inputs: Inputs, workflow: Workflow) -> ReleaseConfig:
        """The action's configuration: every ``INPUT_*`` it reads, read here and only here."""
        mode_choice = inputs.choice("mode", MODE_CHOICES, "auto")
        return cls(
            mode=resolve_mode(mode_choice, workflow.event_name),
            charts_dirs=tuple(inputs.items("charts-dir", ("charts",))),
            exclude=tuple(inputs.items("exclude")),
            target_branch=inputs.optional("target-branch") or _default_target_branch(workflow),
            app_version_policy=inputs.choice("app-version-policy", APP_VERSION_POLICIES, "none"),
            values_checks=tuple(inputs.lines("values-checks")),
            tag_template=_tag_template(inputs.string("tag-template", DEFAULT_TAG_TEMPLATE)),
            release_notes=inputs.choice("release-notes", RELEASE_NOTES_CHOICES, "chart"),
            changelog_path=inputs.string("changelog-path", "CHANGELOG.md"),
            mark_latest=inputs.boolean("mark-latest", False),
            pages_branch=inputs.string("pages-branch", "gh-pages"),
            index_path=parse_index_path(inputs.string("index-path", "index.yaml")),
            packages_with_index=inputs.boolean("packages-with-index", False),
            index_publish=inputs.choice("index-publish", INDEX_PUBLISH_CHOICES, "push"),
            commit_method=inputs.choice("commit-method", COMMIT_METHODS, "git"),
            pull_request=PullRequestOptions.from_inputs(inputs),
            pages_html=inputs.boolean("pages-html", False),
            pages_url=inputs.string("pages-url"),
            dry_run=inputs.boolean("dry-run", False),
            publish=parse_publish(
                inputs.items("publish"),
                oci_registry=inputs.string("oci-registry"),
                packages_with_index=inputs.boolean("packages-with-index", False),
            ),
            oci_registry=inputs.string("oci-registry"),
            registry_username=inputs.string("registry-username"),
            registry_password=inputs.string("registry-password"),
            signing=_signing_from_inputs(inputs),
            packages_dir=inputs.string("packages-dir"),
            repository=workflow.repository,
            server_url=workflow.server_url,
            api_url=workflow.api_url,
            token=inputs.string("token"),
        )

    @classmethod
    def from_args(
        cls, args: argparse.Namespace, workflow: Workflow, environ: Mapping[str, str]
    ) -> ReleaseConfig:
        """The ``chart release`` command line; the token comes from ``GITHUB_TOKEN``."""
        return cls(
            mode="release",
            charts_dirs=tuple(args.charts_dir or ("charts",)),
            exclude=tuple(args.exclude or ()),
            target_branch=None,  # a release runs the static checks only
            app_version_policy=args.app_version_policy,
            values_checks=tuple(args.values_check or ()),
            tag_template=_tag_template(args.tag_template),
            release_notes=args.release_notes,
            changelog_path=args.changelog_path,
            mark_latest=args.mark_latest,
            pages_branch=args.pages_branch,
            index_path=parse_index_path(args.index_path),
            packages_with_index=args.packages_with_index,
            index_publish=args.index_publish,
            commit_method=args.commit_method,
            pages_html=args.pages_html,
            pages_url=args.pages_url or "",
            dry_run=args.dry_run,
            publish=parse_publish(
                args.publish or (),
                oci_registry=args.oci_registry or "",
                packages_with_index=args.packages_with_index,
            ),
            oci_registry=args.oci_registry or "",
            registry_plain_http=args.registry_plain_http,
            registry_username=environ.get("REGISTRY_USERNAME", ""),
            registry_password=environ.get("REGISTRY_PASSWORD", ""),
            signing=_signing_from_args(args, environ),
            packages_dir=args.packages_dir or "",
            repository=args.repository or workflow.repository,
            server_url=workflow.server_url,
            api_url=workflow.api_url,
            token=environ.get("GITHUB_TOKEN", ""),
        )


def add_release_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``chart release`` flags; their defaults are the action's input defaults."""
    parser.add_argument(
        "--charts-dir", action="append", metavar="DIR", help="root searched for charts (repeatable)"
    )
    parser.add_argument(
        "--exclude", action="append", metavar="GLOB", help="chart directories to skip"
    )
    parser.add_argument(
        "--app-version-policy",
        choices=APP_VERSION_POLICIES,
        default="none",
        metavar="POLICY",
        help="equal (appVersion = version), v-prefixed or none (default)",
    )
    parser.add_argument(
        "--values-check",
        action="append",
        metavar="'KEY = TEMPLATE'",
        help="a values.yaml field kept in step, e.g. 'image.tag = v{version}' (repeatable)",
    )
    parser.add_argument(
        "--tag-template",
        default=DEFAULT_TAG_TEMPLATE,
        metavar="TEMPLATE",
        help=f"release tag from {{name}} and {{version}} (default {DEFAULT_TAG_TEMPLATE})",
    )
    parser.add_argument(
        "--release-notes",
        choices=RELEASE_NOTES_CHOICES,
        default="chart",
        help="the release body: the chart's artifacthub.io/changes (default), its changelog "
        "entry, GitHub's generated notes, or none",
    )
    parser.add_argument(
        "--changelog-path",
        default="CHANGELOG.md",
        metavar="PATH",
        help="with --release-notes changelog: the changelog, in the chart or at the root",
    )
    parser.add_argument(
        "--mark-latest", action="store_true", help="mark the release as the repository's latest"
    )
    parser.add_argument(
        "--pages-branch",
        default="gh-pages",
        metavar="BRANCH",
        help="the branch holding the Helm repository (default gh-pages)",
    )
    parser.add_argument(
        "--index-path",
        default="index.yaml",
        metavar="PATH",
        help="the index's path on the pages branch (default index.yaml)",
    )
    parser.add_argument(
        "--packages-with-index",
        action="store_true",
        help="commit each .tgz next to the index, with relative URLs",
    )
    parser.add_argument(
        "--index-publish",
        choices=INDEX_PUBLISH_CHOICES,
        default="push",
        help="push to the pages branch (default), or open a pull request",
    )
    parser.add_argument(
        "--commit-method",
        choices=COMMIT_METHODS,
        default="git",
        help="git: push the index commit; api: commit through GitHub's API (signed, Verified)",
    )
    parser.add_argument("--pages-html", action="store_true", help="also write index.html")
    parser.add_argument("--pages-url", metavar="URL", help="the Helm repository URL users add")
    parser.add_argument(
        "--repository", metavar="OWNER/NAME", help="default: GITHUB_REPOSITORY, else origin's URL"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan and the index diff; change nothing"
    )
    parser.add_argument(
        "--publish",
        action="append",
        metavar="TARGET",
        help="github-release, pages-index, oci (repeatable or comma-separated; default: the "
        "first two, plus oci with --oci-registry)",
    )
    parser.add_argument(
        "--oci-registry",
        metavar="oci://HOST[:PORT]/PATH",
        help="where the oci target pushes (chart NAME goes to PATH/NAME)",
    )
    parser.add_argument(
        "--registry-plain-http", action="store_true", help="talk HTTP to the registry (local)"
    )
    parser.add_argument(
        "--packages-dir",
        metavar="DIR",
        help="release the .tgz packages in DIR (built elsewhere) instead of packaging",
    )
    parser.add_argument("--sign", action="store_true", help="write and publish .prov files")
    parser.add_argument("--key", metavar="NAME", help="the signing key's name (Helm's --key)")
    parser.add_argument("--keyring", metavar="FILE", type=Path, help="secret keyring for --sign")
    parser.add_argument(
        "--passphrase-file", metavar="FILE", help="first line: the key's passphrase"
    )


def parse_publish(
    items: Sequence[str], *, oci_registry: str, packages_with_index: bool
) -> frozenset[PublishTarget]:
    """``publish`` checked: known targets, any non-empty subset. Left empty, it is today's
    targets, plus ``oci`` when an ``oci-registry`` is given."""
    names = [name.strip() for item in items for name in item.split(",") if name.strip()]
    unknown = [name for name in names if name not in PUBLISH_TARGETS]
    if unknown:
        raise UsageError(
            f"publish: {', '.join(map(repr, unknown))} is not a target; choose from "
            + ", ".join(PUBLISH_TARGETS)
        )
    targets: frozenset[PublishTarget] = frozenset(
        target for target in PUBLISH_TARGETS if target in names
    )
    if not targets:
        targets = DEFAULT_PUBLISH | ({"oci"} if oci_registry else set())
    if "oci" in targets:
        if not oci_registry:
            raise UsageError("publish: oci needs oci-registry (oci://HOST/PATH)")
        parse_registry(oci_registry)
    if "pages-index" in targets and "github-release" not in targets and not packages_with_index:
        raise UsageError(
            "publish: pages-index without github-release needs packages-with-index: true, "
            "or the index would point at release assets that are not made"
        )
    return targets


def _signing_from_inputs(inputs: Inputs) -> Signing | None:
    material = inputs.string("signing-key")
    if not material.strip():
        return None
    return Signing(key_material=material, passphrase=inputs.optional("signing-passphrase"))


def _signing_from_args(args: argparse.Namespace, environ: Mapping[str, str]) -> Signing | None:
    if not args.sign:
        if args.key or args.keyring or args.passphrase_file:
            raise UsageError("--key, --keyring and --passphrase-file go with --sign")
        return None
    if not args.keyring:
        raise UsageError("--sign needs --keyring FILE (a secret keyring)")
    passphrase_file = Path(args.passphrase_file) if args.passphrase_file else None
    return Signing(key=args.key or "", keyring=args.keyring, passphrase_file=passphrase_file)


def resolve_mode(choice: ModeChoice, event_name: str) -> Mode:
    """``auto`` checks on pull requests and releases on pushes (tags too) and manual runs."""
    if choice != "auto":
        return choice
    if event_name in RELEASE_EVENTS:
        return "release"
    if event_name in CHECK_EVENTS or not event_name:
        return "check"
    raise UsageError(
        f"mode 'auto' does not know what to do on a {event_name!r} event; set mode to check or"
        " release"
    )


def default_pages_url(server_url: str, repository: str) -> str:
    """GitHub Pages' URL for a project site; GHES serves Pages under ``/pages/`` instead."""
    owner, _, name = repository.partition("/")
    host = server_url.removeprefix("https://").removeprefix("http://").rstrip("/")
    if host == "github.com":
        if name.lower() == f"{owner.lower()}.github.io":
            return f"https://{owner.lower()}.github.io/"
        return f"https://{owner.lower()}.github.io/{name}/"
    return f"{server_url.rstrip('/')}/pages/{owner}/{name}/"


def _default_target_branch(workflow: Workflow) -> str | None:
    if workflow.base_ref:
        return workflow.base_ref
    repository = workflow.event.get("repository")
    if isinstance(repository, Mapping):
        default_branch = repository.get("default_branch")
        if isinstance(default_branch, str) and default_branch:
            return default_branch
    return None


def _tag_template(text: str) -> TagTemplate:
    return TagTemplate(text)


def parse_index_path(text: str) -> str:
    """``index-path`` checked: a file path inside the pages branch, without a leading ``/``."""
    path = text.strip().lstrip("/")
    if not path or path.endswith("/") or ".." in path.split("/"):
        raise UsageError(f"index-path {text!r} must be a file path inside the pages branch")
    return path
