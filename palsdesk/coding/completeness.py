"""What a case's coding still lacks, in words for the caseworker. Pure: no Django.

Shared by the closing guard (cases.guards), the coding services (a closed complaint's coding is never
left with new gaps) and the data quality page (coding.selectors.coding_gaps), so all three agree.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from palsdesk.coding.outcomes import NOT_INVESTIGATED

COMPLAINT = "complaint"
MP_LETTER = "mp_letter"
COMPLIMENT = "compliment"
# KO41a outcomes are for investigated cases; PALS concerns, enquiries and compliments are not upheld or not.
KINDS_WITH_OUTCOMES = frozenset({COMPLAINT, MP_LETTER})
# KO41a section 8 counts a profession for each aspect of a complaint.
KINDS_NEEDING_PROFESSIONS = frozenset({COMPLAINT})

NO_OUTCOME = "no outcome"
NO_SERVICE_AREA = "no service area"
NO_PROFESSION = "no profession"
NO_SUBCATEGORY = "no clinical sub-category"
NO_REASON = "not investigated, with no reason"
NO_ISSUES = "no issues"
ADD_AN_ISSUE = "Add at least one issue."


@dataclass(frozen=True)
class IssueFacts:
    """What the rules need to know about one issue."""

    key: int
    number: int
    subject: str
    is_clinical_treatment: bool
    has_clinical_subcategory: bool
    has_service_area: bool
    profession_count: int
    outcome: str
    not_investigated_reason: str


def missing_coding(kind: str, issue: IssueFacts) -> list[str]:
    """What the issue's coding lacks, whatever the case's stage (its outcome aside)."""
    missing = []
    if not issue.has_service_area:
        missing.append(NO_SERVICE_AREA)
    if kind in KINDS_NEEDING_PROFESSIONS and issue.profession_count == 0:
        missing.append(NO_PROFESSION)
    if issue.is_clinical_treatment and not issue.has_clinical_subcategory:
        missing.append(NO_SUBCATEGORY)
    if issue.outcome == NOT_INVESTIGATED and not issue.not_investigated_reason:
        missing.append(NO_REASON)
    return missing


def missing_before_closing(kind: str, issue: IssueFacts) -> list[str]:
    outcome = [NO_OUTCOME] if kind in KINDS_WITH_OUTCOMES and not issue.outcome else []
    return outcome + missing_coding(kind, issue)


def issue_line(issue: IssueFacts, missing: Sequence[str]) -> str:
    """'Issue 2 (Communications): no outcome; no profession.'"""
    return f"Issue {issue.number} ({issue.subject}): {'; '.join(missing)}."


def closing_gaps(kind: str, issues: Sequence[IssueFacts]) -> list[str]:
    """Every reason a complaint cannot be closed yet, one line each; empty when it can."""
    if not issues:
        return [ADD_AN_ISSUE]
    lines = []
    for issue in issues:
        missing = missing_before_closing(kind, issue)
        if missing:
            lines.append(issue_line(issue, missing))
    return lines


def closing_refusal(kind: str, issues: Sequence[IssueFacts]) -> str | None:
    """Why the complaint cannot be closed yet, as one message listing every gap; None when it can."""
    gaps = closing_gaps(kind, issues)
    if not gaps:
        return None
    if gaps == [ADD_AN_ISSUE]:
        return "Before closing, add the complaint's issues, each with subject, service area, profession and outcome."
    return "Before closing, complete each issue. " + " ".join(gaps)


def closing_gap_keys(kind: str, issues: Sequence[IssueFacts]) -> set[tuple[int, str]]:
    """The same gaps, keyed by issue, to tell whether a change to a closed complaint added one."""
    if not issues:
        return {(0, NO_ISSUES)}
    return {(issue.key, missing) for issue in issues for missing in missing_before_closing(kind, issue)}
