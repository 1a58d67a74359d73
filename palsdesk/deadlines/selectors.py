"""Reads for deadlines: the working-day calendar built from the bank holiday table, and response targets."""

import datetime
import threading

from palsdesk.deadlines.models import BankHoliday, ResponseTarget
from palsdesk.deadlines.working_days import WorkingDayCalendar

CALENDAR_FIRST = datetime.date(2010, 1, 1)
CALENDAR_LAST = datetime.date(2045, 12, 31)

_lock = threading.Lock()
_calendar: WorkingDayCalendar | None = None


def working_day_calendar() -> WorkingDayCalendar:
    """The calendar, built once per process from the bank holiday table."""
    global _calendar
    if _calendar is None:
        with _lock:
            if _calendar is None:
                dates = BankHoliday.objects.values_list("date", flat=True)
                _calendar = WorkingDayCalendar(dates, first=CALENDAR_FIRST, last=CALENDAR_LAST)
    return _calendar


def forget_calendar() -> None:
    """Drop the cached calendar so that the next use reads the bank holiday table again."""
    global _calendar
    with _lock:
        _calendar = None


def response_target_working_days(kind: str) -> int | None:
    return ResponseTarget.objects.filter(kind=kind).values_list("working_days", flat=True).first()
