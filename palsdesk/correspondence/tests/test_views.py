"""The correspondence pages: the case page's section, the log, entries, files, emails, letters, and who may use them."""

import datetime
import io

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from palsdesk.accounts.tests.factories import auditor, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.correspondence import services
from palsdesk.correspondence.models import Attachment, CorrespondenceEntry, Letter, LetterTemplate
from palsdesk.correspondence.tests import files
from palsdesk.correspondence.tests.conftest import free_port, stored_files
from palsdesk.correspondence.tests.factories import complaint_by_the_patient, letter_settings, starter
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
PDF = "application/pdf"


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def caseworker(medicine):
    return officer(username="casey", first_name="Casey", last_name="Jones", divisions=[medicine])


@pytest.fixture
def complaint(caseworker, medicine):
    letter_settings()
    return complaint_by_the_patient(caseworker, division=medicine)


@pytest.fixture
def other_division_investigator():
    """Sees Surgery's cases only: Medicine's complaint does not exist for them."""
    return divisional_manager(username="sam", divisions=[DivisionFactory(code="SUR", name="Surgery")])


def _entry_post(**overrides) -> dict:
    return {
        "direction": "in",
        "channel": "letter",
        "occurred_on_0": "19",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:15",
        "sender": "Ada Lovelace",
        "recipient": "Complaints team",
        "subject": "Letter about Ward 7",
        "body": "I am writing to complain.",
    } | overrides


def _filed_with_file(complaint, caseworker) -> Attachment:
    entry = services.file_correspondence(
        complaint,
        actor=caseworker,
        direction="in",
        channel="letter",
        occurred_at=timezone.now(),
        sender="Ada",
        recipient="Team",
        subject="Scan",
        body="",
        attachments=[("scan.pdf", files.pdf_bytes(), PDF)],
    )
    return entry.attachments.get()


# The case page and the log ------------------------------------------------------------------------------------------


def test_the_case_page_has_a_correspondence_section_with_the_log_and_its_forms(client, caseworker, complaint):
    attachment = _filed_with_file(complaint, caseworker)
    client.force_login(caseworker)

    html = client.get(f"/cases/{complaint.reference}/").content.decode()

    section = html.split('<section id="correspondence"')[1].split("</section>")[0]
    assert '<h2 id="correspondence-heading">Correspondence</h2>' in section
    assert f'href="/cases/{complaint.reference}/correspondence/{attachment.entry_id}/">Scan</a>' in section
    assert f'href="/cases/{complaint.reference}/files/{attachment.pk}/" download>scan.pdf</a>' in section
    assert 'enctype="multipart/form-data"' in section
    assert f'href="/cases/{complaint.reference}/letters/new/">Write a letter' in section


def test_an_entry_added_from_the_case_page_with_a_file_goes_back_to_the_section(
    client, caseworker, complaint, _media_root
):
    client.force_login(caseworker)
    scan = SimpleUploadedFile("Ada's letter.pdf", files.pdf_bytes(), content_type="application/pdf")

    response = client.post(
        f"/cases/{complaint.reference}/correspondence/", _entry_post(from_case="1", attachments=[scan])
    )

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{complaint.reference}/#correspondence"
    entry = CorrespondenceEntry.objects.get()
    assert timezone.localtime(entry.occurred_at) == timezone.make_aware(datetime.datetime(2026, 11, 19, 9, 15))
    assert entry.attachments.get().filename == "Ada's letter.pdf"
    assert len(stored_files(_media_root)) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("statement.pdf", files.windows_program_bytes()), "statement.pdf: it is a program or script"),
        (("big.pdf", files.pdf_bytes() + b"0" * 4096), "big.pdf: it is 4.2 KB; files must be 4 KB or smaller."),
    ],
    ids=["executable renamed to .pdf", "oversized"],
)
def test_a_refused_file_is_reported_on_the_form_and_nothing_is_saved(
    client, caseworker, complaint, settings, _media_root, upload, message
):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 4096
    client.force_login(caseworker)
    name, content = upload

    response = client.post(
        f"/cases/{complaint.reference}/correspondence/",
        _entry_post(attachments=[SimpleUploadedFile(name, content, content_type="application/pdf")]),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert 'value="Letter about Ward 7"' in html  # what was typed is kept
    assert not CorrespondenceEntry.objects.exists()
    assert stored_files(_media_root) == []


def test_a_role_that_cannot_add_to_the_log_is_refused(client, complaint):
    client.force_login(auditor())

    assert client.get(f"/cases/{complaint.reference}/correspondence/").status_code == 200
    assert client.post(f"/cases/{complaint.reference}/correspondence/", _entry_post()).status_code == 403
    assert not CorrespondenceEntry.objects.exists()


def test_the_log_reads_the_database_the_same_number_of_times_however_many_entries(
    client, caseworker, complaint, django_assert_num_queries
):
    _filed_with_file(complaint, caseworker)
    client.force_login(caseworker)
    url = f"/cases/{complaint.reference}/correspondence/"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(6):
        _filed_with_file(complaint, caseworker)

    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200


def test_the_case_page_section_reads_a_fixed_number_of_times(client, caseworker, complaint):
    client.force_login(caseworker)
    _filed_with_file(complaint, caseworker)
    services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))
    url = f"/cases/{complaint.reference}/"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(12):
        _filed_with_file(complaint, caseworker)
    services.draft_letter(complaint, actor=caseworker, template=starter("holding-extension"))

    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200

    assert len(later) == len(first)


# Files ---------------------------------------------------------------------------------------------------------------


def test_a_file_is_downloaded_as_an_attachment_never_shown_inline(client, caseworker, complaint):
    attachment = _filed_with_file(complaint, caseworker)
    client.force_login(caseworker)

    response = client.get(f"/cases/{complaint.reference}/files/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == files.pdf_bytes()
    assert AuditEvent.objects.filter(action="correspondence.file_downloaded", actor=caseworker).exists()


def test_a_file_on_another_divisions_case_is_not_found_by_its_url(
    client, caseworker, complaint, other_division_investigator
):
    attachment = _filed_with_file(complaint, caseworker)
    client.force_login(other_division_investigator)

    response = client.get(f"/cases/{complaint.reference}/files/{attachment.pk}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="correspondence.file_downloaded").exists()


def test_a_file_is_found_only_under_its_own_case(client, caseworker, complaint, medicine):
    attachment = _filed_with_file(complaint, caseworker)
    other = make_case(kind=Kind.COMPLAINT, actor=caseworker, division=medicine)
    client.force_login(caseworker)

    assert client.get(f"/cases/{other.reference}/files/{attachment.pk}/").status_code == 404


def test_files_need_a_signed_in_user(client, caseworker, complaint):
    attachment = _filed_with_file(complaint, caseworker)

    response = client.get(f"/cases/{complaint.reference}/files/{attachment.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_files_are_never_under_a_public_address(settings, caseworker, complaint):
    attachment = _filed_with_file(complaint, caseworker)

    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert settings.MEDIA_URL in ("", "/")  # nothing serves MEDIA_ROOT: files go only through the view
    assert attachment.file.name.startswith("correspondence/")


@pytest.mark.parametrize(
    "path",
    ["correspondence/", "correspondence/{entry}/", "email/", "letters/new/", "letters/{letter}/"],
)
def test_pages_of_another_divisions_case_are_not_found(
    client, caseworker, complaint, other_division_investigator, path
):
    attachment = _filed_with_file(complaint, caseworker)
    letter = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))
    client.force_login(other_division_investigator)

    url = f"/cases/{complaint.reference}/" + path.format(entry=attachment.entry_id, letter=letter.pk)

    assert client.get(url).status_code == 404


def test_more_files_are_uploaded_to_an_entry(client, caseworker, complaint):
    attachment = _filed_with_file(complaint, caseworker)
    client.force_login(caseworker)
    url = f"/cases/{complaint.reference}/correspondence/{attachment.entry_id}/"

    response = client.post(url, {"attachments": [SimpleUploadedFile("photo.png", files.png_bytes())]})

    assert response.status_code == 302
    assert list(attachment.entry.attachments.values_list("filename", flat=True)) == ["scan.pdf", "photo.png"]
    html = client.get(url).content.decode()
    assert "photo.png" in html


# Email ---------------------------------------------------------------------------------------------------------------


def test_an_email_sent_from_the_case_arrives_and_is_filed(client, caseworker, complaint, smtp_server):
    client.force_login(caseworker)

    response = client.post(
        f"/cases/{complaint.reference}/email/",
        {
            "to": "ada@example.com; advocate@example.org",
            "subject": f"{complaint.reference}: your complaint",
            "body": "Dear Mrs Lovelace,\n\nA quick update.",
            "attachments": [SimpleUploadedFile("leaflet.pdf", files.pdf_bytes())],
        },
    )

    entry = CorrespondenceEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{complaint.reference}/correspondence/{entry.pk}/"
    ((recipients, message),) = smtp_server.received
    assert recipients == ["ada@example.com", "advocate@example.org"]
    assert message["Message-ID"] == entry.message_id
    assert entry.message_id in client.get(response["Location"]).content.decode().replace("&lt;", "<").replace(
        "&gt;", ">"
    )


def test_the_email_form_offers_the_main_contacts_address(client, caseworker, complaint):
    client.force_login(caseworker)

    html = client.get(f"/cases/{complaint.reference}/email/").content.decode()

    assert 'value="ada@example.com"' in html


def test_when_the_mail_server_is_down_the_email_page_says_so_and_keeps_what_was_typed(
    client, caseworker, complaint, smtp_server, settings
):
    settings.EMAIL_PORT = free_port()
    client.force_login(caseworker)

    response = client.post(
        f"/cases/{complaint.reference}/email/", {"to": "ada@example.com", "subject": "Update", "body": "Typed words"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The email could not be sent" in html
    assert "Typed words</textarea>" in html
    assert not CorrespondenceEntry.objects.exists()


def test_an_investigator_cannot_send_email(client, complaint, medicine):
    client.force_login(divisional_manager(divisions=[medicine]))

    assert client.get(f"/cases/{complaint.reference}/email/").status_code == 403


# Letters -------------------------------------------------------------------------------------------------------------


def test_the_new_letter_page_reports_a_templates_unknown_fields_before_anything_is_made(client, caseworker, complaint):
    LetterTemplate.objects.create(code="oops", name="Oops", subject="Hi", body="Dear {{ complainant.nickname }},")
    client.force_login(caseworker)

    html = client.get(f"/cases/{complaint.reference}/letters/new/").content.decode()

    card = html.split('<h3 class="nhsuk-card__heading nhsuk-heading-s">Oops')[1].split('<div class="nhsuk-card">')[0]
    assert "Cannot be made yet" in card
    assert "{{ complainant.nickname }} is not a merge field." in card
    assert "Acknowledgement with the offer to discuss" in html
    assert not Letter.objects.exists()

    oops = LetterTemplate.objects.get(code="oops")
    response = client.post(f"/cases/{complaint.reference}/letters/new/", {"template": oops.pk})

    assert response.status_code == 400
    summary = response.content.decode().split('<div class="nhsuk-error-summary"')[1].split("</div>")[0]
    assert "{{ complainant.nickname }} is not a merge field." in summary
    assert not Letter.objects.exists()


def test_a_letter_is_drafted_edited_and_produced_through_its_pages(client, caseworker, complaint):
    client.force_login(caseworker)

    response = client.post(f"/cases/{complaint.reference}/letters/new/", {"template": starter("acknowledgement").pk})
    letter = Letter.objects.get()
    assert response["Location"] == f"/cases/{complaint.reference}/letters/{letter.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Dear Mrs Lovelace," in page

    edited_body = letter.body.replace("Thank you for contacting us.", "Thank you for your call this morning.")
    response = client.post(
        response["Location"],
        {
            "version": letter.version,
            "recipient_name": letter.recipient_name,
            "recipient_address": letter.recipient_address,
            "subject": letter.subject,
            "body": edited_body,
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()

    response = client.post(f"/cases/{complaint.reference}/letters/{letter.pk}/produce/", {"version": letter.version})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PRODUCED
    word_file = letter.entry.attachments.get(filename__endswith=".docx")
    download = client.get(f"/cases/{complaint.reference}/files/{word_file.pk}/")
    word = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any("Thank you for your call this morning." in p.text for p in word.paragraphs)
    page = client.get(f"/cases/{complaint.reference}/letters/{letter.pk}/").content.decode()
    assert f"{complaint.reference}-acknowledgement.pdf" in page


def test_an_edit_from_an_old_copy_of_a_draft_is_refused_keeping_what_was_typed(client, caseworker, complaint):
    letter = services.draft_letter(complaint, actor=caseworker, template=starter("acknowledgement"))
    services.edit_letter(
        letter,
        actor=caseworker,
        subject=letter.subject,
        body="Someone else's edit",
        recipient_name=letter.recipient_name,
        recipient_address="",
    )
    client.force_login(caseworker)

    response = client.post(
        f"/cases/{complaint.reference}/letters/{letter.pk}/",
        {"version": 1, "recipient_name": "Mrs Ada Lovelace", "subject": "Mine", "body": "My words"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "changed this letter at" in html
    assert "My words</textarea>" in html
    assert 'name="version" value="2"' in html
    letter.refresh_from_db()
    assert letter.body == "Someone else's edit"


def test_producing_a_letter_with_parts_still_to_write_is_refused_on_the_page(client, caseworker, complaint):
    letter = services.draft_letter(complaint, actor=caseworker, template=starter("holding-extension"))
    client.force_login(caseworker)

    response = client.post(f"/cases/{complaint.reference}/letters/{letter.pk}/produce/", {"version": letter.version})

    assert response.status_code == 400
    assert "Write these parts of the letter first" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
