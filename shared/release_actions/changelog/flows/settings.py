"""The action's inputs, parsed once into typed settings; and which mode an event runs in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

from ...context import Workflow
from ...errors import InputError
from ...inputs import Inputs
from ..notes import BODY_MODES, MAX_RELEASE_BODY, BodyMode
from ..reading import LooseVersion, PathFilter, PathTemplate, parse_loose_version, version_from_tag
from ..rules import ENFORCEMENTS, ORDERS, PROFILES, Enforcement, Order, Profile, VersionFile

Mode = Literal["auto", "pr", "release", "lint", "release-pr"]
MODES: tuple[Mode, ...] = ("auto", "pr", "release", "lint", "release-pr")
LintLevel = Literal["error", "warning", "off"]
LINT_LEVELS: tuple[LintLevel, ...] = ("error", "warning", "off")
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
DEFAULT_SKIP_AUTHORS = ("dependabot[bot]", "renovate[bot]")
# changelog-reader-action's words for "no particular version": found in the file, not given.
Pick = Literal["latest", "unreleased"]
PICKS: tuple[Pick, ...] = ("latest", "unreleased")


@dataclass(frozen=True)
class Settings:
    paths: tuple[PathTemplate, ...] = (PathTemplate("CHANGELOG.md"),)
    profile: Profile = "default"
    order: Order = "desc"
    mode: Mode = "auto"
    version: str | None = None
    version_files: tuple[VersionFile, ...] = ()
    require_for_paths: PathFilter = field(default_factory=PathFilter)
    skip_labels: tuple[str, ...] = ("skip-changelog",)
    skip_authors: tuple[str, ...] = DEFAULT_SKIP_AUTHORS
    pr_enforcement: Enforcement = "error"
    lint: LintLevel = "error"
    release_notes_file: str | None = None
    max_notes_chars: int = MAX_RELEASE_BODY
    update_release: bool = False
    release_body: BodyMode = "append"
    release_date: datetime.date | None = None
    allow_empty: bool = False
    token: str = ""

    @classmethod
    def from_inputs(cls, inputs: Inputs) -> Settings:
        paths = tuple(PathTemplate(line) for line in inputs.lines("paths")) or cls.paths
        max_chars = inputs.integer("max-notes-chars", MAX_RELEASE_BODY, minimum=1000)
        if max_chars > MAX_RELEASE_BODY:
            raise InputError(
                f"input 'max-notes-chars' must be at most {MAX_RELEASE_BODY} (GitHub's limit)"
            )
        return cls(
            paths=paths,
            profile=inputs.choice("profile", PROFILES, "default"),
            order=inputs.choice("order", ORDERS, "desc"),
            mode=inputs.choice("mode", MODES, "auto"),
            version=inputs.optional("version"),
            version_files=tuple(VersionFile.parse(line) for line in inputs.lines("version-files")),
            require_for_paths=PathFilter(tuple(inputs.items("require-for-paths"))),
            skip_labels=tuple(inputs.items("skip-labels", ["skip-changelog"])),
            skip_authors=tuple(inputs.items("skip-authors", DEFAULT_SKIP_AUTHORS)),
            pr_enforcement=inputs.choice("pr-enforcement", ENFORCEMENTS, "error"),
            lint=inputs.choice("lint", LINT_LEVELS, "error"),
            release_notes_file=inputs.optional("release-notes-file"),
            max_notes_chars=max_chars,
            update_release=inputs.boolean("update-release", False),
            release_body=inputs.choice("release-body", BODY_MODES, "append"),
            release_date=_date(inputs.optional("release-date")),
            allow_empty=inputs.boolean("allow-empty", False),
            token=inputs.string("token"),
        )


@dataclass(frozen=True)
class Target:
    """What this run checks: a mode and, for the release gate, the version and its tag."""

    mode: Literal["pr", "release", "lint", "release-pr"]
    version: LooseVersion | None = None
    tag: str = ""  # the release's tag (given or derived), for messages, links and the release
    subject: str = ""  # "tag v1.2.0" or "version 1.2.0", for messages
    pick: Pick | None = None  # instead of a version: the newest entry, or Unreleased


def choose_target(settings: Settings, workflow: Workflow) -> Target:
    """``auto``: pull requests get the PR checks; a tag, a release, a ``version`` input or a
    ``workflow_dispatch`` with a ``version`` input get the release gate; anything else is lint."""
    is_pull = workflow.event_name in PULL_REQUEST_EVENTS
    requested = settings.version or _dispatch_version(workflow)
    if settings.mode == "release-pr":
        return _release_pull_target(requested)
    if settings.mode == "pr" or (settings.mode == "auto" and is_pull):
        if not is_pull:
            raise InputError(
                f"input 'mode' is 'pr', but the event is '{workflow.event_name or 'none'}'; "
                "pr mode runs on pull_request and pull_request_target"
            )
        return Target("pr")
    if settings.mode == "lint" or (settings.mode == "auto" and not (requested or workflow.tag)):
        return Target("lint")
    if requested and requested.strip().lower() in PICKS:
        pick: Pick = "latest" if requested.strip().lower() == "latest" else "unreleased"
        subject = "the latest entry" if pick == "latest" else "the Unreleased section"
        return Target("release", None, workflow.tag or "", subject, pick)
    if requested:
        version = parse_loose_version(requested.removeprefix("refs/tags/"))
        if version is None or version.unreleased:
            version = version_from_tag(requested)
        if version is None:
            raise InputError(f"input 'version' must be a version such as 1.2.0, got {requested!r}")
        tag = workflow.tag or requested
        if tag[:1] not in "vV" and not workflow.tag:
            tag = f"v{version.key}"
        return Target("release", version, tag, f"version {version.key}")
    event_tag = workflow.tag
    if not event_tag:
        raise InputError(
            "input 'mode' is 'release', but there is no version: set input 'version' "
            "or run on a tag or a release"
        )
    version = version_from_tag(event_tag)
    if version is None:
        raise InputError(
            f"tag {event_tag!r} does not name a version; "
            "set input 'version' to the version it releases"
        )
    return Target("release", version, event_tag, f"tag {event_tag}")


def _release_pull_target(requested: str | None) -> Target:
    version = parse_loose_version(requested.removeprefix("refs/tags/")) if requested else None
    if version is None or version.unreleased:
        raise InputError(
            "mode 'release-pr' needs the version to release: set input 'version' "
            f"to a version such as 1.2.0{f', not {requested!r}' if requested else ''}"
        )
    return Target("release-pr", version, f"v{version.key}", f"version {version.key}")


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"input 'release-date' must be YYYY-MM-DD, got {text!r}") from None


def _dispatch_version(workflow: Workflow) -> str | None:
    if workflow.event_name != "workflow_dispatch":
        return None
    inputs = workflow.event.get("inputs") or {}
    value = inputs.get("version") if isinstance(inputs, dict) else None
    return str(value).strip() or None if value else None
