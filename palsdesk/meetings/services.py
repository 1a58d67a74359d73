"""Every write to a resolution meeting: arranging, changing and cancelling it, who comes and their invitations,
its notes, the actions agreed and the follow-up letter.

Each function is one thing a person does. It checks the actor's role (Permission.ARRANGE_MEETINGS), locks the
meeting's row and refuses a stale version, and writes its timeline entry on the case and its audit event in
the same transaction. Callers find the meeting through meetings.selectors (so, through the cases the actor may
see). Emails go only after the change is committed: a mail server that fails must not undo the meeting, and
each email is recorded as it is sent (see send_invitations).
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, can, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline, workflow
from palsdesk.cases.models import Case, Kind, TimelineEntry
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.core.dates import long_date, weekday_date
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.meetings import invitations, letters, rules
from palsdesk.meetings.models import (
    AgreedAction,
    AttendeeRole,
    MeetingAttendee,
    RecordingConsent,
    ResolutionMeeting,
)
from palsdesk.meetings.selectors import MEETING_KINDS, with_everything
from palsdesk.people.models import CaseParty, PartyRole, Relationship

logger = logging.getLogger(__name__)

PURPOSE_MAX_CHARACTERS = 300
PLACE_MAX_CHARACTERS = 300
VIDEO_LINK_MAX_CHARACTERS = 500
AGENDA_MAX_CHARACTERS = 5_000
ACCESS_NEEDS_MAX_CHARACTERS = 2_000
NOTES_MAX_CHARACTERS = 50_000
REASON_MAX_CHARACTERS = 2_000
NAME_MAX_CHARACTERS = 200
ACTION_MAX_CHARACTERS = 2_000
LETTER_MAX_CHARACTERS = 30_000

# What an invitation says: a change to any of these is sent to the attendees again as an update.
INVITATION_FIELDS = ("purpose", "starts_at", "ends_at", "place", "video_link", "agenda", "organiser")
CHANGEABLE_FIELDS = (*INVITATION_FIELDS, "access_needs", "note_taker", "recording_consent")

UNCHANGED = object()


def role_from_party(party: CaseParty) -> str:
    """A person's role on the case, as their role at the meeting."""
    if party.role == PartyRole.REPRESENTATIVE:
        is_advocate = party.relationship_to_patient == Relationship.ADVOCATE
        return AttendeeRole.ADVOCATE if is_advocate else AttendeeRole.REPRESENTATIVE
    return AttendeeRole.PATIENT if party.role == PartyRole.PATIENT else AttendeeRole.COMPLAINANT


def _check_text(problems: dict, name: str, value: str, *, label: str, limit: int, required: bool = False) -> None:
    if required and not (value or "").strip():
        problems.setdefault(name, []).append(f"Enter {label}.")
    elif value and len(value) > limit:
        problems.setdefault(name, []).append(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer; it has {len(value):,}."
        )


def _when(moment: datetime.datetime) -> str:
    """'Tuesday 1 December 2026 at 10:00', in England's time."""
    local = timezone.localtime(moment)
    return f"{weekday_date(local.date())} at {local:%H:%M}"


def stale_message(meeting: ResolutionMeeting) -> str:
    who = meeting.modified_by or "Someone"
    local = timezone.localtime(meeting.modified_at)
    return (
        f"{who} changed this meeting at {local:%H:%M} on {long_date(local.date())}, after you opened it. "
        "Your change has not been saved: check the meeting as it is now and make your change again."
    )


def _lock(meeting: ResolutionMeeting, expected_version: int | None) -> ResolutionMeeting:
    """The meeting row, locked for this transaction; StaleEdit if someone changed it since it was read."""
    locked = (
        ResolutionMeeting.objects.select_for_update(of=("self",))
        .select_related("case", "modified_by", "organiser", "note_taker")
        .get(pk=meeting.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(stale_message(locked))
    return locked


def _saved(meeting: ResolutionMeeting, *, actor, fields: Iterable[str] = ()) -> None:
    meeting.version += 1
    meeting.modified_by = actor
    meeting.save(update_fields=[*fields, "version", "modified_by", "modified_at"])


def _note(meeting: ResolutionMeeting, body: str, *, actor) -> None:
    # cases.TimelineEntry has no kind of its own for meetings; a note reads right on the case's timeline.
    timeline.add_entry(meeting.case, kind=TimelineEntry.EntryKind.NOTE, body=body, actor=actor)


def _may_see(user, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def _check_staff(problems: dict, name: str, user, case: Case, *, what: str) -> None:
    """A note-taker or organiser works the meeting through PALS Desk: active, allowed to, and able to see the case."""
    if user is None:
        problems.setdefault(name, []).append(f"Choose {what}.")
    elif not user.is_active or not can(user, Permission.ARRANGE_MEETINGS):
        problems.setdefault(name, []).append(f"{user} cannot be {what}: their role does not work on meetings.")
    elif not _may_see(user, case):
        problems.setdefault(name, []).append(f"{user} cannot be {what}: they cannot see {case.reference}.")


def _check_schedule(
    problems: dict, *, starts_at, ends_at, case: Case, now: datetime.datetime, was: ResolutionMeeting | None = None
) -> None:
    if starts_at is None:
        problems.setdefault("starts_at", []).append("Enter the date and start time of the meeting.")
    if ends_at is None:
        problems.setdefault("ends_at", []).append("Enter the time the meeting ends.")
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        problems.setdefault("ends_at", []).append("The meeting must end after it starts.")
    elif ends_at - starts_at > rules.LONGEST_MEETING:
        problems.setdefault("ends_at", []).append("A meeting can last at most 8 hours: check the end time.")
    day = timezone.localdate(starts_at)
    if day < case.received_on:
        problems.setdefault("starts_at", []).append(
            f"The meeting must be on or after the day the case was received, {long_date(case.received_on)}."
        )
    elif starts_at > now + datetime.timedelta(days=rules.LONGEST_NOTICE_DAYS):
        problems.setdefault("starts_at", []).append("The meeting must be within the next 12 months.")
    elif was is not None and starts_at != was.starts_at and starts_at <= now:
        # Moving it into the past would send attendees an update for a meeting they can no longer come to.
        problems.setdefault("starts_at", []).append("A meeting can be moved only to a time still to come.")


def _check_place(problems: dict, *, place: str, video_link: str) -> None:
    _check_text(problems, "place", place, label="the place", limit=PLACE_MAX_CHARACTERS)
    if video_link:
        if len(video_link) > VIDEO_LINK_MAX_CHARACTERS:
            problems.setdefault("video_link", []).append(
                f"The video link must be {VIDEO_LINK_MAX_CHARACTERS} characters or fewer."
            )
        else:
            try:
                URLValidator(schemes=["https"])(video_link)
            except ValidationError:
                problems.setdefault("video_link", []).append(
                    "Enter the video link as a full web address starting https://, like https://meet.example/abc."
                )
    if not place and not video_link:
        problems.setdefault("place", []).append("Enter where the meeting is, or a video link, or both.")


def _check_meeting_fields(problems: dict, values: dict) -> None:
    _check_text(
        problems, "purpose", values["purpose"], label="the purpose", limit=PURPOSE_MAX_CHARACTERS, required=True
    )
    _check_text(problems, "agenda", values["agenda"], label="the agenda", limit=AGENDA_MAX_CHARACTERS)
    _check_text(
        problems, "access_needs", values["access_needs"], label="the access needs", limit=ACCESS_NEEDS_MAX_CHARACTERS
    )
    if values["recording_consent"] not in RecordingConsent.values:
        problems.setdefault("recording_consent", []).append("Choose whether they agree to the meeting being recorded.")
    _check_place(problems, place=values["place"], video_link=values["video_link"])


def _refuse_unless_meeting_kind(case: Case) -> None:
    if case.kind not in MEETING_KINDS:
        raise RuleBroken(
            f"Resolution meetings are arranged on complaints and MP letters, not on {workflow.with_article(case.kind)}."
            + (" Escalate the concern to a complaint first." if case.kind == Kind.PALS_CONCERN else "")
        )


@transaction.atomic
def arrange_meeting(
    case: Case,
    *,
    actor,
    purpose: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    note_taker,
    place: str = "",
    video_link: str = "",
    agenda: str = "",
    access_needs: str = "",
    recording_consent: str = RecordingConsent.NOT_ASKED,
    organiser=None,
    parties: Iterable[CaseParty] = (),
) -> ResolutionMeeting:
    """Arrange a resolution meeting on an open complaint or MP letter, with the people on the case who are coming.

    Staff and anyone else are added with add_attendee; invitations go with send_invitations, once the
    attendees are known. A meeting that has already happened may be recorded afterwards, to write its notes.
    """
    require(actor, Permission.ARRANGE_MEETINGS, "arrange meetings")
    case = Case.objects.select_related("division").get(pk=case.pk)  # its status as it is now
    _refuse_unless_meeting_kind(case)
    if not case.is_open:
        raise RuleBroken(f"{case.reference} is {case.get_status_display().lower()}: reopen it to arrange a meeting.")
    organiser = organiser or actor
    values = {
        "purpose": (purpose or "").strip(),
        "place": (place or "").strip(),
        "video_link": (video_link or "").strip(),
        "agenda": (agenda or "").strip(),
        "access_needs": (access_needs or "").strip(),
        "recording_consent": recording_consent,
    }
    problems: dict[str, list[str]] = {}
    _check_meeting_fields(problems, values)
    _check_schedule(problems, starts_at=starts_at, ends_at=ends_at, case=case, now=timezone.now())
    _check_staff(problems, "note_taker", note_taker, case, what="the note-taker")
    _check_staff(problems, "organiser", organiser, case, what="the organiser")
    parties = list(parties)
    if any(party.case_id != case.pk for party in parties):
        problems.setdefault("parties", []).append(f"Choose people who are on {case.reference}.")
    if problems:
        raise ValidationError(problems)

    meeting = ResolutionMeeting.objects.create(
        case=case,
        starts_at=starts_at,
        ends_at=ends_at,
        organiser=organiser,
        note_taker=note_taker,
        created_by=actor,
        modified_by=actor,
        **values,
    )
    people = {}
    for party in parties:
        # A person who is both patient and complainant comes once, in the role that speaks for them.
        if party.person_id not in people or party.role == PartyRole.COMPLAINANT:
            people[party.person_id] = party
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, party=party, role=role_from_party(party), created_by=actor, modified_by=actor)
        for party in people.values()
    )
    where = values["place"] or "by video"
    _note(
        meeting,
        f"Resolution meeting arranged for {_when(starts_at)}, {where}. Purpose: {values['purpose']}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="meeting.arranged",
        target=meeting,
        case=case,
        changes={
            name: [None, value]
            for name, value in audit.snapshot(meeting, [*CHANGEABLE_FIELDS]).items()
            if value not in (None, "")
        },
        context={"attendees": [party.person.full_name for party in people.values()]},
    )
    return meeting


@transaction.atomic
def change_meeting(
    meeting: ResolutionMeeting, *, actor, expected_version: int | None = None, **changes
) -> ResolutionMeeting:
    """Change a meeting's arrangements. A change to what the invitation says makes the next one an update."""
    require(actor, Permission.ARRANGE_MEETINGS, "change meetings")
    meeting = _lock(meeting, expected_version)
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in sorted(unknown)})
    if meeting.is_cancelled:
        raise RuleBroken("This meeting was cancelled: arrange a new one instead.")
    before = audit.snapshot(meeting, CHANGEABLE_FIELDS)
    was = ResolutionMeeting(
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        note_taker_id=meeting.note_taker_id,
        organiser_id=meeting.organiser_id,
    )
    for name, value in changes.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    problems: dict[str, list[str]] = {}
    _check_meeting_fields(problems, {name: getattr(meeting, name) for name in CHANGEABLE_FIELDS})
    schedule_changed = (meeting.starts_at, meeting.ends_at) != (was.starts_at, was.ends_at)
    if schedule_changed and meeting.notes_recorded_at is not None:
        problems.setdefault("starts_at", []).append("The meeting has been held and its notes written: its time stays.")
    elif schedule_changed:
        _check_schedule(
            problems,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            case=meeting.case,
            now=timezone.now(),
            was=was,
        )
    # Only someone newly chosen is checked: one who has since moved on does not block other changes.
    if meeting.note_taker_id != was.note_taker_id:
        _check_staff(problems, "note_taker", meeting.note_taker, meeting.case, what="the note-taker")
    if meeting.organiser_id != was.organiser_id:
        _check_staff(problems, "organiser", meeting.organiser, meeting.case, what="the organiser")
    if problems:
        raise ValidationError(problems)
    diff = audit.changes_between(before, audit.snapshot(meeting, CHANGEABLE_FIELDS))
    if not diff:
        return meeting
    invitation_changed = any(name in INVITATION_FIELDS for name in diff)
    if invitation_changed:
        meeting.sequence += 1
    _saved(meeting, actor=actor, fields=[*CHANGEABLE_FIELDS, "sequence"])
    labels = [str(ResolutionMeeting._meta.get_field(name).verbose_name) for name in diff]
    body = f"Resolution meeting of {_when(meeting.starts_at)} changed: {', '.join(labels)}."
    if schedule_changed:
        body = f"Resolution meeting moved from {_when(was.starts_at)} to {_when(meeting.starts_at)}."
    _note(meeting, body, actor=actor)
    audit.record(actor=actor, action="meeting.changed", target=meeting, case=meeting.case, changes=diff)
    return meeting


def cancel_meeting(
    meeting: ResolutionMeeting, *, reason: str, actor, expected_version: int | None = None
) -> "InvitationsSent":
    """Cancel the meeting, saying why; those already invited are sent the cancellation for their calendars."""
    with transaction.atomic():
        require(actor, Permission.ARRANGE_MEETINGS, "cancel meetings")
        meeting = _lock(meeting, expected_version)
        reason = (reason or "").strip()
        problems: dict[str, list[str]] = {}
        _check_text(problems, "reason", reason, label="the reason", limit=REASON_MAX_CHARACTERS, required=True)
        if problems:
            raise ValidationError(problems)
        if meeting.is_cancelled:
            raise RuleBroken("This meeting is already cancelled.")
        if meeting.notes_recorded_at is not None:
            raise RuleBroken("This meeting has been held and its notes written, so it cannot be cancelled.")
        meeting.cancelled_at = timezone.now()
        meeting.cancellation_reason = reason
        meeting.sequence += 1
        _saved(meeting, actor=actor, fields=["cancelled_at", "cancellation_reason", "sequence"])
        _note(meeting, f"Resolution meeting of {_when(meeting.starts_at)} cancelled. Reason: {reason}", actor=actor)
        audit.record(
            actor=actor,
            action="meeting.cancelled",
            target=meeting,
            case=meeting.case,
            changes={"cancelled_at": [None, meeting.cancelled_at]},
            context={"reason": reason},
        )
    return send_invitations(meeting, actor=actor)


@transaction.atomic
def add_attendee(
    meeting: ResolutionMeeting,
    *,
    actor,
    role: str,
    party: CaseParty | None = None,
    user=None,
    name: str = "",
    email: str = "",
    role_description: str = "",
    expected_version: int | None = None,
) -> MeetingAttendee:
    """Add someone to the meeting: a person on the case, a member of staff, or someone named here (a companion,
    an advocate, an interpreter) with their email address if they are to be sent the invitation."""
    require(actor, Permission.ARRANGE_MEETINGS, "change who comes to meetings")
    meeting = _lock(meeting, expected_version)
    if meeting.is_cancelled:
        raise RuleBroken("This meeting was cancelled: arrange a new one instead.")
    name, email, role_description = (name or "").strip(), (email or "").strip(), (role_description or "").strip()
    problems: dict[str, list[str]] = {}
    if role not in AttendeeRole.values:
        problems["role"] = ["Choose their role at the meeting."]
    _check_text(problems, "role_description", role_description, label="their role at the meeting", limit=200)
    given = [what for what, value in (("party", party), ("user", user), ("name", name)) if value]
    if len(given) != 1:
        problems.setdefault("name", []).append(
            "Choose a person on the case or a member of staff, or enter the name of someone else: one of them."
        )
    elif party is not None:
        if party.case_id != meeting.case_id:
            problems["party"] = [f"Choose someone on {meeting.case.reference}."]
        elif meeting.attendees.filter(party__person_id=party.person_id).exists():
            problems["party"] = [f"{party.person.full_name} is already coming."]
        if email:
            problems["email"] = ["Their email address is kept with their details on the case: change it there."]
    elif user is not None:
        if not user.is_active:
            problems["user"] = [f"{user}'s account is no longer active."]
        elif meeting.attendees.filter(user=user).exists():
            problems["user"] = [f"{user} is already coming."]
        if role != AttendeeRole.STAFF:
            problems.setdefault("role", []).append("A member of staff comes as a member of staff.")
        if email:
            problems["email"] = ["A member of staff is invited at the email address of their account."]
    else:
        _check_text(problems, "name", name, label="their name", limit=NAME_MAX_CHARACTERS)
        if role == AttendeeRole.STAFF:
            problems.setdefault("role", []).append("Choose the member of staff from the list of staff.")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems["email"] = ["Enter an email address in the correct format, like name@example.com."]
    if problems:
        raise ValidationError(problems)
    attendee = MeetingAttendee.objects.create(
        meeting=meeting,
        role=role,
        party=party,
        user=user,
        name=name,
        email=email,
        role_description=role_description,
        created_by=actor,
        modified_by=actor,
    )
    _saved(meeting, actor=actor)
    _note(
        meeting,
        f"{attendee.display_name} ({attendee.role_label.lower()}) added to the meeting of {_when(meeting.starts_at)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="meeting.attendee_added",
        target=meeting,
        case=meeting.case,
        context={"attendee": attendee.display_name, "role": role, "role_description": role_description},
    )
    return attendee


def remove_attendee(attendee: MeetingAttendee, *, actor, expected_version: int | None = None) -> "InvitationsSent":
    """Take someone off the meeting. If they were sent the invitation, they are sent its cancellation."""
    with transaction.atomic():
        require(actor, Permission.ARRANGE_MEETINGS, "change who comes to meetings")
        meeting = _lock(attendee.meeting, expected_version)
        attendee = MeetingAttendee.objects.select_related("party__person", "user").get(pk=attendee.pk)
        was_invited = attendee.invited_sequence is not None and not meeting.has_started()
        name, address = attendee.display_name, attendee.email_address
        attendee.delete()
        _saved(meeting, actor=actor)
        _note(meeting, f"{name} taken off the meeting of {_when(meeting.starts_at)}.", actor=actor)
        audit.record(
            actor=actor,
            action="meeting.attendee_removed",
            target=meeting,
            case=meeting.case,
            context={"attendee": name},
        )
    sent = InvitationsSent(meeting=meeting)
    if was_invited and address:
        try:
            invitations.email_cancellation_to(meeting, name=name, address=address)
        except Exception as error:  # whatever the mail server raises is reported, never a traceback
            logger.warning("Cancellation to a removed attendee not sent: %s", error)
            sent.failed.append((name, f"{type(error).__name__}: {error}"))
        else:
            sent.sent.append(name)
            with transaction.atomic():
                _note(meeting, f"Cancellation emailed to {name}, who is no longer coming.", actor=actor)
                audit.record(
                    actor=actor,
                    action="meeting.cancellation_sent",
                    target=meeting,
                    case=meeting.case,
                    context={"to": [name]},
                )
    return sent


@dataclass
class InvitationsSent:
    """What one sending did: who was emailed, who has no email address, and whose email failed and why."""

    meeting: ResolutionMeeting
    sent: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def send_invitations(meeting: ResolutionMeeting, *, actor) -> InvitationsSent:
    """Email each attendee with an email address what they have not yet had: the invitation, an update after a
    change, or, for a cancelled meeting, the cancellation. Each carries the calendar file.

    Each email is recorded on its attendee in a transaction of its own, as it is sent: a failure for one
    does not stop the others, and a second sending emails only those still owed one.
    """
    require(actor, Permission.ARRANGE_MEETINGS, "send meeting invitations")
    # With its attendees, which every calendar file describes.
    meeting = with_everything(ResolutionMeeting.objects.filter(pk=meeting.pk)).get()
    result = InvitationsSent(meeting=meeting)
    if meeting.has_started() and not meeting.is_cancelled:
        raise RuleBroken("The meeting has started, so there is no invitation to send.")
    if meeting.is_cancelled and meeting.has_started():
        return result  # a meeting called off once under way: no one's calendar needs telling
    for attendee in meeting.attendees.all():
        if attendee.invited_sequence == meeting.sequence:
            continue
        if meeting.is_cancelled and attendee.invited_sequence is None:
            continue  # never invited, so nothing to cancel
        if not attendee.email_address:
            result.without_email.append(attendee.display_name)
            continue
        try:
            with transaction.atomic():
                # Locked, so two sendings at once do not both email the same person.
                locked = MeetingAttendee.objects.select_for_update().get(pk=attendee.pk)
                if locked.invited_sequence == meeting.sequence:
                    continue
                attendee.invited_sequence = locked.invited_sequence  # an update, if they have had one before
                invitations.email_to(meeting, attendee)
                locked.invited_sequence = meeting.sequence
                locked.invited_at = timezone.now()
                locked.save(update_fields=["invited_sequence", "invited_at", "modified_at"])
        except Exception as error:  # whatever the mail server raises (SMTP, DNS, a timeout) is reported
            logger.warning("Meeting invitation to attendee %s not sent: %s", attendee.pk, error)
            result.failed.append((attendee.display_name, f"{type(error).__name__}: {error}"))
        else:
            result.sent.append(attendee.display_name)
    if result.sent:
        what = "Cancellation" if meeting.is_cancelled else ("Update" if meeting.sequence else "Invitation")
        with transaction.atomic():
            timeline.add_entry(
                meeting.case,
                kind=TimelineEntry.EntryKind.EMAIL,
                direction=TimelineEntry.Direction.OUTBOUND,
                contact=", ".join(result.sent)[:200],
                body=f"{what} for the resolution meeting of {_when(meeting.starts_at)} emailed with its calendar file.",
                actor=actor,
            )
            audit.record(
                actor=actor,
                action="meeting.invitations_sent",
                target=meeting,
                case=meeting.case,
                context={"what": what.lower(), "sequence": meeting.sequence, "to": result.sent},
            )
    return result


@transaction.atomic
def record_notes(
    meeting: ResolutionMeeting, *, notes: str, actor, expected_version: int | None = None
) -> ResolutionMeeting:
    """Record (or correct) the notes of a meeting that has taken place."""
    require(actor, Permission.ARRANGE_MEETINGS, "write meeting notes")
    meeting = _lock(meeting, expected_version)
    notes = (notes or "").strip()
    problems: dict[str, list[str]] = {}
    _check_text(problems, "notes", notes, label="the notes", limit=NOTES_MAX_CHARACTERS, required=True)
    if problems:
        raise ValidationError(problems)
    if meeting.is_cancelled:
        raise RuleBroken("This meeting was cancelled, so it has no notes.")
    if not meeting.has_started():
        raise RuleBroken(f"The meeting is on {_when(meeting.starts_at)}: write its notes once it has taken place.")
    if notes == meeting.notes:
        return meeting
    before = {"notes": meeting.notes}
    is_first = meeting.notes_recorded_at is None
    meeting.notes = notes
    meeting.notes_recorded_at = timezone.now()
    meeting.notes_recorded_by = actor
    _saved(meeting, actor=actor, fields=["notes", "notes_recorded_at", "notes_recorded_by"])
    _note(
        meeting,
        f"Notes of the resolution meeting of {_when(meeting.starts_at)} {'written' if is_first else 'corrected'}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="meeting.notes_recorded",
        target=meeting,
        case=meeting.case,
        changes=audit.changes_between(before, {"notes": notes}),
    )
    return meeting


def _check_action(
    problems: dict, *, description: str, owner, owner_name: str, due_on, meeting: ResolutionMeeting
) -> None:
    _check_text(
        problems, "description", description, label="what was agreed", limit=ACTION_MAX_CHARACTERS, required=True
    )
    if owner is not None and owner_name:
        problems.setdefault("owner_name", []).append("Choose a member of staff or enter a name, not both.")
    elif owner is None and not owner_name:
        problems.setdefault("owner", []).append("Choose who will do it, or enter the name of someone else.")
    elif owner is not None and (not owner.is_active or not _may_see(owner, meeting.case)):
        problems.setdefault("owner", []).append(
            f"{owner} cannot see {meeting.case.reference}, so could not do it: choose someone who can."
        )
    _check_text(problems, "owner_name", owner_name, label="the name", limit=NAME_MAX_CHARACTERS)
    if due_on is None:
        problems.setdefault("due_on", []).append("Enter the date it is due.")
    elif due_on < meeting.held_on:
        problems.setdefault("due_on", []).append(
            f"The due date must be on or after the day of the meeting, {long_date(meeting.held_on)}."
        )


def _refuse_unless_held(meeting: ResolutionMeeting, doing: str) -> None:
    if meeting.is_cancelled:
        raise RuleBroken(f"This meeting was cancelled, so it has no {doing}.")
    if not meeting.has_started():
        raise RuleBroken(f"The meeting is on {_when(meeting.starts_at)}: record its {doing} once it has taken place.")


@transaction.atomic
def add_action(
    meeting: ResolutionMeeting,
    *,
    description: str,
    due_on: datetime.date | None,
    actor,
    owner=None,
    owner_name: str = "",
    expected_version: int | None = None,
) -> AgreedAction:
    """Record an action agreed at the meeting: what, who will do it (staff or someone named), and by when."""
    require(actor, Permission.ARRANGE_MEETINGS, "record agreed actions")
    meeting = _lock(meeting, expected_version)
    _refuse_unless_held(meeting, "agreed actions")
    description, owner_name = (description or "").strip(), (owner_name or "").strip()
    problems: dict[str, list[str]] = {}
    _check_action(problems, description=description, owner=owner, owner_name=owner_name, due_on=due_on, meeting=meeting)
    if problems:
        raise ValidationError(problems)
    action = AgreedAction.objects.create(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        created_by=actor,
        modified_by=actor,
    )
    _saved(meeting, actor=actor)
    _note(
        meeting,
        f"Action agreed at the meeting: {description} ({action.owner_label}, by {long_date(due_on)}).",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="meeting.action_added",
        target=action,
        case=meeting.case,
        changes={"description": [None, description], "owner": [None, action.owner_label], "due_on": [None, due_on]},
    )
    return action


@transaction.atomic
def change_action(
    action: AgreedAction,
    *,
    actor,
    description=UNCHANGED,
    owner=UNCHANGED,
    owner_name=UNCHANGED,
    due_on=UNCHANGED,
    done_on=UNCHANGED,
    expected_version: int | None = None,
) -> AgreedAction:
    """Change an agreed action, or mark it done (done_on) or not done (done_on=None).

    Its owner may mark it done or not without the role that arranges meetings: it is their action.
    """
    is_only_progress = all(v is UNCHANGED for v in (description, owner, owner_name, due_on))
    if not (is_only_progress and action.owner_id is not None and action.owner_id == getattr(actor, "pk", None)):
        require(actor, Permission.ARRANGE_MEETINGS, "change agreed actions")
    meeting = _lock(action.meeting, expected_version)
    action = AgreedAction.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
    fields = ["description", "owner", "owner_name", "due_on", "done_on"]
    before = audit.snapshot(action, fields)
    if description is not UNCHANGED:
        action.description = (description or "").strip()
    if owner is not UNCHANGED:
        action.owner = owner
        if owner is not None and owner_name is UNCHANGED:
            action.owner_name = ""
    if owner_name is not UNCHANGED:
        action.owner_name = (owner_name or "").strip()
        if action.owner_name and owner is UNCHANGED:
            action.owner = None
    if due_on is not UNCHANGED:
        action.due_on = due_on
    problems: dict[str, list[str]] = {}
    _check_action(
        problems,
        description=action.description,
        owner=action.owner,
        owner_name=action.owner_name,
        due_on=action.due_on,
        meeting=meeting,
    )
    if done_on is not UNCHANGED:
        if done_on is not None and done_on > timezone.localdate():
            problems.setdefault("done_on", []).append("The date it was done must be today or in the past.")
        elif done_on is not None and done_on < meeting.held_on:
            problems.setdefault("done_on", []).append(
                f"The date it was done must be on or after the day of the meeting, {long_date(meeting.held_on)}."
            )
        action.done_on = done_on
    if problems:
        raise ValidationError(problems)
    diff = audit.changes_between(before, audit.snapshot(action, fields))
    if not diff:
        return action
    action.modified_by = actor
    action.save()
    _saved(meeting, actor=actor)
    if set(diff) == {"done_on"}:
        body = f"Agreed action {'done' if action.done_on else 'marked not done'}: {action.description}"
    else:
        body = f"Agreed action changed: {action.description} ({action.owner_label}, by {long_date(action.due_on)})."
    _note(meeting, body, actor=actor)
    audit.record(actor=actor, action="meeting.action_changed", target=action, case=meeting.case, changes=diff)
    return action


@transaction.atomic
def draft_follow_up_letter(
    meeting: ResolutionMeeting, *, actor, expected_version: int | None = None
) -> ResolutionMeeting:
    """Write the follow-up letter's draft afresh from the meeting and its agreed actions (letters.py)."""
    require(actor, Permission.ARRANGE_MEETINGS, "write follow-up letters")
    meeting = _lock(meeting, expected_version)
    _refuse_unless_held(meeting, "follow-up letter")
    if meeting.follow_up_sent_on is not None:
        raise RuleBroken("The follow-up letter has been sent: its draft is kept as it was sent.")
    meeting = _with_everything(meeting)
    return _save_letter(
        meeting, letters.follow_up_letter_text(meeting), actor=actor, action="meeting.follow_up_drafted"
    )


@transaction.atomic
def save_follow_up_letter(
    meeting: ResolutionMeeting, *, text: str, actor, expected_version: int | None = None
) -> ResolutionMeeting:
    """Save the follow-up letter's draft as the person edited it."""
    require(actor, Permission.ARRANGE_MEETINGS, "write follow-up letters")
    meeting = _lock(meeting, expected_version)
    _refuse_unless_held(meeting, "follow-up letter")
    if meeting.follow_up_sent_on is not None:
        raise RuleBroken("The follow-up letter has been sent: its draft is kept as it was sent.")
    text = (text or "").strip()
    problems: dict[str, list[str]] = {}
    _check_text(problems, "text", text, label="the letter", limit=LETTER_MAX_CHARACTERS, required=True)
    if problems:
        raise ValidationError(problems)
    return _save_letter(meeting, text, actor=actor, action="meeting.follow_up_saved")


def _with_everything(meeting: ResolutionMeeting) -> ResolutionMeeting:
    """The locked meeting with its attendees and actions, for the letter's wording."""
    return with_everything(ResolutionMeeting.objects.filter(pk=meeting.pk)).get()


def _save_letter(meeting: ResolutionMeeting, text: str, *, actor, action: str) -> ResolutionMeeting:
    if text == meeting.follow_up_letter:
        return meeting
    before = {"follow_up_letter": meeting.follow_up_letter}
    meeting.follow_up_letter = text
    _saved(meeting, actor=actor, fields=["follow_up_letter"])
    _note(meeting, f"Follow-up letter drafted for the resolution meeting of {_when(meeting.starts_at)}.", actor=actor)
    audit.record(
        actor=actor,
        action=action,
        target=meeting,
        case=meeting.case,
        changes=audit.changes_between(before, {"follow_up_letter": text}),
    )
    return meeting


@transaction.atomic
def record_follow_up_sent(
    meeting: ResolutionMeeting, *, sent_on: datetime.date | None, actor, expected_version: int | None = None
) -> ResolutionMeeting:
    """Record the day the follow-up letter went. Its draft is then kept as sent."""
    require(actor, Permission.ARRANGE_MEETINGS, "record follow-up letters")
    meeting = _lock(meeting, expected_version)
    _refuse_unless_held(meeting, "follow-up letter")
    problems: dict[str, list[str]] = {}
    if meeting.notes_recorded_at is None:
        raise RuleBroken("Write the meeting's notes before recording its follow-up letter.")
    if not meeting.follow_up_letter:
        raise RuleBroken("Write the follow-up letter's draft first: it is kept as the letter sent.")
    if meeting.follow_up_sent_on is not None:
        raise RuleBroken(f"The follow-up letter was recorded as sent on {long_date(meeting.follow_up_sent_on)}.")
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        problems["sent_on"] = ["The date it was sent must be today or in the past."]
    elif sent_on < meeting.held_on:
        problems["sent_on"] = [f"The date it was sent must be on or after the meeting, {long_date(meeting.held_on)}."]
    if problems:
        raise ValidationError(problems)
    meeting.follow_up_sent_on = sent_on
    meeting.follow_up_sent_by = actor
    _saved(meeting, actor=actor, fields=["follow_up_sent_on", "follow_up_sent_by"])
    _note(
        meeting,
        f"Follow-up letter after the resolution meeting of {_when(meeting.starts_at)} sent on {long_date(sent_on)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="meeting.follow_up_sent",
        target=meeting,
        case=meeting.case,
        changes={"follow_up_sent_on": [None, sent_on]},
    )
    return meeting


def record_download(meeting: ResolutionMeeting, *, what: str, actor) -> None:
    """A calendar file or letter holds people's names and contact details: who took a copy is on the trail."""
    audit.record(actor=actor, action="meeting.downloaded", target=meeting, case=meeting.case, context={"what": what})
