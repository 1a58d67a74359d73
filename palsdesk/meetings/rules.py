"""The meeting's deadlines and how a time of day is read: pure functions over plain values."""

import datetime
import re
import zoneinfo

from palsdesk.deadlines.working_days import WorkingDayCalendar

ENGLAND = zoneinfo.ZoneInfo("Europe/London")

# Trust practice, not statute (domain.md §9 asks for the minutes or recording to be sent; no national
# timescale was found): the notes within 5 working days of the meeting, the follow-up letter within 10.
NOTES_DUE_WORKING_DAYS = 5
FOLLOW_UP_DUE_WORKING_DAYS = 10

# A meeting is arranged at most this far ahead: a date further out is almost always a typing slip.
LONGEST_NOTICE_DAYS = 366
LONGEST_MEETING = datetime.timedelta(hours=8)


def notes_due_on(held_on: datetime.date, *, calendar: WorkingDayCalendar) -> datetime.date:
    return calendar.add_working_days(held_on, NOTES_DUE_WORKING_DAYS)


def follow_up_due_on(held_on: datetime.date, *, calendar: WorkingDayCalendar) -> datetime.date:
    return calendar.add_working_days(held_on, FOLLOW_UP_DUE_WORKING_DAYS)


_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class NotATime(ValueError):
    pass


def time_of_day(text: str) -> datetime.time:
    """'14:30', '14.30', '9:05', '2:30pm' or '2pm' as a time; NotATime for anything else."""
    match = _TIME.match((text or "").strip().lower().replace(" ", ""))
    if not match:
        raise NotATime(text)
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if match["minute"] is None and half is None:
        raise NotATime(text)  # "14" alone could be a slip for "14:00" or "1:40": ask
    if half:
        if not 1 <= hour <= 12:
            raise NotATime(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise NotATime(text)
    return datetime.time(hour, minute)


def in_england(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """The moment a clock in England shows `at` on `day` (GMT or BST as that day has it)."""
    return datetime.datetime.combine(day, at, tzinfo=ENGLAND)
