"""The block scanner against CommonMark: the spec's own examples, and generated documents.

markdown-it-py is the oracle: it passes the whole spec, and its tokens carry line maps, so each
test compares where headings, fenced code and HTML blocks start and end, line by line, and what
each heading says. Block quotes and list items are not containers to our scanner (see
markdown.py), so only the blocks at the top level of the document are compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from release_actions.changelog.reading.markdown import scan

SPEC_EXAMPLES = json.loads(
    (Path(__file__).parent / "commonmark" / "spec_examples.json").read_text(encoding="utf-8")
)
ORACLE = MarkdownIt("commonmark")

Headings = list[tuple[int, int, int, str]]  # level, first line, last line, text
Blocks = list[tuple[str, int, int]]  # kind, first line, last line


def oracle_blocks(text: str) -> tuple[Headings, Blocks]:
    tokens = ORACLE.parse(text)
    headings: Headings = []
    blocks: Blocks = []
    for position, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        first, after = token.map
        if token.type == "heading_open":
            text_token = tokens[position + 1]
            headings.append((int(token.tag[1]), first + 1, after, _words(text_token.content)))
        elif token.type == "fence":
            blocks.append(("fence", first + 1, after))
        elif token.type == "html_block":
            blocks.append(("html", first + 1, after))
    return headings, blocks


def scanned_blocks(text: str) -> tuple[Headings, Blocks]:
    document = scan(text)
    headings = [(h.level, h.line, h.end_line, _words(h.text)) for h in document.headings]
    blocks = [(block.kind, block.line, block.end_line) for block in document.blocks]
    return headings, blocks


def _words(text: str) -> str:
    """Blanks collapsed: the oracle keeps a setext heading's line breaks and trailing blanks."""
    return " ".join(text.split())


def has_containers(text: str) -> bool:
    return any(
        token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open")
        for token in ORACLE.parse(text)
    )


def example_id(example: dict[str, Any]) -> str:
    return f"{example['example']}-{example['section'].replace(' ', '-').lower()}"


@pytest.mark.parametrize("example", SPEC_EXAMPLES, ids=example_id)
def test_the_oracle_renders_the_spec_example(example: dict[str, Any]) -> None:
    assert ORACLE.render(example["markdown"]) == example["html"]


@pytest.mark.parametrize("example", SPEC_EXAMPLES, ids=example_id)
def test_blocks_start_and_end_where_commonmark_says(example: dict[str, Any]) -> None:
    text = example["markdown"]
    assert scanned_blocks(text) == oracle_blocks(text)


@pytest.mark.parametrize("example", SPEC_EXAMPLES, ids=example_id)
def test_a_heading_after_the_example_is_found_or_hidden_as_commonmark_says(
    example: dict[str, Any],
) -> None:
    # An example's unclosed fence or HTML block swallows what follows; a closed one does not.
    text = example["markdown"] + "\n## 1.0.0 - after the example\n"
    assert scanned_blocks(text) == oracle_blocks(text)


def test_the_issue_s_fence_that_looks_closed_is_not() -> None:
    text = "# v2.0.0\n```\ncode\n``` `\n# v1.0.0\n```\n# v0.9.0\n"
    assert scanned_blocks(text) == oracle_blocks(text)
    assert [heading.text for heading in scan(text).headings] == ["v2.0.0", "v0.9.0"]


@pytest.mark.parametrize(
    "text",
    [
        "<PRE>\n# 1.0.0\n</Pre>\n# 0.9.0\n",  # end tags match in any case
        " \t# 1.0.0\n  \t```\n# 0.9.0\n",  # a tab reaches the next multiple of 4 columns
        "Text\n2. item\n---\n",  # only "1." starts a list inside a paragraph…
        "Text\n1. item\n---\n",  # …so this "---" is a thematic break, that one an underline
        "Text\n-\n# 1.0.0\n",  # an empty item interrupts nothing: "-" underlines
    ],
)
def test_rules_the_spec_examples_leave_open(text: str) -> None:
    assert scanned_blocks(text) == oracle_blocks(text)


_BLOCK_PIECES = st.sampled_from(
    [
        "",
        "   ",
        "\t",
        "# v1.0.0",
        "## Added ##",
        "### 1.0.0 #   ",
        "#### ####",
        "#hashtag",
        "####### seven",
        "   ## indented",
        "    # code",
        "text",
        "more text  ",
        "===",
        "---",
        "  ---  ",
        "= =",
        "***",
        "___",
        "```",
        "````",
        "``` `",
        "```python",
        "``` ```",
        "~~~",
        "~~~~ ~",
        "   ```",
        "    ```",
        "<!-- comment",
        "<!-- one line -->",
        "-->",
        "<!-->",
        "<pre>",
        "</pre>",
        "<PRE>",
        "</PRE>",
        " \t# v1.0.0",
        "  \t```",
        "\t~~~",
        "2. item",
        "1. item",
        "1.",
        "- item",
        "-",
        "> quote",
        "<script type='x'>",
        "<div>",
        "</div>",
        "<details>",
        "<summary>Changes</summary>",
        "<a href='x'>",
        "<a href='x'> text",
        "<br/>",
        "<?php",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        "[x]: https://y",
    ]
)
# Each line ends with a newline, as in a file (markdown-it drops a last blank line without one).
_BLOCK_DOCUMENTS = st.lists(_BLOCK_PIECES, min_size=1, max_size=24).map(
    lambda lines: "".join(f"{line}\n" for line in lines)
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(_BLOCK_DOCUMENTS)
def test_generated_documents_agree_with_commonmark(text: str) -> None:
    assume(not has_containers(text))
    assert scanned_blocks(text) == oracle_blocks(text)
