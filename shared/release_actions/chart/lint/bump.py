"""``chart bump``: set version, appVersion and the values-checks fields, editing text in place.

Each value is located by its YAML node's marks and only those characters are replaced, in the
value's own quoting style, so comments, key order, blank lines and line endings stay byte for
byte. Running it twice with one version changes nothing the second time.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import ReleaseActionsError, SourceLocation, UsageError
from ...fsutil import write_atomically
from ...versions import is_semver
from ..loader import (
    CHART_FILE,
    STR_TAG,
    ChartFileError,
    YamlDocument,
    YamlProblem,
    find_path,
    go_value,
    is_string,
    node_position,
    parse_chart,
    parse_yaml,
    path_anchor,
    read_chart,
    repo_path,
)
from .policies import AppVersionPolicy, expected_app_version
from .values import VALUES_FILE, ValuesCheck

# Only these errors can be repaired by a bump: it rewrites the version fields as strings.
_REPAIRABLE = frozenset({"string-type"})


@dataclass(frozen=True)
class FileEdit:
    path: Path
    display_path: str
    before: str
    after: str
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.display_path}",
                tofile=f"b/{self.display_path}",
            )
        )


@dataclass(frozen=True)
class BumpPlan:
    chart_name: str
    old_version: str
    new_version: str
    edits: tuple[FileEdit, ...]

    @property
    def changed(self) -> bool:
        return any(edit.changed for edit in self.edits)

    def diff(self) -> str:
        return "".join(edit.diff() for edit in self.edits if edit.changed)


def plan_bump(
    chart_dir: Path,
    version: str,
    *,
    policy: AppVersionPolicy = "none",
    values_checks: Sequence[ValuesCheck] = (),
    root: Path | None = None,
) -> BumpPlan:
    """Work out the new Chart.yaml (and values.yaml) text; nothing is written."""
    if not is_semver(version):
        raise UsageError(f"{version!r} is not a SemVer 2.0 version (MAJOR.MINOR.PATCH)")
    display = repo_path(chart_dir / CHART_FILE, root)
    chart, findings = read_chart(chart_dir, display_path=display)
    blocking = [finding for finding in findings if finding.rule not in _REPAIRABLE]
    if chart is None or blocking:
        raise ChartFileError(blocking or findings)
    document = chart.source
    assert document is not None  # read_chart always keeps the document
    name = chart.name
    old_version = _scalar_text(document, "version")
    app_version = expected_app_version(version, policy)
    keys = ["version"]
    if app_version is not None and document.entry("appVersion") is not None:
        keys.append("appVersion")
    wanted = {"version": version, "appVersion": app_version or ""}
    replacements = [_replacement(document, key, wanted[key], display) for key in keys]
    chart_text = splice(document.text, [r for r in replacements if r is not None])
    if app_version is not None and document.entry("appVersion") is None:
        spliced = parse_yaml(chart_text.encode("utf-8"), construct=False)
        chart_text = _insert_after(spliced, "version", "appVersion", app_version)
    final_app_version = app_version if app_version is not None else chart.app_version
    edits = [FileEdit(chart_dir / CHART_FILE, display, document.text, chart_text, document.has_bom)]
    if values_checks:
        edits.append(_values_edit(chart_dir, name, version, final_app_version, values_checks, root))
    _verify(edits[0], chart_dir, version, app_version)
    return BumpPlan(name, old_version, version, tuple(edits))


def apply_bump(plan: BumpPlan) -> list[Path]:
    """Write the changed files (each atomically); return their paths."""
    written: list[Path] = []
    for edit in plan.edits:
        if edit.changed:
            data = ("\ufeff" if edit.bom else "") + edit.after
            write_atomically(edit.path, data)
            written.append(edit.path)
    return written


def splice(text: str, replacements: Sequence[tuple[yaml.ScalarNode, str]]) -> str:
    """Replace each scalar node's characters with new text, back to front."""
    ordered = sorted(replacements, key=lambda item: item[0].start_mark.index, reverse=True)
    for node, rendered in ordered:
        start, end = node.start_mark.index, node.end_mark.index
        text = text[:start] + rendered + text[end:]
    return text


def render_like(node: yaml.ScalarNode, value: str) -> str:
    """``value`` in the quoting style of ``node``; plain only when it reads back as this string
    for PyYAML and for Helm (``y`` or ``1.10`` get quotes)."""
    style = node.style or ""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == "" and _plain_is_safe(value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _replacement(
    document: YamlDocument, key: str, value: str, display: str
) -> tuple[yaml.ScalarNode, str] | None:
    """The splice for ``key`` (``None`` when it already holds ``value`` as a string)."""
    entry = document.entry(key)
    if entry is None:
        raise ReleaseActionsError(f"Chart.yaml has no {key}", location=SourceLocation(display, 1))
    return _scalar_replacement(entry[1], value, key, display)


def _scalar_replacement(
    node: yaml.Node, value: str, what: str, display: str
) -> tuple[yaml.ScalarNode, str] | None:
    position = node_position(node)
    location = SourceLocation(display, position.line, position.col)
    if not isinstance(node, yaml.ScalarNode):
        raise ReleaseActionsError(f"{what} is not a single value", location=location)
    if node.style in ("|", ">"):
        raise ReleaseActionsError(
            f"{what} is a block scalar; write it on one line to let chart bump set it",
            location=location,
        )
    if is_string(node) and node.value == value and go_value(node) == value:
        return None
    return node, render_like(node, value)


def _insert_after(document: YamlDocument, after_key: str, key: str, value: str) -> str:
    """Add ``key: "value"`` on a new line after ``after_key``'s line, at its indentation."""
    entry = document.entry(after_key)
    assert entry is not None  # the version entry exists: plan_bump checked it
    key_node, value_node = entry
    text = document.text
    line_end = len(text)
    for index in range(value_node.end_mark.index, len(text)):
        if text[index] in "\r\n":
            line_end = index
            break
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = " " * key_node.start_mark.column
    addition = f"{newline}{indent}{key}: {json.dumps(value, ensure_ascii=False)}"
    return text[:line_end] + addition + text[line_end:]


def _values_edit(
    chart_dir: Path,
    name: str,
    version: str,
    app_version: str | None,
    checks: Sequence[ValuesCheck],
    root: Path | None,
) -> FileEdit:
    path = chart_dir / VALUES_FILE
    display = repo_path(path, root)
    try:
        document = parse_yaml(path.read_bytes(), construct=False)
    except FileNotFoundError:
        keys = ", ".join(check.key for check in checks)
        raise ReleaseActionsError(
            f"values.yaml is missing, but values-checks set {keys}",
            location=SourceLocation(display),
        ) from None
    except YamlProblem as problem:
        location = SourceLocation(display, problem.line, problem.col)
        raise ReleaseActionsError(problem.message, location=location) from None
    replacements: list[tuple[yaml.ScalarNode, str]] = []
    for check in checks:
        try:
            value = check.render(name=name, version=version, app_version=app_version)
        except ValueError:
            raise UsageError(f"values check '{check}' needs an appVersion in Chart.yaml") from None
        node, depth = find_path(document.root, check.path)
        if node is None:
            parent = path_anchor(document.root, check.path[:depth])
            line = node_position(parent).line if parent is not None else 1
            missing = ".".join(check.path[: depth + 1])
            raise ReleaseActionsError(
                f"values.yaml has no {missing}: add it once, then chart bump keeps it in step",
                location=SourceLocation(display, line),
            )
        replacement = _scalar_replacement(node, value, check.key, display)
        if replacement is not None:
            replacements.append(replacement)
    after = splice(document.text, replacements)
    return FileEdit(path, display, document.text, after, document.has_bom)


def _verify(edit: FileEdit, chart_dir: Path, version: str, app_version: str | None) -> None:
    """Read the new Chart.yaml back: it must be valid (an unquoted appVersion that the policy
    does not set stays an error) and hold exactly the wanted values."""
    chart, findings = parse_chart(
        edit.after.encode("utf-8"), directory=chart_dir, display_path=edit.display_path
    )
    if chart is None or findings:
        raise ChartFileError(findings)
    wanted = {"version": version, "appVersion": app_version}
    for key, value in wanted.items():
        if value is not None and chart.metadata.get(key) != value:  # pragma: no cover
            raise ReleaseActionsError(f"rewriting {key} in {edit.display_path} went wrong")


def _scalar_text(document: YamlDocument, key: str) -> str:
    entry = document.entry(key)
    value = getattr(entry[1], "value", "") if entry is not None else ""
    return value if isinstance(value, str) else ""


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip():
        return False
    try:
        node = yaml.compose(f"k: {value}\n", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    scalar = node.value[0][1]
    return bool(scalar.tag == STR_TAG and scalar.value == value and go_value(scalar) == value)
