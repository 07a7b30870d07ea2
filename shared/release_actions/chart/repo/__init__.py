"""The Helm repository index: merging entries into index.yaml, its diff, and its web page."""

from __future__ import annotations

from .diff import unified_index_diff
from .entry import entry_from_metadata, index_entry
from .html import render_index_html
from .index import (
    IndexMerge,
    index_entries,
    merge_into_index,
    published_versions,
    rewritten_warning,
)

__all__ = [
    "IndexMerge",
    "entry_from_metadata",
    "index_entries",
    "index_entry",
    "merge_into_index",
    "published_versions",
    "render_index_html",
    "rewritten_warning",
    "unified_index_diff",
]
