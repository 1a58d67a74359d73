"""Filing correspondence on a case, and sending email through a real SMTP server on loopback."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from palsdesk.accounts.tests.factories import auditor, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.errors import RuleBroken
from palsdesk.correspondence import services
from palsdesk.correspondence.models import Attachment, Channel, CorrespondenceEntry, Direction
from palsdesk.correspondence.tests import files
from palsdesk.correspondence.tests.conftest import free_port, stored_files

pytestmark = pytest.mark.django_db

PDF = "application/pdf"


@pytest.fixture
def caseworker():
    return officer(username="casey", first_name="Casey", last_name="Jones")


@pytest.fixture
def complaint(caseworker):
    return make_case(kind=Kind.COMPLAINT, actor=caseworker, case_officer=caseworker)


def _file(case, actor, **overrides):
    values = {
        "actor": actor,
        "direction": Direction.INBOUND,
        "channel": Channel.LETTER,
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "sender": "Ada Lovelace",
        "recipient": "Complaints team",
        "subject": "My mother's care on Ward 7",
        "body": "I am writing to complain about ...",
    } | overrides
    return services.file_correspondence(case, **values)


def test_a_letter_received_is_filed_with_its_files_kept_through_storage(complaint, caseworker, _media_root):
    scan = SimpleUploadedFile("Letter from Ada.pdf", files.pdf_bytes(), content_type="application/octet-stream")

    entry = _file(complaint, caseworker, attachments=[scan, ("photo.png", files.png_bytes(), "image/jpeg")])

    assert (entry.case, entry.direction, entry.channel, entry.sender) == (complaint, "in", "letter", "Ada Lovelace")
    first, second = entry.attachments.order_by("id")
    assert (first.filename, first.content_type, first.size_bytes) == (
        "Letter from Ada.pdf",
        PDF,
        len(files.pdf_bytes()),
    )
    assert first.sha256 == hashlib.sha256(files.pdf_bytes()).hexdigest()
    # The type found in the file wins over the type the sender claimed.
    assert (second.filename, second.content_type) == ("photo.png", "image/png")
    with first.file.open("rb") as stored:
        assert stored.read() == files.pdf_bytes()
    # Stored names say nothing about the case or the person.
    assert complaint.reference not in first.file.name and "Ada" not in first.file.name
    assert len(stored_files(_media_root)) == 2
    timeline = complaint.timeline.get(kind=TimelineEntry.EntryKind.NOTE, direction="in")
    assert timeline.body == "Letter received: My mother's care on Ward 7 (2 files)"
    assert timeline.contact == "Ada Lovelace"
    event = AuditEvent.objects.get(action="correspondence.filed")
    assert event.case_id == complaint.pk
    assert event.context["attachments"][0] == {"filename": "Letter from Ada.pdf", "sha256": first.sha256}


def test_a_phone_call_is_filed_as_a_call_on_the_timeline(complaint, caseworker):
    _file(complaint, caseworker, channel=Channel.PHONE, direction=Direction.OUTBOUND, recipient="Ada", subject="")

    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.CALL, direction="out", contact="Ada").exists()


@pytest.mark.parametrize(
    ("refused", "reason"),
    [
        (("statement.pdf", files.windows_program_bytes(), PDF), "it is a program or script"),
        (("scan.pdf", files.pdf_bytes() + b"0" * 2048, PDF), "it is 2.2 KB; files must be 2 KB or smaller."),
    ],
    ids=["executable renamed to .pdf", "oversized"],
)
def test_a_refused_file_leaves_no_entry_and_no_stored_file(
    complaint, caseworker, _media_root, settings, refused, reason
):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 2048
    good = ("good.pdf", files.pdf_bytes(), PDF)

    with pytest.raises(ValidationError) as refusal:
        _file(complaint, caseworker, attachments=[good, refused])

    assert reason in refusal.value.message_dict["attachments"][0]
    assert not CorrespondenceEntry.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(_media_root) == []
    assert not AuditEvent.objects.filter(action__startswith="correspondence").exists()


def test_a_failure_after_a_file_is_stored_removes_it_with_the_entry(complaint, caseworker, _media_root, monkeypatch):
    saved = []
    original_save = Attachment.save

    def save_then_fail_on_the_second(self, *args, **kwargs):
        saved.append(self.file.name)
        if len(saved) == 2:
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", save_then_fail_on_the_second)

    with pytest.raises(OSError, match="disk full"):
        _file(complaint, caseworker, attachments=[("a.pdf", files.pdf_bytes(), PDF), ("b.png", files.png_bytes(), "")])

    assert not CorrespondenceEntry.objects.exists()
    assert stored_files(_media_root) == []


def test_what_was_wrong_is_said_field_by_field(complaint, caseworker):
    with pytest.raises(ValidationError) as refusal:
        _file(
            complaint,
            caseworker,
            direction="sideways",
            channel="pigeon",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            subject="x" * 301,
        )

    assert refusal.value.message_dict == {
        "direction": ["Say whether it was received or sent."],
        "channel": ["Choose letter, email, phone call, meeting or text message."],
        "occurred_at": ["The date and time must be now or in the past."],
        "subject": ["The subject must be 300 characters or fewer; it has 301."],
    }


def test_an_entry_says_what_it_was_about(complaint, caseworker):
    with pytest.raises(ValidationError) as refusal:
        _file(complaint, caseworker, subject="", body="  ")

    assert refusal.value.message_dict == {"body": ["Say what it was about: give a subject, what was said, or a file."]}


@pytest.mark.parametrize("role", [auditor], ids=["auditor"])
def test_a_read_only_role_cannot_file_correspondence(complaint, role):
    with pytest.raises(PermissionDenied):
        _file(complaint, role())


def test_an_investigator_may_file_but_not_send_email(complaint):
    investigator = divisional_manager(divisions=[complaint.division])

    _file(complaint, investigator)
    with pytest.raises(PermissionDenied):
        services.send_email(complaint, actor=investigator, to="ada@example.com", subject="Hello", body="Hi")


# Email through a real SMTP server ----------------------------------------------------------------------------------


def test_an_email_is_sent_through_smtp_and_filed_with_its_message_id(complaint, caseworker, smtp_server, settings):
    settings.PALSDESK_CORRESPONDENCE_FROM_EMAIL = "Complaints Team <complaints@trust.example>"

    entry = services.send_email(
        complaint,
        actor=caseworker,
        to=["ada@example.com", "advocate@example.org"],
        subject=f"Your complaint {complaint.reference}",
        body="Dear Ms Lovelace,\n\nThank you for your letter.",
        attachments=[("leaflet.pdf", files.pdf_bytes(), PDF)],
    )

    assert len(smtp_server.received) == 1
    recipients, message = smtp_server.received[0]
    assert recipients == ["ada@example.com", "advocate@example.org"]
    assert message["Message-ID"] == entry.message_id
    assert entry.message_id.startswith("<") and entry.message_id.endswith(">")
    assert message["Subject"] == f"Your complaint {complaint.reference}"
    assert message["From"] == "Complaints Team <complaints@trust.example>"
    assert "Thank you for your letter." in message.get_body(preferencelist=("plain",)).get_content()
    (attached,) = list(message.iter_attachments())
    assert (attached.get_filename(), attached.get_content_type()) == ("leaflet.pdf", PDF)
    assert attached.get_content() == files.pdf_bytes()

    assert (entry.direction, entry.channel) == (Direction.OUTBOUND, Channel.EMAIL)
    assert entry.recipient == "ada@example.com, advocate@example.org"
    assert entry.sender == "Complaints Team <complaints@trust.example>"
    assert entry.attachments.get().filename == "leaflet.pdf"
    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.EMAIL, direction="out").exists()
    assert AuditEvent.objects.get(action="correspondence.email_sent").changes["message_id"] == [None, entry.message_id]


def test_when_the_mail_server_cannot_be_reached_nothing_is_filed_or_kept(
    complaint, caseworker, smtp_server, settings, _media_root
):
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(RuleBroken, match="could not be sent"):
        services.send_email(
            complaint,
            actor=caseworker,
            to="ada@example.com",
            subject="Update",
            body="An update on your complaint.",
            attachments=[("leaflet.pdf", files.pdf_bytes(), PDF)],
        )

    assert not CorrespondenceEntry.objects.exists()
    assert stored_files(_media_root) == []
    assert smtp_server.received == []


def test_an_email_with_a_bad_address_or_a_program_attached_is_not_sent(complaint, caseworker, smtp_server, _media_root):
    with pytest.raises(ValidationError) as refusal:
        services.send_email(
            complaint,
            actor=caseworker,
            to=["ada@example.com", "not an address"],
            subject="",
            body="Hello",
            attachments=[("minutes.pdf", files.windows_program_bytes(), PDF)],
        )

    problems = refusal.value.message_dict
    assert problems["to"] == ["“not an address” is not an email address. Enter it like name@example.nhs.uk."]
    assert problems["subject"] == ["Enter a subject."]
    assert "program or script" in problems["attachments"][0]
    assert smtp_server.received == []
    assert not CorrespondenceEntry.objects.exists()
    assert stored_files(_media_root) == []
