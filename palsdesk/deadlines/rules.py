"""The statutory and local clocks on a case, as pure functions of its dates."""

import datetime

from palsdesk.deadlines.working_days import WorkingDayCalendar

# Regulation 13(2): acknowledge not later than 3 working days after the day of receipt.
ACKNOWLEDGEMENT_WORKING_DAYS = 3


def acknowledgement_due_on(calendar: WorkingDayCalendar, received_on: datetime.date) -> datetime.date:
    # The day of receipt is day 0 even when it is a Saturday or a bank holiday.
    return calendar.add_working_days(received_on, ACKNOWLEDGEMENT_WORKING_DAYS)


def response_due_on(
    calendar: WorkingDayCalendar, received_on: datetime.date, target_working_days: int
) -> datetime.date:
    return calendar.add_working_days(received_on, target_working_days)
