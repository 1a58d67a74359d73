"""The KO41a return's rules as plain functions: its periods, sections and boxes, what is counted, and its checks.

No Django here: reporting.returns.selectors turns these rules into aggregate queries, and the tests read them
as the collection's guidance (domain.md §3; docs/decisions/0011-ko41a-counting.md for the choices made).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from palsdesk.coding import ko41a as coding_ko41a

# --- Periods --------------------------------------------------------------------------------------------------------

YEAR = "year"
QUARTER_MONTHS = {1: "April to June", 2: "July to September", 3: "October to December", 4: "January to March"}
EARLIEST_YEAR = "2000-01"


class BadPeriod(ValueError):
    """A year or quarter that names no period of the collection; `field` is the parameter to correct."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    """A financial year (1 April to 31 March) or one of its quarters."""

    year: str
    quarter: int | None
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def key(self) -> str:
        """'Q1'..'Q4', or 'year': the column a figure of this period is in."""
        return f"Q{self.quarter}" if self.quarter else YEAR

    @property
    def short_label(self) -> str:
        return f"Q{self.quarter}" if self.quarter else self.year

    @property
    def label(self) -> str:
        if not self.quarter:
            return f"{self.year} (1 April {self.starts_on.year} to 31 March {self.ends_on.year})"
        return f"Q{self.quarter} {self.year} ({QUARTER_MONTHS[self.quarter]} {self.ends_on.year})"

    def holds(self, day: datetime.date | None) -> bool:
        return day is not None and self.starts_on <= day <= self.ends_on


def _first_day(year: str) -> datetime.date:
    return datetime.date(int(year[:4]), 4, 1)


def financial_year(year: str) -> Period:
    start = _first_day(year)
    return Period(year, None, start, datetime.date(start.year + 1, 3, 31))


def quarters_of(year: str) -> tuple[Period, ...]:
    first = _first_day(year).year
    bounds = [
        (datetime.date(first, 4, 1), datetime.date(first, 6, 30)),
        (datetime.date(first, 7, 1), datetime.date(first, 9, 30)),
        (datetime.date(first, 10, 1), datetime.date(first, 12, 31)),
        (datetime.date(first + 1, 1, 1), datetime.date(first + 1, 3, 31)),
    ]
    return tuple(Period(year, number, starts, ends) for number, (starts, ends) in enumerate(bounds, start=1))


def period_of(year: str, quarter: int | None = None) -> Period:
    return quarters_of(year)[quarter - 1] if quarter else financial_year(year)


def parse_year(text: str | None, *, today: datetime.date) -> str:
    """A financial year as the collection writes it ("2025-26"), started by today; BadPeriod("year", why) if not."""
    text = (text or "").strip()
    current = coding_ko41a.collection_year(today)
    if not text:
        raise BadPeriod("year", f"Enter the financial year, like {current}.")
    if not coding_ko41a.is_collection_year(text):
        raise BadPeriod(
            "year",
            f"'{text[:20]}' is not a financial year. Write its first year and the last two digits of the next, "
            f"like {current}.",
        )
    if text > current:
        raise BadPeriod("year", f"{text} has not started yet. Choose {current} or an earlier year.")
    if text < EARLIEST_YEAR:
        raise BadPeriod("year", f"Choose {EARLIEST_YEAR} or a later year.")
    return text


def parse_year_or_none(text: str | None, *, today: datetime.date) -> str | None:
    try:
        return parse_year(text, today=today)
    except BadPeriod:
        return None


def last_ended_year(today: datetime.date) -> str:
    """The latest financial year to have ended: the one a return is made for ("2025-26" all through 2026-27)."""
    start = int(coding_ko41a.collection_year(today)[:4]) - 1
    return coding_ko41a.collection_year(datetime.date(start, 4, 1))


def parse_quarter(text: str | int | None, *, year: str, today: datetime.date) -> int | None:
    """1 to 4, or None for the whole year; BadPeriod("quarter", why) for anything else or a quarter not yet begun."""
    if text in (None, ""):
        return None
    value = str(text).strip().upper().removeprefix("Q")
    if value not in ("1", "2", "3", "4"):
        raise BadPeriod("quarter", "Choose a quarter from 1 to 4, or the whole year.")
    quarter = int(value)
    if period_of(year, quarter).starts_on > today:
        raise BadPeriod("quarter", f"Q{quarter} {year} has not started yet.")
    return quarter


def years_up_to(today: datetime.date, *, earliest: datetime.date | None) -> list[str]:
    """The financial years from the one holding `earliest` (or this one) to this one, latest first."""
    last = int(coding_ko41a.collection_year(today)[:4])
    first = int(coding_ko41a.collection_year(earliest)[:4]) if earliest else last
    first = max(min(first, last), int(EARLIEST_YEAR[:4]))
    return [coding_ko41a.collection_year(datetime.date(start, 4, 1)) for start in range(last, first - 1, -1)]


# --- Sections and their boxes --------------------------------------------------------------------------------------

SUMMARY = "summary"
AGE = "age"
STATUS = "status"
SERVICE = "service"
CLINICAL = "clinical"
SUBJECT = "subject"
PROFESSION = "profession"

BROUGHT_FORWARD = "brought_forward"
NEW = "new"
UPHELD = "upheld"
PARTIALLY_UPHELD = "partially_upheld"
NOT_UPHELD = "not_upheld"
RESOLVED = "resolved"
CARRIED_FORWARD = "carried_forward"
OUTCOMES = (UPHELD, PARTIALLY_UPHELD, NOT_UPHELD)


def box_key(section: str, code: str) -> str:
    return f"{section}:{code}"


@dataclass(frozen=True)
class Box:
    section: str
    code: str
    label: str

    @property
    def key(self) -> str:
        return box_key(self.section, self.code)


@dataclass(frozen=True)
class SectionSpec:
    number: int
    key: str
    title: str
    # The coding.TaxonomyKind whose list gives the section's boxes; "" for the summary.
    list_kind: str
    # What one count in the section is: a complaint once, or a complaint once in each box it concerns.
    counts: str


# KO41a guidelines: sections 3 to 8 are for new complaints; 5 to 8 count each aspect, so their totals can exceed them.
SECTION_SPECS = (
    SectionSpec(2, SUMMARY, "Summary of overall numbers of complaints", "", "Each complaint once."),
    SectionSpec(3, AGE, "Age of patient", "age_band", "Each new complaint once, by the patient's age when made."),
    SectionSpec(4, STATUS, "Status of complainant", "complainant_status", "Each new complaint once."),
    SectionSpec(5, SERVICE, "Service area", "service_area", "Each new complaint once in each service area it names."),
    SectionSpec(
        6,
        CLINICAL,
        "Subject area of clinical treatment (sub-categories)",
        "clinical_subcategory",
        "Each new complaint about clinical treatment once in each sub-category it concerns.",
    ),
    SectionSpec(7, SUBJECT, "Subject area", "subject", "Each new complaint once in each subject area it concerns."),
    SectionSpec(8, PROFESSION, "Profession", "profession", "Each new complaint once in each profession it concerns."),
)
SPEC_OF = {spec.key: spec for spec in SECTION_SPECS}

SUMMARY_BOXES = (
    Box(SUMMARY, BROUGHT_FORWARD, "Total brought forward"),
    Box(SUMMARY, NEW, "Total new complaints"),
    Box(SUMMARY, UPHELD, "Number upheld"),
    Box(SUMMARY, PARTIALLY_UPHELD, "Number partially upheld"),
    Box(SUMMARY, NOT_UPHELD, "Number not upheld"),
    Box(SUMMARY, RESOLVED, "Total resolved"),
    Box(SUMMARY, CARRIED_FORWARD, "Total carried forward"),
)


@dataclass(frozen=True)
class Section:
    spec: SectionSpec
    boxes: tuple[Box, ...]
    # The collection year whose list gave the boxes ("" for the summary, None when no list is loaded).
    list_year: str | None = ""

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def has_boxes(self) -> bool:
        return bool(self.boxes)


# The checks behind failures and gaps: each lists the cases that cause it, like a box.
CHECK = "check"
RESPONDED_BEFORE_MADE = box_key(CHECK, "responded_before_made")
RESOLVED_WITHOUT_OUTCOME = box_key(CHECK, "resolved_without_outcome")
NO_AGE_BAND = box_key(CHECK, "no_age_band")
NO_STATUS = box_key(CHECK, "no_status")
NO_SUBJECT = box_key(CHECK, "no_subject")
NO_PROFESSION = box_key(CHECK, "no_profession")
NO_SERVICE_AREA = box_key(CHECK, "no_service_area")
CLINICAL_WITHOUT_SUBCATEGORY = box_key(CHECK, "clinical_without_subcategory")
NO_SITE = box_key(CHECK, "no_site")
CHECK_TITLES = {
    RESPONDED_BEFORE_MADE: "Responded to before the complaint was made",
    RESOLVED_WITHOUT_OUTCOME: "Resolved without an outcome of upheld, partially upheld or not upheld",
    NO_AGE_BAND: "No age band fits the patient's age",
    NO_STATUS: "The complainant's status is not on the year's list",
    NO_SUBJECT: "New complaints without a subject area on the year's list",
    NO_PROFESSION: "New complaints without a profession on the year's list",
    NO_SERVICE_AREA: "New complaints without a service area on the year's list",
    CLINICAL_WITHOUT_SUBCATEGORY: "Clinical treatment without a sub-category on the year's list",
    NO_SITE: "Complaints with no site recorded",
}

# Complaints left out of every box, and why (docs/decisions/0011). Listed on the page so the choice is visible.
LEFT_OUT = "left_out"
WITHDRAWN = box_key(LEFT_OUT, "withdrawn")
DECLINED_OUT_OF_TIME = box_key(LEFT_OUT, "declined_out_of_time")
NOT_INVESTIGATED = box_key(LEFT_OUT, "not_investigated")
LEFT_OUT_TITLES = {
    WITHDRAWN: "Withdrawn by the complainant",
    DECLINED_OUT_OF_TIME: "Made after the time limit and not taken on (regulation 12(4))",
    NOT_INVESTIGATED: "Responded to without investigation (every issue not investigated)",
}
# Counted, and worth knowing: a reopened complaint's resolution is its latest response.
REOPENED = box_key("note", "reopened")


def section_of(key: str) -> str:
    return key.partition(":")[0]


# --- What is counted ----------------------------------------------------------------------------------------------

COMPLAINT = "complaint"
STATUS_WITHDRAWN = "withdrawn"
STATUS_CLOSED = "closed"


def left_out_because(*, kind: str, status: str, is_responded: bool, outcome: str) -> str | None:
    """Why a case is in no box of the return (a LEFT_OUT key, or "not a complaint"), or None when it is counted.

    Only complaints are counted: PALS concerns, compliments, enquiries and MP letters are not complaints under
    the regulations (an MP's letter that is one is logged as a complaint, via an MP). KO41a leaves out what
    needs no investigation: a withdrawn complaint, one declined as made too late, and one answered without
    investigating any of its issues. A complaint still open is counted: whether it will need investigating is
    not known yet.
    """
    if kind != COMPLAINT:
        return "not a complaint"
    if status == STATUS_WITHDRAWN:
        return WITHDRAWN
    if status == STATUS_CLOSED and not is_responded:
        return DECLINED_OUT_OF_TIME
    if is_responded and outcome == "not_investigated":
        return NOT_INVESTIGATED
    return None


def made_on(received_on: datetime.date, escalated_on: datetime.date | None = None) -> datetime.date:
    """The day it became a complaint: the day it was escalated from a PALS concern (which KO41a does not count),
    for a complaint escalated after the concern's received date; else its received date."""
    return escalated_on or received_on


def summary_boxes_of(*, made: datetime.date, responded: datetime.date | None, outcome: str, period: Period) -> set[str]:
    """The section 2 boxes one counted complaint is in for a period (the selectors count the same in SQL).

    Resolved means its response was sent in the period; a reopened complaint is open again until its next
    response. Carried forward = open at the end of the period, brought forward = open at its start.
    """
    boxes = set()
    if made < period.starts_on and (responded is None or responded >= period.starts_on):
        boxes.add(BROUGHT_FORWARD)
    if period.holds(made):
        boxes.add(NEW)
    if period.holds(responded):
        boxes.add(RESOLVED)
        if outcome in OUTCOMES:
            boxes.add(outcome)
    if made <= period.ends_on and (responded is None or responded > period.ends_on):
        boxes.add(CARRIED_FORWARD)
    return boxes


def answered_before_made_upsets(*, made: datetime.date, responded: datetime.date | None, period: Period) -> bool:
    """A complaint answered before the day it was made, with only one of the two days in the period.

    Such a complaint is new in one period and resolved in another, never open in between, so that period's
    carried forward is not brought forward + new − resolved: the check names it.
    """
    return responded is not None and responded < made and period.holds(made) != period.holds(responded)


# The database sorts each day into one of these, for a year: before it, one of its quarters, or after it.
BEFORE_YEAR, AFTER_YEAR = 0, 5


def day_of_bucket(year: str, bucket: int | None) -> datetime.date | None:
    """A day that stands for every day of a bucket, for the boxes of the year and its quarters: they begin and
    end where the buckets do, so each holds all of a bucket or none of it."""
    if bucket is None:
        return None
    if bucket == BEFORE_YEAR:
        return financial_year(year).starts_on - datetime.timedelta(days=1)
    if bucket == AFTER_YEAR:
        return financial_year(year).ends_on + datetime.timedelta(days=1)
    return quarters_of(year)[bucket - 1].starts_on


STATUS_PATIENT = "patient"
STATUS_ON_BEHALF = "on-behalf-of-patient"
STATUS_UNKNOWN = "unknown"


def complainant_status(*, complainant_is_patient: bool, someone_complains: bool) -> str:
    """Section 4: the patient complained themselves; someone complained for them; or nobody is recorded."""
    if complainant_is_patient:
        return STATUS_PATIENT
    if someone_complains:
        return STATUS_ON_BEHALF
    return STATUS_UNKNOWN


@dataclass(frozen=True)
class AgeBand:
    code: str
    from_years: int | None
    to_years: int | None

    @property
    def is_unknown(self) -> bool:
        return self.from_years is None and self.to_years is None


def band_of_age(age: int | None, bands: Iterable[AgeBand]) -> str | None:
    """The band holding an age in whole years: the unknown band's for no age; None when no band holds it."""
    bands = list(bands)
    if age is None:
        return next((band.code for band in bands if band.is_unknown), None)
    if age < 0:
        return None
    for band in bands:
        if band.is_unknown:
            continue
        above_from = band.from_years is None or age >= band.from_years
        below_to = band.to_years is None or age <= band.to_years
        if above_from and below_to:
            return band.code
    return None


def age_band(born_on: datetime.date | None, made: datetime.date, bands: Iterable[AgeBand]) -> str | None:
    """Section 3: the band of the patient's age on the day the complaint was made, "unknown" without a date of birth.

    None when it cannot be placed: a date of birth after that day, or an age no band covers (the return's
    age boxes would then not add up to its new complaints, and the check says which case).
    """
    if born_on is None:
        return band_of_age(None, bands)
    if born_on > made:
        return None
    return band_of_age(coding_ko41a.age_in_years(born_on, made), bands)


def age_from_years_apart(years_apart: int | None, *, before_birthday: bool) -> int | None:
    """Whole years of age from the difference of the calendar years and whether the birthday is still to come.

    As coding.ko41a.age_in_years; the database groups patients by these two, so the bands are chosen here.
    Negative for a date of birth after the day.
    """
    if years_apart is None:
        return None
    return years_apart - (1 if before_birthday else 0)


# --- The counting rules as the page, the API and the files state them ------------------------------------------------

COUNTING_RULES = (
    (
        "complaints_only",
        "Only complaints are counted. PALS concerns, compliments, enquiries and MP letters are not. An MP's letter "
        "that is itself a complaint needing investigation is logged as a complaint (received via an MP) and counted.",
    ),
    (
        "written",
        "Every complaint is counted whatever its channel: one made by phone or in person is recorded in writing "
        "here, and KO41a treats it as written from the outset.",
    ),
    (
        "escalated",
        "A PALS concern escalated to a complaint is counted once, as a new complaint on the day it was escalated; "
        "the concern itself is not counted.",
    ),
    (
        "once",
        "A complaint counts once in the totals, age and status, and once in each subject area, clinical "
        "sub-category, service area and profession its issues concern: two issues about Communications are one "
        "entry under Communications, as the guidance's example records three subjects but one service area.",
    ),
    (
        "site",
        "A complaint is counted once, under the one site recorded on it, even when it concerns several.",
    ),
    (
        "age_and_status",
        "The age band is the first recorded patient's age on the day the complaint was made (unknown without a "
        "date of birth). The status is the patient when they complained themselves, someone on their behalf when "
        "another person complained for them, and unknown when no complainant is recorded.",
    ),
    (
        "resolved",
        "Resolved means the response was sent in the period, and the outcome is the complaint's outcome worked out "
        "from its issues. Brought forward and carried forward are the complaints open at the start and end.",
    ),
    (
        "reopened",
        "A reopened complaint is not counted again as new. It is open again, so it is resolved when its next "
        "response is sent; a past period's figures then change, so keep the file you submitted.",
    ),
    (
        "left_out",
        "Left out of every box, as KO41a leaves out complaints that need no investigation: withdrawn complaints, "
        "complaints made after the time limit and not taken on, and complaints answered without investigating "
        "any issue. Until it is one of these, an open complaint is counted.",
    ),
    (
        "restricted",
        "Restricted cases are counted like any other; the lists behind the figures show only the cases you may see.",
    ),
    (
        "as_now",
        "The figures are worked out from the cases as they stand today, not as they stood when a period ended.",
    ),
)


# --- The collection's checks ----------------------------------------------------------------------------------------

ORGANISATION = ""  # the column of the whole organisation; the others are site codes
NO_SITE_COLUMN = "none"

CARRIED_FORWARD_RULE = "carried_forward"
NOT_NEGATIVE_RULE = "not_negative"
RESOLVED_RULE = "resolved_by_outcome"
AGE_RULE = "age"
STATUS_RULE = "status"
SUBJECT_RULE = "subject"
PROFESSION_RULE = "profession"
EVERY_BOX_RULE = "every_box"
RULES = (
    (CARRIED_FORWARD_RULE, "Carried forward = brought forward + new − resolved"),
    (NOT_NEGATIVE_RULE, "Carried forward is never negative"),
    (RESOLVED_RULE, "Resolved = upheld + partially upheld + not upheld"),
    (AGE_RULE, "The age bands add up to the new complaints"),
    (STATUS_RULE, "The complainant statuses add up to the new complaints"),
    (SUBJECT_RULE, "The subject areas add up to at least the new complaints"),
    (PROFESSION_RULE, "The professions add up to at least the new complaints"),
    (EVERY_BOX_RULE, "Every box has a value"),
)


@dataclass(frozen=True)
class Failure:
    """One check the return fails, for one column, with the box whose cases are behind it."""

    rule: str
    column: str
    message: str
    cases_box: str
    cases_count: int


# (box key, column) -> count, for one period. Check keys (CHECK_TITLES) count the cases behind each check.
Figures = Mapping[tuple[str, str], int]


def _sum(figures: Figures, section: Section, column: str) -> int:
    return sum(figures.get((box.key, column), 0) for box in section.boxes)


def check(sections: Sequence[Section], figures: Figures, columns: Sequence[str]) -> list[Failure]:
    """Every check of the collection the figures fail, column by column (the organisation first, then each site).

    KO41a and KO41b validations (domain.md §3.4): carried forward = brought forward + new − resolved and
    never negative; resolved = upheld + partially upheld + not upheld; the age and status boxes add up to
    the new complaints; the subject and profession boxes to at least as many; every box has a value.
    """
    by_key = {section.key: section for section in sections}
    failures: list[Failure] = []

    def fail(rule: str, column: str, message: str, cases_box: str) -> None:
        failures.append(Failure(rule, column, message, cases_box, figures.get((cases_box, column), 0)))

    for column in columns:

        def value(code: str, column: str = column) -> int:
            return figures.get((box_key(SUMMARY, code), column), 0)

        bf, new, resolved, cf = value(BROUGHT_FORWARD), value(NEW), value(RESOLVED), value(CARRIED_FORWARD)
        sum_ = bf + new - resolved
        if cf != sum_:
            fail(
                CARRIED_FORWARD_RULE,
                column,
                f"Carried forward is {cf}, but brought forward {bf} + new {new} − resolved {resolved} = {sum_}.",
                RESPONDED_BEFORE_MADE,
            )
        if sum_ < 0:
            fail(
                NOT_NEGATIVE_RULE,
                column,
                f"Brought forward {bf} + new {new} − resolved {resolved} = {sum_}: more resolved than were open.",
                RESPONDED_BEFORE_MADE,
            )
        outcomes = sum(value(code) for code in OUTCOMES)
        if resolved != outcomes:
            fail(
                RESOLVED_RULE,
                column,
                f"Resolved is {resolved}, but upheld {value(UPHELD)} + partially upheld {value(PARTIALLY_UPHELD)} "
                f"+ not upheld {value(NOT_UPHELD)} = {outcomes}.",
                RESOLVED_WITHOUT_OUTCOME,
            )
        for rule, key, cases_box, exactly in (
            (AGE_RULE, AGE, NO_AGE_BAND, True),
            (STATUS_RULE, STATUS, NO_STATUS, True),
            (SUBJECT_RULE, SUBJECT, NO_SUBJECT, False),
            (PROFESSION_RULE, PROFESSION, NO_PROFESSION, False),
        ):
            section = by_key.get(key)
            if section is None or not section.has_boxes:
                continue  # reported once below, as boxes without a value
            total = _sum(figures, section, column)
            if exactly and total != new:
                fail(
                    rule,
                    column,
                    f"The {section.title.lower()} boxes add up to {total}, but there are {new} new complaints.",
                    cases_box,
                )
            elif not exactly and total < new:
                fail(
                    rule,
                    column,
                    f"The {section.title.lower()} boxes add up to {total}, fewer than the {new} new complaints.",
                    cases_box,
                )
    for section in sections:
        if not section.has_boxes:
            fail(
                EVERY_BOX_RULE,
                ORGANISATION,
                f"Section {section.number} ({section.title}) has no boxes: no {section.title.lower()} list is "
                "loaded for this year or an earlier one (manage.py load_taxonomies).",
                box_key(SUMMARY, NEW),
            )
    without_site = figures.get((NO_SITE, ORGANISATION), 0)
    if without_site:
        fail(
            EVERY_BOX_RULE,
            ORGANISATION,
            f"{without_site} complaint{'s' if without_site != 1 else ''} counted in this period "
            f"{'have' if without_site != 1 else 'has'} no site, so no site's return holds "
            f"{'them' if without_site != 1 else 'it'}.",
            NO_SITE,
        )
    return failures


GAP_CHECKS = (NO_SERVICE_AREA, CLINICAL_WITHOUT_SUBCATEGORY)


def gaps(figures: Figures) -> list[tuple[str, int]]:
    """Gaps that pass the collection's checks but leave a box short: (check key, how many new complaints)."""
    return [(key, figures.get((key, ORGANISATION), 0)) for key in GAP_CHECKS if figures.get((key, ORGANISATION), 0)]
