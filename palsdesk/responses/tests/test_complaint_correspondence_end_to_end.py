"""Acceptance (issue 5): one complaint's correspondence from the acknowledgement to the signed response.

The acknowledgement letter with the offer to discuss and the consent request to the patient (correspondence),
then draft v1, returned with comments, draft v2, sign-off and sending (responses): the timeline, the versions,
their comparison, and every letter's Word document and PDF opened and read back.
"""

import io

import docx
import pypdf
import pytest

from palsdesk.cases import services as case_services
from palsdesk.cases.models import Status
from palsdesk.correspondence import services as correspondence
from palsdesk.correspondence.models import CorrespondenceEntry
from palsdesk.correspondence.tests.factories import complaint_by_a_representative, letter_settings, starter
from palsdesk.responses import selectors, services
from palsdesk.responses.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

V1 = (
    "<p>Dear Mr Babbage,</p>"
    "<p>The divisional manager read your mother's records and spoke to the nurses on Ward 7.</p>"
    "<p>We found that your mother's medicines were late.</p>"
    "<p>The ward has changed its medicines round.</p>"
)
V2 = (
    "<p>Dear Mr Babbage,</p>"
    "<p>The divisional manager read your mother's records and spoke to the nurses on Ward 7.</p>"
    "<p>We found that your mother's evening medicines were two hours late on three nights, and we uphold "
    "your complaint.</p>"
    "<p>The ward has changed its medicines round, and the matron checks it each week.</p>"
    "<p>If you are not satisfied, you may ask the Parliamentary and Health Service Ombudsman to look at your "
    "complaint.</p>"
)


def read_back(entry: CorrespondenceEntry) -> dict[str, str]:
    """The text of each of the entry's files, by its ending: Word paragraphs and tables, and the PDF's pages."""
    texts = {}
    for attachment in entry.attachments.all():
        content = attachment.file.read()
        if attachment.filename.endswith(".docx"):
            document = docx.Document(io.BytesIO(content))
            cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
            texts["docx"] = "\n".join([p.text for p in document.paragraphs] + cells)
        else:
            pages = pypdf.PdfReader(io.BytesIO(content)).pages
            texts["pdf"] = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert set(texts) == {"docx", "pdf"}
    return texts


def test_a_complaint_from_acknowledgement_and_consent_to_its_signed_response(medicine, lead, investigator, signer):
    letter_settings()
    complaint = complaint_by_a_representative(lead, division=medicine)

    # The acknowledgement with the offer to discuss, to the son who complains for his mother.
    acknowledgement = correspondence.draft_letter(complaint, actor=lead, template=starter("acknowledgement"))
    acknowledgement = correspondence.produce_letter(acknowledgement, actor=lead)
    complaint = case_services.move_case(complaint, to=Status.ACKNOWLEDGED, actor=lead, acknowledgement_method="letter")
    texts = read_back(acknowledgement.entry)
    for text in texts.values():
        assert "Dear Mr Babbage," in text
        assert complaint.reference in text

    # The consent request goes to his mother, the patient.
    consent = correspondence.draft_letter(complaint, actor=lead, template=starter("consent-request"))
    consent = correspondence.produce_letter(consent, actor=lead)
    texts = read_back(consent.entry)
    for text in texts.values():
        assert "Dear Mrs Babbage," in text
        assert "Mr Charles Babbage" in text

    # The investigation: draft v1, returned with comments, draft v2.
    complaint = case_services.assign_case(complaint, investigating_manager=investigator, actor=lead)
    complaint = case_services.move_case(complaint, to=Status.UNDER_INVESTIGATION, actor=lead)
    v1 = services.save_draft(complaint, actor=investigator, draft=V1, based_on=0)
    complaint = services.submit_for_review(complaint, actor=investigator)
    complaint = services.return_with_comments(complaint, comments="Say what we found and add the PHSO.", actor=lead)
    v2 = services.save_draft(complaint, actor=investigator, draft=V2, based_on=1)
    complaint = services.submit_for_review(complaint, actor=investigator)

    # Sign-off against regulation 14, then sending.
    services.record_regulation_14_checks(
        complaint, actor=signer, paragraphs={"how_considered": 2, "conclusions": 3, "actions": 4, "ombudsman": 5}
    )
    services.sign_off(complaint, actor=signer, signed_as="Chief Nurse, for the Chief Executive")
    services.send_response(complaint, actor=lead, method="letter", sent_on=TODAY)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONSE_SENT

    # The versions and their comparison.
    changes = selectors.compare_versions(v1, v2)
    added = " ".join(piece.text for paragraph in changes.paragraphs for piece in paragraph if piece.change == "added")
    assert "two hours late on three nights" in added and "Ombudsman" in added

    # The communications log holds the three letters, in order, each as Word and PDF.
    entries = list(CorrespondenceEntry.objects.filter(case=complaint).order_by("occurred_at", "pk"))
    assert len(entries) == 3
    assert entries[:2] == [acknowledgement.entry, consent.entry]
    response_texts = read_back(entries[2])
    for text in response_texts.values():
        assert "we uphold your complaint." in text
        assert "Parliamentary and Health Service Ombudsman" in text
        assert "Chief Nurse, for the Chief Executive" in text
        assert "medicines were late" not in text  # version 1's words: only the signed version goes

    # The timeline tells the story in order.
    story = list(complaint.timeline.order_by("occurred_at", "pk").values_list("body", flat=True))

    def first(starting: str) -> int:
        return next(index for index, body in enumerate(story) if body.startswith(starting))

    assert (
        first("Letter drafted from “Acknowledgement")
        < first("Letter drafted from “Consent")
        < first("Final response: draft version 1 saved.")
        < first("Return the draft to the investigator")
        < first("Final response: draft version 2 saved.")
        < first("Final response: version 2 signed off by Catherine Lowe")
        < first("Record the response as sent")
    )
