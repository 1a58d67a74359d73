"""Agreed dates, extensions, holds, the 12-month decision, delay letters, and calendar changes that move deadlines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import administrator, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, ResponseDueBasis, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.workflow import InvalidTransition
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.deadlines import services
from palsdesk.deadlines.models import ClockHold, HoldReason, NonWorkingDay, ResponseDateChange
from palsdesk.deadlines.selectors import clocks_of, statutory_calendar, working_day_calendar
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def complaint():
    # Received Monday 2 November: acknowledgement due Thursday 5th, response (25 working days) Monday 7 December.
    return make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2))


@pytest.fixture
def awaiting_consent():
    return HoldReason.objects.get(code="awaiting-consent")


def test_a_new_complaint_has_every_clock(complaint):
    assert complaint.acknowledgement_due_on == D(2026, 11, 5)
    assert complaint.response_due_on == D(2026, 12, 7)
    assert complaint.response_clock_from == complaint.received_on
    assert complaint.response_target_working_days == 25
    assert complaint.long_stop_on == D(2027, 5, 1)
    assert [clock.key for clock in clocks_of(complaint, today=TODAY)] == ["acknowledgement", "response", "long_stop"]


class TestAgreedDatesAndExtensions:
    def test_the_date_agreed_at_the_offer_to_discuss_becomes_the_response_date(self, complaint):
        case = services.agree_response_date(
            complaint,
            due_on=D(2026, 12, 18),
            agreed_with="Mrs Okafor, by phone",
            agreed_on=D(2026, 11, 4),
            actor=complaint.created_by,
        )
        assert (case.response_due_on, case.response_due_basis) == (D(2026, 12, 18), ResponseDueBasis.AGREED)
        assert case.timeline.filter(
            kind=TimelineEntry.EntryKind.DEADLINE, body__contains="agreed to 18 December"
        ).exists()
        event = AuditEvent.objects.get(action="case.response_date_agreed", case=case)
        assert event.changes["response_due_on"] == ["2026-12-07", "2026-12-18"]

    def test_each_extension_is_kept_in_the_history(self, complaint):
        actor = complaint.created_by
        case = services.agree_extension(
            complaint,
            due_on=D(2026, 12, 21),
            reason="Waiting for the ward manager's statement",
            agreed_with="Mrs Okafor, by email",
            agreed_on=D(2026, 11, 19),
            actor=actor,
        )
        case = services.agree_extension(
            case,
            due_on=D(2027, 1, 8),
            reason="Records requested from the GP",
            agreed_with="Mrs Okafor, by phone",
            agreed_on=D(2026, 11, 20),
            actor=actor,
        )
        history = list(case.response_date_changes.values_list("previous_due_on", "new_due_on"))
        assert history == [(D(2026, 12, 7), D(2026, 12, 21)), (D(2026, 12, 21), D(2027, 1, 8))]
        assert case.response_due_basis == ResponseDueBasis.EXTENDED

    def test_an_extension_agreed_after_the_date_it_replaces_is_refused_unless_marked_late_with_a_reason(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 10, 1))  # response was due 5 November
        extension = {
            "due_on": D(2026, 12, 18),
            "reason": "Complex clinical review",
            "agreed_with": "Mr Shah, by phone",
            "agreed_on": D(2026, 11, 16),
            "actor": case.created_by,
        }
        with pytest.raises(ValidationError) as refusal:
            services.agree_extension(case, **extension)
        assert "after the date it replaces (5 November 2026)" in refusal.value.message_dict["is_late"][0]
        with pytest.raises(ValidationError):
            services.agree_extension(case, **extension, is_late=True)  # late, but no reason given
        assert not ResponseDateChange.objects.exists()
        case = services.agree_extension(case, **extension, is_late=True, late_reason="Officer off sick; not chased")
        assert case.response_date_changes.get().is_late

    def test_an_extension_must_move_the_date_later_and_say_why(self, complaint):
        with pytest.raises(ValidationError) as refusal:
            services.agree_extension(
                complaint,
                due_on=D(2026, 12, 1),
                reason="",
                agreed_with="Mrs Okafor",
                agreed_on=D(2026, 11, 19),
                actor=complaint.created_by,
            )
        assert set(refusal.value.message_dict) == {"due_on", "reason"}

    def test_a_second_agreement_must_be_an_extension(self, complaint):
        actor = complaint.created_by
        case = services.agree_response_date(
            complaint, due_on=D(2026, 12, 18), agreed_with="Mrs Okafor", agreed_on=D(2026, 11, 4), actor=actor
        )
        with pytest.raises(RuleBroken, match="Record an extension"):
            services.agree_response_date(
                case, due_on=D(2026, 12, 22), agreed_with="Mrs Okafor", agreed_on=D(2026, 11, 5), actor=actor
            )

    def test_only_caseworkers_agree_dates_and_a_stale_form_is_refused(self, complaint):
        with pytest.raises(PermissionDenied):
            services.agree_extension(
                complaint,
                due_on=D(2027, 1, 8),
                reason="x",
                agreed_with="y",
                agreed_on=TODAY,
                actor=divisional_manager(divisions=[complaint.division]),
            )
        with pytest.raises(StaleEdit):
            services.agree_extension(
                complaint,
                due_on=D(2027, 1, 8),
                reason="x",
                agreed_with="y",
                agreed_on=TODAY,
                actor=complaint.created_by,
                expected_version=complaint.version - 1 or 99,
            )


class TestTheLongStop:
    def test_it_is_six_months_beginning_with_receipt(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 1, 10))
        assert case.long_stop_on == D(2026, 7, 9)

    def test_a_longer_period_agreed_before_it_ended_becomes_the_long_stop(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 6, 1))
        case = services.agree_response_date(
            case,
            due_on=D(2026, 12, 18),
            agreed_with="Ms Byrne",
            agreed_on=D(2026, 6, 3),
            actor=case.created_by,
        )
        assert case.long_stop_on == D(2026, 12, 18)

    def test_when_it_passes_without_a_response_a_delay_letter_is_owed_until_it_is_recorded(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 1, 10))
        long_stop = next(clock for clock in clocks_of(case, today=TODAY) if clock.key == "long_stop")
        assert "A delay letter is owed" in long_stop.explanation
        case = services.record_delay_letter(case, sent_on=D(2026, 7, 10), actor=case.created_by)
        long_stop = next(clock for clock in clocks_of(case, today=TODAY) if clock.key == "long_stop")
        assert "Delay letter sent" in long_stop.explanation
        assert AuditEvent.objects.filter(action="case.delay_letter_sent", case=case).exists()

    def test_a_delay_letter_is_for_after_the_long_stop(self, complaint):
        with pytest.raises(ValidationError) as refusal:
            services.record_delay_letter(complaint, sent_on=TODAY, actor=complaint.created_by)
        assert "not sent by the long-stop, 1 May 2027" in refusal.value.message_dict["sent_on"][0]

    def test_a_reopened_complaint_runs_on_its_new_response_date_not_the_long_stop(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 1, 10))
        actor = case.created_by
        for status in (
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.RESPONSE_IN_REVIEW,
            Status.RESPONSE_SENT,
        ):
            if status == Status.RESPONSE_SENT:
                sign_off_response(case)
            case = case_services.move_case(case, to=status, on=D(2026, 3, 2), actor=actor)
        case = case_services.move_case(case, to=Status.UNDER_INVESTIGATION, reason="New questions", actor=actor)
        assert case.long_stop_on is None
        assert not any(clock.key == "long_stop" for clock in clocks_of(case, today=TODAY))
        # 25 working days from the reopening on Friday 20 November, past Christmas and the Boxing Day substitute.
        assert case.next_due_on == case.response_due_on == D(2026, 12, 29)

    def test_pals_concerns_and_mp_letters_have_no_long_stop_or_time_limit(self):
        assert make_case(kind=Kind.PALS_CONCERN).long_stop_on is None
        assert make_case(kind=Kind.MP_LETTER, event_on=D(2020, 1, 1)).time_limit_on is None


class TestTheTwelveMonthLimit:
    @pytest.fixture
    def late_complaint(self):
        return make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2), event_on=D(2025, 6, 1))

    def _investigate(self, case):
        case = case_services.move_case(case, to=Status.ACKNOWLEDGED, actor=case.created_by)
        return case_services.move_case(case, to=Status.UNDER_INVESTIGATION, actor=case.created_by)

    def test_a_complaint_made_in_time_proceeds_without_a_decision(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2), event_on=D(2026, 1, 5))
        assert not case.is_out_of_time
        assert self._investigate(case).status == Status.UNDER_INVESTIGATION

    def test_a_complaint_made_later_cannot_be_investigated_before_a_decision(self, late_complaint):
        assert late_complaint.time_limit_on == D(2026, 6, 1)
        with pytest.raises(InvalidTransition, match="after the 12-month time limit"):
            self._investigate(late_complaint)

    def test_an_accepting_decision_records_both_limbs_who_and_when_and_lets_it_proceed(self, late_complaint):
        lead = coordinator()
        decision = services.record_time_limit_decision(
            late_complaint,
            has_good_reasons=True,
            can_investigate_fairly=True,
            rationale="Bereaved; records and staff still available",
            decided_on=D(2026, 11, 3),
            actor=lead,
        )
        assert decision.is_accepted
        assert (decision.decided_by, decision.decided_on) == (lead, D(2026, 11, 3))
        late_complaint.refresh_from_db()
        assert self._investigate(late_complaint).status == Status.UNDER_INVESTIGATION

    def test_a_declined_complaint_is_closed_with_the_decision_not_investigated(self, late_complaint):
        services.record_time_limit_decision(
            late_complaint,
            has_good_reasons=True,
            can_investigate_fairly=False,
            rationale="The staff involved have left and no records remain",
            decided_on=TODAY,
            actor=coordinator(),
        )
        late_complaint.refresh_from_db()
        with pytest.raises(InvalidTransition, match="decided not to take this complaint on"):
            self._investigate(late_complaint)
        closed = case_services.move_case(
            late_complaint, to=Status.CLOSED, reason="Made after the time limit", actor=late_complaint.created_by
        )
        assert closed.status == Status.CLOSED

    def test_a_complaint_in_time_cannot_be_closed_as_out_of_time(self):
        case = make_case(kind=Kind.COMPLAINT, event_on=D(2026, 10, 1))
        with pytest.raises(InvalidTransition, match="Only a complaint made after the time limit"):
            case_services.move_case(case, to=Status.CLOSED, reason="x", actor=case.created_by)

    def test_only_the_coordinator_decides_and_only_when_it_was_made_late(self, late_complaint):
        with pytest.raises(PermissionDenied):
            services.record_time_limit_decision(
                late_complaint,
                has_good_reasons=True,
                can_investigate_fairly=True,
                rationale="x",
                decided_on=TODAY,
                actor=officer(),
            )
        in_time = make_case(kind=Kind.COMPLAINT, event_on=D(2026, 10, 1))
        with pytest.raises(RuleBroken, match="within the 12-month time limit"):
            services.record_time_limit_decision(
                in_time,
                has_good_reasons=True,
                can_investigate_fairly=True,
                rationale="x",
                decided_on=TODAY,
                actor=coordinator(),
            )


class TestHolds:
    def test_a_hold_pauses_the_target_and_moves_it_on_by_the_working_days_held(self, complaint, awaiting_consent):
        actor = complaint.created_by
        case = services.put_on_hold(
            complaint, reason=awaiting_consent, started_on=D(2026, 11, 9), note="Form sent to Mr Okafor", actor=actor
        )
        assert case.on_hold_since == D(2026, 11, 9)
        assert "Form sent to Mr Okafor" in case.timeline.filter(kind=TimelineEntry.EntryKind.DEADLINE).get().body
        assert AuditEvent.objects.get(action="case.put_on_hold").context["note"] == "Form sent to Mr Okafor"
        assert case.next_due_on == D(2026, 11, 5)  # the statutory acknowledgement still runs
        case = services.release_hold(case, ended_on=D(2026, 11, 16), actor=actor)
        assert case.held_working_days == 5
        assert case.response_due_on == D(2026, 12, 14)  # 7 December plus 5 working days
        assert ClockHold.objects.get(case=case).working_days_held == 5
        assert {e.action for e in AuditEvent.objects.filter(case=case)} >= {"case.put_on_hold", "case.hold_released"}

    def test_the_statutory_clocks_never_pause(self, complaint, awaiting_consent):
        case = services.put_on_hold(
            complaint, reason=awaiting_consent, started_on=D(2026, 11, 3), actor=complaint.created_by
        )
        case = services.release_hold(case, ended_on=D(2026, 11, 20), actor=complaint.created_by)
        assert case.acknowledgement_due_on == D(2026, 11, 5)
        assert case.long_stop_on == D(2027, 5, 1)

    def test_a_hold_does_not_move_a_date_agreed_with_the_complainant(self, complaint, awaiting_consent):
        actor = complaint.created_by
        case = services.agree_response_date(
            complaint, due_on=D(2026, 12, 18), agreed_with="Mrs Okafor", agreed_on=D(2026, 11, 4), actor=actor
        )
        case = services.put_on_hold(case, reason=awaiting_consent, started_on=D(2026, 11, 9), actor=actor)
        case = services.release_hold(case, ended_on=D(2026, 11, 16), actor=actor)
        assert case.response_due_on == D(2026, 12, 18)

    def test_only_reasons_the_trust_allows_and_only_one_hold_at_a_time(self, complaint, awaiting_consent):
        actor = complaint.created_by
        retired = HoldReason.objects.create(code="old", name="Old reason", disabled_on=D(2026, 1, 1))
        with pytest.raises(ValidationError):
            services.put_on_hold(complaint, reason=retired, started_on=TODAY, actor=actor)
        case = services.put_on_hold(complaint, reason=awaiting_consent, started_on=TODAY, actor=actor)
        with pytest.raises(RuleBroken, match="on hold since"):
            services.put_on_hold(case, reason=awaiting_consent, started_on=TODAY, actor=actor)

    def test_closing_a_held_case_ends_the_hold(self, awaiting_consent):
        concern = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 16))
        concern = services.put_on_hold(
            concern, reason=awaiting_consent, started_on=D(2026, 11, 17), actor=concern.created_by
        )
        concern = case_services.move_case(concern, to=Status.RESOLVED, actor=concern.created_by)
        assert concern.on_hold_since is None
        assert ClockHold.objects.get(case=concern).ended_on == TODAY


class TestChangingTheCalendar:
    def test_a_closure_day_moves_open_target_deadlines_and_is_audited(self, complaint):
        other = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 16))  # due 23 November
        finished = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 16))
        case_services.move_case(finished, to=Status.RESOLVED, actor=finished.created_by)
        admin = administrator()

        services.add_non_working_day(
            day=D(2026, 11, 23),
            name="Trust closure: server move",
            kind=NonWorkingDay.Kind.TRUST_CLOSURE,
            reason="Electronic records offline all day",
            actor=admin,
        )

        other.refresh_from_db()
        complaint.refresh_from_db()
        finished.refresh_from_db()
        assert other.response_due_on == D(2026, 11, 24)
        assert complaint.response_due_on == D(2026, 12, 8)
        assert finished.response_due_on == D(2026, 11, 23)  # a finished case keeps its history
        assert AuditEvent.objects.filter(action="calendar.day_added", actor=admin).exists()
        moved = AuditEvent.objects.get(action="case.deadlines_recomputed", case=other)
        assert moved.changes["response_due_on"] == ["2026-11-23", "2026-11-24"]
        assert "Trust closure: server move" in other.timeline.filter(kind=TimelineEntry.EntryKind.DEADLINE).get().body

    def test_a_trust_closure_does_not_move_the_statutory_acknowledgement(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 19))  # acknowledgement due 24 November
        services.add_non_working_day(
            day=D(2026, 11, 23),
            name="Closure",
            kind=NonWorkingDay.Kind.TRUST_CLOSURE,
            reason="x",
            actor=administrator(),
        )
        case.refresh_from_db()
        assert case.acknowledgement_due_on == D(2026, 11, 24)
        assert statutory_calendar().is_working_day(D(2026, 11, 23))
        assert not working_day_calendar().is_working_day(D(2026, 11, 23))

    def test_a_one_off_bank_holiday_moves_the_acknowledgement_too(self):
        case = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 19))
        services.add_non_working_day(
            day=D(2026, 11, 23),
            name="Proclaimed bank holiday",
            kind=NonWorkingDay.Kind.BANK_HOLIDAY,
            reason="Royal proclamation",
            actor=administrator(),
        )
        case.refresh_from_db()
        assert case.acknowledgement_due_on == D(2026, 11, 25)

    def test_removing_a_day_moves_deadlines_back(self):
        admin = administrator()
        closure, _ = services.add_non_working_day(
            day=D(2026, 11, 23), name="Closure", kind=NonWorkingDay.Kind.TRUST_CLOSURE, reason="x", actor=admin
        )
        concern = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 16))
        assert concern.response_due_on == D(2026, 11, 24)
        moved = services.remove_non_working_day(closure, reason="Closure cancelled", actor=admin)
        concern.refresh_from_db()
        assert (moved, concern.response_due_on) == (1, D(2026, 11, 23))
        assert AuditEvent.objects.filter(action="calendar.day_removed", context__reason="Closure cancelled").exists()

    def test_only_administrators_change_the_calendar_and_a_weekend_or_duplicate_is_refused(self):
        with pytest.raises(PermissionDenied):
            services.add_non_working_day(
                day=D(2026, 11, 23), name="x", kind=NonWorkingDay.Kind.TRUST_CLOSURE, reason="x", actor=coordinator()
            )
        for day in (D(2026, 11, 21), D(2026, 12, 25)):
            with pytest.raises(ValidationError) as refusal:
                services.add_non_working_day(
                    day=day, name="x", kind=NonWorkingDay.Kind.TRUST_CLOSURE, reason="x", actor=administrator()
                )
            assert "day" in refusal.value.message_dict
