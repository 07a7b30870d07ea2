from __future__ import annotations

import re

import pytest

from release_actions.errors import UsageError
from release_actions.versions import (
    TagTemplate,
    Version,
    base_version,
    is_semver,
    normalize_tag,
    parse_version,
    sort_versions,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("v1.2.3", "1.2.3"),
        ("V1.2.3", "1.2.3"),
        (" refs/tags/v2.0.0-rc.1\n", "2.0.0-rc.1"),
        ("vv1.0.0", "v1.0.0"),
        ("1.0.0", "1.0.0"),
    ],
)
def test_normalize_tag(tag: str, expected: str) -> None:
    assert normalize_tag(tag) == expected


def test_strict_semver() -> None:
    assert is_semver("1.0.0-rc.1+build.5")
    assert not is_semver("1.0")
    assert not is_semver("01.0.0")
    with pytest.raises(ValueError, match=re.escape("'2.3' is not a valid SemVer 2.0 version")):
        parse_version("2.3")


def test_base_version_and_sorting() -> None:
    assert base_version(Version.parse("2.0.0-beta.1+x")) == Version.parse("2.0.0")
    versions = [Version.parse(v) for v in ["1.10.0", "1.9.0", "1.10.0-rc.1", "2.0.0-alpha"]]
    assert [str(v) for v in sort_versions(versions, descending=True)] == [
        "2.0.0-alpha",
        "1.10.0",
        "1.10.0-rc.1",
        "1.9.0",
    ]


@pytest.mark.parametrize(
    ("template", "tag", "name", "version"),
    [
        ("{name}-{version}", "telepace-server-1.0.0-rc.1", "telepace-server", "1.0.0-rc.1"),
        ("{name}-{version}", "refs/tags/hami-2.3.0", "hami", "2.3.0"),
        ("{name}-v{version}", "telepace-web-v0.1.0", "telepace-web", "0.1.0"),
        ("{name}-v{version}", "a-b-v1.0.0-rc.1", "a-b", "1.0.0-rc.1"),
        ("v{version}-{name}", "v1.2.3-my-chart", "my-chart", "1.2.3"),
        ("v{version}-{name}", "v1.2.3-rc.1-my-chart", "my-chart", "1.2.3-rc.1"),
        ("v{version}", "v1.0.0-beta.1", None, "1.0.0-beta.1"),
    ],
)
def test_tag_templates_parse_by_the_template(
    template: str, tag: str, name: str | None, version: str
) -> None:
    assert TagTemplate(template).parse(tag) == (name, Version.parse(version))


def test_tag_template_round_trip() -> None:
    template = TagTemplate("{name}-v{version}")
    tag = template.render(name="telepace-server", version="1.0.0-rc.1")
    assert tag == "telepace-server-v1.0.0-rc.1"
    assert template.parse(tag) == ("telepace-server", Version.parse("1.0.0-rc.1"))


def test_known_name_removes_ambiguity() -> None:
    parsed = TagTemplate("v{version}-{name}").parse("v1.2.3-rc.1-my-chart", name="my-chart")
    assert parsed == ("my-chart", Version.parse("1.2.3-rc.1"))


def test_tag_that_does_not_fit() -> None:
    assert TagTemplate("{name}-{version}").parse("hami-v1.0.0") is None
    assert TagTemplate("v{version}").parse("v1.0") is None


def test_bad_templates_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="must contain"):
        TagTemplate("{name}")
    with pytest.raises(UsageError, match="may only use"):
        TagTemplate("{name}-{ver}-{version}")
    with pytest.raises(UsageError, match="needs a chart name"):
        TagTemplate("{name}-{version}").render(version="1.0.0")
