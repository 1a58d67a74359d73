"""Each clock on a case, its state (on track, due soon, due today, overdue, met, met late) and how its date was found.

Pure: it reads a case's stored dates (any object with the Case's clock fields) and two calendars.
"""

import datetime
import enum
from dataclasses import dataclass

from palsdesk.core.dates import weekday_date
from palsdesk.deadlines import rules
from palsdesk.deadlines.working_days import WorkingDayCalendar

# A deadline this many of the trust's working days away, or nearer, is "due soon" (amber).
DUE_SOON_WORKING_DAYS = 3


class State(enum.StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ON_HOLD = "on_hold"
    MET = "met"
    MET_LATE = "met_late"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def colour(self) -> str:
        """Red, amber, green as the team reads them; grey once met; blue while held."""
        return _COLOURS[self]


_LABELS = {
    State.ON_TRACK: "On track",
    State.DUE_SOON: "Due soon",
    State.DUE_TODAY: "Due today",
    State.OVERDUE: "Overdue",
    State.ON_HOLD: "On hold",
    State.MET: "Met",
    State.MET_LATE: "Met late",
    State.STOPPED: "Stopped",
}
_COLOURS = {
    State.ON_TRACK: "green",
    State.DUE_SOON: "yellow",
    State.DUE_TODAY: "orange",
    State.OVERDUE: "red",
    State.ON_HOLD: "blue",
    State.MET: "grey",
    State.MET_LATE: "grey",
    State.STOPPED: "grey",
}


def state_of(
    *,
    due_on: datetime.date,
    met_on: datetime.date | None,
    today: datetime.date,
    calendar: WorkingDayCalendar,
    is_on_hold: bool = False,
    is_finished: bool = False,
) -> State:
    if met_on is not None:
        return State.MET if met_on <= due_on else State.MET_LATE
    if is_finished:
        return State.STOPPED
    if is_on_hold:
        return State.ON_HOLD
    if due_on < today:
        return State.OVERDUE
    if due_on == today:
        return State.DUE_TODAY
    if due_on <= calendar.add_working_days(today, DUE_SOON_WORKING_DAYS):
        return State.DUE_SOON
    return State.ON_TRACK


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    due_on: datetime.date
    met_on: datetime.date | None
    state: State
    explanation: str


@dataclass(frozen=True)
class Agreement:
    """The latest response date agreed with the complainant, to explain where the date came from."""

    is_extension: bool
    agreed_with: str
    agreed_on: datetime.date
    is_late: bool = False


def _skipping(calendar: WorkingDayCalendar, start: datetime.date, end: datetime.date) -> str:
    closed = calendar.closed_weekdays_between(start, end)
    if not closed:
        return ""
    return " It skips " + ", ".join(f"{name or 'a closure day'} ({day.day} {day:%b})" for day, name in closed) + "."


def _made(case) -> tuple[datetime.date, str]:
    """The day the clocks run from, and how to name it."""
    start = getattr(case, "clocks_start_on", None)
    if start and start != case.received_on:
        return start, "the day it was escalated from a PALS concern"
    return case.received_on, "the day of receipt"


def acknowledgement_clock(case, *, today, statutory: WorkingDayCalendar, trust: WorkingDayCalendar) -> Clock:
    start, named = _made(case)
    explanation = (
        f"{rules.ACKNOWLEDGEMENT_WORKING_DAYS} working days after {named}, {weekday_date(start)} "
        f"(regulation 13).{_skipping(statutory, start, case.acknowledgement_due_on)}"
    )
    return Clock(
        key="acknowledgement",
        label="Acknowledgement",
        due_on=case.acknowledgement_due_on,
        met_on=case.acknowledged_on,
        state=state_of(
            due_on=case.acknowledgement_due_on,
            met_on=case.acknowledged_on,
            today=today,
            calendar=trust,
            is_finished=not case.is_open,
        ),
        explanation=explanation,
    )


def response_clock(
    case,
    *,
    today,
    trust: WorkingDayCalendar,
    met_on: datetime.date | None,
    kind_label: str,
    agreement: Agreement | None,
) -> Clock:
    if agreement is not None:
        how = "An extension agreed" if agreement.is_extension else "Agreed"
        late = " after the date it replaced" if agreement.is_late else ""
        explanation = f"{how} with {agreement.agreed_with} on {weekday_date(agreement.agreed_on)}{late}."
    else:
        held = (
            f", plus {case.held_working_days} working day{'s' if case.held_working_days != 1 else ''} on hold,"
            if case.held_working_days
            else ""
        )
        made_on, _ = _made(case)
        if case.response_clock_from != made_on:
            start = "reopening"
        else:
            start = "escalation" if made_on != case.received_on else "receipt"
        explanation = (
            f"{case.response_target_working_days} working days{held} from {start} "
            f"on {weekday_date(case.response_clock_from)}: "
            f"the trust's target for {kind_label}."
            f"{_skipping(trust, case.response_clock_from, case.response_due_on)}"
        )
    if case.on_hold_since:
        if case.response_due_basis == "target":
            explanation += f" On hold since {weekday_date(case.on_hold_since)}: the date moves on when the hold ends."
        else:
            explanation += (
                f" On hold since {weekday_date(case.on_hold_since)}, but the date was agreed with the complainant: "
                "only an agreed extension moves it."
            )
    return Clock(
        key="response",
        label="Response",
        due_on=case.response_due_on,
        met_on=met_on,
        state=state_of(
            due_on=case.response_due_on,
            met_on=met_on,
            today=today,
            calendar=trust,
            is_on_hold=case.on_hold_since is not None and case.response_due_basis == "target",
            is_finished=not case.is_open,
        ),
        explanation=explanation,
    )


def long_stop_clock(case, *, today, trust: WorkingDayCalendar) -> Clock:
    start, named = _made(case)
    six_months = rules.six_months_end(start)
    if case.long_stop_on > six_months:
        explanation = (
            f"A longer period agreed with the complainant before the 6 months ended on {weekday_date(six_months)} "
            "(regulation 14)."
        )
    else:
        explanation = f"The 6 months beginning with {named}, {weekday_date(start)} (regulation 14)."
    state = state_of(
        due_on=case.long_stop_on,
        met_on=case.responded_on,
        today=today,
        calendar=trust,
        is_finished=not case.is_open,
    )
    if state == State.OVERDUE:
        if case.delay_letter_sent_on:
            explanation += (
                f" Delay letter sent {weekday_date(case.delay_letter_sent_on)}; respond as soon as practicable."
            )
        else:
            explanation += " A delay letter is owed: write to say why, and respond as soon as practicable."
    return Clock(
        key="long_stop",
        label="6-month long-stop",
        due_on=case.long_stop_on,
        met_on=case.responded_on,
        state=state,
        explanation=explanation,
    )


def delay_letter_owed(case, *, today) -> bool:
    """Regulation 14(2): the long-stop passed with no response and no letter yet explaining why."""
    return (
        case.is_open
        and case.long_stop_on is not None
        and case.long_stop_on < today
        and case.responded_on is None
        and case.delay_letter_sent_on is None
    )


def next_due_on(case) -> datetime.date | None:
    """The earliest deadline still to meet: what lists sort on. A held response clock is not counted."""
    if not case.is_open:
        return None
    outstanding = []
    if case.acknowledgement_due_on and not case.acknowledged_on:
        outstanding.append(case.acknowledgement_due_on)
    if case.response_due_on and not case.responded_on:
        held = case.on_hold_since is not None and case.response_due_basis == "target"
        if not held:
            outstanding.append(case.response_due_on)
    if case.long_stop_on and not case.responded_on and not case.delay_letter_sent_on:
        outstanding.append(case.long_stop_on)
    return min(outstanding, default=None)
