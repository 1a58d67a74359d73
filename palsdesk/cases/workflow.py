"""The pathway of each kind of case as a state machine: which moves exist, from where, and who may make them."""

from dataclasses import dataclass

from palsdesk.accounts.permissions import Permission
from palsdesk.cases.models import Kind, Status
from palsdesk.core.errors import RuleBroken


class InvalidTransition(RuleBroken):
    """The case cannot make this move from where it is now."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[Status]
    target: Status
    permission: Permission
    needs_reason: bool = False
    # A rule about the case itself that must hold before the move (see cases.guards), or "".
    guard: str = ""


def _t(name, label, sources, target, permission=Permission.MOVE_CASE, needs_reason=False, guard="") -> Transition:
    return Transition(name, label, frozenset(sources), target, permission, needs_reason, guard)


_BEFORE_RESPONSE = {Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW}


def _formal(*, close_guard: str = "", send_guard: str = "") -> tuple[Transition, ...]:
    """A formal complaint (regulations 13 and 14): acknowledge, investigate, review the draft, respond, close.

    MP letters follow the same pathway; their replies are signed by the chief executive. Only a
    complaint's closing needs its KO41a coding complete: an MP letter is not a KO41a complaint.
    """
    return (
        _t("acknowledge", "Record the acknowledgement", {Status.RECEIVED}, Status.ACKNOWLEDGED),
        _t(
            "start_investigation",
            "Start the investigation",
            {Status.ACKNOWLEDGED},
            Status.UNDER_INVESTIGATION,
            Permission.INVESTIGATE,
            guard="time_limit_allows",
        ),
        _t(
            "submit_draft",
            "Submit the draft response for review",
            {Status.UNDER_INVESTIGATION},
            Status.RESPONSE_IN_REVIEW,
            Permission.INVESTIGATE,
        ),
        _t(
            "return_draft",
            "Return the draft to the investigator",
            {Status.RESPONSE_IN_REVIEW},
            Status.UNDER_INVESTIGATION,
            needs_reason=True,
        ),
        _t(
            "send_response",
            "Record the response as sent",
            {Status.RESPONSE_IN_REVIEW},
            Status.RESPONSE_SENT,
            guard=send_guard,
        ),
        _t("close", "Close the case", {Status.RESPONSE_SENT}, Status.CLOSED, guard=close_guard),
        _t(
            "reopen",
            "Reopen after the response",
            {Status.RESPONSE_SENT, Status.CLOSED},
            Status.UNDER_INVESTIGATION,
            needs_reason=True,
        ),
        _t("withdraw", "Record that the complainant withdrew", _BEFORE_RESPONSE, Status.WITHDRAWN, needs_reason=True),
    )


PATHWAYS: dict[Kind, tuple[Transition, ...]] = {
    Kind.COMPLAINT: (
        # Every issue coded for KO41a, with its outcome (cases.guards, coding.completeness); and the final
        # response signed off before it is sent (regulation 14(2); responses.readiness).
        *_formal(close_guard="coding_complete", send_guard="response_signed_off"),
        # Regulation 12(4): a complaint made too late, and not taken on, is closed with the decision.
        _t(
            "decline_out_of_time",
            "Close: made after the time limit and not taken on",
            {Status.RECEIVED, Status.ACKNOWLEDGED},
            Status.CLOSED,
            needs_reason=True,
            guard="time_limit_declined",
        ),
    ),
    Kind.MP_LETTER: _formal(),
    Kind.PALS_CONCERN: (
        _t("resolve", "Mark as resolved", {Status.OPEN}, Status.RESOLVED),
        # Escalation also opens the linked complaint, so it is made by cases.services.escalate_to_complaint.
        _t("escalate", "Escalate to a formal complaint", {Status.OPEN}, Status.ESCALATED, needs_reason=True),
        _t("reopen", "Reopen", {Status.RESOLVED}, Status.OPEN, needs_reason=True),
    ),
    Kind.COMPLIMENT: (
        _t("close", "Close (thanks sent and shared with staff)", {Status.OPEN}, Status.CLOSED),
        _t("reopen", "Reopen", {Status.CLOSED}, Status.OPEN, needs_reason=True),
    ),
    Kind.ENQUIRY: (
        _t("resolve", "Mark as answered", {Status.OPEN}, Status.RESOLVED),
        _t("reopen", "Reopen", {Status.RESOLVED}, Status.OPEN, needs_reason=True),
    ),
}

INITIAL_STATUS: dict[Kind, Status] = {
    Kind.COMPLAINT: Status.RECEIVED,
    Kind.MP_LETTER: Status.RECEIVED,
    Kind.PALS_CONCERN: Status.OPEN,
    Kind.COMPLIMENT: Status.OPEN,
    Kind.ENQUIRY: Status.OPEN,
}

# Kinds whose acknowledgement is a statutory clock (regulation 13(2)).
ACKNOWLEDGED_KINDS = frozenset({Kind.COMPLAINT, Kind.MP_LETTER})


_WITH_ARTICLE = {
    Kind.PALS_CONCERN: "a PALS concern",
    Kind.COMPLAINT: "a complaint",
    Kind.COMPLIMENT: "a compliment",
    Kind.ENQUIRY: "an enquiry",
    Kind.MP_LETTER: "an MP letter",
}


def with_article(kind: Kind, *, capital: bool = False) -> str:
    """'a complaint', 'an MP letter': for messages that name the kind of case."""
    text = _WITH_ARTICLE[Kind(kind)]
    return text[0].upper() + text[1:] if capital else text


def statuses_of(kind: Kind) -> list[Status]:
    """Every status a case of this kind can be in, in pathway order."""
    seen = [INITIAL_STATUS[kind]]
    for transition in PATHWAYS[kind]:
        if transition.target not in seen:
            seen.append(transition.target)
    return seen


def moves_from(kind: Kind, status: Status) -> list[Transition]:
    return [t for t in PATHWAYS[Kind(kind)] if status in t.sources]


def transition_to(kind: Kind, status: Status, to: str) -> Transition:
    """The move from status to `to`, or InvalidTransition saying which moves there are instead."""
    kind, status = Kind(kind), Status(status)
    try:
        target = Status(to)
    except ValueError:
        raise InvalidTransition(f"'{to}' is not a status. Use one of: {', '.join(s.value for s in Status)}.") from None
    for transition in moves_from(kind, status):
        if transition.target == target:
            return transition
    possible = [f"{t.target.label} ({t.target.value})" for t in moves_from(kind, status)]
    where = f"{with_article(kind, capital=True)} that is '{status.label}' cannot move to '{target.label}'."
    if possible:
        raise InvalidTransition(f"{where} From here it can move to: {', '.join(possible)}.")
    raise InvalidTransition(f"{where} It is finished; nothing can move it on.")


def transition_named(kind: Kind, status: Status, name: str) -> Transition:
    for transition in moves_from(kind, status):
        if transition.name == name:
            return transition
    raise InvalidTransition(
        f"{with_article(kind, capital=True)} that is '{Status(status).label}' cannot be moved that way now."
    )
