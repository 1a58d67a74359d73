"""Rules about a case itself that a pathway move must meet, beyond where it stands (workflow.Transition.guard)."""

from palsdesk.cases.models import Case, Kind
from palsdesk.coding.selectors import closing_refusal
from palsdesk.responses.readiness import sending_refusal


def _decision(case: Case):
    try:
        return case.time_limit_decision
    except Case.time_limit_decision.RelatedObjectDoesNotExist:
        return None


def refusal(case: Case, guard: str) -> str | None:
    """Why the guarded move cannot be made now, in words for the person asking, or None if it can."""
    if not guard:
        return None
    if guard == "coding_complete":
        # KO41a counts each aspect of a complaint, with its outcome: a complaint closes fully coded.
        # One query (none with coding.selectors.issues_prefetch() on the case), however many issues.
        return closing_refusal(case)
    if guard == "response_signed_off":
        # Regulation 14(2): the response is signed by the responsible person, or someone they authorise.
        # One query, whatever the response's versions.
        return sending_refusal(case)
    late = case.kind == Kind.COMPLAINT and case.is_out_of_time
    last_day = f"{case.time_limit_on.day} {case.time_limit_on:%B %Y}" if case.time_limit_on else ""
    if guard == "time_limit_allows":
        if not late:
            return None
        decision = _decision(case)
        if decision is None:
            return (
                f"This complaint was made after the 12-month time limit (the last day was {last_day}). "
                "Record whether it is taken on (regulation 12(4)) before it is investigated."
            )
        if not decision.is_accepted:
            return "It was decided not to take this complaint on, as it was made after the time limit."
        return None
    if guard == "time_limit_declined":
        decision = _decision(case) if late else None
        if decision is None or decision.is_accepted:
            return "Only a complaint made after the time limit, and decided not to be taken on, can be closed this way."
        return None
    raise ValueError(f"Unknown guard {guard!r}")
