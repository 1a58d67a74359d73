"""Dates written the way the NHS.UK style guide writes them: 2 November 2026, not 02 November 2026."""

import datetime


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def long_time_and_date(moment: datetime.datetime) -> str:
    return f"{moment:%H:%M} on {long_date(moment)}"


def weekday_date(day: datetime.date) -> str:
    """Friday 20 November 2026: for deadlines, where the day of the week matters."""
    return f"{day:%A} {long_date(day)}"
