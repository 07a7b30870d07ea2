"""The rule IDs every changelog finding carries, as in the reference's table."""

from __future__ import annotations

from dataclasses import dataclass

from ..reading import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    check: str  # what the check verifies, for the step summary's table

    @property
    def title(self) -> str:
        """The annotation title: ``CL002 entry-missing``."""
        return f"{self.id} {self.slug}"

    def finding(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        severity: Severity = "error",
    ) -> Finding:
        return Finding(self.id, severity, message, file, line)


FILE_MISSING = Rule("CL001", "file-missing", "The changelog file for the version exists")
ENTRY_MISSING = Rule("CL002", "entry-missing", "An entry for the version exists")
ENTRY_EMPTY = Rule("CL003", "entry-empty", "The entry has content")
BAD_DATE = Rule("CL004", "bad-date", "Dates are valid YYYY-MM-DD")
DATE_MISMATCH_TAG = Rule("CL005", "date-mismatch-tag", "The entry's date matches the tag's")
ORDER = Rule("CL006", "order", "Versions are in order")
DUPLICATE = Rule("CL007", "duplicate", "No version appears twice")
NOT_TOUCHED = Rule("CL008", "not-touched", "The pull request updates the changelog")
ENTRY_IN_RELEASED_SECTION = Rule(
    "CL009", "entry-in-released-section", "New lines go to Unreleased or the open version"
)
VERSION_MISMATCH = Rule("CL010", "version-mismatch", "Version files agree with the version")
UNRELEASED_MISSING = Rule("CL011", "unreleased-missing", "An Unreleased section is at the top")
UNKNOWN_CHANGE_TYPE = Rule("CL012", "unknown-change-type", "Sections use Keep a Changelog types")
LINK_REFERENCE = Rule("CL013", "link-ref", "Version links have definitions, and no orphans")
NO_ENTRIES = Rule("CL014", "no-entries-in-file", "The file has version entries")
PRERELEASE_FOR_FINAL = Rule(
    "CL015", "prerelease-entry-for-final-tag", "A final tag is not covered by a prerelease entry"
)

ALL_RULES = (
    FILE_MISSING,
    ENTRY_MISSING,
    ENTRY_EMPTY,
    BAD_DATE,
    DATE_MISMATCH_TAG,
    ORDER,
    DUPLICATE,
    NOT_TOUCHED,
    ENTRY_IN_RELEASED_SECTION,
    VERSION_MISMATCH,
    UNRELEASED_MISSING,
    UNKNOWN_CHANGE_TYPE,
    LINK_REFERENCE,
    NO_ENTRIES,
    PRERELEASE_FOR_FINAL,
)
RULES_BY_ID = {rule.id: rule for rule in ALL_RULES}
