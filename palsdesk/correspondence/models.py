"""The communications log of a case: letters, emails, calls and notes in and out, attachments and letters."""

import uuid
from pathlib import PurePath

from django.db import models
from django.utils import timezone

from palsdesk.core.models import ReferenceData, Tracked


class Direction(models.TextChoices):
    INBOUND = "in", "Received"
    OUTBOUND = "out", "Sent"


class Channel(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    MEETING = "meeting", "Meeting"
    TEXT_MESSAGE = "text", "Text message"


class CorrespondenceEntry(Tracked):
    """One letter, email, call or meeting note on a case, in or out, with what was said and any files."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correspondence")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    occurred_at = models.DateTimeField("date and time")
    sender = models.CharField("from", max_length=300, blank=True)
    recipient = models.CharField("to", max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    # The Message-ID of an email sent or received, so a reply or a bounce can be matched to the case.
    message_id = models.CharField("Message-ID", max_length=998, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_at", "-id"], name="correspondence_case_time"),
            models.Index(fields=["message_id"], name="correspondence_message_id", condition=~models.Q(message_id="")),
        ]
        verbose_name_plural = "correspondence entries"

    def __str__(self) -> str:
        return self.subject or f"{self.get_channel_display()} {self.get_direction_display().lower()}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A name that says nothing about the case or the person: the original name is kept on the row."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"correspondence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(Tracked):
    """A file on a correspondence entry, kept through Django's storage and served only to those who see the case."""

    entry = models.ForeignKey(CorrespondenceEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    # The type found in the file itself (attachments.validate_upload), never the type the sender claimed.
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


DEFAULT_COMPLAINTS_PROCEDURE = (
    "A senior member of staff from the service you have complained about will look into your complaint. They may "
    "read your records and ask the staff involved for their accounts. We will keep you informed of our progress. "
    "When the investigation is finished we will send you a written response, signed by our Chief Executive or "
    "someone acting for them, explaining how we looked into your complaint, what we found, and what we have done "
    "or will do as a result. If you are not satisfied with our response, you can ask the Parliamentary and Health "
    "Service Ombudsman to look into your complaint."
)


class LetterSettings(Tracked):
    """What every letter says about the trust: its complaints team, procedure, advocacy and the Ombudsman."""

    trust = models.OneToOneField("organisation.Trust", on_delete=models.PROTECT, related_name="letter_settings")
    team_name = models.CharField(max_length=200, default="Patient Advice and Complaints Team")
    team_phone = models.CharField(max_length=40, blank=True)
    team_email = models.EmailField(blank=True)
    complaints_procedure = models.TextField(
        default=DEFAULT_COMPLAINTS_PROCEDURE,
        help_text="How the trust handles a complaint, in plain words, as letters explain it.",
    )
    # The responsible person under regulation 4, who signs final responses (or a named delegate).
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_job_title = models.CharField(max_length=200, blank=True)
    advocacy_name = models.CharField("advocacy service", max_length=200, blank=True)
    advocacy_phone = models.CharField(max_length=40, blank=True)
    advocacy_email = models.EmailField(blank=True)
    advocacy_website = models.URLField(blank=True)
    advocacy_address = models.TextField(blank=True)
    ombudsman_name = models.CharField(max_length=200, default="Parliamentary and Health Service Ombudsman")
    ombudsman_phone = models.CharField(max_length=40, default="0345 015 4033")
    ombudsman_website = models.URLField(default="https://www.ombudsman.org.uk")
    ombudsman_address = models.TextField(default="Citygate\nMosley Street\nManchester\nM2 3HQ")

    class Meta:
        verbose_name = "letter settings"
        verbose_name_plural = "letter settings"

    def __str__(self) -> str:
        return f"Letter settings for {self.trust_id and self.trust}"


class LetterTemplate(ReferenceData, Tracked):
    """A standard letter with merge fields, kept by administrators. Retired with disabled_on, never deleted."""

    class Recipient(models.TextChoices):
        MAIN_CONTACT = "main_contact", "The main contact"
        COMPLAINANT = "complainant", "The complainant"
        PATIENT = "patient", "The patient"
        REPRESENTATIVE = "representative", "The representative"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=300, blank=True, help_text="When to use it, for the officer choosing.")
    subject = models.CharField(max_length=300, help_text="The letter's heading; may hold merge fields.")
    body = models.TextField(help_text="The letter, with merge fields like {{ case.reference }}.")
    recipient = models.CharField(
        "addressed to", max_length=16, choices=Recipient.choices, default=Recipient.MAIN_CONTACT
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Letter(Tracked):
    """A letter made from a template for one case: a draft the officer edits, then produced, sent and filed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PRODUCED = "produced", "Produced"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    recipient = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    recipient_name = models.CharField(max_length=300)
    recipient_address = models.TextField(blank=True)
    is_large_print = models.BooleanField(default=False)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The entry in the communications log that holds the produced .docx and PDF.
    entry = models.OneToOneField(
        CorrespondenceEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )
    produced_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every save, so that two people editing one draft cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="letter_case_created")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display().lower()})"
