"""What the scanner does beyond CommonMark: generated tables of contents."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from release_actions.changelog.reading.markdown import _TOC_END, _TOC_START, _word_then_toc

# The patterns the two-step search replaced ("start.*toc" backtracks from every "start").
_TOC_START_PATTERN = re.compile(r"(?i)\b(?:start|begin)\b.*toc")
_TOC_END_PATTERN = re.compile(r"(?i)\bend\b.*toc")
_WORDS = st.lists(
    st.sampled_from(["start", "START", "begin", "end", "toc", "TOC", "restart", "_", " ", ":"]),
    max_size=8,
).map("".join)


@given(_WORDS)
def test_toc_markers_are_found_as_the_patterns_say(comment: str) -> None:
    assert _word_then_toc(_TOC_START, comment) == bool(_TOC_START_PATTERN.search(comment))
    assert _word_then_toc(_TOC_END, comment) == bool(_TOC_END_PATTERN.search(comment))
