"""The long-stop, the 12-month limit, and each clock's state, as pure rules."""

import datetime
from types import SimpleNamespace

import pytest

from palsdesk.deadlines import clocks, rules
from palsdesk.deadlines.clocks import State
from palsdesk.deadlines.working_days import england

D = datetime.date


@pytest.mark.parametrize(
    ("received", "six_months_end"),
    [
        (D(2026, 1, 10), D(2026, 7, 9)),  # the domain's own example: received 10 January, ends 9 July
        (D(2026, 11, 21), D(2027, 5, 20)),
        (D(2026, 8, 31), D(2027, 2, 27)),  # no 31 February: the month's last day stands in, a day early
        (D(2027, 8, 29), D(2028, 2, 28)),  # 29 February exists in 2028
        (D(2026, 12, 1), D(2027, 5, 31)),
    ],
)
def test_the_six_months_begin_with_the_day_of_receipt(received, six_months_end):
    assert rules.six_months_end(received) == six_months_end
    assert rules.long_stop_on(received) == six_months_end


def test_a_longer_period_agreed_before_the_six_months_ended_becomes_the_long_stop():
    received = D(2026, 1, 10)
    agreed_in_time = (D(2026, 6, 1), D(2026, 8, 28))
    assert rules.long_stop_on(received, agreements=[agreed_in_time]) == D(2026, 8, 28)


def test_a_period_agreed_after_the_six_months_ended_does_not_move_the_long_stop():
    received = D(2026, 1, 10)
    agreed_too_late = (D(2026, 7, 10), D(2026, 9, 30))
    assert rules.long_stop_on(received, agreements=[agreed_too_late]) == D(2026, 7, 9)


def test_a_shorter_agreed_date_does_not_shorten_the_long_stop():
    assert rules.long_stop_on(D(2026, 1, 10), agreements=[(D(2026, 1, 12), D(2026, 3, 1))]) == D(2026, 7, 9)


@pytest.mark.parametrize(
    ("event", "aware", "last_day"),
    [
        (D(2025, 3, 4), None, D(2026, 3, 4)),
        (D(2025, 3, 4), D(2025, 9, 1), D(2026, 9, 1)),  # awareness later than the event: from awareness
        (D(2025, 3, 4), D(2025, 1, 1), D(2026, 3, 4)),  # the later of the two
        (None, D(2024, 2, 29), D(2025, 2, 28)),
        (None, None, None),
    ],
)
def test_the_time_limit_runs_twelve_months_from_the_event_or_later_awareness(event, aware, last_day):
    assert rules.time_limit_on(event, aware) == last_day


calendar = england()
TODAY = D(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("due", "met", "state"),
    [
        (D(2026, 12, 8), None, State.ON_TRACK),
        (D(2026, 11, 25), None, State.DUE_SOON),  # 3 working days away
        (D(2026, 11, 26), None, State.ON_TRACK),  # 4 working days away
        (TODAY, None, State.DUE_TODAY),
        (D(2026, 11, 19), None, State.OVERDUE),
        (D(2026, 11, 25), D(2026, 11, 24), State.MET),
        (D(2026, 11, 25), D(2026, 11, 25), State.MET),
        (D(2026, 11, 18), D(2026, 11, 19), State.MET_LATE),
    ],
)
def test_a_clock_is_read_against_today(due, met, state):
    assert clocks.state_of(due_on=due, met_on=met, today=TODAY, calendar=calendar) == state


def test_a_held_clock_is_on_hold_and_a_finished_case_stops_its_clocks():
    assert clocks.state_of(due_on=TODAY, met_on=None, today=TODAY, calendar=calendar, is_on_hold=True) == State.ON_HOLD
    assert clocks.state_of(due_on=TODAY, met_on=None, today=TODAY, calendar=calendar, is_finished=True) == State.STOPPED


def _case(**fields):
    values = {
        "is_open": True,
        "kind": "complaint",
        "received_on": D(2026, 12, 23),
        "acknowledgement_due_on": D(2026, 12, 30),
        "acknowledged_on": None,
        "response_due_on": D(2027, 2, 2),
        "response_due_basis": "target",
        "response_clock_from": D(2026, 12, 23),
        "response_target_working_days": 25,
        "held_working_days": 0,
        "on_hold_since": None,
        "responded_on": None,
        "long_stop_on": D(2027, 6, 22),
        "delay_letter_sent_on": None,
        "closed_on": None,
    }
    return SimpleNamespace(**(values | fields))


def test_the_acknowledgement_explains_its_date_naming_the_days_it_skips():
    clock = clocks.acknowledgement_clock(_case(), today=TODAY, statutory=calendar, trust=calendar)
    assert clock.explanation == (
        "3 working days after the day of receipt, Wednesday 23 December 2026 (regulation 13). "
        "It skips Christmas Day (25 Dec), Boxing Day (observed) (28 Dec)."
    )


def test_a_target_response_explains_the_target_and_any_days_on_hold():
    clock = clocks.response_clock(
        _case(held_working_days=2),
        today=TODAY,
        trust=calendar,
        met_on=None,
        kind_label="a complaint",
        agreement=None,
    )
    assert clock.explanation.startswith(
        "25 working days, plus 2 working days on hold, from receipt on Wednesday 23 December 2026: "
        "the trust's target for a complaint."
    )


def test_an_agreed_response_says_who_agreed_it_and_when():
    agreement = clocks.Agreement(is_extension=True, agreed_with="Mrs Okafor, by phone", agreed_on=D(2027, 1, 20))
    clock = clocks.response_clock(
        _case(response_due_basis="extended"),
        today=TODAY,
        trust=calendar,
        met_on=None,
        kind_label="a complaint",
        agreement=agreement,
    )
    assert clock.explanation == "An extension agreed with Mrs Okafor, by phone on Wednesday 20 January 2027."


def test_a_hold_on_an_agreed_date_says_only_an_extension_moves_it():
    agreement = clocks.Agreement(is_extension=False, agreed_with="Mr Shah", agreed_on=D(2026, 12, 24))
    clock = clocks.response_clock(
        _case(response_due_basis="agreed", on_hold_since=D(2027, 1, 4)),
        today=TODAY,
        trust=calendar,
        met_on=None,
        kind_label="a complaint",
        agreement=agreement,
    )
    assert clock.state == State.ON_TRACK
    assert clock.explanation.endswith("the date was agreed with the complainant: only an agreed extension moves it.")


def test_a_passed_long_stop_owes_a_delay_letter_until_one_is_sent():
    overdue = _case(received_on=D(2026, 1, 10), long_stop_on=D(2026, 7, 9))
    clock = clocks.long_stop_clock(overdue, today=TODAY, trust=calendar)
    assert clock.state == State.OVERDUE
    assert "A delay letter is owed" in clock.explanation
    assert clocks.delay_letter_owed(overdue, today=TODAY)
    sent = _case(received_on=D(2026, 1, 10), long_stop_on=D(2026, 7, 9), delay_letter_sent_on=D(2026, 7, 10))
    assert not clocks.delay_letter_owed(sent, today=TODAY)
    assert (
        "Delay letter sent Friday 10 July 2026" in clocks.long_stop_clock(sent, today=TODAY, trust=calendar).explanation
    )


def test_the_next_deadline_leaves_out_a_held_target_but_never_the_statutory_clocks():
    held = _case(on_hold_since=D(2026, 12, 24))
    assert clocks.next_due_on(held) == D(2026, 12, 30)  # the acknowledgement still runs
    acknowledged = _case(on_hold_since=D(2026, 12, 24), acknowledged_on=D(2026, 12, 24))
    assert clocks.next_due_on(acknowledged) == D(2027, 6, 22)  # and so does the long-stop
    assert clocks.next_due_on(_case(acknowledged_on=D(2026, 12, 24))) == D(2027, 2, 2)
    assert clocks.next_due_on(_case(is_open=False)) is None


def test_an_escalated_complaint_explains_that_its_clocks_run_from_the_escalation():
    escalated = _case(received_on=D(2026, 12, 1), clocks_start_on=D(2026, 12, 23))
    clock = clocks.acknowledgement_clock(escalated, today=TODAY, statutory=calendar, trust=calendar)
    assert clock.explanation.startswith(
        "3 working days after the day it was escalated from a PALS concern, Wednesday 23 December 2026"
    )
