"""Action plans for a case, theme or division, their evidence, and the "you said, we did" list."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from palsdesk.core.models import Tracked


class PlanScope(models.TextChoices):
    CASE = "case", "A case"
    THEME = "theme", "A theme"
    DIVISION = "division", "A division"


class ActionPlan(Tracked):
    """What a division or the trust will change in answer to a case, a theme of complaints and concerns, or a division's
    feedback. Regulation 3(2)(g): action is taken in the light of the outcome of complaints; regulation 18 reports it.

    A theme is a national subject or HCAT category (`subject`), one of the trust's local subjects, or words of the
    team's own (`theme`). `division` is whose plan it is; a plan on a case is also its case's division's.
    """

    title = models.CharField(max_length=200)
    scope = models.CharField(max_length=8, choices=PlanScope.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans")
    subject = models.ForeignKey(
        "coding.Code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A KO41a subject or an HCAT category.",
    )
    local_subject = models.ForeignKey(
        "coding.LocalSubject", null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans"
    )
    theme = models.CharField("theme in the team's words", max_length=200, blank=True)
    division = models.ForeignKey(
        "organisation.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans"
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(scope="case") | Q(case__isnull=False), name="plan_on_a_case_names_it"),
            models.CheckConstraint(
                condition=~Q(scope="division") | Q(division__isnull=False), name="plan_of_a_division_names_it"
            ),
            models.CheckConstraint(
                condition=~Q(scope="theme")
                | Q(subject__isnull=False, local_subject__isnull=True, theme="")
                | Q(subject__isnull=True, local_subject__isnull=False, theme="")
                | (Q(subject__isnull=True, local_subject__isnull=True) & ~Q(theme="")),
                name="plan_on_a_theme_names_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_label(self) -> str:
        """The theme as the team reads it: the subject's label, the local subject's name, or their own words."""
        if self.subject_id:
            return self.subject.label
        if self.local_subject_id:
            return self.local_subject.name
        return self.theme

    @property
    def responsible_division(self):
        """Whose plan it is: its own division, or else its case's."""
        if self.division_id:
            return self.division
        return self.case.division if self.case_id else None


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# Work still to do: these go overdue after their due date.
OUTSTANDING_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(Tracked):
    """One thing someone will do, by a date, with the cases and themes that prompted it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    dropped_reason = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="learning_actions")
    subjects = models.ManyToManyField(
        "coding.Code", blank=True, related_name="+", help_text="KO41a subjects and HCAT categories."
    )
    local_subjects = models.ManyToManyField("coding.LocalSubject", blank=True, related_name="learning_actions")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["status", "completed_on"], name="action_completed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | (~Q(status="done") & Q(completed_on=None)),
                name="action_done_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="action_dropped_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING_STATUSES


class Evidence(Tracked):
    """What shows an action was done: a file (kept outside the public web root, served only to those who may see its
    plan), a note, or both."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    note = models.TextField(blank=True)
    # Named by learning.services under EVIDENCE_FOLDER, never by the uploader: the name as uploaded is kept apart.
    file = models.FileField(max_length=200, blank=True)
    file_name = models.CharField("name as uploaded", max_length=200, blank=True)
    content_type = models.CharField("real type", max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=~Q(note="") | ~Q(file=""), name="evidence_has_a_note_or_a_file"),
        ]

    def __str__(self) -> str:
        return self.file_name or self.note[:80]


class PublicWording(Tracked):
    """The "you said, we did" words for a completed action, written for the trust's website by the co-ordinator.

    Never the case's own words: it is written afresh, checked for personal data, and approved by a person before it
    can be exported. Changing approved words takes the approval away until they are approved again.
    """

    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="public_wording")
    you_said = models.TextField()
    we_did = models.TextField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="wording_approval_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"You said, we did: {self.we_did[:60]}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
