"""Reads for deadlines: the two working-day calendars, response targets, and a case's clocks."""

import datetime
import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, prefetch_related_objects

from palsdesk.cases.models import OPEN_STATUSES
from palsdesk.cases.workflow import with_article
from palsdesk.deadlines import clocks
from palsdesk.deadlines.models import ClockHold, NonWorkingDay, ResponseDateChange, ResponseTarget, TimeLimitDecision
from palsdesk.deadlines.working_days import WorkingDayCalendar

CALENDAR_FIRST = datetime.date(2010, 1, 1)
CALENDAR_LAST = datetime.date(2045, 12, 31)


@dataclass(frozen=True)
class Calendars:
    version: tuple
    statutory: WorkingDayCalendar
    trust: WorkingDayCalendar


_lock = threading.Lock()
_cached: Calendars | None = None


def _version() -> tuple:
    # One small aggregate per use: any change to the table (here or in another process) shows in it.
    stamp = NonWorkingDay.objects.aggregate(count=Count("id"), changed=Max("modified_at"))
    return (stamp["count"], stamp["changed"])


def current_calendars() -> Calendars:
    """Both calendars, checked against the table once: pass them on when working out many cases' clocks."""
    return _calendars()


def _calendars() -> Calendars:
    global _cached
    version = _version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        days = list(NonWorkingDay.objects.values_list("date", "name", "kind"))
        bank_holidays = {day: name for day, name, kind in days if kind == NonWorkingDay.Kind.BANK_HOLIDAY}
        every_closed_day = {day: name for day, name, _ in days}
        _cached = Calendars(
            version=version,
            statutory=WorkingDayCalendar(bank_holidays, first=CALENDAR_FIRST, last=CALENDAR_LAST),
            trust=WorkingDayCalendar(every_closed_day, first=CALENDAR_FIRST, last=CALENDAR_LAST),
        )
        return _cached


def statutory_calendar() -> WorkingDayCalendar:
    """Working days as regulation 2 defines them: bank holidays, Christmas Day and Good Friday are skipped."""
    return _calendars().statutory


def working_day_calendar() -> WorkingDayCalendar:
    """The trust's working days: the statutory calendar less the trust's own closure days. Targets use it."""
    return _calendars().trust


def forget_calendar() -> None:
    """Drop the cached calendars; the next use reads the table again."""
    global _cached
    with _lock:
        _cached = None


def response_target_working_days(kind: str, *, grade=None) -> int | None:
    """The trust's response target: the grade's once a case is graded (grading.Grade), else the kind's."""
    if grade is not None:
        return grade.response_working_days
    return ResponseTarget.objects.filter(kind=kind).values_list("working_days", flat=True).first()


def latest_agreement(case) -> clocks.Agreement | None:
    """The response date agreement or extension that set the current date, if it was agreed."""
    if case.response_due_basis == "target":
        return None
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("response_date_changes")
    if prefetched is not None:
        change = max(prefetched, key=lambda c: (c.recorded_at, c.id), default=None)
    else:
        change = case.response_date_changes.order_by("-recorded_at", "-id").first()
    if change is None:
        return None
    return clocks.Agreement(
        is_extension=change.kind == change.Kind.EXTENSION,
        agreed_with=change.agreed_with,
        agreed_on=change.agreed_on,
        is_late=change.is_late,
    )


def with_clock_history(case) -> None:
    """Fetch the history behind a case's clocks for its page (agreed dates, holds, a time-limit decision)."""
    lookups = [
        Prefetch("response_date_changes", queryset=ResponseDateChange.objects.select_related("recorded_by")),
        Prefetch("holds", queryset=ClockHold.objects.select_related("reason", "started_by", "ended_by")),
    ]
    if case.is_out_of_time:
        lookups.append(Prefetch("time_limit_decision", queryset=TimeLimitDecision.objects.select_related("decided_by")))
    prefetch_related_objects([case], *lookups)


def clocks_of(case, *, today: datetime.date, calendars: Calendars | None = None) -> list[clocks.Clock]:
    """Every clock on the case, in the order the team reads them, with state and explanation.

    For many cases, pass `calendars` from current_calendars() and prefetch `response_date_changes`,
    so that the work is two queries in all rather than two per case.
    """
    calendars = calendars or _calendars()
    shown = []
    if case.acknowledgement_due_on:
        shown.append(
            clocks.acknowledgement_clock(case, today=today, statutory=calendars.statutory, trust=calendars.trust)
        )
    if case.response_due_on:
        # A complaint's response is met when it is sent; other kinds' when they are resolved or closed
        # (an escalated concern's clock stops: the complaint's clocks take over).
        if case.acknowledgement_due_on:
            met_on = case.responded_on
        else:
            met_on = case.closed_on if case.status in ("resolved", "closed") else None
        shown.append(
            clocks.response_clock(
                case,
                today=today,
                trust=calendars.trust,
                met_on=met_on,
                # A graded case runs on its grade's target (grading.Grade), so the explanation names the grade.
                kind_label=with_article(case.kind) + (f" graded {case.grade.name.lower()}" if case.grade_id else ""),
                agreement=latest_agreement(case),
            )
        )
    if case.long_stop_on:
        shown.append(clocks.long_stop_clock(case, today=today, trust=calendars.trust))
    return shown


# --- Due and overdue lists ------------------------------------------------------------------------
# Every list of what is due filters on the indexed date columns the services keep up to date, never
# on a computed state, so its plan and its query count do not depend on the number of cases.


def overdue(cases, *, today: datetime.date):
    """Open cases whose next deadline has passed (a finished case has no next deadline)."""
    return cases.filter(next_due_on__lt=today)


def due_today(cases, *, today: datetime.date):
    return cases.filter(next_due_on=today)


def due_within(cases, *, today: datetime.date, working_days: int, calendar: WorkingDayCalendar | None = None):
    """Open cases whose next deadline is today or within the next `working_days` of the trust's working days."""
    last = (calendar or working_day_calendar()).add_working_days(today, working_days)
    return cases.filter(next_due_on__gte=today, next_due_on__lte=last)


def due_soon(cases, *, today: datetime.date, calendar: WorkingDayCalendar | None = None):
    """Due today or within the days that make a clock amber (clocks.DUE_SOON_WORKING_DAYS)."""
    return due_within(cases, today=today, working_days=clocks.DUE_SOON_WORKING_DAYS, calendar=calendar)


def acknowledgements_due(cases, *, on_or_before: datetime.date):
    """Open cases still to be acknowledged by that day (regulation 13), including those already late."""
    return cases.filter(
        acknowledged_on__isnull=True, acknowledgement_due_on__lte=on_or_before, status__in=OPEN_STATUSES
    )


def responses_due(cases, *, on_or_before: datetime.date):
    """Open cases whose response is due by that day, including those already late; held clocks are left out."""
    return cases.filter(
        responded_on__isnull=True,
        response_due_on__lte=on_or_before,
        on_hold_since__isnull=True,
        status__in=OPEN_STATUSES,
    )


def on_hold(cases):
    return cases.filter(on_hold_since__isnull=False)
