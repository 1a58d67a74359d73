"""What a case's coding lacks, as the closing guard and the data quality page say it."""

import pytest

from palsdesk.coding import completeness
from palsdesk.coding.completeness import IssueFacts


def issue(number: int = 1, subject: str = "Communications", **changes) -> IssueFacts:
    values = {
        "key": number,
        "number": number,
        "subject": subject,
        "is_clinical_treatment": False,
        "has_clinical_subcategory": False,
        "has_service_area": True,
        "profession_count": 1,
        "outcome": "upheld",
        "not_investigated_reason": "",
    }
    return IssueFacts(**(values | changes))


@pytest.mark.parametrize(
    ("kind", "facts", "missing"),
    [
        ("complaint", issue(), []),
        ("complaint", issue(outcome=""), ["no outcome"]),
        ("complaint", issue(outcome="", profession_count=0), ["no outcome", "no profession"]),
        ("complaint", issue(has_service_area=False), ["no service area"]),
        ("complaint", issue(is_clinical_treatment=True), ["no clinical sub-category"]),
        ("complaint", issue(is_clinical_treatment=True, has_clinical_subcategory=True), []),
        ("complaint", issue(outcome="not_investigated"), ["not investigated, with no reason"]),
        ("complaint", issue(outcome="not_investigated", not_investigated_reason="Referred to the ICB"), []),
        # An MP letter's issues are coded lightly: no profession needed.
        ("mp_letter", issue(profession_count=0), []),
        # PALS concerns, enquiries and compliments need subject and service only, and have no outcome.
        ("pals_concern", issue(outcome="", profession_count=0), []),
        ("compliment", issue(outcome="", profession_count=0, has_service_area=False), ["no service area"]),
    ],
)
def test_what_an_issue_lacks_before_closing(kind, facts, missing):
    assert completeness.missing_before_closing(kind, facts) == missing


def test_a_complaint_without_issues_is_asked_for_one():
    assert completeness.closing_gaps("complaint", []) == ["Add at least one issue."]
    assert completeness.closing_refusal("complaint", []) == (
        "Before closing, add the complaint's issues, each with subject, service area, profession and outcome."
    )


def test_the_refusal_lists_every_issue_with_a_gap_and_only_those():
    issues = [
        issue(1, "Clinical treatment", is_clinical_treatment=True, outcome=""),
        issue(2, "Communications"),
        issue(3, "Values and behaviours (staff)", outcome="", profession_count=0),
    ]
    assert completeness.closing_refusal("complaint", issues) == (
        "Before closing, complete each issue. "
        "Issue 1 (Clinical treatment): no outcome; no clinical sub-category. "
        "Issue 3 (Values and behaviours (staff)): no outcome; no profession."
    )
    assert completeness.closing_refusal("complaint", [issue(2)]) is None


def test_gap_keys_tell_a_new_gap_from_an_old_one():
    before = completeness.closing_gap_keys("complaint", [issue(1, profession_count=0), issue(2)])
    fixed_one = completeness.closing_gap_keys("complaint", [issue(1), issue(2)])
    broke_another = completeness.closing_gap_keys("complaint", [issue(1, profession_count=0), issue(2, outcome="")])
    assert fixed_one - before == set()
    assert broke_another - before == {(2, "no outcome")}
    assert completeness.closing_gap_keys("complaint", []) - before == {(0, "no issues")}
