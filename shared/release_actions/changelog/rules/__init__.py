"""What a changelog must satisfy: the release gate, lint, pull-request rules, version files."""

from __future__ import annotations

from . import catalogue
from .catalogue import RULES_BY_ID, Rule
from .gate import date_matches_tag, file_missing, release_gate
from .lint import ORDERS, PROFILES, LintOptions, Order, Profile, lint, lint_rules
from .pull_request import (
    ENFORCEMENTS,
    Enforcement,
    PullRequestFacts,
    check_added_lines,
    check_touched,
    diff_base,
    line_changes,
    skip_reason,
)
from .version_files import VersionFile, check_version_files

__all__ = [
    "ENFORCEMENTS",
    "ORDERS",
    "PROFILES",
    "RULES_BY_ID",
    "Enforcement",
    "LintOptions",
    "Order",
    "Profile",
    "PullRequestFacts",
    "Rule",
    "VersionFile",
    "catalogue",
    "check_added_lines",
    "check_touched",
    "check_version_files",
    "date_matches_tag",
    "diff_base",
    "file_missing",
    "line_changes",
    "lint",
    "lint_rules",
    "release_gate",
    "skip_reason",
]
