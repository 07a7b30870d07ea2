"""The chart release configuration: one typed value built from action inputs or CLI flags."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ...api_commits import COMMIT_METHODS, CommitMethod
from ...context import DEFAULT_API_URL, DEFAULT_SERVER_URL, Workflow
from ...errors import UsageError
from ...inputs import Inputs
from ...pull_requests import PullRequestOptions
from ...versions import TagTemplate
from ..lint import APP_VERSION_POLICIES, DEFAULT_TAG_TEMPLATE, AppVersionPolicy

Mode = Literal["check", "release"]
ModeChoice = Literal["auto", "check", "release"]
ReleaseNotes = Literal["changelog", "chart", "generate", "none"]
IndexPublish = Literal["push", "pull-request"]

MODE_CHOICES: tuple[ModeChoice, ...] = ("auto", "check", "release")
RELEASE_NOTES_CHOICES: tuple[ReleaseNotes, ...] = ("changelog", "chart", "generate", "none")
INDEX_PUBLISH_CHOICES: tuple[IndexPublish, ...] = ("push", "pull-request")


CHECK_EVENTS = frozenset({"pull_request", "pull_request_target", "merge_group"})
RELEASE_EVENTS = frozenset({"push", "workflow_dispatch"})


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
        "--app-version-policy", choices=APP_VERSION_POLICIES, default="none", metavar="POLICY"
    )
    parser.add_argument(
        "--values-check", action="append", metavar="'KEY = TEMPLATE'", help="repeatable"
    )
    parser.add_argument("--tag-template", default=DEFAULT_TAG_TEMPLATE, metavar="TEMPLATE")
    parser.add_argument("--release-notes", choices=RELEASE_NOTES_CHOICES, default="chart")
    parser.add_argument("--changelog-path", default="CHANGELOG.md", metavar="PATH")
    parser.add_argument("--mark-latest", action="store_true", help="take 'Latest' from the app")
    parser.add_argument("--pages-branch", default="gh-pages", metavar="BRANCH")
    parser.add_argument("--index-path", default="index.yaml", metavar="PATH")
    parser.add_argument("--packages-with-index", action="store_true")
    parser.add_argument("--index-publish", choices=INDEX_PUBLISH_CHOICES, default="push")
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
