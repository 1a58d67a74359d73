"""Loading the demo trust: its structure and staff, then every planned case played through the case services."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.audit import services as audit
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.demo import content
from palsdesk.demo.plans import (
    Assign,
    CasePlan,
    ConsentUpdate,
    Contact,
    Escalate,
    Link,
    Move,
    Note,
    Step,
    plan_cases,
)
from palsdesk.organisation.models import Division, Service, Site, Trust
from palsdesk.people.models import CommunicationNeed
from palsdesk.people.services import record_consent

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
        )
        player = _CasePlayer(staff=staff, sites=sites, services=services)
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


class _CasePlayer:
    """Plays each plan through the same services a caseworker's clicks go through.

    The services stamp every timeline entry with the moment they run. So that a case logged eighteen
    months ago reads as it happened, each step's new timeline entries (and the case's created_at) are
    moved to the time the plan gives the step. The audit trail is left exactly as written: it is
    append-only, and it truthfully says the demo loader made these changes today.
    """

    def __init__(self, *, staff: dict[str, User], sites: dict[str, Site], services: dict[str, Service]):
        self.staff = staff
        self.sites = sites
        self.services = services
        self.cases_by_plan: dict[int, Case] = {}

    def play(self, plan: CasePlan) -> Case:
        since = timezone.now()
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
        self._backdate([case], since=since, to=plan.logged_at, opened=[case])
        self.cases_by_plan[id(plan)] = case
        for step in plan.steps:
            case = self._play_step(case, step)
        return case

    def _play_step(self, case: Case, step: Step) -> Case:
        since = timezone.now()
        actor = self.staff[step.by]
        touched = [case]
        if isinstance(step, Move):
            case = case_services.move_case(
                case, to=step.to, actor=actor, reason=step.reason, on=timezone.localdate(step.at)
            )
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
            complaint = case_services.escalate_to_complaint(case, reason=step.reason, actor=actor)
            touched.append(complaint)
            case = Case.objects.get(pk=case.pk)
        elif isinstance(step, Link):
            other = self.cases_by_plan.get(id(step.other))
            if other is None:
                raise ValueError(
                    f"{case.reference} links to a case that is not loaded yet; plans link to earlier ones."
                )
            case_services.link_cases(case, other, actor=actor, reason=step.reason)
            touched.append(other)
        else:
            raise TypeError(f"No way to play {type(step).__name__}.")
        self._backdate(touched, since=since, to=step.at, opened=touched[1:] if isinstance(step, Escalate) else ())
        return case

    @staticmethod
    def _backdate(cases: list[Case], *, since: datetime.datetime, to: datetime.datetime, opened=()) -> None:
        """Date the timeline entries the last service call wrote, and the cases it opened, to when the plan says."""
        case_ids = [case.pk for case in cases]
        TimelineEntry.objects.filter(case_id__in=case_ids, created_at__gte=since).update(occurred_at=to, created_at=to)
        if opened:
            Case.objects.filter(pk__in=[case.pk for case in opened]).update(created_at=to)
