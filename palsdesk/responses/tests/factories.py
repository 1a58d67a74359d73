"""Final responses made through responses.services, for tests here and in the apps whose complaints are responded to."""

from palsdesk.accounts.tests.factories import approver, coordinator
from palsdesk.cases.models import Case
from palsdesk.responses import richtext, selectors, services
from palsdesk.responses.models import Element, FinalResponse

# A draft with one paragraph for each element of regulation 14(2), in order, after the greeting.
DRAFT_MEETING_REGULATION_14 = (
    "<p>Dear Mrs Okafor,</p>"
    "<p>Your complaint was investigated by the ward manager, who read the records and spoke to the staff.</p>"
    "<p>We found that your mother waited too long for pain relief, and we uphold that part of your complaint.</p>"
    "<p>The ward now checks pain scores every hour, and we are satisfied that this puts right what went wrong.</p>"
    "<p>If you are not satisfied, you may ask the Parliamentary and Health Service Ombudsman to look at it.</p>"
)
PARAGRAPH_OF = {
    Element.HOW_CONSIDERED: 2,
    Element.CONCLUSIONS: 3,
    Element.ACTIONS: 4,
    Element.OMBUDSMAN: 5,
}


def sign_off_response(
    case: Case, *, reviewer=None, signer=None, draft: str = DRAFT_MEETING_REGULATION_14
) -> FinalResponse:
    """Check and sign off a response meeting regulation 14, for a complaint in review: the draft is saved
    as a new version unless it is the latest already."""
    reviewer = reviewer or coordinator()
    signer = signer or approver()
    latest = selectors.latest_version(selectors.current_response(case))
    if latest is None or latest.html != richtext.from_typed(draft):
        services.save_draft(case, actor=reviewer, draft=draft)
    services.record_regulation_14_checks(
        case, actor=signer, paragraphs={element.value: number for element, number in PARAGRAPH_OF.items()}
    )
    return services.sign_off(case, actor=signer)
