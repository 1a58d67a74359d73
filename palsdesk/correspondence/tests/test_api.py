"""The correspondence API: the log, file uploads and downloads, emails and letters, through the same services."""

import datetime
import io

import docx
import pypdf
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import auditor, divisional_manager, officer
from palsdesk.correspondence import services
from palsdesk.correspondence.models import CorrespondenceEntry, Letter, LetterTemplate
from palsdesk.correspondence.tests import files
from palsdesk.correspondence.tests.conftest import stored_files
from palsdesk.correspondence.tests.factories import (
    complaint_by_a_representative,
    complaint_by_the_patient,
    letter_settings,
)
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
def outsider():
    return divisional_manager(username="sam", divisions=[DivisionFactory(code="SUR", name="Surgery")])


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _log_url(case) -> str:
    return f"/api/v1/cases/{case.reference}/correspondence/"


ENTRY = {
    "direction": "in",
    "channel": "phone",
    "occurred_at": "2026-11-20T09:00:00Z",
    "sender": "Ada Lovelace",
    "recipient": "Casey Jones",
    "subject": "Called about her appointment",
    "body": "She would like a call back.",
}


def test_an_entry_is_filed_as_json_and_listed(caseworker, complaint):
    created = api(caseworker).post(_log_url(complaint), ENTRY, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["channel"] == "phone"
    assert created.json()["created_by"] == "casey"
    listed = api(caseworker).get(_log_url(complaint))
    assert [entry["subject"] for entry in listed.json()["results"]] == ["Called about her appointment"]


def test_an_entry_is_filed_with_files_as_multipart_and_each_file_downloaded(caseworker, complaint):
    created = api(caseworker).post(
        _log_url(complaint),
        {**ENTRY, "channel": "letter", "attachments": [_upload("letter.pdf", files.pdf_bytes())]},
        format="multipart",
    )

    assert created.status_code == 201, created.content
    (attachment,) = created.json()["attachments"]
    assert (attachment["filename"], attachment["content_type"]) == ("letter.pdf", PDF)
    download = api(caseworker).get(attachment["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == files.pdf_bytes()


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", files.windows_program_bytes(), "it is a program or script"),
        ("scan.pdf", files.pdf_bytes() + b"0" * 4096, "files must be 4 KB or smaller"),
    ],
    ids=["executable renamed to .pdf", "oversized"],
)
def test_a_refused_upload_answers_400_and_leaves_nothing(
    caseworker, complaint, settings, _media_root, name, content, reason
):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 4096

    created = api(caseworker).post(
        _log_url(complaint), {**ENTRY, "attachments": [_upload(name, content)]}, format="multipart"
    )

    assert created.status_code == 400
    assert reason in created.json()["attachments"][0]
    assert not CorrespondenceEntry.objects.exists()
    assert stored_files(_media_root) == []


def test_files_are_added_to_an_entry(caseworker, complaint):
    entry = api(caseworker).post(_log_url(complaint), ENTRY, format="json").json()

    added = api(caseworker).post(
        f"{_log_url(complaint)}{entry['id']}/attachments/",
        {"attachments": [_upload("a.pdf", files.pdf_bytes()), _upload("b.png", files.png_bytes())]},
        format="multipart",
    )

    assert added.status_code == 201, added.content
    assert [(a["filename"], a["content_type"]) for a in added.json()] == [("a.pdf", PDF), ("b.png", "image/png")]


def test_a_case_of_another_division_and_its_files_are_not_found(caseworker, complaint, outsider):
    entry = services.file_correspondence(
        complaint,
        actor=caseworker,
        attachments=[("scan.pdf", files.pdf_bytes(), PDF)],
        **{**ENTRY, "occurred_at": timezone.now()},
    )
    file_id = entry.attachments.get().pk
    client = api(outsider)

    assert client.get(_log_url(complaint)).status_code == 404
    assert client.post(_log_url(complaint), ENTRY, format="json").status_code == 404
    assert client.get(f"{_log_url(complaint)}{entry.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{complaint.reference}/files/{file_id}/").status_code == 404
    assert client.get(f"/api/v1/cases/{complaint.reference}/letters/").status_code == 404


def test_a_read_only_role_cannot_file_or_write(complaint):
    client = api(auditor())

    assert client.get(_log_url(complaint)).status_code == 200
    assert client.post(_log_url(complaint), ENTRY, format="json").status_code == 403
    letters = f"/api/v1/cases/{complaint.reference}/letters/"
    assert client.post(letters, {"template": "acknowledgement"}, format="json").status_code == 403


def test_unknown_fields_and_bad_values_are_refused_per_field(caseworker, complaint):
    response = api(caseworker).post(_log_url(complaint), {**ENTRY, "direction": "up", "colour": "red"}, format="json")

    assert response.status_code == 400
    assert "colour" in response.json()


def test_the_log_reads_a_fixed_number_of_times_however_many_entries(caseworker, complaint, django_assert_num_queries):
    def add():
        services.file_correspondence(
            complaint,
            actor=caseworker,
            attachments=[("scan.pdf", files.pdf_bytes(), PDF)],
            **{**ENTRY, "occurred_at": timezone.now()},
        )

    add()
    client = api(caseworker)
    with CaptureQueriesContext(connection) as first:
        client.get(_log_url(complaint))
    for _ in range(5):
        add()

    with django_assert_num_queries(len(first)):
        assert len(client.get(_log_url(complaint)).json()["results"]) == 6


# Email -----------------------------------------------------------------------------------------------------------


def test_an_email_is_sent_over_smtp_and_answered_with_its_message_id(caseworker, complaint, smtp_server):
    response = api(caseworker).post(
        f"/api/v1/cases/{complaint.reference}/emails/",
        {"to": ["ada@example.com"], "subject": "Your complaint", "body": "Dear Mrs Lovelace, ..."},
        format="json",
    )

    assert response.status_code == 201, response.content
    ((recipients, message),) = smtp_server.received
    assert recipients == ["ada@example.com"]
    assert response.json()["message_id"] == message["Message-ID"]
    assert CorrespondenceEntry.objects.get().message_id == message["Message-ID"]


def test_an_email_with_a_file_is_sent_as_multipart(caseworker, complaint, smtp_server):
    response = api(caseworker).post(
        f"/api/v1/cases/{complaint.reference}/emails/",
        {
            "to": ["ada@example.com"],
            "subject": "Leaflet",
            "body": "Attached.",
            "attachments": [_upload("l.pdf", files.pdf_bytes())],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    ((_, message),) = smtp_server.received
    assert [part.get_filename() for part in message.iter_attachments()] == ["l.pdf"]


# Letters ---------------------------------------------------------------------------------------------------------


def test_a_letter_is_generated_edited_and_produced_through_the_api(caseworker, medicine):
    letter_settings()
    complaint = complaint_by_a_representative(caseworker, division=medicine)
    client = api(caseworker)
    letters = f"/api/v1/cases/{complaint.reference}/letters/"

    draft = client.post(letters, {"template": "consent-request"}, format="json")

    assert draft.status_code == 201, draft.content
    body = draft.json()
    assert body["status"] == "draft" and body["recipient_name"] == "Mrs Elsie Babbage"
    assert "We have received a complaint from Mr Charles Babbage" in body["body"]

    edited = client.patch(
        f"{letters}{body['id']}/",
        {
            "version": body["version"],
            "subject": body["subject"],
            "body": body["body"] + "\n\nWith best wishes.",
            "recipient_name": body["recipient_name"],
            "recipient_address": body["recipient_address"],
        },
        format="json",
    )
    assert edited.status_code == 200, edited.content
    stale = client.patch(
        f"{letters}{body['id']}/",
        {"version": body["version"], "subject": "x", "body": "y", "recipient_name": "z"},
        format="json",
    )
    assert stale.status_code == 409

    produced = client.post(f"{letters}{body['id']}/production/", {"version": edited.json()["version"]}, format="json")

    assert produced.status_code == 201, produced.content
    files_by_type = {a["content_type"]: a for a in produced.json()["entry"]["attachments"]}
    word = docx.Document(io.BytesIO(b"".join(client.get(files_by_type[DOCX]["url"]).streaming_content)))
    assert any("With best wishes." in paragraph.text for paragraph in word.paragraphs)
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(client.get(files_by_type[PDF]["url"]).streaming_content)))
    assert "Mrs Elsie Babbage" in pdf.pages[0].extract_text()
    assert Letter.objects.get().status == Letter.Status.PRODUCED


def test_a_template_with_an_unknown_merge_field_is_reported_before_a_letter_is_made(caseworker, complaint):
    LetterTemplate.objects.create(code="oops", name="Oops", subject="Hi", body="Dear {{ complainant.nickname }},")
    client = api(caseworker)

    templates = {t["code"]: t for t in client.get("/api/v1/letter-templates/").json()}
    checks = {c["template"]: c for c in client.get(f"/api/v1/cases/{complaint.reference}/letter-checks/").json()}
    made = client.post(f"/api/v1/cases/{complaint.reference}/letters/", {"template": "oops"}, format="json")

    assert templates["oops"]["problems"] == [
        "{{ complainant.nickname }} is not a merge field. Use one of the fields listed, such as {{ case.reference }}."
    ]
    assert templates["acknowledgement"]["problems"] == []
    assert "case.reference" in templates["acknowledgement"]["merge_fields"]
    assert checks["oops"]["can_generate"] is False
    assert checks["acknowledgement"]["can_generate"] is True
    assert made.status_code == 400
    assert made.json()["template"] == templates["oops"]["problems"]
    assert not Letter.objects.exists()


def test_a_letter_to_someone_not_on_the_case_or_from_an_unknown_template_is_refused(caseworker, complaint):
    letters = f"/api/v1/cases/{complaint.reference}/letters/"

    assert api(caseworker).post(letters, {"template": "nope"}, format="json").json() == {
        "template": ["There is no letter template 'nope' in use."]
    }
    assert api(caseworker).post(letters, {"template": "acknowledgement", "recipient": 99999}, format="json").json() == {
        "recipient": ["Choose someone on this case to write to."]
    }
