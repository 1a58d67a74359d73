"""Performance measures, themes and monthly trends of a period, each worked out in the database by aggregate queries.

Every function reads a fixed number of times whatever the number of cases: counts come from
Count(filter=...) and GROUP BY, and the only rows brought back are groups (one per kind, outcome,
subject and division, month, or pair of dates), never one per case. All start from
cases.selectors.cases_visible_to, so a figure counts only the cases the user may see.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.cases.workflow import ACKNOWLEDGED_KINDS
from palsdesk.coding.models import Code, TaxonomyKind
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.deadlines.working_days import OutsideCalendar
from palsdesk.organisation.models import Division, Site
from palsdesk.reporting.periods import Period

# Complaints and MP letters: the kinds with a statutory acknowledgement, a response sent, and an outcome.
FORMAL_KINDS = tuple(sorted(ACKNOWLEDGED_KINDS))
# Other kinds meet their response when they are resolved or closed (as deadlines.selectors.clocks_of reads it).
ANSWERED_STATUSES = (Status.RESOLVED, Status.CLOSED)
TOP_THEMES = 10
NO_OUTCOME = "none"
WITHDRAWN = "withdrawn"
OUTCOME_LABELS = {
    **dict(Outcome.choices),
    NO_OUTCOME: "Closed with no outcome recorded",
    WITHDRAWN: "Withdrawn by the complainant",
}
OUTCOME_ORDER = [*Outcome.values, NO_OUTCOME, WITHDRAWN]
# Regulation 18(1)(b): the complaints the trust decided were well-founded, in practice upheld or partly upheld.
WELL_FOUNDED = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD)


@dataclass(frozen=True)
class Scope:
    """Which cases a report counts: those the user may see, narrowed to a division, a site and a kind if given."""

    division: Division | None = None
    site: Site | None = None
    kind: str = ""

    def without_kind(self) -> "Scope":
        return Scope(division=self.division, site=self.site)

    @property
    def description(self) -> str:
        parts = [str(self.division) if self.division else "every division"]
        if self.site:
            parts.append(str(self.site))
        parts.append(f"{Kind(self.kind).label}s" if self.kind else "every kind of case")
        return ", ".join(parts)


def cases_in_scope(user, scope: Scope) -> QuerySet[Case]:
    cases = cases_visible_to(user)
    if scope.division is not None:
        cases = cases.filter(division=scope.division)
    if scope.site is not None:
        cases = cases.filter(site=scope.site)
    if scope.kind:
        cases = cases.filter(kind=scope.kind)
    return cases.order_by()


def answered_on() -> CaseWhen:
    """The day a case's response was given: a complaint's or MP letter's response sent; others resolved or closed."""
    return CaseWhen(
        When(kind__in=FORMAL_KINDS, then=F("responded_on")),
        When(status__in=ANSWERED_STATUSES, then=F("closed_on")),
        default=None,
        output_field=DateField(),
    )


@dataclass(frozen=True)
class Ratio:
    """`met` of `of`, such as 26 of 30 acknowledged in time."""

    met: int
    of: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.of, 1) if self.of else None


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Measures:
    period: Period
    to_date: datetime.date
    received: int
    closed: int
    open_at_end: int
    # Regulation 13(2): of those received whose acknowledgement has fallen due (or been made), acknowledged in time.
    acknowledged_in_time: Ratio
    # Of the responses given in the period, those given by the date due (agreed, extended, or the target).
    responded_in_time: Ratio
    median_working_days_to_respond: float | None
    reopened: int
    # Complaints and MP letters closed in the period, by outcome.
    outcomes: tuple[Share, ...]
    # Every kind received in the period (the kind filter aside): compliments against complaints.
    received_by_kind: tuple[Share, ...]

    def _count_of(self, shares: tuple[Share, ...], *keys: str) -> int:
        return sum(share.count for share in shares if share.key in keys)

    @property
    def well_founded(self) -> int:
        return self._count_of(self.outcomes, *WELL_FOUNDED)

    @property
    def outcomes_total(self) -> int:
        return sum(share.count for share in self.outcomes)

    @property
    def complaints_received(self) -> int:
        return self._count_of(self.received_by_kind, Kind.COMPLAINT)

    @property
    def compliments_received(self) -> int:
        return self._count_of(self.received_by_kind, Kind.COMPLIMENT)

    @property
    def compliments_per_complaint(self) -> float | None:
        complaints = self.complaints_received
        return round(self.compliments_received / complaints, 2) if complaints else None


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}; the mean of the middle two for an even total."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return (found[0] + found[1]) / 2


@dataclass(frozen=True)
class ResponseLog:
    """The responses given in a window, counted by the day the complaint was made and the day it was answered.

    At most one row per pair of days (a few tens of thousands over two years however many cases), from
    which each period's median and responses in time are summed, and the run chart's months.
    """

    start: datetime.date
    end: datetime.date
    pairs: tuple[tuple[datetime.date, datetime.date, int, int, int], ...]  # made on, answered, count, due, in time

    def covers(self, start: datetime.date, end: datetime.date) -> bool:
        return self.start <= start and end <= self.end

    def within(self, start: datetime.date, end: datetime.date):
        return (pair for pair in self.pairs if start <= pair[1] <= end)

    def median_working_days(self, start: datetime.date, end: datetime.date) -> float | None:
        calendar = working_day_calendar()
        histogram: Counter[int] = Counter()
        for made_on, answered, count, _, _ in self.within(start, end):
            try:
                days = calendar.working_days_between(made_on, answered)
            except OutsideCalendar:
                # Made before the calendar's first year (2010): too old to count in working days, or to matter.
                continue
            histogram[max(days, 0)] += count
        return median_of_counts(histogram)

    def in_time(self, start: datetime.date, end: datetime.date) -> Ratio:
        """Of the responses given with a date due, those given by it."""
        due = in_time = 0
        for _, _, _, with_due, met in self.within(start, end):
            due += with_due
            in_time += met
        return Ratio(in_time, due)


def response_log(user, scope: Scope, *, start: datetime.date, end: datetime.date) -> ResponseLog:
    """The responses given from start to end: fetch it once and pass it to measures_of() and trends()."""
    return _responses(cases_in_scope(user, scope), start=start, end=end)


def _responses(cases: QuerySet[Case], *, start: datetime.date, end: datetime.date) -> ResponseLog:
    rows = (
        cases.annotate(answered=answered_on(), made_on=Coalesce("clocks_start_on", "received_on"))
        # The plain columns first, so that most cases are passed over before the answered day is worked out.
        .filter(Q(responded_on__gte=start) | Q(closed_on__gte=start), received_on__lte=end)
        .filter(answered__gte=start, answered__lte=end)
        .values("made_on", "answered")
        .annotate(
            count=Count("pk"),
            due=Count("pk", filter=Q(response_due_on__isnull=False)),
            in_time=Count("pk", filter=Q(answered__lte=F("response_due_on"))),
        )
    )
    return ResponseLog(
        start, end, tuple((row["made_on"], row["answered"], row["count"], row["due"], row["in_time"]) for row in rows)
    )


def _period_counts(period: Period, *, today: datetime.date, prefix: str, with_kinds: bool) -> dict:
    """The conditional counts of one period, named with its prefix, for one aggregate over every period."""
    to_date = period.to_date(today)
    received = Q(received_on__gte=period.start, received_on__lte=to_date)
    closed = Q(closed_on__gte=period.start, closed_on__lte=to_date)
    decided = closed & Q(kind__in=FORMAL_KINDS) & ~Q(status=Status.WITHDRAWN)
    counts = {
        "received": Count("pk", filter=received),
        "closed": Count("pk", filter=closed),
        "open_at_end": Count(
            "pk", filter=Q(received_on__lte=to_date) & (Q(closed_on__isnull=True) | Q(closed_on__gt=to_date))
        ),
        # Due by today, or already made: a complaint received yesterday is not yet late.
        "acknowledgements_due": Count(
            "pk",
            filter=received
            & Q(acknowledgement_due_on__isnull=False)
            & (Q(acknowledgement_due_on__lte=today) | Q(acknowledged_on__isnull=False)),
        ),
        "acknowledged_in_time": Count("pk", filter=received & Q(acknowledged_on__lte=F("acknowledgement_due_on"))),
        "reopened": Count("pk", filter=received & Q(reopened_count__gt=0)),
        f"outcome_{WITHDRAWN}": Count("pk", filter=closed & Q(kind__in=FORMAL_KINDS, status=Status.WITHDRAWN)),
        f"outcome_{NO_OUTCOME}": Count("pk", filter=decided & Q(outcome="")),
        **{f"outcome_{value}": Count("pk", filter=decided & Q(outcome=value)) for value in Outcome.values},
    }
    if with_kinds:
        counts |= {f"kind_{kind}": Count("pk", filter=received & Q(kind=kind)) for kind in Kind.values}
    return {f"{prefix}{name}": count for name, count in counts.items()}


def measures_of(
    user, scope: Scope, periods: list[Period], *, today: datetime.date, responses: ResponseLog | None = None
) -> list[Measures]:
    """Each period's measures for the cases in scope, as known today, in three queries for them all.

    One aggregate counts every period's cases received, closed, open, acknowledged, reopened and their
    outcomes in a single pass; one groups the responses by the days they were made and answered; and,
    with a kind chosen, one more counts every kind received (compliments against complaints).
    """
    cases = cases_in_scope(user, scope)
    first, last = min(p.start for p in periods), max(p.to_date(today) for p in periods)
    counts: dict = {}
    for index, period in enumerate(periods):
        counts |= _period_counts(period, today=today, prefix=f"p{index}_", with_kinds=not scope.kind)
    # Every count is of a case received by the last day and not closed before the first: say so, so that the
    # database tests the long-closed cases once rather than against each count.
    counted = cases.filter(
        Q(received_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gte=first) | Q(received_on__gte=first))
    ).aggregate(**counts)
    if scope.kind:
        kinds: dict = {}
        for index, period in enumerate(periods):
            received = Q(received_on__gte=period.start, received_on__lte=period.to_date(today))
            kinds |= {f"p{index}_kind_{kind}": Count("pk", filter=received & Q(kind=kind)) for kind in Kind.values}
        # The range lets the index on the received date find the rows.
        counted |= (
            cases_in_scope(user, scope.without_kind())
            .filter(received_on__gte=first, received_on__lte=last)
            .aggregate(**kinds)
        )
    if responses is None or not responses.covers(first, last):
        responses = _responses(cases, start=first, end=last)
    found = []
    for index, period in enumerate(periods):
        to_date = period.to_date(today)

        def count(name: str, prefix: str = f"p{index}_") -> int:
            return counted[f"{prefix}{name}"]

        found.append(
            Measures(
                period=period,
                to_date=to_date,
                received=count("received"),
                closed=count("closed"),
                open_at_end=count("open_at_end"),
                acknowledged_in_time=Ratio(count("acknowledged_in_time"), count("acknowledgements_due")),
                responded_in_time=responses.in_time(period.start, to_date),
                median_working_days_to_respond=responses.median_working_days(period.start, to_date),
                reopened=count("reopened"),
                outcomes=tuple(
                    Share(key, OUTCOME_LABELS[key], count(f"outcome_{key}"))
                    for key in OUTCOME_ORDER
                    if count(f"outcome_{key}")
                ),
                received_by_kind=tuple(Share(kind.value, kind.label, count(f"kind_{kind.value}")) for kind in Kind),
            )
        )
    return found


def measures(user, scope: Scope, period: Period, *, today: datetime.date) -> Measures:
    """The period's measures for the cases in scope, as known today."""
    return measures_of(user, scope, [period], today=today)[0]


# --- Themes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    # An HCAT category's domain (clinical, management, relationships); empty for a KO41a subject.
    group: str
    this_period: int
    previous_period: int
    # Aspects this period in each of Themes.divisions, in that order.
    by_division: tuple[int, ...]

    @property
    def change(self) -> int:
        return self.this_period - self.previous_period


@dataclass(frozen=True)
class ThemeTable:
    key: str
    title: str
    themes: tuple[Theme, ...]
    # How many themes there were beyond the top ones shown.
    not_shown: int


@dataclass(frozen=True)
class Themes:
    period: Period
    previous: Period
    divisions: tuple[str, ...]
    subjects: ThemeTable
    hcat_categories: ThemeTable


@dataclass
class _ThemeCounts:
    labels: dict[str, tuple[str, str]]
    this: Counter
    before: Counter
    by_division: dict[str, Counter]

    def table(self, *, key: str, title: str, division_order: list[int], limit: int) -> ThemeTable:
        ranked = sorted(self.labels, key=lambda code: (-self.this[code], -self.before[code], self.labels[code][0]))
        return ThemeTable(
            key=key,
            title=title,
            themes=tuple(
                Theme(
                    code=code,
                    label=self.labels[code][0],
                    group=self.labels[code][1],
                    this_period=self.this[code],
                    previous_period=self.before[code],
                    by_division=tuple(self.by_division[code][pk] for pk in division_order),
                )
                for code in ranked[:limit]
            ),
            not_shown=max(len(ranked) - limit, 0),
        )


_THIS, _BEFORE = 1, 0


def _theme_rows(cases: QuerySet[Case], *, period: Period, previous: Period, to_date: datetime.date) -> list[tuple]:
    """(subject id, HCAT category id, division id, this period or before, aspects), in one pass over the issues.

    Grouped on whole numbers, so the database hashes them; at most subjects × categories × divisions × 2 rows.
    """
    return list(
        cases.filter(received_on__gte=previous.start, received_on__lte=to_date, issues__isnull=False)
        .annotate(
            bucket=CaseWhen(
                When(received_on__gte=period.start, then=Value(_THIS)),
                default=Value(_BEFORE),
                output_field=IntegerField(),
            )
        )
        .values_list("issues__subject_id", "issues__hcat_category_id", "division_id", "bucket")
        .annotate(aspects=Count("pk"))
        .order_by()
    )


def themes(user, scope: Scope, period: Period, *, today: datetime.date, limit: int = TOP_THEMES) -> Themes:
    """The top KO41a subjects and HCAT categories of the period's cases against the period before, by division.

    Counted in aspects, as KO41a counts subjects: each issue of a case received in the period counts once
    for its subject (and its HCAT category). A subject is followed across years by its code, as each
    collection year's list has its own rows. The divisions are those with a theme this period.
    """
    previous = period.previous()
    found = _theme_rows(cases_in_scope(user, scope), period=period, previous=previous, to_date=period.to_date(today))
    rows = {
        "subject": [(subject, division, bucket, n) for subject, _, division, bucket, n in found],
        "hcat": [(hcat, division, bucket, n) for _, hcat, division, bucket, n in found if hcat is not None],
    }
    # The code lists and divisions are reference data, a few hundred rows: read whole, one query each, always.
    codes = {
        code["pk"]: (code["code"], code["label"], code["parent__label"] or "")
        for code in Code.objects.filter(taxonomy__kind__in=(TaxonomyKind.SUBJECT, TaxonomyKind.HCAT_CATEGORY)).values(
            "pk", "code", "label", "parent__label"
        )
    }
    this_period = {row[1] for listed in rows.values() for row in listed if row[2] == _THIS}
    names = {pk: name for pk, name in Division.objects.values_list("pk", "name") if pk in this_period}
    order = sorted(names, key=lambda pk: (names[pk].casefold(), pk))

    # Where a label changed between years, the latest list's (the code loaded last) names the theme.
    used = {row[0] for listed in rows.values() for row in listed}
    latest: dict[str, tuple[int, str, str]] = {}
    for pk, (code, label, group) in codes.items():
        if pk not in used:
            continue
        if code not in latest or pk > latest[code][0]:
            latest[code] = (pk, label, group)

    def counted(listed) -> _ThemeCounts:
        counts = _ThemeCounts(labels={}, this=Counter(), before=Counter(), by_division=defaultdict(Counter))
        for code_id, division_id, bucket, aspects in listed:
            code = codes[code_id][0]
            counts.labels[code] = latest[code][1:]
            if bucket == _THIS:
                counts.this[code] += aspects
                counts.by_division[code][division_id] += aspects
            else:
                counts.before[code] += aspects
        return counts

    return Themes(
        period=period,
        previous=previous,
        divisions=tuple(names[pk] for pk in order),
        subjects=counted(rows["subject"]).table(
            key="subjects", title="KO41a subjects", division_order=order, limit=limit
        ),
        hcat_categories=counted(rows["hcat"]).table(
            key="hcat", title="HCAT problem categories", division_order=order, limit=limit
        ),
    )


# --- Trends ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlySeries:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Trend:
    key: str
    title: str
    unit: str
    months: tuple[datetime.date, ...]
    series: tuple[MonthlySeries, ...]
    # For each percentage, how many cases it is of, month by month (the table shows "26 of 30").
    counts_of: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Trends:
    received: Trend
    acknowledged: Trend
    responded: Trend

    def __iter__(self):
        return iter((self.received, self.acknowledged, self.responded))


def _percent(met: int, of: int) -> float | None:
    return Ratio(met, of).percent


def _by_month_received(cases: QuerySet[Case], *, first: datetime.date, last: datetime.date, today: datetime.date):
    """Cases received each month by kind, and each month's acknowledgements due and made in time."""
    received = (
        cases.filter(received_on__gte=first, received_on__lte=last)
        .annotate(month=TruncMonth("received_on", output_field=DateField()))
        .values("month", "kind")
        .annotate(
            count=Count("pk"),
            due=Count(
                "pk",
                filter=Q(acknowledgement_due_on__isnull=False)
                & (Q(acknowledgement_due_on__lte=today) | Q(acknowledged_on__isnull=False)),
            ),
            in_time=Count("pk", filter=Q(acknowledged_on__lte=F("acknowledgement_due_on"))),
        )
    )
    by_kind: dict[str, Counter] = defaultdict(Counter)
    acknowledgements: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in received:
        month = _as_date(row["month"])
        by_kind[row["kind"]][month] += row["count"]
        acknowledgements[month][0] += row["in_time"]
        acknowledgements[month][1] += row["due"]
    return by_kind, acknowledgements


def _received_trend(by_kind: dict[str, Counter], months: tuple[datetime.date, ...], scope: Scope) -> Trend:
    kinds = [kind for kind in Kind if sum(by_kind[kind.value].values())] or [Kind(scope.kind or Kind.COMPLAINT)]
    return Trend(
        key="received",
        title="Cases received each month",
        unit="cases",
        months=months,
        series=tuple(
            MonthlySeries(f"{kind.label}s", tuple(by_kind[kind.value][month] for month in months)) for kind in kinds
        ),
    )


def received_trend(user, scope: Scope, period: Period, *, today: datetime.date) -> Trend:
    """Cases received each month, by kind, over the run chart's window: one query on the received date's index."""
    months = tuple(period.trend_months())
    by_kind, _ = _by_month_received(
        cases_in_scope(user, scope), first=months[0], last=period.to_date(today), today=today
    )
    return _received_trend(by_kind, months, scope)


def trends(user, scope: Scope, period: Period, *, today: datetime.date, responses: ResponseLog | None = None) -> Trends:
    """Month by month over the run chart's window (the year to the period's end): received, and the two clocks.

    Pass `responses` (a response_log() of the same scope covering the window) to save reading them again.
    """
    months = tuple(period.trend_months())
    first, last = months[0], period.to_date(today)
    cases = cases_in_scope(user, scope)
    by_kind, acknowledgements = _by_month_received(cases, first=first, last=last, today=today)
    if responses is None or not responses.covers(first, last):
        responses = _responses(cases, start=first, end=last)
    answered: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for _, answered_on_day, _, due, in_time in responses.within(first, last):
        answered[answered_on_day.replace(day=1)][0] += in_time
        answered[answered_on_day.replace(day=1)][1] += due
    return Trends(
        received=_received_trend(by_kind, months, scope),
        acknowledged=Trend(
            key="acknowledged",
            title="Complaints and MP letters acknowledged within 3 working days",
            unit="%",
            months=months,
            series=(
                MonthlySeries(
                    "Acknowledged in time",
                    tuple(_percent(*acknowledgements.get(month, (0, 0))) for month in months),
                ),
            ),
            counts_of=tuple(tuple(acknowledgements.get(month, (0, 0))) for month in months),
        ),
        responded=Trend(
            key="responded",
            title="Responses given by the date due",
            unit="%",
            months=months,
            series=(
                MonthlySeries("Responded in time", tuple(_percent(*answered.get(month, (0, 0))) for month in months)),
            ),
            counts_of=tuple(tuple(answered.get(month, (0, 0))) for month in months),
        ),
    )


def _as_date(value) -> datetime.date:
    # TruncMonth gives a date; some backends hand back a datetime at midnight.
    return value.date() if isinstance(value, datetime.datetime) else value
