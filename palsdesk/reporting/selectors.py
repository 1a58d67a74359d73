"""The co-ordinator's daily report: what came in, what is due or late, and what is on hold, by division and site.

Each section filters on the indexed date columns through deadlines.selectors, counts by division and
site in one aggregate query, and fetches at most ROWS_SHOWN rows of each list, so the page reads the
database the same number of times however many cases there are.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from palsdesk.cases.models import Case
from palsdesk.cases.selectors import cases_visible_to, for_listing
from palsdesk.core.dates import weekday_date
from palsdesk.deadlines import selectors as deadlines
from palsdesk.deadlines.models import ClockHold

# Enough to work from; beyond it the page says how many more there are, and stays fast.
ROWS_SHOWN = 200
# The "responses due in the next 5 working days".
RESPONSE_WINDOW_WORKING_DAYS = 5
NO_SITE = "No site recorded"


@dataclass(frozen=True)
class Row:
    case: Case
    # The date the list is about: received, acknowledgement due, response due, or on hold since.
    day: datetime.date | None
    note: str = ""


@dataclass(frozen=True)
class CaseList:
    key: str
    heading: str
    date_heading: str
    total: int
    rows: list[Row]
    # How the count reads at the top of the page, e.g. "responses overdue".
    counted_as: str
    is_late: bool = False

    @property
    def not_shown(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Tally:
    """How many of a section's cases in each of its lists belong to one division, or to one site."""

    name: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    lists: tuple[CaseList, ...]
    by_division: tuple[Tally, ...]
    by_site: tuple[Tally, ...]

    @property
    def total(self) -> int:
        return sum(case_list.total for case_list in self.lists)

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(case_list.total for case_list in self.lists)


@dataclass(frozen=True)
class DailyReport:
    on: datetime.date
    new_since: datetime.date
    responses_due_by: datetime.date
    next_working_day: datetime.date
    sections: tuple[Section, ...]

    @property
    def previous_working_day(self) -> datetime.date:
        return self.new_since


@dataclass(frozen=True)
class _Part:
    """One list within a section: the cases of the section that match `where`, in `ordering`."""

    key: str
    heading: str
    counted_as: str
    where: Q
    ordering: tuple[str, ...]
    is_late: bool = False


def _tallies(counted: list[dict], parts: list[_Part], *, id_key: str, name_key: str, missing: str) -> tuple:
    counts: dict = defaultdict(lambda: [0] * len(parts))
    names: dict = {}
    for group in counted:
        key = group[id_key]
        names[key] = group[name_key] or missing
        for index, part in enumerate(parts):
            counts[key][index] += group[part.key]
    ordered = sorted(counts, key=lambda key: (key is None, names[key].casefold(), key or 0))
    return tuple(Tally(name=names[key], counts=tuple(counts[key])) for key in ordered)


def _section(
    cases: QuerySet[Case],
    *,
    key: str,
    title: str,
    description: str,
    date_heading: str,
    date_field: str,
    parts: list[_Part],
    note: Callable[[Case], str] | None = None,
    prefetch: tuple = (),
) -> Section:
    counted = list(
        cases.order_by()
        .values("division_id", "division__name", "site_id", "site__name")
        .annotate(**{part.key: Count("pk", filter=part.where) for part in parts})
    )
    lists = []
    for part in parts:
        earliest = (
            for_listing(cases.filter(part.where))
            .select_related("site", "investigating_manager")
            .prefetch_related(*prefetch)
            .order_by(*part.ordering, "reference")[:ROWS_SHOWN]
        )
        # The page groups them by division; the sort is stable, so each division's stay earliest first.
        rows = sorted(earliest, key=lambda case: (case.division.name.casefold(), case.division_id))
        lists.append(
            CaseList(
                key=part.key,
                heading=part.heading,
                date_heading=date_heading,
                total=sum(group[part.key] for group in counted),
                rows=[Row(case=case, day=getattr(case, date_field), note=note(case) if note else "") for case in rows],
                counted_as=part.counted_as,
                is_late=part.is_late,
            )
        )
    return Section(
        key=key,
        title=title,
        description=description,
        lists=tuple(lists),
        by_division=_tallies(counted, parts, id_key="division_id", name_key="division__name", missing=""),
        by_site=_tallies(counted, parts, id_key="site_id", name_key="site__name", missing=NO_SITE),
    )


def _hold_reason(case: Case) -> str:
    holds = getattr(case, "open_holds", [])
    return str(holds[0].reason) if holds else ""


def daily_report(user, *, on: datetime.date) -> DailyReport:
    """The report as on that day, of the cases the user may see. Raises OutsideCalendar for a day it cannot count."""
    calendar = deadlines.working_day_calendar()
    # On a Monday the last working day is Friday: the weekend's cases are new too.
    new_since = calendar.add_working_days(on, -1)
    responses_due_by = calendar.add_working_days(on, RESPONSE_WINDOW_WORKING_DAYS)
    next_working_day = calendar.add_working_days(on, 1)
    visible = cases_visible_to(user)

    new_cases = _section(
        visible.filter(received_on__gte=new_since, received_on__lte=on),
        key="new",
        title="New cases",
        description=f"Received from {weekday_date(new_since)} to {weekday_date(on)}: since the last working day.",
        date_heading="Received",
        date_field="received_on",
        parts=[_Part("new", "New cases", f"new since {new_since:%A}", Q(), ("received_on",))],
    )
    acknowledgements = _section(
        deadlines.acknowledgements_due(visible, on_or_before=on),
        key="acknowledgements",
        title="Acknowledgements",
        description="Complaints and MP letters still to be acknowledged (regulation 13: within 3 working days).",
        date_heading="Acknowledgement due",
        date_field="acknowledgement_due_on",
        parts=[
            _Part(
                "overdue",
                "Overdue",
                "acknowledgements overdue",
                Q(acknowledgement_due_on__lt=on),
                ("acknowledgement_due_on",),
                is_late=True,
            ),
            _Part("due_today", "Due today", "acknowledgements due today", Q(acknowledgement_due_on=on), ()),
        ],
    )
    responses = _section(
        deadlines.responses_due(visible, on_or_before=responses_due_by),
        key="responses",
        title="Responses",
        description=(
            f"Open cases whose response is late or due by {weekday_date(responses_due_by)}, "
            f"the next {RESPONSE_WINDOW_WORKING_DAYS} working days. Cases on hold are listed below instead."
        ),
        date_heading="Response due",
        date_field="response_due_on",
        parts=[
            _Part(
                "overdue", "Overdue", "responses overdue", Q(response_due_on__lt=on), ("response_due_on",), is_late=True
            ),
            _Part(
                "due_soon",
                f"Due in the next {RESPONSE_WINDOW_WORKING_DAYS} working days",
                f"responses due by {responses_due_by:%A} {responses_due_by.day} {responses_due_by:%B}",
                Q(response_due_on__gte=on),
                ("response_due_on",),
            ),
        ],
    )
    held = _section(
        deadlines.on_hold(visible),
        key="on_hold",
        title="On hold",
        description="Cases whose response clock is on hold. The statutory clocks keep running.",
        date_heading="On hold since",
        date_field="on_hold_since",
        parts=[_Part("on_hold", "On hold", "on hold", Q(), ("on_hold_since",))],
        note=_hold_reason,
        prefetch=(
            Prefetch(
                "holds",
                queryset=ClockHold.objects.filter(ended_on__isnull=True).select_related("reason"),
                to_attr="open_holds",
            ),
        ),
    )
    return DailyReport(
        on=on,
        new_since=new_since,
        responses_due_by=responses_due_by,
        next_working_day=next_working_day,
        sections=(new_cases, acknowledgements, responses, held),
    )
