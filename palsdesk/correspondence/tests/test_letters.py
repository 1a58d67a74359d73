"""Letters from templates: merged into a draft the officer edits, then produced as Word and PDF and filed."""

import datetime
import io

import docx
import pypdf
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import auditor, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import TimelineEntry
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.correspondence import selectors, services
from palsdesk.correspondence.models import Channel, Direction, Letter, LetterTemplate
from palsdesk.correspondence.tests.conftest import stored_files
from palsdesk.correspondence.tests.factories import (
    complaint_by_a_representative,
    complaint_by_the_patient,
    letter_settings,
    starter,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)  # a Friday
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def caseworker():
    return officer(username="casey", first_name="Casey", last_name="Jones")


@pytest.fixture
def settings_for_letters():
    return letter_settings()


def _documents(letter: Letter) -> tuple[docx.document.Document, str]:
    """The produced Word document and the PDF's text, read back from what was stored."""
    files = {attachment.content_type: attachment for attachment in letter.entry.attachments.all()}
    with files[DOCX].file.open("rb") as stored:
        word = docx.Document(io.BytesIO(stored.read()))
    with files["application/pdf"].file.open("rb") as stored:
        pdf = pypdf.PdfReader(io.BytesIO(stored.read()))
    return word, "\n".join(page.extract_text() for page in pdf.pages)


def _word_text(word) -> str:
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in word.paragraphs] + cells)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_an_acknowledgement_is_drafted_produced_as_word_and_pdf_and_filed(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)

    draft = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))

    assert draft.status == Letter.Status.DRAFT
    assert (draft.recipient_name, draft.is_large_print) == ("Mrs Ada Lovelace", False)
    assert draft.recipient_address == "12 Analytical Row\nOxford\nOX4 2PG"
    assert draft.subject == f"Your complaint: our reference {complaint.reference}"
    assert draft.body.startswith(
        "Dear Mrs Lovelace,\n\nThank you for contacting us. We received your complaint on 20 November 2026"
    )
    assert f"by **{long_date(complaint.response_due_on)}**" in draft.body
    assert "Casey Jones is looking after your complaint" in draft.body
    assert "Oxfordshire NHS Complaints Advocacy on 0300 456 2370" in draft.body
    assert "{{" not in draft.body
    assert complaint.timeline.filter(
        body="Letter drafted from “Acknowledgement with the offer to discuss” to Mrs Ada Lovelace."
    ).exists()

    letter = services.produce_letter(draft, actor=caseworker, expected_version=draft.version)

    assert letter.status == Letter.Status.PRODUCED
    entry = letter.entry
    assert (entry.case, entry.direction, entry.channel) == (complaint, Direction.OUTBOUND, Channel.LETTER)
    assert (entry.recipient, entry.sender) == ("Mrs Ada Lovelace", "Patient Advice and Complaints Team")
    assert sorted(a.filename for a in entry.attachments.all()) == [
        f"{complaint.reference}-acknowledgement.docx",
        f"{complaint.reference}-acknowledgement.pdf",
    ]
    word, pdf_text = _documents(letter)
    word_text = _word_text(word)
    for expected in (
        "Test Hospitals NHS Foundation Trust",  # the letterhead
        "Telephone: 01865 111222",
        "12 Analytical Row",
        "20 November 2026",  # dated
        f"Our reference: {complaint.reference}",
        "Dear Mrs Lovelace,",
        f"we aim to send you our full written response by {long_date(complaint.response_due_on)}",
        "Talking about your complaint",
        "Oxfordshire NHS Complaints Advocacy on 0300 456 2370",
    ):
        assert expected in word_text
        assert expected in _flat(pdf_text)
    heading = next(p for p in word.paragraphs if p.text == "Talking about your complaint")
    assert heading.style.name == "Heading 2"
    assert word.styles["Normal"].font.size.pt == 11
    assert complaint.timeline.filter(
        kind=TimelineEntry.EntryKind.NOTE, direction="out", body__startswith="Letter sent: Your complaint"
    ).exists()
    assert AuditEvent.objects.filter(action="letter.produced", case=complaint).exists()
    assert AuditEvent.objects.filter(action="correspondence.letter_filed", case=complaint).exists()


def test_a_consent_request_goes_to_the_patient_naming_who_complains_for_them(caseworker, settings_for_letters):
    complaint = complaint_by_a_representative(caseworker)

    draft = services.draft_letter(complaint, actor=caseworker, template=starter("consent-request"))
    letter = services.produce_letter(draft, actor=caseworker)

    assert (letter.recipient_name, letter.recipient_address) == (
        "Mrs Elsie Babbage",
        "3 Engine Lane\nAbingdon\nOX14 1AA",
    )
    word, pdf_text = _documents(letter)
    word_text = _word_text(word)
    for expected in (
        "Dear Mrs Babbage,",
        "We have received a complaint from Mr Charles Babbage about care you received from Test Hospitals",
        "3 Engine Lane",
        "Consent form",
        complaint.reference,
    ):
        assert expected in word_text
        assert expected in _flat(pdf_text)
    # The form's rows are a table in Word.
    (table,) = word.tables
    assert [cell.text for cell in table.rows[0].cells] == ["Your name", "Mrs Elsie Babbage"]
    assert [cell.text for cell in table.rows[2].cells] == ["Complaint made by", "Mr Charles Babbage"]


def test_a_recipient_who_needs_large_print_gets_the_large_print_letter(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker, large_print=True)

    draft = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))
    letter = services.produce_letter(draft, actor=caseworker)

    assert letter.is_large_print
    assert complaint.timeline.filter(body__endswith="to Mrs Ada Lovelace in large print.").exists()
    word, pdf_text = _documents(letter)
    assert word.styles["Normal"].font.size.pt == 16
    assert "Dear Mrs Lovelace," in pdf_text
    sizes = _pdf_text_sizes(letter)
    assert min(sizes) >= 14 and max(sizes) >= 16  # the page numbers at 14pt, the letter at 16pt or more
    assert {a.filename for a in letter.entry.attachments.all()} == {
        f"{complaint.reference}-acknowledgement-large-print.docx",
        f"{complaint.reference}-acknowledgement-large-print.pdf",
    }


def _pdf_text_sizes(letter) -> list[float]:
    attachment = letter.entry.attachments.get(content_type="application/pdf")
    with attachment.file.open("rb") as stored:
        page = pypdf.PdfReader(io.BytesIO(stored.read())).pages[0]
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(round(font_size * abs(tm[3]) * abs(cm[3]), 1))

    page.extract_text(visitor_text=visit)
    return sizes


def test_an_unknown_merge_field_is_reported_before_any_letter_is_made(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    template = LetterTemplate.objects.create(
        code="bad", name="Bad", subject="About {{ case.reference }}", body="Dear {{ complainant.nickname }},\n\nHello."
    )
    people = selectors.parties_of(complaint)

    check, _ = selectors.check_letter(
        complaint, template=template, recipient=people[0].person, parties=people, today=NOW.date()
    )

    assert not check.can_generate
    assert check.template_problems == [
        "{{ complainant.nickname }} is not a merge field. Use one of the fields listed, such as {{ case.reference }}."
    ]
    with pytest.raises(ValidationError) as refusal:
        services.draft_letter(complaint, actor=caseworker, template=template)
    assert refusal.value.message_dict["template"] == check.template_problems
    assert not Letter.objects.exists()
    assert not complaint.timeline.filter(body__startswith="Letter drafted").exists()


def test_a_merge_field_with_no_value_for_the_case_is_reported_not_printed_blank(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)  # no representative
    template = LetterTemplate.objects.create(
        code="rep", name="To the representative", subject="Hello", body="Dear {{ representative.salutation }},"
    )

    with pytest.raises(ValidationError) as refusal:
        services.draft_letter(complaint, actor=caseworker, template=template)

    assert refusal.value.message_dict["template"] == [
        "These merge fields have no value for this case: {{ representative.salutation }}: The representative's "
        "title and last name. Add the details to the case, or choose another template."
    ]
    assert not Letter.objects.exists()


def test_the_final_response_needs_the_signatory_in_the_letter_settings(caseworker):
    letter_settings(signatory_name="", signatory_job_title="")
    complaint = complaint_by_the_patient(caseworker)

    with pytest.raises(ValidationError) as refusal:
        services.draft_letter(complaint, actor=caseworker, template=starter("final-response"))

    (message,) = refusal.value.message_dict["template"]
    assert "{{ signatory.name }}" in message and "{{ signatory.job_title }}" in message


def test_parts_to_write_stop_the_letter_until_the_officer_writes_them(caseworker, settings_for_letters, _media_root):
    complaint = complaint_by_the_patient(caseworker)
    draft = services.draft_letter(complaint, actor=caseworker, template=starter("delay-six-months"))

    with pytest.raises(ValidationError) as refusal:
        services.produce_letter(draft, actor=caseworker)

    assert refusal.value.message_dict["body"] == [
        "Write these parts of the letter first (they are marked [[ ]]): "
        "“Explain honestly why the response has not been sent.”."
    ]
    assert stored_files(_media_root) == []

    body = draft.body.replace(
        "[[ Explain honestly why the response has not been sent. ]]",
        "Two of the staff involved have been on long-term leave, and we wanted their accounts.",
    )
    edited = services.edit_letter(
        draft,
        actor=caseworker,
        subject=draft.subject,
        body=body,
        recipient_name=draft.recipient_name,
        recipient_address=draft.recipient_address,
        expected_version=draft.version,
    )
    produced = services.produce_letter(edited, actor=caseworker, expected_version=edited.version)

    word, _ = _documents(produced)
    assert "Two of the staff involved have been on long-term leave" in _word_text(word)
    assert AuditEvent.objects.get(action="letter.edited").changes["body"][1] == body


def test_an_edit_made_from_an_old_copy_of_the_draft_is_refused(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    draft = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))
    fields = {
        "subject": draft.subject,
        "recipient_name": draft.recipient_name,
        "recipient_address": draft.recipient_address,
    }
    services.edit_letter(draft, actor=caseworker, body="First edit", expected_version=1, **fields)

    with pytest.raises(StaleEdit, match="Casey Jones changed this letter at"):
        services.edit_letter(draft, actor=caseworker, body="Second edit", expected_version=1, **fields)

    draft.refresh_from_db()
    assert draft.body == "First edit"


def test_merge_fields_typed_into_a_draft_are_refused(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    draft = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))

    with pytest.raises(ValidationError) as refusal:
        services.edit_letter(
            draft,
            actor=caseworker,
            subject="Re {{ case.reference }}",
            body="Dear {{ recipient.salutation }}",
            recipient_name="",
            recipient_address="",
        )

    assert refusal.value.message_dict == {
        "subject": [
            "The letter still has merge fields in it ({{ case.reference }}). Replace each with the words to print."
        ],
        "body": [
            "The letter still has merge fields in it ({{ recipient.salutation }}). "
            "Replace each with the words to print."
        ],
        "recipient_name": ["Enter who it is to."],
    }


def test_a_produced_letter_is_kept_as_sent(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    letter = services.produce_letter(
        services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement")), actor=caseworker
    )

    with pytest.raises(RuleBroken, match="cannot be changed"):
        services.edit_letter(letter, actor=caseworker, subject="x", body="y", recipient_name="z", recipient_address="")
    with pytest.raises(RuleBroken, match="already been produced"):
        services.produce_letter(letter, actor=caseworker)


def test_a_letter_goes_only_to_someone_on_the_case(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    stranger = complaint_by_a_representative(caseworker).parties.first().person

    with pytest.raises(ValidationError) as refusal:
        services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"), recipient=stranger)

    assert refusal.value.message_dict == {"recipient": ["Choose someone on this case to write to."]}


def test_a_retired_template_is_not_used(caseworker, settings_for_letters):
    complaint = complaint_by_the_patient(caseworker)
    template = starter("acknowledgement")
    template.disabled_on = NOW.date()
    template.save()

    with pytest.raises(ValidationError, match="no longer in use"):
        services.draft_letter(complaint, actor=caseworker, template=template)


@pytest.mark.parametrize("role", [auditor, divisional_manager], ids=["auditor", "investigator"])
def test_roles_that_do_not_write_letters_cannot(caseworker, settings_for_letters, role):
    complaint = complaint_by_the_patient(caseworker)

    with pytest.raises(PermissionDenied):
        services.draft_letter(complaint, actor=role(), template=starter("acknowledgement"))


def test_the_starter_set_merges_for_a_complaint_with_every_detail_filled(caseworker, settings_for_letters):
    complaint = complaint_by_a_representative(caseworker)
    people = selectors.parties_of(complaint)

    for template in LetterTemplate.objects.all():
        check, _ = selectors.check_letter(
            complaint, template=template, recipient=people[0].person, parties=people, today=NOW.date()
        )
        assert check.template_problems == [], template.code
        assert check.missing == [], template.code
    assert set(LetterTemplate.objects.values_list("code", flat=True)) == {
        "acknowledgement",
        "consent-request",
        "holding-extension",
        "delay-six-months",
        "exclusion-decision",
        "pals-outcome",
        "final-response",
    }
