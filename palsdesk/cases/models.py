"""The case (PALS concern, complaint, compliment, enquiry or MP letter), its timeline and its links."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from palsdesk.core.models import Tracked


class Kind(models.TextChoices):
    PALS_CONCERN = "pals_concern", "PALS concern"
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    ENQUIRY = "enquiry", "Enquiry"
    MP_LETTER = "mp_letter", "MP letter"


REFERENCE_PREFIX = {
    Kind.PALS_CONCERN: "PAL",
    Kind.COMPLAINT: "COM",
    Kind.COMPLIMENT: "CPL",
    Kind.ENQUIRY: "ENQ",
    Kind.MP_LETTER: "MPL",
}


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    RESPONSE_IN_REVIEW = "response_in_review", "Response in review"
    RESPONSE_SENT = "response_sent", "Response sent"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated to complaint"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A case in one of these has finished; every other status is work still open.
FINISHED_STATUSES = (Status.RESOLVED, Status.ESCALATED, Status.CLOSED, Status.WITHDRAWN)
OPEN_STATUSES = tuple(s for s in Status if s not in FINISHED_STATUSES)


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Web form"
    IN_PERSON = "in_person", "In person"
    VIA_MP = "via_mp", "Via an MP"
    VIA_ICB = "via_icb", "Via the ICB"
    VIA_PHSO = "via_phso", "Via the Ombudsman (PHSO)"


class AcknowledgementMethod(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call (confirmed in writing)"
    IN_PERSON = "in_person", "In person (confirmed in writing)"


class ResponseDueBasis(models.TextChoices):
    TARGET = "target", "The trust's target"
    AGREED = "agreed", "Agreed with the complainant"
    EXTENDED = "extended", "Extended with the complainant's agreement"


class Outcome(models.TextChoices):
    """An issue's outcome, and the case's, as KO41a defines them (domain.md §3.4)."""

    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    NOT_INVESTIGATED = "not_investigated", "Not investigated"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Case(Tracked):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=24, choices=Status.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_on = models.DateField()

    summary = models.CharField(max_length=300)
    account = models.TextField("the complainant's account", blank=True)
    outcome_wanted = models.TextField("the outcome they want", blank=True)

    division = models.ForeignKey("organisation.Division", on_delete=models.PROTECT, related_name="cases")
    site = models.ForeignKey("organisation.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    event_on = models.DateField("date of the event", null=True, blank=True)
    became_aware_on = models.DateField("date the complainant became aware", null=True, blank=True)

    is_safeguarding = models.BooleanField("safeguarding concern", default=False)
    is_vulnerable_person = models.BooleanField("vulnerable person", default=False)
    has_mp_interest = models.BooleanField("MP interest", default=False)
    has_media_interest = models.BooleanField("media interest", default=False)
    is_staff_complainant = models.BooleanField("staff member as complainant", default=False)
    # A restricted case is seen only by the users named on it, whatever their role.
    is_restricted = models.BooleanField(default=False)
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="named_on_cases")

    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_as_officer"
    )
    investigating_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_as_investigator",
    )
    escalated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_to"
    )

    # The clocks. deadlines.services sets every one of them; the history behind them (agreed dates,
    # extensions, holds, the time-limit decision) is kept in the deadlines app.
    # The day the statutory clocks run from when it is not the received date: a complaint escalated
    # from a PALS concern keeps the concern's received date, but was made as a complaint on escalation.
    clocks_start_on = models.DateField(null=True, blank=True)
    acknowledgement_due_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement_method = models.CharField(max_length=12, choices=AcknowledgementMethod.choices, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response_due_basis = models.CharField(
        max_length=12, choices=ResponseDueBasis.choices, default=ResponseDueBasis.TARGET
    )
    # A target-based response date is this many working days (plus any held) from this day.
    response_clock_from = models.DateField(null=True, blank=True)
    response_target_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    held_working_days = models.PositiveSmallIntegerField(default=0)
    on_hold_since = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    # Regulation 14(2): 6 months beginning with the day of receipt, or a longer period agreed before then.
    long_stop_on = models.DateField(null=True, blank=True)
    delay_letter_sent_on = models.DateField(null=True, blank=True)
    # Regulation 12: the last day to complain, 12 months from the event or from when they became aware.
    time_limit_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # The earliest deadline still to meet; null once nothing is due. Lists sort on it.
    next_due_on = models.DateField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    # The current grade (grading.CaseGrading keeps every grading); null until graded.
    grade = models.ForeignKey("grading.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    # Derived from the issues' outcomes (coding.outcomes) by every coding service; blank until each issue has one.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    # Bumped on every change to the case row, so that a stale form cannot overwrite a newer edit.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["case_officer", "next_due_on"], name="case_officer_due"),
            models.Index(fields=["investigating_manager", "next_due_on"], name="case_investigator_due"),
            models.Index(fields=["division", "status", "next_due_on"], name="case_division_status_due"),
            models.Index(fields=["status", "next_due_on"], name="case_status_due"),
            # Trust-wide "overdue" and "due soon": only open cases have a next deadline.
            models.Index(fields=["next_due_on"], name="case_next_due", condition=Q(next_due_on__isnull=False)),
            models.Index(fields=["kind", "received_on"], name="case_kind_received"),
            models.Index(fields=["-received_on", "-id"], name="case_received_desc"),
            models.Index(fields=["created_by", "-received_on"], name="case_created_by"),
            models.Index(
                fields=["acknowledgement_due_on"], name="case_ack_due_open", condition=Q(acknowledged_on__isnull=True)
            ),
            models.Index(
                fields=["response_due_on"], name="case_response_due_open", condition=Q(responded_on__isnull=True)
            ),
            models.Index(fields=["on_hold_since"], name="case_on_hold", condition=Q(on_hold_since__isnull=False)),
            # "Unassigned in my divisions" (My work): a third of all cases never get an officer (compliments,
            # enquiries) and most never an investigator, so the plain indexes on those columns match hundreds of
            # thousands of rows at a million cases; these hold only the unassigned, by division and status.
            models.Index(
                fields=["division", "status", "next_due_on"],
                name="case_unassigned_officer",
                condition=Q(case_officer__isnull=True),
            ),
            models.Index(
                fields=["division", "status", "next_due_on"],
                name="case_unassigned_investigator",
                condition=Q(investigating_manager__isnull=True),
            ),
            # The dashboard and committee reports count cases closed or answered in a period.
            models.Index(fields=["closed_on"], name="case_closed_on"),
            models.Index(fields=["responded_on"], name="case_responded_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.next_due_on is not None and self.next_due_on < today

    @property
    def complaint_made_on(self):
        """The day the clocks run from: the received date, or the day a PALS concern was escalated."""
        return self.clocks_start_on or self.received_on

    @property
    def is_out_of_time(self) -> bool:
        """Made after the 12-month limit of regulation 12 (a decision is needed before it can proceed)."""
        return self.time_limit_on is not None and self.received_on > self.time_limit_on


class ReferenceSequence(models.Model):
    """The last number given to a case of one kind in one year, for references like COM-2026-00042."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="reference_sequence_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class TimelineEntry(Tracked):
    class EntryKind(models.TextChoices):
        CREATED = "created", "Case logged"
        NOTE = "note", "Note"
        CALL = "call", "Phone call"
        EMAIL = "email", "Email"
        STATUS_CHANGE = "status_change", "Status change"
        ASSIGNMENT = "assignment", "Assignment"
        LINK = "link", "Linked case"
        ESCALATION = "escalation", "Escalation"
        DETAILS = "details", "Details changed"
        PEOPLE = "people", "People"
        ACCESS = "access", "Access"
        DEADLINE = "deadline", "Deadlines"
        GRADING = "grading", "Grading"
        CODING = "coding", "Coding"

    class Direction(models.TextChoices):
        INBOUND = "in", "Inbound"
        OUTBOUND = "out", "Outbound"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    occurred_at = models.DateTimeField()
    direction = models.CharField(max_length=3, choices=Direction.choices, blank=True)
    contact = models.CharField("with whom", max_length=200, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at", "-id"], name="timeline_case_time")]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


class CaseLink(Tracked):
    """Two related cases. Stored once; read from either side."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_once"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} ↔ {self.to_case_id}"
