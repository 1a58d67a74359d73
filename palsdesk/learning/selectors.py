"""Reads of action plans: which plans a user may see (written once, here), the lists, "My work", the case page's
section, "you said, we did" and what changed for the Board report."""

import datetime
import enum
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Permission, can, permissions_of, roles_with
from palsdesk.cases.extensions import CaseSection, WorkItem
from palsdesk.cases.models import Case
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.coding import ko41a
from palsdesk.coding.models import Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.learning import personal_data
from palsdesk.learning.models import OUTSTANDING_STATUSES, Action, ActionPlan, ActionStatus, Evidence, PublicWording
from palsdesk.people.models import CaseParty

# --- Who sees which plans -----------------------------------------------------------------------------------------


def _member_of(user):
    return User.divisions.through.objects.filter(user_id=user.pk).values("division_id")


def action_plans_visible_to(user) -> QuerySet[ActionPlan]:
    """The action plans this user may see.

    Trust-wide roles see every plan; a divisional manager sees the plans of their divisions: the plan's own
    division, or its case's. A plan on a restricted case is seen only by those who may see the case.
    """
    permissions = permissions_of(user)
    plans = ActionPlan.objects.all()
    if Permission.SEE_TRUST_ACTION_PLANS in permissions:
        scope = Q()
    elif Permission.SEE_DIVISION_ACTION_PLANS in permissions:
        member_of = _member_of(user)
        scope = Q(division_id__in=member_of) | Q(case__division_id__in=member_of)
    else:
        return plans.none()
    # A restricted case's plan is seen only by those who may see the case.
    unrestricted = Q(case__isnull=True) | Q(case__is_restricted=False)
    return plans.filter(scope).filter(unrestricted | Q(case__in=cases_visible_to(user).values("pk")))


def may_see_action_plans(user) -> bool:
    return can(user, Permission.SEE_TRUST_ACTION_PLANS) or can(user, Permission.SEE_DIVISION_ACTION_PLANS)


def in_reach(user, *, division_id: int | None, case: Case | None) -> bool:
    """Whether a plan for this division or case would be one the user may see (asked before it exists)."""
    if case is not None and not cases_visible_to(user).filter(pk=case.pk).exists():
        return False
    if can(user, Permission.SEE_TRUST_ACTION_PLANS):
        return True
    if not can(user, Permission.SEE_DIVISION_ACTION_PLANS):
        return False
    theirs = set(_member_of(user).values_list("division_id", flat=True))
    return division_id in theirs or (case is not None and case.division_id in theirs)


def actions_visible_to(user) -> QuerySet[Action]:
    return Action.objects.filter(plan__in=action_plans_visible_to(user).values("pk"))


def plan_for_page(user, plan_id: int) -> ActionPlan:
    """One plan with its actions (owners, links, wording, evidence counts), or Http404 if the user may not see it."""
    actions = (
        Action.objects.select_related("owner", "public_wording__approved_by")
        .prefetch_related(*action_prefetches(user)[:3])
        .annotate(evidence_count=Count("evidence"))
        .order_by("due_on", "pk")
    )
    plan = (
        action_plans_visible_to(user)
        .select_related("case__division", "division", "subject__taxonomy", "local_subject", "created_by")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404("No action plan with that number that you can see.")
    return plan


def visible_plan(user, plan_id: int) -> ActionPlan:
    plan = action_plans_visible_to(user).select_related("case", "division").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No action plan with that number that you can see.")
    return plan


def action_prefetches(user) -> list:
    """What an action's page or API answer shows beyond its row: the linked cases the user may see (an action can be
    prompted by cases in several divisions), its themes, and its evidence."""
    return [
        Prefetch("cases", queryset=cases_visible_to(user).only("pk", "reference", "kind").order_by("reference")),
        Prefetch("subjects", queryset=Code.objects.select_related("taxonomy").order_by("label")),
        Prefetch("local_subjects", queryset=LocalSubject.objects.order_by("name")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("created_by").order_by("created_at", "pk")),
    ]


def action_for_page(user, action_id: int) -> Action:
    """One action with its plan, links, themes, evidence and wording, or Http404 if the user may not see its plan."""
    action = (
        actions_visible_to(user)
        .select_related(
            "plan__case__division",
            "plan__division",
            "plan__subject",
            "plan__local_subject",
            "owner",
            "public_wording__approved_by",
        )
        .prefetch_related(*action_prefetches(user))
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No action with that number that you can see.")
    return action


def visible_action(user, action_id: int) -> Action:
    action = actions_visible_to(user).select_related("plan__case", "plan__division").filter(pk=action_id).first()
    if action is None:
        raise Http404("No action with that number that you can see.")
    return action


def visible_evidence(user, evidence_id: int) -> Evidence:
    """Evidence is seen by those who may see its action's plan; anyone else is answered 404, as if it did not exist."""
    evidence = (
        Evidence.objects.filter(action__in=actions_visible_to(user).values("pk"))
        .select_related("action__plan__case")
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404("No evidence with that number that you can see.")
    return evidence


def may_own_actions_on(user, plan: ActionPlan) -> bool:
    """An owner works on the action, so they must be active, may work on action plans, and may see this one."""
    return (
        user.is_active
        and can(user, Permission.MANAGE_ACTION_PLANS)
        and action_plans_visible_to(user).filter(pk=plan.pk).exists()
    )


def possible_owners(plan: ActionPlan) -> QuerySet[User]:
    """Who an action on this plan may be given to: trust-wide staff who work on plans, and its division's managers."""
    trust_wide = [
        role
        for role in roles_with(Permission.MANAGE_ACTION_PLANS)
        if role in roles_with(Permission.SEE_TRUST_ACTION_PLANS)
    ]
    by_division = [
        role
        for role in roles_with(Permission.MANAGE_ACTION_PLANS)
        if role in roles_with(Permission.SEE_DIVISION_ACTION_PLANS) and role not in trust_wide
    ]
    divisions = [pk for pk in (plan.division_id, plan.case.division_id if plan.case_id else None) if pk]
    members = User.divisions.through.objects.filter(user_id=OuterRef("pk"), division_id__in=divisions)
    return User.objects.filter(is_active=True).filter(
        Q(role__in=trust_wide) | Q(role__in=by_division) & Exists(members)
    )


# --- The codes a theme is chosen from --------------------------------------------------------------------------------


def theme_editions(*, today: datetime.date | None = None) -> tuple[str | None, str | None]:
    """The KO41a year whose subjects name themes (today's, or the nearest loaded) and the latest HCAT edition."""
    today = today or timezone.localdate()
    loaded = Taxonomy.objects.filter(kind=TaxonomyKind.SUBJECT).values_list("collection_year", flat=True)
    hcat = (
        Taxonomy.objects.filter(kind=TaxonomyKind.HCAT_CATEGORY)
        .order_by("-collection_year")
        .values_list("collection_year", flat=True)
        .first()
    )
    return ko41a.coding_year(ko41a.collection_year(today), loaded), hcat


def theme_codes(*, today: datetime.date | None = None) -> QuerySet[Code]:
    """The codes a theme is named by: the KO41a subjects and HCAT categories of theme_editions()."""
    year, hcat = theme_editions(today=today)
    return (
        Code.objects.active()
        .filter(
            Q(taxonomy__kind=TaxonomyKind.SUBJECT, taxonomy__collection_year=year)
            | Q(taxonomy__kind=TaxonomyKind.HCAT_CATEGORY, taxonomy__collection_year=hcat)
        )
        .select_related("taxonomy")
        .order_by("-taxonomy__kind", "order", "label")  # KO41a subjects, then HCAT categories
    )


def local_subjects_in_use() -> QuerySet[LocalSubject]:
    return LocalSubject.objects.active().order_by("name")


# --- The lists ------------------------------------------------------------------------------------------------------


def _overdue(today: datetime.date) -> Q:
    return Q(status__in=OUTSTANDING_STATUSES, due_on__lt=today)


@dataclass
class PlanFilters:
    division: str = ""
    scope: str = ""
    only_overdue: bool = False


def plan_list(user, filters: PlanFilters, *, today: datetime.date) -> QuerySet[ActionPlan]:
    """The plans the user may see, newest first, each with how many actions are outstanding, overdue and done."""
    plans = action_plans_visible_to(user)
    if filters.division:
        plans = plans.filter(
            Q(division__code=filters.division) | Q(division__isnull=True, case__division__code=filters.division)
        )
    if filters.scope:
        plans = plans.filter(scope=filters.scope)
    if filters.only_overdue:
        overdue_actions = Action.objects.filter(_overdue(today), plan_id=OuterRef("pk"))
        plans = plans.filter(Exists(overdue_actions))
    return (
        plans.select_related("case__division", "division", "subject", "local_subject", "created_by")
        .annotate(
            action_count=Count("actions"),
            outstanding_count=Count("actions", filter=Q(actions__status__in=OUTSTANDING_STATUSES)),
            overdue_count=Count(
                "actions", filter=Q(actions__status__in=OUTSTANDING_STATUSES, actions__due_on__lt=today)
            ),
            done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .order_by("-created_at", "-pk")
    )


class ActionDue(enum.StrEnum):
    OVERDUE = "overdue"
    OUTSTANDING = "outstanding"
    DONE = "done"
    DROPPED = "dropped"
    AWAITING_WORDING = "awaiting_wording"


@dataclass
class ActionFilters:
    due: str = ""
    division: str = ""
    mine: bool = False


def action_list(user, filters: ActionFilters, *, today: datetime.date) -> QuerySet[Action]:
    """The actions the user may see: soonest due first, or most recently done first for finished ones."""
    actions = actions_visible_to(user)
    if filters.division:
        actions = actions.filter(
            Q(plan__division__code=filters.division)
            | Q(plan__division__isnull=True, plan__case__division__code=filters.division)
        )
    if filters.mine:
        actions = actions.filter(owner=user)
    ordering = ["due_on", "pk"]
    if filters.due == ActionDue.OVERDUE:
        actions = actions.filter(_overdue(today))
    elif filters.due == ActionDue.OUTSTANDING:
        actions = actions.filter(status__in=OUTSTANDING_STATUSES)
    elif filters.due == ActionDue.DONE:
        actions, ordering = actions.filter(status=ActionStatus.DONE), ["-completed_on", "-pk"]
    elif filters.due == ActionDue.DROPPED:
        actions, ordering = actions.filter(status=ActionStatus.DROPPED), ["-modified_at", "-pk"]
    elif filters.due == ActionDue.AWAITING_WORDING:
        approved = PublicWording.objects.filter(action_id=OuterRef("pk"), approved_at__isnull=False)
        actions = actions.filter(status=ActionStatus.DONE).exclude(Exists(approved))
        ordering = ["-completed_on", "-pk"]
    return actions.select_related("plan__case__division", "plan__division", "owner").order_by(*ordering)


# --- "My work" and the case page --------------------------------------------------------------------------------------

WORK_ITEM_WORDS = 80


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def action_work_items(user, *, today: datetime.date) -> list[WorkItem]:
    """The user's outstanding actions, for "My work" (cases.extensions): each goes overdue the day after it is due."""
    actions = (
        actions_visible_to(user)
        .filter(owner=user, status__in=OUTSTANDING_STATUSES)
        .select_related("plan__case")
        .order_by("due_on", "pk")
    )
    return [
        WorkItem(
            case_reference=action.plan.case.reference if action.plan.case_id else "",
            what=f"Action: {_shortened(action.description, WORK_ITEM_WORDS)} ({_shortened(action.plan.title, 60)})",
            due_on=action.due_on,
            url=reverse("learning:action", kwargs={"action_id": action.pk}),
        )
        for action in actions
    ]


def case_section(user, case: Case) -> CaseSection | None:
    """The case page's "Action plans" section: the actions this case prompted, and the plans raised on it."""
    if not may_see_action_plans(user):
        return None
    linked = Action.cases.through.objects.filter(case_id=case.pk).values("action_id")
    actions = list(
        actions_visible_to(user)
        .filter(Q(plan__case=case) | Q(pk__in=linked))
        .select_related("plan", "owner")
        .order_by("due_on", "pk")
    )
    return CaseSection(
        heading="Action plans",
        anchor="action-plans",
        template="learning/_case_section.html",
        context={
            "actions": actions,
            "today": timezone.localdate(),
            "can_raise": can(user, Permission.MANAGE_ACTION_PLANS),
        },
    )


# --- "You said, we did" ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """One entry of the public list: only approved words, the month the action was done, its division and themes."""

    action_id: int
    you_said: str
    we_did: str
    completed_on: datetime.date
    division: str
    themes: list[str]


@dataclass
class YouSaidWeDid:
    entries: list[Published] = field(default_factory=list)
    # Approved entries held back because they no longer pass the personal data check (a person added to a case since).
    held_back: list[int] = field(default_factory=list)


@dataclass
class WordingFilters:
    completed_from: datetime.date | None = None
    completed_to: datetime.date | None = None
    division: str = ""


def names_on_cases(case_ids) -> dict[int, list[str]]:
    """The names of everyone on each case (people.Person), by case id: what public wording must not contain."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = CaseParty.objects.filter(case_id__in=list(case_ids)).values_list(
        "case_id", "person__first_name", "person__last_name"
    )
    for case_id, first_name, last_name in rows:
        names[case_id].append(f"{first_name} {last_name}".strip())
    return names


def linked_case_ids(actions) -> dict[int, set[int]]:
    """Each action's cases: those linked to it and its plan's case."""
    linked: dict[int, set[int]] = defaultdict(set)
    ids = [action.pk for action in actions]
    for action_id, case_id in Action.cases.through.objects.filter(action_id__in=ids).values_list(
        "action_id", "case_id"
    ):
        linked[action_id].add(case_id)
    for action in actions:
        if action.plan.case_id:
            linked[action.pk].add(action.plan.case_id)
    return linked


def names_for(action: Action) -> list[str]:
    """The names of the people on every case linked to the action, or to its plan."""
    linked = linked_case_ids([action])[action.pk]
    return [name for names in names_on_cases(linked).values() for name in names]


def _themes_of(action: Action) -> list[str]:
    themes = [code.label for code in action.subjects.all()] + [local.name for local in action.local_subjects.all()]
    plan = action.plan
    # A theme in the team's own words is not from a list: it could name someone, so it is never published.
    if plan.subject_id:
        themes.insert(0, plan.subject.label)
    elif plan.local_subject_id:
        themes.insert(0, plan.local_subject.name)
    return list(dict.fromkeys(themes))


def approved_entries(user, filters: WordingFilters) -> QuerySet[Action]:
    """Done actions with approved public words that the user may see, most recently done first."""
    actions = actions_visible_to(user).filter(status=ActionStatus.DONE, public_wording__approved_at__isnull=False)
    if filters.completed_from:
        actions = actions.filter(completed_on__gte=filters.completed_from)
    if filters.completed_to:
        actions = actions.filter(completed_on__lte=filters.completed_to)
    if filters.division:
        actions = actions.filter(
            Q(plan__division__code=filters.division)
            | Q(plan__division__isnull=True, plan__case__division__code=filters.division)
        )
    return (
        actions.select_related(
            "public_wording", "plan__division", "plan__case__division", "plan__subject", "plan__local_subject"
        )
        .prefetch_related("subjects", "local_subjects")
        .order_by("-completed_on", "-pk")
    )


def you_said_we_did(actions) -> YouSaidWeDid:
    """The entries for these actions (from approved_entries), each checked again for personal data as it is read.

    Approval checked the words against the people on the linked cases then; someone added to a case since is
    checked now, and an entry that fails is held back from the list and the export until its words are mended.
    """
    actions = list(actions)
    linked = linked_case_ids(actions)
    names = names_on_cases({case_id for ids in linked.values() for case_id in ids})
    result = YouSaidWeDid()
    for action in actions:
        wording = action.public_wording
        people = [name for case_id in linked[action.pk] for name in names.get(case_id, [])]
        if personal_data.findings(wording.you_said, names=people) or personal_data.findings(
            wording.we_did, names=people
        ):
            result.held_back.append(action.pk)
            continue
        division = action.plan.responsible_division
        result.entries.append(
            Published(
                action_id=action.pk,
                you_said=wording.you_said,
                we_did=wording.we_did,
                completed_on=action.completed_on,
                division=division.name if division else "",
                themes=_themes_of(action),
            )
        )
    return result


# --- What changed, for the Board report -------------------------------------------------------------------------------


class Period(NamedTuple):
    """From and to, both days included. A plain (start, end) tuple does as well."""

    start_on: datetime.date
    end_on: datetime.date


@dataclass(frozen=True)
class ChangeMade:
    action_id: int
    description: str
    completed_on: datetime.date
    division: str
    plan_title: str
    case_references: list[str]
    themes: list[str]
    you_said: str
    we_did: str


def changes_made(period, division=None) -> list[ChangeMade]:
    """The actions done in the period (by the day they were done), for the Board report: what changed, in which
    division, and the cases and themes that prompted it. In five queries, however many actions.

    `division` (a Division) keeps the plans of that division: the plan's own, or else its case's. The report is
    trust-wide, so this is not scoped to a user: the page that shows it decides who may read it. The public
    words are given only where they are approved; `description` is the team's own, not for publication.
    """
    start_on, end_on = period
    actions = Action.objects.filter(status=ActionStatus.DONE, completed_on__gte=start_on, completed_on__lte=end_on)
    if division is not None:
        actions = actions.filter(
            Q(plan__division=division) | Q(plan__division__isnull=True, plan__case__division=division)
        )
    actions = (
        actions.select_related(
            "plan__division", "plan__case__division", "plan__subject", "plan__local_subject", "public_wording"
        )
        .prefetch_related(
            Prefetch("cases", queryset=Case.objects.only("pk", "reference").order_by("reference")),
            "subjects",
            "local_subjects",
        )
        .order_by("completed_on", "pk")
    )
    changes = []
    for action in actions:
        plan = action.plan
        responsible = plan.responsible_division
        references = [case.reference for case in action.cases.all()]
        if plan.case_id and plan.case.reference not in references:
            references.insert(0, plan.case.reference)
        themes = _themes_of(action)
        if plan.theme:
            themes.insert(0, plan.theme)
        wording = getattr(action, "public_wording", None)
        approved = wording is not None and wording.is_approved
        changes.append(
            ChangeMade(
                action_id=action.pk,
                description=action.description,
                completed_on=action.completed_on,
                division=responsible.name if responsible else "",
                plan_title=plan.title,
                case_references=references,
                themes=themes,
                you_said=wording.you_said if approved else "",
                we_did=wording.we_did if approved else "",
            )
        )
    return changes
