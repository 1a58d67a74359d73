"""Cases taken further: PHSO stages, requests and recommendations, CQC enquiries, joint complaints and contributions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from palsdesk.core.models import Tracked


class DayCount(models.TextChoices):
    """How a deadline given as a number of days is counted, as the request says."""

    CALENDAR = "calendar", "Calendar days"
    WORKING = "working", "Working days"


# --- The Ombudsman (PHSO) ---------------------------------------------------------------------------------------


class Stage(models.TextChoices):
    """The PHSO's stages, in the order a case moves through them (domain.md §2.6)."""

    ENQUIRY = "enquiry", "Enquiry"
    REQUEST_FOR_INFORMATION = "request_for_information", "Request for information"
    ASSESSMENT = "assessment", "Assessment"
    INVESTIGATION = "investigation", "Investigation"
    DRAFT_REPORT = "draft_report", "Draft report"
    FINAL_REPORT = "final_report", "Final report"


STAGE_ORDER = list(Stage)


class Decision(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    NOT_INVESTIGATED = "not_investigated", "Not investigated"


# Only a finding against the trust comes with recommendations to comply with.
DECISIONS_WITH_RECOMMENDATIONS = (Decision.UPHELD, Decision.PARTLY_UPHELD)


class OmbudsmanCase(Tracked):
    """The PHSO's look at a local complaint: its reference and caseworker, the stage reached, and its decision."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ombudsman_cases")
    phso_reference = models.CharField("PHSO reference", max_length=40, unique=True)
    caseworker_name = models.CharField("PHSO caseworker", max_length=200)
    caseworker_email = models.EmailField("caseworker's email", blank=True)
    caseworker_phone = models.CharField("caseworker's phone", max_length=40, blank=True)
    # The member of staff who deals with the PHSO on this case; its deadlines reach their "My work".
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ombudsman_cases_handled"
    )
    received_on = models.DateField("first contact from the PHSO")
    # Health Service Commissioners Act 1993 s.9(5): local resolution comes first, unless the PHSO decides otherwise.
    taken_early_because = models.TextField("why the PHSO took it before the local response", blank=True)
    stage = models.CharField(max_length=24, choices=Stage.choices)
    stage_on = models.DateField("stage reached on")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_summary = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            # A complaint is with the PHSO once at a time; a later referral starts after the first is closed.
            models.UniqueConstraint(fields=["case"], condition=Q(closed_on__isnull=True), name="ombudsman_one_open"),
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True) | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="ombudsman_decision_dated",
            ),
        ]
        indexes = [models.Index(fields=["closed_on", "received_on"], name="ombudsman_open_received")]

    def __str__(self) -> str:
        return f"PHSO {self.phso_reference}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class OmbudsmanStage(Tracked):
    """A stage the PHSO reached on a case, and when: the history behind OmbudsmanCase.stage."""

    ombudsman_case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=24, choices=Stage.choices)
    reached_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["reached_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.reached_on}"


class OmbudsmanRequest(Tracked):
    """Something the PHSO asked the trust for, by a date it gave, and what the trust sent."""

    ombudsman_case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="requests")
    what_is_asked = models.TextField()
    requested_on = models.DateField()
    due_on = models.DateField()
    # When the PHSO gave a number of days rather than a date: kept to explain the date.
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    day_count = models.CharField(max_length=8, choices=DayCount.choices, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    what_was_sent = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | ~Q(what_was_sent=""), name="ombudsman_request_sent_says_what"
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="ombudsman_request_due", condition=Q(sent_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"PHSO request due {self.due_on}"


class Recommendation(Tracked):
    """A PHSO recommendation the trust must comply with by a date, and whether the evidence has been accepted."""

    class Kind(models.TextChoices):
        APOLOGY = "apology", "Apology"
        FINANCIAL_REMEDY = "financial_remedy", "Financial remedy"
        ACTION_PLAN = "action_plan", "Action plan"
        SERVICE_IMPROVEMENT = "service_improvement", "Service improvement"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", "Evidence to send"
        EVIDENCE_SENT = "evidence_sent", "Evidence sent, awaiting the PHSO"
        COMPLIED = "complied", "Complied (accepted by the PHSO)"

    ombudsman_case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    amount = models.DecimalField("amount (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    due_on = models.DateField()
    # Kept by escalations.services from the evidence: the trust's deadline is open only while OUTSTANDING.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OUTSTANDING)
    complied_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="financial_remedy", amount__isnull=False, amount__gt=0)
                | (~Q(kind="financial_remedy") & Q(amount__isnull=True)),
                name="recommendation_amount_for_remedy",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="recommendation_due", condition=Q(status="outstanding")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"


class ComplianceEvidence(Tracked):
    """Evidence of compliance with a recommendation sent to the PHSO, and whether the PHSO accepted it."""

    class Verdict(models.TextChoices):
        AWAITING = "awaiting", "Awaiting the PHSO"
        ACCEPTED = "accepted", "Accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="evidence")
    sent_on = models.DateField()
    description = models.TextField()
    verdict = models.CharField(max_length=16, choices=Verdict.choices, default=Verdict.AWAITING)
    verdict_on = models.DateField(null=True, blank=True)
    verdict_note = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name_plural = "compliance evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="awaiting", verdict_on__isnull=True)
                | (~Q(verdict="awaiting") & Q(verdict_on__isnull=False)),
                name="evidence_verdict_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence sent {self.sent_on}"


# --- The CQC ----------------------------------------------------------------------------------------------------


class CqcEnquiry(Tracked):
    """The Care Quality Commission asking the trust about a complaint: what it asked, by when, and what was sent."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="cqc_enquiries")
    cqc_reference = models.CharField("CQC reference", max_length=40, blank=True)
    asked_by = models.CharField("who at the CQC asked", max_length=200)
    received_on = models.DateField()
    what_is_asked = models.TextField()
    due_on = models.DateField()
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    day_count = models.CharField(max_length=8, choices=DayCount.choices, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cqc_handled")
    sent_on = models.DateField(null=True, blank=True)
    what_was_sent = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "CQC enquiry"
        verbose_name_plural = "CQC enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | ~Q(what_was_sent=""), name="cqc_enquiry_sent_says_what"
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="cqc_enquiry_due", condition=Q(sent_on__isnull=True))]

    def __str__(self) -> str:
        return f"CQC enquiry {self.cqc_reference or self.pk}"

    @property
    def is_open(self) -> bool:
        return self.sent_on is None


# --- Joint complaints and contributions (regulation 9) -----------------------------------------------------------


class JointComplaint(Tracked):
    """A complaint handled with other responsible bodies (regulation 9): who they are, who leads, consent to share."""

    class Consent(models.TextChoices):
        AWAITED = "awaited", "Not given yet"
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="joint_complaint")
    consent_to_share = models.CharField(max_length=8, choices=Consent.choices, default=Consent.AWAITED)
    consent_on = models.DateField(null=True, blank=True)
    consent_note = models.TextField(blank=True)
    # What the trust contributes when another body leads, and by when.
    our_part = models.TextField(blank=True)
    our_part_due_on = models.DateField(null=True, blank=True)
    our_part_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_share="awaited") | Q(consent_on__isnull=False), name="joint_consent_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"Joint complaint on {self.case_id}"


class JointBody(Tracked):
    """Another organisation a joint complaint is handled with, what it contributes, and whether it leads."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority (social care)"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        GP_PRACTICE = "gp_practice", "GP practice or other primary care"
        INDEPENDENT_PROVIDER = "independent_provider", "Independent provider"
        OTHER = "other", "Other"

    joint_complaint = models.ForeignKey(JointComplaint, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    contact = models.TextField("who to contact there", blank=True)
    contributes = models.TextField("what they contribute", blank=True)
    # Regulation 9(2): the bodies agree which of them leads; when none of the others does, the trust leads.
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_lead", "name", "id"]
        verbose_name_plural = "joint bodies"
        constraints = [
            models.UniqueConstraint(fields=["joint_complaint", "name"], name="joint_body_once"),
            models.UniqueConstraint(fields=["joint_complaint"], condition=Q(is_lead=True), name="joint_one_lead"),
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(Tracked):
    """Input the trust asked of another division or organisation for a case, by a date, with the chasers sent."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="contributions")
    from_division = models.ForeignKey(
        "organisation.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="contributions_asked"
    )
    from_body = models.ForeignKey(
        JointBody, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    # Someone on PALS Desk asked by name: the deadline reaches their "My work".
    asked_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions_asked"
    )
    what_is_asked = models.TextField()
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    what_was_received = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_division__isnull=False, from_body__isnull=True)
                | Q(from_division__isnull=True, from_body__isnull=False),
                name="contribution_from_one_source",
            ),
            models.CheckConstraint(
                condition=Q(asked_user__isnull=True) | Q(from_division__isnull=False),
                name="contribution_named_user_internal",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | ~Q(what_was_received=""),
                name="contribution_received_says_what",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="contribution_due", condition=Q(received_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"Contribution from {self.source_name}"

    @property
    def source_name(self) -> str:
        """Who it was asked of: a division (and the person named), or another organisation."""
        if self.from_body_id:
            return self.from_body.name
        name = self.from_division.name
        return f"{self.asked_user} ({name})" if self.asked_user_id else name

    @property
    def is_awaited(self) -> bool:
        return self.received_on is None


class Chaser(Tracked):
    """A reminder sent for a contribution that has not come."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="chasers")
    sent_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"Chaser sent {self.sent_on}"
