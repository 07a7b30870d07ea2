"""The Helm repository index: merging entries into index.yaml, its diff, and its web page."""

from __future__ import annotations

from .diff import unified_index_diff
from .entry import entry_from_metadata, index_entry
from .html import PageOptions, provenance_beside, render_index_html, safe_url
from .index import (
    IndexMerge,
    decode_index,
    index_entries,
    load_index,
    merge_into_index,
    published_versions,
    rewritten_warning,
)
from .page_index import load_index_for_page

__all__ = [
    "IndexMerge",
    "PageOptions",
    "decode_index",
    "entry_from_metadata",
    "index_entries",
    "index_entry",
    "load_index",
    "load_index_for_page",
    "merge_into_index",
    "provenance_beside",
    "published_versions",
    "render_index_html",
    "rewritten_warning",
    "safe_url",
    "unified_index_diff",
]
