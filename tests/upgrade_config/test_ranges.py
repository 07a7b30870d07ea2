from __future__ import annotations

import pytest

from release_actions.upgrade_config.ranges import RangeError, parse_range, satisfies
from release_actions.versions import Version


@pytest.mark.parametrize(
    ("range_text", "inside", "outside"),
    [
        (">=1.0.0 <2.0.0", ["1.0.0", "1.9.99"], ["0.9.9", "2.0.0"]),
        (">= 1.0.0 < 2.0.0", ["1.5.0"], ["2.0.0"]),
        ("^2.1.0", ["2.1.0", "2.9.9"], ["2.0.9", "3.0.0"]),
        ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0"]),
        ("^0.0.3", ["0.0.3"], ["0.0.4"]),
        ("~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0"]),
        ("~1", ["1.0.0", "1.9.0"], ["2.0.0"]),
        ("1.x", ["1.0.0", "1.99.0"], ["2.0.0", "0.9.0"]),
        ("1.2.*", ["1.2.0", "1.2.7"], ["1.3.0"]),
        ("*", ["0.0.1", "9.0.0"], []),
        ("1.2.3", ["1.2.3"], ["1.2.4"]),
        ("=1.2.3", ["1.2.3"], ["1.2.2"]),
        (">1.2", ["1.3.0"], ["1.2.9"]),
        ("<=1.2", ["1.2.9"], ["1.3.0"]),
        ("<1.2", ["1.1.9"], ["1.2.0"]),
        ("1.2.3 - 2.3", ["1.2.3", "2.3.9"], ["2.4.0", "1.2.2"]),
        ("1.2 - 2.3.4", ["1.2.0", "2.3.4"], ["2.3.5"]),
        ("<1.0.0 || >=3.0.0", ["0.5.0", "3.1.0"], ["2.0.0"]),
    ],
)
def test_node_semver_ranges(range_text: str, inside: list[str], outside: list[str]) -> None:
    for text in inside:
        assert satisfies(Version.parse(text), range_text), text
    for text in outside:
        assert not satisfies(Version.parse(text), range_text), text


def test_comparisons_include_prereleases_like_node_with_include_prerelease() -> None:
    # this is why the anchor put 2.0.0-beta.1 into ">=1.0.0 <2.0.0"
    assert satisfies(Version.parse("2.0.0-beta.1"), ">=1.0.0 <2.0.0")
    assert not satisfies(Version.parse("2.0.0-beta.1"), "<2")


@pytest.mark.parametrize("text", [">=1.0.0 <<2", "abc", ">=1.0.0.0", "1.2.3 -"])
def test_bad_ranges_are_refused(text: str) -> None:
    with pytest.raises(RangeError):
        parse_range(text)
