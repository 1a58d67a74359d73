"""Reporting periods as pure values: months, NHS financial quarters and years, the period before, and their names."""

import datetime
from dataclasses import dataclass

# The NHS financial year starts on 1 April; its quarters are April–June (Q1) to January–March (Q4).
FINANCIAL_YEAR_STARTS_IN_MONTH = 4
# Run charts need history: a year of months, or the whole period when it is longer, up to this many.
TREND_MONTHS = 12
MAX_TREND_MONTHS = 36


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month holding `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(day: datetime.date) -> datetime.date:
    return _add_months(day, 1) - datetime.timedelta(days=1)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """How many months from the month of start to the month of end, counting both."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def financial_year_start(day: datetime.date) -> datetime.date:
    year = day.year if day.month >= FINANCIAL_YEAR_STARTS_IN_MONTH else day.year - 1
    return datetime.date(year, FINANCIAL_YEAR_STARTS_IN_MONTH, 1)


def financial_year_name(day: datetime.date) -> str:
    """ "2026-27" for any day from 1 April 2026 to 31 March 2027."""
    start = financial_year_start(day).year
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """A run of whole days, from start to end inclusive."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after the day it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and self.end == _month_end(self.end)

    @property
    def months(self) -> int:
        return _months_between(self.start, self.end)

    def previous(self) -> "Period":
        """The period of the same length just before: the months before for whole months, else the days before."""
        if self.is_whole_months:
            start = _add_months(self.start, -self.months)
            return Period(start, self.start - datetime.timedelta(days=1))
        return Period(self.start - datetime.timedelta(days=self.days), self.start - datetime.timedelta(days=1))

    def to_date(self, today: datetime.date) -> datetime.date:
        """The last day whose figures are known: the end, or today for a period still running."""
        return min(self.end, today)

    @property
    def name(self) -> str:
        """How the team names it: "November 2026", "Q3 2026-27", "2026-27", or "1 October 2026 to 23 November 2026"."""
        if self.is_whole_months:
            if self.months == 1:
                return f"{self.start:%B %Y}"
            fy_start = financial_year_start(self.start)
            if self.months == 12 and self.start == fy_start:
                return financial_year_name(self.start)
            if self.months == 3 and (self.start.month - FINANCIAL_YEAR_STARTS_IN_MONTH) % 3 == 0:
                quarter = _months_between(fy_start, self.start) // 3 + 1
                return f"Q{quarter} {financial_year_name(self.start)}"
        return f"{_long(self.start)} to {_long(self.end)}"

    @property
    def spelled_out(self) -> str:
        """The dates, for a heading under the name: "1 October 2026 to 31 December 2026"."""
        return f"{_long(self.start)} to {_long(self.end)}"

    def trend_months(self) -> list[datetime.date]:
        """The first day of each month a run chart of this period shows: the year up to its end, or the whole period."""
        count = min(max(TREND_MONTHS, self.months), MAX_TREND_MONTHS)
        first = _add_months(self.end, 1 - count)
        return [_add_months(first, n) for n in range(count)]


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def month(day: datetime.date) -> Period:
    return Period(_month_start(day), _month_end(day))


def quarter(day: datetime.date) -> Period:
    """The NHS financial quarter holding the day."""
    offset = (day.month - FINANCIAL_YEAR_STARTS_IN_MONTH) % 3
    start = _add_months(_month_start(day), -offset)
    return Period(start, _month_end(_add_months(start, 2)))


def financial_year(day: datetime.date) -> Period:
    start = financial_year_start(day)
    return Period(start, _month_end(_add_months(start, 11)))


def financial_year_named(name: str) -> Period:
    """The year "2025-26": 1 April 2025 to 31 March 2026. ValueError for anything else."""
    first, _, second = (name or "").partition("-")
    if not (first.isdigit() and second.isdigit() and len(first) == 4 and len(second) == 2):
        raise ValueError(f"{name!r} is not a financial year like 2025-26.")
    if (int(first) + 1) % 100 != int(second):
        raise ValueError(f"{name!r} is not a financial year like 2025-26: the years must follow each other.")
    return financial_year(datetime.date(int(first), FINANCIAL_YEAR_STARTS_IN_MONTH, 1))


@dataclass(frozen=True)
class Choice:
    label: str
    period: Period


def quick_choices(today: datetime.date) -> list[Choice]:
    """The periods the dashboard offers as links: this and last month, quarter and financial year."""
    this_month, this_quarter, this_year = month(today), quarter(today), financial_year(today)
    return [
        Choice("This month", this_month),
        Choice("Last month", this_month.previous()),
        Choice("This quarter", this_quarter),
        Choice("Last quarter", this_quarter.previous()),
        Choice("This financial year", this_year),
        Choice("Last financial year", this_year.previous()),
    ]
