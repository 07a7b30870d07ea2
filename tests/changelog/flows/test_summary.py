from __future__ import annotations

from release_actions.changelog.flows.summary import SummaryFacts, render_summary


def test_a_preview_of_notes_ending_in_an_open_fence_still_closes_its_details() -> None:
    summary = render_summary(SummaryFacts(mode="release", notes="- a\n```sh\nmake"), [])
    assert summary.endswith("- a\n```sh\nmake\n```\n\n</details>\n")
