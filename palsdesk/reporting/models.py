"""What the co-ordinator writes into a committee report: kept per report and period, so every copy says the same."""

from django.db import models
from django.db.models import Q

from palsdesk.core.models import Tracked


class CommitteeReportKind(models.TextChoices):
    BOARD = "board", "Board and Quality Committee report"
    ANNUAL = "annual", "Annual complaints report (regulation 18)"
    DIVISIONAL = "divisional", "Divisional feedback"


class ReportCommentary(Tracked):
    """The words a report's figures cannot give: what the themes mean, notable cases, what was done about them."""

    kind = models.CharField(max_length=12, choices=CommitteeReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    # Divisional feedback is for one division; the Board and annual reports are for the whole trust.
    division = models.ForeignKey(
        "organisation.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    themes = models.TextField("what the themes show", blank=True)
    notable_cases = models.TextField("notable cases", blank=True)
    # Regulation 18(1)(d)(ii).
    general_importance = models.TextField("matters of general importance", blank=True)
    # Regulation 18(1)(d)(iii): action taken, or to be taken, to improve services.
    actions_taken = models.TextField("actions taken to improve services", blank=True)
    # Regulation 18(1)(c): the number the trust has been told were referred to the Ombudsman. Left empty, the
    # report counts the PHSO cases recorded in PALS Desk; entered, it stands (it may include referrals from
    # before the trust used PALS Desk, or the escalations app's records may be incomplete).
    ombudsman_referrals = models.PositiveIntegerField("complaints referred to the Ombudsman", null=True, blank=True)
    # Bumped on every save, so that a stale form cannot overwrite a colleague's newer words.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period_end", "kind"]
        verbose_name_plural = "report commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=Q(division__isnull=True),
                name="report_commentary_once_for_trust",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "division"],
                condition=Q(division__isnull=False),
                name="report_commentary_once_per_division",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_commentary_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(kind="divisional", division__isnull=False)
                | (~Q(kind="divisional") & Q(division__isnull=True)),
                name="report_commentary_division_only_for_divisional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"
