"""England's working days (regulation 2): pure functions over a precomputed table, constant time per call.

A working day is any day except Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in
England. The table holds, for each day in the calendar's range, how many working days there have
been up to and including it, so adding or counting working days is two look-ups whatever the span.

`add_working_days`, `working_days_between` and `is_working_day` work on England's published bank
holidays (from the `holidays` package) unless given a calendar; PALS Desk itself passes the
calendar built from its own table, which administrators can change.
"""

import bisect
import datetime
import functools
from collections.abc import Iterable, Mapping


class OutsideCalendar(ValueError):
    """The date is outside the years the calendar was built for."""


class WorkingDayCalendar:
    def __init__(
        self,
        non_working_days: Iterable[datetime.date] | Mapping[datetime.date, str],
        *,
        first: datetime.date,
        last: datetime.date,
    ):
        if last < first:
            raise ValueError("The calendar's last day is before its first.")
        self.first = first
        self.last = last
        names = dict(non_working_days) if isinstance(non_working_days, Mapping) else dict.fromkeys(non_working_days, "")
        # Only weekdays matter: a Saturday or Sunday is never a working day anyway.
        self._names = {day: name for day, name in names.items() if first <= day <= last and day.weekday() < 5}
        self._closed_weekdays = sorted(self._names)
        self._origin = first.toordinal()
        span = last.toordinal() - self._origin + 1
        # working_count[i]: working days in [first, first + i]; working_ordinals[k]: the (k+1)th working day.
        self._working_count: list[int] = [0] * span
        self._working_ordinals: list[int] = []
        count = 0
        for i in range(span):
            day = datetime.date.fromordinal(self._origin + i)
            if day.weekday() < 5 and day not in self._names:
                count += 1
                self._working_ordinals.append(self._origin + i)
            self._working_count[i] = count

    def _index(self, day: datetime.date) -> int:
        i = day.toordinal() - self._origin
        if i < 0 or i >= len(self._working_count):
            raise OutsideCalendar(
                f"{day.day} {day:%B %Y} is outside the working-day calendar ({self.first.year}–{self.last.year})."
            )
        return i

    def _count_to(self, day: datetime.date) -> int:
        return self._working_count[self._index(day)]

    def is_working_day(self, day: datetime.date) -> bool:
        i = self._index(day)
        return self._working_count[i] != (self._working_count[i - 1] if i else 0)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The nth working day after start (start itself is day 0, whether or not it is a working day).

        With n < 0, the nth working day before start.
        """
        if n == 0:
            self._index(start)
            return start
        count = self._count_to(start)
        if n > 0:
            position = count + n - 1
        else:
            position = count - (1 if self.is_working_day(start) else 0) + n
        if position < 0 or position >= len(self._working_ordinals):
            raise OutsideCalendar(
                f"{n} working days from {start.day} {start:%B %Y} is outside the working-day calendar."
            )
        return datetime.date.fromordinal(self._working_ordinals[position])

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after start up to and including end; negative when end is before start."""
        return self._count_to(end) - self._count_to(start)

    def closed_weekdays_between(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """The weekdays after start up to and including end that are not working days, with their names."""
        lo = bisect.bisect_right(self._closed_weekdays, start)
        hi = bisect.bisect_right(self._closed_weekdays, end)
        return [(day, self._names[day]) for day in self._closed_weekdays[lo:hi]]


@functools.cache
def england(first_year: int = 2010, last_year: int = 2045) -> WorkingDayCalendar:
    """England's published calendar (bank holidays, Christmas Day, Good Friday), without the trust's own changes."""
    import holidays

    published = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return WorkingDayCalendar(
        dict(published), first=datetime.date(first_year, 1, 1), last=datetime.date(last_year, 12, 31)
    )


def add_working_days(start: datetime.date, n: int, *, calendar: WorkingDayCalendar | None = None) -> datetime.date:
    return (calendar or england()).add_working_days(start, n)


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkingDayCalendar | None = None
) -> int:
    return (calendar or england()).working_days_between(start, end)


def is_working_day(day: datetime.date, *, calendar: WorkingDayCalendar | None = None) -> bool:
    return (calendar or england()).is_working_day(day)
