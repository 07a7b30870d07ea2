"""The GitHub release body: the notes and a link to the changelog, set or appended idempotently.

The block we write sits between two HTML comments, so a re-run replaces it instead of appending it
twice, and text a maintainer or ``generate_release_notes`` put around it is kept.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from .entry import MAX_RELEASE_BODY, close_open_blocks, trim_notes

BodyMode = Literal["append", "replace"]
BODY_MODES: tuple[BodyMode, ...] = ("append", "replace")

BLOCK_START = "<!-- release-actions:changelog:start -->"
BLOCK_END = "<!-- release-actions:changelog:end -->"


def changelog_url(server_url: str, repository: str, tag: str, path: str) -> str:
    """``{server_url}/{repo}/blob/{tag}/{file}``: the changelog as it was at the tag."""
    return f"{server_url.rstrip('/')}/{repository}/blob/{quote(tag)}/{quote(path)}"


def release_body(
    existing: str,
    notes: str,
    link: str,
    *,
    mode: BodyMode,
    limit: int = MAX_RELEASE_BODY,
) -> str | None:
    """The new body, or None when even the link does not fit in ``limit`` next to the text kept.

    ``append`` keeps the existing text and replaces an earlier block where it stands; ``replace``
    keeps nothing. Applying the result twice gives the same text as applying it once.
    """
    before, after = ("", "") if mode == "replace" else split_around_block(existing)
    # Text left inside an open code fence would swallow the block's markers and footer.
    before += close_open_blocks(before)
    head = f"{before}\n\n" if before else ""
    tail = f"\n\n{after}" if after else ""
    footer = f"See [the CHANGELOG]({link}) for details."
    bare = f"{BLOCK_START}\n{footer}\n{BLOCK_END}"
    budget = limit - len(head) - len(tail) - len(bare) - len("\n\n")
    block = bare
    if notes.strip() and budget > 0:
        trimmed, _ = trim_notes(notes.strip(), budget)  # with any fence it leaves open closed
        block = f"{BLOCK_START}\n{trimmed}\n\n{footer}\n{BLOCK_END}"
    body = head + block + tail
    return body if len(body) <= limit else None


def split_around_block(body: str) -> tuple[str, str]:
    """The text before and after the block an earlier run wrote (all of it is "before" if none).

    The block is the last start marker before the last end marker. A marker left alone (someone
    deleted the other by hand) is text: the next run appends a whole block after it, and the run
    after that finds that block, so updates stay idempotent.
    """
    end = body.rfind(BLOCK_END)
    start = body.rfind(BLOCK_START, 0, end) if end >= 0 else -1
    if start < 0:
        return body.strip(), ""
    return body[:start].strip(), body[end + len(BLOCK_END) :].strip()
