"""Acceptance: a complaint's final response from draft to sending, with every step on the timeline.

Draft v1, returned with comments, draft v2, the regulation 14 check, sign-off and sending; the versions,
their comparison, and the signed letter produced as a Word document and a PDF, opened and read back.
"""

import io

import docx
import pypdf
import pytest
from django.core.exceptions import ValidationError

from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Status
from palsdesk.correspondence.models import CorrespondenceEntry
from palsdesk.responses import selectors, services
from palsdesk.responses.models import ResponseVersion
from palsdesk.responses.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

V1 = (
    "<p>Dear Mrs Okafor,</p>"
    "<p>Your complaint was investigated by the divisional manager, who read your mother's records and spoke to "
    "the nurses on Ward 7.</p>"
    "<p>We found that your mother waited too long for pain relief on 30 October.</p>"
    "<p>The ward now checks pain scores every hour, and we are satisfied this puts right what went wrong.</p>"
)
V2 = (
    "<p>Dear Mrs Okafor,</p>"
    "<p>Your complaint was investigated by the divisional manager, who read your mother's records and spoke to "
    "the nurses on Ward 7.</p>"
    "<p>We found that your mother waited four hours for pain relief on 30 October, and we uphold your complaint.</p>"
    "<p>The ward now checks pain scores every hour, and we are satisfied this puts right what went wrong.</p>"
    "<p>If you are not satisfied, you may ask the Parliamentary and Health Service Ombudsman to look at your "
    "complaint.</p>"
)


def text_of_docx(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs)


def text_of_pdf(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


def test_a_complaint_goes_from_draft_through_review_and_sign_off_to_sending(complaint, lead, investigator, signer):
    # Draft v1, by the investigator, and off to review.
    v1 = services.save_draft(complaint, actor=investigator, draft=V1, based_on=0)
    complaint = services.submit_for_review(complaint, actor=investigator, expected_version=complaint.version)
    assert complaint.status == Status.RESPONSE_IN_REVIEW

    # The co-ordinator returns it with comments: back under investigation and in the investigator's "My work".
    complaint = services.return_with_comments(
        complaint, comments="Say whether we uphold it, and add the Ombudsman paragraph.", actor=lead
    )
    assert complaint.status == Status.UNDER_INVESTIGATION
    assert [(item.what, item.case_reference) for item in selectors.work_items(investigator, today=TODAY)] == [
        ("Draft response returned with comments", complaint.reference)
    ]

    # Draft v2, and back to review: it leaves "My work".
    v2 = services.save_draft(complaint, actor=investigator, draft=V2, based_on=1)
    complaint = services.submit_for_review(complaint, actor=investigator)
    assert selectors.work_items(investigator, today=TODAY) == []
    assert [item.what for item in selectors.work_items(signer, today=TODAY)] == ["Final response to sign off"]

    # Regulation 14: sign-off is refused while an element is missing, naming it.
    services.record_regulation_14_checks(
        complaint, actor=signer, paragraphs={"how_considered": 2, "conclusions": 3, "actions": 4}
    )
    with pytest.raises(ValidationError) as refusal:
        services.sign_off(complaint, actor=signer)
    assert list(refusal.value.message_dict) == ["ombudsman"]
    assert (
        "the right to take the complaint to the Parliamentary and Health Service Ombudsman"
        in (refusal.value.message_dict["ombudsman"][0])
    )
    services.record_regulation_14_checks(complaint, actor=signer, paragraphs={"ombudsman": 5})
    response = services.sign_off(complaint, actor=signer, signed_as="Chief Nurse, for the Chief Executive")
    assert (response.signed_off_version, response.signed_off_by) == (v2, signer)

    # Sending: the date, the pathway, the clock, and the signed letter filed in the communications log.
    response = services.send_response(complaint, actor=lead, method="letter", sent_on=TODAY)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.responded_on) == (Status.RESPONSE_SENT, TODAY)
    assert complaint.next_due_on is None  # the response clock has stopped
    assert response.sent_on == TODAY
    assert selectors.state_of(response, complaint) == selectors.State.SENT

    # The versions, each kept, and the readable comparison of the two.
    assert list(ResponseVersion.objects.filter(response=response).values_list("number", "created_by")) == [
        (1, investigator.pk),
        (2, investigator.pk),
    ]
    assert v1.text.startswith("Dear Mrs Okafor,\n\nYour complaint was investigated")
    changes = selectors.compare_versions(v1, v2)
    added = " ".join(piece.text for paragraph in changes.paragraphs for piece in paragraph if piece.change == "added")
    removed = " ".join(p.text for paragraph in changes.paragraphs for p in paragraph if p.change == "removed")
    assert "four hours" in added and "we uphold your complaint." in added and "Ombudsman" in added
    assert removed == "too long October."  # "October." became "October, and we uphold..."

    # The timeline: each step with who made it.
    steps = list(complaint.timeline.order_by("occurred_at", "id").values_list("body", "created_by"))[-11:-2]
    assert steps == [
        ("Final response: draft version 1 saved.", investigator.pk),
        ("Submit the draft response for review: Under investigation → Response in review.", investigator.pk),
        (
            "Return the draft to the investigator: Response in review → Under investigation. "
            "Reason: Say whether we uphold it, and add the Ombudsman paragraph.",
            lead.pk,
        ),
        ("Final response: draft version 2 saved.", investigator.pk),
        ("Submit the draft response for review: Under investigation → Response in review.", investigator.pk),
        (
            "Final response: regulation 14 checks of version 2: shown: how the complaint was considered "
            "(paragraph 2); the conclusions reached, including any remedial action needed (paragraph 3); whether "
            "the trust is satisfied that the action needed has been taken or is proposed (paragraph 4). Not yet "
            "shown: the right to take the complaint to the Parliamentary and Health Service Ombudsman.",
            signer.pk,
        ),
        (
            "Final response: regulation 14 checks of version 2: shown: how the complaint was considered "
            "(paragraph 2); the conclusions reached, including any remedial action needed (paragraph 3); whether "
            "the trust is satisfied that the action needed has been taken or is proposed (paragraph 4); the right "
            "to take the complaint to the Parliamentary and Health Service Ombudsman (paragraph 5).",
            signer.pk,
        ),
        (
            "Final response: version 2 signed off by Catherine Lowe, signing as Chief Nurse, for the Chief Executive.",
            signer.pk,
        ),
        ("Record the response as sent: Response in review → Response sent.", lead.pk),
    ]
    last = list(complaint.timeline.order_by("occurred_at", "id").values_list("body", flat=True))[-2:]
    assert last[0].startswith("Letter sent: Final response to complaint")
    assert last[1] == (
        "Final response: signed version 2 sent by post on 20 November 2026 to Mrs Grace Okafor. The letter is "
        "filed in the communications log as a Word document and a PDF."
    )
    actions = set(
        AuditEvent.objects.filter(case=complaint, action__startswith="final_response.").values_list("action", flat=True)
    )
    assert actions == {
        "final_response.version_saved",
        "final_response.submitted",
        "final_response.returned",
        "final_response.regulation_14_checked",
        "final_response.signed_off",
        "final_response.sent",
    }

    # The signed letter, as a Word document and a PDF, opened and read back.
    entry = CorrespondenceEntry.objects.get(case=complaint)
    assert (entry.direction, entry.channel, entry.recipient) == ("out", "letter", "Mrs Grace Okafor")
    files = {attachment.filename: attachment for attachment in entry.attachments.all()}
    assert set(files) == {f"{complaint.reference}-final-response.docx", f"{complaint.reference}-final-response.pdf"}
    word = text_of_docx(files[f"{complaint.reference}-final-response.docx"].file.read())
    pdf = text_of_pdf(files[f"{complaint.reference}-final-response.pdf"].file.read())
    for text in (word, pdf):
        assert "Mrs Grace Okafor" in text
        assert "12 Mill Lane" in text
        assert "20 November 2026" in text
        assert complaint.reference in text
        assert "we uphold your complaint." in text
        assert "Parliamentary and Health Service Ombudsman" in text
        assert "too long" not in text  # version 1's words: only the signed version goes
        assert "Catherine Lowe" in text
        assert "Chief Nurse, for the Chief Executive" in text
    assert word.index("Dear Mrs Okafor,") < word.index("we uphold your complaint.") < word.index("Yours sincerely,")
