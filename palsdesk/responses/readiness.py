"""Whether a complaint's final response is ready to be recorded as sent: the question of the pathway guard.

cases.guards asks it before a complaint moves to "response sent", so it reads only this app's models: the
rest of `responses` uses cases.selectors, which imports the guards.
"""

from palsdesk.cases.models import Case
from palsdesk.responses.models import FinalResponse


def current_round(case: Case) -> int:
    """The round of the response the complaint needs now: 1, and one more each time it is reopened."""
    return case.reopened_count + 1


def sending_refusal(case: Case) -> str | None:
    """Why the complaint cannot be recorded as responded to yet, or None once its response is signed off.

    One query. The pathway guard "response_signed_off" (cases.guards) asks it.
    """
    signed = (
        FinalResponse.objects.filter(case=case, round=current_round(case))
        .values_list("signed_off_version__number", flat=True)
        .first()
    )
    if signed:
        return None
    # Regulation 14(2): the response is signed by the responsible person, or someone they authorise.
    if case.reopened_count:
        return (
            "The complaint was reopened, so it needs a new final response, signed off, before a response is "
            "recorded as sent."
        )
    return (
        "The final response must be signed off before the complaint is recorded as responded to "
        "(regulation 14(2)). Its 'Final response' section shows what is still needed."
    )
