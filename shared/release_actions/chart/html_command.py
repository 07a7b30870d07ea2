"""``release-actions chart html``: the Helm repository's web page, from its index.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..context import Context
from ..errors import ReleaseActionsError, SourceLocation, UsageError
from ..fsutil import write_atomically
from .repo import (
    PageOptions,
    load_index_for_page,
    provenance_beside,
    render_index_html,
    safe_url,
)


def register(subcommands: argparse._SubParsersAction[Any]) -> None:
    parser = subcommands.add_parser(
        "html",
        help="write the repository's index.html from its index.yaml",
        description="Render a static, self-contained page listing every chart and version of "
        "the index: how to add the repository, each chart's install command, downloads and "
        "digests, and a search box. The action writes the same page when pages-html is true.",
    )
    parser.add_argument(
        "--index", metavar="FILE", type=Path, required=True, help="the index.yaml to show"
    )
    parser.add_argument(
        "--output", metavar="FILE", type=Path, required=True, help="where to write the page"
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        default="",
        help="the repository URL users add (default: the page's own directory, filled in by its"
        " script)",
    )
    parser.add_argument(
        "--name",
        metavar="NAME",
        default="charts",
        help="the name in helm repo add (default: charts)",
    )
    parser.add_argument("--title", metavar="TEXT", default="", help="default: NAME Helm charts")
    parser.add_argument(
        "--oci-registry",
        metavar="oci://HOST/PATH",
        default="",
        help="where the charts are pushed too: adds the helm install oci://… lines",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context) -> int:
    index_path: Path = context.cwd / args.index
    if args.url and safe_url(args.url) is None:
        raise UsageError(f"--url: {args.url!r} is not an http(s) URL")
    if args.oci_registry and not _is_oci_reference(args.oci_registry):
        raise UsageError(f"--oci-registry: {args.oci_registry!r} is not an oci://HOST/PATH")
    try:
        text = index_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseActionsError(f"cannot read {args.index}: {exc}") from None
    try:
        index = load_index_for_page(text)
    except ReleaseActionsError as exc:
        raise ReleaseActionsError(
            str(exc), location=SourceLocation(args.index.as_posix())
        ) from None
    url = args.url if not args.url or args.url.endswith("/") else args.url + "/"
    options = PageOptions(
        repository_name=args.name,
        repository_url=url,
        title=args.title,
        oci_registry=args.oci_registry,
        provenance=provenance_beside(index, index_path.parent),
    )
    output: Path = context.cwd / args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, render_index_html(index, options).encode("utf-8"))
    context.runner.info(f"{args.output}: written")
    return 0


def _is_oci_reference(text: str) -> bool:
    host = text.removeprefix("oci://")
    return text.startswith("oci://") and bool(host) and not any(c in text for c in " \t\n\"'<>")
