"""Reads for cases taken further. Every one starts from cases.selectors.cases_visible_to(user), so a PHSO case,
CQC enquiry or contribution on a case the user may not see is never found (404), and decides what it fetches
with it so that a page's queries do not grow with its rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.urls import reverse

from palsdesk.cases.extensions import WorkItem
from palsdesk.cases.models import Case
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.escalations.models import (
    Chaser,
    ComplianceEvidence,
    Contribution,
    CqcEnquiry,
    JointBody,
    JointComplaint,
    OmbudsmanCase,
    OmbudsmanRequest,
    OmbudsmanStage,
    Recommendation,
)

WHAT_MAX_CHARACTERS = 80


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= WHAT_MAX_CHARACTERS else text[: WHAT_MAX_CHARACTERS - 1] + "…"


# --- The Ombudsman -------------------------------------------------------------------------------------------------


def with_next_due(ombudsman_cases: QuerySet[OmbudsmanCase]) -> QuerySet[OmbudsmanCase]:
    """Each PHSO case with `next_due_on`: the earliest reply or evidence of compliance the trust still owes."""
    requests = OmbudsmanRequest.objects.filter(ombudsman_case=OuterRef("pk"), sent_on__isnull=True)
    recommendations = Recommendation.objects.filter(
        ombudsman_case=OuterRef("pk"), status=Recommendation.Status.OUTSTANDING
    )
    request_due = Subquery(requests.order_by("due_on").values("due_on")[:1])
    recommendation_due = Subquery(recommendations.order_by("due_on").values("due_on")[:1])
    # LEAST ignores a null on PostgreSQL but not on SQLite: coalescing each with the other works on both.
    return ombudsman_cases.annotate(
        next_request_due_on=request_due,
        next_recommendation_due_on=recommendation_due,
    ).annotate(
        next_due_on=Least(
            Coalesce(F("next_request_due_on"), F("next_recommendation_due_on")),
            Coalesce(F("next_recommendation_due_on"), F("next_request_due_on")),
        )
    )


def ombudsman_cases_visible_to(user) -> QuerySet[OmbudsmanCase]:
    return OmbudsmanCase.objects.filter(case__in=cases_visible_to(user))


def cases_referred_to_the_ombudsman(
    cases: QuerySet[Case], periods: list[tuple[datetime.date, datetime.date]]
) -> list[int]:
    """For each period (first and last day), how many of these cases the trust was told the PHSO had taken up.

    Regulation 18(1)(c)'s figure: told on the day of the PHSO's first contact, and a complaint the PHSO took up
    twice in a period counted once. One query, which starts from the PHSO cases of the periods (a few a month).
    """
    first = min(start for start, _ in periods)
    last = max(end for _, end in periods)
    told = OmbudsmanCase.objects.filter(case__in=cases.order_by(), received_on__gte=first, received_on__lte=last)
    rows = list(told.values_list("case_id", "received_on"))
    return [len({case_id for case_id, on in rows if start <= on <= end}) for start, end in periods]


def ombudsman_case_details(ombudsman_cases: QuerySet[OmbudsmanCase]) -> QuerySet[OmbudsmanCase]:
    """What a PHSO case's page (or its API detail) shows, fetched in a fixed number of queries."""
    return ombudsman_cases.select_related("case", "case__division", "handled_by").prefetch_related(
        Prefetch("stages", queryset=OmbudsmanStage.objects.select_related("created_by")),
        Prefetch("requests", queryset=OmbudsmanRequest.objects.select_related("sent_by")),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                Prefetch("evidence", queryset=ComplianceEvidence.objects.select_related("created_by"))
            ),
        ),
    )


def ombudsman_case_for_page(user, reference: str, pk: int) -> OmbudsmanCase:
    """One PHSO case of a case the user may see, with everything its page shows; Http404 otherwise."""
    found = (
        ombudsman_case_details(with_next_due(ombudsman_cases_visible_to(user)))
        .filter(pk=pk, case__reference=reference)
        .first()
    )
    if found is None:
        raise Http404("No such Ombudsman case on a case you can see.")
    return found


def open_ombudsman_cases(user) -> QuerySet[OmbudsmanCase]:
    """Open PHSO cases, the earliest deadline the trust owes first (those with none last)."""
    return (
        with_next_due(ombudsman_cases_visible_to(user).filter(closed_on__isnull=True))
        .select_related("case", "handled_by")
        .order_by(F("next_due_on").asc(nulls_last=True), "received_on", "pk")
    )


def request_of(ombudsman_case: OmbudsmanCase, pk: int) -> OmbudsmanRequest:
    found = ombudsman_case.requests.filter(pk=pk).first()
    if found is None:
        raise Http404("No such request on this Ombudsman case.")
    return found


def recommendation_of(ombudsman_case: OmbudsmanCase, pk: int) -> Recommendation:
    found = ombudsman_case.recommendations.filter(pk=pk).first()
    if found is None:
        raise Http404("No such recommendation on this Ombudsman case.")
    return found


def evidence_of(ombudsman_case: OmbudsmanCase, pk: int) -> ComplianceEvidence:
    found = (
        ComplianceEvidence.objects.filter(pk=pk, recommendation__ombudsman_case=ombudsman_case)
        .select_related("recommendation")
        .first()
    )
    if found is None:
        raise Http404("No such evidence on this Ombudsman case.")
    return found


# --- The CQC, joint complaints and contributions -------------------------------------------------------------------


def cqc_enquiries_visible_to(user) -> QuerySet[CqcEnquiry]:
    return CqcEnquiry.objects.filter(case__in=cases_visible_to(user)).select_related("case", "handled_by", "sent_by")


def open_cqc_enquiries(user) -> QuerySet[CqcEnquiry]:
    """CQC enquiries still to answer, soonest due first."""
    return cqc_enquiries_visible_to(user).filter(sent_on__isnull=True).order_by("due_on", "pk")


def cqc_enquiry_of(case: Case, pk: int) -> CqcEnquiry:
    found = CqcEnquiry.objects.filter(case=case, pk=pk).select_related("case").first()
    if found is None:
        raise Http404("No such CQC enquiry on this case.")
    return found


def joint_complaints_visible_to(user) -> QuerySet[JointComplaint]:
    return (
        JointComplaint.objects.filter(case__in=cases_visible_to(user)).select_related("case").prefetch_related("bodies")
    )


def joint_complaint_of(case: Case) -> JointComplaint | None:
    return JointComplaint.objects.filter(case=case).prefetch_related("bodies").first()


def with_chasers(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Contributions with who was asked and every chaser sent, in a fixed number of queries."""
    return contributions.select_related("case", "from_division", "from_body", "asked_user").prefetch_related(
        Prefetch("chasers", queryset=Chaser.objects.select_related("created_by"))
    )


def contributions_visible_to(user) -> QuerySet[Contribution]:
    return with_chasers(Contribution.objects.filter(case__in=cases_visible_to(user)))


def contributions_awaited(user) -> QuerySet[Contribution]:
    """Contributions not yet received, soonest due first, with how often and when they were last chased."""
    return (
        Contribution.objects.filter(case__in=cases_visible_to(user), received_on__isnull=True)
        .select_related("case", "from_division", "from_body", "asked_user")
        .annotate(chaser_count=Count("chasers"), last_chased_on=Max("chasers__sent_on"))
        .order_by("due_on", "pk")
    )


def contribution_of(case: Case, pk: int) -> Contribution:
    found = (
        Contribution.objects.filter(case=case, pk=pk)
        .select_related("case", "from_division", "from_body", "asked_user")
        .first()
    )
    if found is None:
        raise Http404("No such contribution on this case.")
    return found


def joint_bodies_of(case: Case) -> QuerySet[JointBody]:
    return JointBody.objects.filter(joint_complaint__case=case)


# --- The case page and "My work" -----------------------------------------------------------------------------------


@dataclass
class CaseEscalations:
    """What the case page shows of a case taken further."""

    ombudsman_cases: list[OmbudsmanCase]
    cqc_enquiries: list[CqcEnquiry]
    joint: JointComplaint | None
    contributions: list[Contribution]

    @property
    def is_empty(self) -> bool:
        return not (self.ombudsman_cases or self.cqc_enquiries or self.joint or self.contributions)


def escalations_of(case: Case) -> CaseEscalations:
    """The case's PHSO cases (with their next deadline), CQC enquiries, joint complaint and contributions."""
    return CaseEscalations(
        ombudsman_cases=list(with_next_due(case.ombudsman_cases.all()).select_related("handled_by")),
        cqc_enquiries=list(case.cqc_enquiries.select_related("handled_by")),
        joint=joint_complaint_of(case),
        contributions=list(with_chasers(case.contributions.all())),
    )


def work_items(user, *, today: datetime.date) -> list[WorkItem]:
    """The user's open deadlines from the Ombudsman, the CQC and joint working, for "My work".

    A deadline reaches the case officer of its case and the colleague it was given to: whoever handles the PHSO
    case or CQC enquiry, whoever asked for a contribution and the colleague named in the request, and whoever
    recorded the joint complaint. Only cases the user may see count, so every link opens. One query per kind of
    deadline, however many there are.
    """
    visible = cases_visible_to(user)
    items: list[WorkItem] = []
    for_me = Q(ombudsman_case__handled_by=user) | Q(ombudsman_case__case__case_officer=user)
    requests = OmbudsmanRequest.objects.filter(
        for_me, sent_on__isnull=True, ombudsman_case__closed_on__isnull=True, ombudsman_case__case__in=visible
    ).values_list(
        "pk",
        "due_on",
        "what_is_asked",
        "ombudsman_case_id",
        "ombudsman_case__phso_reference",
        "ombudsman_case__case__reference",
    )
    for pk, due_on, what, ombudsman_id, phso_reference, reference in requests:
        url = reverse("escalations:ombudsman_case", kwargs={"reference": reference, "pk": ombudsman_id})
        items.append(
            WorkItem(reference, f"Reply to the PHSO ({phso_reference}): {_short(what)}", due_on, f"{url}#request-{pk}")
        )
    recommendations = Recommendation.objects.filter(
        for_me,
        status=Recommendation.Status.OUTSTANDING,
        ombudsman_case__closed_on__isnull=True,
        ombudsman_case__case__in=visible,
    ).values_list(
        "pk", "due_on", "kind", "ombudsman_case_id", "ombudsman_case__phso_reference", "ombudsman_case__case__reference"
    )
    for pk, due_on, kind, ombudsman_id, phso_reference, reference in recommendations:
        url = reverse("escalations:ombudsman_case", kwargs={"reference": reference, "pk": ombudsman_id})
        label = Recommendation.Kind(kind).label.lower()
        items.append(
            WorkItem(
                reference, f"Evidence for the PHSO ({phso_reference}): {label}", due_on, f"{url}#recommendation-{pk}"
            )
        )
    enquiries = CqcEnquiry.objects.filter(
        Q(handled_by=user) | Q(case__case_officer=user), sent_on__isnull=True, case__in=visible
    ).values_list("pk", "due_on", "what_is_asked", "case__reference")
    for pk, due_on, what, reference in enquiries:
        url = reverse("cases:detail", kwargs={"reference": reference})
        items.append(WorkItem(reference, f"Reply to the CQC: {_short(what)}", due_on, f"{url}#cqc-{pk}"))
    contributions = Contribution.objects.filter(
        Q(created_by=user) | Q(asked_user=user) | Q(case__case_officer=user),
        received_on__isnull=True,
        case__in=visible,
    ).values_list(
        "pk", "due_on", "what_is_asked", "case__reference", "asked_user_id", "from_division__name", "from_body__name"
    )
    for pk, due_on, what, reference, asked_user_id, division, body in contributions:
        url = reverse("cases:detail", kwargs={"reference": reference})
        who = "Your contribution" if asked_user_id == user.pk else f"Contribution from {body or division}"
        items.append(WorkItem(reference, f"{who}: {_short(what)}", due_on, f"{url}#contribution-{pk}"))
    our_parts = JointComplaint.objects.filter(
        Q(created_by=user) | Q(case__case_officer=user),
        our_part_due_on__isnull=False,
        our_part_sent_on__isnull=True,
        case__in=visible,
    ).values_list("our_part_due_on", "our_part", "case__reference")
    for due_on, what, reference in our_parts:
        url = reverse("cases:detail", kwargs={"reference": reference})
        items.append(
            WorkItem(reference, f"The trust's part of the joint complaint: {_short(what)}", due_on, f"{url}#joint")
        )
    return items
