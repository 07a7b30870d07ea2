"""``release-notes: changelog``: a chart release's body from its changelog entry.

The changelog feature does the reading: its path templates, parser, entry notes (with the link
definitions the entry uses) and release body (trimmed to GitHub's limit, with a link to the file
at the tag). This module only decides where a chart's changelog is: ``changelog-path`` is looked
up in the chart's directory first, then at the repository root.
"""

from __future__ import annotations

from pathlib import Path

from ...changelog.notes import changelog_url, entry_notes, release_body
from ...changelog.reading import PathTemplate, parse_loose_version, read_changelog
from ...errors import InputError, ReleaseActionsError, SourceLocation
from ..loader import repo_path
from .plan import PlannedRelease


def changelog_template(text: str) -> PathTemplate:
    try:
        return PathTemplate(text)
    except InputError:
        raise InputError(
            f"input 'changelog-path': {text!r} may only use the placeholders {{major}}, {{minor}},"
            " {patch}, {version} and {tag}"
        ) from None


def changelog_release_notes(
    planned: PlannedRelease,
    template: PathTemplate,
    *,
    root: Path,
    server_url: str,
    repository: str,
) -> str:
    """The changelog entry of ``planned.version``, then a link to the changelog at the tag."""
    version = parse_loose_version(planned.version)
    if version is None:  # pragma: no cover - the checks require SemVer before a release
        raise ReleaseActionsError(f"{planned.version!r} is not a version")
    relative = template.render(version, planned.tag)
    candidates = [planned.chart.directory / relative, root / relative]
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        where = " or ".join(repo_path(path, root) for path in candidates)
        raise ReleaseActionsError(
            f"release-notes is changelog, but {planned.name} has no changelog at {where}",
            location=planned.chart.location("version"),
        )
    display = repo_path(found, root)
    changelog = read_changelog(found, display)
    entries = changelog.find(version)
    if not entries:
        raise ReleaseActionsError(
            f"{display} has no entry for {planned.name} {planned.version}",
            location=SourceLocation(display, 1),
        )
    link = changelog_url(server_url, repository, planned.tag, display)
    body = release_body("", entry_notes(changelog, entries[0]), link, mode="replace")
    return body or entry_notes(changelog, entries[0])
