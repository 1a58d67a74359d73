"""Planning the demo's cases: who raised each one, what happened to it and when, decided from a seed.

Nothing here writes to the database. The builder plays each plan through the case services, so the
plans only decide the story; references, clocks, the timeline and the audit trail come from the services.
"""

import dataclasses
import datetime
import random
import re
from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from palsdesk.cases.models import AcknowledgementMethod, Channel, Kind, Outcome, Status, TimelineEntry
from palsdesk.coding.ko41a import CLINICAL_TREATMENT
from palsdesk.deadlines.rules import six_months_end
from palsdesk.deadlines.working_days import WorkingDayCalendar
from palsdesk.demo import content
from palsdesk.demo.content import (
    ADULTS,
    BABIES,
    CHILDREN,
    MOTHERS,
    OLDER_PEOPLE,
    PATIENT,
    Aspect,
    DemoService,
    Summary,
)
from palsdesk.people.models import CommunicationNeed, Consent, ContactMethod, Relationship
from palsdesk.people.nhs_number import check_digit
from palsdesk.people.services import PersonDetails

SERVICES = {service.code: service for service in content.SERVICES}
MONTHS_OF_CASES = 18

CALL = TimelineEntry.EntryKind.CALL
EMAIL = TimelineEntry.EntryKind.EMAIL
INBOUND = TimelineEntry.Direction.INBOUND
OUTBOUND = TimelineEntry.Direction.OUTBOUND

# Hold reasons the deadlines migrations seed (deadlines.HoldReason codes).
AWAITING_CONSENT = "awaiting-consent"
AWAITING_COMPLAINANT = "awaiting-complainant"
AWAITING_INCIDENT_INVESTIGATION = "awaiting-incident-investigation"
# The response targets the deadlines migrations seed, in working days from receipt; the builder passes the
# trust's own, so that the plans' dates match the clocks the services work out.
SEEDED_RESPONSE_TARGETS = {
    Kind.PALS_CONCERN: 5,
    Kind.COMPLAINT: 25,
    Kind.COMPLIMENT: 5,
    Kind.ENQUIRY: 5,
    Kind.MP_LETTER: 20,
}


@dataclass(frozen=True)
class GradeBand:
    """A grade of the trust's matrix scheme as the planner needs it: its scores and its response target."""

    code: str
    min_score: int
    max_score: int
    response_working_days: int


# The NPSA matrix the grading migrations seed; the builder passes the scheme in use.
SEEDED_GRADES = (
    GradeBand("low", 1, 3, 25),
    GradeBand("moderate", 4, 6, 40),
    GradeBand("high", 8, 12, 60),
    GradeBand("extreme", 15, 25, 60),
)
# Whose "My work" has something overdue, due today, due soon and on track, whatever the seed.
CASEWORKERS = ("pals.officer", "pals.officer2", "pals.lead", "coordinator")


@dataclass(kw_only=True)
class Step:
    """One thing a member of staff does on a case; `at` is when the timeline says it happened."""

    at: datetime.datetime | None = None
    by: str = ""


@dataclass(kw_only=True)
class Move(Step):
    to: str
    reason: str = ""
    # For the acknowledgement only: how it was sent (cases.models.AcknowledgementMethod).
    acknowledgement_method: str = ""


@dataclass(kw_only=True)
class Assign(Step):
    # None leaves that role as it is.
    case_officer: str | None = None
    investigating_manager: str | None = None
    reason: str = ""


@dataclass(kw_only=True)
class Note(Step):
    body: str


@dataclass(kw_only=True)
class Contact(Step):
    channel: str
    direction: str
    contact: str
    body: str


@dataclass(kw_only=True)
class ConsentUpdate(Step):
    status: str
    status_on: datetime.date | None = None
    evidence: str = ""
    acting_reason: str = ""


@dataclass(kw_only=True)
class Escalate(Step):
    reason: str


@dataclass(kw_only=True)
class AgreeResponseDate(Step):
    """Regulation 13(7): the response date agreed with the complainant when the offer to discuss is made."""

    due_on: datetime.date
    agreed_with: str


@dataclass(kw_only=True)
class ExtendResponseDate(Step):
    """A later response date agreed with the complainant; late_reason says why if agreed after the date it replaces."""

    due_on: datetime.date
    reason: str
    agreed_with: str
    late_reason: str = ""


@dataclass(kw_only=True)
class Hold(Step):
    reason: str  # a deadlines.HoldReason code
    note: str = ""


@dataclass(kw_only=True)
class ReleaseHold(Step):
    pass


@dataclass(kw_only=True)
class DecideTimeLimit(Step):
    """Regulation 12(4): whether a complaint made after the 12-month limit is taken on."""

    has_good_reasons: bool
    can_investigate_fairly: bool
    rationale: str

    @property
    def is_accepted(self) -> bool:
        return self.has_good_reasons and self.can_investigate_fairly


@dataclass(kw_only=True)
class SendDelayLetter(Step):
    """Regulation 14(2): the letter saying why the response has not come within the long-stop."""


@dataclass(kw_only=True)
class Grade(Step):
    """The co-ordinator grades (or regrades) a complaint or MP letter on the consequence × likelihood matrix."""

    consequence: int
    likelihood: int
    rationale: str
    # The grade the scheme gives that score, and its target: the planner foresees the response date with it.
    grade: str
    response_working_days: int


@dataclass(kw_only=True)
class AddIssue(Step):
    """An issue (an aspect of the case) coded for KO41a by the codes' slugs, and for HCAT when hcat_category is set."""

    subject: str
    service_area: str
    description: str = ""
    professions: tuple[str, ...] = ()
    clinical_subcategory: str = ""
    local_subject: str = ""
    hcat_category: str = ""
    hcat_severity: int | None = None
    hcat_harm: int | None = None
    # Kept for the outcome: an aspect another organisation answers is not investigated, for this reason.
    not_investigated_reason: str = ""


@dataclass(kw_only=True)
class RecordOutcome(Step):
    """What the investigation found on one issue, by its number on the case."""

    issue: int
    outcome: str
    not_investigated_reason: str = ""


@dataclass(kw_only=True)
class Link(Step):
    """Link this case to one received before it (so it is already on the system when this one is worked)."""

    other: "CasePlan"
    reason: str


@dataclass(kw_only=True, eq=False)
class CasePlan:
    kind: str
    channel: str
    received_at: datetime.datetime
    # When it went on the system: an email that came in on Saturday is logged on Monday morning.
    logged_at: datetime.datetime
    logged_by: str
    service: DemoService
    site: str
    summary: str
    account: str = ""
    outcome_wanted: str = ""
    event_on: datetime.date | None = None
    became_aware_on: datetime.date | None = None
    is_safeguarding: bool = False
    is_vulnerable_person: bool = False
    has_mp_interest: bool = False
    has_media_interest: bool = False
    is_staff_complainant: bool = False
    case_officer: str | None = None
    complainant: PersonDetails | None = None
    complainant_is_patient: bool = False
    relationship_to_patient: str = ""
    patient: PersonDetails | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def received_on(self) -> datetime.date:
        return timezone.localdate(self.received_at)

    @property
    def division(self) -> str:
        return self.service.division

    @property
    def last_at(self) -> datetime.datetime:
        return max((step.at for step in self.steps), default=self.logged_at)

    @property
    def escalations(self) -> int:
        return sum(isinstance(step, Escalate) for step in self.steps)

    @property
    def issues(self) -> list[AddIssue]:
        return [step for step in self.steps if isinstance(step, AddIssue)]


@dataclass(frozen=True)
class PlannedResponse:
    """A formal case's response clock as the deadline services will have worked it out after the plan's steps."""

    due_on: datetime.date | None
    is_agreed: bool
    on_hold_since: datetime.date | None
    is_finished: bool

    @property
    def is_running(self) -> bool:
        """Still owed, and not stopped by a hold (a hold stops only a date worked out from the target)."""
        return self.due_on is not None and not self.is_finished and (self.is_agreed or self.on_hold_since is None)


_FINISHING = {Status.RESPONSE_SENT, Status.CLOSED, Status.WITHDRAWN, Status.RESOLVED, Status.ESCALATED}


def planned_response(plan: CasePlan, *, calendar: WorkingDayCalendar, target_working_days: int) -> PlannedResponse:
    """The response date the plan's steps lead to, mirroring deadlines.services (targets, holds, agreements, reopening)
    and grading.services (a grade's target moves a date worked out from the target; never an agreed one).

    The planner asks before each extension, so that it agrees a later date before the current one passes.
    """
    clock_from, held, is_agreed, on_hold_since, is_finished = plan.received_on, 0, False, None, False
    target = target_working_days
    due_on = calendar.add_working_days(clock_from, target)
    for step in plan.steps:
        day = timezone.localdate(step.at)
        if isinstance(step, Grade):
            target = step.response_working_days
            if not is_finished and not is_agreed:
                due_on = calendar.add_working_days(clock_from, target + held)
        elif isinstance(step, AgreeResponseDate | ExtendResponseDate):
            due_on, is_agreed = step.due_on, True
        elif isinstance(step, Hold):
            on_hold_since = day
        elif isinstance(step, ReleaseHold):
            if not is_agreed:
                # Releasing a hold moves a target-based date on by the working days held; an agreed one stays.
                held += max(calendar.working_days_between(on_hold_since, day), 0)
                due_on = calendar.add_working_days(clock_from, target + held)
            on_hold_since = None
        elif isinstance(step, Move) and step.to in _FINISHING:
            is_finished, on_hold_since = True, None
        elif isinstance(step, Move) and step.to == Status.UNDER_INVESTIGATION and is_finished:
            # Reopened after the response: the target (the grade's, once graded) runs again from the reopening.
            clock_from, held, is_agreed, is_finished = day, 0, False, False
            due_on = calendar.add_working_days(day, target)
    return PlannedResponse(due_on=due_on, is_agreed=is_agreed, on_hold_since=on_hold_since, is_finished=is_finished)


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month_index + 1, min(day.day, monthrange(year, month_index + 1)[1]))


def plan_cases(
    *,
    seed: int,
    case_count: int,
    now: datetime.datetime,
    calendar: WorkingDayCalendar,
    communication_needs: dict[str, CommunicationNeed],
    response_targets: Mapping[str, int] | None = None,
    grades: Sequence[GradeBand] | None = None,
) -> list[CasePlan]:
    """Plans for case_count cases (escalations count: each opens a complaint), ordered by when they were received.

    response_targets: working days from receipt by kind, as the trust has set them (the seeded ones by default).
    grades: the grades of the trust's matrix scheme (the seeded NPSA matrix by default); none, and nothing is graded.
    """
    planner = _Planner(
        rng=random.Random(seed),
        now=now,
        calendar=calendar,
        communication_needs=communication_needs,
        response_targets={**SEEDED_RESPONSE_TARGETS, **(response_targets or {})},
        grades=SEEDED_GRADES if grades is None else tuple(grades),
    )
    return planner.plan(case_count)


def showcase_case_count() -> int:
    """How many cases the hand-written stories make (an escalation makes two); the demo needs at least this many."""
    return len(_SHOWCASES) + _SHOWCASE_EXTRA_CASES + 2 * _ESCALATED_CONCERNS + len(CASEWORKERS) * len(_CASELOAD_STATES)


_ESCALATED_CONCERNS = 4
_SHOWCASES: list[str] = [
    "complaint_just_received",
    "complaint_awaiting_investigator",
    "staff_complaint_under_investigation",
    "pressure_ulcer_complaint_in_review",
    "maternity_complaint_with_media_interest",
    "end_of_life_complaint_closed",
    "reopened_complaint",
    "complaint_withdrawn_after_surgery",
    "complaint_withdrawn_without_consent",
    "mp_letter_received",
    "mp_letter_acknowledged",
    "mp_letter_under_investigation",
    "mp_letter_in_review",
    "mp_letter_response_sent",
    "mp_letter_closed",
    "mp_letter_withdrawn",
    "staff_concern_resolved",
    "pals_concern_reopened",
    "pals_concern_logged_at_help_desk",
    "safeguarding_concern_open",
    "compliment_awaiting_thanks",
    "compliment_shared",
    "enquiry_open",
    "enquiry_reopened",
    # The clocks: agreed dates and extensions, holds, the 12-month limit and the 6-month long-stop.
    "complaint_with_agreed_date_extended",
    "complaint_held_for_consent_and_information",
    "complaint_on_hold_awaiting_consent",
    "complaint_on_hold_awaiting_complainant",
    "complaint_made_late_taken_on",
    "complaint_made_late_declined",
    "complaint_past_long_stop_with_delay_letter",
    "complaint_past_long_stop_awaiting_delay_letter",
]
# The end-of-life complaint makes a second case: the PALS concern the family raised first.
_SHOWCASE_EXTRA_CASES = 1
# Each caseworker's own cases in each state "My work" shows (see _caseload).
_CASELOAD_STATES = ("overdue", "due_today", "due_soon", "on_track")

# How often each kind arrives, roughly as a trust's patient services team sees them.
_KIND_WEIGHTS = {
    Kind.PALS_CONCERN: 53,
    Kind.COMPLAINT: 19.5,
    Kind.COMPLIMENT: 14,
    Kind.ENQUIRY: 11.5,
    Kind.MP_LETTER: 2,
}
_CHANNEL_WEIGHTS = {
    Kind.PALS_CONCERN: {
        Channel.PHONE: 45,
        Channel.EMAIL: 20,
        Channel.IN_PERSON: 15,
        Channel.WEB_FORM: 15,
        Channel.LETTER: 5,
    },
    Kind.COMPLAINT: {
        Channel.EMAIL: 35,
        Channel.LETTER: 25,
        Channel.WEB_FORM: 25,
        Channel.PHONE: 5,
        Channel.VIA_ICB: 5,
        Channel.VIA_MP: 3,
        Channel.IN_PERSON: 2,
    },
    Kind.COMPLIMENT: {Channel.LETTER: 30, Channel.EMAIL: 30, Channel.IN_PERSON: 20, Channel.WEB_FORM: 20},
    Kind.ENQUIRY: {Channel.PHONE: 50, Channel.EMAIL: 30, Channel.WEB_FORM: 20},
    Kind.MP_LETTER: {Channel.VIA_MP: 80, Channel.EMAIL: 20},
}
# KO41a's national picture of the complaints resolved in a year: about a quarter upheld, a third partially upheld
# and the rest not upheld. Complaints are dealt their outcomes from this deck, shuffled again when it runs out.
_OUTCOME_DECK = [Outcome.UPHELD] * 3 + [Outcome.PARTIALLY_UPHELD] * 4 + [Outcome.NOT_UPHELD] * 5
_FOUND = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
_MP_LETTER_OUTCOMES = {Outcome.UPHELD: 20, Outcome.PARTIALLY_UPHELD: 35, Outcome.NOT_UPHELD: 45}
# How likely the trouble is to happen again (NPSA likelihood): with each summary's consequence, mostly low and
# moderate grades, some high, and now and then an extreme one.
_LIKELIHOOD_WEIGHTS = {1: 33, 2: 42, 3: 20, 4: 5}
# The share of complaints and MP letters the team also codes for HCAT.
_HCAT_SHARE = 0.65
_FORMAL_KINDS = (Kind.COMPLAINT, Kind.MP_LETTER)
# Post and people at the desk arrive on working days; emails and web forms come in at any hour.
_WORKING_DAY_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.LETTER, Channel.VIA_MP, Channel.VIA_ICB}
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Who may speak for a patient without knowing their date of birth.
_DISTANT_RELATIONSHIPS = (Relationship.FRIEND, Relationship.CARER, Relationship.SIBLING)
# How a representative is described on the timeline: (a man, a woman).
_RELATIVE_WORDS = {
    Relationship.CHILD: ("son", "daughter"),
    Relationship.SPOUSE: ("husband", "wife"),
    Relationship.PARENT: ("father", "mother"),
    Relationship.SIBLING: ("brother", "sister"),
    Relationship.FRIEND: ("friend", "friend"),
    Relationship.CARER: ("carer", "carer"),
    Relationship.ATTORNEY: ("attorney", "attorney"),
}


class _Planner:
    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime.datetime,
        calendar: WorkingDayCalendar,
        communication_needs: dict[str, CommunicationNeed],
        response_targets: Mapping[str, int],
        grades: tuple[GradeBand, ...],
    ):
        self.rng = rng
        self.calendar = calendar
        self.response_targets = response_targets
        self.grades = grades
        # Complaints' outcomes are dealt from a shuffled deck, so that any seed gives the national mix.
        self.outcome_deck: list[str] = []
        self.today = timezone.localdate(now)
        # Nothing may be dated after the moment the plan was made: the services refuse the future.
        self.latest = now - datetime.timedelta(minutes=1)
        self.first_day = months_before(self.today, MONTHS_OF_CASES) + datetime.timedelta(days=1)
        self.communication_needs = communication_needs
        self.nhs_numbers: set[str] = set()
        self.email_count = 0
        # Each caseworker's caseload reads as different cases, not the same words twice.
        self.caseload_wordings: set[Summary] = set()

    # Planning ---------------------------------------------------------------------------------

    def plan(self, case_count: int) -> list[CasePlan]:
        plans = [plan for name in _SHOWCASES for plan in getattr(self, name)()]
        plans += self._escalated_concerns()
        plans += [plan for caseworker in CASEWORKERS for plan in self._caseload(caseworker)]
        made = len(plans) + sum(plan.escalations for plan in plans)
        assert made == showcase_case_count(), "a story made more or fewer cases than showcase_case_count() says"
        kinds = list(_KIND_WEIGHTS)
        weights = list(_KIND_WEIGHTS.values())
        bulk = []
        for _ in range(max(0, case_count - made)):
            kind = self.rng.choices(kinds, weights)[0]
            received_on = self.first_day + datetime.timedelta(
                days=self.rng.randint(0, (self.today - self.first_day).days)
            )
            bulk.append(self._bulk_case(kind, received_on))
        self._link_similar(bulk)
        plans = sorted(plans + bulk, key=lambda plan: plan.received_at)
        self._leave_a_closed_complaint_without_the_patients_age(plans)
        return plans

    def _leave_a_closed_complaint_without_the_patients_age(self, plans: list[CasePlan]) -> None:
        """One closed complaint, made for a patient by a friend or relative, whose date of birth never went on it.

        The data quality page shows it (KO41a counts the patient's age band). Every other complaint's
        coding is complete when it closes: the closing guard sees to that.
        """

        def was_closed_after_its_response(plan: CasePlan) -> bool:
            moves = {step.to for step in plan.steps if isinstance(step, Move)}
            return {Status.RESPONSE_SENT, Status.CLOSED} <= moves

        closed = [
            plan
            for plan in plans
            if plan.kind == Kind.COMPLAINT and plan.patient is not None and was_closed_after_its_response(plan)
        ]
        by_a_friend = [plan for plan in closed if plan.relationship_to_patient in _DISTANT_RELATIONSHIPS]
        if closed:
            plan = (by_a_friend or closed)[0]
            plan.patient = dataclasses.replace(plan.patient, date_of_birth=None, nhs_number="")

    def _bulk_case(self, kind: str, received_on: datetime.date) -> CasePlan:
        if kind == Kind.PALS_CONCERN:
            plan = self._open(kind, self.rng.choice(content.PALS_CONCERNS), received_on)
            self._work_pals_concern(plan)
        elif kind == Kind.COMPLIMENT:
            plan = self._open(kind, self.rng.choice(content.COMPLIMENTS), received_on)
            self._work_compliment(plan)
        elif kind == Kind.ENQUIRY:
            plan = self._open(kind, self.rng.choice(content.ENQUIRIES), received_on)
            self._work_enquiry(plan)
        else:
            wording = self.rng.choice(content.MP_LETTERS if kind == Kind.MP_LETTER else content.COMPLAINTS)
            plan = self._open(kind, wording, received_on)
            self._work_formal_case(plan, withdraw_chance=0.06)
        return plan

    def _link_similar(self, plans: list[CasePlan]) -> None:
        """A few cases about the same service in the same fortnight, linked so they are looked at together."""
        by_service: dict[str, list[CasePlan]] = {}
        for plan in sorted(plans, key=lambda p: p.received_at):
            earlier = [
                other
                for other in by_service.get(plan.service.code, [])
                if (plan.received_on - other.received_on).days <= 14
                and other.received_at < plan.received_at
                and other.kind != Kind.COMPLIMENT
            ]
            if earlier and plan.kind in (Kind.COMPLAINT, Kind.PALS_CONCERN) and self.rng.random() < 0.3:
                day = self._working_day(plan.received_on)
                if day < self.today:
                    other = earlier[-1]
                    link = Link(other=other, reason=f"Same service, same fortnight: {plan.service.name}")
                    link.at = self._time_on(day, after=max(plan.logged_at, other.logged_at))
                    link.by = plan.case_officer or "pals.lead"
                    plan.steps.append(link)
            by_service.setdefault(plan.service.code, []).append(plan)

    # Dates and times ---------------------------------------------------------------------------

    def _working_day(self, day: datetime.date) -> datetime.date:
        return day if self.calendar.is_working_day(day) else self.calendar.add_working_days(day, 1)

    def _after(self, day: datetime.date, working_days: int) -> datetime.date:
        """The working day that many working days after day; 0 is day itself, or the next working day."""
        if working_days <= 0:
            return self._working_day(day)
        return self.calendar.add_working_days(day, working_days)

    def _working_days_ago(self, working_days: int) -> datetime.date:
        return self.calendar.add_working_days(self.today, -working_days)

    def _working_days_ahead(self, working_days: int) -> datetime.date:
        return self.calendar.add_working_days(self.today, working_days)

    def _on_or_before(self, day: datetime.date) -> datetime.date:
        return day if self.calendar.is_working_day(day) else self.calendar.add_working_days(day, -1)

    def _time_on(self, day: datetime.date, *, after: datetime.datetime | None = None) -> datetime.datetime:
        """A believable time on day (office hours), later than `after`, and never after the plan was made."""
        if after is not None and timezone.localdate(after) >= day:
            at = after + datetime.timedelta(minutes=self.rng.randint(4, 45))
        else:
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
            at = start + datetime.timedelta(minutes=self.rng.randint(0, 8 * 60 + 30))
        at = min(at, self.latest)
        return max(at, after) if after is not None else at

    def _do(self, plan: CasePlan, on: datetime.date, by: str, step: Step) -> datetime.date:
        """Add the step on the day given (or straight after the last step, if that was later); return its day."""
        step.at = self._time_on(on, after=plan.last_at)
        step.by = by
        plan.steps.append(step)
        return timezone.localdate(step.at)

    # Opening a case ------------------------------------------------------------------------------

    def _open(
        self,
        kind: str,
        wording: Summary,
        received_on: datetime.date,
        *,
        channel: str | None = None,
        logged_by: str | None = None,
        case_officer: str | None = "",
    ) -> CasePlan:
        """A case as it is logged: the people, the flags and who logged it. case_officer "" means choose one."""
        rng = self.rng
        service = SERVICES[wording.service]
        channel = channel or self._weighted(_CHANNEL_WEIGHTS[kind])
        if channel in _WORKING_DAY_CHANNELS and not self.calendar.is_working_day(received_on):
            received_on = self.calendar.add_working_days(received_on, -1)
        received_on = min(max(received_on, self.first_day), self.today)
        received_at = self._time_on(received_on)
        out_of_hours = not self.calendar.is_working_day(received_on)
        if channel in (Channel.EMAIL, Channel.WEB_FORM) and rng.random() < 0.25:
            evening = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(18, 0)))
            received_at = min(evening + datetime.timedelta(minutes=rng.randint(0, 270)), self.latest)
            out_of_hours = True
        logged_at = received_at
        next_working_day = self.calendar.add_working_days(received_on, 1)
        if out_of_hours and next_working_day <= self.today:
            logged_at = max(self._time_on(next_working_day), received_at)

        if logged_by is None:
            logged_by = self._logger_for(kind, service, channel)
        if case_officer == "":
            case_officer = self._officer_at_logging(kind, service, logged_by)

        days_before = rng.choice([0, 0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45])
        if kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            days_before = rng.randint(7, 90)
        event_on = max(received_on - datetime.timedelta(days=days_before), received_on - datetime.timedelta(days=365))
        plan = CasePlan(
            kind=kind,
            channel=channel,
            received_at=received_at,
            logged_at=logged_at,
            logged_by=logged_by,
            service=service,
            site=rng.choice(service.sites),
            summary=wording.text,
            account=wording.account,
            event_on=None if kind in (Kind.ENQUIRY, Kind.COMPLIMENT) and rng.random() < 0.5 else event_on,
            case_officer=case_officer,
        )
        if kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            plan.outcome_wanted = rng.choice(content.OUTCOMES_WANTED)
        elif kind == Kind.PALS_CONCERN:
            plan.outcome_wanted = rng.choice(content.PALS_OUTCOMES_WANTED)
        self._add_people(plan, wording)
        patient_is_older = service.patients == OLDER_PEOPLE
        plan.is_vulnerable_person = rng.random() < (0.25 if patient_is_older else 0.05)
        plan.is_safeguarding = kind in (Kind.PALS_CONCERN, Kind.COMPLAINT) and rng.random() < 0.03
        if plan.is_safeguarding:
            plan.is_vulnerable_person = True
        return plan

    def _logger_for(self, kind: str, service: DemoService, channel: str) -> str:
        if kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            return "coordinator" if self.rng.random() < 0.6 else "pals.lead"
        if channel == Channel.IN_PERSON and self.rng.random() < 0.6:
            return "volunteer"
        return content.PALS_OFFICER_OF[service.division] if self.rng.random() < 0.7 else "pals.lead"

    def _officer_at_logging(self, kind: str, service: DemoService, logged_by: str) -> str | None:
        if logged_by == "volunteer":
            return None  # volunteers cannot work cases; the PALS team picks them up
        if kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            return self.rng.choices(
                ["coordinator", "pals.lead", content.PALS_OFFICER_OF[service.division]], [45, 35, 20]
            )[0]
        # A quarter are logged from the shared phone line for whoever is free to pick up.
        return logged_by if self.rng.random() < 0.75 else None

    def _weighted(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), list(weights.values()))[0]

    # People --------------------------------------------------------------------------------------

    def _add_people(self, plan: CasePlan, wording: Summary) -> None:
        """The patient and whoever raised the case, fitting the words of its summary when they say who."""
        rng = self.rng
        on = plan.event_on or plan.received_on
        group = plan.service.patients
        if plan.kind == Kind.MP_LETTER:
            title, first, last, constituency = rng.choice(content.MPS)
            plan.complainant = PersonDetails(
                title=title,
                first_name=first,
                last_name=last,
                address_line_1=content.MP_OFFICE[0],
                town=content.MP_OFFICE[1],
                postcode=content.MP_OFFICE[2],
                email=f"{self._email_name(first, last)}.mp@parliament.example",
                preferred_contact_method=ContactMethod.EMAIL,
                communication_notes=f"Member of Parliament for {constituency}. Replies signed by the chief executive.",
            )
            plan.relationship_to_patient = Relationship.MP
            plan.patient = self._patient(group, on=on, woman=wording.patient_is_woman)
            return
        if plan.kind == Kind.ENQUIRY and not wording.raised_by and rng.random() < 0.3:
            plan.complainant = self._adult(age=rng.randint(25, 80), on=on)  # a general question, about no one patient
            return
        patient = self._patient(group, on=on, woman=wording.patient_is_woman, raised_by=wording.raised_by)
        if wording.patient_has_died and plan.event_on:
            days = rng.randint(0, min(10, (plan.received_on - plan.event_on).days))
            patient.date_of_death = plan.event_on + datetime.timedelta(days=days)
        if group in (CHILDREN, BABIES):
            speaks_for_self = 0.0
        elif wording.raised_by:
            speaks_for_self = 1.0 if wording.raised_by == PATIENT else 0.0
        else:
            speaks_for_self = {ADULTS: 0.65, MOTHERS: 0.7, OLDER_PEOPLE: 0.35}[group]
            if plan.kind == Kind.COMPLIMENT:
                speaks_for_self = max(speaks_for_self, 0.5)
        if rng.random() < speaks_for_self:
            plan.complainant, plan.complainant_is_patient = patient, True
            return
        plan.patient = patient
        relationship = wording.raised_by if wording.raised_by not in ("", PATIENT) else None
        plan.complainant, plan.relationship_to_patient = self._representative(
            patient, group=group, on=on, relationship=relationship
        )

    def _patient(
        self, group: str, *, on: datetime.date, woman: bool | None = None, raised_by: str = ""
    ) -> PersonDetails:
        rng = self.rng
        girl = rng.random() < 0.5 if woman is None else woman
        if group == BABIES:
            born = on - datetime.timedelta(days=rng.randint(0, 20))
            return self._person(
                first=rng.choice(content.GIRLS if girl else content.BOYS), born=born, title="", with_contact=False
            )
        if group == CHILDREN:
            return self._person(
                first=rng.choice(content.GIRLS if girl else content.BOYS),
                born=self._born(rng.randint(1, 15), on),
                title="",
                with_contact=False,
            )
        if group == MOTHERS:
            return self._adult(age=rng.randint(19, 43), on=on, woman=True)
        # A patient whose son or daughter speaks for them is older; one whose parent does is younger.
        if group == OLDER_PEOPLE or raised_by == Relationship.CHILD:
            return self._adult(age=rng.randint(68, 96), on=on, woman=woman)
        if raised_by == Relationship.PARENT:
            return self._adult(age=rng.randint(18, 40), on=on, woman=woman)
        return self._adult(age=rng.randint(18, 88), on=on, woman=woman)

    def _representative(
        self, patient: PersonDetails, *, group: str, on: datetime.date, relationship: str | None = None
    ) -> tuple[PersonDetails, str]:
        rng = self.rng
        patient_age = (on - patient.date_of_birth).days // 365
        if group in (CHILDREN, BABIES):
            parent = self._adult(age=patient_age + rng.randint(22, 40), on=on, woman=rng.random() < 0.7)
            parent.last_name = patient.last_name
            if parent.email:
                parent = self._with_email(parent)
            return parent, Relationship.PARENT
        if relationship is None and group == OLDER_PEOPLE:
            relationship = rng.choices(
                [Relationship.CHILD, Relationship.SPOUSE, Relationship.CARER, Relationship.ATTORNEY], [60, 28, 6, 6]
            )[0]
        elif relationship is None:
            # A grown-up child speaks for an older patient; a parent for a younger one.
            family = Relationship.CHILD if patient_age >= 55 else Relationship.PARENT
            relationship = rng.choices(
                [Relationship.SPOUSE, family, Relationship.SIBLING, Relationship.FRIEND], [50, 20, 15, 15]
            )[0]
        if relationship == Relationship.CHILD:
            age = max(patient_age - rng.randint(24, 36), 30)
        elif relationship == Relationship.PARENT:
            age = min(patient_age + rng.randint(22, 32), 95)
        elif relationship in (Relationship.SPOUSE, Relationship.SIBLING):
            age = max(patient_age + rng.randint(-6, 6), 18)
        else:
            age = rng.randint(30, 70)
        person = self._adult(age=age, on=on)
        if relationship == Relationship.SPOUSE and rng.random() < 0.7:
            person = dataclasses.replace(person, last_name=patient.last_name)
            if person.email:
                person = self._with_email(person)
        return person, relationship

    def _born(self, age_years: int, on: datetime.date) -> datetime.date:
        return on - datetime.timedelta(days=age_years * 365 + self.rng.randint(0, 364))

    def _adult(self, *, age: int, on: datetime.date, woman: bool | None = None) -> PersonDetails:
        rng = self.rng
        woman = rng.random() < 0.55 if woman is None else woman
        if rng.random() < 0.03:
            title = "Dr"
        elif woman:
            title = rng.choices(["Mrs", "Ms", "Miss"], [55, 30, 15])[0]
        else:
            title = "Mr"
        return self._person(
            first=rng.choice(content.WOMEN if woman else content.MEN), born=self._born(age, on), title=title
        )

    def _person(self, *, first: str, born: datetime.date, title: str, with_contact: bool = True) -> PersonDetails:
        rng = self.rng
        last = rng.choice(content.SURNAMES)
        town, outward = rng.choice(content.TOWNS)
        inward = f"{rng.randint(1, 9)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
        person = PersonDetails(
            title=title,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            nhs_number=self._nhs_number() if rng.random() < 0.9 else "",
            address_line_1=f"{rng.randint(1, 140)} {rng.choice(content.STREETS)}",
            town=town,
            postcode=f"{outward} {inward}",
        )
        if with_contact:
            # Ofcom's ranges for drama: 07700 900xxx and 01632 960xxx are never real numbers.
            if rng.random() < 0.7:
                person.phone = f"07700 900{rng.randint(0, 999):03d}"
            else:
                person.phone = f"01632 960{rng.randint(1, 999):03d}"
            person.preferred_contact_method = rng.choice(
                [ContactMethod.PHONE, ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.LETTER]
            )
            if rng.random() < 0.6:
                person = self._with_email(person)
        if rng.random() < 0.12:
            self._add_communication_need(person, older=born.year < self.today.year - 70)
        return person

    def _with_email(self, person: PersonDetails) -> PersonDetails:
        self.email_count += 1
        name = self._email_name(person.first_name, person.last_name)
        return dataclasses.replace(person, email=f"{name}{self.email_count}@example.com")

    @staticmethod
    def _email_name(first: str, last: str) -> str:
        return re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())

    def _add_communication_need(self, person: PersonDetails, *, older: bool) -> None:
        rng = self.rng
        codes = ["large-print", "hearing-loop", "carer-present"] if older else []
        codes += ["interpreter", "interpreter", "bsl", "easy-read", "email-only", "text-relay"]
        code = rng.choice(codes)
        need = self.communication_needs.get(code)
        if need is None:
            return
        person.communication_needs = [need]
        if code == "interpreter":
            person.interpreter_language = rng.choice(content.INTERPRETER_LANGUAGES)
        elif rng.random() < 0.5:
            person.communication_notes = rng.choice(content.COMMUNICATION_NOTES)

    def _nhs_number(self) -> str:
        """A valid number in the 999 range, which the NHS keeps for testing: it can never be a real patient's."""
        while True:
            first_nine = "999" + "".join(self.rng.choice("0123456789") for _ in range(6))
            digit = check_digit(first_nine)
            if digit is not None and first_nine + str(digit) not in self.nhs_numbers:
                self.nhs_numbers.add(first_nine + str(digit))
                return first_nine + str(digit)

    @staticmethod
    def _name_of(person: PersonDetails | None) -> str:
        if person is None:
            return "the caller"
        return " ".join(part for part in (person.title, person.last_name) if part) or person.first_name

    def _contact_name(self, plan: CasePlan) -> str:
        """How a caseworker notes who they spoke to: "Mrs Patel (daughter)"."""
        name = self._name_of(plan.complainant)
        words = _RELATIVE_WORDS.get(plan.relationship_to_patient)
        if words is None or plan.complainant is None:
            return name
        return f"{name} ({words[plan.complainant.first_name in content.WOMEN]})"

    # Working the case ----------------------------------------------------------------------------

    def _pick_up(self, plan: CasePlan, *, on: datetime.date) -> str | None:
        """The officer on the case. An unassigned one is picked up on the day given, unless that is still to come."""
        if plan.case_officer:
            return plan.case_officer
        officer = content.PALS_OFFICER_OF[plan.division]
        if on >= self.today:
            return None
        self._do(plan, on, officer, Assign(case_officer=officer))
        return officer

    def _work_pals_concern(self, plan: CasePlan, *, resolve_after: int | None = None, is_coded: bool = True) -> None:
        """Picked up, the service rung and the concern coded, then resolved; is_coded False leaves it uncoded."""
        rng = self.rng
        officer = self._pick_up(plan, on=self._after(plan.received_on, rng.choice([0, 1, 1, 2])))
        if officer is None:
            return
        first_call = self._after(plan.received_on, rng.choice([0, 0, 1]))
        if first_call >= self.today:
            return
        contact, body = rng.choice(content.PALS_CALLS_TO_SERVICE)
        call = Contact(channel=CALL, direction=OUTBOUND, contact=contact.format(service=plan.service.name), body=body)
        self._do(plan, first_call, officer, call)
        if is_coded:
            self._code(plan, first_call, officer)
        if rng.random() < 0.4:
            self._do(plan, first_call, officer, Note(body=rng.choice(content.PALS_NOTES)))
        speaks_for_an_adult = plan.relationship_to_patient and plan.service.patients in (ADULTS, OLDER_PEOPLE, MOTHERS)
        if speaks_for_an_adult and rng.random() < 0.4:
            evidence = f"The patient confirmed on the phone that {plan.complainant.first_name} may speak for them."
            consent = ConsentUpdate(status=Consent.Status.RECEIVED, status_on=first_call, evidence=evidence)
            self._do(plan, first_call, officer, consent)
        if resolve_after is None:
            resolve_after = rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8])
            if rng.random() < 0.08:
                resolve_after = rng.randint(12, 30)  # waiting on a service that is slow to reply
        resolved = self._after(plan.received_on, resolve_after)
        if resolved >= self.today:
            return
        self._resolve_concern(plan, officer, on=resolved)

    def _resolve_concern(self, plan: CasePlan, officer: str, *, on: datetime.date) -> None:
        body = self.rng.choice(content.PALS_CALLS_TO_COMPLAINANT)
        self._do(
            plan, on, officer, Contact(channel=CALL, direction=OUTBOUND, contact=self._contact_name(plan), body=body)
        )
        self._do(plan, on, officer, Move(to=Status.RESOLVED))

    def _work_compliment(self, plan: CasePlan) -> None:
        officer = self._pick_up(plan, on=self._after(plan.received_on, self.rng.choice([0, 1])))
        if officer is None:
            return
        shared = self._after(plan.received_on, self.rng.randint(1, 6))
        if shared >= self.today:
            return
        self._do(plan, shared, officer, Note(body=self.rng.choice(content.COMPLIMENT_NOTES)))
        self._code(plan, shared, officer)
        self._do(plan, shared, officer, Move(to=Status.CLOSED))

    def _work_enquiry(self, plan: CasePlan) -> None:
        officer = self._pick_up(plan, on=self._after(plan.received_on, 0))
        if officer is None:
            return
        answered = self._after(plan.received_on, self.rng.choice([0, 0, 1, 1, 2, 3]))
        if answered >= self.today:
            return
        answer = self.rng.choice(content.ENQUIRY_ANSWERS)
        if plan.complainant and plan.complainant.email and self.rng.random() < 0.5:
            step = Contact(channel=EMAIL, direction=OUTBOUND, contact=self._contact_name(plan), body=answer)
        else:
            step = Contact(channel=CALL, direction=OUTBOUND, contact=self._contact_name(plan), body=answer)
        self._do(plan, answered, officer, step)
        self._do(plan, answered, officer, Move(to=Status.RESOLVED))

    def _consent_steps(
        self, plan: CasePlan, *, on: datetime.date, refuse: bool = False, hold_chance: float = 0.0
    ) -> None:
        """Regulation 5: a representative needs the patient's consent, unless the patient cannot give it."""
        if not plan.relationship_to_patient or plan.patient is None:
            return
        officer = plan.case_officer or "coordinator"
        if plan.relationship_to_patient == Relationship.MP:
            evidence = "Constituent's signed consent enclosed with the MP's letter."
            self._do(plan, on, officer, ConsentUpdate(status=Consent.Status.RECEIVED, status_on=on, evidence=evidence))
            return
        if plan.patient.date_of_death:
            reason, evidence = (
                Consent.ActingReason.DECEASED,
                "Next of kin; the death is recorded on the hospital system.",
            )
        elif plan.relationship_to_patient == Relationship.PARENT and plan.service.patients in (CHILDREN, BABIES):
            reason, evidence = Consent.ActingReason.CHILD, "Parent with parental responsibility."
        elif plan.relationship_to_patient == Relationship.ATTORNEY:
            reason = Consent.ActingReason.LACKS_CAPACITY
            evidence = "Copy of the lasting power of attorney for health and welfare seen and scanned."
        else:
            reason = ""
        if reason:
            self._do(
                plan,
                on,
                officer,
                ConsentUpdate(status=Consent.Status.NOT_POSSIBLE, evidence=evidence, acting_reason=reason),
            )
            return
        self._do(plan, on, officer, ConsentUpdate(status=Consent.Status.REQUESTED, status_on=on))
        answered = self._after(on, self.rng.randint(3, 12))
        if answered >= self.today:
            return
        # The response clock waits for the consent. Only holds already over are planned at random:
        # the holds still open today are the hand-written stories'.
        held = plan.kind == Kind.COMPLAINT and self.rng.random() < hold_chance
        if held:
            self._do(plan, on, officer, Hold(reason=AWAITING_CONSENT, note=content.CONSENT_HOLD_NOTE))
        if refuse:
            self._do(plan, answered, officer, ConsentUpdate(status=Consent.Status.REFUSED, status_on=answered))
            return  # a hold ends when the complaint does
        evidence = "Signed consent form returned by post."
        self._do(
            plan,
            answered,
            officer,
            ConsentUpdate(status=Consent.Status.RECEIVED, status_on=answered, evidence=evidence),
        )
        if held:
            self._do(plan, answered, officer, ReleaseHold())

    def _acknowledgement_method(self, plan: CasePlan) -> str:
        """Mostly the way the complaint came in: a letter for a letter, an email for an email; now and then a call."""
        letter, email, phone, in_person = (
            AcknowledgementMethod.LETTER,
            AcknowledgementMethod.EMAIL,
            AcknowledgementMethod.PHONE,
            AcknowledgementMethod.IN_PERSON,
        )
        if plan.kind == Kind.MP_LETTER:
            return self._weighted({email: 60, letter: 40})
        came_by_email = plan.channel in (Channel.EMAIL, Channel.WEB_FORM)
        if came_by_email:
            weights = {email: 70, letter: 20, phone: 10}
        elif plan.channel == Channel.PHONE:
            weights = {letter: 45, phone: 35, email: 20}
        elif plan.channel == Channel.IN_PERSON:
            weights = {in_person: 60, letter: 40}
        else:
            weights = {letter: 70, email: 20, phone: 10}
        if not came_by_email and not (plan.complainant and plan.complainant.email):
            weights.pop(email, None)
        return self._weighted(weights)

    def _agreed_with(self, plan: CasePlan, how: str = "") -> str:
        """Who agreed a date with us, and how: "Mrs Okafor (daughter), by phone"."""
        if not how:
            has_email = plan.complainant is not None and bool(plan.complainant.email)
            how = self.rng.choice([h for h in content.AGREED_HOW if has_email or h != "by email"])
        return f"{self._contact_name(plan)}, {how}"

    def _response(self, plan: CasePlan) -> PlannedResponse:
        return planned_response(plan, calendar=self.calendar, target_working_days=self.response_targets[plan.kind])

    def _agree_response_date(
        self, plan: CasePlan, by: str, *, on: datetime.date, due_on: datetime.date | None = None
    ) -> None:
        """Regulation 13(7): at the offer to discuss, a response date agreed with the complainant."""
        if on >= self.today:
            return
        step = AgreeResponseDate(due_on=due_on or on, agreed_with=self._agreed_with(plan))
        day = self._do(plan, on, by, step)
        if due_on is None:
            working_days = self.rng.choice([30, 35, 40, 40, 45, 50, 60])
            step.due_on = max(
                self.calendar.add_working_days(plan.received_on, working_days), self.calendar.add_working_days(day, 10)
            )
        elif due_on < day:
            raise ValueError(f"A story agrees a response date, {due_on}, before the day it is agreed, {day}.")

    def _extend(
        self,
        plan: CasePlan,
        by: str,
        *,
        on: datetime.date,
        due_on: datetime.date,
        reason: str,
        late_reason: str = "",
        how: str = "",
    ) -> bool:
        """Agree a later response date; with late_reason, one agreed after the date it replaces.

        Returns whether it was planned: a random extension that would land late (after a late-night step
        pushed it to the next day) is dropped. A hand-written story that goes wrong is a planning mistake.
        """
        previous = self._response(plan).due_on
        step = ExtendResponseDate(
            due_on=due_on, reason=reason, agreed_with=self._agreed_with(plan, how), late_reason=late_reason
        )
        day = self._do(plan, on, by, step)
        if (day > previous) == bool(late_reason) and previous < due_on and day <= due_on:
            return True
        plan.steps.pop()
        if late_reason:
            raise ValueError(f"A story's late extension on {day} does not follow the date it replaces, {previous}.")
        return False

    def _keep_response_date(self, plan: CasePlan, by: str, *, until: datetime.date) -> None:
        """Before a complaint's response date passes unmet (by `until`), usually agree a later one with the complainant.

        Sometimes the date is simply missed: the response goes late, or is overdue today.
        """
        if plan.kind != Kind.COMPLAINT:
            return
        response = self._response(plan)
        if not response.is_running or until <= response.due_on:
            return
        if self.rng.random() >= (0.7 if response.is_agreed else 0.4):
            return
        agree_on = max(
            timezone.localdate(plan.last_at),
            self.calendar.add_working_days(response.due_on, -self.rng.randint(1, 4)),
        )
        if agree_on > response.due_on:
            return  # too late to agree it in time
        self._extend(
            plan,
            by,
            on=agree_on,
            due_on=self.calendar.add_working_days(until, self.rng.randint(5, 15)),
            reason=self.rng.choice(content.EXTENSION_REASONS),
        )

    def _await_complainant(self, plan: CasePlan, by: str, *, on: datetime.date) -> None:
        """Hold the response clock while the complainant sends what the investigation needs; released when it comes."""
        back = self._after(on, self.rng.randint(3, 10))
        if back >= self.today:
            return  # the holds still open today are the hand-written stories'
        self._do(plan, on, by, Hold(reason=AWAITING_COMPLAINANT, note=self.rng.choice(content.COMPLAINANT_HOLD_NOTES)))
        channel = EMAIL if plan.complainant and plan.complainant.email else CALL
        body = self.rng.choice(content.COMPLAINANT_INFORMATION_RECEIVED)
        self._do(
            plan, back, by, Contact(channel=channel, direction=INBOUND, contact=self._contact_name(plan), body=body)
        )
        self._do(plan, back, by, ReleaseHold())

    def _work_formal_case(
        self,
        plan: CasePlan,
        *,
        stop_at: str = Status.CLOSED,
        withdraw_chance: float = 0.0,
        acknowledge_after: int | None = None,
        draft_after: int | None = None,
        return_draft: bool | None = None,
        acknowledgement_method: str = "",
        agreed_due_on: datetime.date | None = None,
        time_limit: DecideTimeLimit | None = None,
        clock_steps: bool = True,
        hold_chance: float | None = None,
        cover_chance: float = 0.1,
        grading: Grade | bool | None = True,
        aspects: int | None = None,
        midway: Sequence[Step] = (),
    ) -> None:
        """A complaint or MP letter along its pathway (regulations 12 to 14), up to stop_at or today.

        With clock_steps, a complaint may have its response date agreed at the offer to discuss, be held
        while consent or the complainant's information is awaited, and have its date extended before it
        passes. Stories whose deadlines must be in a given state today turn them off and say what they want:
        agreed_due_on, a time_limit decision (one that takes the complaint on), hold_chance for the holds,
        and cover_chance 0 to keep the case with its officer (otherwise sometimes passed on to cover leave).

        Soon after acknowledgement the case is graded (as its summary suggests, or by the grading given; not
        with False or None) and coded (with its summary's aspects: the first `aspects` of them if given, 0 for none
        yet); its outcomes go with the draft response. `midway` steps (each with its `by`) come halfway
        through the investigation.
        """
        officer = self._walk_formal_case(
            plan,
            stop_at=stop_at,
            withdraw_chance=withdraw_chance,
            acknowledge_after=acknowledge_after,
            draft_after=draft_after,
            return_draft=return_draft,
            acknowledgement_method=acknowledgement_method,
            agreed_due_on=agreed_due_on,
            time_limit=time_limit,
            clock_steps=clock_steps,
            hold_chance=hold_chance,
            cover_chance=cover_chance,
            grading=grading,
            aspects=aspects,
            midway=midway,
        )
        if clock_steps:
            self._keep_response_date(plan, officer, until=self.today)

    def _walk_formal_case(
        self,
        plan: CasePlan,
        *,
        stop_at: str,
        withdraw_chance: float,
        acknowledge_after: int | None,
        draft_after: int | None,
        return_draft: bool | None,
        acknowledgement_method: str,
        agreed_due_on: datetime.date | None,
        time_limit: DecideTimeLimit | None,
        clock_steps: bool,
        hold_chance: float | None,
        cover_chance: float,
        grading: Grade | bool | None,
        aspects: int | None,
        midway: Sequence[Step],
    ) -> str:
        """The steps of _work_formal_case; returns who is the case officer at the end."""
        rng = self.rng
        officer = plan.case_officer or "coordinator"
        investigator = content.INVESTIGATOR_OF[plan.division]
        is_complaint = plan.kind == Kind.COMPLAINT
        consent_hold_chance = hold_chance if hold_chance is not None else (0.5 if clock_steps else 0.0)
        complainant_hold_chance = hold_chance if hold_chance is not None else (0.12 if clock_steps else 0.0)

        def keep_response_date(until: datetime.date) -> None:
            if clock_steps:
                self._keep_response_date(plan, officer, until=until)

        withdraw_at = (
            rng.choice([Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION]) if rng.random() < withdraw_chance else ""
        )
        if plan.kind == Kind.MP_LETTER:
            self._consent_steps(plan, on=plan.received_on)  # the MP sends the constituent's consent with the letter
        if stop_at == Status.RECEIVED:
            return officer
        if acknowledge_after is None:
            acknowledge_after = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])  # 4 misses regulation 13(2)
        day = self._after(plan.received_on, acknowledge_after)
        if day >= self.today:
            return officer
        is_mp_letter = plan.kind == Kind.MP_LETTER
        method = acknowledgement_method or self._acknowledgement_method(plan)
        day = self._do(plan, day, officer, Move(to=Status.ACKNOWLEDGED, acknowledgement_method=method))
        notes = content.MP_ACKNOWLEDGEMENT_NOTES if is_mp_letter else content.ACKNOWLEDGEMENT_NOTES
        self._do(plan, day, officer, Note(body=rng.choice(notes[method])))
        if time_limit is None:
            self._triage(plan, day, officer, grading=grading, aspects=aspects)
        if not is_mp_letter:
            self._consent_steps(plan, on=day, hold_chance=consent_hold_chance)
        if time_limit is not None:
            if not time_limit.is_accepted:
                raise ValueError("A complaint not taken on is closed, not worked: plan its story by hand.")
            decided_on = self._do(plan, self._after(day, 1), "coordinator", time_limit)
            # Graded and coded once it is taken on.
            self._triage(plan, decided_on, officer, grading=grading, aspects=aspects)
        if is_complaint and (agreed_due_on or (clock_steps and rng.random() < 0.45)):
            offer_on = self._after(day, rng.choice([0, 1, 2, 3]))
            self._agree_response_date(plan, officer, on=offer_on, due_on=agreed_due_on)
        if withdraw_at == Status.ACKNOWLEDGED:
            self._withdraw(plan, officer, on=self._after(day, rng.randint(2, 10)))
            return officer
        if stop_at == Status.ACKNOWLEDGED:
            return officer
        day = self._after(day, rng.choice([0, 1, 2]))
        if day >= self.today:
            return officer
        self._do(plan, day, "coordinator", Assign(investigating_manager=investigator))
        day = self._after(day, rng.choice([1, 2, 3, 5]))
        if day >= self.today:
            return officer
        day = self._do(plan, day, investigator, Move(to=Status.UNDER_INVESTIGATION))
        first_note, second_note_body = rng.sample(content.INVESTIGATION_NOTES, 2)
        self._do(plan, day, investigator, Note(body=first_note))
        if is_complaint and rng.random() < complainant_hold_chance:
            self._await_complainant(plan, officer, on=self._after(day, rng.randint(1, 4)))
        if rng.random() < cover_chance:
            cover = rng.choice([name for name in ("coordinator", "pals.lead") if name != officer])
            cover_on = self._after(day, rng.randint(1, 5))
            if cover_on < self.today:
                reason = rng.choice(content.REASSIGNMENT_REASONS)
                self._do(plan, cover_on, "coordinator", Assign(case_officer=cover, reason=reason))
                officer = cover
        if rng.random() < 0.6:
            call_on = self._after(day, rng.randint(2, 8))
            if call_on < self.today:
                if is_mp_letter:
                    contact = f"Office of {self._name_of(plan.complainant)} MP"
                    call = Contact(
                        channel=CALL, direction=INBOUND, contact=contact, body=rng.choice(content.MP_OFFICE_CALLS)
                    )
                else:
                    body = rng.choice(content.COMPLAINANT_CALLS)
                    direction = rng.choice([INBOUND, OUTBOUND])
                    call = Contact(channel=CALL, direction=direction, contact=self._contact_name(plan), body=body)
                self._do(plan, call_on, officer, call)
        if withdraw_at == Status.UNDER_INVESTIGATION:
            self._withdraw(plan, officer, on=self._after(day, rng.randint(5, 15)))
            return officer
        if draft_after is None:
            draft_after = rng.randint(6, 15) if plan.kind == Kind.MP_LETTER else rng.randint(10, 28)
            if rng.random() < 0.08:
                draft_after += rng.randint(20, 50)  # the investigation that drags on
        second_note = self._after(day, max(1, draft_after // 2))
        if second_note < self.today:
            keep_response_date(second_note)
            for step in midway:
                self._do(plan, second_note, step.by, step)
            self._do(plan, second_note, investigator, Note(body=second_note_body))
        if stop_at == Status.UNDER_INVESTIGATION:
            return officer
        day = self._after(day, draft_after)
        if day >= self.today:
            return officer
        keep_response_date(day)
        self._record_outcomes(plan, day, investigator)
        day = self._do(plan, day, investigator, Move(to=Status.RESPONSE_IN_REVIEW))
        if return_draft if return_draft is not None else rng.random() < 0.15:
            day = self._after(day, rng.randint(1, 3))
            if day >= self.today:
                return officer
            reason = rng.choice(content.RETURN_REASONS)
            day = self._do(plan, day, "coordinator", Move(to=Status.UNDER_INVESTIGATION, reason=reason))
            day = self._after(day, rng.randint(2, 6))
            if day >= self.today:
                return officer
            keep_response_date(day)
            day = self._do(plan, day, investigator, Move(to=Status.RESPONSE_IN_REVIEW))
        if stop_at == Status.RESPONSE_IN_REVIEW:
            return officer
        day = self._after(day, rng.randint(1, 4))
        if day >= self.today:
            return officer
        approval = content.MP_APPROVAL_NOTES if is_mp_letter else content.APPROVAL_NOTES
        day = self._do(plan, day, "approver", Note(body=rng.choice(approval)))
        day = self._after(day, rng.randint(0, 2))
        if day >= self.today:
            return officer
        keep_response_date(day)
        day = self._do(plan, day, officer, Move(to=Status.RESPONSE_SENT))
        sent = content.MP_REPLY_SENT_NOTES if is_mp_letter else content.RESPONSE_SENT_NOTES
        self._do(plan, day, officer, Note(body=rng.choice(sent)))
        if stop_at == Status.RESPONSE_SENT:
            return officer
        # Closed once the complainant has had time to come back with questions about the response.
        day = self._after(day, rng.randint(10, 25))
        if day >= self.today:
            return officer
        self._do(plan, day, officer, Move(to=Status.CLOSED))
        return officer

    # Grading and coding ------------------------------------------------------------------------

    def _grading(self, consequence: int, likelihood: int, rationale: str = "") -> Grade | None:
        """A grading on the trust's matrix, with the grade it gives; None when the trust does not grade by a matrix."""
        points = consequence * likelihood
        band = next((band for band in self.grades if band.min_score <= points <= band.max_score), None)
        if band is None:
            return None
        if not rationale:
            rationale = (
                f"{self.rng.choice(content.GRADING_CONSEQUENCES[consequence])} "
                f"{content.GRADING_LIKELIHOODS[likelihood]}"
            )
        return Grade(
            consequence=consequence,
            likelihood=likelihood,
            rationale=rationale,
            grade=band.code,
            response_working_days=band.response_working_days,
        )

    def _target_once_graded(self, kind: str, grading: Grade | None) -> int:
        """The response target a case runs on once so graded: the grade's, or the kind's if it is not graded."""
        return grading.response_working_days if grading else self.response_targets[kind]

    @staticmethod
    def _coding_of(plan: CasePlan) -> content.Coding:
        coding = content.CODING.get(plan.summary)
        if coding is None:
            raise ValueError(f"content.CODING does not say how to code '{plan.summary}'.")
        return coding

    def _issue(self, plan: CasePlan, aspect: Aspect, *, with_hcat: bool) -> AddIssue:
        """The aspect as an issue of this case: the service's usual area and clinical group unless it says otherwise."""
        code = plan.service.code
        is_clinical = aspect.subject == CLINICAL_TREATMENT
        hcat = aspect.hcat if with_hcat else None
        return AddIssue(
            subject=aspect.subject,
            service_area=aspect.service_area or content.SERVICE_AREAS[code],
            description=aspect.description,
            professions=aspect.professions if plan.kind in _FORMAL_KINDS else (),
            clinical_subcategory=(aspect.clinical_subcategory or content.CLINICAL_GROUPS[code]) if is_clinical else "",
            local_subject=aspect.local_subject,
            hcat_category=hcat[0] if hcat else "",
            hcat_severity=hcat[1] if hcat else None,
            hcat_harm=hcat[2] if hcat else None,
            not_investigated_reason=aspect.not_investigated_reason,
        )

    def _code(self, plan: CasePlan, on: datetime.date, by: str, *, aspects: int | None = None) -> None:
        """Code what the case is about: its summary's first aspect, and each other one the case raises (at most 3).

        aspects: the first that many, whatever the case. PALS concerns and compliments have one, without
        professions or HCAT; complaints and MP letters mostly have HCAT too.
        """
        rng = self.rng
        coding = self._coding_of(plan)
        if plan.kind not in _FORMAL_KINDS:
            chosen = coding.aspects[:1]
        elif aspects is not None:
            chosen = coding.aspects[:aspects]
        else:
            # Another organisation's part is raised less often than the trust's own.
            chosen = coding.aspects[:1] + tuple(
                aspect
                for aspect in coding.aspects[1:]
                if rng.random() < (0.5 if aspect.not_investigated_reason else 0.75)
            )
        with_hcat = plan.kind in _FORMAL_KINDS and rng.random() < _HCAT_SHARE
        for aspect in chosen[:3]:
            self._do(plan, on, by, self._issue(plan, aspect, with_hcat=with_hcat))

    def _triage(
        self,
        plan: CasePlan,
        acknowledged_on: datetime.date,
        officer: str,
        *,
        grading: Grade | bool | None,
        aspects: int | None,
    ) -> None:
        """Soon after acknowledgement, the co-ordinator grades the case and its officer codes what it is about.

        Graded before any response date is agreed with the complainant, so that the grade's target is the
        date the offer to discuss starts from.
        """
        on = acknowledged_on
        if self.rng.random() < 0.3 and self._after(on, 1) < self.today:
            on = self._after(on, 1)
        if grading is True:
            likelihood = self.rng.choices(list(_LIKELIHOOD_WEIGHTS), list(_LIKELIHOOD_WEIGHTS.values()))[0]
            grading = self._grading(self._coding_of(plan).consequence, likelihood)
        if grading:
            on = self._do(plan, on, "coordinator", grading)
        if aspects != 0:
            self._code(plan, on, officer, aspects=aspects)

    def _dealt_outcome(self) -> str:
        if not self.outcome_deck:
            self.outcome_deck = list(_OUTCOME_DECK)
            self.rng.shuffle(self.outcome_deck)
        return self.outcome_deck.pop()

    def _findings(self, kind: str, count: int) -> list[str]:
        """The outcome of each of count investigated issues, adding up to a case outcome in the national mix."""
        rng = self.rng
        if count == 0:
            return []
        if kind == Kind.COMPLAINT:
            outcome = self._dealt_outcome()
        else:
            outcome = rng.choices(list(_MP_LETTER_OUTCOMES), list(_MP_LETTER_OUTCOMES.values()))[0]
        if outcome != Outcome.PARTIALLY_UPHELD:
            return [outcome] * count
        if count == 1:
            return [outcome]
        # Partly upheld: something found wanting, and not everything.
        findings = [rng.choice([Outcome.UPHELD, Outcome.PARTIALLY_UPHELD])]
        findings += [rng.choice(_FOUND) for _ in range(count - 1)]
        if all(finding == Outcome.UPHELD for finding in findings):
            findings[-1] = Outcome.NOT_UPHELD
        rng.shuffle(findings)
        return findings

    def _record_outcomes(self, plan: CasePlan, on: datetime.date, by: str) -> None:
        """The investigator records what was found on each issue as the draft response goes for review."""
        issues = plan.issues
        findings = iter(self._findings(plan.kind, sum(not issue.not_investigated_reason for issue in issues)))
        for number, issue in enumerate(issues, start=1):
            if issue.not_investigated_reason:
                step = RecordOutcome(
                    issue=number,
                    outcome=Outcome.NOT_INVESTIGATED,
                    not_investigated_reason=issue.not_investigated_reason,
                )
            else:
                step = RecordOutcome(issue=number, outcome=next(findings))
            self._do(plan, on, by, step)

    def _withdraw(self, plan: CasePlan, officer: str, *, on: datetime.date, reason: str = "") -> None:
        if on >= self.today:
            return
        reason = reason or self.rng.choice(content.WITHDRAWAL_REASONS)
        self._do(
            plan, on, officer, Contact(channel=CALL, direction=INBOUND, contact=self._contact_name(plan), body=reason)
        )
        self._do(plan, on, officer, Move(to=Status.WITHDRAWN, reason=reason))

    # The hand-written stories: every status of every kind, and each kind of special case, whatever the seed.

    def _summary(self, kind_list: list[Summary], service: str, starts: str = "") -> Summary:
        return next(s for s in kind_list if s.service == service and s.text.startswith(starts))

    def complaint_just_received(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "ORTHO", "Hip"),
            self._working_days_ago(1),
            channel=Channel.WEB_FORM,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        return [plan]

    def complaint_awaiting_investigator(self) -> list[CasePlan]:
        # Acknowledged, waiting for the patient's consent and for the division to name an investigator.
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "AMU"),
            self._working_days_ago(4),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="pals.lead",
        )
        plan.patient = self._adult(age=84, on=plan.received_on, woman=False)
        plan.complainant = self._adult(age=52, on=plan.received_on, woman=True)
        plan.complainant_is_patient, plan.relationship_to_patient = False, Relationship.CHILD
        # Graded, but its issues wait for the consent and the investigator: a gap on the data quality page.
        self._work_formal_case(plan, acknowledge_after=2, stop_at=Status.ACKNOWLEDGED, aspects=0)
        return [plan]

    def staff_complaint_under_investigation(self) -> list[CasePlan]:
        # A member of staff complaining about their own care: restricted to the people named on it.
        wording = Summary(
            "GENSURG",
            "Member of staff unhappy with the care and privacy during her own admission",
            "She works in the trust and says colleagues looked at her record and discussed her care on the ward.",
        )
        plan = self._open(
            Kind.COMPLAINT,
            wording,
            self._working_days_ago(22),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.is_staff_complainant = True
        plan.complainant = self._adult(age=41, on=plan.received_on, woman=True)
        plan.complainant_is_patient, plan.patient, plan.relationship_to_patient = True, None, ""
        self._work_formal_case(plan, acknowledge_after=2, draft_after=40, stop_at=Status.UNDER_INVESTIGATION)
        return [plan]

    def pressure_ulcer_complaint_in_review(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "WARD7"),
            self._working_days_ago(45),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.is_safeguarding = plan.is_vulnerable_person = True
        self._do(
            plan,
            plan.received_on,
            "coordinator",
            Note(body="Safeguarding referral made to the local authority adult safeguarding team; Datix raised."),
        )
        self._work_formal_case(
            plan, acknowledge_after=1, draft_after=22, return_draft=True, stop_at=Status.RESPONSE_IN_REVIEW
        )
        return [plan]

    def maternity_complaint_with_media_interest(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "MAT", "Concerns about care in labour"),
            self._working_days_ago(45),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.has_media_interest = plan.has_mp_interest = True
        self._do(
            plan,
            plan.received_on,
            "coordinator",
            Note(body="The local paper has contacted the communications team; holding statement agreed. MP copied in."),
        )
        self._work_formal_case(
            plan,
            acknowledge_after=1,
            draft_after=24,
            return_draft=False,
            stop_at=Status.RESPONSE_SENT,
            grading=self._grading(5, 3, content.MATERNITY_GRADING_REASON),
        )
        return [plan]

    def end_of_life_complaint_closed(self) -> list[CasePlan]:
        # The family first rang PALS; their complaint a fortnight later is linked to that concern.
        received_on = self._working_days_ago(110)
        patient = self._adult(age=87, on=received_on, woman=False)
        daughter = self._adult(age=55, on=received_on, woman=True)
        concern = self._open(
            Kind.PALS_CONCERN,
            Summary("ELDER", "Family unable to get an update on their father at St Aidan's"),
            received_on,
            channel=Channel.PHONE,
            logged_by="pals.officer",
            case_officer="pals.officer",
        )
        concern.site = "RX903"
        concern.complainant, concern.complainant_is_patient = daughter, False
        concern.patient, concern.relationship_to_patient = patient, Relationship.CHILD
        concern.is_vulnerable_person = True
        self._work_pals_concern(concern, resolve_after=2)

        died_on = self._after(received_on, 6)
        complaint_on = self._after(received_on, 12)
        complaint = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "ELDER"),
            complaint_on,
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        complaint.event_on = died_on
        complaint.complainant = dataclasses.replace(daughter)
        complaint.complainant_is_patient = False
        complaint.patient = dataclasses.replace(patient, date_of_death=died_on)
        complaint.relationship_to_patient = Relationship.CHILD
        link = Link(other=concern, reason="The family raised this with PALS before their father died")
        self._do(complaint, complaint_on, "coordinator", link)
        # The daughter brought her letter to the PALS office, and was seen there and then.
        self._work_formal_case(
            complaint,
            acknowledge_after=0,
            acknowledgement_method=AcknowledgementMethod.IN_PERSON,
            draft_after=26,
            return_draft=False,
        )
        return [concern, complaint]

    def reopened_complaint(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "RAD"),
            self._working_days_ago(190),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="pals.lead",
        )
        self._work_formal_case(plan, acknowledge_after=2, draft_after=22, return_draft=False)
        reopened_on = self._working_days_ago(24)
        reason = content.REOPEN_REASONS[0]
        self._do(
            plan,
            reopened_on,
            "pals.lead",
            Contact(channel=EMAIL, direction=INBOUND, contact=self._contact_name(plan), body=reason),
        )
        day = self._do(plan, reopened_on, "coordinator", Move(to=Status.UNDER_INVESTIGATION, reason=reason))
        # What the complainant came back about is an issue of its own, open until the second response.
        handling = Aspect(
            "complaints-handling",
            content.REOPENED_COMPLAINT_HANDLING,
            (content.ADMINISTRATIVE,),
            hcat=("institutional-processes", 1, 0),
        )
        has_hcat = any(issue.hcat_category for issue in plan.issues)
        self._do(plan, day, "coordinator", self._issue(plan, handling, with_hcat=has_hcat))
        self._do(
            plan,
            self._after(day, 4),
            "dm.support",
            Note(body="Local resolution meeting booked with the family and the consultant radiologist."),
        )
        return [plan]

    def complaint_withdrawn_after_surgery(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "ORTHO", "Hip"),
            self._working_days_ago(70),
            channel=Channel.LETTER,
            logged_by="pals.lead",
            case_officer="pals.lead",
        )
        self._work_formal_case(plan, acknowledge_after=2, stop_at=Status.ACKNOWLEDGED)
        self._withdraw(plan, "pals.lead", on=self._working_days_ago(64), reason=content.WITHDRAWAL_REASONS[0])
        return [plan]

    def complaint_withdrawn_without_consent(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "GENSURG"),
            self._working_days_ago(130),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.patient = self._adult(age=58, on=plan.received_on, woman=True)
        plan.complainant = self._adult(age=31, on=plan.received_on, woman=False)
        plan.complainant_is_patient, plan.relationship_to_patient = False, Relationship.CHILD
        acknowledgement = Move(to=Status.ACKNOWLEDGED, acknowledgement_method=AcknowledgementMethod.EMAIL)
        day = self._do(plan, self._after(plan.received_on, 2), "coordinator", acknowledgement)
        self._do(plan, day, "coordinator", Note(body=content.ACKNOWLEDGEMENT_NOTES["email"][0]))
        self._triage(plan, day, "coordinator", grading=True, aspects=None)
        self._consent_steps(plan, on=day, refuse=True)
        reason = (
            "The patient has not consented to her son acting for her; he has been told we cannot share her information."
        )
        self._do(plan, self._after(day, 14), "coordinator", Move(to=Status.WITHDRAWN, reason=reason))
        return [plan]

    def _mp_letter(self, wording: Summary, working_days_ago: int, **pathway) -> list[CasePlan]:
        plan = self._open(
            Kind.MP_LETTER,
            wording,
            self._working_days_ago(working_days_ago),
            channel=Channel.VIA_MP,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        self._work_formal_case(plan, return_draft=False, **pathway)
        return [plan]

    def mp_letter_received(self) -> list[CasePlan]:
        return self._mp_letter(content.MP_LETTERS[1], 1, stop_at=Status.RECEIVED)

    def mp_letter_acknowledged(self) -> list[CasePlan]:
        return self._mp_letter(content.MP_LETTERS[5], 5, acknowledge_after=2, stop_at=Status.ACKNOWLEDGED)

    def mp_letter_under_investigation(self) -> list[CasePlan]:
        return self._mp_letter(
            content.MP_LETTERS[2], 14, acknowledge_after=1, draft_after=30, stop_at=Status.UNDER_INVESTIGATION
        )

    def mp_letter_in_review(self) -> list[CasePlan]:
        return self._mp_letter(
            content.MP_LETTERS[0], 22, acknowledge_after=1, draft_after=10, stop_at=Status.RESPONSE_IN_REVIEW
        )

    def mp_letter_response_sent(self) -> list[CasePlan]:
        return self._mp_letter(
            content.MP_LETTERS[4], 30, acknowledge_after=1, draft_after=12, stop_at=Status.RESPONSE_SENT
        )

    def mp_letter_closed(self) -> list[CasePlan]:
        return self._mp_letter(content.MP_LETTERS[3], 90, acknowledge_after=1, draft_after=12)

    def mp_letter_withdrawn(self) -> list[CasePlan]:
        plan = self._mp_letter(content.MP_LETTERS[6], 45, acknowledge_after=2, stop_at=Status.ACKNOWLEDGED)[0]
        reason = "The MP's office wrote to say the constituent's parking charge has been refunded; no reply needed."
        self._do(plan, self._working_days_ago(38), "coordinator", Move(to=Status.WITHDRAWN, reason=reason))
        return [plan]

    def staff_concern_resolved(self) -> list[CasePlan]:
        wording = Summary(
            "OPD",
            "Member of staff's own outpatient appointment discussed in front of colleagues",
            "Works in the trust and was called by her full name and reason for attending in a staff area.",
        )
        plan = self._open(
            Kind.PALS_CONCERN,
            wording,
            self._working_days_ago(45),
            channel=Channel.PHONE,
            logged_by="pals.lead",
            case_officer="pals.lead",
        )
        plan.is_staff_complainant = True
        plan.complainant = self._adult(age=36, on=plan.received_on, woman=True)
        plan.complainant_is_patient, plan.patient, plan.relationship_to_patient = True, None, ""
        self._work_pals_concern(plan, resolve_after=4)
        return [plan]

    def pals_concern_reopened(self) -> list[CasePlan]:
        plan = self._open(
            Kind.PALS_CONCERN,
            self._summary(content.PALS_CONCERNS, "CARD", "Cardiology"),
            self._working_days_ago(40),
            channel=Channel.PHONE,
            logged_by="pals.officer",
            case_officer="pals.officer",
        )
        # Resolved twice and never coded: a gap on the data quality page.
        self._work_pals_concern(plan, resolve_after=2, is_coded=False)
        reason = "Rang back: the promised appointment letter never came."
        day = self._after(plan.received_on, 9)
        self._do(
            plan,
            day,
            "pals.officer",
            Contact(channel=CALL, direction=INBOUND, contact=self._contact_name(plan), body=reason),
        )
        self._do(plan, day, "pals.officer", Move(to=Status.OPEN, reason=reason))
        self._resolve_concern(plan, "pals.officer", on=self._after(day, 2))
        return [plan]

    def pals_concern_logged_at_help_desk(self) -> list[CasePlan]:
        wording = Summary(
            "AMU",
            "Wife worried her husband is not eating and seems more confused",
            "Came to the help desk in tears. Nobody on the ward has time to talk to her.",
        )
        plan = self._open(
            Kind.PALS_CONCERN,
            wording,
            self._working_days_ago(1),
            channel=Channel.IN_PERSON,
            logged_by="volunteer",
            case_officer=None,
        )
        plan.is_vulnerable_person = True
        return [plan]

    def safeguarding_concern_open(self) -> list[CasePlan]:
        wording = Summary(
            "ELDER",
            "Bruising noticed on mother's arms after her stay at St Aidan's",
            "Her son noticed bruises on both forearms when she came home. Nobody mentioned a fall.",
        )
        plan = self._open(
            Kind.PALS_CONCERN,
            wording,
            self._working_days_ago(3),
            channel=Channel.PHONE,
            logged_by="pals.officer",
            case_officer="pals.officer",
        )
        plan.is_safeguarding = plan.is_vulnerable_person = True
        self._do(
            plan,
            plan.received_on,
            "pals.officer",
            Note(body="Safeguarding team informed and a referral made. PALS will keep the family updated."),
        )
        self._do(
            plan,
            self._after(plan.received_on, 1),
            "pals.officer",
            Contact(
                channel=CALL,
                direction=OUTBOUND,
                contact="Safeguarding lead nurse",
                body="Referral received and triaged.",
            ),
        )
        return [plan]

    def compliment_awaiting_thanks(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLIMENT,
            self._summary(content.COMPLIMENTS, "MAT"),
            self._working_days_ago(1),
            channel=Channel.IN_PERSON,
            logged_by="volunteer",
            case_officer=None,
        )
        return [plan]

    def compliment_shared(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLIMENT,
            self._summary(content.COMPLIMENTS, "WARD7"),
            self._working_days_ago(60),
            channel=Channel.LETTER,
            logged_by="pals.officer",
            case_officer="pals.officer",
        )
        self._work_compliment(plan)
        return [plan]

    def enquiry_open(self) -> list[CasePlan]:
        plan = self._open(
            Kind.ENQUIRY,
            self._summary(content.ENQUIRIES, "TRANSPORT"),
            self._working_days_ago(1),
            channel=Channel.PHONE,
            logged_by="pals.lead",
            case_officer=None,  # taken on the shared line, for whoever covers the division
        )
        return [plan]

    def enquiry_reopened(self) -> list[CasePlan]:
        plan = self._open(
            Kind.ENQUIRY,
            self._summary(content.ENQUIRIES, "FACILITIES", "How to claim"),
            self._working_days_ago(30),
            channel=Channel.PHONE,
            logged_by="pals.officer2",
            case_officer="pals.officer2",
        )
        self._work_enquiry(plan)
        reason = "Called back: the form we posted has not arrived."
        day = self._after(plan.received_on, 5)
        self._do(plan, day, "pals.officer2", Move(to=Status.OPEN, reason=reason))
        self._do(plan, day, "pals.officer2", Note(body="Emailed the form instead."))
        self._do(plan, day, "pals.officer2", Move(to=Status.RESOLVED))
        return [plan]

    # The clocks: regulation 13(7) agreed dates and their extensions, holds, regulation 12 and regulation 14.

    def complaint_with_agreed_date_extended(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "CARD"),
            self._working_days_ago(40),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="pals.lead",
        )
        agreed_due_on = self._after(plan.received_on, 35)
        self._work_formal_case(
            plan,
            acknowledge_after=1,
            acknowledgement_method=AcknowledgementMethod.EMAIL,
            draft_after=30,
            stop_at=Status.UNDER_INVESTIGATION,
            agreed_due_on=agreed_due_on,
            clock_steps=False,
        )
        self._extend(
            plan,
            "pals.lead",
            on=self.calendar.add_working_days(agreed_due_on, -2),
            due_on=self._after(plan.received_on, 50),
            reason=content.EXTENSION_REASONS[0],
            how="by phone",
        )
        return [plan]

    def complaint_held_for_consent_and_information(self) -> list[CasePlan]:
        # Held while the patient's consent came back, and again while his wife sent what the investigation needed.
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "ICU"),
            self._working_days_ago(70),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.patient = self._adult(age=63, on=plan.received_on, woman=False)
        plan.complainant = self._adult(age=60, on=plan.received_on, woman=True)
        plan.complainant.last_name = plan.patient.last_name
        plan.complainant_is_patient, plan.relationship_to_patient = False, Relationship.SPOUSE
        # Graded low as a complaint about communication; regraded when the records showed more, which moves
        # the response date the trust's target sets.
        midway = []
        regrading = self._grading(3, 2, content.CRITICAL_CARE_REGRADING_REASON)
        if regrading:
            regrading.by = "coordinator"
            midway.append(regrading)
        pain = self._issue(
            plan,
            Aspect("patient-care", content.CRITICAL_CARE_PAIN, (content.NURSING,), hcat=("quality", 2, 2)),
            with_hcat=True,
        )
        pain.by = "coordinator"
        self._work_formal_case(
            plan,
            acknowledge_after=2,
            acknowledgement_method=AcknowledgementMethod.LETTER,
            draft_after=20,
            return_draft=False,
            stop_at=Status.RESPONSE_SENT,
            clock_steps=False,
            hold_chance=1.0,
            grading=self._grading(2, 1, content.CRITICAL_CARE_GRADING_REASON),
            midway=[*midway, pain],
        )
        return [plan]

    def complaint_on_hold_awaiting_consent(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "ED", "Mother's sepsis"),
            self._working_days_ago(8),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="pals.officer",
        )
        # The son's letter gave his mother's name and address only: her date of birth waits for her consent
        # (a gap on the data quality page: her age band is unknown).
        plan.patient = dataclasses.replace(
            self._adult(age=81, on=plan.received_on, woman=True), date_of_birth=None, nhs_number=""
        )
        plan.complainant = self._adult(age=54, on=plan.received_on, woman=False)
        plan.complainant_is_patient, plan.relationship_to_patient = False, Relationship.CHILD
        day = self._do(
            plan,
            self._after(plan.received_on, 1),
            "pals.officer",
            Move(to=Status.ACKNOWLEDGED, acknowledgement_method=AcknowledgementMethod.LETTER),
        )
        self._do(plan, day, "pals.officer", Note(body=content.ACKNOWLEDGEMENT_NOTES["letter"][0]))
        self._do(plan, day, "pals.officer", Note(body=content.PATIENT_DETAILS_AWAITED))
        self._triage(plan, day, "pals.officer", grading=True, aspects=None)
        self._do(plan, day, "pals.officer", ConsentUpdate(status=Consent.Status.REQUESTED, status_on=day))
        self._do(plan, day, "pals.officer", Hold(reason=AWAITING_CONSENT, note=content.CONSENT_HOLD_NOTE))
        self._do(
            plan,
            self._after(day, 4),
            "pals.officer",
            Contact(
                channel=CALL,
                direction=INBOUND,
                contact=self._contact_name(plan),
                body="His mother is staying with his sister this week; she will sign the consent form once home.",
            ),
        )
        return [plan]

    def complaint_on_hold_awaiting_complainant(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "MAT", "Not listened to"),
            self._working_days_ago(15),
            channel=Channel.EMAIL,
            logged_by="coordinator",
            case_officer="pals.officer2",
        )
        plan.complainant = self._adult(age=29, on=plan.received_on, woman=True)
        plan.complainant_is_patient, plan.patient, plan.relationship_to_patient = True, None, ""
        self._work_formal_case(
            plan,
            acknowledge_after=2,
            acknowledgement_method=AcknowledgementMethod.EMAIL,
            draft_after=40,
            stop_at=Status.UNDER_INVESTIGATION,
            clock_steps=False,
        )
        self._do(
            plan,
            self._working_days_ago(6),
            "pals.officer2",
            Hold(reason=AWAITING_COMPLAINANT, note=content.REDUCED_MOVEMENTS_HOLD_NOTE),
        )
        return [plan]

    def complaint_made_late_taken_on(self) -> list[CasePlan]:
        wording = content.LATE_COMPLAINT_TAKEN_ON
        plan = self._open(
            Kind.COMPLAINT,
            wording,
            self._working_days_ago(45),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.event_on = months_before(plan.received_on, 17)
        decision = DecideTimeLimit(
            has_good_reasons=True,
            can_investigate_fairly=True,
            rationale=content.LATE_COMPLAINT_TAKEN_ON_RATIONALE.format(name=plan.complainant.last_name),
        )
        self._work_formal_case(
            plan,
            acknowledge_after=1,
            acknowledgement_method=AcknowledgementMethod.LETTER,
            time_limit=decision,
            agreed_due_on=self._after(plan.received_on, 45),
            draft_after=22,
            return_draft=False,
            stop_at=Status.RESPONSE_SENT,
            clock_steps=False,
        )
        return [plan]

    def complaint_made_late_declined(self) -> list[CasePlan]:
        plan = self._open(
            Kind.COMPLAINT,
            content.LATE_COMPLAINT_DECLINED,
            self._working_days_ago(70),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        plan.event_on = months_before(plan.received_on, 42)
        day = self._do(
            plan,
            self._after(plan.received_on, 2),
            "coordinator",
            Move(to=Status.ACKNOWLEDGED, acknowledgement_method=AcknowledgementMethod.LETTER),
        )
        self._do(plan, day, "coordinator", Note(body=content.ACKNOWLEDGEMENT_NOTES["letter"][0]))
        decision = DecideTimeLimit(
            has_good_reasons=False, can_investigate_fairly=False, rationale=content.LATE_COMPLAINT_DECLINED_RATIONALE
        )
        day = self._do(plan, self._after(day, 3), "coordinator", decision)
        self._do(plan, day, "coordinator", Move(to=Status.CLOSED, reason=content.LATE_COMPLAINT_DECLINED_CLOSING))
        return [plan]

    def complaint_past_long_stop_with_delay_letter(self) -> list[CasePlan]:
        # Received seven and a half months ago. The independent review it waits for came late; the
        # agreed date passed, then the long-stop: a delay letter, and a new date agreed (late) with it.
        received_on = self._on_or_before(months_before(self.today, 7) - datetime.timedelta(days=14))
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "PUFFIN"),
            received_on,
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="coordinator",
        )
        long_stop_on = six_months_end(plan.received_on)
        agreed_due_on = self._after(plan.received_on, 40)
        self._work_formal_case(
            plan,
            acknowledge_after=1,
            acknowledgement_method=AcknowledgementMethod.LETTER,
            draft_after=20,
            stop_at=Status.UNDER_INVESTIGATION,
            agreed_due_on=agreed_due_on,
            clock_steps=False,
        )
        # Extended within the six months, so the long-stop stays where regulation 14 puts it.
        extended_to = self.calendar.add_working_days(long_stop_on, -10)
        self._extend(
            plan,
            "coordinator",
            on=self.calendar.add_working_days(agreed_due_on, -2),
            due_on=extended_to,
            reason=content.EXTENSION_REASONS[4],
            how="by phone",
        )
        self._do(
            plan,
            self.calendar.add_working_days(extended_to, -5),
            "coordinator",
            Note(body="Chased the independent reviewer: the report is promised by the end of the month."),
        )
        letter_on = self.calendar.add_working_days(long_stop_on, 3)
        self._do(plan, letter_on, "coordinator", SendDelayLetter())
        self._extend(
            plan,
            "coordinator",
            on=letter_on,
            due_on=self._working_days_ahead(6),
            reason=content.LATE_EXTENSION_REASON,
            late_reason=content.LATE_EXTENSION_LATE_REASON,
            how="by phone",
        )
        investigator = content.INVESTIGATOR_OF[plan.division]
        self._do(plan, self._working_days_ago(8), investigator, Note(body=content.INDEPENDENT_REVIEW_RECEIVED))
        return [plan]

    def complaint_past_long_stop_awaiting_delay_letter(self) -> list[CasePlan]:
        # Held for a patient safety incident investigation; the six months ran out last week, and the
        # delay letter regulation 14 asks for has not gone yet.
        received_on = months_before(self.today - datetime.timedelta(days=5), 6) + datetime.timedelta(days=1)
        plan = self._open(
            Kind.COMPLAINT,
            self._summary(content.COMPLAINTS, "UROL"),
            self._on_or_before(received_on),
            channel=Channel.LETTER,
            logged_by="coordinator",
            case_officer="pals.lead",
        )
        self._work_formal_case(
            plan,
            acknowledge_after=2,
            acknowledgement_method=AcknowledgementMethod.LETTER,
            draft_after=16,
            stop_at=Status.UNDER_INVESTIGATION,
            clock_steps=False,
            grading=self._grading(3, 2, content.CANCER_REFERRAL_GRADING_REASON),
        )
        held_on = self._do(
            plan,
            self._after(plan.received_on, 15),
            "pals.lead",
            Hold(reason=AWAITING_INCIDENT_INVESTIGATION, note=content.INCIDENT_HOLD_NOTE),
        )
        regrading = self._grading(4, 3, content.CANCER_REFERRAL_REGRADING_REASON)
        if regrading:
            self._do(plan, held_on, "coordinator", regrading)
        long_stop_on = six_months_end(plan.received_on)
        for day, body in zip(
            (self._after(plan.received_on, 60), self.calendar.add_working_days(long_stop_on, -12)),
            content.INCIDENT_UPDATES,
            strict=True,
        ):
            self._do(
                plan,
                day,
                "pals.lead",
                Contact(channel=CALL, direction=OUTBOUND, contact=self._contact_name(plan), body=body),
            )
        return [plan]

    # Each caseworker's own work today: something overdue, due today, due soon and on track.

    def _caseload(self, caseworker: str) -> list[CasePlan]:
        if caseworker in content.PALS_OFFICER_OF.values():
            plans = self._pals_officer_caseload(caseworker)
        elif caseworker == "pals.lead":
            plans = self._pals_lead_caseload()
        else:
            plans = self._coordinator_caseload()
        assert len(plans) == len(_CASELOAD_STATES)
        return plans

    def _caseload_wording(self, wordings: list[Summary]) -> Summary:
        wording = self.rng.choice([w for w in wordings if w not in self.caseload_wordings] or wordings)
        self.caseload_wordings.add(wording)
        return wording

    def _pals_officer_caseload(self, officer: str) -> list[CasePlan]:
        """Three concerns waiting on the service (overdue, due today, due soon), and a complaint of their own."""
        divisions = {division for division, name in content.PALS_OFFICER_OF.items() if name == officer}
        target = self.response_targets[Kind.PALS_CONCERN]
        concerns = [s for s in content.PALS_CONCERNS if SERVICES[s.service].division in divisions]
        plans = []
        for working_days_ago in (target + 3, target, max(target - 3, 0)):
            plan = self._open(
                Kind.PALS_CONCERN,
                self._caseload_wording(concerns),
                self._working_days_ago(working_days_ago),
                channel=Channel.PHONE,
                logged_by=officer,
                case_officer=officer,
            )
            contact, body = self.rng.choice(content.PALS_CALLS_TO_SERVICE)
            call = Contact(
                channel=CALL, direction=OUTBOUND, contact=contact.format(service=plan.service.name), body=body
            )
            self._do(plan, plan.received_on, officer, call)
            self._code(plan, plan.received_on, officer)
            chase_on = self._after(plan.received_on, target - 1)
            if chase_on < self.today:
                self._do(plan, chase_on, officer, Note(body=self.rng.choice(content.PALS_CHASES)))
            plans.append(plan)
        complaint_target = self.response_targets[Kind.COMPLAINT]
        complaint = self._open(
            Kind.COMPLAINT,
            self._caseload_wording([s for s in content.COMPLAINTS if SERVICES[s.service].division in divisions]),
            self._working_days_ago(complaint_target // 2),
            channel=Channel.PHONE,
            logged_by="coordinator",
            case_officer=officer,
        )
        self._work_formal_case(
            complaint,
            acknowledge_after=1,
            acknowledgement_method=AcknowledgementMethod.PHONE,
            draft_after=complaint_target * 2,
            stop_at=Status.UNDER_INVESTIGATION,
            clock_steps=False,
            cover_chance=0.0,
        )
        return [*plans, complaint]

    def _complaint_of(self, caseworker: str, working_days_ago: int, **pathway) -> CasePlan:
        plan = self._open(
            Kind.COMPLAINT,
            self._caseload_wording(content.COMPLAINTS),
            self._working_days_ago(working_days_ago),
            logged_by="coordinator",
            case_officer=caseworker,
        )
        self._work_formal_case(
            plan, acknowledge_after=1, return_draft=False, clock_steps=False, cover_chance=0.0, **pathway
        )
        return plan

    def _pals_lead_caseload(self) -> list[CasePlan]:
        target = self.response_targets[Kind.COMPLAINT]
        # Graded low, and due a week ago by the low grade's target.
        low = self._grading(2, 1)
        overdue = self._complaint_of(
            "pals.lead",
            self._target_once_graded(Kind.COMPLAINT, low) + 7,
            draft_after=3 * target,
            stop_at=Status.UNDER_INVESTIGATION,
            grading=low,
        )
        self._do(overdue, self._working_days_ago(2), "pals.lead", Note(body=content.RESPONSE_CHASE))
        due_today = self._open(
            Kind.COMPLAINT,
            self._caseload_wording(content.COMPLAINTS),
            self._working_days_ago(3),  # regulation 13(2): acknowledged by the third working day
            channel=Channel.LETTER,
            logged_by="pals.lead",
            case_officer="pals.lead",
        )
        self._do(due_today, due_today.received_on, "pals.lead", Note(body=content.ACKNOWLEDGEMENT_DRAFTED))
        due_soon = self._complaint_of(
            "pals.lead",
            target + 3,
            draft_after=target // 2,
            agreed_due_on=self._working_days_ahead(2),
            stop_at=Status.RESPONSE_IN_REVIEW,
        )
        on_track = self._complaint_of(
            "pals.lead",
            10,
            draft_after=3 * target,
            agreed_due_on=self._working_days_ahead(35),
            stop_at=Status.UNDER_INVESTIGATION,
        )
        return [overdue, due_today, due_soon, on_track]

    def _coordinator_caseload(self) -> list[CasePlan]:
        target = self.response_targets[Kind.COMPLAINT]
        mp_target = self.response_targets[Kind.MP_LETTER]
        # The MP letters whose dates run on the trust's target are graded low, and dated by that grade's target.
        low = self._grading(2, 1)
        overdue = self._mp_letter(
            self._caseload_wording(content.MP_LETTERS),
            self._target_once_graded(Kind.MP_LETTER, low) + 4,
            acknowledge_after=1,
            draft_after=3 * mp_target,
            stop_at=Status.UNDER_INVESTIGATION,
            cover_chance=0.0,
            grading=low,
        )[0]
        due_today = self._complaint_of(
            "coordinator",
            target + 5,
            draft_after=target // 2,
            agreed_due_on=self._working_day(self.today),
            stop_at=Status.RESPONSE_IN_REVIEW,
        )
        low = self._grading(2, 1)
        due_soon = self._mp_letter(
            self._caseload_wording(content.MP_LETTERS),
            max(self._target_once_graded(Kind.MP_LETTER, low) - 2, 5),
            acknowledge_after=1,
            draft_after=mp_target // 2,
            stop_at=Status.RESPONSE_IN_REVIEW,
            cover_chance=0.0,
            grading=low,
        )[0]
        on_track = self._complaint_of(
            "coordinator",
            target // 2,
            draft_after=3 * target,
            agreed_due_on=self._working_days_ahead(20),
            stop_at=Status.UNDER_INVESTIGATION,
        )
        return [overdue, due_today, due_soon, on_track]

    def _escalated_concerns(self) -> list[CasePlan]:
        # Escalated today (the complaint keeps the concern's received date), so only concerns from the
        # last few working days are escalated: the dates then read true.
        plans = []
        for number, (wording, working_days_ago) in enumerate(
            zip(
                self.rng.sample([s for s in content.PALS_CONCERNS if s.account], _ESCALATED_CONCERNS),
                (2, 3, 5, 8),
                strict=True,
            )
        ):
            plan = self._open(
                Kind.PALS_CONCERN,
                wording,
                self._working_days_ago(working_days_ago),
                channel=Channel.PHONE,
                case_officer=None,
                logged_by=None,
            )
            officer = plan.case_officer or content.PALS_OFFICER_OF[plan.division]
            if not plan.case_officer:
                self._do(plan, plan.received_on, officer, Assign(case_officer=officer))
            self._do(
                plan,
                self._after(plan.received_on, 1),
                officer,
                Contact(
                    channel=CALL,
                    direction=OUTBOUND,
                    contact=self._contact_name(plan),
                    body="Explained what the service has said. Not satisfied and wants a formal investigation.",
                ),
            )
            if number < 2:
                # Coded as a concern, so the complaint starts with its issues, still without professions:
                # gaps on the data quality page until the complaint is coded.
                self._code(plan, self._after(plan.received_on, 1), officer)
            escalation = Escalate(reason=content.ESCALATION_REASON)
            escalation.at, escalation.by = self.latest, "coordinator"
            escalation.at = max(escalation.at, plan.last_at)
            plan.steps.append(escalation)
            plans.append(plan)
        return plans
