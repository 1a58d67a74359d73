"""Reads for final responses: a case's current response and its versions, its review state, who may sign it,
the regulation 14 checks, the comparison of two versions, the case page section and the "My work" items."""

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from palsdesk.accounts.permissions import Permission, can, permissions_of
from palsdesk.cases.extensions import CaseSection, WorkItem
from palsdesk.cases.models import Case, Kind, Status
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.responses import comparison, richtext, signing
from palsdesk.responses.models import (
    Element,
    FinalResponse,
    Regulation14Check,
    ResponseReturn,
    ResponseVersion,
    StandardParagraph,
)
from palsdesk.responses.readiness import current_round

# Only a complaint has a regulation 14 response; an MP letter's reply is not one.
RESPONSE_KINDS = frozenset({Kind.COMPLAINT})
# A draft is written while the complaint is investigated and changed while it is reviewed.
DRAFTING_STATUSES = frozenset({Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW})


class State(enum.StrEnum):
    NOT_STARTED = "not_started"
    DRAFTING = "drafting"
    RETURNED = "returned"
    IN_REVIEW = "in_review"
    SIGNED_OFF = "signed_off"
    SENT = "sent"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self][0]

    @property
    def colour(self) -> str:
        return _STATE_LABELS[self][1]


_STATE_LABELS = {
    State.NOT_STARTED: ("Not started", "grey"),
    State.DRAFTING: ("Being drafted", "blue"),
    State.RETURNED: ("Returned with comments", "orange"),
    State.IN_REVIEW: ("In review", "purple"),
    State.SIGNED_OFF: ("Signed off", "green"),
    State.SENT: ("Sent", "grey"),
}


def current_response(case: Case) -> FinalResponse | None:
    return (
        FinalResponse.objects.filter(case=case, round=current_round(case))
        .select_related("signed_off_by", "signed_off_version", "sent_by")
        .first()
    )


def state_of(response: FinalResponse | None, case: Case) -> State:
    """Where the response stands. The case's status says whether it is drafted or reviewed."""
    if response is None:
        return State.NOT_STARTED
    # Recorded as sent from the case's pathway, rather than here, it went all the same: the guard saw it signed.
    if response.is_sent or (response.is_signed_off and case.status in (Status.RESPONSE_SENT, Status.CLOSED)):
        return State.SENT
    if response.is_signed_off:
        return State.SIGNED_OFF
    if case.status == Status.RESPONSE_IN_REVIEW:
        return State.IN_REVIEW
    if response.is_returned:
        return State.RETURNED
    return State.DRAFTING


# --- Versions -------------------------------------------------------------------------------------------------------


def versions_of(response: FinalResponse | None) -> list[ResponseVersion]:
    if response is None:
        return []
    return list(response.versions.select_related("created_by").order_by("number"))


def latest_version(response: FinalResponse | None) -> ResponseVersion | None:
    if response is None:
        return None
    return response.versions.select_related("created_by").order_by("-number").first()


def response_in_round(case: Case, round_number: int | None = None) -> FinalResponse:
    """The case's response of that round (the current one by default), or Http404."""
    response = (
        FinalResponse.objects.filter(case=case, round=round_number or current_round(case))
        .select_related("signed_off_by", "signed_off_version", "sent_by")
        .first()
    )
    if response is None:
        raise Http404("This complaint has no final response of that round.")
    return response


def version_numbered(response: FinalResponse, number: int) -> ResponseVersion:
    version = response.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise Http404(f"There is no version {number} of this response.")
    return version


@dataclass(frozen=True)
class NumberedParagraph:
    number: int
    text: str


def numbered_paragraphs(version: ResponseVersion) -> list[NumberedParagraph]:
    """The version's paragraphs numbered from 1, as the regulation 14 checks refer to them."""
    return [NumberedParagraph(number, text) for number, text in enumerate(richtext.paragraphs(version.html), start=1)]


def compare_versions(older: ResponseVersion, newer: ResponseVersion) -> comparison.Comparison:
    return comparison.compare(richtext.paragraphs(older.html), richtext.paragraphs(newer.html))


# --- Review ---------------------------------------------------------------------------------------------------------


def sign_off_level_of(case: Case) -> str | None:
    """The sign-off level of the complaint's grade, or None while it is ungraded."""
    return case.grade.sign_off_level if case.grade_id else None


def may_sign(user, case: Case) -> bool:
    return bool(signing.signing_permissions(sign_off_level_of(case)) & permissions_of(user))


def who_signs(case: Case) -> str:
    """'an approver (executive sign-off)', with the level the grade asks for when there is one."""
    who = signing.who_signs(sign_off_level_of(case))
    if case.grade_id:
        level = case.grade.get_sign_off_level_display().lower()
        return f"{who}: the {case.grade.name.lower()} grade is signed off by the {level}"
    return f"{who}: the complaint is not graded"


def checks_of(version: ResponseVersion | None) -> dict[str, Regulation14Check]:
    """The version's regulation 14 checks by element."""
    if version is None:
        return {}
    return {check.element: check for check in version.regulation_14_checks.select_related("created_by", "modified_by")}


@dataclass(frozen=True)
class ElementCheck:
    element: Element
    check: Regulation14Check | None


def element_checks(checks: dict[str, Regulation14Check]) -> list[ElementCheck]:
    """Every element of regulation 14(2), in order, with its tick if it has one."""
    return [ElementCheck(element, checks.get(element.value)) for element in Element]


def missing_elements(checks: dict[str, Regulation14Check]) -> list[Element]:
    return [element for element in Element if element.value not in checks]


def latest_return(response: FinalResponse | None) -> ResponseReturn | None:
    if response is None:
        return None
    return response.returns.select_related("created_by", "version").order_by("-created_at", "-id").first()


def earlier_responses(case: Case) -> list[FinalResponse]:
    """Responses to earlier rounds of a reopened complaint."""
    if not case.reopened_count:
        return []
    return list(
        FinalResponse.objects.filter(case=case, round__lt=current_round(case))
        .select_related("signed_off_by", "signed_off_version")
        .order_by("round")
    )


def standard_paragraphs() -> QuerySet[StandardParagraph]:
    """The paragraphs an officer may put into a draft today."""
    return StandardParagraph.objects.active().order_by("order", "title")


# --- The case page and "My work" ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What this user may do to the response now; the section offers exactly these."""

    can_draft: bool
    can_submit: bool
    can_return: bool
    can_sign: bool
    can_send: bool


def actions_for(user, case: Case, response: FinalResponse | None, state: State) -> Actions:
    """What the services would let this user do now, so that the pages offer only that.

    A response exists only once a version is saved, so "started" means there is a draft to act on.
    """
    started = response is not None
    drafting = case.status == Status.UNDER_INVESTIGATION and state in (
        State.NOT_STARTED,
        State.DRAFTING,
        State.RETURNED,
    )
    # In review with no draft (moved there from the case's next step), the reviewer may write one.
    reviewing = case.status == Status.RESPONSE_IN_REVIEW and state in (State.NOT_STARTED, State.IN_REVIEW)
    return Actions(
        can_draft=(drafting and can(user, Permission.INVESTIGATE))
        or (reviewing and can(user, Permission.REVIEW_RESPONSES)),
        can_submit=drafting and started and can(user, Permission.INVESTIGATE),
        can_return=started and state in (State.IN_REVIEW, State.SIGNED_OFF) and can(user, Permission.REVIEW_RESPONSES),
        can_sign=started and state == State.IN_REVIEW and may_sign(user, case),
        can_send=state == State.SIGNED_OFF
        and case.status == Status.RESPONSE_IN_REVIEW
        and can(user, Permission.MOVE_CASE),
    )


def case_section(user, case: Case) -> CaseSection | None:
    """The "Final response" section of a complaint's page: the draft, its versions, review state and actions.

    A fixed number of queries, however many versions, returns or earlier rounds there are.
    """
    if case.kind not in RESPONSE_KINDS:
        return None
    response = current_response(case)
    state = state_of(response, case)
    versions = versions_of(response)
    latest = versions[-1] if versions else None
    checks = checks_of(latest) if state in (State.IN_REVIEW, State.SIGNED_OFF, State.SENT) else {}
    return CaseSection(
        heading="Final response",
        anchor="final-response",
        template="responses/_section.html",
        context={
            "response": response,
            "state": state,
            "versions": list(reversed(versions)),
            "latest": latest,
            "returned": latest_return(response),
            "element_checks": element_checks(checks) if checks or state == State.IN_REVIEW else [],
            "actions": actions_for(user, case, response, state),
            "who_signs": who_signs(case),
            "earlier": earlier_responses(case),
            "is_drafting_stage": case.status in DRAFTING_STATUSES,
            # Responded to, closed or withdrawn with no response here: written before PALS Desk, or never needed.
            "has_none_here": response is None
            and case.status in (Status.RESPONSE_SENT, Status.CLOSED, Status.WITHDRAWN),
        },
    )


def _work_item(response: FinalResponse, what: str, *, today: datetime.date, url_name: str) -> WorkItem:
    case = response.case
    return WorkItem(
        case_reference=case.reference,
        what=what,
        due_on=case.response_due_on or today,
        url=reverse(url_name, kwargs={"reference": case.reference}),
    )


def work_items(user, *, today: datetime.date) -> list[WorkItem]:
    """Drafts returned to this investigator with comments, and responses waiting for this user's sign-off.

    A query each. The investigator is the case's investigating manager, or its case officer while it has none.
    """
    current = FinalResponse.objects.filter(
        case__in=cases_visible_to(user), round=F("case__reopened_count") + 1
    ).select_related("case")
    items = []
    if can(user, Permission.INVESTIGATE):
        returned = current.filter(
            Q(case__investigating_manager=user) | Q(case__investigating_manager__isnull=True, case__case_officer=user),
            is_returned=True,
            case__status=Status.UNDER_INVESTIGATION,
        )
        items += [
            _work_item(response, "Draft response returned with comments", today=today, url_name="responses:draft")
            for response in returned
        ]
    levels = signing.levels_signed_with(permissions_of(user))
    if levels:
        at_my_level = Q(case__grade__sign_off_level__in=levels)
        if can(user, Permission.SIGN_OFF):
            at_my_level |= Q(case__grade__isnull=True)
        waiting = current.filter(
            at_my_level,
            Exists(ResponseVersion.objects.filter(response=OuterRef("pk"))),
            case__status=Status.RESPONSE_IN_REVIEW,
            signed_off_version__isnull=True,
        )
        items += [
            _work_item(response, "Final response to sign off", today=today, url_name="responses:sign_off")
            for response in waiting
        ]
    return items
