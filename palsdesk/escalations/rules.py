"""When a deadline given as a number of days falls: pure, over a working-day calendar."""

import datetime

from palsdesk.deadlines.working_days import WorkingDayCalendar


def due_after(asked_on: datetime.date, days: int, *, working: bool, calendar: WorkingDayCalendar) -> datetime.date:
    """The last day to reply to a request made on `asked_on` that allows `days` days.

    Counted from the day after the request, as the regulations count the acknowledgement (the day
    itself is day 0): 28 calendar days from a Monday is the Monday four weeks on, and 5 working
    days from a Thursday before Christmas skips the bank holidays.
    """
    if days < 1:
        raise ValueError("A period is at least one day.")
    if working:
        return calendar.add_working_days(asked_on, days)
    return asked_on + datetime.timedelta(days=days)
