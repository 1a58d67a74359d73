"""The KO41a return worked out in the database, and the cases behind each of its figures.

A year's return, with its quarters and sites, is a fixed set of GROUP BY queries whatever the number of cases
(ko41a_return: fourteen): the complaints the year could hold grouped by site and the quarters they were made
and answered in (section 2 and what is left out); the new complaints' first patients by age, who complained,
and their issues by subject, clinical sub-category, service area and profession (sections 3 to 8), each read
through the range of the new complaints' ids. Where the database groups by days, ko41a's pure rules choose the
boxes; each box's list of cases (cases_behind) filters on the same rules written as SQL conditions, and the
tests hold every figure to its list.
"""

import dataclasses
import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.coding import ko41a as coding_ko41a
from palsdesk.coding.models import CaseIssue, Code, Taxonomy
from palsdesk.organisation.models import Site, Trust
from palsdesk.people.models import CaseParty, PartyRole
from palsdesk.reporting.returns import ko41a
from palsdesk.reporting.returns.ko41a import ORGANISATION, Period

MADE_ON = "ko41a_made_on"
QUARTER = "ko41a_quarter"
AGE_BAND = "ko41a_age_band"
# What an age band or status is in SQL when no box of the year's list fits it.
UNPLACED = ""
# How many cases a failed check names on the page; its link lists them all.
SAMPLE_SIZE = 10


def may_see_ko41a(user) -> bool:
    """Roles that see the whole trust's cases: the return is the organisation's, and a division's share of it
    would mislead (its checks could not pass). Divisional managers see their divisions on the dashboard."""
    return can(user, Permission.SEE_TRUST_CASES)


# --- Which complaints, and when -------------------------------------------------------------------------------------


def _left_out_filters(prefix: str = "") -> dict[str, Q]:
    """Why a complaint is left out of every box (ko41a.left_out_because), as filters; `prefix` reaches the case."""
    return {
        ko41a.WITHDRAWN: Q(**{f"{prefix}status": Status.WITHDRAWN}),
        # Regulation 12(4): closed without a response, the one way a complaint closes unanswered (cases.workflow).
        ko41a.DECLINED_OUT_OF_TIME: Q(**{f"{prefix}status": Status.CLOSED, f"{prefix}responded_on__isnull": True}),
        ko41a.NOT_INVESTIGATED: Q(
            **{f"{prefix}responded_on__isnull": False, f"{prefix}outcome": Outcome.NOT_INVESTIGATED}
        ),
    }


def _left_out(prefix: str = "") -> Q:
    return functools.reduce(operator.or_, _left_out_filters(prefix).values())


LEFT_OUT_FILTERS = _left_out_filters()


def _made_on(prefix: str = "") -> CaseWhen:
    """ko41a.made_on in SQL: the day a complaint escalated from a PALS concern was escalated, else its received date."""
    return CaseWhen(
        When(
            **{f"{prefix}escalated_from__isnull": False},
            then=Coalesce(f"{prefix}clocks_start_on", f"{prefix}received_on"),
        ),
        default=F(f"{prefix}received_on"),
        output_field=DateField(),
    )


def complaints(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(kind=Kind.COMPLAINT).annotate(**{MADE_ON: _made_on()})


def counted(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The complaints the return counts (ko41a.left_out_because is None), with the day each was made."""
    return complaints(cases).exclude(_left_out())


def _made_in(period: Period, prefix: str = "") -> Q:
    """Made a complaint in the period (ko41a.made_on), written so that the planner can find the rows by index.

    Received in the period, unless escalated later: the (kind, received_on) index. Escalated in the period:
    the unique index on escalated_from (few complaints are escalated ones). `prefix` reaches the case through
    a relation ("case__").
    """
    received_in = Q(**{f"{prefix}received_on__gte": period.starts_on, f"{prefix}received_on__lte": period.ends_on})
    not_escalated = Q(**{f"{prefix}escalated_from__isnull": True})
    # An escalation on the concern's received date leaves clocks_start_on empty (cases.services).
    same_day = Q(**{f"{prefix}clocks_start_on__isnull": True})
    escalated_in = Q(
        **{f"{prefix}clocks_start_on__gte": period.starts_on, f"{prefix}clocks_start_on__lte": period.ends_on}
    )
    return (received_in & (not_escalated | same_day)) | (~not_escalated & escalated_in)


def _responded_in(period: Period) -> Q:
    return Q(responded_on__gte=period.starts_on, responded_on__lte=period.ends_on)


def summary_filter(code: str, period: Period) -> Q:
    """The complaints in one box of section 2: ko41a.summary_boxes_of as a condition, for a figure's list."""
    if code == ko41a.BROUGHT_FORWARD:
        return Q(**{f"{MADE_ON}__lt": period.starts_on}) & (
            Q(responded_on__isnull=True) | Q(responded_on__gte=period.starts_on)
        )
    if code == ko41a.NEW:
        return _made_in(period)
    if code == ko41a.RESOLVED:
        return _responded_in(period)
    if code in ko41a.OUTCOMES:
        return _responded_in(period) & Q(outcome=code)
    if code == ko41a.CARRIED_FORWARD:
        return Q(**{f"{MADE_ON}__lte": period.ends_on}) & (
            Q(responded_on__isnull=True) | Q(responded_on__gt=period.ends_on)
        )
    raise KeyError(code)


def _in_some_summary_box(period: Period) -> Q:
    """Brought forward, new, resolved or carried forward: the complaints the period's return holds."""
    return (
        Q(**{f"{MADE_ON}__lte": period.ends_on})
        & (Q(responded_on__isnull=True) | Q(responded_on__gte=period.starts_on))
    ) | _responded_in(period)


def _responded_before_made(period: Period) -> Q:
    """ko41a.answered_before_made_upsets as a condition."""
    made_in, responded_in = _made_in(period), _responded_in(period)
    return Q(responded_on__lt=F(MADE_ON)) & ((made_in & ~responded_in) | (~made_in & responded_in))


def _without_outcome(period: Period) -> Q:
    return _responded_in(period) & ~Q(outcome__in=ko41a.OUTCOMES)


def _may_hold(year: Period) -> Q:
    """Every complaint that any box of the year, or of one of its quarters, could hold: open at its start, or made
    or answered in it. None received after the year can be (a response is never dated before its receipt:
    cases.services refuses it), which bounds the (kind, received_on) index's range.
    """
    made_from_the_start = Q(received_on__gte=year.starts_on) | Q(
        escalated_from__isnull=False, clocks_start_on__gte=year.starts_on
    )
    return Q(received_on__lte=year.ends_on) & (
        Q(responded_on__isnull=True) | Q(responded_on__gte=year.starts_on) | made_from_the_start
    )


def _quarter_of_made_on(year: str) -> CaseWhen:
    _, q2, q3, q4 = ko41a.quarters_of(year)
    return CaseWhen(
        When(**{f"{MADE_ON}__lt": q2.starts_on}, then=Value(1)),
        When(**{f"{MADE_ON}__lt": q3.starts_on}, then=Value(2)),
        When(**{f"{MADE_ON}__lt": q4.starts_on}, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _new_q(period: Period, prefix: str = "") -> Q:
    """The new complaints of the period that the return counts; `prefix` reaches the case from a party or issue.

    None is received after the period, which bounds the (kind, received_on) index's range.
    """
    return (
        Q(**{f"{prefix}kind": Kind.COMPLAINT, f"{prefix}received_on__lte": period.ends_on})
        & _made_in(period, prefix)
        & ~_left_out(prefix)
    )


def _new_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    return cases.filter(_new_q(period)).annotate(**{MADE_ON: _made_on()})


# --- The year's lists: the boxes of sections 3 to 8 ------------------------------------------------------------------


@dataclass(frozen=True)
class Lists:
    """Each section's boxes from the KO41a lists of the year (or the nearest earlier year loaded)."""

    sections: tuple[ko41a.Section, ...]
    age_bands: tuple[ko41a.AgeBand, ...]

    def section(self, key: str) -> ko41a.Section:
        return next(section for section in self.sections if section.key == key)

    def codes(self, key: str) -> list[str]:
        return [box.code for box in self.section(key).boxes]

    def box(self, key: str) -> ko41a.Box | None:
        section_key = ko41a.section_of(key)
        if section_key not in ko41a.SPEC_OF:
            return None
        return next((box for box in self.section(section_key).boxes if box.key == key), None)


def year_lists(year: Period) -> Lists:
    """Two queries: which years are loaded for each list, and the codes of the one each section uses."""
    loaded: dict[str, list[str]] = defaultdict(list)
    kinds = [spec.list_kind for spec in ko41a.SECTION_SPECS if spec.list_kind]
    for kind, collection_year in Taxonomy.objects.filter(kind__in=kinds).values_list("kind", "collection_year"):
        loaded[kind].append(collection_year)
    chosen = {kind: coding_ko41a.coding_year(year.year, loaded[kind]) for kind in kinds}
    wanted = Q(pk__in=[])
    for kind, collection_year in chosen.items():
        if collection_year:
            wanted |= Q(taxonomy__kind=kind, taxonomy__collection_year=collection_year)
    codes: dict[str, list[Code]] = defaultdict(list)
    for code in (
        Code.objects.active(on=year.starts_on)
        .filter(wanted)
        .select_related("taxonomy")
        .order_by("taxonomy__kind", "order", "label", "pk")
    ):
        codes[code.taxonomy.kind].append(code)
    sections = []
    for spec in ko41a.SECTION_SPECS:
        if not spec.list_kind:
            sections.append(ko41a.Section(spec, ko41a.SUMMARY_BOXES))
            continue
        boxes = tuple(ko41a.Box(spec.key, code.code, code.label) for code in codes[spec.list_kind])
        sections.append(ko41a.Section(spec, boxes, chosen[spec.list_kind] if boxes else None))
    age_codes = codes[ko41a.SPEC_OF[ko41a.AGE].list_kind]
    bands = tuple(ko41a.AgeBand(code.code, code.age_from_years, code.age_to_years) for code in age_codes)
    return Lists(sections=tuple(sections), age_bands=bands)


# --- Age band, complainant status and coded issues, as sets of parties and issues ------------------------------------
#
# Each is a join (or a semi-join in a WHERE), never a subquery run once per complaint: the aggregates group the
# parties and issues of the new complaints, and a figure's list filters the complaints with EXISTS on the same
# conditions, so the figure and its list agree.


def _patients() -> QuerySet[CaseParty]:
    """The first patient recorded on each case (a case with two counts once, by the first)."""
    earlier = CaseParty.objects.filter(case=OuterRef("case"), role=PartyRole.PATIENT, pk__lt=OuterRef("pk"))
    return CaseParty.objects.filter(role=PartyRole.PATIENT).exclude(Exists(earlier))


def _with_age_parts(patients: QuerySet[CaseParty], *, made) -> QuerySet[CaseParty]:
    """Each patient with ko41a.age_from_years_apart's two parts, on the day `made` (an expression or a name)."""
    born = "person__date_of_birth"
    birthday, made_day = (ExtractMonth(day) * 100 + ExtractDay(day) for day in (born, made))
    return patients.annotate(
        ko41a_years_apart=ExtractYear(made) - ExtractYear(born),
        ko41a_before_birthday=CaseWhen(
            When(GreaterThan(birthday, made_day), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def _with_age_band(patients: QuerySet[CaseParty], bands: tuple[ko41a.AgeBand, ...], *, made) -> QuerySet[CaseParty]:
    """ko41a.age_band for each patient as a condition's value: a band code, or UNPLACED. For a figure's list."""
    patients = _with_age_parts(patients, made=made).annotate(
        ko41a_age=F("ko41a_years_apart")
        - CaseWhen(When(ko41a_before_birthday=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    whens = [When(person__date_of_birth__isnull=True, then=Value(_unknown_age_code(bands)))]
    whens.append(When(ko41a_age__lt=0, then=Value(UNPLACED)))
    for band in bands:
        if band.is_unknown:
            continue
        limits = {}
        if band.from_years is not None:
            limits["ko41a_age__gte"] = band.from_years
        if band.to_years is not None:
            limits["ko41a_age__lte"] = band.to_years
        whens.append(When(**limits, then=Value(band.code)))
    return patients.annotate(**{AGE_BAND: CaseWhen(*whens, default=Value(UNPLACED), output_field=CharField())})


def _unknown_age_code(bands: tuple[ko41a.AgeBand, ...]) -> str:
    return next((band.code for band in bands if band.is_unknown), UNPLACED)


def _complainant_is_patient() -> QuerySet[CaseParty]:
    """The complainant roles held by the case's patient: ko41a.complainant_status's "patient"."""
    return CaseParty.objects.filter(
        role=PartyRole.COMPLAINANT, person__case_roles__case=F("case"), person__case_roles__role=PartyRole.PATIENT
    )


def _someone_complains() -> QuerySet[CaseParty]:
    return CaseParty.objects.filter(role__in=[PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE])


def _issues() -> QuerySet[CaseIssue]:
    return CaseIssue.objects.filter(case=OuterRef("pk"))


# The issue field whose code puts a complaint in a box of each breakdown of sections 5 to 8.
_ISSUE_CODE = {
    ko41a.SERVICE: "service_area__code",
    ko41a.CLINICAL: "clinical_subcategory__code",
    ko41a.SUBJECT: "subject__code",
    ko41a.PROFESSION: "professions__code",
}


def _issue_with(lists: Lists) -> dict[str, Q]:
    """Per gap check, the condition on one issue that fills what the gap lacks (or, for clinical, that leaves it)."""
    return {
        ko41a.NO_SUBJECT: Q(subject__code__in=lists.codes(ko41a.SUBJECT)),
        ko41a.NO_PROFESSION: Q(professions__code__in=lists.codes(ko41a.PROFESSION)),
        ko41a.NO_SERVICE_AREA: Q(service_area__code__in=lists.codes(ko41a.SERVICE)),
        ko41a.CLINICAL_WITHOUT_SUBCATEGORY: Q(subject__code=coding_ko41a.CLINICAL_TREATMENT)
        & ~Q(clinical_subcategory__code__in=lists.codes(ko41a.CLINICAL)),
    }


# The checks on a new complaint's issues: no subject, profession or service area on the year's list, and
# clinical treatment without a sub-category on it.
ISSUE_GAPS = (ko41a.NO_SUBJECT, ko41a.NO_PROFESSION, ko41a.NO_SERVICE_AREA, ko41a.CLINICAL_WITHOUT_SUBCATEGORY)


# --- The return ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteColumn:
    key: str  # the site's code, or ko41a.NO_SITE_COLUMN
    code: str
    name: str


@dataclass
class FailedCheck:
    failure: ko41a.Failure
    title: str
    # The first cases behind it that the viewer may see (all cases when there is no viewer), by reference.
    references: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.failure.cases_count - len(self.references), 0)


@dataclass
class Ko41aReturn:
    period: Period
    year: Period
    organisation_code: str
    organisation_name: str
    sites: tuple[SiteColumn, ...]
    sections: tuple[ko41a.Section, ...]
    # (box key, column, period key) -> count; columns are ORGANISATION, site codes and NO_SITE_COLUMN.
    figures: dict[tuple[str, str, str], int]
    failures: list[FailedCheck]
    gaps: list[tuple[str, str, int]]
    worked_out_on: datetime.date

    @property
    def quarters(self) -> tuple[Period, ...]:
        return ko41a.quarters_of(self.year.year)

    @property
    def periods_shown(self) -> tuple[Period, ...]:
        """The columns of each section on the page: the four quarters and the year, or the one quarter."""
        return (*self.quarters, self.year) if self.period.quarter is None else (self.period,)

    @property
    def columns(self) -> tuple[str, ...]:
        return (ORGANISATION, *(site.key for site in self.sites))

    @property
    def is_ready(self) -> bool:
        return not self.failures

    def value(self, box: str, column: str = ORGANISATION, period: Period | None = None) -> int:
        return self.figures.get((box, column, (period or self.period).key), 0)

    def left_out(self, column: str = ORGANISATION) -> list[tuple[str, str, int]]:
        return [(key, title, self.value(key, column)) for key, title in ko41a.LEFT_OUT_TITLES.items()]

    def reopened(self, column: str = ORGANISATION) -> int:
        return self.value(ko41a.REOPENED, column)


class _Tally:
    """Counts by (box, site id, period key); the organisation's column and the year are added up at the end."""

    def __init__(self):
        self.counts: dict[tuple[str, int | None, str], int] = defaultdict(int)

    def add(self, box: str, site_id: int | None, period_key: str, count: int) -> None:
        if count:
            self.counts[(box, site_id, period_key)] += count

    def add_to_quarter_and_year(self, box: str, site_id: int | None, quarter: int, count: int) -> None:
        self.add(box, site_id, f"Q{quarter}", count)
        self.add(box, site_id, ko41a.YEAR, count)


def _bucket(field: str, year: Period) -> CaseWhen:
    """The bucket of a day (ko41a.day_of_bucket): 0 before the year, 1 to 4 its quarters, 5 after; null stays null."""
    _, q2, q3, q4 = ko41a.quarters_of(year.year)
    return CaseWhen(
        When(**{f"{field}__isnull": True}, then=Value(None)),
        When(**{f"{field}__lt": year.starts_on}, then=Value(ko41a.BEFORE_YEAR)),
        When(**{f"{field}__lt": q2.starts_on}, then=Value(1)),
        When(**{f"{field}__lt": q3.starts_on}, then=Value(2)),
        When(**{f"{field}__lt": q4.starts_on}, then=Value(3)),
        When(**{f"{field}__lte": year.ends_on}, then=Value(4)),
        default=Value(ko41a.AFTER_YEAR),
        output_field=IntegerField(),
    )


def _stock(cases: QuerySet[Case], year: Period, tally: _Tally) -> None:
    """Section 2 for the year and each quarter by site, the checks on it, and what is left out: one query.

    The database groups the complaints the year could hold by site, the quarter they were made and answered
    in, outcome, why left out and whether reopened (a few hundred groups, whatever the number of complaints);
    ko41a.summary_boxes_of puts each group in its boxes for each period.
    """
    left_out = CaseWhen(
        *(When(where, then=Value(key)) for key, where in LEFT_OUT_FILTERS.items()),
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        complaints(cases)
        .filter(_may_hold(year))
        .annotate(
            ko41a_made_bucket=_bucket(MADE_ON, year),
            ko41a_responded_bucket=_bucket("responded_on", year),
            ko41a_left_out=left_out,
            ko41a_reopened=CaseWhen(
                When(reopened_count__gt=0, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by()
        .values("site_id", "ko41a_made_bucket", "ko41a_responded_bucket", "outcome", "ko41a_left_out", "ko41a_reopened")
        .annotate(complaints=Count("pk"))
    )
    periods = (*ko41a.quarters_of(year.year), year)
    for row in rows:
        site_id, count = row["site_id"], row["complaints"]
        made = ko41a.day_of_bucket(year.year, row["ko41a_made_bucket"])
        responded = ko41a.day_of_bucket(year.year, row["ko41a_responded_bucket"])
        for period in periods:
            if row["ko41a_left_out"]:
                if period.holds(made):
                    tally.add(row["ko41a_left_out"], site_id, period.key, count)
                continue
            boxes = ko41a.summary_boxes_of(made=made, responded=responded, outcome=row["outcome"], period=period)
            for code in boxes:
                tally.add(ko41a.box_key(ko41a.SUMMARY, code), site_id, period.key, count)
            if ko41a.RESOLVED in boxes and row["outcome"] not in ko41a.OUTCOMES:
                tally.add(ko41a.RESOLVED_WITHOUT_OUTCOME, site_id, period.key, count)
            if ko41a.answered_before_made_upsets(made=made, responded=responded, period=period):
                tally.add(ko41a.RESPONDED_BEFORE_MADE, site_id, period.key, count)
            if boxes and row["ko41a_reopened"]:
                tally.add(ko41a.REOPENED, site_id, period.key, count)
            if boxes and site_id is None:
                tally.add(ko41a.NO_SITE, None, period.key, count)


@dataclass(frozen=True)
class _NewComplaints:
    """The year's new complaints, by the range of their ids: the parties and issues to read are the range's."""

    year: Period
    first_id: int
    last_id: int

    def of(self, related: QuerySet) -> QuerySet:
        """Parties or issues of the new complaints (one join to the case), with the quarter each was made in.

        The id range repeats what the conditions already say; it lets the planner read the parties or issues
        by their case index, rather than every party or issue of ten years.
        """
        return (
            related.filter(case_id__gte=self.first_id, case_id__lte=self.last_id)
            .filter(_new_q(self.year, "case__"))
            .annotate(**{MADE_ON: _made_on("case__")})
            .annotate(**{QUARTER: _quarter_of_made_on(self.year.year)})
            .order_by()
        )


def _new_complaints(year: Period) -> _NewComplaints | None:
    """One query; None when the year has no new complaint, so that nothing about them needs reading."""
    # The count keeps PostgreSQL from answering MIN and MAX by walking the primary key from each end.
    ids = Case.objects.filter(_new_q(year)).aggregate(first=Min("pk"), last=Max("pk"), complaints=Count("pk"))
    return _NewComplaints(year, ids["first"], ids["last"]) if ids["first"] is not None else None


def _new_by_quarter(tally: _Tally) -> dict[tuple[int | None, int], int]:
    """The new complaints per (site id, quarter), from section 2: what each per-complaint section adds up to."""
    return {
        (site_id, int(key[1])): count
        for (box, site_id, key), count in tally.counts.items()
        if box == ko41a.box_key(ko41a.SUMMARY, ko41a.NEW) and key != ko41a.YEAR
    }


def _ages(new: _NewComplaints, lists: Lists, tally: _Tally) -> None:
    """Section 3: each new complaint's first patient by age band; one with no patient is of unknown age. One query.

    The database groups the patients by the years between the birth and the complaint and whether the birthday
    had come that year (a few hundred groups, whatever the number of complaints); ko41a chooses each one's band.
    """
    patients = _with_age_parts(new.of(_patients()), made=MADE_ON)
    placed: dict[tuple[int | None, int], int] = defaultdict(int)
    rows = patients.values("case__site_id", QUARTER, "ko41a_years_apart", "ko41a_before_birthday").annotate(
        complaints=Count("case_id")
    )
    for row in rows:
        site_id, quarter, count = row["case__site_id"], row[QUARTER], row["complaints"]
        years_apart = None if row["ko41a_years_apart"] is None else int(row["ko41a_years_apart"])
        age = ko41a.age_from_years_apart(years_apart, before_birthday=row["ko41a_before_birthday"])
        band = ko41a.band_of_age(age, lists.age_bands)
        box = ko41a.box_key(ko41a.AGE, band) if band is not None else ko41a.NO_AGE_BAND
        tally.add_to_quarter_and_year(box, site_id, quarter, count)
        placed[(site_id, quarter)] += count
    unknown = _unknown_age_code(lists.age_bands)
    for (site_id, quarter), new_complaints in _new_by_quarter(tally).items():
        box = ko41a.box_key(ko41a.AGE, unknown) if unknown != UNPLACED else ko41a.NO_AGE_BAND
        tally.add_to_quarter_and_year(box, site_id, quarter, new_complaints - placed[(site_id, quarter)])


def _statuses(new: _NewComplaints, lists: Lists, tally: _Tally) -> None:
    """Section 4 (ko41a.complainant_status) from who complained on each new complaint: one query."""
    patient_complains = Q(role=PartyRole.COMPLAINANT) & Q(
        person__case_roles__case=F("case"), person__case_roles__role=PartyRole.PATIENT
    )
    rows = (
        new.of(_someone_complains())
        .values("case__site_id", QUARTER)
        .annotate(
            someone=Count("case_id", distinct=True),
            patient=Count("case_id", distinct=True, filter=patient_complains),
        )
    )
    complaining = {(row["case__site_id"], row[QUARTER]): row for row in rows}
    codes = lists.codes(ko41a.STATUS)
    for (site_id, quarter), new_complaints in _new_by_quarter(tally).items():
        row = complaining.get((site_id, quarter), {"someone": 0, "patient": 0})
        for status, count in (
            (ko41a.STATUS_PATIENT, row["patient"]),
            (ko41a.STATUS_ON_BEHALF, row["someone"] - row["patient"]),
            (ko41a.STATUS_UNKNOWN, new_complaints - row["someone"]),
        ):
            box = ko41a.box_key(ko41a.STATUS, status) if status in codes else ko41a.NO_STATUS
            tally.add_to_quarter_and_year(box, site_id, quarter, count)


def _issue_codes(new: _NewComplaints, lists: Lists, tally: _Tally) -> None:
    """Sections 5 to 7 (service area, clinical treatment's sub-categories, subject), each new complaint once per
    code its issues carry, and the two gap checks on issues: no service area on the year's list, and clinical
    treatment without a sub-category on it. One query, a row per issue, counted here.

    The database grouped the same issues four times before, once per section and once for the gaps, each a
    quarter to a third of a second at a million cases (docs/performance.md); a year's new complaints have tens
    of thousands of issues, which Python counts in less than one of those. The subject and profession checks
    count their own cases when they fail.

    The conditions are `_issue_with`'s and the sections' filters in `cases_behind`, written for Python rows;
    the return's tests check that every figure lists exactly the cases it counts, which holds the two together.
    """
    listed = {section: set(lists.codes(section)) for section in (ko41a.SERVICE, ko41a.CLINICAL, ko41a.SUBJECT)}
    # (box, site id, quarter) -> the new complaints in it; the gap checks' entries hold, for the service area,
    # the complaints that fill it, and for clinical treatment, those that leave it.
    complaints_in: dict[tuple[str, int | None, int], set[int]] = defaultdict(set)
    rows = new.of(CaseIssue.objects.all()).values_list(
        "case__site_id", QUARTER, "case_id", "service_area__code", "subject__code", "clinical_subcategory__code"
    )
    for site_id, quarter, case_id, service_area, subject, subcategory in rows:
        if service_area in listed[ko41a.SERVICE]:
            complaints_in[(ko41a.box_key(ko41a.SERVICE, service_area), site_id, quarter)].add(case_id)
            complaints_in[(ko41a.NO_SERVICE_AREA, site_id, quarter)].add(case_id)
        if subject in listed[ko41a.SUBJECT]:
            complaints_in[(ko41a.box_key(ko41a.SUBJECT, subject), site_id, quarter)].add(case_id)
        if subject == coding_ko41a.CLINICAL_TREATMENT:
            if subcategory in listed[ko41a.CLINICAL]:
                complaints_in[(ko41a.box_key(ko41a.CLINICAL, subcategory), site_id, quarter)].add(case_id)
            else:
                complaints_in[(ko41a.CLINICAL_WITHOUT_SUBCATEGORY, site_id, quarter)].add(case_id)
    for (box, site_id, quarter), case_ids in complaints_in.items():
        if box not in ko41a.GAP_CHECKS:
            tally.add_to_quarter_and_year(box, site_id, quarter, len(case_ids))
    for (site_id, quarter), new_complaints in _new_by_quarter(tally).items():
        with_service_area = len(complaints_in.get((ko41a.NO_SERVICE_AREA, site_id, quarter), ()))
        tally.add_to_quarter_and_year(ko41a.NO_SERVICE_AREA, site_id, quarter, new_complaints - with_service_area)
        clinical_without = len(complaints_in.get((ko41a.CLINICAL_WITHOUT_SUBCATEGORY, site_id, quarter), ()))
        tally.add_to_quarter_and_year(ko41a.CLINICAL_WITHOUT_SUBCATEGORY, site_id, quarter, clinical_without)


def _professions(new: _NewComplaints, lists: Lists, tally: _Tally) -> None:
    """Section 8: each new complaint once per profession its issues name, by site and quarter: one query."""
    code_field = _ISSUE_CODE[ko41a.PROFESSION]
    rows = (
        new.of(CaseIssue.objects.all())
        .filter(**{f"{code_field}__in": lists.codes(ko41a.PROFESSION)})
        .values("case__site_id", QUARTER, code_field)
        .annotate(complaints=Count("case_id", distinct=True))
    )
    for row in rows:
        box = ko41a.box_key(ko41a.PROFESSION, row[code_field])
        tally.add_to_quarter_and_year(box, row["case__site_id"], row[QUARTER], row["complaints"])


def _sites(site_ids: set[int | None], on: datetime.date) -> tuple[dict[int, SiteColumn], tuple[SiteColumn, ...]]:
    """Every site in use on the day, and any other that a complaint of the period names; ordered by name."""
    columns = {}
    named = [pk for pk in site_ids if pk is not None]
    in_use = Q(disabled_on__isnull=True) | Q(disabled_on__gt=on)
    for site in Site.objects.filter(in_use | Q(pk__in=named)).order_by("name", "pk"):
        columns[site.pk] = SiteColumn(key=site.code, code=site.code, name=site.name)
    shown = list(columns.values())
    if None in site_ids:
        shown.append(SiteColumn(key=ko41a.NO_SITE_COLUMN, code="", name="No site recorded"))
    return columns, tuple(shown)


def ko41a_return(*, year: str, quarter: int | None = None, viewer=None, sample_size: int = SAMPLE_SIZE) -> Ko41aReturn:
    """The return of the whole trust for the year, or one quarter of it, with its checks.

    Restricted cases are counted (the national return needs every complaint); the references a failed check
    names are those `viewer` may see (every case when there is no viewer, as for the command).
    """
    period = ko41a.period_of(year, quarter)
    whole_year = ko41a.financial_year(year)
    lists = year_lists(whole_year)
    every_case = Case.objects.all()
    tally = _Tally()
    _stock(every_case, whole_year, tally)
    new = _new_complaints(whole_year)
    if new is not None:
        _ages(new, lists, tally)
        _statuses(new, lists, tally)
        _issue_codes(new, lists, tally)
        _professions(new, lists, tally)

    site_ids = {site_id for (_, site_id, _) in tally.counts}
    by_id, sites = _sites(site_ids, whole_year.starts_on)
    figures: dict[tuple[str, str, str], int] = defaultdict(int)
    for (box, site_id, period_key), count in tally.counts.items():
        column = by_id[site_id].key if site_id is not None else ko41a.NO_SITE_COLUMN
        figures[(box, column, period_key)] += count
        figures[(box, ORGANISATION, period_key)] += count
    figures = dict(figures)
    trust = Trust.objects.order_by("pk").only("name", "ods_code").first()
    in_period = {(box, column): count for (box, column, key), count in figures.items() if key == period.key}
    columns = (ORGANISATION, *(site.key for site in sites))
    failures = ko41a.check(lists.sections, in_period, columns)
    failures = _count_the_cases(failures, period=period, lists=lists, site_keys={pk: c.key for pk, c in by_id.items()})
    failed = _name_the_cases(failures, period=period, lists=lists, viewer=viewer, sample_size=sample_size)
    return Ko41aReturn(
        period=period,
        year=whole_year,
        organisation_code=trust.ods_code if trust else "",
        organisation_name=trust.name if trust else "",
        sites=sites,
        sections=lists.sections,
        figures=figures,
        failures=failed,
        gaps=[(key, ko41a.CHECK_TITLES[key], count) for key, count in ko41a.gaps(in_period)],
        worked_out_on=timezone.localdate(),
    )


# Checks whose cases are counted only when they fail: finding them costs a pass over the new complaints' issues.
_COUNTED_WHEN_FAILING = (ko41a.NO_SUBJECT, ko41a.NO_PROFESSION)


def _count_the_cases(
    failures: list[ko41a.Failure], *, period: Period, lists: Lists, site_keys: dict[int, str]
) -> list[ko41a.Failure]:
    """The failures of the subject and profession checks with how many cases are behind them, by column.

    Two queries for each of the two checks that failed, whatever the number of sites.
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for box in {failure.cases_box for failure in failures if failure.cases_box in _COUNTED_WHEN_FAILING}:
        every = cases_behind(Case.objects.all(), box=box, period=period, column=ORGANISATION, lists=lists)
        for row in every.order_by().values("site_id").annotate(complaints=Count("pk")):
            column = site_keys.get(row["site_id"], ko41a.NO_SITE_COLUMN)
            counts[(box, column)] += row["complaints"]
            counts[(box, ORGANISATION)] += row["complaints"]
    return [
        dataclasses.replace(failure, cases_count=counts[(failure.cases_box, failure.column)])
        if failure.cases_box in _COUNTED_WHEN_FAILING
        else failure
        for failure in failures
    ]


def _name_the_cases(
    failures: list[ko41a.Failure], *, period: Period, lists: Lists, viewer, sample_size: int
) -> list[FailedCheck]:
    """Each failure with the first cases behind it: one query per check that failed for the organisation."""
    scope = cases_visible_to(viewer) if viewer is not None else Case.objects.all()
    named: dict[str, list[str]] = {}
    checked = []
    for failure in failures:
        title = dict(ko41a.RULES)[failure.rule]
        references: list[str] = []
        if failure.column == ORGANISATION and sample_size:
            if failure.cases_box not in named:
                named[failure.cases_box] = list(
                    cases_behind(
                        scope, box=failure.cases_box, period=period, column=ORGANISATION, lists=lists
                    ).values_list("reference", flat=True)[:sample_size]
                )
            references = named[failure.cases_box]
        checked.append(FailedCheck(failure=failure, title=title, references=references))
    return checked


# --- The cases behind a figure ---------------------------------------------------------------------------------------


class UnknownBox(LookupError):
    """The box names nothing the return has."""


def box_title(box: str, lists: Lists) -> str:
    """What the box is, in words: "Subject area: Communications", "Not counted: withdrawn by the complainant"."""
    if box in ko41a.CHECK_TITLES:
        return ko41a.CHECK_TITLES[box]
    if box in ko41a.LEFT_OUT_TITLES:
        return f"Not counted: {ko41a.LEFT_OUT_TITLES[box][0].lower()}{ko41a.LEFT_OUT_TITLES[box][1:]}"
    if box == ko41a.REOPENED:
        return "Counted complaints that have been reopened"
    found = lists.box(box)
    if found is None:
        raise UnknownBox(box)
    return f"{ko41a.SPEC_OF[found.section].title}: {found.label}"


def _new_among(cases: QuerySet[Case], *, box: str, period: Period, lists: Lists) -> QuerySet[Case]:
    """The new complaints of the period in a box of sections 3 to 8, or with one of their gaps.

    Each condition is an EXISTS over the complaint's parties or issues, which the database runs as a
    semi-join; the range of the new complaints' ids (one query) keeps it to their parties and issues.
    """
    new = _new_complaints(period)
    if new is None:
        return _new_in(cases, period).none()
    near = Q(case_id__gte=new.first_id, case_id__lte=new.last_id)
    found = _new_in(cases, period).filter(pk__gte=new.first_id, pk__lte=new.last_id)
    section, _, code = box.partition(":")
    if section == ko41a.AGE or box == ko41a.NO_AGE_BAND:
        band = UNPLACED if box == ko41a.NO_AGE_BAND else code
        first_patient = _with_age_band(
            _patients().filter(near, case=OuterRef("pk")), lists.age_bands, made=_made_on("case__")
        )
        in_band = Exists(first_patient.filter(**{AGE_BAND: band}))
        if band == _unknown_age_code(lists.age_bands):
            in_band |= ~Exists(CaseParty.objects.filter(near, case=OuterRef("pk"), role=PartyRole.PATIENT))
        return found.filter(in_band)
    if section == ko41a.STATUS or box == ko41a.NO_STATUS:
        is_patient = Exists(_complainant_is_patient().filter(near, case=OuterRef("pk")))
        someone = Exists(_someone_complains().filter(near, case=OuterRef("pk")))
        statuses = {
            ko41a.STATUS_PATIENT: is_patient,
            ko41a.STATUS_ON_BEHALF: ~is_patient & someone,
            ko41a.STATUS_UNKNOWN: ~someone,
        }
        if box == ko41a.NO_STATUS:
            off_the_list = [where for status, where in statuses.items() if status not in lists.codes(ko41a.STATUS)]
            return found.filter(functools.reduce(operator.or_, off_the_list, Q(pk=None)))
        return found.filter(statuses.get(code, Q(pk=None)))
    issues = _issues().filter(near)
    if box in ISSUE_GAPS:
        with_ = _issue_with(lists)[box]
        if box == ko41a.CLINICAL_WITHOUT_SUBCATEGORY:
            return found.filter(Exists(issues.filter(with_)))
        return found.filter(~Exists(issues.filter(with_)))
    conditions = {_ISSUE_CODE[section]: code}
    if section == ko41a.CLINICAL:
        conditions["subject__code"] = coding_ko41a.CLINICAL_TREATMENT
    return found.filter(Exists(issues.filter(**conditions)))


def cases_behind(cases: QuerySet[Case], *, box: str, period: Period, column: str, lists: Lists) -> QuerySet[Case]:
    """The cases among `cases` that one figure counts: a box (or check) of one period, for one column.

    Start from cases_visible_to(user) for a page; from every case to check a figure. Raises UnknownBox.
    """
    box_title(box, lists)
    section, _, code = box.partition(":")
    if box in LEFT_OUT_FILTERS:
        found = complaints(cases).filter(LEFT_OUT_FILTERS[box]).filter(_made_in(period))
    elif section == ko41a.SUMMARY:
        found = counted(cases).filter(summary_filter(code, period))
    elif box == ko41a.RESPONDED_BEFORE_MADE:
        found = counted(cases).filter(_responded_before_made(period))
    elif box == ko41a.RESOLVED_WITHOUT_OUTCOME:
        found = counted(cases).filter(_without_outcome(period))
    elif box == ko41a.NO_SITE:
        found = counted(cases).filter(_in_some_summary_box(period), site__isnull=True)
    elif box == ko41a.REOPENED:
        found = counted(cases).filter(_in_some_summary_box(period), reopened_count__gt=0)
    else:
        found = _new_among(cases, box=box, period=period, lists=lists)
    if column == ko41a.NO_SITE_COLUMN:
        found = found.filter(site__isnull=True)
    elif column != ORGANISATION:
        found = found.filter(site__code=column)
    return found.order_by(MADE_ON, "reference")
