"""Loading the demo trust: its structure and staff, then every planned case played through the case services."""

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.audit import services as audit
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, Kind, Status, TimelineEntry
from palsdesk.coding import ko41a
from palsdesk.coding import services as coding_services
from palsdesk.coding.models import CaseIssue, Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.coding.selectors import latest_hcat_edition
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason, ResponseDateChange, TimeLimitDecision
from palsdesk.deadlines.selectors import response_target_working_days, working_day_calendar
from palsdesk.demo import content
from palsdesk.demo.plans import (
    AddIssue,
    AgreeResponseDate,
    Assign,
    CasePlan,
    ConsentUpdate,
    Contact,
    DecideTimeLimit,
    Escalate,
    ExtendResponseDate,
    Grade,
    GradeBand,
    Hold,
    Link,
    Move,
    Note,
    RecordOutcome,
    ReleaseHold,
    SendDelayLetter,
    Step,
    plan_cases,
)
from palsdesk.grading import services as grading_services
from palsdesk.grading.models import CaseGrading
from palsdesk.grading.selectors import current_scheme
from palsdesk.organisation.models import Division, Service, Site, Trust
from palsdesk.people.models import CommunicationNeed
from palsdesk.people.services import record_consent
from palsdesk.responses import services as response_services

DEFAULT_SEED = 2026
DEFAULT_CASE_COUNT = 300


class DemoCannotLoad(Exception):
    """Something the demo would create already exists in this database."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    divisions: tuple[str, ...]


@dataclass(frozen=True)
class DemoLoad:
    is_new: bool
    logins: list[DemoLogin]
    cases_by_kind: Counter = field(default_factory=Counter)


def is_loaded() -> bool:
    return Trust.objects.filter(ods_code=content.TRUST_ODS_CODE).exists()


def load_demo_data(*, seed: int = DEFAULT_SEED, case_count: int = DEFAULT_CASE_COUNT) -> DemoLoad:
    """Create the demo trust, its staff and case_count cases, all or nothing; do nothing if it is already there."""
    with transaction.atomic():
        if is_loaded():
            return DemoLoad(is_new=False, logins=demo_logins())
        _refuse_clashes()
        trust, divisions, sites, services = _create_trust()
        staff = _create_staff(divisions)
        needs = {need.code: need for need in CommunicationNeed.objects.active()}
        plans = plan_cases(
            seed=seed,
            case_count=case_count,
            now=timezone.now(),
            calendar=working_day_calendar(),
            communication_needs=needs,
            response_targets={kind: target for kind in Kind if (target := response_target_working_days(kind))},
            grades=_grades_in_use(),
        )
        player = _CasePlayer(
            staff=staff,
            sites=sites,
            services=services,
            hold_reasons=_hold_reasons(),
            codes=_CodeBook(local_subjects=_create_local_subjects()),
        )
        with player.dating_what_is_written():
            for plan in plans:
                player.play(plan)
        cases_by_kind = Counter(Case.objects.filter(division__trust=trust).values_list("kind", flat=True))
        audit.record(
            actor=None,
            action="demo_data.loaded",
            target=trust,
            context={"seed": seed, "cases": sum(cases_by_kind.values()), "users": [u.username for u in content.USERS]},
        )
    return DemoLoad(is_new=True, logins=demo_logins(), cases_by_kind=cases_by_kind)


def demo_logins() -> list[DemoLogin]:
    """The demo accounts that exist, in the order they are introduced."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[u.username for u in content.USERS]).prefetch_related("divisions")
    }
    order = [code for code, _ in content.DIVISIONS]
    logins = []
    for demo_user in content.USERS:
        user = users.get(demo_user.username)
        if user is not None:
            codes = sorted((d.code for d in user.divisions.all()), key=lambda c: order.index(c) if c in order else 99)
            logins.append(DemoLogin(user.username, user.get_full_name(), user.get_role_display(), tuple(codes)))
    return logins


def _refuse_clashes() -> None:
    taken = {
        "usernames": User.objects.filter(username__in=[u.username for u in content.USERS]).values_list(
            "username", flat=True
        ),
        "division codes": Division.objects.filter(code__in=[c for c, _ in content.DIVISIONS]).values_list(
            "code", flat=True
        ),
        "site codes": Site.objects.filter(code__in=[c for c, _, _ in content.SITES]).values_list("code", flat=True),
        "service codes": Service.objects.filter(code__in=[s.code for s in content.SERVICES]).values_list(
            "code", flat=True
        ),
    }
    clashes = [f"{label} {', '.join(sorted(values))}" for label, values in taken.items() if values]
    if clashes:
        raise DemoCannotLoad(
            f"The demo cannot be loaded: this database already has {'; '.join(clashes)}. "
            "Load the demo into an empty database, such as DATABASE_URL=sqlite:////tmp/demo.sqlite3."
        )


def _hold_reasons() -> dict[str, HoldReason]:
    return {reason.code: reason for reason in HoldReason.objects.active()}


def _grades_in_use() -> list[GradeBand]:
    """The grades of the scheme in use, for the planner; none (so nothing is graded) unless it is a matrix."""
    scheme = current_scheme()
    if scheme is None or not scheme.is_matrix:
        return []
    return [
        GradeBand(grade.code, grade.min_score, grade.max_score, grade.response_working_days)
        for grade in scheme.grades.all()
        if grade.min_score is not None
    ]


def _create_local_subjects() -> dict[str, LocalSubject]:
    """The trust's own subjects under the latest KO41a list's national ones; any it already has are kept as they are."""
    subjects = {
        code.code: code
        for code in Code.objects.filter(taxonomy__kind=TaxonomyKind.SUBJECT).order_by("taxonomy__collection_year")
    }
    existing = {subject.name: subject for subject in LocalSubject.objects.select_related("national_subject")}
    local_subjects = {}
    for name, national_code in content.LOCAL_SUBJECTS:
        local_subjects[name] = existing.get(name) or LocalSubject.objects.create(
            name=name, national_subject=subjects[national_code]
        )
    return local_subjects


class _CodeBook:
    """The KO41a and HCAT codes the plans name by slug, fetched once; each case is coded with its year's lists."""

    def __init__(self, *, local_subjects: dict[str, LocalSubject]):
        self.codes: dict[tuple[str, str, str], Code] = {}
        for code in Code.objects.active().select_related("taxonomy"):
            self.codes[(code.taxonomy.collection_year, code.taxonomy.kind, code.code)] = code
        self.ko41a_years = list(
            Taxonomy.objects.filter(kind=TaxonomyKind.SUBJECT).values_list("collection_year", flat=True)
        )
        self.hcat_edition = latest_hcat_edition()
        self.local_subjects = local_subjects

    def _code(self, year: str | None, kind: str, slug: str) -> Code | None:
        if not slug:
            return None
        code = self.codes.get((year, kind, slug))
        if code is None:
            raise ValueError(
                f"The demo codes an issue with {TaxonomyKind(kind).label} '{slug}', which the {year} list does not "
                "have in use. Run `manage.py load_taxonomies`, or correct palsdesk/demo/content.py."
            )
        return code

    def issue(self, case: Case, step: AddIssue) -> dict:
        """add_issue's codes for the step, from the lists coding.selectors.coding_year_for gives the case."""
        year = ko41a.coding_year(ko41a.collection_year(case.received_on), self.ko41a_years)
        subject = self._code(year, TaxonomyKind.SUBJECT, step.subject)
        local_subject = self.local_subjects.get(step.local_subject)
        if local_subject is not None and (
            not local_subject.is_active or local_subject.national_subject.code != subject.code
        ):
            local_subject = None  # the trust has mapped its own subject of that name elsewhere
        return {
            "subject": subject,
            "local_subject": local_subject,
            "clinical_subcategory": self._code(year, TaxonomyKind.CLINICAL_SUBCATEGORY, step.clinical_subcategory),
            "service_area": self._code(year, TaxonomyKind.SERVICE_AREA, step.service_area),
            "professions": [self._code(year, TaxonomyKind.PROFESSION, slug) for slug in step.professions],
            "hcat_category": self._code(self.hcat_edition, TaxonomyKind.HCAT_CATEGORY, step.hcat_category),
        }


def _create_trust() -> tuple[Trust, dict[str, Division], dict[str, Site], dict[str, Service]]:
    trust = Trust.objects.create(
        name=content.TRUST_NAME,
        ods_code=content.TRUST_ODS_CODE,
        address=content.TRUST_ADDRESS,
        phone=content.TRUST_PHONE,
        email=content.TRUST_EMAIL,
        website=content.TRUST_WEBSITE,
    )
    divisions = {code: Division.objects.create(trust=trust, code=code, name=name) for code, name in content.DIVISIONS}
    sites = {
        code: Site.objects.create(trust=trust, code=code, name=name, address=address)
        for code, name, address in content.SITES
    }
    services = Service.objects.bulk_create(
        Service(code=s.code, name=s.name, specialty=s.specialty, division=divisions[s.division])
        for s in content.SERVICES
    )
    return trust, divisions, sites, {service.code: service for service in services}


def _create_staff(divisions: dict[str, Division]) -> dict[str, User]:
    # Hashing is slow on purpose (a third of a second each); one hash for every account keeps the load quick,
    # and the demo password is published anyway.
    password = make_password(content.DEMO_PASSWORD)
    staff = {}
    for demo_user in content.USERS:
        user = User.objects.create(
            username=demo_user.username,
            first_name=demo_user.first_name,
            last_name=demo_user.last_name,
            email=f"{demo_user.first_name}.{demo_user.last_name}@northgate-riverside.nhs.example".lower(),
            role=demo_user.role,
            job_title=demo_user.job_title,
            password=password,
        )
        user.divisions.set([divisions[code] for code in demo_user.divisions])
        staff[user.username] = user
    return staff


# What the services write that says when it happened, and in which fields.
_DATED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Case: ("created_at",),
    TimelineEntry: ("occurred_at", "created_at"),
    ResponseDateChange: ("recorded_at",),
    TimeLimitDecision: ("recorded_at",),
    CaseGrading: ("graded_at",),
    CaseIssue: ("created_at", "modified_at"),
}
# What is changed again later (an issue's outcome), and the field that says when it last was.
_DATED_CHANGES: dict[type[models.Model], str] = {CaseIssue: "modified_at"}


def _date_rows(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[int, datetime.datetime]]) -> None:
    """Set the fields of each row (by primary key) to its time: one UPDATE, run for every row.

    bulk_update builds a CASE expression per field per batch, and took a fifth of the load doing it.
    """
    if not rows:
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    statement = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            statement, [(*(column.get_db_prep_value(at, connection) for column in columns), pk) for pk, at in rows]
        )


class _CasePlayer:
    """Plays each plan through the same services a caseworker's clicks go through.

    The services stamp what they write with the moment they run. So that a case logged eighteen months
    ago reads as it happened, each step's timeline entries (and the case it opens, the dates it agrees,
    the decision it records) are dated to the time the plan gives the step. The audit trail is left
    exactly as written: it is append-only, and it truthfully says the demo loader made these changes today.
    """

    def __init__(
        self,
        *,
        staff: dict[str, User],
        sites: dict[str, Site],
        services: dict[str, Service],
        hold_reasons: dict[str, HoldReason],
        codes: _CodeBook,
    ):
        self.staff = staff
        self.sites = sites
        self.services = services
        self.hold_reasons = hold_reasons
        self.codes = codes
        self.cases_by_plan: dict[int, Case] = {}
        # When the step being played happened, and the rows written so far with the time each is to have.
        self._step_at: datetime.datetime | None = None
        self._written: dict[type[models.Model], list[tuple[int, datetime.datetime]]] = {
            model: [] for model in _DATED_FIELDS
        }
        self._changed: dict[type[models.Model], dict[int, datetime.datetime]] = {model: {} for model in _DATED_CHANGES}

    @contextmanager
    def dating_what_is_written(self) -> Iterator[None]:
        """Note each row the services create (or, for an issue, change) while plans are played, then date them all.

        Loader bookkeeping, not a domain rule: the listener lives only for the load. Dating rows one
        step at a time took an UPDATE a step, a seventh of the load; nothing reads these times meanwhile.
        """

        def note(sender, instance, created, **kwargs):
            if self._step_at is None:
                return
            if created:
                self._written[sender].append((instance.pk, self._step_at))
            elif sender in _DATED_CHANGES:
                self._changed[sender][instance.pk] = self._step_at

        for model in _DATED_FIELDS:
            post_save.connect(note, sender=model, weak=False, dispatch_uid=f"demo-dating-{model.__name__}")
        try:
            yield
        finally:
            for model in _DATED_FIELDS:
                post_save.disconnect(sender=model, dispatch_uid=f"demo-dating-{model.__name__}")
        for model, written in self._written.items():
            _date_rows(model, _DATED_FIELDS[model], written)
            written.clear()
        for model, changed in self._changed.items():
            _date_rows(model, (_DATED_CHANGES[model],), list(changed.items()))
            changed.clear()

    def play(self, plan: CasePlan) -> Case:
        self._step_at = plan.logged_at
        service = self.services[plan.service.code]
        case = case_services.open_case(
            actor=self.staff[plan.logged_by],
            kind=plan.kind,
            channel=plan.channel,
            received_on=plan.received_on,
            division=service.division,
            site=self.sites[plan.site],
            service=service,
            summary=plan.summary,
            account=plan.account,
            outcome_wanted=plan.outcome_wanted,
            event_on=plan.event_on,
            became_aware_on=plan.became_aware_on,
            is_safeguarding=plan.is_safeguarding,
            is_vulnerable_person=plan.is_vulnerable_person,
            has_mp_interest=plan.has_mp_interest,
            has_media_interest=plan.has_media_interest,
            is_staff_complainant=plan.is_staff_complainant,
            case_officer=self.staff[plan.case_officer] if plan.case_officer else None,
            complainant=plan.complainant,
            complainant_is_patient=plan.complainant_is_patient,
            relationship_to_patient=plan.relationship_to_patient,
            patient=plan.patient,
        )
        self.cases_by_plan[id(plan)] = case
        for step in plan.steps:
            case = self._play_step(case, step)
        return case

    def _sign_off_response(self, case: Case) -> None:
        """A complaint's response is signed off before it is sent (the "response_signed_off" guard): the
        co-ordinator's draft, checked against regulation 14(2) and signed off by the approver."""
        draft = content.FINAL_RESPONSE.format(received=f"{case.received_on.day} {case.received_on:%B %Y}")
        response_services.save_draft(case, actor=self.staff["coordinator"], draft=draft)
        response_services.record_regulation_14_checks(
            case, actor=self.staff["approver"], paragraphs=content.FINAL_RESPONSE_CHECKS
        )
        response_services.sign_off(case, actor=self.staff["approver"], signed_as=content.FINAL_RESPONSE_SIGNED_AS)

    def _play_step(self, case: Case, step: Step) -> Case:
        self._step_at = step.at
        actor = self.staff[step.by]
        day = timezone.localdate(step.at)
        if isinstance(step, Move):
            if step.to == Status.RESPONSE_SENT and case.kind == Kind.COMPLAINT:
                self._sign_off_response(case)
            case = case_services.move_case(
                case,
                to=step.to,
                actor=actor,
                reason=step.reason,
                on=day,
                acknowledgement_method=step.acknowledgement_method,
            )
        elif isinstance(step, AgreeResponseDate):
            case = deadline_services.agree_response_date(
                case, due_on=step.due_on, agreed_with=step.agreed_with, agreed_on=day, actor=actor
            )
        elif isinstance(step, ExtendResponseDate):
            case = deadline_services.agree_extension(
                case,
                due_on=step.due_on,
                reason=step.reason,
                agreed_with=step.agreed_with,
                agreed_on=day,
                is_late=bool(step.late_reason),
                late_reason=step.late_reason,
                actor=actor,
            )
        elif isinstance(step, Hold):
            reason = self.hold_reasons.get(step.reason)
            if reason is None:
                raise ValueError(f"The hold reason '{step.reason}' is not one this trust allows any more.")
            case = deadline_services.put_on_hold(case, reason=reason, started_on=day, note=step.note, actor=actor)
        elif isinstance(step, ReleaseHold):
            case = deadline_services.release_hold(case, ended_on=day, actor=actor)
        elif isinstance(step, DecideTimeLimit):
            deadline_services.record_time_limit_decision(
                case,
                has_good_reasons=step.has_good_reasons,
                can_investigate_fairly=step.can_investigate_fairly,
                rationale=step.rationale,
                decided_on=day,
                actor=actor,
            )
        elif isinstance(step, SendDelayLetter):
            case = deadline_services.record_delay_letter(case, sent_on=day, actor=actor)
        elif isinstance(step, Assign):
            roles = {}
            if step.case_officer:
                roles["case_officer"] = self.staff[step.case_officer]
            if step.investigating_manager:
                roles["investigating_manager"] = self.staff[step.investigating_manager]
            case = case_services.assign_case(case, actor=actor, reason=step.reason, **roles)
        elif isinstance(step, Note):
            case_services.add_note(case, body=step.body, actor=actor)
        elif isinstance(step, Contact):
            case_services.log_contact(
                case,
                channel=step.channel,
                direction=step.direction,
                contact=step.contact,
                body=step.body,
                occurred_at=step.at,
                actor=actor,
            )
        elif isinstance(step, ConsentUpdate):
            record_consent(
                case,
                status=step.status,
                status_on=step.status_on,
                evidence=step.evidence,
                acting_reason=step.acting_reason,
                actor=actor,
            )
        elif isinstance(step, Escalate):
            case_services.escalate_to_complaint(case, reason=step.reason, on=day, actor=actor)
            case = Case.objects.get(pk=case.pk)
        elif isinstance(step, Grade):
            case = grading_services.grade_case(
                case, consequence=step.consequence, likelihood=step.likelihood, rationale=step.rationale, actor=actor
            )
            if case.grade.code != step.grade:
                raise ValueError(f"{case.reference} was graded {case.grade}, not {step.grade} as planned.")
        elif isinstance(step, AddIssue):
            coding_services.add_issue(
                case,
                actor=actor,
                description=step.description,
                hcat_severity=step.hcat_severity,
                hcat_harm=step.hcat_harm,
                **self.codes.issue(case, step),
            )
        elif isinstance(step, RecordOutcome):
            issue = CaseIssue.objects.get(case=case, order=step.issue)
            issue.case = case
            coding_services.record_issue_outcome(
                issue, outcome=step.outcome, not_investigated_reason=step.not_investigated_reason, actor=actor
            )
        elif isinstance(step, Link):
            other = self.cases_by_plan.get(id(step.other))
            if other is None:
                raise ValueError(
                    f"{case.reference} links to a case that is not loaded yet; plans link to earlier ones."
                )
            case_services.link_cases(case, other, actor=actor, reason=step.reason)
        else:
            raise TypeError(f"No way to play {type(step).__name__}.")
        return case
