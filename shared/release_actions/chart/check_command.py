"""``release-actions chart check`` and ``release-actions chart bump``."""

from __future__ import annotations

import argparse
from typing import Any

from ..context import Context
from ..git import Git
from ..versions import TagTemplate, is_semver
from .lint import (
    APP_VERSION_POLICIES,
    DEFAULT_TAG_TEMPLATE,
    CheckConfig,
    apply_bump,
    parse_app_version_policy,
    parse_values_checks,
    plan_bump,
    report_checks,
    run_checks,
    with_dependency_builds,
)
from .package import find_helm
from .release import parse_index_path, read_published


def register(subcommands: argparse._SubParsersAction[Any]) -> None:
    """Add ``check`` and ``bump`` to the ``chart`` noun's subcommands."""
    check = subcommands.add_parser(
        "check",
        help="check charts: Chart.yaml, dependencies, policies, version bumps",
        description=(
            "Check every chart under the charts directories. Without --target-branch only the"
            " static checks run. Exit 1 on any problem; each is annotated on its line."
        ),
    )
    check.add_argument(
        "--charts-dir", action="append", metavar="DIR", help="root searched for charts (repeatable)"
    )
    check.add_argument(
        "--exclude", action="append", metavar="GLOB", help="chart directories to skip (repeatable)"
    )
    check.add_argument(
        "--target-branch",
        metavar="REF",
        help="compare with the merge-base of this branch: changed charts need a version bump,"
        " one that neither origin's index nor a release tag has yet",
    )
    check.add_argument(
        "--pages-branch",
        default="gh-pages",
        metavar="BRANCH",
        help="with --target-branch: the branch of origin holding the index (default: gh-pages)",
    )
    check.add_argument(
        "--index-path",
        default="index.yaml",
        metavar="PATH",
        help="with --target-branch: the index's path on the pages branch (default: index.yaml)",
    )
    _add_policy_arguments(check)
    check.add_argument(
        "--tag-template",
        default=DEFAULT_TAG_TEMPLATE,
        metavar="TEMPLATE",
        help=f"release tag from {{name}} and {{version}} (default {DEFAULT_TAG_TEMPLATE})",
    )
    check.add_argument(
        "--tag", metavar="TAG", help="the tag this run is for; it must match a chart version"
    )
    check.set_defaults(handler=run_check)

    bump = subcommands.add_parser(
        "bump",
        help="set a chart's version (and appVersion and values fields by policy) in place",
        description=(
            "Rewrite version, appVersion (by --app-version-policy) and the --values-check fields"
            " as a text edit: comments and layout stay as they are."
        ),
    )
    bump.add_argument("chart_dir", metavar="CHART_DIR", help="the chart's directory")
    bump.add_argument("version", metavar="VERSION", help="the new chart version, e.g. 1.4.0")
    _add_policy_arguments(bump)
    bump.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    bump.set_defaults(handler=run_bump)


def run_check(args: argparse.Namespace, context: Context) -> int:
    config = CheckConfig(
        charts_dirs=tuple(args.charts_dir or ("charts",)),
        exclude=tuple(args.exclude or ()),
        target_branch=args.target_branch or None,
        app_version_policy=args.app_version_policy,
        values_checks=tuple(args.values_check or ()),
        tag_template=TagTemplate(args.tag_template),
    )
    git = Git(context.cwd, environ=context.environ) if config.target_branch else None
    # What the action's pull-request check reads too: origin's index and the release tags.
    published = read_published(
        git, args.pages_branch, parse_index_path(args.index_path), context.runner
    )
    report = run_checks(
        config,
        root=context.cwd,
        git=git,
        published_versions=published.versions,
        release_tags=published.release_tags,
        tag=args.tag or None,
    )
    report = with_dependency_builds(report, find_helm(), published.versions)
    report_checks(context.runner, report)
    return 0


def run_bump(args: argparse.Namespace, context: Context) -> int:
    runner = context.runner
    version = args.version.strip()
    if not is_semver(version) and version[:1] in ("v", "V") and is_semver(version[1:]):
        runner.info(f"Reading {version} as {version[1:]}: chart versions have no v.")
        version = version[1:]
    plan = plan_bump(
        context.cwd / args.chart_dir,
        version,
        policy=parse_app_version_policy(args.app_version_policy),
        values_checks=parse_values_checks(args.values_check or ()),
        root=context.cwd,
    )
    if not plan.changed:
        runner.print_untrusted(f"{plan.chart_name} is already at {version}: nothing to change.")
        return 0
    if args.dry_run:
        runner.print_untrusted(plan.diff().rstrip("\n"))
        runner.print_untrusted(
            f"Dry run: {plan.chart_name} {plan.old_version} → {version}, nothing written."
        )
        return 0
    written = apply_bump(plan)
    files = ", ".join(edit.display_path for edit in plan.edits if edit.path in written)
    runner.print_untrusted(f"{plan.chart_name}: {plan.old_version} → {version} ({files}).")
    return 0


def _add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--app-version-policy",
        choices=APP_VERSION_POLICIES,
        default="none",
        metavar="POLICY",
        help="equal, v-prefixed or none (default)",
    )
    parser.add_argument(
        "--values-check",
        action="append",
        metavar="'KEY = TEMPLATE'",
        help="a values.yaml field kept in step, e.g. 'image.tag = v{version}' (repeatable)",
    )
