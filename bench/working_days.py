"""How long the working-day calendar takes per call, for spans of 3 days to 10 years: `make bench-calendar`.

A benchmark, not a test: it prints a Markdown table for docs/performance.md and never fails on a slow
machine. For comparison it also times the obvious day-by-day loop, whose cost grows with the span.
"""

import datetime
import os
import platform
import sys
import time
import timeit
from pathlib import Path

import holidays

from palsdesk.deadlines.working_days import WorkingDayCalendar

FIRST, LAST = datetime.date(2010, 1, 1), datetime.date(2045, 12, 31)  # the years PALS Desk's table holds
START = datetime.date(2026, 11, 2)  # a Monday
# Working days in each span, roughly: 3 days, a year, ten years of England's working days.
SPANS = {"3 days": 3, "1 year": 252, "10 years": 2_528}
# Each call is timed in this many rounds, the calls taking turns, and the best round kept: on a shared
# machine a burst of someone else's work then spoils one round of every call, not every round of one.
ROUNDS = 9


def naive_add_working_days(closed: set[datetime.date], start: datetime.date, n: int) -> datetime.date:
    """The loop a first version would write: step a day at a time, counting the working days."""
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            n -= 1
    return day


def naive_working_days_between(closed: set[datetime.date], start: datetime.date, end: datetime.date) -> int:
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count += 1
    return count


def ns_per_call(calls: dict[str, object]) -> dict[str, float]:
    """Nanoseconds per call of each, the best of ROUNDS interleaved runs of ≥ 0.2 s (the clock's resolution is moot)."""
    timers = {name: timeit.Timer(call) for name, call in calls.items()}
    numbers = {name: timer.autorange()[0] for name, timer in timers.items()}
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(ROUNDS):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(numbers[name]) / numbers[name] * 1e9)
    return best


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    # England's bank holidays for the years of the app's table, as its migration seeds them; built the way
    # deadlines.selectors builds the calendar from that table's rows.
    bank_holidays = dict(holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST.year, LAST.year + 1)))
    built_at = time.perf_counter()
    calendar = WorkingDayCalendar(bank_holidays, first=FIRST, last=LAST)
    build_ms = (time.perf_counter() - built_at) * 1000
    closed = set(bank_holidays)

    # (row, calendar call, day-by-day call or None)
    measured = []
    for label, n in SPANS.items():
        end = calendar.add_working_days(START, n)
        assert naive_add_working_days(closed, START, n) == end
        assert naive_working_days_between(closed, START, end) == calendar.working_days_between(START, end) == n
        measured.append(
            (
                f"`add_working_days`, {label} ({n:,} working days, to {end.day} {end:%b %Y})",
                lambda n=n: calendar.add_working_days(START, n),
                lambda n=n: naive_add_working_days(closed, START, n),
            )
        )
    for label, n in SPANS.items():
        end = calendar.add_working_days(START, n)
        measured.append(
            (
                f"`working_days_between`, {label}",
                lambda end=end: calendar.working_days_between(START, end),
                lambda end=end: naive_working_days_between(closed, START, end),
            )
        )
    christmas = datetime.date(2026, 12, 25)
    measured.append(("`is_working_day` (Christmas Day)", lambda: calendar.is_working_day(christmas), None))
    table = ns_per_call({row: call for row, call, _ in measured})
    loop = ns_per_call({row: call for row, _, call in measured if call is not None})

    cpu = cpu_model()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    machine = f"{cpu} ({os.cpu_count()} CPUs), {python}, {platform.system()} {platform.machine()}"
    print(f"Run on {datetime.date.today():%d %B %Y}: {machine}.")
    years = f"{calendar.first.year}–{calendar.last.year}"
    print(f"Building the calendar for {years} took {build_ms:.0f} ms, once per process (and per change to it).")
    print()
    print("| Call | Calendar (ns per call) | Day-by-day loop (ns per call) |")
    print("|---|---:|---:|")
    for row, _, _ in measured:
        print(f"| {row} | {table[row]:,.0f} | {f'{loop[row]:,.0f}' if row in loop else '–'} |")


if __name__ == "__main__":
    sys.exit(main())
