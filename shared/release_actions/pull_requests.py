"""Proposing a change in a pull request, the way peter-evans/create-pull-request does it.

One flow for every pull request the actions open (the chart index, the upgrade config): the
change is applied to the base branch's tip; when the base already has it, an open pull request
for it is closed (``closed``); when the pull request branch already proposes it, nothing is
written (``none``); otherwise the branch (ours alone) is rebuilt on the base and replaced, and
the pull request is opened (``created``) or left to show the new commit (``updated``). The
inputs and outputs keep create-pull-request's names, with a ``pr-`` prefix because our actions
have inputs of their own (``labels``, ``branch``-like names, ``commit-message``).

Nothing half-written: the branch is written before the pull request is opened, and a branch this
run created is deleted again if the pull request cannot be opened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InputError, ReleaseActionsError
from .git import BranchPublisher, Git, GitPush
from .inputs import Inputs

if TYPE_CHECKING:  # PyGithub is imported only by the commands that talk to GitHub
    from .github import GitHub

__all__ = [
    "PULL_REQUEST_INPUTS",
    "Proposal",
    "ProposalOperation",
    "PullRequestOptions",
    "close_proposal",
    "propose",
]

ProposalOperation = Literal["created", "updated", "closed", "none"]
# create-pull-request's input names, each behind our "pr-" prefix.
PULL_REQUEST_INPUTS = tuple(
    f"pr-{name}"
    for name in (
        "title",
        "body",
        "body-path",
        "labels",
        "assignees",
        "reviewers",
        "team-reviewers",
        "milestone",
        "draft",
        "branch",
        "commit-message",
        "author",
        "committer",
        "delete-branch",
    )
)
Identity = tuple[str, str]
# Is the change already proposed on the fetched pull request branch? (git, its ref, base sha)
AlreadyProposed = Callable[[Git, str, str], bool]


@dataclass(frozen=True, kw_only=True)
class PullRequestOptions:
    """create-pull-request's options, for one pull request. An empty title, body, branch or
    commit message is the action's own, filled in by :meth:`completed`."""

    title: str = ""
    body: str = ""
    body_path: str = ""  # read from the checkout; wins over body
    branch: str = ""
    commit_message: str = ""
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    team_reviewers: tuple[str, ...] = ()
    milestone: int | None = None
    draft: bool = False
    delete_branch: bool = False
    author: Identity | None = None  # None: github-actions[bot]
    committer: Identity | None = None

    @classmethod
    def from_inputs(
        cls, inputs: Inputs, *, branch: str = "", labels: tuple[str, ...] = ()
    ) -> PullRequestOptions:
        """The ``pr-*`` inputs; ``branch`` and ``labels`` are the action's defaults."""
        return cls(
            title=inputs.string("pr-title"),
            body=inputs.string("pr-body"),
            body_path=_body_path(inputs.string("pr-body-path")),
            branch=inputs.string("pr-branch", branch),
            commit_message=inputs.string("pr-commit-message"),
            labels=tuple(inputs.items("pr-labels", labels)),
            assignees=tuple(inputs.items("pr-assignees")),
            reviewers=tuple(inputs.items("pr-reviewers")),
            team_reviewers=tuple(inputs.items("pr-team-reviewers")),
            milestone=_milestone(inputs),
            draft=inputs.boolean("pr-draft", False),
            delete_branch=inputs.boolean("pr-delete-branch", False),
            author=parse_identity("pr-author", inputs.optional("pr-author")),
            committer=parse_identity("pr-committer", inputs.optional("pr-committer")),
        )

    def completed(
        self, root: Path, *, title: str, body: str, branch: str, commit_message: str
    ) -> PullRequestOptions:
        """These options with the action's defaults where the user gave none; ``pr-body-path``
        (inside the checkout at ``root``) takes precedence over ``pr-body``, as in
        create-pull-request."""
        return replace(
            self,
            title=self.title or title,
            body=_read_body(root, self.body_path) if self.body_path else self.body or body,
            branch=self.branch or branch,
            commit_message=self.commit_message or commit_message,
        )


@dataclass(frozen=True)
class Proposal:
    """What happened to the pull request, as create-pull-request's outputs say it."""

    operation: ProposalOperation
    branch: str
    number: int | None = None
    url: str = ""
    head_sha: str = ""
    pushed: bool = False  # a commit reached the pull request branch

    def outputs(self) -> Mapping[str, str]:
        return {
            "pull-request-number": "" if self.number is None else str(self.number),
            "pull-request-url": self.url,
            "pull-request-operation": self.operation,
            "pull-request-head-sha": self.head_sha,
            "pull-request-branch": self.branch,
        }


def propose(
    tree: Git,
    github: GitHub,
    *,
    base: str,
    options: PullRequestOptions,
    apply_change: Callable[[Git], bool],
    already_proposed: AlreadyProposed,
    publisher: BranchPublisher | None = None,
) -> Proposal:
    """Propose ``apply_change`` (a pure edit of the files in ``tree``) against ``base``.

    ``tree`` is a worktree at the base branch's tip; ``already_proposed`` tells whether the
    fetched pull request branch holds the change on top of that tip, so a re-run writes nothing.
    """
    branch = options.branch
    if not tree.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        raise ReleaseActionsError(
            f"branch {base} does not exist, so there is nothing to open a pull request "
            "against; create it first"
        )
    base_sha = tree.head_sha()
    changed = apply_change(tree) and tree.commit_all(
        options.commit_message, author=options.author, committer=options.committer
    )
    if not changed:  # the base has the change already
        return close_proposal(github, base, options)
    head_exists = tree.remote_branch_exists(branch)
    head_ref = f"refs/remotes/origin/{branch}"
    if head_exists:
        tree.fetch(f"+refs/heads/{branch}:{head_ref}")
    if head_exists and already_proposed(tree, head_ref, base_sha):
        existing = github.find_open_pull(branch, base)
        if existing is not None:
            # A run that failed after opening it, while labelling say, is completed.
            missing = [label for label in options.labels if label not in existing.labels]
            if missing:
                github.add_labels(existing.number, missing)
            return Proposal("none", branch, existing.number, existing.html_url, existing.head_sha)
        head_sha, pushed = tree.head_sha(head_ref), False
    else:
        published = (publisher or GitPush()).publish(tree, branch, remote="origin", force=True)
        if published.sha is None:  # only another run's force can win over ours
            raise ReleaseActionsError(
                f"could not write branch {branch}: {published.rejection}; re-run to retry"
            )
        head_sha, pushed = published.sha, True
    try:
        pull, operation = github.create_or_update_pull(
            head=branch, base=base, title=options.title, body=options.body, draft=options.draft
        )
    except ReleaseActionsError:
        if pushed and not head_exists:  # no branch left behind without its pull request
            github.delete_branch(branch)
        raise
    if operation == "created" or pushed:
        github.decorate_pull(
            pull.number,
            labels=options.labels,
            assignees=options.assignees,
            reviewers=options.reviewers,
            team_reviewers=options.team_reviewers,
            milestone=options.milestone,
        )
    result: ProposalOperation = (
        "created" if operation == "created" else "updated" if pushed else "none"
    )
    return Proposal(result, branch, pull.number, pull.html_url, head_sha, pushed)


def close_proposal(github: GitHub, base: str, options: PullRequestOptions) -> Proposal:
    """The base has the change: close its open pull request (and with ``delete-branch``,
    delete the branch), as create-pull-request does when there is no diff left."""
    existing = github.find_open_pull(options.branch, base)
    if existing is None:
        return Proposal("none", options.branch)
    github.close_pull(existing.number)
    if options.delete_branch:
        github.delete_branch(options.branch)
    return Proposal("closed", options.branch, existing.number, existing.html_url, existing.head_sha)


def parse_identity(name: str, text: str | None) -> Identity | None:
    """``Display Name <email@address.com>``, as create-pull-request spells author and committer."""
    if text is None:
        return None
    display, _, rest = text.strip().rpartition("<")
    email = rest.removesuffix(">")
    if (
        not display.strip()
        or not rest.endswith(">")
        or not email
        or any(c in email or c in display for c in "<>")
        or any(c.isspace() for c in email)
    ):
        raise InputError(f"input '{name}' must look like 'Display Name <email@address.com>'")
    return display.strip(), email


def _milestone(inputs: Inputs) -> int | None:
    if inputs.optional("pr-milestone") is None:
        return None
    return inputs.integer("pr-milestone", 0, minimum=1)


def _body_path(text: str) -> str:
    """``pr-body-path``: a file in the checkout, so nothing from outside it is published."""
    if text and (text.startswith("/") or ".." in text.replace("\\", "/").split("/")):
        raise InputError(f"input 'pr-body-path' must stay inside the checkout, got {text!r}")
    return text


def _read_body(root: Path, relative: str) -> str:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise InputError(f"input 'pr-body-path' must stay inside the checkout, got {relative!r}")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"input 'pr-body-path': cannot read {relative}: {exc}") from None
