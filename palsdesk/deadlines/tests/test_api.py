"""The clocks through the API: the dates and states on a case, the due filters, and the endpoints that change them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.deadlines import services
from palsdesk.deadlines.models import ClockHold, HoldReason, ResponseDateChange, TimeLimitDecision
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# Saturday 21 November 2026, mid-morning in London. "Due soon" runs to Wednesday 25th (3 working days).
NOW = datetime.datetime(2026, 11, 21, 10, 30, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
# A Monday. A complaint received then: acknowledgement due Thursday 5 November (regulation 13(2)), response
# Monday 7 December (the 25 working-day target), long-stop Saturday 1 May 2027 (regulation 14).
RECEIVED = D(2026, 11, 2)

CASES_URL = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _saturday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_division():
    return DivisionFactory()


@pytest.fixture
def complaint(division, caseworker):
    return make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED, actor=caseworker)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case: Case, action: str = "") -> str:
    return f"{CASES_URL}{case.reference}/{action + '/' if action else ''}"


def post(user, case: Case, action: str, body):
    return api(user).post(url(case, action), body, format="json")


def saved(case: Case) -> dict:
    """Everything a clock change writes, to prove a refusal saved nothing."""
    case.refresh_from_db()
    return {
        "case": {name: getattr(case, name) for name in [*services.CLOCK_FIELDS, "status", "version"]},
        "acknowledgement_method": case.acknowledgement_method,
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.exclude(action="case.viewed").count(),
        "response_date_changes": ResponseDateChange.objects.count(),
        "holds": list(ClockHold.objects.values_list("started_on", "ended_on")),
        "time_limit_decisions": TimeLimitDecision.objects.count(),
    }


def acknowledged(case: Case) -> Case:
    """The complaint acknowledged by letter on Wednesday 4 November, in time."""
    return case_services.move_case(
        case, to=Status.ACKNOWLEDGED, on=D(2026, 11, 4), acknowledgement_method="letter", actor=officer()
    )


# The endpoints, each with a case in the state it needs and a body it accepts ------------------------------------------

ENDPOINTS = ["acknowledgement", "response-date", "hold", "hold/release", "time-limit-decision", "delay-letter"]


def ready_for(endpoint: str, division) -> tuple[Case, dict]:
    """A complaint in the state the endpoint needs, and a body the endpoint accepts for it."""
    if endpoint == "time-limit-decision":
        # Made on 2 November 2026 about June 2025: after the 12-month limit (regulation 12).
        case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED, event_on=D(2025, 6, 1))
        body = {
            "has_good_reasons": True,
            "can_investigate_fairly": True,
            "rationale": "Bereaved in the meantime; the ward's records and staff are still available",
            "decided_on": "2026-11-03",
        }
        return case, body
    if endpoint == "delay-letter":
        # Received Saturday 10 January 2026: the 6-month long-stop ended on Thursday 9 July.
        case = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 1, 10))
        return case, {"sent_on": "2026-07-10"}
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED)
    if endpoint == "acknowledgement":
        return case, {"method": "letter", "sent_on": "2026-11-04"}
    if endpoint == "response-date":
        return case, {
            "kind": "agreed",
            "due_on": "2026-12-18",
            "agreed_with": "Mrs Okafor, by phone",
            "agreed_on": "2026-11-04",
        }
    if endpoint == "hold":
        return case, {"reason": "awaiting-consent", "started_on": "2026-11-09", "note": "Consent form posted"}
    if endpoint == "hold/release":
        case = services.put_on_hold(
            case, reason=HoldReason.objects.get(code="awaiting-consent"), started_on=D(2026, 11, 9), actor=officer()
        )
        return case, {"ended_on": "2026-11-16"}
    raise ValueError(endpoint)


# The dates and states on a case ---------------------------------------------------------------------------------------


# The clock fields of a case, as the API shows them.
CLOCK_VIEW = [
    "acknowledgement_due_on",
    "acknowledged_on",
    "acknowledgement_method",
    "response_due_on",
    "response_due_basis",
    "on_hold_since",
    "held_working_days",
    "responded_on",
    "long_stop_on",
    "delay_letter_sent_on",
    "time_limit_on",
    "is_out_of_time",
    "next_due_on",
    "next_due_state",
    "delay_letter_owed",
    "time_limit_decision",
]


def test_a_new_complaint_shows_every_clock_date(caseworker, complaint):
    body = api(caseworker).get(url(complaint)).json()

    assert {name: body[name] for name in CLOCK_VIEW} == {
        "acknowledgement_due_on": "2026-11-05",
        "acknowledged_on": None,
        "acknowledgement_method": None,
        "response_due_on": "2026-12-07",
        "response_due_basis": "target",
        "on_hold_since": None,
        "held_working_days": 0,
        "responded_on": None,
        "long_stop_on": "2027-05-01",
        "delay_letter_sent_on": None,
        "time_limit_on": None,
        "is_out_of_time": False,
        "next_due_on": "2026-11-05",
        "next_due_state": "overdue",
        "delay_letter_owed": False,
        "time_limit_decision": None,
    }


def test_the_case_lists_each_clock_with_its_state_and_how_its_date_was_found(caseworker, complaint):
    clocks = api(caseworker).get(url(complaint)).json()["clocks"]

    assert clocks == [
        {
            "key": "acknowledgement",
            "label": "Acknowledgement",
            "due_on": "2026-11-05",
            "met_on": None,
            "state": "overdue",
            "state_label": "Overdue",
            "explanation": "3 working days after the day of receipt, Monday 2 November 2026 (regulation 13).",
        },
        {
            "key": "response",
            "label": "Response",
            "due_on": "2026-12-07",
            "met_on": None,
            "state": "on_track",
            "state_label": "On track",
            "explanation": (
                "25 working days from receipt on Monday 2 November 2026: the trust's target for a complaint."
            ),
        },
        {
            "key": "long_stop",
            "label": "6-month long-stop",
            "due_on": "2027-05-01",
            "met_on": None,
            "state": "on_track",
            "state_label": "On track",
            "explanation": "The 6 months beginning with the day of receipt, Monday 2 November 2026 (regulation 14).",
        },
    ]


def test_a_clock_explains_the_bank_holidays_it_skips(caseworker, division):
    # Received Tuesday 22 December 2026: Christmas Day and the Boxing Day substitute (Monday 28th) are skipped.
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=ZoneInfo("Europe/London")), tick=False):
        case = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 12, 22))
        acknowledgement = api(caseworker).get(url(case)).json()["clocks"][0]

    assert acknowledgement["due_on"] == "2026-12-29"
    assert acknowledgement["explanation"].endswith("It skips Christmas Day (25 Dec), Boxing Day (observed) (28 Dec).")


def test_a_pals_concern_has_only_a_response_clock(caseworker, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=D(2026, 11, 18))

    body = api(caseworker).get(url(concern)).json()

    assert [clock["key"] for clock in body["clocks"]] == ["response"]
    assert (body["response_due_on"], body["next_due_state"]) == ("2026-11-25", "due_soon")
    assert (body["acknowledgement_due_on"], body["long_stop_on"], body["time_limit_on"]) == (None, None, None)


def test_a_complaint_made_after_the_twelve_month_limit_shows_that_it_is_out_of_time(caseworker, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED, event_on=D(2025, 6, 1))

    body = api(caseworker).get(url(case)).json()

    assert (body["time_limit_on"], body["is_out_of_time"]) == ("2026-06-01", True)
    assert body["time_limit_decision"] is None


def test_a_complaint_made_within_the_twelve_month_limit_is_not_out_of_time(caseworker, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED, event_on=D(2025, 11, 3))

    body = api(caseworker).get(url(case)).json()

    assert (body["time_limit_on"], body["is_out_of_time"]) == ("2026-11-03", False)


def test_a_complaint_past_its_long_stop_without_a_response_owes_a_delay_letter(caseworker, division):
    case, _ = ready_for("delay-letter", division)

    body = api(caseworker).get(url(case)).json()

    assert (body["long_stop_on"], body["delay_letter_owed"]) == ("2026-07-09", True)
    long_stop = body["clocks"][-1]
    assert (long_stop["key"], long_stop["state"]) == ("long_stop", "overdue")
    assert long_stop["explanation"].endswith(
        "A delay letter is owed: write to say why, and respond as soon as practicable."
    )


def test_the_list_shows_every_clock_date_and_the_state_of_the_next_deadline_without_the_clocks(caseworker, due_cases):
    listed = {row["reference"]: row for row in api(caseworker).get(CASES_URL).json()["results"]}

    states = {name: listed[reference]["next_due_state"] for name, reference in due_cases.items()}
    assert states == {
        "overdue": "overdue",
        "today": "due_today",
        "soon": "due_soon",
        "in_four_working_days": "on_track",
        "in_eleven_working_days": "on_track",
        "held": "on_track",  # its next deadline is the long-stop: a held response clock is not counted
        "finished": None,
    }
    held = listed[due_cases["held"]]
    assert (held["on_hold_since"], held["next_due_on"], held["long_stop_on"]) == (
        "2026-11-09",
        "2027-05-01",
        "2027-05-01",
    )
    assert set(CLOCK_VIEW) - set(held) == {"delay_letter_owed", "time_limit_decision"}
    assert "clocks" not in held


# Recording the acknowledgement ----------------------------------------------------------------------------------------


def test_acknowledging_records_how_and_when_and_meets_the_acknowledgement_clock(caseworker, complaint):
    response = post(
        caseworker, complaint, "acknowledgement", {"method": "email", "sent_on": "2026-11-04", "version": 1}
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["acknowledged_on"], body["acknowledgement_method"]) == (
        "acknowledged",
        "2026-11-04",
        "email",
    )
    assert body["clocks"][0] | {"explanation": ""} == {
        "key": "acknowledgement",
        "label": "Acknowledgement",
        "due_on": "2026-11-05",
        "met_on": "2026-11-04",
        "state": "met",
        "state_label": "Met",
        "explanation": "",
    }
    assert (body["next_due_on"], body["next_due_state"], body["version"]) == ("2026-12-07", "on_track", 2)
    event = AuditEvent.objects.get(action="case.acknowledge", case=complaint)
    assert (event.channel, event.actor) == (AuditEvent.Channel.API, caseworker)
    assert event.changes["acknowledgement_method"] == ["", "email"]
    assert event.changes["acknowledged_on"] == [None, "2026-11-04"]
    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.STATUS_CHANGE).exists()


def test_an_acknowledgement_without_a_date_is_recorded_today_and_is_late(caseworker, complaint):
    response = post(caseworker, complaint, "acknowledgement", {"method": "phone"})

    assert response.status_code == 200, response.json()
    acknowledgement = response.json()["clocks"][0]
    assert (acknowledgement["met_on"], acknowledgement["state"]) == ("2026-11-21", "met_late")


def test_a_pals_concern_is_not_acknowledged(caseworker, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division)
    before = saved(concern)

    response = post(caseworker, concern, "acknowledgement", {"method": "letter"})

    assert response.status_code == 400
    assert "cannot move to 'Acknowledged'" in response.json()["detail"]
    assert saved(concern) == before


def test_a_complaint_is_acknowledged_once(caseworker, complaint):
    acknowledged(complaint)
    before = saved(complaint)

    response = post(caseworker, complaint, "acknowledgement", {"method": "letter"})

    assert response.status_code == 400
    assert "is 'Acknowledged' cannot move to 'Acknowledged'" in response.json()["detail"]
    assert saved(complaint) == before


# Agreeing the response date and extending it --------------------------------------------------------------------------


def test_a_response_date_agreed_with_the_complainant_replaces_the_target_date(caseworker, complaint):
    _, body = ready_for("response-date", complaint.division)

    response = post(caseworker, complaint, "response-date", body)

    assert response.status_code == 200, response.json()
    case = response.json()
    assert (case["response_due_on"], case["response_due_basis"], case["version"]) == ("2026-12-18", "agreed", 2)
    assert case["clocks"][1]["explanation"] == "Agreed with Mrs Okafor, by phone on Wednesday 4 November 2026."
    change = ResponseDateChange.objects.get(case=complaint)
    assert (change.kind, change.previous_due_on, change.new_due_on, change.recorded_by) == (
        "agreed",
        D(2026, 12, 7),
        D(2026, 12, 18),
        caseworker,
    )
    event = AuditEvent.objects.get(action="case.response_date_agreed", case=complaint)
    assert event.channel == AuditEvent.Channel.API
    assert event.changes["response_due_on"] == ["2026-12-07", "2026-12-18"]


def test_an_extension_moves_the_response_date_later_and_keeps_the_history(caseworker, complaint):
    agreed = {"kind": "agreed", "due_on": "2026-12-18", "agreed_with": "Mrs Okafor", "agreed_on": "2026-11-04"}
    assert post(caseworker, complaint, "response-date", agreed).status_code == 200

    response = post(
        caseworker,
        complaint,
        "response-date",
        {
            "kind": "extension",
            "due_on": "2027-01-08",
            "agreed_with": "Mrs Okafor, by email",
            "agreed_on": "2026-11-20",
            "reason": "Waiting for the ward manager's statement",
            "version": 2,
        },
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["response_due_on"], response.json()["response_due_basis"]) == ("2027-01-08", "extended")
    assert list(complaint.response_date_changes.values_list("kind", "previous_due_on", "new_due_on")) == [
        ("agreed", D(2026, 12, 7), D(2026, 12, 18)),
        ("extension", D(2026, 12, 18), D(2027, 1, 8)),
    ]
    assert AuditEvent.objects.filter(action="case.response_date_extended", channel="api").count() == 1


def test_a_second_agreed_date_is_refused_as_it_must_be_an_extension(caseworker, complaint):
    agreed = {"kind": "agreed", "due_on": "2026-12-18", "agreed_with": "Mrs Okafor", "agreed_on": "2026-11-04"}
    assert post(caseworker, complaint, "response-date", agreed).status_code == 200
    before = saved(complaint)

    response = post(caseworker, complaint, "response-date", agreed | {"due_on": "2026-12-22"})

    assert response.status_code == 400
    assert response.json() == {"detail": "A response date is already agreed. Record an extension to change it."}
    assert saved(complaint) == before


def test_an_extension_agreed_after_the_date_it_replaces_must_be_marked_late_with_the_reason(caseworker, division):
    # Received 1 October: the response was due on 5 November, and the extension was agreed on 16 November.
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 10, 1))
    extension = {
        "kind": "extension",
        "due_on": "2026-12-18",
        "reason": "Complex clinical review",
        "agreed_with": "Mr Shah, by phone",
        "agreed_on": "2026-11-16",
    }
    before = saved(case)

    unmarked = post(caseworker, case, "response-date", extension)
    without_reason = post(caseworker, case, "response-date", extension | {"is_late": True})

    assert unmarked.status_code == without_reason.status_code == 400
    assert list(unmarked.json()) == list(without_reason.json()) == ["is_late"]
    assert "after the date it replaces (5 November 2026)" in unmarked.json()["is_late"][0]
    assert saved(case) == before
    accepted = post(caseworker, case, "response-date", extension | {"is_late": True, "late_reason": "Officer off sick"})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["clocks"][1]["explanation"].endswith("after the date it replaced.")
    assert case.response_date_changes.get().is_late


def test_a_longer_period_agreed_before_the_six_months_end_moves_the_long_stop(caseworker, division):
    # Received 1 June 2026: the 6 months end on 30 November; a response date of 18 December agreed on 3 June.
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 6, 1))
    assert case.long_stop_on == D(2026, 11, 30)

    response = post(
        caseworker,
        case,
        "response-date",
        {"kind": "agreed", "due_on": "2026-12-18", "agreed_with": "Ms Byrne", "agreed_on": "2026-06-03"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["long_stop_on"] == "2026-12-18"


# Holding the response clock -------------------------------------------------------------------------------------------


def test_a_hold_stops_the_response_clock_but_not_the_statutory_ones(caseworker, complaint):
    _, body = ready_for("hold", complaint.division)

    response = post(caseworker, complaint, "hold", body)

    assert response.status_code == 200, response.json()
    case = response.json()
    assert (case["on_hold_since"], case["version"]) == ("2026-11-09", 2)
    assert {clock["key"]: clock["state"] for clock in case["clocks"]} == {
        "acknowledgement": "overdue",
        "response": "on_hold",
        "long_stop": "on_track",
    }
    assert (case["next_due_on"], case["next_due_state"]) == ("2026-11-05", "overdue")
    hold = ClockHold.objects.get(case=complaint)
    assert (hold.reason.code, hold.note, hold.started_by) == ("awaiting-consent", "Consent form posted", caseworker)
    assert AuditEvent.objects.get(action="case.put_on_hold", case=complaint).channel == AuditEvent.Channel.API


def test_releasing_a_hold_moves_the_target_date_on_by_the_working_days_held(caseworker, division):
    case, body = ready_for("hold/release", division)

    response = post(caseworker, case, "hold/release", body)

    assert response.status_code == 200, response.json()
    released = response.json()
    # Held Monday 9 to Monday 16 November: 5 working days, so 7 December becomes 14 December.
    assert (released["on_hold_since"], released["held_working_days"], released["response_due_on"]) == (
        None,
        5,
        "2026-12-14",
    )
    assert released["clocks"][1]["explanation"].startswith("25 working days, plus 5 working days on hold, from receipt")
    assert ClockHold.objects.get(case=case).ended_by == caseworker
    event = AuditEvent.objects.get(action="case.hold_released", case=case)
    assert event.changes["response_due_on"] == ["2026-12-07", "2026-12-14"]


def test_a_hold_reason_no_longer_in_use_is_refused(caseworker, complaint):
    HoldReason.objects.create(code="awaiting-pals-review", name="Awaiting PALS review", disabled_on=TODAY)
    before = saved(complaint)

    response = post(caseworker, complaint, "hold", {"reason": "awaiting-pals-review", "started_on": "2026-11-09"})

    assert response.status_code == 400
    assert response.json() == {"reason": ["There is no hold reason in use with the code 'awaiting-pals-review'."]}
    assert saved(complaint) == before


def test_a_case_on_hold_is_not_held_again(caseworker, division):
    case, _ = ready_for("hold/release", division)
    before = saved(case)

    response = post(caseworker, case, "hold", {"reason": "awaiting-complainant", "started_on": "2026-11-20"})

    assert response.status_code == 400
    assert response.json()["detail"] == f"{case.reference} has been on hold since 9 November 2026."
    assert saved(case) == before


def test_a_case_not_on_hold_is_not_released(caseworker, complaint):
    before = saved(complaint)

    response = post(caseworker, complaint, "hold/release", {"ended_on": "2026-11-20"})

    assert response.status_code == 400
    assert response.json() == {"detail": f"{complaint.reference} is not on hold."}
    assert saved(complaint) == before


# The 12-month time limit ----------------------------------------------------------------------------------------------


def test_a_coordinator_records_that_a_late_complaint_is_taken_on(division):
    lead = coordinator()
    case, body = ready_for("time-limit-decision", division)

    response = post(lead, case, "time-limit-decision", body)

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["time_limit_decision"] == {
        "has_good_reasons": True,
        "can_investigate_fairly": True,
        "is_accepted": True,
        "rationale": "Bereaved in the meantime; the ward's records and staff are still available",
        "decided_by": lead.username,
        "decided_on": "2026-11-03",
    }
    event = AuditEvent.objects.get(action="case.time_limit_decided", case=case)
    assert (event.channel, event.context) == (AuditEvent.Channel.API, {"accepted": True})


def test_a_late_complaint_not_taken_on_shows_the_decision_as_declined(division):
    case, body = ready_for("time-limit-decision", division)

    response = post(coordinator(), case, "time-limit-decision", body | {"can_investigate_fairly": False})

    assert response.status_code == 200, response.json()
    assert response.json()["time_limit_decision"]["is_accepted"] is False


def test_a_pals_officer_gets_403_for_a_time_limit_decision(caseworker, division):
    case, body = ready_for("time-limit-decision", division)
    before = saved(case)

    response = post(caseworker, case, "time-limit-decision", body)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "PALS officer: this role cannot decide on complaints made after the time limit."
    }
    assert saved(case) == before


def test_a_complaint_made_in_time_needs_no_time_limit_decision(complaint):
    _, body = ready_for("time-limit-decision", complaint.division)
    before = saved(complaint)

    response = post(coordinator(), complaint, "time-limit-decision", body)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This complaint was made within the 12-month time limit: no decision is needed."
    }
    assert saved(complaint) == before


# The delay letter (regulation 14(2)) ----------------------------------------------------------------------------------


def test_a_delay_letter_is_recorded_and_is_no_longer_owed(caseworker, division):
    case, body = ready_for("delay-letter", division)

    response = post(caseworker, case, "delay-letter", body)

    assert response.status_code == 200, response.json()
    letter = response.json()
    assert (letter["delay_letter_sent_on"], letter["delay_letter_owed"], letter["version"]) == ("2026-07-10", False, 2)
    assert letter["clocks"][-1]["explanation"].endswith(
        "Delay letter sent Friday 10 July 2026; respond as soon as practicable."
    )
    assert AuditEvent.objects.get(action="case.delay_letter_sent", case=case).channel == AuditEvent.Channel.API


def test_a_pals_concern_has_no_delay_letter(caseworker, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=RECEIVED)
    before = saved(concern)

    response = post(caseworker, concern, "delay-letter", {"sent_on": "2026-11-20"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Only complaints have the 6-month long-stop and its delay letter."}
    assert saved(concern) == before


# Every endpoint: who may, stale versions, bad input -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_answers_404_for_another_divisions_case(division, other_division, endpoint):
    case, body = ready_for(endpoint, other_division)
    before = saved(case)

    response = post(divisional_manager(divisions=[division]), case, endpoint, body)

    assert response.status_code == 404
    assert saved(case) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_answers_404_for_a_restricted_case_to_someone_not_named_on_it(division, endpoint):
    case, body = ready_for(endpoint, division)
    Case.objects.filter(pk=case.pk).update(is_restricted=True)
    before = saved(case)

    response = post(coordinator(), case, endpoint, body)

    assert response.status_code == 404
    assert saved(case) == before


@pytest.mark.parametrize("make_user", [divisional_manager, auditor], ids=["divisional_manager", "auditor"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_answers_403_to_a_role_that_cannot_change_clocks(division, endpoint, make_user):
    case, body = ready_for(endpoint, division)
    before = saved(case)

    response = post(make_user(divisions=[division]), case, endpoint, body)

    assert response.status_code == 403
    assert "this role cannot" in response.json()["detail"]
    assert saved(case) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_answers_409_for_a_stale_version_and_saves_nothing(division, endpoint):
    case, body = ready_for(endpoint, division)
    read_version = case.version
    case_services.assign_case(case, case_officer=officer(), actor=officer(first_name="Pat", last_name="Jones"))
    before = saved(case)

    response = post(coordinator(), case, endpoint, body | {"version": read_version})

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Pat Jones changed this case at")
    assert saved(case) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_accepts_the_current_version(division, endpoint):
    case, body = ready_for(endpoint, division)

    response = post(coordinator(), case, endpoint, body | {"version": case.version})

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == case.version + 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_clock_endpoint_refuses_an_unknown_field(caseworker, division, endpoint):
    case, body = ready_for(endpoint, division)
    before = saved(case)

    response = post(caseworker, case, endpoint, body | {"notes": "misspelt"})

    assert response.status_code == 400
    assert list(response.json()) == ["notes"]
    assert response.json()["notes"][0].startswith("'notes' is not a field here. Known fields:")
    assert saved(case) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", [["a", "list"], "a string", 42], ids=["list", "string", "number"])
def test_each_clock_endpoint_refuses_a_body_that_is_not_an_object(caseworker, division, endpoint, body):
    case, _ = ready_for(endpoint, division)
    before = saved(case)

    response = post(caseworker, case, endpoint, body)

    assert response.status_code == 400
    assert saved(case) == before


MISSING = object()
FUTURE = "2026-11-22"

BAD_INPUT = [
    # (endpoint, changes to a body it accepts, the field named in the refusal)
    ("acknowledgement", {"method": MISSING}, "method"),
    ("acknowledgement", {"method": "carrier_pigeon"}, "method"),
    ("acknowledgement", {"method": ["letter"]}, "method"),
    ("acknowledgement", {"method": ""}, "method"),
    ("acknowledgement", {"sent_on": FUTURE}, "sent_on"),
    ("acknowledgement", {"sent_on": "2026-11-01"}, "sent_on"),  # before the case was received
    ("acknowledgement", {"sent_on": "last Tuesday"}, "sent_on"),
    ("acknowledgement", {"sent_on": 20261104}, "sent_on"),
    ("acknowledgement", {"version": 0}, "version"),
    ("acknowledgement", {"version": "latest"}, "version"),
    ("response-date", {"kind": MISSING}, "kind"),
    ("response-date", {"kind": "postponement"}, "kind"),
    ("response-date", {"due_on": MISSING}, "due_on"),
    ("response-date", {"due_on": "2026-02-30"}, "due_on"),
    ("response-date", {"due_on": "2026-11-03"}, "due_on"),  # before the day it was agreed
    ("response-date", {"due_on": "2046-01-02"}, "due_on"),  # beyond the working-day calendar
    ("response-date", {"agreed_on": FUTURE}, "agreed_on"),
    ("response-date", {"agreed_on": "2026-10-30"}, "agreed_on"),  # before the case was received
    ("response-date", {"agreed_on": None}, "agreed_on"),
    ("response-date", {"agreed_with": MISSING}, "agreed_with"),
    ("response-date", {"agreed_with": "   "}, "agreed_with"),
    ("response-date", {"agreed_with": {"name": "Mrs Okafor"}}, "agreed_with"),
    ("response-date", {"reason": "r" * 2_001}, "reason"),
    ("response-date", {"late_reason": "r" * 2_001}, "late_reason"),
    ("response-date", {"is_late": "banana"}, "is_late"),
    ("response-date", {"is_late": True, "late_reason": "It was not"}, "is_late"),  # agreed before 7 December
    ("response-date", {"kind": "extension"}, "reason"),  # an extension says why
    ("response-date", {"kind": "extension", "reason": "More time", "due_on": "2026-12-07"}, "due_on"),  # not later
    ("hold", {"reason": MISSING}, "reason"),
    ("hold", {"reason": "waiting-for-godot"}, "reason"),
    ("hold", {"reason": 7}, "reason"),
    ("hold", {"started_on": MISSING}, "started_on"),
    ("hold", {"started_on": FUTURE}, "started_on"),
    ("hold", {"started_on": "2026-10-30"}, "started_on"),
    ("hold", {"note": "n" * 2_001}, "note"),
    ("hold/release", {"ended_on": MISSING}, "ended_on"),
    ("hold/release", {"ended_on": FUTURE}, "ended_on"),
    ("hold/release", {"ended_on": "2026-11-06"}, "ended_on"),  # before the hold started
    ("hold/release", {"ended_on": "16/11/2026"}, "ended_on"),
    ("time-limit-decision", {"has_good_reasons": MISSING}, "has_good_reasons"),
    ("time-limit-decision", {"has_good_reasons": "banana"}, "has_good_reasons"),
    ("time-limit-decision", {"can_investigate_fairly": None}, "can_investigate_fairly"),
    ("time-limit-decision", {"rationale": MISSING}, "rationale"),
    ("time-limit-decision", {"rationale": ""}, "rationale"),
    ("time-limit-decision", {"rationale": "r" * 5_001}, "rationale"),
    ("time-limit-decision", {"decided_on": FUTURE}, "decided_on"),
    ("time-limit-decision", {"decided_on": "2026-11-01"}, "decided_on"),
    ("delay-letter", {"sent_on": MISSING}, "sent_on"),
    ("delay-letter", {"sent_on": FUTURE}, "sent_on"),
    ("delay-letter", {"sent_on": "2025-12-31"}, "sent_on"),
    ("delay-letter", {"sent_on": ["2026-07-10"]}, "sent_on"),
]


@pytest.mark.parametrize(
    ("endpoint", "changes", "field"), BAD_INPUT, ids=[f"{e}-{f}-{i}" for i, (e, _, f) in enumerate(BAD_INPUT)]
)
def test_bad_input_to_a_clock_endpoint_answers_400_naming_the_field_and_saves_nothing(
    division, endpoint, changes, field
):
    case, body = ready_for(endpoint, division)
    body = {name: value for name, value in (body | changes).items() if value is not MISSING}
    before = saved(case)

    response = post(coordinator(), case, endpoint, body)

    assert response.status_code == 400, (response.status_code, response.content)
    errors = response.json()
    assert list(errors) == [field], errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert saved(case) == before


@pytest.mark.parametrize(
    ("endpoint", "field", "length", "limit"),
    [
        ("response-date", "agreed_with", 201, 200),
        ("response-date", "reason", 2_500, 2_000),
        ("hold", "note", 2_001, 2_000),
        ("time-limit-decision", "rationale", 6_000, 5_000),
    ],
)
def test_text_over_its_limit_answers_400_saying_the_limit_and_the_length(division, endpoint, field, length, limit):
    case, body = ready_for(endpoint, division)
    before = saved(case)

    response = post(coordinator(), case, endpoint, body | {field: "x" * length})

    assert response.status_code == 400
    assert response.json() == {field: [f"Must be {limit:,} characters or fewer; this has {length:,}."]}
    assert saved(case) == before


def test_the_acknowledgement_dates_are_refused_under_the_name_the_client_sent(caseworker, complaint):
    response = post(caseworker, complaint, "acknowledgement", {"method": "letter", "sent_on": FUTURE})

    assert response.json() == {"sent_on": ["The date must be today or in the past."]}


def test_an_unknown_acknowledgement_method_is_refused_listing_the_methods(caseworker, complaint):
    response = post(caseworker, complaint, "acknowledgement", {"method": "fax"})

    assert response.json() == {"method": ['"fax" is not one of: letter, email, phone, in_person.']}


def test_a_finished_case_has_no_response_date_to_change(caseworker, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=RECEIVED)
    case_services.move_case(concern, to=Status.RESOLVED, actor=caseworker)
    before = saved(concern)

    response = post(
        caseworker,
        concern,
        "response-date",
        {"kind": "agreed", "due_on": "2026-12-18", "agreed_with": "Mr Shah", "agreed_on": "2026-11-04"},
    )

    assert response.status_code == 400
    assert response.json() == {"detail": f"{concern.reference} is finished: its response date can no longer change."}
    assert saved(concern) == before


# The due filters ------------------------------------------------------------------------------------------------------


@pytest.fixture
def due_cases(division, caseworker):
    """One open case per place its next deadline can fall, seen from Saturday 21 November, by name."""
    make = {"division": division, "actor": caseworker}
    overdue = make_case(kind=Kind.COMPLAINT, received_on=RECEIVED, **make)  # acknowledgement due 5 November
    today = acknowledged(make_case(kind=Kind.COMPLAINT, received_on=RECEIVED, **make))
    services.agree_response_date(
        today, due_on=TODAY, agreed_with="Mrs Okafor", agreed_on=D(2026, 11, 4), actor=caseworker
    )
    soon = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 18), **make)  # 5 working days: Wed 25th
    in_four = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 19), **make)  # Thursday 26th
    in_eleven = acknowledged(make_case(kind=Kind.COMPLAINT, received_on=RECEIVED, **make))  # Monday 7 December
    held = acknowledged(make_case(kind=Kind.COMPLAINT, received_on=RECEIVED, **make))
    services.put_on_hold(
        held, reason=HoldReason.objects.get(code="awaiting-consent"), started_on=D(2026, 11, 9), actor=caseworker
    )
    finished = make_case(kind=Kind.PALS_CONCERN, received_on=RECEIVED, **make)
    case_services.move_case(finished, to=Status.RESOLVED, on=D(2026, 11, 6), actor=caseworker)
    cases = {
        "overdue": overdue,
        "today": today,
        "soon": soon,
        "in_four_working_days": in_four,
        "in_eleven_working_days": in_eleven,
        "held": held,
        "finished": finished,
    }
    return {name: case.reference for name, case in cases.items()}


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {case["reference"] for case in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"due": "overdue"}, {"overdue"}),
        ({"due": "today"}, {"today"}),
        ({"due": "soon"}, {"today", "soon"}),
        ({"due_within": 1}, {"today"}),
        ({"due_within": 3}, {"today", "soon"}),
        ({"due_within": 4}, {"today", "soon", "in_four_working_days"}),
        ({"due_within": 10}, {"today", "soon", "in_four_working_days"}),
        ({"due_within": 11}, {"today", "soon", "in_four_working_days", "in_eleven_working_days"}),
        ({"due_within": 60}, {"today", "soon", "in_four_working_days", "in_eleven_working_days"}),
        ({"on_hold": "true"}, {"held"}),
        (
            {"on_hold": "false"},
            {"overdue", "today", "soon", "in_four_working_days", "in_eleven_working_days", "finished"},
        ),
        ({"due": "soon", "kind": "pals_concern"}, {"soon"}),
        ({"due": "overdue", "kind": "pals_concern"}, set()),
        ({"due": "soon", "due_within": 1}, {"today"}),
    ],
)
def test_the_due_filters_return_exactly_the_cases_due_then(caseworker, due_cases, query, expected):
    listed = references(api(caseworker).get(CASES_URL, query))

    assert listed == {due_cases[name] for name in expected}


@pytest.mark.parametrize(
    "query",
    [
        {"due": "later"},
        {"due_within": 0},
        {"due_within": 61},
        {"due_within": "2.5"},
        {"due_within": "ten"},
        {"on_hold": "maybe"},
    ],
)
def test_a_bad_due_filter_answers_400_naming_it(caseworker, query):
    response = api(caseworker).get(CASES_URL, query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_the_due_filters_stay_within_what_the_user_may_see(division, other_division, due_cases):
    elsewhere = make_case(kind=Kind.COMPLAINT, division=other_division, received_on=RECEIVED)
    manager = divisional_manager(divisions=[other_division])

    assert references(api(manager).get(CASES_URL, {"due": "overdue"})) == {elsewhere.reference}
    assert references(api(manager).get(CASES_URL, {"due": "soon"})) == set()


@pytest.mark.parametrize("query", [{}, {"due": "soon"}, {"due_within": 10}, {"on_hold": "true"}])
def test_the_number_of_queries_for_the_list_does_not_grow_with_the_number_of_cases(division, caseworker, query):
    client = api(coordinator())
    reason = HoldReason.objects.get(code="awaiting-consent")

    def add_cases(count: int) -> None:
        for number in range(count):
            received = D(2026, 11, 16) + datetime.timedelta(days=number % 5)
            case = make_case(kind=Kind.COMPLAINT, division=division, received_on=received, actor=caseworker)
            if number % 2:
                services.put_on_hold(case, reason=reason, started_on=received, actor=caseworker)

    def queries_for_the_list() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASES_URL, query)
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add_cases(4)
    with_few, listed_few = queries_for_the_list()
    add_cases(16)
    with_many, listed_many = queries_for_the_list()

    assert listed_many > listed_few > 0
    assert with_many == with_few
