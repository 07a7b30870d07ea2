"""The checks a chart must pass: Chart.yaml rules, the version bump, policies, ``chart bump``."""

from __future__ import annotations

from .bump import apply_bump, plan_bump
from .check_report import report_checks
from .checks import (
    DEFAULT_TAG_TEMPLATE,
    CheckConfig,
    CheckReport,
    findings_block_versions,
    run_checks,
    with_dependency_builds,
)
from .policies import (
    APP_VERSION_POLICIES,
    AppVersionPolicy,
    parse_app_version_policy,
    tag_version_message,
)
from .tags import read_tag
from .values import parse_values_checks

__all__ = [
    "APP_VERSION_POLICIES",
    "DEFAULT_TAG_TEMPLATE",
    "AppVersionPolicy",
    "CheckConfig",
    "CheckReport",
    "apply_bump",
    "findings_block_versions",
    "parse_app_version_policy",
    "parse_values_checks",
    "plan_bump",
    "read_tag",
    "report_checks",
    "run_checks",
    "tag_version_message",
    "with_dependency_builds",
]
