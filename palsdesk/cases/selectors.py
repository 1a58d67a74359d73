"""Reads of cases. Which cases a user may see is written once, here, and every page and API call starts from it."""

import datetime
import enum
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Permission, can, permissions_of, roles_with
from palsdesk.cases import guards, workflow
from palsdesk.cases.models import OPEN_STATUSES, Case, CaseLink, TimelineEntry
from palsdesk.coding.selectors import issues_prefetch
from palsdesk.deadlines import selectors as deadlines
from palsdesk.people.models import CaseParty
from palsdesk.search import selectors as search


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases this user may see.

    Trust-wide roles see every case; a divisional manager sees their divisions' cases and the ones
    they are assigned to; a volunteer sees the cases they logged. A restricted case is seen only by
    the users named on it, whatever their role.
    """
    permissions = permissions_of(user)
    cases = Case.objects.all()
    if Permission.SEE_TRUST_CASES in permissions:
        scope = Q()
    elif Permission.SEE_DIVISION_CASES in permissions:
        member_of = User.divisions.through.objects.filter(user_id=user.pk).values("division_id")
        scope = Q(division_id__in=member_of) | Q(case_officer=user) | Q(investigating_manager=user)
    elif Permission.SEE_OWN_LOGGED_CASES in permissions:
        scope = Q(created_by=user)
    else:
        return cases.none()
    named = Case.named_users.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return cases.filter(scope).filter(Q(is_restricted=False) | Exists(named))


def _main_contacts() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=CaseParty.objects.filter(is_main_contact=True).select_related("person"),
        to_attr="main_contacts",
    )


def for_listing(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a row in any case list shows, fetched in a fixed number of queries."""
    return cases.select_related("division", "case_officer").prefetch_related(_main_contacts())


@dataclass
class MyWork:
    my_cases: QuerySet[Case]
    unassigned: QuerySet[Case]
    open_count: int
    overdue_count: int
    due_today_count: int
    unassigned_count: int


def my_work(user, *, today: datetime.date) -> MyWork:
    """The user's open cases, soonest deadline first (so overdue ones lead), and unassigned cases in their divisions."""
    visible = cases_visible_to(user).filter(status__in=OPEN_STATUSES)
    mine = visible.filter(Q(case_officer=user) | Q(investigating_manager=user))
    member_of = User.divisions.through.objects.filter(user_id=user.pk).values("division_id")
    if can(user, Permission.MOVE_CASE):
        unassigned = visible.filter(case_officer__isnull=True, division_id__in=member_of)
    elif can(user, Permission.INVESTIGATE):
        # Only formal cases are investigated; PALS concerns, compliments and enquiries never get an investigator.
        unassigned = visible.filter(
            investigating_manager__isnull=True, division_id__in=member_of, kind__in=workflow.ACKNOWLEDGED_KINDS
        )
    else:
        unassigned = visible.none()
    counts = mine.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(next_due_on__lt=today)),
        due_today=Count("pk", filter=Q(next_due_on=today)),
    )
    ordering = [F("next_due_on").asc(nulls_last=True), "received_on", "pk"]
    return MyWork(
        my_cases=for_listing(mine.order_by(*ordering)),
        unassigned=for_listing(unassigned.order_by(*ordering)),
        open_count=counts["open"],
        overdue_count=counts["overdue"],
        due_today_count=counts["due_today"],
        unassigned_count=unassigned.count(),
    )


_REFERENCE = re.compile(r"^[A-Za-z]{3}-\d{4}(-\d{1,6})?$")


def search_cases(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Cases matching a reference; else, best first, words in the case or its notes, names or NHS numbers."""
    query = " ".join((query or "").split())[:200]
    if not query:
        return cases
    if _REFERENCE.match(query):
        return cases.filter(reference__istartswith=query.upper())
    return search.matching(cases, query)


class DueFilter(enum.StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    WITHIN = "within"
    ON_HOLD = "on_hold"


DUE_WITHIN_WORKING_DAYS = 5
MAX_DUE_WITHIN_WORKING_DAYS = 60


@dataclass
class CaseFilters:
    kind: str = ""
    status: str = ""
    division: str = ""
    assignee: str = ""
    query: str = ""
    due: str = ""
    due_within_working_days: int = DUE_WITHIN_WORKING_DAYS


def _filter_by_due(cases: QuerySet[Case], filters: CaseFilters, today: datetime.date) -> QuerySet[Case]:
    if filters.due == DueFilter.OVERDUE:
        return deadlines.overdue(cases, today=today)
    if filters.due == DueFilter.TODAY:
        return deadlines.due_today(cases, today=today)
    if filters.due == DueFilter.WITHIN:
        return deadlines.due_within(cases, today=today, working_days=filters.due_within_working_days)
    if filters.due == DueFilter.ON_HOLD:
        return deadlines.on_hold(cases)
    return cases


def case_list(user, filters: CaseFilters, *, today: datetime.date | None = None) -> QuerySet[Case]:
    """The cases matching the filters: newest first, best match first when searched, or soonest deadline first
    when filtered by when they are due."""
    cases = cases_visible_to(user)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.division:
        cases = cases.filter(division__code=filters.division)
    if filters.assignee == "me":
        cases = cases.filter(Q(case_officer=user) | Q(investigating_manager=user))
    elif filters.assignee == "unassigned":
        cases = cases.filter(case_officer__isnull=True)
    elif filters.assignee:
        cases = cases.filter(
            Q(case_officer__username=filters.assignee) | Q(investigating_manager__username=filters.assignee)
        )
    cases = search_cases(cases, filters.query)
    if filters.due:
        cases = _filter_by_due(cases, filters, today or timezone.localdate())
        return for_listing(cases.order_by(F("next_due_on").asc(nulls_last=True), "received_on", "pk"))
    if filters.query:
        return for_listing(cases)  # best match first, as search ranks them
    return for_listing(cases.order_by("-received_on", "-pk"))


def case_for_page(user, reference: str) -> Case:
    """One case with everything its page shows, or Http404 if the user may not see it."""
    parties = CaseParty.objects.select_related("person").prefetch_related("person__communication_needs")
    case = (
        cases_visible_to(user)
        .select_related(
            "division",
            "site",
            "service",
            "case_officer",
            "investigating_manager",
            "escalated_from",
            "consent",
            "modified_by",
            "grade",
        )
        .prefetch_related(Prefetch("parties", queryset=parties), issues_prefetch())
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No case with that reference that you can see.")
    return case


def visible_case(user, reference: str) -> Case:
    """The bare case row, or Http404 if the user may not see it."""
    case = cases_visible_to(user).filter(reference=reference).first()
    if case is None:
        raise Http404("No case with that reference that you can see.")
    return case


def timeline_of(case: Case, *, limit: int) -> list[TimelineEntry]:
    return list(case.timeline.select_related("created_by").order_by("-occurred_at", "-id")[:limit])


def linked_cases(user, case: Case) -> list[tuple[Case, str]]:
    """Cases linked to this one that the user may also see, with the reason for each link."""
    links = CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case))
    visible = cases_visible_to(user)
    other_ids = {}
    for link in links:
        other_ids[link.to_case_id if link.from_case_id == case.pk else link.from_case_id] = link.reason
    others = visible.filter(pk__in=other_ids).only("pk", "reference", "kind", "status", "summary")
    return [(other, other_ids[other.pk]) for other in others]


def escalated_to(user, case: Case) -> Case | None:
    return cases_visible_to(user).filter(escalated_from=case).only("pk", "reference").first()


def moves_for(user, case: Case) -> list[workflow.Transition]:
    """The pathway moves this user may make on the case now (a move whose guard refuses is not offered)."""
    return [
        t
        for t in workflow.moves_from(case.kind, case.status)
        if can(user, t.permission) and guards.refusal(case, t.guard) is None
    ]


# What a choice of colleague shows and what assigning them reads: every case page lists a regional
# deployment's hundreds of staff twice, and building whole user rows was a fifth of its time.
_COLLEAGUE_FIELDS = ("id", "username", "first_name", "last_name", "email", "role", "is_active")


def assignable_officers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=roles_with(Permission.MOVE_CASE)).only(*_COLLEAGUE_FIELDS)


def assignable_investigators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=roles_with(Permission.INVESTIGATE)).only(*_COLLEAGUE_FIELDS)
