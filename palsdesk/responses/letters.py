"""The signed final response as a letter: whom it goes to, the letter itself, and its Word and PDF files.

The letter is the signed version's own words under the trust's letterhead, with the signatory's name and
whom they sign for. It follows the person's communication needs where it can: in large print for someone
who needs it (the Accessible Information Standard).
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from palsdesk.cases.models import Case
from palsdesk.core.dates import long_date
from palsdesk.correspondence import documents
from palsdesk.correspondence import services as correspondence
from palsdesk.correspondence.attachments import DOCX, PDF
from palsdesk.people.models import CaseParty, PartyRole, Person
from palsdesk.responses.models import FinalResponse

LETTER_TEMPLATE = "responses/letter.html"
LARGE_PRINT_NEED = "large-print"
# Who the response is written to when the case names no main contact: the complainant, then whoever acts for them.
_RECIPIENT_ROLES = (PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE, PartyRole.PATIENT)


def recipient_of(case: Case) -> Person | None:
    """The person the response is addressed to: the main contact, else the complainant or their representative."""
    parties = list(CaseParty.objects.filter(case=case).select_related("person").order_by("id"))
    for party in parties:
        if party.is_main_contact:
            return party.person
    for role in _RECIPIENT_ROLES:
        for party in parties:
            if party.role == role:
                return party.person
    return None


def _address(person: Person) -> str:
    return "\n".join(
        part for part in (person.address_line_1, person.address_line_2, person.town, person.postcode) if part
    )


def needs_large_print(person: Person) -> bool:
    return person.communication_needs.filter(code=LARGE_PRINT_NEED).exists()


def letter_html(response: FinalResponse, *, case: Case, recipient: Person, dated: datetime.date) -> str:
    """The whole letter as HTML, for the Word document and the PDF."""
    version = response.signed_off_version
    trust = case.division.trust
    return render_to_string(
        LETTER_TEMPLATE,
        {
            "trust": trust,
            "trust_address_lines": [line.strip() for line in trust.address.splitlines() if line.strip()],
            "recipient_name": recipient.full_name,
            "recipient_address_lines": _address(recipient).splitlines(),
            "dated": long_date(dated),
            "reference": case.reference,
            # Sanitised when it was saved (richtext.sanitise): only the letter subset of HTML is in it.
            "body_html": mark_safe(version.html),  # noqa: S308
            "signatory": response.signed_off_by.get_full_name() or response.signed_off_by.get_username(),
            "signed_as": response.signed_as,
            "is_large_print": needs_large_print(recipient),
        },
    )


def file_stem(response: FinalResponse, case: Case) -> str:
    stem = f"{case.reference}-final-response"
    return stem if response.round == 1 else f"{stem}-{response.round}"


def documents_of(response: FinalResponse, *, case: Case, recipient: Person, dated: datetime.date) -> dict[str, bytes]:
    """The letter as a Word document and a PDF, by file name."""
    html = letter_html(response, case=case, recipient=recipient, dated=dated)
    stem = file_stem(response, case)
    return {f"{stem}.docx": documents.docx_from_html(html), f"{stem}.pdf": documents.pdf_from_html(html)}


def _sent_at(day: datetime.date) -> datetime.datetime:
    """When the log says it went: now if it went today; otherwise the log needs a time, and midday is as good as any."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def file_signed_response(response: FinalResponse, *, case: Case, recipient: Person, actor):
    """Produce the signed letter and file it, with its .docx and PDF, in the case's communications log."""
    files = documents_of(response, case=case, recipient=recipient, dated=response.sent_on)
    content_types = {".docx": DOCX, ".pdf": PDF}
    return correspondence.file_correspondence(
        case,
        actor=actor,
        direction="out",
        channel=response.sent_method,
        occurred_at=_sent_at(response.sent_on),
        sender=response.signed_off_by.get_full_name() or response.signed_off_by.get_username(),
        recipient=recipient.full_name,
        subject=f"Final response to complaint {case.reference}",
        body=response.signed_off_version.text,
        attachments=[(name, content, content_types[name[name.rindex(".") :]]) for name, content in files.items()],
    )
