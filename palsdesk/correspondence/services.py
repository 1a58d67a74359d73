"""Every write to a case's correspondence: filing what came in or went out, sending email, and letters from templates.

Each function is one thing a person does: it checks the actor's role, runs in one transaction and writes its
timeline entry and audit event in that transaction. Callers find the case through
cases.selectors.cases_visible_to(user) first, so a service never sees a case its actor may not.
"""

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline
from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.core.dates import long_date, long_time_and_date
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.correspondence import documents, letter_markup, merge, selectors
from palsdesk.correspondence.attachments import DOCX, PDF, validate_upload
from palsdesk.correspondence.models import (
    Attachment,
    Channel,
    CorrespondenceEntry,
    Direction,
    Letter,
    LetterTemplate,
)
from palsdesk.people.models import Person

logger = logging.getLogger(__name__)

SUBJECT_MAX_CHARACTERS = 300
PARTY_MAX_CHARACTERS = 300
BODY_MAX_CHARACTERS = 200_000
FILENAME_MAX_CHARACTERS = 255
MAX_ATTACHMENTS = 20
MAX_RECIPIENTS = 20

_TIMELINE_KIND = {Channel.EMAIL: TimelineEntry.EntryKind.EMAIL, Channel.PHONE: TimelineEntry.EntryKind.CALL}


@dataclass(frozen=True)
class CheckedFile:
    """An attachment that passed validate_upload, ready to store."""

    filename: str
    content: bytes
    content_type: str


def _as_file(attachment) -> File:
    if isinstance(attachment, tuple):
        if len(attachment) != 3:
            raise ValidationError({"attachments": ["Give each file as (filename, bytes, content type)."]})
        filename, content, _claimed_type = attachment  # the claimed type is never trusted: validate_upload decides
        return ContentFile(bytes(content), name=filename)
    if isinstance(attachment, File):
        return attachment
    raise ValidationError({"attachments": ["Each attachment must be a file."]})


def check_attachments(attachments: Iterable) -> list[CheckedFile]:
    """Every file checked before anything is written, so a refusal leaves no entry and no stored file behind."""
    attachments = list(attachments or ())
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [f"Attach {MAX_ATTACHMENTS} files or fewer at a time."]})
    checked, problems = [], []
    for attachment in attachments:
        file = _as_file(attachment)
        filename = PurePath(file.name or "").name.strip()
        if not filename:
            problems.append("A file has no name. Give it a name ending in its type, such as letter.pdf.")
            continue
        if len(filename) > FILENAME_MAX_CHARACTERS:
            problems.append(f"{filename[:40]}…: the name must be {FILENAME_MAX_CHARACTERS} characters or fewer.")
            continue
        try:
            content_type = validate_upload(file)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        file.seek(0)
        checked.append(CheckedFile(filename=filename, content=file.read(), content_type=content_type))
    if problems:
        raise ValidationError({"attachments": problems})
    return checked


def _check_text(problems: dict, name: str, value: str, *, label: str, limit: int, required: bool = False) -> None:
    if required and not (value or "").strip():
        problems.setdefault(name, []).append(f"Enter {label}.")
    elif value and len(value) > limit:
        problems.setdefault(name, []).append(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer; it has {len(value):,}."
        )


def _store_files(entry: CorrespondenceEntry, files: Sequence[CheckedFile], *, actor) -> list[Attachment]:
    stored: list[Attachment] = []
    try:
        for checked in files:
            attachment = Attachment(
                entry=entry,
                filename=checked.filename,
                content_type=checked.content_type,
                size_bytes=len(checked.content),
                sha256=hashlib.sha256(checked.content).hexdigest(),
                created_by=actor,
                modified_by=actor,
            )
            attachment.file.save(checked.filename, ContentFile(checked.content), save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        _remove_stored(stored)
        raise
    return stored


def _remove_stored(attachments: Iterable[Attachment]) -> None:
    """Delete files already written when the write they belong to fails, so none is left without its row."""
    for attachment in attachments:
        if attachment.file.name:
            try:
                attachment.file.storage.delete(attachment.file.name)
            except OSError:
                logger.exception("Could not remove the stored file %s after a failed write", attachment.file.name)


def _file_entry(
    case: Case,
    *,
    actor,
    direction: str,
    channel: str,
    occurred_at: datetime.datetime | None,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    files: Sequence[CheckedFile],
    message_id: str,
    audit_action: str,
) -> tuple[CorrespondenceEntry, list[Attachment]]:
    problems: dict[str, list[str]] = {}
    if direction not in Direction.values:
        problems["direction"] = ["Say whether it was received or sent."]
    if channel not in Channel.values:
        problems["channel"] = ["Choose letter, email, phone call, meeting or text message."]
    now = timezone.now()
    if occurred_at is None:
        problems["occurred_at"] = ["Enter the date and time."]
    elif occurred_at > now + datetime.timedelta(minutes=5):
        problems["occurred_at"] = ["The date and time must be now or in the past."]
    _check_text(problems, "sender", sender, label="who it was from", limit=PARTY_MAX_CHARACTERS)
    _check_text(problems, "recipient", recipient, label="who it was to", limit=PARTY_MAX_CHARACTERS)
    _check_text(problems, "subject", subject, label="the subject", limit=SUBJECT_MAX_CHARACTERS)
    _check_text(problems, "body", body, label="what was said", limit=BODY_MAX_CHARACTERS)
    if not (subject or "").strip() and not (body or "").strip() and not files:
        problems.setdefault("body", []).append("Say what it was about: give a subject, what was said, or a file.")
    if len(message_id or "") > 998:
        problems["message_id"] = ["A Message-ID is 998 characters or fewer."]
    if problems:
        raise ValidationError(problems)

    entry = CorrespondenceEntry.objects.create(
        case=case,
        direction=direction,
        channel=channel,
        occurred_at=occurred_at,
        sender=sender.strip(),
        recipient=recipient.strip(),
        subject=subject.strip(),
        body=body.strip(),
        message_id=(message_id or "").strip(),
        created_by=actor,
        modified_by=actor,
    )
    stored = _store_files(entry, files, actor=actor)
    try:
        other_party = entry.recipient if direction == Direction.OUTBOUND else entry.sender
        what = entry.subject or f"{entry.get_channel_display()} {entry.get_direction_display().lower()}"
        files_note = f" ({len(stored)} file{'s' if len(stored) != 1 else ''})" if stored else ""
        timeline.add_entry(
            case,
            kind=_TIMELINE_KIND.get(channel, TimelineEntry.EntryKind.NOTE),
            body=f"{entry.get_channel_display()} {entry.get_direction_display().lower()}: {what}{files_note}",
            direction=TimelineEntry.Direction.OUTBOUND
            if direction == Direction.OUTBOUND
            else TimelineEntry.Direction.INBOUND,
            contact=other_party[:200],
            occurred_at=occurred_at,
            actor=actor,
        )
        audit.record(
            actor=actor,
            action=audit_action,
            target=entry,
            case=case,
            changes={
                "direction": [None, entry.direction],
                "channel": [None, entry.channel],
                "occurred_at": [None, entry.occurred_at],
                "sender": [None, entry.sender],
                "recipient": [None, entry.recipient],
                "subject": [None, entry.subject],
                "message_id": [None, entry.message_id],
            },
            context={"attachments": [{"filename": a.filename, "sha256": a.sha256} for a in stored]},
        )
    except BaseException:
        _remove_stored(stored)
        raise
    return entry, stored


@transaction.atomic
def file_correspondence(
    case: Case,
    *,
    actor,
    direction: str,
    channel: str,
    occurred_at: datetime.datetime,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    attachments: Iterable = (),
    message_id: str = "",
) -> CorrespondenceEntry:
    """File a letter, email, call, meeting note or text message on the case, with its files.

    `attachments` are Django File/UploadedFile objects or (filename, bytes, content_type) tuples; each is
    checked with validate_upload before anything is written, so a refused file leaves nothing behind.
    """
    require(actor, Permission.ADD_NOTES, "add to a case's communications log")
    files = check_attachments(attachments)
    entry, _ = _file_entry(
        case,
        actor=actor,
        direction=direction,
        channel=channel,
        occurred_at=occurred_at,
        sender=sender or "",
        recipient=recipient or "",
        subject=subject or "",
        body=body or "",
        files=files,
        message_id=message_id,
        audit_action="correspondence.filed",
    )
    return entry


@transaction.atomic
def attach_files(entry: CorrespondenceEntry, *, actor, attachments: Iterable) -> list[Attachment]:
    """Add files to an entry already in the log, such as the enclosures of a letter scanned later."""
    require(actor, Permission.ADD_NOTES, "add to a case's communications log")
    files = check_attachments(attachments)
    if not files:
        raise ValidationError({"attachments": ["Choose a file to upload."]})
    stored = _store_files(entry, files, actor=actor)
    try:
        names = ", ".join(attachment.filename for attachment in stored)
        timeline.add_entry(
            entry.case,
            kind=TimelineEntry.EntryKind.NOTE,
            body=f"Added to “{entry}” in the communications log: {names}.",
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="correspondence.files_added",
            target=entry,
            case=entry.case,
            context={"attachments": [{"filename": a.filename, "sha256": a.sha256} for a in stored]},
        )
    except BaseException:
        _remove_stored(stored)
        raise
    return stored


@transaction.atomic
def record_download(attachment: Attachment, *, actor) -> None:
    """A file from a case was opened: on the audit trail, as reading a case is."""
    audit.record(
        actor=actor,
        action="correspondence.file_downloaded",
        target=attachment,
        case=attachment.entry.case,
        context={"filename": attachment.filename, "entry": attachment.entry_id},
    )


def _addresses(to) -> list[str]:
    addresses = [to] if isinstance(to, str) else list(to or ())
    addresses = [address.strip() for address in addresses if address and address.strip()]
    if not addresses:
        raise ValidationError({"to": ["Enter the email address to send to."]})
    if len(addresses) > MAX_RECIPIENTS:
        raise ValidationError({"to": [f"Send to {MAX_RECIPIENTS} addresses or fewer."]})
    problems = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"“{address}” is not an email address. Enter it like name@example.nhs.uk.")
    if problems:
        raise ValidationError({"to": problems})
    return addresses


def _message_id_domain() -> str:
    return urlsplit(settings.PALSDESK_BASE_URL).hostname or "palsdesk.localhost"


def correspondence_from_address() -> str:
    return getattr(settings, "PALSDESK_CORRESPONDENCE_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


@transaction.atomic
def send_email(case: Case, *, actor, to, subject: str, body: str, attachments: Iterable = ()) -> CorrespondenceEntry:
    """Send an email about the case through Django's email backend and file it, with its Message-ID.

    The email is sent last, inside the transaction: if the mail server refuses it, nothing is filed and no
    file is kept, and the person is told to try again. (The transaction is held for at most EMAIL_TIMEOUT.)
    """
    require(actor, Permission.SEND_CORRESPONDENCE, "send emails from a case")
    problems: dict[str, list[str]] = {}
    try:
        addresses = _addresses(to)
    except ValidationError as error:
        problems.update(error.message_dict)
        addresses = []
    _check_text(problems, "subject", subject, label="a subject", limit=SUBJECT_MAX_CHARACTERS, required=True)
    _check_text(problems, "body", body, label="the message", limit=BODY_MAX_CHARACTERS, required=True)
    if "\n" in (subject or "") or "\r" in (subject or ""):
        problems.setdefault("subject", []).append("The subject must be one line.")
    try:
        files = check_attachments(attachments)
    except ValidationError as error:
        problems.update(error.message_dict)
        files = []
    if problems:
        raise ValidationError(problems)

    from_address = correspondence_from_address()
    message_id = make_msgid(domain=_message_id_domain())
    message = EmailMessage(
        subject=subject.strip(),
        body=body.strip(),
        from_email=from_address,
        to=addresses,
        headers={"Message-ID": message_id},
    )
    for checked in files:
        message.attach(checked.filename, checked.content, checked.content_type)

    entry, stored = _file_entry(
        case,
        actor=actor,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        occurred_at=timezone.now(),
        sender=from_address,
        recipient=", ".join(addresses),
        subject=subject,
        body=body,
        files=files,
        message_id=message_id,
        audit_action="correspondence.email_sent",
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        _remove_stored(stored)
        logger.warning("Email for case %s was not sent: %s", case.reference, error)
        raise RuleBroken(
            "The email could not be sent: the mail server did not accept it. Nothing has been filed; try again, "
            "and if it keeps failing tell your administrator."
        ) from error
    return entry


# Letters -------------------------------------------------------------------------------------------------------------

LETTER_ADDRESS_MAX_CHARACTERS = 1_000


def _letter_file_stem(letter: Letter) -> str:
    stem = f"{letter.case.reference}-{letter.template.code}"
    return f"{stem}-large-print" if letter.is_large_print else stem


def _refuse_merge_syntax(problems: dict, *texts: tuple[str, str]) -> None:
    """A draft holds the words to print: a merge field left in it would print as braces, or not at all."""
    for name, text in texts:
        used = merge.fields_used(text)
        if used:
            shown = ", ".join(f"{{{{ {field_name} }}}}" for field_name in used)
            problems.setdefault(name, []).append(
                f"The letter still has merge fields in it ({shown}). Replace each with the words to print."
            )
        elif merge.template_problems(text):
            problems.setdefault(name, []).extend(merge.template_problems(text))


def _lock_letter(letter: Letter, expected_version: int | None) -> Letter:
    locked = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("case", "template", "modified_by")
        .get(pk=letter.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        who = locked.modified_by or "Someone"
        raise StaleEdit(
            f"{who} changed this letter at {long_time_and_date(timezone.localtime(locked.modified_at))}, after you "
            "opened it. Your change has not been saved: check the letter as it is now and make your change again."
        )
    return locked


@transaction.atomic
def draft_letter(case: Case, *, actor, template: LetterTemplate, recipient: Person | None = None) -> Letter:
    """Make a draft letter from a template, merged with this case's details, for the officer to read and edit.

    Refused, with each reason, when the template names a merge field that does not exist or one that has no
    value for this case: a letter is never made with a blank where a name or date should be.
    """
    require(actor, Permission.SEND_CORRESPONDENCE, "write letters")
    if not template.is_active:
        raise ValidationError({"template": [f"“{template.name}” is no longer in use. Choose another template."]})
    parties = selectors.parties_of(case)
    people = selectors.recipients_of(parties)
    if recipient is None:
        recipient = selectors.default_recipient(parties, template)
    elif recipient.pk not in {person.pk for person in people}:
        raise ValidationError({"recipient": ["Choose someone on this case to write to."]})
    if recipient is None:
        raise ValidationError({"recipient": ["This case has nobody on it to write to. Add the complainant first."]})
    # The recipient row chosen may come without its needs fetched; use the one read with the case's parties.
    recipient = next(person for person in people if person.pk == recipient.pk)
    check, values = selectors.check_letter(
        case, template=template, recipient=recipient, parties=parties, today=timezone.localdate()
    )
    if not check.can_generate:
        messages = list(check.template_problems)
        if check.missing:
            messages.append(
                "These merge fields have no value for this case: "
                + "; ".join(check.missing_described)
                + ". Add the details to the case, or choose another template."
            )
        raise ValidationError({"template": messages})
    letter = Letter.objects.create(
        case=case,
        template=template,
        recipient=recipient,
        recipient_name=recipient.full_name,
        recipient_address=values["recipient.address"],
        is_large_print=check.is_large_print,
        subject=merge.merge(template.subject, values),
        body=merge.merge(template.body, values),
        created_by=actor,
        modified_by=actor,
    )
    large_print = " in large print" if letter.is_large_print else ""
    timeline.add_entry(
        case,
        kind=TimelineEntry.EntryKind.NOTE,
        body=f"Letter drafted from “{template.name}” to {letter.recipient_name}{large_print}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="letter.drafted",
        target=letter,
        case=case,
        changes={
            "template": [None, template],
            "recipient": [None, recipient],
            "is_large_print": [None, letter.is_large_print],
            "subject": [None, letter.subject],
        },
    )
    return letter


@transaction.atomic
def edit_letter(
    letter: Letter,
    *,
    actor,
    subject: str,
    body: str,
    recipient_name: str,
    recipient_address: str,
    is_large_print: bool | None = None,
    expected_version: int | None = None,
) -> Letter:
    """Save the officer's changes to a draft letter. A produced letter is kept as it was sent."""
    require(actor, Permission.SEND_CORRESPONDENCE, "write letters")
    letter = _lock_letter(letter, expected_version)
    if letter.status != Letter.Status.DRAFT:
        raise RuleBroken("This letter has been produced and filed, so it cannot be changed. Draft a new one.")
    problems: dict[str, list[str]] = {}
    _check_text(problems, "subject", subject, label="the heading", limit=SUBJECT_MAX_CHARACTERS, required=True)
    _check_text(problems, "body", body, label="the letter", limit=BODY_MAX_CHARACTERS, required=True)
    _check_text(
        problems, "recipient_name", recipient_name, label="who it is to", limit=PARTY_MAX_CHARACTERS, required=True
    )
    _check_text(
        problems, "recipient_address", recipient_address, label="the address", limit=LETTER_ADDRESS_MAX_CHARACTERS
    )
    _refuse_merge_syntax(problems, ("subject", subject or ""), ("body", body or ""))
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(letter, ["subject", "recipient_name", "recipient_address", "is_large_print"])
    body_changed = letter.body != body.strip()
    letter.subject = subject.strip()
    letter.body = body.strip()
    letter.recipient_name = recipient_name.strip()
    letter.recipient_address = recipient_address.strip()
    if is_large_print is not None:
        letter.is_large_print = is_large_print
    letter.version += 1
    letter.modified_by = actor
    letter.save()
    changes = audit.changes_between(
        before, audit.snapshot(letter, ["subject", "recipient_name", "recipient_address", "is_large_print"])
    )
    if body_changed:
        changes["body"] = ["(earlier draft)", letter.body]
    audit.record(actor=actor, action="letter.edited", target=letter, case=letter.case, changes=changes)
    return letter


@transaction.atomic
def produce_letter(letter: Letter, *, actor, expected_version: int | None = None) -> Letter:
    """Produce the draft as a Word document and a PDF, and file both on the case's communications log."""
    require(actor, Permission.SEND_CORRESPONDENCE, "write letters")
    letter = _lock_letter(letter, expected_version)
    if letter.status != Letter.Status.DRAFT:
        raise RuleBroken("This letter has already been produced and filed.")
    problems: dict[str, list[str]] = {}
    _refuse_merge_syntax(problems, ("subject", letter.subject), ("body", letter.body))
    for name, text in (("subject", letter.subject), ("body", letter.body)):
        parts = merge.parts_to_write(text)
        if parts:
            problems.setdefault(name, []).append(
                "Write these parts of the letter first (they are marked [[ ]]): "
                + "; ".join(f"“{part}”" for part in parts)
                + "."
            )
    if problems:
        raise ValidationError(problems)
    case = letter.case
    settings_for_letters = selectors.letter_settings()
    trust = settings_for_letters.trust if settings_for_letters.trust_id else selectors.the_trust()
    now = timezone.now()
    html = documents.letter_html(
        body_html=letter_markup.to_html(letter.body),
        trust=trust,
        letter_settings=settings_for_letters,
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        dated=long_date(timezone.localdate(now)),
        reference=case.reference,
        subject=letter.subject,
        is_large_print=letter.is_large_print,
    )
    stem = _letter_file_stem(letter)
    files = check_attachments(
        [
            (f"{stem}.docx", documents.docx_from_html(html), DOCX),
            (f"{stem}.pdf", documents.pdf_from_html(html), PDF),
        ]
    )
    entry, _ = _file_entry(
        case,
        actor=actor,
        direction=Direction.OUTBOUND,
        channel=Channel.LETTER,
        occurred_at=now,
        sender=settings_for_letters.team_name or (trust.name if trust else ""),
        recipient=letter.recipient_name,
        subject=letter.subject,
        body=letter.body,
        files=files,
        message_id="",
        audit_action="correspondence.letter_filed",
    )
    letter.status = Letter.Status.PRODUCED
    letter.entry = entry
    letter.produced_at = now
    letter.version += 1
    letter.modified_by = actor
    letter.save()
    audit.record(
        actor=actor,
        action="letter.produced",
        target=letter,
        case=case,
        changes={"status": [Letter.Status.DRAFT, Letter.Status.PRODUCED]},
        context={"entry": entry.pk},
    )
    return letter
