"""Resolution meetings on a case: attendees, invitations with calendar files, notes, actions, follow-up."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from palsdesk.core.models import Tracked


class RecordingConsent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Given: the meeting may be recorded"
    REFUSED = "refused", "Refused: the meeting is not recorded"


class Stage(models.TextChoices):
    """Where a meeting is, worked out from its own dates (see ResolutionMeeting.stage_at)."""

    ARRANGED = "arranged", "Arranged"
    NOTES_NEEDED = "notes_needed", "Notes to write"
    LETTER_NEEDED = "letter_needed", "Follow-up letter to send"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def colour(self) -> str:
        return _STAGE_COLOURS[self]


# As the team reads them: what someone still owes is orange, what is done grey.
_STAGE_COLOURS = {
    Stage.ARRANGED: "blue",
    Stage.NOTES_NEEDED: "orange",
    Stage.LETTER_NEEDED: "yellow",
    Stage.COMPLETE: "grey",
    Stage.CANCELLED: "grey",
}


class ResolutionMeeting(Tracked):
    """A meeting with the complainant to resolve their complaint, and what came of it.

    Its stage is never stored: it follows from when it starts, whether it is cancelled, and whether
    its notes and follow-up letter are recorded, so it cannot disagree with them.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    # The calendar files' UID: the same for every invitation, update and cancellation of this meeting.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    agenda = models.TextField(blank=True)
    access_needs = models.TextField(
        blank=True, help_text="Adjustments for the people coming: step-free access, a hearing loop, breaks."
    )
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_organised")
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_to_write_up"
    )
    recording_consent = models.CharField(
        "consent to record", max_length=12, choices=RecordingConsent.choices, default=RecordingConsent.NOT_ASKED
    )

    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)

    notes = models.TextField(blank=True)
    notes_recorded_at = models.DateTimeField(null=True, blank=True)
    notes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    follow_up_letter = models.TextField("follow-up letter (draft)", blank=True)
    follow_up_sent_on = models.DateField(null=True, blank=True)
    follow_up_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The calendar files' SEQUENCE: one more each time what an invitation says changes (RFC 5545 §3.8.7.4).
    sequence = models.PositiveIntegerField(default=0)
    # Bumped on every change to the meeting, so that a stale form cannot overwrite a newer edit.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="meeting_case_start"),
            models.Index(fields=["starts_at"], name="meeting_open_start", condition=Q(cancelled_at__isnull=True)),
            models.Index(
                fields=["note_taker", "starts_at"],
                name="meeting_notes_owed",
                condition=Q(cancelled_at__isnull=True, notes_recorded_at__isnull=True),
            ),
            models.Index(
                fields=["organiser", "starts_at"],
                name="meeting_letter_owed",
                condition=Q(cancelled_at__isnull=True, follow_up_sent_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="meeting_has_place_or_link"),
            models.CheckConstraint(condition=Q(version__gte=1), name="meeting_version_positive"),
            models.CheckConstraint(
                condition=Q(follow_up_sent_on__isnull=True) | Q(notes_recorded_at__isnull=False),
                name="meeting_letter_after_notes",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting on {timezone.localtime(self.starts_at):%d %b %Y %H:%M} ({self.case_id})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def held_on(self) -> datetime.date:
        """The day of the meeting in England, which its deadlines count from."""
        return timezone.localdate(self.starts_at)

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def stage_at(self, now: datetime.datetime) -> Stage:
        if self.is_cancelled:
            return Stage.CANCELLED
        if self.follow_up_sent_on is not None:
            return Stage.COMPLETE
        if self.notes_recorded_at is not None:
            return Stage.LETTER_NEEDED
        if self.starts_at <= now:
            return Stage.NOTES_NEEDED
        return Stage.ARRANGED


class AttendeeRole(models.TextChoices):
    COMPLAINANT = "complainant", "Complainant"
    PATIENT = "patient", "Patient"
    REPRESENTATIVE = "representative", "Representative (acting for the patient)"
    COMPANION = "companion", "Companion (relative, friend or carer)"
    ADVOCATE = "advocate", "Advocate"
    INTERPRETER = "interpreter", "Interpreter"
    STAFF = "staff", "Member of staff"
    OTHER = "other", "Someone else"


class MeetingAttendee(Tracked):
    """Someone coming to the meeting: a person on the case, a member of staff, or someone named here."""

    meeting = models.ForeignKey(ResolutionMeeting, on_delete=models.CASCADE, related_name="attendees")
    role = models.CharField(max_length=16, choices=AttendeeRole.choices)
    party = models.ForeignKey(
        "people.CaseParty", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    role_description = models.CharField(
        "role at the meeting", max_length=200, blank=True, help_text="Such as chair, ward manager, or Polish."
    )
    # The SEQUENCE of the last invitation, update or cancellation emailed to them; null until one is.
    invited_sequence = models.PositiveIntegerField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(party__isnull=False, user__isnull=True, name="")
                    | Q(party__isnull=True, user__isnull=False, name="")
                    | (Q(party__isnull=True, user__isnull=True) & ~Q(name=""))
                ),
                name="attendee_is_one_kind_of_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "party"], condition=Q(party__isnull=False), name="attendee_party_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="attendee_user_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.party_id:
            return self.party.person.full_name
        if self.user_id:
            return str(self.user)
        return self.name

    @property
    def email_address(self) -> str:
        if self.party_id:
            return self.party.person.email
        if self.user_id:
            return self.user.email
        return self.email

    @property
    def role_label(self) -> str:
        """'Member of staff, chair' or 'Interpreter, Polish'."""
        label = self.get_role_display()
        return f"{label}, {self.role_description}" if self.role_description else label


class AgreedAction(Tracked):
    """Something agreed at the meeting: who will do it (a member of staff or someone named) and by when."""

    meeting = models.ForeignKey(ResolutionMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="Someone outside PALS Desk, such as the complainant or their GP."
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["owner", "due_on"], name="action_owner_open", condition=Q(done_on__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, owner_name="") | (Q(owner__isnull=True) & ~Q(owner_name="")),
                name="action_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
