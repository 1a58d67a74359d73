"""Moving a case along its pathway from the case page: each step on the timeline, escalation, and refused moves."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import approver, auditor, coordinator, divisional_manager
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Case, CaseLink, Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import (
    NOW,
    TODAY,
    assert_refused,
    case_url,
    date_parts,
    linked_references,
    on,
    problems,
    rows,
)
from palsdesk.coding.tests.factories import code_for_closing
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.models import PartyRole
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

RECEIVED_ON = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def complaint(division, caseworker):
    return make_case(
        kind=Kind.COMPLAINT, division=division, actor=caseworker, case_officer=caseworker, received_on=RECEIVED_ON
    )


@pytest.fixture
def concern(division, caseworker):
    return make_case(
        kind=Kind.PALS_CONCERN, division=division, actor=caseworker, case_officer=caseworker, received_on=RECEIVED_ON
    )


def move(client, case, name, **fields):
    """Post a move as the case page's form does, carrying the version the page was read at.

    An acknowledgement says how it was sent: by letter, unless the test says otherwise.
    """
    case.refresh_from_db()
    if name == "acknowledge":
        fields.setdefault("acknowledgement_method", "letter")
    if name == "send_response" and case.kind == Kind.COMPLAINT and case.status == Status.RESPONSE_IN_REVIEW:
        sign_off_response(case)  # a complaint's response is signed off before it is sent (regulation 14(2))
    return client.post(case_url(case, "move"), {"move": name, "version": case.version, **fields})


def timeline_text(client, case) -> str:
    return client.get(case_url(case)).content.decode()


class TestAComplaintsPathway:
    def test_a_complaint_moves_from_received_to_closed_with_each_step_on_the_timeline(
        self, client, complaint, caseworker
    ):
        client.force_login(caseworker)
        code_for_closing(complaint)
        steps = [
            ("acknowledge", Status.ACKNOWLEDGED, "Record the acknowledgement: Received → Acknowledged."),
            ("start_investigation", Status.UNDER_INVESTIGATION, "Start the investigation: Acknowledged → Under"),
            ("submit_draft", Status.RESPONSE_IN_REVIEW, "Submit the draft response for review: Under investigation"),
            ("send_response", Status.RESPONSE_SENT, "Record the response as sent: Response in review → Response"),
            ("close", Status.CLOSED, "Close the case: Response sent → Closed."),
        ]
        for name, status, entry in steps:
            response = move(client, complaint, name)
            assert response.status_code == 302, problems(response)
            assert response.url == case_url(complaint)
            complaint.refresh_from_db()
            assert complaint.status == status
            page = client.get(response.url).content.decode()
            assert entry in page
            assert AuditEvent.objects.filter(action=f"case.{name}", case=complaint, channel="web").exists()
        assert (complaint.acknowledged_on, complaint.responded_on, complaint.closed_on) == (TODAY, TODAY, TODAY)
        assert complaint.version == 7  # the coding, then five moves

    def test_the_date_of_a_step_can_be_given(self, client, complaint, caseworker):
        client.force_login(caseworker)
        response = move(client, complaint, "acknowledge", **date_parts("on", 4, 11, 2026))
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert complaint.acknowledged_on == datetime.date(2026, 11, 4)

    def test_a_closed_complaint_is_reopened_with_a_reason(self, client, complaint, caseworker):
        client.force_login(caseworker)
        code_for_closing(complaint)
        for name in ("acknowledge", "start_investigation", "submit_draft", "send_response", "close"):
            move(client, complaint, name)

        response = move(client, complaint, "reopen", reason="New questions about the discharge letter")

        assert response.status_code == 302
        complaint.refresh_from_db()
        assert (complaint.status, complaint.reopened_count, complaint.closed_on) == (
            Status.UNDER_INVESTIGATION,
            1,
            None,
        )
        page = timeline_text(client, complaint)
        assert "Reopen after the response: Closed → Under investigation." in page
        assert "Reason: New questions about the discharge letter" in page
        assert "Reopened" in page

    def test_reopening_without_a_reason_is_refused(self, client, complaint, caseworker):
        client.force_login(caseworker)
        for name in ("acknowledge", "start_investigation", "submit_draft", "send_response"):
            move(client, complaint, name)
        before = rows()
        response = move(client, complaint, "reopen", reason="  ")
        assert_refused(response, says="Enter a reason.", before=before)
        complaint.refresh_from_db()
        assert complaint.status == Status.RESPONSE_SENT

    def test_a_complaint_is_withdrawn_with_a_reason(self, client, complaint, caseworker):
        client.force_login(caseworker)
        move(client, complaint, "acknowledge")
        response = move(client, complaint, "withdraw", reason="Resolved with the ward directly")
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert (complaint.status, complaint.closed_on, complaint.next_due_on) == (Status.WITHDRAWN, TODAY, None)
        page = timeline_text(client, complaint)
        assert "Record that the complainant withdrew: Acknowledged → Withdrawn." in page
        assert 'action="/cases/' + complaint.reference + '/move/"' not in page

    def test_the_draft_is_returned_to_the_investigator_with_a_reason(self, client, complaint, caseworker):
        client.force_login(caseworker)
        for name in ("acknowledge", "start_investigation", "submit_draft"):
            move(client, complaint, name)
        response = move(client, complaint, "return_draft", reason="Needs the ward manager's view")
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert complaint.status == Status.UNDER_INVESTIGATION


class TestEscalation:
    def test_a_pals_concern_escalated_through_the_page_opens_a_linked_complaint(self, client, concern, caseworker):
        client.force_login(caseworker)

        response = move(client, concern, "escalate", reason="They want a formal investigation")

        complaint = Case.objects.get(kind=Kind.COMPLAINT)
        assert response.status_code == 302
        assert response.url == case_url(complaint)
        concern.refresh_from_db()
        assert concern.status == Status.ESCALATED
        assert complaint.received_on == concern.received_on == RECEIVED_ON
        assert complaint.escalated_from == concern
        assert CaseLink.objects.filter(from_case=concern, to_case=complaint).exists()
        assert set(complaint.parties.values_list("role", flat=True)) == {PartyRole.PATIENT, PartyRole.COMPLAINANT}

        complaint_page = client.get(response.url).content.decode()
        assert f"Escalated to complaint {complaint.reference}." in complaint_page
        assert f'Escalated from PALS concern <a href="{case_url(concern)}">{concern.reference}</a>' in complaint_page
        assert "They want a formal investigation" in complaint_page
        concern_page = client.get(case_url(concern)).content.decode()
        assert f'Escalated to complaint <a href="{case_url(complaint)}">{complaint.reference}</a>' in concern_page
        assert f"Escalated to formal complaint {complaint.reference}. Reason: They want" in concern_page
        assert concern.reference in linked_references(client.get(case_url(complaint)))
        assert complaint.reference in linked_references(client.get(case_url(concern)))
        assert AuditEvent.objects.filter(action="case.escalate", case=concern, channel="web").exists()
        assert AuditEvent.objects.filter(action="case.opened", case=complaint, channel="web").exists()

    def test_escalating_without_a_reason_is_refused_and_opens_nothing(self, client, concern, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = move(client, concern, "escalate")
        assert_refused(response, says="Enter a reason.", before=before)
        concern.refresh_from_db()
        assert concern.status == Status.OPEN

    def test_a_pals_concern_is_resolved_and_reopened(self, client, concern, caseworker):
        client.force_login(caseworker)
        assert move(client, concern, "resolve").status_code == 302
        assert move(client, concern, "reopen", reason="They rang back").status_code == 302
        concern.refresh_from_db()
        assert concern.status == Status.OPEN
        page = timeline_text(client, concern)
        assert "Mark as resolved: Open → Resolved." in page
        assert "Reopen: Resolved → Open. Reason: They rang back" in page


class TestRefusedMoves:
    @pytest.mark.parametrize("name", ["close", "send_response", "start_investigation", "reopen", "escalate"])
    def test_a_move_not_available_from_the_status_is_refused_with_the_moves_there_are(
        self, client, complaint, caseworker, name
    ):
        client.force_login(caseworker)
        before = rows()
        response = move(client, complaint, name, reason="Because")
        assert_refused(response, says="That move is not possible now", kept=["Because"], before=before)
        assert any("you can: record the acknowledgement" in message for message in problems(response))
        complaint.refresh_from_db()
        assert complaint.status == Status.RECEIVED

    def test_a_move_that_does_not_exist_is_refused(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        assert_refused(move(client, complaint, "teleport"), says="That move is not possible now", before=before)

    def test_a_finished_case_cannot_be_moved(self, client, complaint, caseworker):
        client.force_login(caseworker)
        move(client, complaint, "withdraw", reason="No longer wanted")
        before = rows()
        response = move(client, complaint, "acknowledge")
        assert_refused(response, says="Nothing can move", before=before)

    def test_a_move_with_no_choice_is_refused(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        assert_refused(move(client, complaint, ""), says="Choose where the case moves next.", before=before)

    @pytest.mark.parametrize(
        ("date", "says"),
        [
            (on("on", datetime.date(2026, 11, 22)), "The date must be today or in the past."),
            (on("on", datetime.date(2026, 11, 1)), "The date must be on or after the received date"),
            (date_parts("on", "x", "11", "2026"), "The date must be written in numbers"),
            (date_parts("on", "31", "2", "2026"), "The date must be a real date."),
            (date_parts("on", "3", "11", "26"), "The year of the date must have 4 digits"),
            (date_parts("on", "3", "", "2026"), "The date must include a month."),
        ],
    )
    def test_a_wrong_date_for_a_step_is_refused_and_kept(self, client, complaint, caseworker, date, says):
        client.force_login(caseworker)
        before = rows()
        response = move(client, complaint, "acknowledge", **date)
        assert_refused(response, says=says, kept=[value for value in date.values() if value], before=before)

    def test_a_reason_over_2000_characters_is_refused(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        reason = "R" * 10_000
        response = move(client, complaint, "withdraw", reason=reason)
        assert_refused(response, says="Reason must be 2,000 characters or fewer", kept=[reason], before=before)

    def test_a_missing_version_is_refused(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = client.post(case_url(complaint, "move"), {"move": "acknowledge", "version": "abc"})
        assert_refused(response, says="Reload the case", before=before, at_field=False)

    def test_a_divisional_manager_cannot_make_a_case_officers_move(self, client, complaint, division):
        client.force_login(divisional_manager(divisions=[division]))
        before = rows()
        response = move(client, complaint, "acknowledge")
        assert response.status_code == 403
        assert "record the acknowledgement" in response.content.decode()
        assert rows() == before

    def test_a_divisional_manager_investigates_in_their_own_division(self, client, complaint, division):
        client.force_login(complaint.case_officer)
        move(client, complaint, "acknowledge")
        client.force_login(divisional_manager(divisions=[division]))
        assert move(client, complaint, "start_investigation").status_code == 302

    @pytest.mark.parametrize("role", [auditor, approver])
    def test_a_role_that_cannot_move_cases_gets_403(self, client, complaint, role):
        client.force_login(role())
        before = rows()
        assert move(client, complaint, "acknowledge").status_code == 403
        assert rows() == before

    def test_someone_from_another_division_gets_404(self, client, complaint):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        before = rows()
        assert move(client, complaint, "acknowledge").status_code == 404
        assert rows() == before

    def test_a_coordinator_not_named_on_a_restricted_case_gets_404(self, client, division, caseworker):
        restricted = make_case(division=division, actor=caseworker, is_staff_complainant=True)
        client.force_login(coordinator())
        assert move(client, restricted, "resolve").status_code == 404


class TestEscalationDate:
    def test_an_escalation_dated_before_receipt_is_refused_at_the_date(self, client, concern, caseworker):
        client.force_login(caseworker)
        before = rows()
        day_before = RECEIVED_ON - datetime.timedelta(days=1)
        response = move(client, concern, "escalate", reason="Formal please", **on("on", day_before))
        assert_refused(response, says="on or after the received date", kept=["Formal please"], before=before)
        assert '<a href="#move_on_0">The date must be on or after the received date' in response.content.decode()

    def test_an_escalation_agreed_earlier_is_recorded_on_that_day(self, client, concern, caseworker):
        client.force_login(caseworker)
        response = move(client, concern, "escalate", reason="Formal please", **on("on", RECEIVED_ON))
        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.closed_on == RECEIVED_ON
