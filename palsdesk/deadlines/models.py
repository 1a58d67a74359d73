"""The working-day calendar, response targets, and what lies behind a case's clocks: agreed dates, holds, decisions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from palsdesk.core.models import ReferenceData, Tracked


class NonWorkingDay(Tracked):
    """A weekday that is not a working day.

    Bank holidays (with Christmas Day and Good Friday) are not working days under regulation 2, so
    every clock skips them. A trust closure day is the trust's own: its targets skip it, but the
    statutory acknowledgement clock does not, because the regulations do not know about it.
    """

    class Kind(models.TextChoices):
        BANK_HOLIDAY = "bank_holiday", "Bank holiday (England)"
        TRUST_CLOSURE = "trust_closure", "Trust closure day"

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.BANK_HOLIDAY)
    reason = models.TextField(blank=True, help_text="Why an administrator added it; empty for the seeded calendar.")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class ResponseTarget(Tracked):
    """The trust's target, in working days from receipt, for responding to a kind of case until it is graded.

    A graded complaint or MP letter takes its grade's target instead (grading.Grade.response_working_days).
    """

    kind = models.CharField(max_length=24, unique=True)
    working_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(250)])

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.working_days} working days"


class ResponseDateChange(models.Model):
    """A response date agreed with the complainant (regulation 13(7)), or a later extension of it."""

    class Kind(models.TextChoices):
        AGREED = "agreed", "Agreed when the offer to discuss was made"
        EXTENSION = "extension", "Extension"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="response_date_changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    previous_due_on = models.DateField(null=True, blank=True)
    new_due_on = models.DateField()
    reason = models.TextField(blank=True)
    agreed_with = models.CharField(max_length=200, help_text="Who agreed it, and how, e.g. 'Mrs Okafor, by phone'.")
    agreed_on = models.DateField()
    is_late = models.BooleanField(default=False, help_text="Agreed after the date it replaces.")
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "recorded_at", "id"]
        indexes = [models.Index(fields=["case", "recorded_at"], name="response_change_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.new_due_on:%d %b %Y}"


class HoldReason(ReferenceData):
    """A reason an administrator allows for putting a case's response clock on hold, such as awaiting consent."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClockHold(models.Model):
    """A time when the trust's response clock stood still. The statutory clocks never pause."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="holds")
    reason = models.ForeignKey(HoldReason, on_delete=models.PROTECT, related_name="holds")
    note = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    working_days_held = models.PositiveSmallIntegerField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_on__isnull=True), name="one_open_hold_per_case"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="hold_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"On hold from {self.started_on:%d %b %Y}: {self.reason}"


class TimeLimitDecision(models.Model):
    """Regulation 12(4): whether a complaint made after the 12-month limit is taken on, who decided and why."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="time_limit_decision")
    has_good_reasons = models.BooleanField(help_text="The complainant had good reasons for not complaining in time.")
    can_investigate_fairly = models.BooleanField(
        help_text="It is still possible to investigate effectively and fairly."
    )
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{'Accepted' if self.is_accepted else 'Declined'} on {self.decided_on:%d %b %Y}"

    @property
    def is_accepted(self) -> bool:
        # Both limbs must hold for the time limit not to apply.
        return self.has_good_reasons and self.can_investigate_fairly


class ReminderSent(models.Model):
    """One deadline digest emailed to one person on one day, so that the reminders never go twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    case_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "sent_on"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.recipient} on {self.sent_on:%d %b %Y}"
