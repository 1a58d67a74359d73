"""The statutory and local clocks on a case, as pure functions of its dates (no Django)."""

import calendar as month_lengths
import datetime
from collections.abc import Iterable

from palsdesk.deadlines.working_days import WorkingDayCalendar

# Regulation 13(2): acknowledge not later than 3 working days after the day of receipt.
ACKNOWLEDGEMENT_WORKING_DAYS = 3
# Regulation 14(2): the response is owed within 6 months beginning with the day of receipt.
LONG_STOP_MONTHS = 6
# Regulation 12(1): a complaint is made within 12 months of the event, or of becoming aware of it.
TIME_LIMIT_MONTHS = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding date `months` later; where the month is shorter, its last day (31 Aug + 6 is 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, month_lengths.monthrange(year, month)[1]))


def acknowledgement_due_on(calendar: WorkingDayCalendar, received_on: datetime.date) -> datetime.date:
    # The day of receipt is day 0 even when it is a Saturday or a bank holiday.
    return calendar.add_working_days(received_on, ACKNOWLEDGEMENT_WORKING_DAYS)


def response_due_on(calendar: WorkingDayCalendar, clock_from: datetime.date, target_working_days: int) -> datetime.date:
    return calendar.add_working_days(clock_from, target_working_days)


def six_months_end(received_on: datetime.date) -> datetime.date:
    """The last day of the 6 months beginning with the day of receipt (received 10 January: 9 July).

    Where the corresponding date does not exist (received 31 August), the month's last day stands in
    for it, which ends the period a day or two early: a delay letter sent early does no harm; one
    sent late breaches regulation 14.
    """
    return add_months(received_on, LONG_STOP_MONTHS) - datetime.timedelta(days=1)


def long_stop_on(
    received_on: datetime.date, *, agreements: Iterable[tuple[datetime.date, datetime.date]] = ()
) -> datetime.date:
    """The long-stop: the 6 months, or a longer period agreed (agreed_on, due_on) before those 6 months ended.

    Regulation 14(2) counts only agreements made before the six months expire; a date agreed later
    does not lift the duty to write explaining the delay.
    """
    ends = six_months_end(received_on)
    longer = [due_on for agreed_on, due_on in agreements if agreed_on <= ends and due_on > ends]
    return max(longer, default=ends)


def time_limit_on(event_on: datetime.date | None, became_aware_on: datetime.date | None) -> datetime.date | None:
    """The last day to complain: 12 months after the event or, if later, after they became aware of it."""
    start = max((d for d in (event_on, became_aware_on) if d is not None), default=None)
    return add_months(start, TIME_LIMIT_MONTHS) if start else None
