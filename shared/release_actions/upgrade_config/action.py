"""The action-upgrade-config entry point: the trigger, the latest-release gate, sync, publish.

:func:`run` builds the clients (GitHub, git, httpx) and hands them to :func:`sync_release`,
which takes them as parameters, so tests can give their own. GitHub and httpx are opened on first
need: a dry run outside the latest-release gate never loads PyGithub.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ..api_commits import COMMIT_METHODS, CommitMethod, publisher_for
from ..context import Context, Workflow
from ..errors import InputError
from ..git import Git, private_checkout
from ..inputs import Inputs, parse_bool
from ..pull_requests import PullRequestOptions
from ..runner import Runner
from .feeds import HttpProber, Prober
from .model import ReleaseTag
from .pipeline import Clock, Syncer, SyncResult, load_segments, read_release, skipped
from .publish import Published, publish_pull_request, publish_push, read_config
from .segments import default_feed_template
from .storage import read_text
from .tags import safe_tag

if TYPE_CHECKING:  # PyGithub and httpx cost ~0.3 s to import: loaded only when first needed
    from ..github import GitHub

Publish = Literal["pull-request", "push", "none"]
RELEASE_ACTIONS = ("released", "prereleased")
PROBE_TIMEOUT = 10.0
PROBE_ATTEMPTS = 3
DEFAULT_PR_BRANCH = "chore/update-app-upgrade-config/{safe_tag}"
DEFAULT_LABELS = ("automation", "app-upgrade")


@dataclass(frozen=True)
class ActionConfig:
    tag: str | None
    is_prerelease: bool | None
    require_latest: bool
    segments_file: str
    config_file: str
    config_branch: str
    publish: Publish
    pull_request: PullRequestOptions
    dry_run: bool
    token: str
    commit_method: CommitMethod = "git"

    @classmethod
    def from_inputs(cls, inputs: Inputs) -> ActionConfig:
        prerelease = inputs.optional("is-prerelease")
        # 'labels' is the name before the pr- inputs; 'pr-labels' wins when both are given.
        labels = tuple(inputs.items("labels", DEFAULT_LABELS))
        return cls(
            tag=inputs.optional("tag"),
            is_prerelease=None if prerelease is None else parse_bool("is-prerelease", prerelease),
            require_latest=inputs.boolean("require-latest", True),
            segments_file=inputs.string("segments-file", "config/app-upgrade-segments.json"),
            config_file=inputs.string("config-file", "app-upgrade-config.json"),
            config_branch=inputs.string("config-branch", "cs-releases"),
            publish=inputs.choice("publish", ("pull-request", "push", "none"), "pull-request"),
            pull_request=PullRequestOptions.from_inputs(
                inputs, branch=DEFAULT_PR_BRANCH, labels=labels
            ),
            dry_run=inputs.boolean("dry-run", False),
            token=inputs.string("token"),
            commit_method=inputs.choice("commit-method", COMMIT_METHODS, "git"),
        )


@dataclass(frozen=True)
class Trigger:
    """What this run syncs, read from the event or the dispatch inputs."""

    tag: str
    is_prerelease: bool | None
    source: str  # "release" or "manual"
    skip_reason: str | None = None


def read_trigger(config: ActionConfig, workflow: Workflow) -> Trigger:
    if workflow.event_name == "release":
        release: Mapping[str, Any] = workflow.event.get("release") or {}
        tag = config.tag or str(release.get("tag_name") or "")
        prerelease = config.is_prerelease
        if prerelease is None and isinstance(release.get("prerelease"), bool):
            prerelease = release["prerelease"]
        action = str(workflow.event.get("action") or "")
        reason = None
        if release.get("draft"):
            reason = f"release {tag} is a draft"
        elif action not in RELEASE_ACTIONS:
            reason = f"release event '{action}' is not synced (only released and prereleased)"
        if not tag:
            raise InputError("the release event has no tag_name; pass the 'tag' input")
        return Trigger(tag, prerelease, "release", reason)
    if not config.tag:
        raise InputError(
            "input 'tag' is required outside release events (on workflow_dispatch, pass it on)"
        )
    return Trigger(config.tag, config.is_prerelease, "manual")


def run(args: argparse.Namespace, context: Context) -> int:
    """Composition: the real clients, each opened on first need, handed to :func:`sync_release`."""
    config = ActionConfig.from_inputs(Inputs(context.environ))
    context.runner.mask(config.token)
    workflow = context.workflow
    if not config.token:
        raise InputError("input 'token' is required")

    with (
        ExitStack() as opened,
        # Fetches and worktrees go to a private git directory: the checkout is left as it was.
        private_checkout(context.cwd, token=config.token) as git,
    ):

        @cache
        def github() -> GitHub:
            from ..github import GitHub

            return opened.enter_context(GitHub.from_workflow(config.token, workflow))

        @cache
        def http_prober() -> Prober:
            from ..http import make_client

            client = opened.enter_context(
                make_client(timeout=PROBE_TIMEOUT, retries=PROBE_ATTEMPTS)
            )
            return HttpProber(client, attempts=PROBE_ATTEMPTS)

        return sync_release(
            config,
            context,
            github=github,
            git=git if git is not None else Git(context.cwd, token=config.token),
            prober=lambda url: http_prober()(url),
            clock=lambda: datetime.now(UTC),
        )


def sync_release(
    config: ActionConfig,
    context: Context,
    *,
    github: Callable[[], GitHub],
    git: Git,
    prober: Prober,
    clock: Clock,
) -> int:
    """Sync the release into the config and publish it. ``github`` opens the client when a step
    first needs it: a dry run or ``publish: none`` outside the gate never talks to GitHub."""
    runner, workflow = context.runner, context.workflow
    trigger = read_trigger(config, workflow)
    release, reason = read_release(trigger.tag, trigger.is_prerelease)
    reason = trigger.skip_reason or reason
    gated = trigger.source == "release" and release.channel == "latest" and config.require_latest
    publishing = not config.dry_run and config.publish != "none"
    is_latest = False
    if reason is None and (gated or publishing):
        latest = github().latest_release()  # a failed call raises: never a silent skip
        is_latest = latest is not None and latest.tag == release.tag
        if gated and not is_latest:
            reason = (
                f"{release.tag} is not the repository's latest release "
                f"({latest.tag if latest else 'there is none'}); set require-latest: false "
                "to sync a maintenance line"
            )
    if reason is not None:
        result = skipped(release, reason, "", config.config_file)
        _report(runner, config, trigger, result, None)
        return 0

    segments, segments_doc = load_segments(
        read_text(context.cwd / config.segments_file, config.segments_file),
        config.segments_file,
        runner,
        default_template=default_feed_template(workflow.server_url, workflow.repository),
    )
    syncer = Syncer(
        release=release,
        segments=segments,
        segments_doc=segments_doc,
        prober=prober,
        clock=clock,
        runner=runner,
    )
    with git.worktree(config.config_branch) as tree:
        result = syncer.sync(read_config(tree, config.config_file), config.config_file)
        for note in result.notes:
            runner.warning(note)
        message = _commit_message(release, trigger, is_latest, workflow)
        published: Published | None = None
        # Publishing has opened GitHub already, for the latest release.
        publisher = publisher_for(config.commit_method, github()) if publishing else None
        if not publishing:
            pass
        elif config.publish == "push":
            if result.changed:
                published = publish_push(
                    tree,
                    branch=config.config_branch,
                    config_file=config.config_file,
                    sync=lambda text: syncer.sync(text, config.config_file),
                    message=message,
                    publisher=publisher,
                )
                result = published.result
        else:
            options = config.pull_request.completed(
                context.cwd,
                title=f"chore: update app-upgrade-config for {release.tag}",
                body=_pull_body(release, trigger, is_latest, workflow, result),
                branch=DEFAULT_PR_BRANCH,
                commit_message=message,
            )
            options = replace(
                options, branch=options.branch.replace("{safe_tag}", safe_tag(release.tag))
            )
            published = publish_pull_request(
                tree,
                github(),
                result=result,
                sync=lambda text: syncer.sync(text, config.config_file),
                config_file=config.config_file,
                base=config.config_branch,
                options=options,
                publisher=publisher,
            )
            result = published.result
    _report(runner, config, trigger, result, published)
    return 0


def _facts(release: ReleaseTag, is_latest: bool, workflow: Workflow) -> list[str]:
    facts = [
        f"- Source tag: `{release.tag}`",
        f"- Pre-release: {str(release.channel != 'latest').lower()}",
        f"- Latest: {str(is_latest).lower()}",
    ]
    if workflow.run_url:
        facts.append(f"- Workflow run: {workflow.run_url}")
    return facts


def _commit_message(
    release: ReleaseTag, trigger: Trigger, is_latest: bool, workflow: Workflow
) -> str:
    lines = [
        f"chore: sync app-upgrade-config for {release.tag}",
        "",
        f"Automated update triggered by `{trigger.source}`.",
        "",
        *_facts(release, is_latest, workflow),
    ]
    return "\n".join(lines) + "\n"


def _pull_body(
    release: ReleaseTag, trigger: Trigger, is_latest: bool, workflow: Workflow, result: SyncResult
) -> str:
    lines = [
        f"Automated update of `{result.path}`, triggered by `{trigger.source}`.",
        "",
        *_facts(release, is_latest, workflow),
        f"- Change: {result.reason}",
    ]
    if result.fallback_used:
        lines.append("- A mirror was not ready: its fallback feed URL is used")
    return "\n".join(lines) + "\n"


def _report(
    runner: Runner,
    config: ActionConfig,
    trigger: Trigger,
    result: SyncResult,
    published: Published | None,
) -> None:
    release = result.release
    proposal = published.proposal if published else None
    outputs = {
        "outcome": result.outcome,
        "changed": str(result.changed).lower(),
        "channel": (release.channel or "") if release else "",
        "version": str(release.version) if release else "",
        "segment": result.segment or "",
        "entry-key": result.entry_key or "",
        "fallback-used": str(result.fallback_used).lower(),
        "pull-request-number": "",
        "pull-request-url": "",
        "pull-request-operation": "none",
        "pull-request-head-sha": "",
        "pull-request-branch": "",
    }
    if proposal is not None:
        outputs.update(proposal.outputs())
    for name, value in outputs.items():
        runner.set_output(name, value)
    runner.info(f"{result.outcome}: {result.reason}")
    runner.add_summary(_summary(config, trigger, result, published))


def _summary(
    config: ActionConfig, trigger: Trigger, result: SyncResult, published: Published | None
) -> str:
    release = result.release
    title = f"### App upgrade config: {result.outcome}"
    if config.dry_run:
        title += " (dry run)"
    rows = [
        ("Tag", f"`{trigger.tag.strip()}`"),
        ("Channel", (release.channel or "none") if release else ""),
        ("Version", str(release.version) if release else ""),
        ("Segment", result.segment or ""),
        ("Entry", f"`{result.entry_key}`" if result.entry_key else ""),
        ("Fallback used", "yes" if result.fallback_used else "no"),
        ("Published", _published_text(config, result, published)),
    ]
    lines = [title, "", result.reason, "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows if value]
    if result.changed:
        lines += ["", "```diff", result.diff.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def _published_text(config: ActionConfig, result: SyncResult, published: Published | None) -> str:
    proposal = published.proposal if published is not None else None
    if proposal is not None and proposal.number is not None:
        return f"[#{proposal.number}]({proposal.url}) ({proposal.operation})"
    if not result.changed:
        return "nothing to publish"
    if config.dry_run:
        return f"nothing (dry run; would {config.publish})"
    if published is None:
        return "nothing (publish: none)"
    return f"pushed to `{config.config_branch}`" if published.pushed else "already there"
