from __future__ import annotations

from pathlib import Path

import pytest

from release_actions.changelog.reading.locate import (
    PathTemplate,
    find_changelogs,
    glob_regex,
    is_changelog,
    newest_changelog,
)
from release_actions.changelog.reading.loose_version import parse_loose_version
from release_actions.errors import InputError


def test_render_per_minor_per_tag_and_single_file() -> None:
    version = parse_loose_version("2.10.0-rc.1")
    assert version is not None
    assert (
        PathTemplate("docs/CHANGELOG/CHANGELOG-{major}.{minor}.md").render(version, "v2.10.0-rc.1")
        == "docs/CHANGELOG/CHANGELOG-2.10.md"
    )
    assert PathTemplate("docs/CHANGELOG/{tag}.md").render(version, "v2.10.0-rc.1") == (
        "docs/CHANGELOG/v2.10.0-rc.1.md"
    )
    assert PathTemplate("changes/{version}.md").render(version, "x") == "changes/2.10.0-rc.1.md"
    assert PathTemplate("CHANGELOG.md").render(version, "x") == "CHANGELOG.md"


def test_unknown_placeholders_are_input_errors() -> None:
    with pytest.raises(InputError, match="may only use the placeholders"):
        PathTemplate("docs/{name}.md")
    with pytest.raises(InputError):
        PathTemplate("  ")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.go", "cmd/main.go", True),
        ("pkg/**", "pkg/a/b/c.txt", True),
        ("pkg/*", "pkg/a/b.txt", False),
        ("charts/", "charts/hami/Chart.yaml", True),
        ("**/CHANGELOG.md", "CHANGELOG.md", True),
        ("**/CHANGELOG.md", "a/b/CHANGELOG.md", True),
        ("./docs/?.md", "docs/a.md", True),
        ("docs/[ab].md", "docs/[ab].md", True),
    ],
)
def test_globs(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).fullmatch(path)) is matches


def test_templates_match_from_the_repository_root() -> None:
    templates = [
        PathTemplate("CHANGELOG.md"),
        PathTemplate("docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"),
    ]
    assert is_changelog("CHANGELOG.md", templates)
    assert is_changelog("docs/CHANGELOG/CHANGELOG-1.2.md", templates)
    assert not is_changelog("vendor/x/CHANGELOG.md", templates)
    assert not is_changelog("docs/CHANGELOG/sub/CHANGELOG-1.2.md", templates)


def test_find_changelogs(tmp_path: Path) -> None:
    for name in [
        "CHANGELOG.md",
        "docs/CHANGELOG/CHANGELOG-0.0.0.md",
        "docs/CHANGELOG/CHANGELOG-1.2.md",
        "docs/CHANGELOG/README.md",
        ".git/CHANGELOG.md",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("## 1.0.0\n")
    templates = [
        PathTemplate("docs/CHANGELOG/CHANGELOG-{major}.{minor}.md"),
        PathTemplate("CHANGELOG.md"),
    ]
    assert find_changelogs(tmp_path, templates) == [
        "CHANGELOG.md",
        "docs/CHANGELOG/CHANGELOG-0.0.0.md",
        "docs/CHANGELOG/CHANGELOG-1.2.md",
    ]
    assert find_changelogs(tmp_path, [PathTemplate("NEWS.md")]) == []


def test_the_newest_changelog_by_the_numbers_in_its_name() -> None:
    found = [
        "CHANGELOG.md",
        "docs/CHANGELOG/CHANGELOG-0.0.0.md",
        "docs/CHANGELOG/CHANGELOG-1.10.md",
        "docs/CHANGELOG/CHANGELOG-1.9.md",
    ]
    assert newest_changelog(found) == "docs/CHANGELOG/CHANGELOG-1.10.md"
    assert newest_changelog(["CHANGELOG.md"]) == "CHANGELOG.md"
    assert newest_changelog([]) is None
