"""Real-world layouts, written from scratch in the shapes the reference study found."""

from __future__ import annotations

import datetime
import textwrap

from release_actions.changelog.reading.model import Changelog
from release_actions.changelog.reading.parser import decode, parse_changelog


def parse(text: str) -> Changelog:
    return parse_changelog(textwrap.dedent(text).lstrip("\n"), "CHANGELOG.md")


def keys(changelog: Changelog) -> list[str]:
    return [entry.version.key for entry in changelog.entries]


HAMI_PER_MINOR = """
<!-- START doctoc generated TOC please keep comment here to allow auto update -->
<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->
**Table of Contents**  *generated with [DocToc](https://github.com/thlorenz/doctoc)*

- [v1.2.1](#v121)
  - [Downloads for v1.2.1](#downloads-for-v121)
  - [Changelog since v1.2.0](#changelog-since-v120)
- [v1.2.0](#v120)
- [v1.2.0-rc.1](#v120-rc1)

<!-- END doctoc generated TOC please keep comment here to allow auto update -->

# v1.2.1
## Downloads for v1.2.1

Download v1.2.1 in the [v1.2.1 release page](https://github.com/Project-HAMi/HAMi/releases/tag/v1.2.1).

## Changelog since v1.2.0
### Changes by Kind
#### Bug Fixes
- Fix the device plugin crash on nodes without GPUs (#1234, @alice)

### Deprecation
None.

#### Others
None.

# v1.2.0
## Downloads for v1.2.0

Download v1.2.0 in the [v1.2.0 release page](https://github.com/Project-HAMi/HAMi/releases/tag/v1.2.0).

## Changelog since v1.1.0
## What's New
### Dynamic MIG
Partition A100s on demand.

# v1.2.0-rc.1
## Downloads for v1.2.0-rc.1

Download v1.2.0-rc.1 in the [v1.2.0-rc.1 release page](https://github.com/Project-HAMi/HAMi/releases/tag/v1.2.0-rc.1).

## Changelog since v1.1.0
#### Others
None.
"""


def test_hami_per_minor_file() -> None:
    changelog = parse(HAMI_PER_MINOR)
    assert keys(changelog) == ["1.2.1", "1.2.0", "1.2.0-rc.1"]
    first = changelog.entries[0]
    assert (first.line, first.level, first.title) == (13, 1, "v1.2.1")
    assert first.body.splitlines()[0] == "## Downloads for v1.2.1"
    assert first.body.splitlines()[-1] == "None."
    assert first.end_line == 28
    assert [heading.text for heading in first.subheadings][:2] == [
        "Downloads for v1.2.1",
        "Changelog since v1.2.0",
    ]
    assert changelog.entries[1].body.splitlines()[-1] == "Partition A100s on demand."
    assert changelog.entries[2].status == "prereleased"


KEEP_A_CHANGELOG = """
# Changelog
All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]

## [1.1.0] - 2024-03-02
### Added
- A `--json` flag, see [#12].

### Fixed
- Crash on empty input.

## [1.0.0] - 2024-01-31 [YANKED]
### Added
- First release.

[unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
[#12]: https://github.com/o/r/issues/12
[SemVer]: https://semver.org
"""


def test_keep_a_changelog_file() -> None:
    changelog = parse(KEEP_A_CHANGELOG)
    assert keys(changelog) == ["unreleased", "1.1.0", "1.0.0"]
    unreleased, minor, first = changelog.entries
    assert unreleased.body == ""
    assert unreleased.status == "unreleased"
    assert minor.date == datetime.date(2024, 3, 2)
    assert minor.body.startswith("### Added\n- A `--json` flag")
    assert first.yanked and first.status == "yanked"
    # changelog-reader-action's order: a yanked prerelease is "prereleased"
    (candidate,) = parse("## [1.2.0-rc.1] - 2024-04-01 [YANKED]\n- x\n").entries
    assert candidate.yanked and candidate.status == "prereleased"
    # The link definitions at the bottom are not part of the oldest entry.
    assert first.body == "### Added\n- First release."
    assert set(changelog.links) == {"unreleased", "1.1.0", "1.0.0", "#12", "semver"}
    assert changelog.links["1.1.0"].line == 20


KUBERNETES_PER_MINOR = """
<!-- BEGIN MUNGE: GENERATED_TOC -->

- [v1.28.8](#v1288)
  - [Downloads for v1.28.8](#downloads-for-v1288)
- [v1.28.7](#v1287)

<!-- END MUNGE: GENERATED_TOC -->

# v1.28.8


## Downloads for v1.28.8



### Source Code

filename | sha512 hash
-------- | -----------
[kubernetes.tar.gz](https://dl.k8s.io/v1.28.8/kubernetes.tar.gz) | `0a1b2c`

## Changelog since v1.28.7

## Changes by Kind

### Bug or Regression

- Fixed a kubelet crash when a pod is deleted during startup. ([#123](https://x/123)) [SIG Node]

## Dependencies

### Added
_Nothing has changed._

# v1.28.7


## Downloads for v1.28.7

## Changelog since v1.28.6

## Changes by Kind

### Feature

- Kubernetes is now built with Go 1.21.8
"""


def test_kubernetes_per_minor_file() -> None:
    changelog = parse(KUBERNETES_PER_MINOR)
    assert keys(changelog) == ["1.28.8", "1.28.7"]
    newest = changelog.entries[0]
    assert newest.line == 9
    assert newest.body.splitlines()[0] == "## Downloads for v1.28.8"
    assert newest.body.splitlines()[-1] == "_Nothing has changed._"
    assert changelog.entries[1].body.endswith("- Kubernetes is now built with Go 1.21.8")


SETEXT = """
Unreleased
==========

  * Fix a header conflict

4.1.0 / 2024-05-01
==================

  * Add `res.query()`

Notes
-----

Upgrading is safe.

---

4.0.0 / 2024-01-02
===

  * Drop Node 0.10
"""


def test_setext_headings_and_thematic_breaks() -> None:
    changelog = parse(SETEXT)
    assert keys(changelog) == ["unreleased", "4.1.0", "4.0.0"]
    release = changelog.entries[1]
    assert (release.line, release.level, release.date) == (6, 1, datetime.date(2024, 5, 1))
    # The setext H2 "Notes" and the "---" after a blank line stay in the body.
    assert release.body.splitlines() == [
        "  * Add `res.query()`",
        "",
        "Notes",
        "-----",
        "",
        "Upgrading is safe.",
        "",
        "---",
    ]
    assert [heading.text for heading in release.subheadings] == ["Notes"]
    assert changelog.entries[2].body == "  * Drop Node 0.10"


def test_a_list_item_underlined_is_not_a_setext_heading() -> None:
    changelog = parse(
        """
        ## 1.0.0
        - 2.0.0
        =====
        > 3.0.0
        -----
        """
    )
    assert keys(changelog) == ["1.0.0"]


def test_crlf_lone_cr_and_bom_are_normalised() -> None:
    raw = "\ufeff# Changelog\r\n\r\n## v1.2.3 - 2024-01-31\r\n- fixed\r\r## v1.2.2\r\n- older\r\n"
    text, invalid = decode(raw.encode("utf-8"))
    assert not invalid
    changelog = parse_changelog(text)
    assert keys(changelog) == ["1.2.3", "1.2.2"]
    newest = changelog.entries[0]
    assert newest.date == datetime.date(2024, 1, 31)
    assert newest.body == "- fixed"
    assert "\r" not in newest.title + newest.body + newest.date_text
    assert newest.line == 3


def test_a_bom_on_text_input_is_stripped_too() -> None:
    assert keys(parse_changelog("\ufeff## 1.0.0\n- x\n")) == ["1.0.0"]


def test_invalid_utf8_is_replaced_and_flagged() -> None:
    text, invalid = decode(b"## 1.0.0\n- caf\xe9\n")
    assert invalid
    changelog = parse_changelog(text, invalid_utf8=invalid)
    assert changelog.invalid_utf8
    assert changelog.entries[0].body == "- caf\ufffd"


FENCES_AND_HTML = """
# Changelog

```markdown
## 9.9.9
```

<!-- next-release -->

<!--
## 8.8.8
-->

## 1.1.0

````md
```
## 7.7.7
```
## 6.6.6
````

~~~
## 5.5.5
``` not a closer
~~~

<pre>
## 4.4.4
</pre>

    ## 3.3.3 (indented code)

```sh
# still code
```js
## 2.2.2
```

## 1.0.0
- first
"""


def test_fences_comments_raw_html_and_indented_code_hide_headings() -> None:
    changelog = parse(FENCES_AND_HTML)
    assert keys(changelog) == ["1.1.0", "1.0.0"]
    body = changelog.entries[0].body
    assert "## 6.6.6" in body and "## 2.2.2" in body
    assert changelog.entries[1].body == "- first"


def test_an_unclosed_fence_runs_to_the_end_of_the_file() -> None:
    changelog = parse(
        """
        ## 1.1.0
        ```
        ## 1.0.0
        """
    )
    assert keys(changelog) == ["1.1.0"]


def test_a_toc_without_its_end_marker_stops_at_the_first_heading() -> None:
    changelog = parse(
        """
        <!-- START doctoc -->
        - [v1.0.0](#v100)

        # v1.0.0
        - first
        """
    )
    assert keys(changelog) == ["1.0.0"]


def test_mixed_levels_are_siblings() -> None:
    changelog = parse(
        """
        ## [14.0.0](https://x/compare/v13.17.1...v14.0.0) (2022-06-01)

        ### Features

        * big change

        ### [13.17.1](https://x/compare/v13.17.0...v13.17.1) (2022-05-27)

        ### Bug Fixes

        * small fix

        ## [13.17.0](https://x/compare/v13.16.6...v13.17.0) (2022-05-24)

        * older
        """
    )
    assert keys(changelog) == ["14.0.0", "13.17.1", "13.17.0"]
    assert changelog.entries[0].body == "### Features\n\n* big change"
    # A same-level ordinary heading ("### Bug Fixes") does not end an H3 entry.
    assert changelog.entries[1].body == "### Bug Fixes\n\n* small fix"


def test_a_shallower_ordinary_heading_ends_an_entry() -> None:
    changelog = parse(
        """
        # Project
        ## 1.0.0
        - first
        # Appendix
        Not part of 1.0.0.
        """
    )
    assert changelog.entries[0].body == "- first"
    assert changelog.entries[0].end_line == 3


def test_hami_root_layout_with_a_group_heading() -> None:
    changelog = parse(
        """
        # CHANGELOG

        ## v2.2

        **Bug fixes**
        - old

        # v2.3

        ## v2.3.0

        - new

        ## v2.4.0 - 2024-09-29

        **New features**
        - newer


        """
    )
    assert keys(changelog) == ["2.2", "2.3", "2.3.0", "2.4.0"]
    group = changelog.entries[1]
    assert (group.level, group.body) == (1, "")
    assert changelog.entries[3].body == "**New features**\n- newer"


def test_heading_details() -> None:
    changelog = parse(
        """
        ##   v1.0.0 ##
        ##v0.9.0
        #\tv0.8.0
        #### v0.7.0
        """
    )
    # Closing #s are dropped; "##v0.9.0" is not a heading; H4 is never a version heading.
    assert keys(changelog) == ["1.0.0", "0.8.0"]
    assert changelog.entries[0].title == "v1.0.0"


def test_a_product_prefix_must_recur_and_not_hide_in_a_body() -> None:
    changelog = parse(
        """
        ## 2.0.0
        ### Kubernetes 1.28
        Supported now.
        ## 1.0.0
        """
    )
    assert keys(changelog) == ["2.0.0", "1.0.0"]
    prefixed = parse(
        """
        Towncrier 24.8.0 (2024-08-23)
        =============================
        - a

        towncrier 24.7.0
        ================
        - b
        """
    )
    assert keys(prefixed) == ["24.8.0", "24.7.0"]
    assert prefixed.entries[0].prefix == "Towncrier"


def test_empty_and_versionless_files() -> None:
    assert parse("").blank
    assert parse(" \n\t\n").blank
    versionless = parse("# What's New\n## Aggregated API\nText.\n")
    assert not versionless.blank
    assert versionless.entries == ()


def test_trailing_blank_lines_and_no_final_newline() -> None:
    assert parse_changelog("## 1.0.0\n- a").entries[0].body == "- a"
    assert parse_changelog("## 1.0.0\n\n- a\n\n\n\n").entries[0].body == "- a"


def test_find_prefers_the_exact_spelling_then_padding() -> None:
    changelog = parse(
        """
        ## v2.3.0
        - patch line
        # v2.3
        ## v2.2
        """
    )
    from release_actions.changelog.reading.loose_version import parse_loose_version

    wanted = parse_loose_version("2.3")
    assert wanted is not None
    assert [entry.line for entry in changelog.find(wanted)] == [3]
    padded = parse_loose_version("2.2.0")
    assert padded is not None
    assert [entry.title for entry in changelog.find(padded)] == ["v2.2"]
    assert changelog.entry_at(2) is changelog.entries[0]
    latest = changelog.latest()
    assert latest is not None and latest.version.key == "2.3.0"


def test_a_200_kb_file_parses_completely() -> None:
    """Size, not speed (benchmarks/changelog_parse.py measures that): nothing is dropped."""
    sections = []
    for patch in range(400):
        items = "\n".join(f"- change {n} in patch {patch}: " + "x" * 50 for n in range(6))
        sections.append(
            f"## v1.{patch // 10}.{patch % 10} - 2024-01-{patch % 28 + 1:02}\n\n{items}\n\n"
            "```sh\n## not a heading\n```\n\n"
        )
    text = "# Changelog\n\n" + "".join(reversed(sections))
    assert len(text) > 200_000
    changelog = parse_changelog(text)
    assert len(changelog.entries) == 400
    assert changelog.entries[0].version.key == "1.39.9"
    assert changelog.entries[-1].body.splitlines()[-2] == "## not a heading"
