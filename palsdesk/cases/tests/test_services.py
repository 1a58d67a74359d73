"""The rules of logging and working a case, as the services enforce them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import (
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services
from palsdesk.cases.models import Case, CaseLink, Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.tests.factories import code_for_closing
from palsdesk.core.errors import StaleEdit
from palsdesk.organisation.tests.factories import DivisionFactory, ServiceFactory
from palsdesk.people.models import CaseParty, Consent, PartyRole, Person
from palsdesk.people.services import record_consent
from palsdesk.people.tests.factories import person_details, valid_nhs_number
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        CaseParty.objects.count(),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


class TestLoggingACase:
    def test_references_count_up_per_kind_and_year_of_receipt(self):
        assert make_case(kind=Kind.COMPLAINT).reference == "COM-2026-00001"
        assert make_case(kind=Kind.COMPLAINT).reference == "COM-2026-00002"
        assert make_case(kind=Kind.PALS_CONCERN).reference == "PAL-2026-00001"
        assert make_case(kind=Kind.COMPLAINT, received_on=D(2025, 12, 31)).reference == "COM-2025-00001"
        assert make_case(kind=Kind.MP_LETTER).reference == "MPL-2026-00001"

    def test_a_complaint_gets_its_acknowledgement_and_response_clocks(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=TODAY)
        assert complaint.status == Status.RECEIVED
        assert complaint.acknowledgement_due_on == D(2026, 11, 25)
        assert complaint.response_due_on == D(2026, 12, 29)  # 25 working days, past Christmas
        assert complaint.next_due_on == complaint.acknowledgement_due_on

    def test_a_pals_concern_has_a_response_clock_but_no_statutory_acknowledgement(self):
        concern = make_case(kind=Kind.PALS_CONCERN, received_on=TODAY)
        assert concern.status == Status.OPEN
        assert concern.acknowledgement_due_on is None
        assert concern.next_due_on == concern.response_due_on == D(2026, 11, 27)

    def test_a_patient_complaining_for_themselves_holds_both_roles(self):
        case = make_case(complainant=person_details(), complainant_is_patient=True)
        roles = sorted(case.parties.values_list("role", flat=True))
        assert roles == [PartyRole.COMPLAINANT, PartyRole.PATIENT]
        assert case.parties.get(role=PartyRole.COMPLAINANT).is_main_contact

    def test_a_representative_says_how_they_are_related_and_the_patient_is_recorded(self):
        case = make_case(
            complainant=person_details(last_name="Okafor"),
            complainant_is_patient=False,
            relationship_to_patient="child",
            patient=person_details(last_name="Okafor", first_name="Grace", nhs_number="943 476 5919"),
        )
        representative = case.parties.get(role=PartyRole.REPRESENTATIVE)
        assert representative.relationship_to_patient == "child"
        assert representative.is_main_contact
        assert case.parties.get(role=PartyRole.PATIENT).person.nhs_number == "9434765919"

    def test_the_patient_cannot_be_given_twice(self):
        with pytest.raises(ValidationError) as refusal:
            make_case(complainant=person_details(), complainant_is_patient=True, patient=person_details())
        assert "patient" in refusal.value.message_dict

    def test_a_future_received_date_is_refused(self):
        with pytest.raises(ValidationError) as refusal:
            make_case(received_on=TODAY + datetime.timedelta(days=1))
        assert refusal.value.message_dict["received_on"] == ["The received date must be today or in the past."]

    def test_the_event_cannot_be_after_receipt_nor_awareness_before_the_event(self):
        with pytest.raises(ValidationError) as refusal:
            make_case(received_on=D(2026, 11, 1), event_on=D(2026, 11, 5), became_aware_on=D(2026, 11, 4))
        assert set(refusal.value.message_dict) == {"event_on", "became_aware_on"}

    def test_a_service_must_belong_to_the_cases_division(self):
        surgery, medicine = DivisionFactory(name="Surgery"), DivisionFactory(name="Medicine")
        cardiology = ServiceFactory(name="Cardiology", division=medicine)
        with pytest.raises(ValidationError) as refusal:
            make_case(division=surgery, service=cardiology)
        assert "Cardiology is run by Medicine, not Surgery" in refusal.value.message_dict["service"][0]

    def test_a_disabled_division_cannot_be_chosen(self):
        closed = DivisionFactory(name="Old division", disabled_on=D(2026, 1, 1))
        with pytest.raises(ValidationError) as refusal:
            make_case(division=closed)
        assert "no longer in use" in refusal.value.message_dict["division"][0]

    def test_an_overlong_summary_is_refused_with_its_limit(self):
        with pytest.raises(ValidationError) as refusal:
            make_case(summary="x" * 10_000)
        assert any("300" in message for message in refusal.value.message_dict["summary"])

    def test_nothing_is_saved_when_a_person_is_invalid(self):
        before = _counts()
        with pytest.raises(ValidationError) as refusal:
            make_case(complainant=person_details(nhs_number="1234567890"), complainant_is_patient=True)
        assert "complainant.nhs_number" in refusal.value.message_dict
        assert _counts() == before

    def test_a_volunteer_logs_pals_concerns_but_not_complaints(self):
        helper = volunteer()
        assert make_case(kind=Kind.PALS_CONCERN, actor=helper).created_by == helper
        with pytest.raises(PermissionDenied):
            make_case(kind=Kind.COMPLAINT, actor=helper)

    def test_a_staff_complainant_restricts_the_case_to_its_logger_and_officer(self):
        logger, cover = officer(), officer()
        case = make_case(actor=logger, case_officer=cover, is_staff_complainant=True)
        assert case.is_restricted
        assert set(case.named_users.all()) == {logger, cover}

    def test_an_mp_letter_is_flagged_as_mp_interest(self):
        assert make_case(kind=Kind.MP_LETTER).has_mp_interest

    def test_the_timeline_says_how_it_arrived_and_then_who_was_added(self):
        case = make_case(kind=Kind.MP_LETTER, channel="via_mp")
        oldest_first = list(case.timeline.order_by("occurred_at", "id").values_list("body", flat=True))
        assert oldest_first == ["MP letter logged (via an MP).", "Ada Lovelace added as patient and complainant."]

    def test_logging_leaves_a_timeline_entry_and_an_audit_event(self):
        case = make_case(kind=Kind.COMPLAINT)
        assert case.timeline.filter(kind=TimelineEntry.EntryKind.CREATED).exists()
        opened = AuditEvent.objects.get(action="case.opened", case=case)
        assert opened.changes["kind"] == [None, "complaint"]
        assert opened.actor == case.created_by


class TestMovingACase:
    def test_each_move_stamps_its_date_writes_the_timeline_and_the_audit(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 16))
        actor = complaint.created_by
        moved = services.move_case(complaint, to=Status.ACKNOWLEDGED, on=D(2026, 11, 18), actor=actor)
        assert moved.acknowledged_on == D(2026, 11, 18)
        assert moved.next_due_on == moved.response_due_on
        assert moved.version == complaint.version + 1
        assert moved.timeline.filter(kind=TimelineEntry.EntryKind.STATUS_CHANGE).count() == 1
        event = AuditEvent.objects.get(action="case.acknowledge", case=complaint)
        assert event.changes["status"] == ["received", "acknowledged"]

    def test_sending_the_response_stops_the_clock_and_closing_finishes_the_case(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2))
        actor = complaint.created_by
        code_for_closing(complaint)
        for status in (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW):
            complaint = services.move_case(complaint, to=status, actor=actor)
        sign_off_response(complaint)
        complaint = services.move_case(complaint, to=Status.RESPONSE_SENT, actor=actor)
        assert complaint.responded_on == TODAY
        assert complaint.next_due_on is None
        complaint = services.move_case(complaint, to=Status.CLOSED, actor=actor)
        assert complaint.closed_on == TODAY
        assert not complaint.is_open

    def test_reopening_counts_and_sets_a_new_response_date(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 10, 1))
        actor = complaint.created_by
        code_for_closing(complaint)
        for status in (
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.RESPONSE_IN_REVIEW,
            Status.RESPONSE_SENT,
            Status.CLOSED,
        ):
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = services.move_case(complaint, to=status, actor=actor)
        with pytest.raises(ValidationError) as refusal:
            services.move_case(complaint, to=Status.UNDER_INVESTIGATION, actor=actor)
        assert refusal.value.message_dict["reason"] == ["Enter a reason."]
        complaint = services.move_case(
            complaint, to=Status.UNDER_INVESTIGATION, reason="New questions after the response", actor=actor
        )
        assert complaint.reopened_count == 1
        assert complaint.closed_on is None
        assert complaint.responded_on is None
        assert complaint.response_due_on == D(2026, 12, 29)  # 25 working days from the reopening

    def test_an_illegal_move_changes_nothing(self):
        complaint = make_case(kind=Kind.COMPLAINT)
        before = _counts()
        with pytest.raises(services.workflow.InvalidTransition):
            services.move_case(complaint, to=Status.CLOSED, actor=complaint.created_by)
        complaint.refresh_from_db()
        assert complaint.status == Status.RECEIVED
        assert _counts() == before

    def test_the_date_of_a_move_cannot_be_in_the_future_or_before_receipt(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 10))
        for on, message in ((D(2026, 11, 21), "today or in the past"), (D(2026, 11, 9), "on or after the received")):
            with pytest.raises(ValidationError) as refusal:
                services.move_case(complaint, to=Status.ACKNOWLEDGED, on=on, actor=complaint.created_by)
            assert message in refusal.value.message_dict["on"][0]

    def test_a_divisional_manager_submits_the_draft_but_does_not_acknowledge(self):
        division = DivisionFactory()
        manager = divisional_manager(divisions=[division])
        complaint = make_case(kind=Kind.COMPLAINT, division=division)
        with pytest.raises(PermissionDenied):
            services.move_case(complaint, to=Status.ACKNOWLEDGED, actor=manager)
        complaint = services.move_case(complaint, to=Status.ACKNOWLEDGED, actor=complaint.created_by)
        complaint = services.move_case(complaint, to=Status.UNDER_INVESTIGATION, actor=manager)
        assert services.move_case(complaint, to=Status.RESPONSE_IN_REVIEW, actor=manager).status == (
            Status.RESPONSE_IN_REVIEW
        )

    def test_a_move_from_a_stale_page_is_refused_and_says_who_changed_it(self):
        complaint = make_case(kind=Kind.COMPLAINT)
        first, second = complaint.created_by, coordinator(first_name="Priya", last_name="Shah")
        read_version = complaint.version
        services.move_case(complaint, to=Status.ACKNOWLEDGED, actor=second, expected_version=read_version)
        with pytest.raises(StaleEdit, match="Priya Shah changed this case"):
            services.move_case(complaint, to=Status.WITHDRAWN, reason="x", actor=first, expected_version=read_version)
        complaint.refresh_from_db()
        assert complaint.status == Status.ACKNOWLEDGED


class TestEscalation:
    def test_escalating_a_concern_opens_a_linked_complaint_that_keeps_the_received_date(self):
        concern = make_case(
            kind=Kind.PALS_CONCERN,
            received_on=D(2026, 10, 5),
            complainant=person_details(last_name="Okafor"),
            complainant_is_patient=False,
            relationship_to_patient="spouse",
            patient=person_details(last_name="Okafor", nhs_number=valid_nhs_number(1)),
        )
        record_consent(concern, status=Consent.Status.REQUESTED, status_on=D(2026, 10, 6), actor=concern.created_by)
        complaint = services.escalate_to_complaint(concern, reason="Not resolved informally", actor=concern.created_by)

        concern.refresh_from_db()
        assert concern.status == Status.ESCALATED
        assert complaint.kind == Kind.COMPLAINT
        assert complaint.reference == "COM-2026-00001"
        assert complaint.received_on == D(2026, 10, 5)
        # Made as a complaint on escalation, today: the statutory clocks run from then, not from first contact.
        assert complaint.clocks_start_on == TODAY
        assert complaint.acknowledgement_due_on == D(2026, 11, 25)
        assert complaint.long_stop_on == D(2027, 5, 19)
        assert complaint.escalated_from == concern
        assert sorted(complaint.parties.values_list("role", flat=True)) == ["patient", "representative"]
        assert complaint.consent.status == Consent.Status.REQUESTED
        assert CaseLink.objects.filter(from_case=concern, to_case=complaint).exists()
        assert "COM-2026-00001" in concern.timeline.first().body

    def test_an_escalation_on_the_day_of_receipt_runs_the_clocks_from_receipt(self):
        concern = make_case(kind=Kind.PALS_CONCERN, received_on=TODAY)
        complaint = services.escalate_to_complaint(concern, reason="Wants it formal", actor=concern.created_by)
        assert complaint.clocks_start_on is None
        assert complaint.acknowledgement_due_on == D(2026, 11, 25)

    def test_an_escalation_agreed_earlier_finishes_the_concern_on_that_day(self):
        concern = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 2))
        services.move_case(
            concern, to=Status.ESCALATED, reason="Wants it formal", on=D(2026, 11, 13), actor=concern.created_by
        )
        concern.refresh_from_db()
        assert concern.closed_on == D(2026, 11, 13)

    def test_the_concerns_coded_issues_start_the_complaints_coding_without_outcomes(self):
        from palsdesk.coding.selectors import closing_gaps
        from palsdesk.coding.tests.factories import add_coded_issue

        concern = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 16))
        add_coded_issue(concern, subject="communications", professions=())
        complaint = services.escalate_to_complaint(concern, reason="Unresolved", actor=concern.created_by)
        [issue] = complaint.issues.all()
        assert (issue.subject.code, issue.outcome) == ("communications", "")
        assert any("no outcome" in gap for gap in closing_gaps(complaint))

    def test_a_concern_can_be_escalated_only_once(self):
        concern = make_case(kind=Kind.PALS_CONCERN)
        services.escalate_to_complaint(concern, reason="Unresolved", actor=concern.created_by)
        with pytest.raises(services.workflow.InvalidTransition):
            services.escalate_to_complaint(concern, reason="Again", actor=concern.created_by)

    def test_a_complaint_cannot_be_escalated(self):
        complaint = make_case(kind=Kind.COMPLAINT)
        with pytest.raises(services.workflow.InvalidTransition):
            services.escalate_to_complaint(complaint, reason="x", actor=complaint.created_by)

    def test_escalation_needs_a_reason(self):
        concern = make_case(kind=Kind.PALS_CONCERN)
        with pytest.raises(ValidationError):
            services.escalate_to_complaint(concern, reason="  ", actor=concern.created_by)
        assert Case.objects.count() == 1


class TestAssignment:
    def test_replacing_a_case_officer_needs_a_reason(self):
        first, cover = officer(), officer()
        case = make_case(case_officer=first)
        with pytest.raises(ValidationError) as refusal:
            services.assign_case(case, case_officer=cover, actor=first)
        assert "reason" in refusal.value.message_dict
        case = services.assign_case(case, case_officer=cover, reason="Annual leave cover", actor=first)
        assert case.case_officer == cover
        entry = case.timeline.filter(kind=TimelineEntry.EntryKind.ASSIGNMENT).get()
        assert "Annual leave cover" in entry.body

    def test_only_caseworkers_can_be_case_officers_and_only_investigators_investigate(self):
        case = make_case()
        with pytest.raises(ValidationError):
            services.assign_case(case, case_officer=volunteer(), actor=case.created_by)
        with pytest.raises(ValidationError):
            services.assign_case(case, investigating_manager=auditor(), actor=case.created_by)

    def test_a_divisional_manager_cannot_assign(self):
        division = DivisionFactory()
        case = make_case(division=division)
        with pytest.raises(PermissionDenied):
            services.assign_case(case, case_officer=officer(), actor=divisional_manager(divisions=[division]))

    def test_assigning_someone_to_a_restricted_case_names_them_on_it(self):
        case = make_case(is_staff_complainant=True)
        manager = divisional_manager(divisions=[case.division])
        case = services.assign_case(case, investigating_manager=manager, actor=case.created_by)
        assert manager in case.named_users.all()


class TestNotesCallsAndLinks:
    def test_an_empty_note_is_refused_and_an_auditor_cannot_write(self):
        case = make_case()
        with pytest.raises(ValidationError):
            services.add_note(case, body="   ", actor=case.created_by)
        with pytest.raises(PermissionDenied):
            services.add_note(case, body="Looks fine", actor=auditor())

    def test_a_call_is_logged_with_its_direction_and_who_it_was_with(self):
        case = make_case()
        entry = services.log_contact(
            case,
            channel="call",
            direction="in",
            contact="Mrs Okafor",
            body="Asked for an update",
            actor=case.created_by,
        )
        assert (entry.kind, entry.direction, entry.contact) == ("call", "in", "Mrs Okafor")
        assert AuditEvent.objects.filter(action="case.call_logged", case=case).exists()

    def test_linking_shows_on_both_timelines_and_cannot_repeat_or_point_at_itself(self):
        first, second = make_case(), make_case()
        services.link_cases(first, second, reason="Same ward, same night", actor=first.created_by)
        assert second.timeline.filter(kind=TimelineEntry.EntryKind.LINK).exists()
        with pytest.raises(ValidationError):
            services.link_cases(second, first, actor=first.created_by)
        with pytest.raises(ValidationError):
            services.link_cases(first, first, actor=first.created_by)


class TestDetailsAndRestriction:
    def test_changing_the_received_date_moves_the_clocks_and_is_audited_with_old_and_new(self):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 16))
        complaint = services.update_case_details(complaint, received_on=D(2026, 11, 13), actor=complaint.created_by)
        assert complaint.acknowledgement_due_on == D(2026, 11, 18)
        event = AuditEvent.objects.get(action="case.details_changed", case=complaint)
        assert event.changes["received_on"] == ["2026-11-16", "2026-11-13"]
        assert event.changes["acknowledgement_due_on"] == ["2026-11-19", "2026-11-18"]

    def test_marking_a_staff_complainant_restricts_the_case(self):
        case = make_case()
        case = services.update_case_details(case, is_staff_complainant=True, actor=case.created_by)
        assert case.is_restricted
        assert case.created_by in case.named_users.all()

    def test_a_field_that_cannot_be_edited_is_refused(self):
        case = make_case()
        with pytest.raises(ValidationError) as refusal:
            services.update_case_details(case, status="closed", actor=case.created_by)
        assert "status" in refusal.value.message_dict

    def test_only_a_coordinator_restricts_and_the_actor_stays_named(self):
        case = make_case()
        lead = coordinator()
        with pytest.raises(PermissionDenied):
            services.restrict_case(case, named_users=[officer()], actor=case.created_by)
        named = officer()
        case = services.restrict_case(case, named_users=[named], actor=lead)
        assert case.is_restricted
        assert set(case.named_users.all()) == {named, lead}
        case = services.restrict_case(case, named_users=[], actor=lead)
        assert not case.is_restricted
