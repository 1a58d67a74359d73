"""Generating a large trust for scale work: ten years of cases of every kind, reproducible from a seed.

`manage.py generate_cases --cases 1000000 --seed 8` fills an empty database with a trust (the demo's
divisions, sites and services), staff in proportion to the work, and that many cases received over
the ten years up to today: PALS concerns, complaints, compliments, enquiries and MP letters, more in
winter and on Mondays, fewer in August, at Christmas and at weekends, a little more each year. Each
case has its people (valid NHS numbers), consent where someone acts for the patient, its coded issues
with outcomes, gradings, agreed response dates, extensions and holds, escalations from PALS to
complaints, and a timeline of what happened (about ten entries for a complaint, four for a PALS
concern). Old cases are finished; recent ones are at every stage, so lists and clocks look like a
real Monday morning. The same seed and end date give the same rows, ids included.

Why it does not go through the services: they log one case at a time, each with its row locks,
reference allocation, audit events and search document, which is right for a caseworker but takes
tens of milliseconds a case (the benchmark's median for logging one through the API is about 75 ms),
so most of a day for a million with ten years of history each; and they stamp what they write with
the moment they run, where ten years of history needs its own dates. So the generator plans each case's life in
Python and writes the rows in bulk (COPY on PostgreSQL, batched INSERTs elsewhere), a few thousand
cases per transaction, with ids it allocates itself, so memory stays flat whatever the size.

What keeps the data valid without them: every clock date comes from the same pure rules the
services use (`deadlines.rules`, `deadlines.clocks.next_due_on`, the two working-day calendars from
the database); references follow the services' format and numbering per kind and year, and the
reference sequences are left where the next `open_case` continues from; codes come from the loaded
KO41a and HCAT lists and grades from the scheme in use; the database checks every constraint, and
every foreign key (row by row, or, for a superuser on PostgreSQL, with one anti-join per foreign key
after the load, which is a third quicker). The audit trail gets one event saying the generator made
this data, and the search documents are built from the finished rows. If a load is interrupted,
what was written so far stays: drop the database and start again.

`palsdesk/demo/tests/test_generate.py` checks the model validation, the clocks against
`deadlines.services.work_out_clocks`, the references and the reproducibility on a few hundred cases.
"""

import contextlib
import dataclasses
import datetime
import itertools
import operator
import random
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Role
from palsdesk.audit import services as audit
from palsdesk.cases import workflow
from palsdesk.cases.models import (
    REFERENCE_PREFIX,
    AcknowledgementMethod,
    Case,
    CaseLink,
    Channel,
    Kind,
    Outcome,
    ReferenceSequence,
    ResponseDueBasis,
    Status,
    TimelineEntry,
)
from palsdesk.coding import ko41a, outcomes
from palsdesk.coding.models import CaseIssue, Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.deadlines import clocks, rules
from palsdesk.deadlines.models import ClockHold, HoldReason, ResponseDateChange, ResponseTarget
from palsdesk.deadlines.selectors import current_calendars
from palsdesk.demo import content
from palsdesk.demo.content import ADULTS, BABIES, CHILDREN, MOTHERS, OLDER_PEOPLE, PATIENT, Summary
from palsdesk.grading.models import CaseGrading
from palsdesk.grading.selectors import current_scheme
from palsdesk.organisation.models import Division, Service, Site, Trust
from palsdesk.people.models import CaseParty, Consent, ContactMethod, PartyRole, Person, Relationship
from palsdesk.people.nhs_number import check_digit
from palsdesk.search import indexing

DEFAULT_SEED = 8
YEARS = 10
CASES_PER_TRANSACTION = 4_000
# Connections building the search documents at once: they are CPU-bound (English stemming).
SEARCH_WORKERS = 2
# Not the demo's ODS code (RX9): the demo and generated data are told apart by it.
TRUST_ODS_CODE = "RX8"
LONDON = zoneinfo.ZoneInfo("Europe/London")

# How a year's cases are spread: the share of each kind, and how busy each month and weekday is.
KIND_SHARES = {
    Kind.PALS_CONCERN: 0.57,
    Kind.COMPLAINT: 0.18,
    Kind.COMPLIMENT: 0.13,
    Kind.ENQUIRY: 0.10,
    Kind.MP_LETTER: 0.02,
}
# Winter pressure in January to March; the August dip; December quieter but for thank-you cards.
MONTH_BUSYNESS = {1: 1.14, 2: 1.07, 3: 1.06, 4: 0.96, 5: 0.97, 6: 0.97, 7: 0.98, 8: 0.85, 9: 1.0, 10: 1.04, 11: 1.05}
MONTH_BUSYNESS[12] = 0.90
WINTER_PALS_CONCERNS = {12: 1.1, 1: 1.2, 2: 1.15, 3: 1.05}
DECEMBER_COMPLIMENTS = 1.8
WEEKDAY_BUSYNESS = (1.3, 1.1, 1.05, 1.05, 0.95, 0.18, 0.1)
NON_WORKING_WEEKDAY_BUSYNESS = 0.2
GROWTH_A_YEAR = 0.04
# Staff in proportion to the work: a PALS officer handles about this many cases a year.
CASES_A_YEAR_PER_OFFICER = 1_200

# How often things happen to a case (each a share of the cases that reach that point).
ESCALATED_PALS_CONCERNS = 0.04
STAFF_COMPLAINANTS = 0.003
GRADED = 0.9
REGRADED = 0.04
AGREED_RESPONSE_DATE = 0.25
EXTENDED = 0.12
HELD = 0.08
DRAFT_RETURNED = 0.12
LATE_ACKNOWLEDGEMENT = 0.04
WITHDRAWN = 0.03
REOPENED = 0.03
# A few long-running complaints with very long timelines (meetings, reviews, the Ombudsman).
LONG_RUNNING = 0.002

_ENTRY = TimelineEntry.EntryKind


class GeneratorCannotRun(Exception):
    """The database is not one the generator may fill."""


@dataclasses.dataclass
class Generated:
    cases_by_kind: Counter
    rows: Counter
    seconds: float


# Writing rows in bulk.


class _Table:
    """Rows waiting to be written to one model's table, with the ids the generator gives them."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields if f.has_default() or f.null}
        # A column with neither a value nor a default is a KeyError here, not a half-written row.
        self.row_of = operator.itemgetter(*[f.attname for f in self.fields])
        self.pk = model._meta.pk.attname
        self.is_auto = isinstance(model._meta.pk, models.AutoField)
        self.first_id = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 if self.is_auto else None
        self.next_id = self.first_id
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, **values) -> int | None:
        if self.is_auto and self.pk not in values:  # a case's id is taken earlier, when its life is planned
            values[self.pk] = self.next_id
            self.next_id += 1
        self.rows.append(self.row_of({**self.defaults, **values}))
        return values.get(self.pk)

    def flush(self) -> None:
        if not self.rows:
            return
        meta, quote = self.model._meta, connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        if connection.vendor == "postgresql":
            # psycopg's own cursor, in Django's transaction.
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            rows = [
                tuple(f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row, strict=True))
                for row in self.rows
            ]
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        self.written += len(self.rows)
        self.rows.clear()


class _Tables:
    def __init__(self):
        self.case = _Table(Case)
        self.named_user = _Table(Case.named_users.through)
        self.person = _Table(Person)
        self.party = _Table(CaseParty)
        self.consent = _Table(Consent)
        self.entry = _Table(TimelineEntry)
        self.link = _Table(CaseLink)
        self.issue = _Table(CaseIssue)
        self.profession = _Table(CaseIssue.professions.through)
        self.grading = _Table(CaseGrading)
        self.date_change = _Table(ResponseDateChange)
        self.hold = _Table(ClockHold)
        # In the order foreign keys need them.
        self.all = [
            self.person,
            self.case,
            self.named_user,
            self.party,
            self.consent,
            self.entry,
            self.link,
            self.issue,
            self.profession,
            self.grading,
            self.date_change,
            self.hold,
        ]

    def flush(self) -> None:
        for table in self.all:
            table.flush()

    def written(self) -> Counter:
        return Counter({table.model._meta.label: table.written for table in self.all})


# The case as it is planned, before it becomes a row.


@dataclasses.dataclass
class _CaseRow:
    id: int
    kind: str
    channel: str
    received_on: datetime.date
    summary: Summary
    service: content.DemoService
    division_id: int
    site_id: int
    service_id: int
    created_by_id: int
    logged_at: datetime.datetime
    status: str = ""
    reference: str = ""
    account: str = ""
    outcome_wanted: str = ""
    event_on: datetime.date | None = None
    became_aware_on: datetime.date | None = None
    is_safeguarding: bool = False
    is_vulnerable_person: bool = False
    has_mp_interest: bool = False
    has_media_interest: bool = False
    is_staff_complainant: bool = False
    is_restricted: bool = False
    case_officer_id: int | None = None
    investigating_manager_id: int | None = None
    escalated_from_id: int | None = None
    clocks_start_on: datetime.date | None = None
    acknowledgement_due_on: datetime.date | None = None
    acknowledged_on: datetime.date | None = None
    acknowledgement_method: str = ""
    response_due_on: datetime.date | None = None
    response_due_basis: str = ResponseDueBasis.TARGET
    response_clock_from: datetime.date | None = None
    response_target_working_days: int | None = None
    held_working_days: int = 0
    on_hold_since: datetime.date | None = None
    responded_on: datetime.date | None = None
    long_stop_on: datetime.date | None = None
    delay_letter_sent_on: datetime.date | None = None
    time_limit_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    next_due_on: datetime.date | None = None
    reopened_count: int = 0
    grade_id: int | None = None
    outcome: str = ""
    version: int = 1
    modified_by_id: int | None = None
    modified_at: datetime.datetime | None = None
    # Not columns: what the plan needs as it goes.
    agreements: list = dataclasses.field(default_factory=list)
    last_at: datetime.datetime | None = None
    contact_name: str = ""
    issue_ids: list = dataclasses.field(default_factory=list)
    issue_aspects: list = dataclasses.field(default_factory=list)
    people: list = dataclasses.field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.RESOLVED, Status.ESCALATED, Status.CLOSED, Status.WITHDRAWN)

    @property
    def complaint_made_on(self) -> datetime.date:
        return self.clocks_start_on or self.received_on


class _Staff:
    def __init__(self, *, officers: dict, investigators: dict, coordinators: list, volunteers: list, names: dict):
        self.officers = officers  # division code: [user id]
        self.investigators = investigators  # division code: [user id]
        self.coordinators = coordinators
        self.volunteers = volunteers
        self.names = names  # user id: "Priya Shah"


@dataclasses.dataclass
class _Codes:
    by_slug: dict  # (collection year, taxonomy kind, slug): code id
    years: list
    hcat_edition: str | None
    local_subjects: dict  # name: (id, national subject slug)


# Words the generator adds to the demo's, so that ten years of cases do not read the same.
ACCOUNT_OPENINGS = [
    "{who} attended {service} on {weekday} {date}.",
    "On {weekday} {date} {who_lower} was seen in {service}.",
    "{who} was an inpatient under {service} from {date}.",
    "We were at {site} on {weekday} {date} for {service}.",
    "{who} had an appointment with {service} at {site} on {date}.",
]
ACCOUNT_DETAILS = [
    "Nobody explained what was happening or how long it would take.",
    "The staff were kind but clearly very stretched; there seemed to be two nurses for the whole bay.",
    "We asked several times to speak to a doctor and were told someone would come, but nobody did.",
    "The letter we were sent had the wrong date on it, so we missed the first appointment.",
    "Medication was not given at the right times, and the charts did not match what we were told.",
    "When we raised it with the nurse in charge, {staff} said it was not her responsibility.",
    "The discharge letter did not reach the GP for over two weeks.",
    "It took eleven phone calls over three days to get any answer from the department.",
    "The ward was noisy all night and the lights were left on until 2am.",
    "Dr {staff} apologised at the time, but nothing seems to have changed since.",
    "The family had to chase the results themselves; they had been sitting on the system for a month.",
    "Food was left out of reach and cleared away again untouched.",
]
NOTE_DETAILS = [
    "Spoke to {staff} on the ward; the notes confirm the times the family gave.",
    "Emailed {staff} for a statement by {date}.",
    "Checked the observations chart with {staff}: obs were recorded four-hourly, not hourly as planned.",
    "Rota for {date} shows one healthcare assistant off sick and not replaced.",
    "{staff} has agreed to meet the family if they would like that.",
    "Datix incident found for {date}, reviewed with the matron.",
    "The appointment system shows the booking was cancelled by the department on {date}.",
]
STAFF_TITLES = ["Sister", "Dr", "Nurse", "Mr", "Ms", "Matron"]
# Surnames beyond the demo's sixty: a trust's million patients do not share sixty names. With the demo's
# first, the nth is drawn in proportion to 1 / (n + 20): Smith for 1.7% of people and the rarest 0.1%, as in England.
MORE_SURNAMES = """
Allen Anderson Armstrong Atkinson Bailey Ball Barker Bates Bell Bennett Berry Bird Bishop Black Bolton Bond Booth
Bradley Brooks Bryant Burgess Burns Burton Butler Carr Carter Chambers Clark Cole Collins Cook Cox Crawford Cunningham
Dale Daniels Davidson Dawson Day Dean Dixon Doyle Duncan Dunn Elliott Ellis Farrell Ferguson Field Fisher Ford Foster
Fox Francis Gardner George Gibson Gilbert Gill Goodwin Gordon Graham Grant Gray Griffiths Hamilton Hardy Harper
Harris Hart Harvey Hayes Henderson Hewitt Hicks Hodgson Holland Holt Hopkins Houghton Howard Howe Hudson Hunt
Hunter Jackson James Jenkins Johnston Jordan Kay Kennedy Kent King Knight Lamb Lane Lawrence Lloyd Lord Lowe Lucas
Marsh Marshall Martin Mason Matthews May Mills Mitchell Morris Morrison Moss Murray Newman Nicholson Norris Owen
Page Palmer Parker Parry Parsons Payne Pearce Pearson Perkins Perry Phillips Pollard Porter Powell Preston Quinn
Reed Rees Reid Reynolds Rhodes Richards Richardson Riley Robertson Rogers Rose Ross Russell Ryan Saunders Scott Sharp
Shaw Simpson Slater Spencer Stevens Stone Sutton Swift Thomas Thomson Todd Townsend Tucker Walsh Walton Warren Watson
Watts Webb Welch Wells West Wheeler Whitehead Wilkinson Williamson Willis Woods Woodward Wyatt Young Adeyemi Akhtar
Asante Banerjee Bhatt Bibi Boateng Chaudhry Chen Das Desai Dhillon Ferreira Gomes Gonzalez Haque Igwe Iqbal Islam
Jankowski Joshi Kamara Kapoor Khalid Kumar Lewandowski Lin Mahmood Malik Mehta Miah Mistry Mohamed Nair Nguyen
Nwosu Obi Odhiambo Oliveira Osei Owusu Popescu Qureshi Rahman Rashid Sandhu Santos Sharma Silva Sohal Sultana
Tiwari Uddin Varga Wang Wisniewski Wojcik Yilmaz Zielinski
""".split()  # noqa: SIM905 (a list of 240 quoted words reads worse)
EXTRA_LONG_RUNNING_NOTES = [
    "Independent review requested from a consultant at a neighbouring trust.",
    "Family sent a further list of questions; added to the investigation.",
    "Meeting held with the family, the consultant and the matron; notes sent to the family.",
    "Parliamentary and Health Service Ombudsman asked for the complaint file.",
    "Action plan from the investigation shared with the divisional governance meeting.",
    "Chased the investigating manager for the outstanding statements.",
    "Family rang upset at the delay; apologised and gave a new date.",
]


class _Planner:
    """Plans each case's life from the seed and turns it into rows."""

    def __init__(self, *, rng: random.Random, until: datetime.date, tables: _Tables, staff: _Staff, orgs: dict):
        self.rng = rng
        self.until = until
        self.tables = tables
        self.staff = staff
        self.orgs = orgs  # "division", "site", "service": {code: id}
        calendars = current_calendars()
        self.statutory, self.trust = calendars.statutory, calendars.trust
        self.targets = dict(ResponseTarget.objects.values_list("kind", "working_days"))
        scheme = current_scheme()
        self.scheme_id = scheme.pk if scheme is not None and scheme.is_matrix else None
        self.grades = (
            [(g.pk, g.min_score, g.max_score, g.response_working_days) for g in scheme.grades.all() if g.min_score]
            if self.scheme_id
            else []
        )
        self.codes = _codes()
        self.hold_reasons = list(HoldReason.objects.active().order_by("pk").values_list("pk", "name"))
        self.numbers: dict[tuple[str, int], int] = dict(
            ((kind, year), number)
            for kind, year, number in ReferenceSequence.objects.values_list("kind", "year", "last_number")
        )
        self.cases_by_kind = Counter()

    # Dates and times.

    def _wd(self, day: datetime.date, n: int) -> datetime.date:
        return self.trust.add_working_days(day, n)

    def _at(self, row: _CaseRow, day: datetime.date) -> datetime.datetime:
        """A time in the working day, after the case's last entry."""
        at = datetime.datetime.combine(
            day, datetime.time(8 + self.rng.randrange(9), self.rng.randrange(60)), tzinfo=LONDON
        ).astimezone(datetime.UTC)
        if row.last_at is not None and at <= row.last_at:
            at = row.last_at + datetime.timedelta(minutes=1 + self.rng.randrange(40))
        row.last_at = at
        return at

    def _happens(self, day: datetime.date) -> bool:
        return day <= self.until

    # Words.

    def _staff_name(self) -> str:
        return f"{self.rng.choice(STAFF_TITLES)} {self.rng.choice(content.SURNAMES)}"

    def _fill(self, text: str, row: _CaseRow, day: datetime.date) -> str:
        return text.format(
            staff=self._staff_name(),
            date=f"{day.day} {day:%B}",
            service=row.service.name,
        )

    # Rows.

    def _entry(self, row: _CaseRow, day: datetime.date, kind: str, body: str, by: int, **more) -> None:
        at = more.get("at") or self._at(row, day)
        self.tables.entry.add(
            case_id=row.id,
            kind=kind,
            occurred_at=at,
            body=body,
            direction=more.get("direction", ""),
            contact=more.get("contact", ""),
            created_at=at,
            created_by_id=by,
            modified_at=at,
            modified_by_id=by,
        )
        row.modified_at, row.modified_by_id = at, by

    def _move(self, row: _CaseRow, day: datetime.date, to: str, by: int, *, label: str, reason: str = "") -> None:
        before = Status(row.status).label
        row.status = to
        row.version += 1
        body = f"{label}: {before} → {Status(to).label}."
        self._entry(row, day, _ENTRY.STATUS_CHANGE, body + (f" Reason: {reason}" if reason else ""), by)

    def _reference(self, kind: str, year: int) -> str:
        number = self.numbers.get((kind, year), 0) + 1
        self.numbers[(kind, year)] = number
        return f"{REFERENCE_PREFIX[Kind(kind)]}-{year}-{number:05d}"

    def _work_out_clocks(self, row: _CaseRow) -> None:
        """deadlines.services.work_out_clocks, over the planned row, with the calendars and targets fetched once."""
        if row.kind in workflow.ACKNOWLEDGED_KINDS:
            row.acknowledgement_due_on = rules.acknowledgement_due_on(self.statutory, row.complaint_made_on)
        if row.response_due_basis == ResponseDueBasis.TARGET:
            row.response_clock_from = row.response_clock_from or row.complaint_made_on
            if row.response_target_working_days is None:
                row.response_target_working_days = self._target(row)
            if row.response_target_working_days:
                row.response_due_on = rules.response_due_on(
                    self.trust, row.response_clock_from, row.response_target_working_days + row.held_working_days
                )
            else:
                row.response_due_on = None
        if row.kind == Kind.COMPLAINT:
            row.time_limit_on = rules.time_limit_on(row.event_on, row.became_aware_on)
            if row.reopened_count:
                row.long_stop_on = None
            else:
                agreements = row.agreements if row.response_due_basis != ResponseDueBasis.TARGET else []
                row.long_stop_on = rules.long_stop_on(row.complaint_made_on, agreements=agreements)
        row.next_due_on = clocks.next_due_on(row)

    def _target(self, row: _CaseRow) -> int | None:
        if row.grade_id is not None:
            return next(days for pk, _, _, days in self.grades if pk == row.grade_id)
        return self.targets.get(row.kind)

    def _write_case(self, row: _CaseRow) -> None:
        row.next_due_on = clocks.next_due_on(row)
        # The table takes its columns from the planned row and leaves the rest.
        self.tables.case.add(
            **vars(row)
            | {
                "summary": row.summary.text,
                "created_at": row.logged_at,
                "modified_at": row.modified_at or row.logged_at,
                "modified_by_id": row.modified_by_id or row.created_by_id,
            }
        )
        self.cases_by_kind[row.kind] += 1

    # People.

    def _nhs_number(self) -> str:
        while True:
            first_nine = f"{self.rng.randrange(400_000_000, 999_999_999):09d}"
            check = check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def _person(self, row: _CaseRow, *, is_woman: bool, born_on: datetime.date | None, surname: str, **more) -> int:
        names = content.WOMEN if is_woman else content.MEN
        if born_on and (row.received_on - born_on).days < 18 * 365:
            names = content.GIRLS if is_woman else content.BOYS
        first_name = self.rng.choice(names)
        town, outward = self.rng.choice(content.TOWNS)
        at = row.logged_at
        return self.tables.person.add(
            title=more.get("title", ""),
            first_name=first_name,
            last_name=surname,
            date_of_birth=born_on,
            date_of_death=more.get("date_of_death"),
            nhs_number=more.get("nhs_number", ""),
            address_line_1=f"{self.rng.randrange(1, 180)} {self.rng.choice(content.STREETS)}",
            address_line_2="",
            town=town,
            postcode=f"{outward} {self.rng.randrange(1, 10)}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            phone=f"07700 900{self.rng.randrange(1000):03d}",  # Ofcom's drama range
            email=f"{first_name}.{surname}{self.rng.randrange(100)}@example.com".lower().replace("'", ""),
            preferred_contact_method=self.rng.choice(ContactMethod.values),
            interpreter_language=self.rng.choice(content.INTERPRETER_LANGUAGES) if self.rng.random() < 0.03 else "",
            communication_notes=self.rng.choice(content.COMMUNICATION_NOTES) if self.rng.random() < 0.04 else "",
            created_at=at,
            created_by_id=row.created_by_id,
            modified_at=at,
            modified_by_id=row.created_by_id,
        )

    def _party(self, row: _CaseRow, person_id: int, role: str, *, relationship: str = "", main: bool = False) -> None:
        self.tables.party.add(
            case_id=row.id,
            person_id=person_id,
            role=role,
            relationship_to_patient=relationship,
            is_main_contact=main,
            created_at=row.logged_at,
            created_by_id=row.created_by_id,
            modified_at=row.logged_at,
            modified_by_id=row.created_by_id,
        )

    def _people(self, row: _CaseRow) -> list[tuple[int, str, str, bool]]:
        """The patient and whoever raised the case: (person id, role, relationship, is main contact) for each party."""
        rng, summary = self.rng, row.summary
        is_woman = summary.patient_is_woman if summary.patient_is_woman is not None else rng.random() < 0.55
        patients = row.service.patients
        if patients == MOTHERS:
            is_woman = True
        age = {
            ADULTS: rng.randint(18, 88),
            OLDER_PEOPLE: rng.randint(68, 99),
            CHILDREN: rng.randint(1, 15),
            BABIES: 0,
            MOTHERS: rng.randint(18, 44),
        }[patients]
        born_on = row.received_on - datetime.timedelta(days=age * 365 + rng.randrange(365 if age else 200))
        raised_by = summary.raised_by or (
            Relationship.PARENT
            if patients in (CHILDREN, BABIES)
            else rng.choice([PATIENT, PATIENT, PATIENT, Relationship.CHILD, Relationship.SPOUSE])
        )
        if patients in (CHILDREN, BABIES):
            raised_by = Relationship.PARENT
        surname = _surname(rng)
        title = "" if age < 18 else ("Mrs" if is_woman and rng.random() < 0.6 else "Ms" if is_woman else "Mr")
        died = summary.patient_has_died
        patient = self._person(
            row,
            is_woman=is_woman,
            born_on=born_on,
            surname=surname,
            title=title,
            nhs_number=self._nhs_number() if rng.random() < 0.85 else "",
            date_of_death=row.received_on - datetime.timedelta(days=rng.randrange(5, 60)) if died else None,
        )
        if row.kind == Kind.MP_LETTER:
            mp_title, mp_first, mp_last, constituency = rng.choice(content.MPS)
            at = row.logged_at
            mp = self.tables.person.add(
                title=mp_title,
                first_name=mp_first,
                last_name=mp_last,
                address_line_1=content.MP_OFFICE[0],
                town=content.MP_OFFICE[1],
                postcode=content.MP_OFFICE[2],
                email=f"{mp_first}.{mp_last}.mp@parliament.example".lower(),
                communication_notes=f"Member of Parliament for {constituency}.",
                created_at=at,
                created_by_id=row.created_by_id,
                modified_at=at,
                modified_by_id=row.created_by_id,
                **_EMPTY_PERSON,
            )
            row.contact_name = f"{mp_title} {mp_last} MP"
            return [(patient, PartyRole.PATIENT, "", False), (mp, PartyRole.REPRESENTATIVE, Relationship.MP, True)]
        if raised_by == PATIENT:
            row.contact_name = f"{title or 'Mx'} {surname}"
            return [(patient, PartyRole.PATIENT, "", False), (patient, PartyRole.COMPLAINANT, "", True)]
        relative_is_woman = rng.random() < 0.65
        relative_surname = surname if rng.random() < 0.8 else _surname(rng)
        relative_title = "Mrs" if relative_is_woman else "Mr"
        relative = self._person(
            row, is_woman=relative_is_woman, born_on=None, surname=relative_surname, title=relative_title
        )
        row.contact_name = f"{relative_title} {relative_surname}"
        return [(patient, PartyRole.PATIENT, "", False), (relative, PartyRole.REPRESENTATIVE, raised_by, True)]

    def _consent(self, row: _CaseRow, parties, acting_reason: str) -> None:
        if not any(role == PartyRole.REPRESENTATIVE for _, role, _, _ in parties):
            return
        status = (
            Consent.Status.NOT_NEEDED
            if acting_reason
            else self.rng.choice([Consent.Status.RECEIVED, Consent.Status.RECEIVED, Consent.Status.REQUESTED])
        )
        on = row.received_on + datetime.timedelta(days=self.rng.randrange(0, 10))
        self.tables.consent.add(
            case_id=row.id,
            status=status,
            status_on=min(on, self.until),
            evidence="Signed consent form on file." if status == Consent.Status.RECEIVED else "",
            acting_reason=acting_reason,
            created_at=row.logged_at,
            created_by_id=row.created_by_id,
            modified_at=row.logged_at,
            modified_by_id=row.created_by_id,
        )

    # Coding.

    def _code(self, row: _CaseRow, kind: str, slug: str) -> int | None:
        if not slug:
            return None
        year = ko41a.coding_year(ko41a.collection_year(row.received_on), self.codes.years)
        return self.codes.by_slug.get((year, kind, slug))

    def _add_issues(self, row: _CaseRow, day: datetime.date, by: int) -> None:
        coding = content.CODING.get(row.summary.text)
        if coding is None or row.issue_ids:
            return
        formal = row.kind in (Kind.COMPLAINT, Kind.MP_LETTER)
        aspects = [coding.aspects[0]] + [a for a in coding.aspects[1:] if formal and self.rng.random() < 0.75]
        at = self._at(row, day)
        for number, aspect in enumerate(aspects, start=1):
            subject = self._code(row, TaxonomyKind.SUBJECT, aspect.subject)
            if subject is None:
                continue
            clinical = aspect.subject == ko41a.CLINICAL_TREATMENT
            local = self.codes.local_subjects.get(aspect.local_subject)
            hcat = aspect.hcat if formal and self.codes.hcat_edition and self.rng.random() < 0.65 else None
            hcat_category = (
                self.codes.by_slug.get((self.codes.hcat_edition, TaxonomyKind.HCAT_CATEGORY, hcat[0])) if hcat else None
            )
            issue_id = self.tables.issue.add(
                case_id=row.id,
                order=number,
                description=aspect.description,
                subject_id=subject,
                clinical_subcategory_id=self._code(
                    row,
                    TaxonomyKind.CLINICAL_SUBCATEGORY,
                    (aspect.clinical_subcategory or content.CLINICAL_GROUPS[row.service.code]) if clinical else "",
                ),
                local_subject_id=local[0] if local and local[1] == aspect.subject else None,
                service_area_id=self._code(
                    row, TaxonomyKind.SERVICE_AREA, aspect.service_area or content.SERVICE_AREAS[row.service.code]
                ),
                hcat_category_id=hcat_category,
                hcat_severity=hcat[1] if hcat_category else None,
                hcat_harm=hcat[2] if hcat_category else None,
                outcome="",
                not_investigated_reason="",
                created_at=at,
                created_by_id=by,
                modified_at=at,
                modified_by_id=by,
            )
            professions = aspect.professions or ((content.NURSING,) if row.kind == Kind.COMPLAINT else ())
            for slug in professions:
                profession = self._code(row, TaxonomyKind.PROFESSION, slug)
                if profession is not None:
                    self.tables.profession.add(caseissue_id=issue_id, code_id=profession)
            row.issue_ids.append(issue_id)
            row.issue_aspects.append(aspect)
        if row.issue_ids:
            self._entry(row, day, _ENTRY.CODING, f"{len(row.issue_ids)} issue(s) coded for KO41a.", by)

    def _record_outcomes(self, row: _CaseRow, day: datetime.date, by: int) -> None:
        """Each issue's outcome, rewritten into the issue rows still waiting to be written; the case's derived."""
        if not row.issue_ids:
            return
        by_id = {}
        for aspect in row.issue_aspects:
            if aspect.not_investigated_reason:
                by_id[len(by_id)] = (Outcome.NOT_INVESTIGATED, aspect.not_investigated_reason)
            else:
                pick = self.rng.random()
                outcome = (
                    Outcome.UPHELD if pick < 0.3 else Outcome.PARTIALLY_UPHELD if pick < 0.55 else Outcome.NOT_UPHELD
                )
                by_id[len(by_id)] = (outcome, "")
        table = self.tables.issue
        fields = [f.attname for f in table.fields]
        at_outcome, at_reason = fields.index("outcome"), fields.index("not_investigated_reason")
        at_modified = fields.index("modified_at")
        first = len(table.rows) - len(row.issue_ids)
        when = self._at(row, day)
        for offset in range(len(row.issue_ids)):
            issue = list(table.rows[first + offset])
            issue[at_outcome], issue[at_reason] = by_id[offset]
            issue[at_modified] = when
            table.rows[first + offset] = tuple(issue)
        row.outcome = outcomes.case_outcome(outcome for outcome, _ in by_id.values())
        self._entry(row, day, _ENTRY.CODING, f"Outcomes recorded: case {Outcome(row.outcome).label.lower()}.", by)

    # Grading, agreed dates, holds.

    def _grade(self, row: _CaseRow, day: datetime.date, *, consequence: int, rationale: str) -> None:
        likelihood = self.rng.choice([1, 2, 2, 3, 3, 4])
        score = consequence * likelihood
        grade = next(((pk, days) for pk, low, high, days in self.grades if low <= score <= high), None)
        if grade is None:
            return
        by = self.rng.choice(self.staff.coordinators)
        at = self._at(row, day)
        self.tables.grading.add(
            case_id=row.id,
            scheme_id=self.scheme_id,
            consequence=consequence,
            likelihood=likelihood,
            score=score,
            grade_id=grade[0],
            rationale=rationale,
            graded_by_id=by,
            graded_at=at,
        )
        row.grade_id = grade[0]
        row.version += 1
        if row.response_due_basis == ResponseDueBasis.TARGET:
            row.response_target_working_days = grade[1]
            self._work_out_clocks(row)
        self._entry(
            row, day, _ENTRY.GRADING, f"Graded: consequence {consequence} × likelihood {likelihood} = {score}.", by
        )

    def _agree(self, row: _CaseRow, day: datetime.date, due_on: datetime.date, by: int, *, extension: bool) -> None:
        previous = row.response_due_on
        how = self.rng.choice(content.AGREED_HOW)
        reason = self.rng.choice(content.EXTENSION_REASONS) if extension else ""
        at = self._at(row, day)
        self.tables.date_change.add(
            case_id=row.id,
            kind=ResponseDateChange.Kind.EXTENSION if extension else ResponseDateChange.Kind.AGREED,
            previous_due_on=previous,
            new_due_on=due_on,
            reason=reason,
            agreed_with=f"{row.contact_name}, {how}",
            agreed_on=day,
            is_late=False,
            late_reason="",
            recorded_by_id=by,
            recorded_at=at,
        )
        row.agreements.append((day, due_on))
        row.response_due_on = due_on
        row.response_due_basis = ResponseDueBasis.EXTENDED if extension else ResponseDueBasis.AGREED
        row.version += 1
        self._work_out_clocks(row)
        what = "Response date extended" if extension else "Response date agreed"
        body = f"{what} to {due_on:%-d %B %Y} with {row.contact_name}, {how} (was {previous:%-d %B %Y})."
        self._entry(row, day, _ENTRY.DEADLINE, body + (f" Reason: {reason}" if reason else ""), by)

    def _hold(self, row: _CaseRow, start: datetime.date, end: datetime.date | None, by: int) -> None:
        reason_id, reason_name = self.rng.choice(self.hold_reasons)
        held = max(self.trust.working_days_between(start, end), 0) if end else None
        self.tables.hold.add(
            case_id=row.id,
            reason_id=reason_id,
            note="",
            started_on=start,
            ended_on=end,
            working_days_held=held,
            started_by_id=by,
            ended_by_id=by if end else None,
        )
        self._entry(row, start, _ENTRY.DEADLINE, f"Response clock on hold from {start:%-d %B %Y}: {reason_name}.", by)
        row.version += 2 if end else 1
        if end is None:
            row.on_hold_since = start
            row.next_due_on = clocks.next_due_on(row)
            return
        row.held_working_days += held
        self._work_out_clocks(row)
        self._entry(row, end, _ENTRY.DEADLINE, f"Hold ended on {end:%-d %B %Y} after {held} working days.", by)

    # A case's life.

    def new_case(self, kind: str, day: datetime.date, *, escalated_from: _CaseRow | None = None) -> _CaseRow:
        rng = self.rng
        if escalated_from is not None:
            summary, service = escalated_from.summary, escalated_from.service
        else:
            summary = rng.choice(_SUMMARIES[kind])
            service = _SERVICES[summary.service]
        officers = self.staff.officers[service.division]
        logger = rng.choice(self.staff.volunteers) if kind == Kind.PALS_CONCERN and rng.random() < 0.05 else None
        created_by = logger or rng.choice(officers)
        row = _CaseRow(
            id=self.tables.case.next_id,
            kind=kind,
            channel=_channel(rng, kind),
            received_on=day,
            summary=summary,
            service=service,
            division_id=self.orgs["division"][service.division],
            site_id=self.orgs["site"][rng.choice(service.sites)],
            service_id=self.orgs["service"][service.code],
            created_by_id=created_by,
            logged_at=datetime.datetime.combine(
                day, datetime.time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=LONDON
            ).astimezone(datetime.UTC),
            status=workflow.INITIAL_STATUS[Kind(kind)],
        )
        self.tables.case.next_id += 1
        row.reference = self._reference(kind, day.year)
        return row

    def plan(self, kind: str, day: datetime.date, *, room: int) -> int:
        """Plan and write one case received on `day` (and any complaint it is escalated to); returns how many."""
        row = self.new_case(kind, day)
        self._open(row)
        if kind == Kind.PALS_CONCERN:
            escalated = self._pals_concern(row, may_escalate=room > 1)
            self._write_case(row)
            if escalated is not None:
                self._escalation(row, escalated)
                return 2
            return 1
        {
            Kind.COMPLAINT: self._formal,
            Kind.MP_LETTER: self._formal,
            Kind.COMPLIMENT: self._compliment,
            Kind.ENQUIRY: self._enquiry,
        }[kind](row)
        self._write_case(row)
        return 1

    def _open(self, row: _CaseRow, *, people=None) -> None:
        rng = self.rng
        summary = row.summary
        day = row.received_on
        row.account = self._account(row) if row.kind != Kind.ENQUIRY else ""
        if row.kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            row.outcome_wanted = rng.choice(content.OUTCOMES_WANTED)
        elif row.kind == Kind.PALS_CONCERN:
            row.outcome_wanted = rng.choice(content.PALS_OUTCOMES_WANTED)
        if row.escalated_from_id is None:
            if row.kind == Kind.COMPLAINT:
                row.event_on = day - datetime.timedelta(days=rng.randrange(1, 90))
                aware = row.event_on if rng.random() < 0.9 else row.event_on + datetime.timedelta(days=7)
                row.became_aware_on = min(aware, day)
            row.is_safeguarding = rng.random() < 0.01
            row.is_vulnerable_person = rng.random() < 0.06
            row.has_media_interest = row.kind == Kind.COMPLAINT and rng.random() < 0.005
            row.is_staff_complainant = row.kind in (Kind.COMPLAINT, Kind.PALS_CONCERN) and (
                rng.random() < STAFF_COMPLAINANTS
            )
            if row.kind != Kind.ENQUIRY and rng.random() < 0.7:
                row.case_officer_id = rng.choice(self.staff.officers[row.service.division])
        row.has_mp_interest = row.has_mp_interest or row.channel == Channel.VIA_MP or row.kind == Kind.MP_LETTER
        row.is_restricted = row.is_staff_complainant
        self._work_out_clocks(row)
        if people is None:
            channel = Channel(row.channel).label
            logged = f"{Kind(row.kind).label} logged ({channel[:1].lower()}{channel[1:]})."
            self._entry(row, day, _ENTRY.CREATED, logged, row.created_by_id, at=row.logged_at)
            row.last_at = row.logged_at
            people = self._people(row)
        acting = (
            Consent.ActingReason.DECEASED
            if summary.patient_has_died
            else Consent.ActingReason.CHILD
            if row.service.patients in (CHILDREN, BABIES)
            else ""
        )
        self._consent(row, people, acting)
        for person_id, role, relationship, main in people:
            self._party(row, person_id, role, relationship=relationship, main=main)
        self._entry(row, day, _ENTRY.PEOPLE, f"{row.contact_name} added.", row.created_by_id)
        row.people = people
        if row.is_restricted:
            for user_id in dict.fromkeys(u for u in (row.created_by_id, row.case_officer_id) if u):
                self.tables.named_user.add(case_id=row.id, user_id=user_id)

    def _account(self, row: _CaseRow) -> str:
        rng = self.rng
        day = row.received_on - datetime.timedelta(days=rng.randrange(1, 20))
        who = (
            "My husband"
            if row.summary.raised_by == content.SPOUSE
            else "My mother"
            if row.summary.raised_by == content.CHILD
            else "I"
        )
        opening = rng.choice(ACCOUNT_OPENINGS).format(
            who=who,
            who_lower=who[0].lower() + who[1:] if who != "I" else "I",
            service=row.service.name,
            weekday=f"{day:%A}",
            date=f"{day.day} {day:%B}",
            site=_SITE_NAMES[rng.choice(row.service.sites)],
        )
        details = (
            []
            if row.kind == Kind.COMPLIMENT
            else [self._fill(text, row, day) for text in rng.sample(ACCOUNT_DETAILS, rng.randint(1, 3))]
        )
        return " ".join([opening, row.summary.account, *details]).replace("  ", " ").strip()

    def _pals_concern(self, row: _CaseRow, *, may_escalate: bool) -> datetime.date | None:
        """Calls to the service and back to the person; resolved in days, or escalated. The escalation day if so."""
        rng = self.rng
        officer = row.case_officer_id or rng.choice(self.staff.officers[row.service.division])
        day = self._wd(row.received_on, rng.randint(0, 2))
        if not self._happens(day):
            return None
        contact, said = rng.choice(content.PALS_CALLS_TO_SERVICE)
        self._entry(
            row, day, _ENTRY.CALL, said, officer, direction="out", contact=contact.format(service=row.service.name)
        )
        if rng.random() < 0.3:
            day = self._wd(day, rng.randint(1, 4))
            if not self._happens(day):
                return None
            self._entry(
                row, day, _ENTRY.NOTE, self._fill(rng.choice(content.PALS_CHASES + NOTE_DETAILS), row, day), officer
            )
        day = self._wd(day, rng.randint(1, 8))
        if not self._happens(day):
            return None
        if may_escalate and rng.random() < ESCALATED_PALS_CONCERNS:
            return day
        self._entry(
            row,
            day,
            _ENTRY.CALL,
            rng.choice(content.PALS_CALLS_TO_COMPLAINANT),
            officer,
            direction="out",
            contact=row.contact_name,
        )
        self._add_issues(row, day, officer)
        self._move(row, day, Status.RESOLVED, officer, label="Mark as resolved")
        row.closed_on = day
        row.next_due_on = None
        return None

    def _escalation(self, concern: _CaseRow, day: datetime.date) -> None:
        """escalate_to_complaint: a linked complaint keeping the concern's received date, people and consent."""
        rng = self.rng
        officer = concern.case_officer_id or rng.choice(self.staff.officers[concern.service.division])
        complaint = self.new_case(Kind.COMPLAINT, concern.received_on, escalated_from=concern)
        complaint.logged_at = self._at(concern, day)
        complaint.last_at = complaint.logged_at
        complaint.created_by_id = officer
        complaint.channel = concern.channel
        complaint.escalated_from_id = concern.id
        complaint.clocks_start_on = day if day != concern.received_on else None
        complaint.case_officer_id = concern.case_officer_id
        complaint.contact_name = concern.contact_name
        for flag in ("is_safeguarding", "is_vulnerable_person", "has_mp_interest", "has_media_interest"):
            setattr(complaint, flag, getattr(concern, flag))
        complaint.is_staff_complainant = concern.is_staff_complainant
        self._entry(
            complaint,
            day,
            _ENTRY.CREATED,
            f"Complaint opened by escalating PALS concern {concern.reference}. Reason: {content.ESCALATION_REASON}",
            officer,
        )
        self._open(complaint, people=concern.people)
        self.tables.link.add(
            from_case_id=concern.id,
            to_case_id=complaint.id,
            reason="Escalated to a formal complaint",
            created_at=complaint.logged_at,
            created_by_id=officer,
            modified_at=complaint.logged_at,
            modified_by_id=officer,
        )
        # The concern's row is already queued: its escalation is written into it there.
        self._formal(complaint)
        self._write_case(complaint)
        self._finish_escalated_concern(concern, day, complaint, officer)

    def _finish_escalated_concern(self, concern: _CaseRow, day: datetime.date, complaint: _CaseRow, by: int) -> None:
        table = self.tables.case
        fields = [f.attname for f in table.fields]
        index = next(i for i in range(len(table.rows) - 1, -1, -1) if table.rows[i][fields.index("id")] == concern.id)
        values = dict(zip(fields, table.rows[index], strict=True))
        values.update(status=Status.ESCALATED, closed_on=day, next_due_on=None, version=values["version"] + 1)
        at = self._at(concern, day)
        values.update(modified_at=at, modified_by_id=by)
        table.rows[index] = tuple(values[name] for name in fields)
        self.tables.entry.add(
            case_id=concern.id,
            kind=_ENTRY.ESCALATION,
            occurred_at=at,
            body=f"Escalated to formal complaint {complaint.reference}. Reason: {content.ESCALATION_REASON}",
            direction="",
            contact="",
            created_at=at,
            created_by_id=by,
            modified_at=at,
            modified_by_id=by,
        )

    def _compliment(self, row: _CaseRow) -> None:
        rng = self.rng
        officer = row.case_officer_id or rng.choice(self.staff.officers[row.service.division])
        day = self._wd(row.received_on, rng.randint(1, 10))
        if not self._happens(day):
            return
        self._entry(row, day, _ENTRY.NOTE, rng.choice(content.COMPLIMENT_NOTES), officer)
        self._add_issues(row, day, officer)
        self._move(row, day, Status.CLOSED, officer, label="Close (thanks sent and shared with staff)")
        row.closed_on = day

    def _enquiry(self, row: _CaseRow) -> None:
        rng = self.rng
        officer = rng.choice(self.staff.officers[row.service.division])
        day = self._wd(row.received_on, rng.randint(0, 4))
        if not self._happens(day):
            return
        self._entry(
            row,
            day,
            _ENTRY.CALL,
            rng.choice(content.ENQUIRY_ANSWERS),
            officer,
            direction="out",
            contact=row.contact_name,
        )
        self._move(row, day, Status.RESOLVED, officer, label="Mark as answered")
        row.closed_on = day

    def _formal(self, row: _CaseRow) -> None:
        """A complaint or MP letter: graded, acknowledged, investigated, answered and closed, as far as time allows."""
        rng = self.rng
        division = row.service.division
        officer = row.case_officer_id or rng.choice(self.staff.officers[division])
        row.case_officer_id = officer
        investigator = rng.choice(self.staff.investigators[division])
        start = row.complaint_made_on
        coding = content.CODING.get(row.summary.text)
        # Graded within a couple of days by a co-ordinator (complaints and MP letters: grading.GRADED_KINDS).
        day = self._wd(start, rng.randint(0, 2))
        if not self._happens(day):
            return
        if self.grades and rng.random() < GRADED:
            consequence = max(
                1, min(5, (coding.consequence if coding and coding.consequence else 2) + rng.choice([-1, 0, 0, 1]))
            )
            self._grade(
                row, day, consequence=consequence, rationale=rng.choice(content.GRADING_CONSEQUENCES[consequence])
            )
        # Regulation 13(2): acknowledged within 3 working days, a few late.
        late = rng.random() < LATE_ACKNOWLEDGEMENT
        ack_on = self.statutory.add_working_days(start, rng.randint(4, 6) if late else rng.randint(1, 3))
        ack_on = max(ack_on, day)
        if not self._happens(ack_on):
            return
        method = (
            rng.choice(
                [
                    AcknowledgementMethod.LETTER,
                    AcknowledgementMethod.LETTER,
                    AcknowledgementMethod.EMAIL,
                    AcknowledgementMethod.PHONE,
                ]
            )
            if row.kind == Kind.COMPLAINT
            else rng.choice([AcknowledgementMethod.LETTER, AcknowledgementMethod.EMAIL])
        )
        self._move(row, ack_on, Status.ACKNOWLEDGED, officer, label="Record the acknowledgement")
        row.acknowledged_on, row.acknowledgement_method = ack_on, method
        notes = content.ACKNOWLEDGEMENT_NOTES if row.kind == Kind.COMPLAINT else content.MP_ACKNOWLEDGEMENT_NOTES
        self._entry(row, ack_on, _ENTRY.NOTE, rng.choice(notes.get(method) or notes["letter"]), officer)
        row.investigating_manager_id = investigator
        row.version += 1
        self._entry(
            row, ack_on, _ENTRY.ASSIGNMENT, f"Investigating manager: {self.staff.names[investigator]}.", officer
        )
        self._work_out_clocks(row)
        # Regulation 13(7): a response date agreed when the offer to discuss is made.
        if row.kind == Kind.COMPLAINT and rng.random() < AGREED_RESPONSE_DATE:
            agreed_on = self._wd(ack_on, rng.randint(0, 3))
            due = self._wd(row.response_due_on, rng.randint(-5, 15))
            if self._happens(agreed_on) and agreed_on <= row.response_due_on and due >= agreed_on:
                self._agree(row, agreed_on, due, officer, extension=False)
        # The investigation.
        day = self._wd(ack_on, rng.randint(1, 5))
        if not self._happens(day):
            return
        self._move(row, day, Status.UNDER_INVESTIGATION, investigator, label="Start the investigation")
        if rng.random() < WITHDRAWN:
            day = self._wd(day, rng.randint(2, 15))
            if self._happens(day):
                self._move(
                    row,
                    day,
                    Status.WITHDRAWN,
                    officer,
                    label="Record that the complainant withdrew",
                    reason=rng.choice(content.WITHDRAWAL_REASONS),
                )
                row.closed_on = day
            return
        long_running = rng.random() < LONG_RUNNING
        steps = rng.randint(2, 5) + (rng.randint(40, 120) if long_running else 0)
        for _ in range(steps):
            day = self._wd(day, rng.randint(1, 3 if long_running else 6))
            if not self._happens(day):
                return
            pick = rng.random()
            if pick < 0.55:
                text = rng.choice(
                    content.INVESTIGATION_NOTES + NOTE_DETAILS + (EXTRA_LONG_RUNNING_NOTES if long_running else [])
                )
                self._entry(row, day, _ENTRY.NOTE, self._fill(text, row, day), investigator)
            elif pick < 0.85:
                calls = content.COMPLAINANT_CALLS if row.kind == Kind.COMPLAINT else content.MP_OFFICE_CALLS
                self._entry(
                    row,
                    day,
                    _ENTRY.CALL,
                    rng.choice(calls),
                    officer,
                    direction=rng.choice(["in", "out"]),
                    contact=row.contact_name,
                )
            else:
                self._entry(
                    row,
                    day,
                    _ENTRY.EMAIL,
                    self._fill(rng.choice(NOTE_DETAILS), row, day),
                    officer,
                    direction="out",
                    contact=self._staff_name(),
                )
        # A hold (awaiting consent, the complainant, an incident investigation), on a date the trust's target runs on.
        if row.response_due_basis == ResponseDueBasis.TARGET and rng.random() < HELD:
            start_hold = self._wd(day, rng.randint(1, 4))
            end_hold = self._wd(start_hold, rng.randint(3, 20))
            if not self._happens(start_hold):
                return
            self._hold(row, start_hold, end_hold if self._happens(end_hold) else None, officer)
            if not self._happens(end_hold):
                return
            day = end_hold
        # An extension agreed before the date passes.
        if row.response_due_on and rng.random() < EXTENDED:
            agreed_on = max(day, self._wd(row.response_due_on, -rng.randint(1, 5)))
            if self._happens(agreed_on) and agreed_on <= row.response_due_on:
                self._agree(row, agreed_on, self._wd(row.response_due_on, rng.randint(5, 20)), officer, extension=True)
        self._add_issues(row, day, officer)
        # The draft: usually before the date, some late.
        due = row.response_due_on or self._wd(day, 20)
        draft_on = max(
            self._wd(due, rng.randint(-8, -1) if rng.random() < 0.8 else rng.randint(1, 15)), self._wd(day, 1)
        )
        if not self._happens(draft_on):
            return
        self._move(row, draft_on, Status.RESPONSE_IN_REVIEW, investigator, label="Submit the draft response for review")
        if rng.random() < DRAFT_RETURNED:
            back = self._wd(draft_on, rng.randint(1, 3))
            if not self._happens(back):
                return
            self._move(
                row,
                back,
                Status.UNDER_INVESTIGATION,
                officer,
                label="Return the draft to the investigator",
                reason=rng.choice(content.RETURN_REASONS),
            )
            draft_on = self._wd(back, rng.randint(2, 6))
            if not self._happens(draft_on):
                return
            self._move(
                row, draft_on, Status.RESPONSE_IN_REVIEW, investigator, label="Submit the draft response for review"
            )
        sent_on = self._wd(draft_on, rng.randint(1, 4))
        # Regulation 14(2): a response later than the long-stop needs a letter saying why, sent before it.
        if row.long_stop_on and sent_on > row.long_stop_on:
            letter_on = self._wd(row.long_stop_on, -rng.randint(0, 5))
            if self._happens(letter_on):
                row.delay_letter_sent_on = letter_on
                row.version += 1
                self._entry(row, letter_on, _ENTRY.DEADLINE, "Delay letter sent (regulation 14(2)).", officer)
        if not self._happens(sent_on):
            return
        approval = content.APPROVAL_NOTES if row.kind == Kind.COMPLAINT else content.MP_APPROVAL_NOTES
        self._entry(row, sent_on, _ENTRY.NOTE, rng.choice(approval), officer)
        self._record_outcomes(row, sent_on, investigator)
        self._move(row, sent_on, Status.RESPONSE_SENT, officer, label="Record the response as sent")
        row.responded_on = sent_on
        sent_notes = content.RESPONSE_SENT_NOTES if row.kind == Kind.COMPLAINT else content.MP_REPLY_SENT_NOTES
        self._entry(row, sent_on, _ENTRY.NOTE, rng.choice(sent_notes), officer)
        row.next_due_on = clocks.next_due_on(row)
        closed_on = self._wd(sent_on, rng.randint(5, 20))
        if not self._happens(closed_on):
            return
        self._move(row, closed_on, Status.CLOSED, officer, label="Close the case")
        row.closed_on = closed_on
        if row.kind == Kind.COMPLAINT and rng.random() < REOPENED:
            self._reopen(row, closed_on, officer, investigator)

    def _reopen(self, row: _CaseRow, closed_on: datetime.date, officer: int, investigator: int) -> None:
        rng = self.rng
        day = self._wd(closed_on, rng.randint(10, 40))
        if not self._happens(day):
            return
        self._move(
            row,
            day,
            Status.UNDER_INVESTIGATION,
            officer,
            label="Reopen after the response",
            reason=rng.choice(content.REOPEN_REASONS),
        )
        # cases.services._apply_move for "reopen": a new response on the target from the day of reopening.
        row.closed_on = None
        row.responded_on = None
        row.delay_letter_sent_on = None
        row.reopened_count += 1
        row.response_due_basis = ResponseDueBasis.TARGET
        row.response_clock_from = day
        row.response_target_working_days = None
        row.held_working_days = 0
        self._work_out_clocks(row)
        sent_on = self._wd(day, rng.randint(10, (row.response_target_working_days or 25) + 5))
        if not self._happens(sent_on):
            return
        self._move(row, sent_on, Status.RESPONSE_IN_REVIEW, investigator, label="Submit the draft response for review")
        sent_on = self._wd(sent_on, rng.randint(1, 3))
        if not self._happens(sent_on):
            return
        self._move(row, sent_on, Status.RESPONSE_SENT, officer, label="Record the response as sent")
        row.responded_on = sent_on
        row.next_due_on = clocks.next_due_on(row)
        closed_on = self._wd(sent_on, rng.randint(5, 15))
        if self._happens(closed_on):
            self._move(row, closed_on, Status.CLOSED, officer, label="Close the case")
            row.closed_on = closed_on


def _channel(rng: random.Random, kind: str) -> str:
    if kind == Kind.MP_LETTER:
        return rng.choice([Channel.VIA_MP, Channel.EMAIL, Channel.LETTER])
    if kind == Kind.COMPLAINT:
        return rng.choices(
            [Channel.EMAIL, Channel.LETTER, Channel.WEB_FORM, Channel.PHONE, Channel.VIA_ICB, Channel.VIA_MP],
            weights=[40, 25, 20, 8, 5, 2],
        )[0]
    return rng.choices(
        [Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON, Channel.WEB_FORM, Channel.LETTER], weights=[45, 25, 15, 10, 5]
    )[0]


_SUMMARIES = {
    Kind.PALS_CONCERN: content.PALS_CONCERNS,
    Kind.COMPLAINT: content.COMPLAINTS,
    Kind.COMPLIMENT: content.COMPLIMENTS,
    Kind.ENQUIRY: content.ENQUIRIES,
    Kind.MP_LETTER: content.MP_LETTERS,
}
_SERVICES = {service.code: service for service in content.SERVICES}
_SITE_NAMES = {code: name for code, name, _ in content.SITES}
_EMPTY_PERSON = {
    "date_of_birth": None,
    "date_of_death": None,
    "nhs_number": "",
    "address_line_2": "",
    "phone": "",
    "preferred_contact_method": ContactMethod.EMAIL,
    "interpreter_language": "",
}


_SURNAMES = [*content.SURNAMES, *MORE_SURNAMES]
_SURNAME_WEIGHTS = list(itertools.accumulate(1 / (rank + 20) for rank in range(1, len(_SURNAMES) + 1)))


def _surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]


# The days and how many cases each receives.


def cases_by_day(total: int, *, until: datetime.date, calendar) -> list[tuple[datetime.date, int]]:
    """Spread `total` cases over the ten years to `until`: seasonal, weekly and yearly growth; exact in sum."""
    first = datetime.date(until.year - YEARS, until.month, min(until.day, 28)) + datetime.timedelta(days=1)
    days = [first + datetime.timedelta(days=n) for n in range((until - first).days + 1)]
    weights = []
    for day in days:
        weight = MONTH_BUSYNESS[day.month] * WEEKDAY_BUSYNESS[day.weekday()]
        if day.weekday() < 5 and not calendar.is_working_day(day):
            weight *= NON_WORKING_WEEKDAY_BUSYNESS
        weight *= 1 + GROWTH_A_YEAR * (day - first).days / 365.25
        weights.append(weight)
    scale = total / sum(weights)
    # Largest remainders: every day's count is its share rounded, and the counts add up to the total exactly.
    shares = [w * scale for w in weights]
    counts = [int(share) for share in shares]
    short = total - sum(counts)
    for index in sorted(range(len(days)), key=lambda i: (counts[i] - shares[i], i))[:short]:
        counts[index] += 1
    return [(day, count) for day, count in zip(days, counts, strict=True) if count]


def _kind_for(rng: random.Random, day: datetime.date) -> str:
    weights = dict(KIND_SHARES)
    weights[Kind.PALS_CONCERN] *= WINTER_PALS_CONCERNS.get(day.month, 1.0)
    if day.month == 12:
        weights[Kind.COMPLIMENT] *= DECEMBER_COMPLIMENTS
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# The organisation, staff and codes.


def _codes() -> _Codes:
    by_slug = {
        (year, kind, slug): pk
        for pk, year, kind, slug in Code.objects.active().values_list(
            "pk", "taxonomy__collection_year", "taxonomy__kind", "code"
        )
    }
    years = list(Taxonomy.objects.filter(kind=TaxonomyKind.SUBJECT).values_list("collection_year", flat=True))
    hcat = (
        Taxonomy.objects.filter(kind=TaxonomyKind.HCAT_CATEGORY)
        .order_by("-collection_year")
        .values_list("collection_year", flat=True)
        .first()
    )
    subjects = {
        code: pk
        for pk, code in Code.objects.filter(taxonomy__kind=TaxonomyKind.SUBJECT)
        .order_by("taxonomy__collection_year")
        .values_list("pk", "code")
    }
    local = {}
    for name, national in content.LOCAL_SUBJECTS:
        if national in subjects:
            subject, _ = LocalSubject.objects.get_or_create(
                name=name, defaults={"national_subject_id": subjects[national]}
            )
            local[name] = (subject.pk, subject.national_subject.code)
    return _Codes(by_slug=by_slug, years=years, hcat_edition=hcat, local_subjects=local)


def _organisation() -> dict:
    trust = Trust.objects.create(
        name=content.TRUST_NAME,
        ods_code=TRUST_ODS_CODE,
        address=content.TRUST_ADDRESS,
        phone=content.TRUST_PHONE,
        email=content.TRUST_EMAIL,
        website=content.TRUST_WEBSITE,
    )
    divisions = {code: Division.objects.create(trust=trust, code=code, name=name) for code, name in content.DIVISIONS}
    sites = {
        code: Site.objects.create(trust=trust, code=code, name=name, address=address).pk
        for code, name, address in content.SITES
    }
    services = {
        s.code: Service.objects.create(
            code=s.code, name=s.name, specialty=s.specialty, division=divisions[s.division]
        ).pk
        for s in content.SERVICES
    }
    return {
        "trust": trust,
        "division": {code: division.pk for code, division in divisions.items()},
        "site": sites,
        "service": services,
    }


def staff_numbers(total_cases: int) -> dict[str, int]:
    """How many of each role a trust with this many cases over ten years has."""
    officers = max(4, round(total_cases / YEARS / CASES_A_YEAR_PER_OFFICER))
    return {
        "officers": officers,
        "coordinators": max(1, round(officers / 5)),
        "investigators_per_division": max(1, round(officers / 12)),
        "volunteers": max(1, round(officers / 8)),
    }


def _staff(rng: random.Random, total_cases: int, divisions: dict) -> _Staff:
    numbers = staff_numbers(total_cases)
    password = make_password(content.DEMO_PASSWORD)  # one slow hash for every account
    codes = list(divisions)
    planned: list[tuple[str, str, str, list[str]]] = []  # username, role, job title, divisions
    for n in range(1, numbers["officers"] + 1):
        home = codes[(n - 1) % len(codes)]
        second = codes[n % len(codes)] if n % 3 == 0 else None
        planned.append((f"officer{n:03d}", Role.PALS_OFFICER, "PALS officer", [home, *([second] if second else [])]))
    for n in range(1, numbers["coordinators"] + 1):
        planned.append((f"coordinator{n:02d}", Role.COORDINATOR, "Complaints co-ordinator", codes))
    for code in codes:
        for n in range(1, numbers["investigators_per_division"] + 1):
            planned.append((f"dm.{code.lower()}{n}", Role.DIVISIONAL_MANAGER, f"Divisional manager, {code}", [code]))
    for n in range(1, numbers["volunteers"] + 1):
        planned.append((f"volunteer{n:02d}", Role.VOLUNTEER, "PALS volunteer", []))
    planned += [
        ("approver", Role.APPROVER, "Chief Nurse", []),
        ("admin", Role.ADMINISTRATOR, "PALS Desk system administrator", []),
        ("auditor", Role.AUDITOR, "Internal auditor", []),
    ]
    taken = set(User.objects.filter(username__in=[p[0] for p in planned]).values_list("username", flat=True))
    if taken:
        raise GeneratorCannotRun(f"This database already has the users {', '.join(sorted(taken))}.")
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=rng.choice(content.WOMEN + content.MEN),
            last_name=rng.choice(content.SURNAMES),
            email=f"{username}@northgate-riverside.nhs.example",
            role=role,
            job_title=title,
            password=password,
        )
        for username, role, title, _ in planned
    )
    memberships = User.divisions.through
    memberships.objects.bulk_create(
        memberships(user_id=user.pk, division_id=divisions[code])
        for user, (_, _, _, codes_) in zip(users, planned, strict=True)
        for code in codes_
    )
    officers = {code: [] for code in codes}
    investigators = {code: [] for code in codes}
    for user, (_, role, _, codes_) in zip(users, planned, strict=True):
        for code in codes_:
            if role == Role.PALS_OFFICER:
                officers[code].append(user.pk)
            elif role == Role.DIVISIONAL_MANAGER:
                investigators[code].append(user.pk)
    return _Staff(
        officers=officers,
        investigators=investigators,
        coordinators=[u.pk for u in users if u.role == Role.COORDINATOR],
        volunteers=[u.pk for u in users if u.role == Role.VOLUNTEER],
        names={u.pk: f"{u.first_name} {u.last_name}" for u in users},
    )


# The whole load.


def _refuse_unless_empty() -> None:
    if Case.objects.exists():
        raise GeneratorCannotRun(
            "This database already has cases. Generate into an empty, migrated database, such as "
            "DATABASE_URL=postgres://…/palsdesk_scale after `manage.py migrate`."
        )
    if (
        Trust.objects.filter(ods_code=TRUST_ODS_CODE).exists()
        or Division.objects.filter(code__in=[code for code, _ in content.DIVISIONS]).exists()
    ):
        raise GeneratorCannotRun("This database already has the generated trust's divisions. Use an empty database.")


def generate_cases(
    *,
    cases: int,
    seed: int = DEFAULT_SEED,
    until: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Generated:
    """Fill an empty database with a trust and `cases` cases received over the ten years to `until` (today)."""
    if cases < 1:
        raise GeneratorCannotRun("Ask for at least one case.")
    started = time.monotonic()
    until = until or datetime.date.today()
    say = progress or (lambda message: None)
    rng = random.Random(seed)
    with transaction.atomic():
        _refuse_unless_empty()
        orgs = _organisation()
        staff = _staff(rng, cases, orgs["division"])
    tables = _Tables()
    planner = _Planner(rng=rng, until=until, tables=tables, staff=staff, orgs=orgs)
    days = cases_by_day(cases, until=until, calendar=planner.trust)
    say(f"Generating {cases:,} cases from {days[0][0]:%-d %B %Y} to {until:%-d %B %Y} (seed {seed}).")
    done = waiting = 0
    with _foreign_keys_checked_at_the_end(tables, say):
        for day, count in days:
            placed = 0
            while placed < count:
                placed += planner.plan(_kind_for(rng, day), day, room=count - placed)
            done += placed
            waiting += placed
            if waiting >= CASES_PER_TRANSACTION:
                with transaction.atomic():
                    tables.flush()
                waiting = 0
                rate = done / max(time.monotonic() - started, 0.001)
                say(f"  {done:,} of {cases:,} cases ({done / cases:.0%}), {rate:,.0f} a second")
        with transaction.atomic():
            tables.flush()
            _finish(planner, orgs["trust"], seed=seed, cases=cases, until=until)
    say(f"  {done:,} cases written; building the search documents")
    indexing.rebuild(
        workers=1 if connection.in_atomic_block else SEARCH_WORKERS,
        progress=lambda n: say(f"  search documents: {n:,}"),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Generated(
        cases_by_kind=planner.cases_by_kind, rows=tables.written(), seconds=round(time.monotonic() - started, 1)
    )


@contextlib.contextmanager
def _foreign_keys_checked_at_the_end(tables: _Tables, say: Callable[[str], None]) -> Iterator[None]:
    """Load without PostgreSQL's row-by-row foreign key checks, then check every foreign key of the new rows at once.

    Each inserted row fires a trigger per foreign key, and with Django's deferred constraints those
    pile up until the commit: a third of the load. A superuser may switch them off for the session
    (session_replication_role); the new rows are then checked with one anti-join per foreign key,
    which finds the same faults. Without superuser rights (or on SQLite) the usual checks run.
    """
    fast = connection.vendor == "postgresql" and not connection.in_atomic_block and _is_superuser()
    if fast:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if fast:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    if fast:
        say("  checking every foreign key of the new rows")
        _check_foreign_keys(tables)


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def _check_foreign_keys(tables: _Tables) -> None:
    quote = connection.ops.quote_name
    faults = []
    for table in tables.all:
        if not table.written:
            continue
        child, pk = quote(table.model._meta.db_table), quote(table.model._meta.pk.column)
        for field in table.fields:
            if not (field.many_to_one or field.one_to_one) or not field.db_constraint:
                continue
            parent = quote(field.related_model._meta.db_table)
            column, target = quote(field.column), quote(field.target_field.column)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {child} c WHERE c.{pk} >= %s AND c.{column} IS NOT NULL "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{target} = c.{column})",
                    [table.first_id],
                )
                missing = cursor.fetchone()[0]
            if missing:
                faults.append(f"{missing:,} {table.model._meta.label} rows with a missing {field.name}")
    if faults:
        raise GeneratorCannotRun(
            "The generated rows break foreign keys (a fault in the generator; drop this database): " + "; ".join(faults)
        )


def _finish(planner: _Planner, trust: Trust, *, seed: int, cases: int, until: datetime.date) -> None:
    """Leave the reference numbers and id sequences where the services carry on from, and say who made the data."""
    for (kind, year), number in planner.numbers.items():
        ReferenceSequence.objects.update_or_create(kind=kind, year=year, defaults={"last_number": number})
    written = [table.model for table in planner.tables.all]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), written):
            cursor.execute(statement)
    audit.record(
        actor=None,
        action="generated_data.loaded",
        target=trust,
        context={"seed": seed, "cases": cases, "until": until.isoformat(), "by_kind": dict(planner.cases_by_kind)},
    )
