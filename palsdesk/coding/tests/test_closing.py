"""A complaint closes only with every issue coded and given an outcome; the refusal lists everything still missing."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases import guards, selectors, services
from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.workflow import InvalidTransition
from palsdesk.coding import selectors as coding_selectors
from palsdesk.coding.models import CaseIssue, TaxonomyKind
from palsdesk.coding.services import record_issue_outcome
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
BEFORE_RESPONSE = (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW, Status.RESPONSE_SENT)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def actor():
    return coordinator()


def responded(kind: str, actor) -> Case:
    case = make_case(kind=kind, received_on=D(2026, 11, 2), actor=actor)
    for status in BEFORE_RESPONSE:
        if status == Status.RESPONSE_SENT and kind == Kind.COMPLAINT:
            sign_off_response(case)
        case = services.move_case(case, to=status, actor=actor)
    return case


def close(case, actor) -> Case:
    return services.move_case(case, to=Status.CLOSED, actor=actor)


def issue_without_a_sub_category_or_profession(case) -> CaseIssue:
    """Coding the services refuse, as an import or an older version could have left it."""
    return CaseIssue.objects.create(
        case=case,
        order=case.issues.count() + 1,
        subject=code(TaxonomyKind.SUBJECT, "clinical-treatment"),
        service_area=code(TaxonomyKind.SERVICE_AREA, "acute-inpatient"),
    )


def test_a_complaint_without_issues_is_not_closed(actor):
    complaint = responded(Kind.COMPLAINT, actor)
    with pytest.raises(InvalidTransition) as refusal:
        close(complaint, actor)
    assert refusal.value.message == (
        "Before closing, add the complaint's issues, each with subject, service area, profession and outcome."
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONSE_SENT


def test_the_refusal_lists_every_issue_still_missing_something(actor):
    complaint = responded(Kind.COMPLAINT, actor)
    add_coded_issue(complaint, actor=actor, subject="communications")
    add_coded_issue(complaint, actor=actor, subject="waiting-times", outcome=Outcome.UPHELD)
    issue_without_a_sub_category_or_profession(complaint)

    with pytest.raises(InvalidTransition) as refusal:
        close(complaint, actor)

    assert refusal.value.message == (
        "Before closing, complete each issue. "
        "Issue 1 (Communications): no outcome. "
        "Issue 3 (Clinical treatment): no outcome; no profession; no clinical sub-category."
    )
    complaint.refresh_from_db()
    assert coding_selectors.closing_gaps(complaint) == [
        "Issue 1 (Communications): no outcome.",
        "Issue 3 (Clinical treatment): no outcome; no profession; no clinical sub-category.",
    ]


def test_close_is_offered_once_every_issue_is_complete_and_the_case_keeps_its_outcome(actor):
    complaint = responded(Kind.COMPLAINT, actor)
    first = add_coded_issue(complaint, actor=actor)
    second = add_coded_issue(
        complaint, actor=actor, subject="clinical-treatment", clinical_subcategory="surgical-group"
    )
    complaint.refresh_from_db()
    assert "close" not in [t.name for t in selectors.moves_for(actor, complaint)]

    record_issue_outcome(first, outcome=Outcome.UPHELD, actor=actor)
    record_issue_outcome(second, outcome=Outcome.NOT_UPHELD, actor=actor)
    complaint.refresh_from_db()
    assert "close" in [t.name for t in selectors.moves_for(actor, complaint)]

    closed = close(complaint, actor)
    assert (closed.status, closed.outcome) == (Status.CLOSED, Outcome.PARTIALLY_UPHELD)


def test_the_api_answers_400_with_what_is_missing(actor):
    complaint = responded(Kind.COMPLAINT, actor)
    add_coded_issue(complaint, actor=actor)
    client = APIClient()
    client.force_authenticate(actor)
    response = client.post(f"/api/v1/cases/{complaint.reference}/transitions/", {"to": "closed"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Before closing, complete each issue. Issue 1 (Communications): no outcome."}


def test_an_mp_letter_is_not_a_ko41a_complaint_and_closes_without_coding(actor):
    letter = responded(Kind.MP_LETTER, actor)
    assert close(letter, actor).status == Status.CLOSED


def test_withdrawing_a_complaint_needs_no_coding(actor):
    complaint = make_case(kind=Kind.COMPLAINT, actor=actor)
    withdrawn = services.move_case(complaint, to=Status.WITHDRAWN, reason="Resolved on the ward", actor=actor)
    assert withdrawn.status == Status.WITHDRAWN


@pytest.mark.parametrize("issues", [1, 6])
def test_the_guard_reads_the_issues_in_one_query_however_many(actor, issues, django_assert_num_queries):
    complaint = responded(Kind.COMPLAINT, actor)
    for _ in range(issues):
        add_coded_issue(complaint, actor=actor)
    complaint.refresh_from_db()
    with django_assert_num_queries(1):
        assert guards.refusal(complaint, "coding_complete").startswith("Before closing, complete each issue.")
    prefetched = Case.objects.prefetch_related(coding_selectors.issues_prefetch()).get(pk=complaint.pk)
    with django_assert_num_queries(0):
        assert len(coding_selectors.closing_gaps(prefetched)) == issues
