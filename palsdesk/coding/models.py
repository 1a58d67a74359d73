"""National code lists (KO41a by collection year, HCAT), the trust's local subjects, and a case's coded issues."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from palsdesk.cases.models import Outcome
from palsdesk.core.models import ReferenceData, Tracked


class TaxonomyKind(models.TextChoices):
    SUBJECT = "subject", "KO41a subject area"
    CLINICAL_SUBCATEGORY = "clinical_subcategory", "KO41a clinical treatment sub-category"
    SERVICE_AREA = "service_area", "KO41a service area"
    PROFESSION = "profession", "KO41a profession"
    COMPLAINANT_STATUS = "complainant_status", "KO41a status of complainant"
    AGE_BAND = "age_band", "KO41a age of patient"
    HCAT_DOMAIN = "hcat_domain", "HCAT domain"
    HCAT_CATEGORY = "hcat_category", "HCAT problem category"


# The lists an issue's KO41a codes come from: all from one collection year.
KO41A_ISSUE_KINDS = (
    TaxonomyKind.SUBJECT,
    TaxonomyKind.CLINICAL_SUBCATEGORY,
    TaxonomyKind.SERVICE_AREA,
    TaxonomyKind.PROFESSION,
)
HCAT_KINDS = (TaxonomyKind.HCAT_DOMAIN, TaxonomyKind.HCAT_CATEGORY)


class Confidence(models.TextChoices):
    """How sure the team is of a list (domain.md's tags): replace anything below confirmed when the source is read."""

    CONFIRMED = "C", "Confirmed from the source"
    PARTLY = "P", "Partly confirmed"
    UNCONFIRMED = "U", "Unconfirmed: a reconstruction to verify"


class Taxonomy(models.Model):
    """One national list for one collection year (KO41a: "2025-26"; HCAT: its edition, "2016"), loaded from a file."""

    kind = models.CharField(max_length=24, choices=TaxonomyKind.choices)
    collection_year = models.CharField(max_length=7, help_text='KO41a: the financial year, "2025-26"; HCAT: "2016".')
    source = models.TextField(help_text="Where the list comes from (addresses of the documents).")
    confidence = models.CharField(max_length=1, choices=Confidence.choices)
    note = models.TextField(blank=True)
    loaded_from = models.CharField(max_length=120, help_text="The data file in palsdesk/coding/data/.")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "-collection_year"]
        verbose_name_plural = "taxonomies"
        constraints = [models.UniqueConstraint(fields=["kind", "collection_year"], name="taxonomy_kind_year_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.collection_year}"


class Code(ReferenceData):
    """An entry of a national list. Cases point at it, so a later year's list never changes an old case's coding."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="codes")
    code = models.SlugField(max_length=60, help_text="Stable across years, so reports can follow a subject over time.")
    label = models.CharField(max_length=200)
    # An HCAT category belongs to its domain.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveSmallIntegerField(default=0)
    confidence = models.CharField(max_length=1, choices=Confidence.choices, blank=True)
    # An age band's range, in whole years at the date of receipt; both empty for "Age unknown".
    age_from_years = models.PositiveSmallIntegerField(null=True, blank=True)
    age_to_years = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["taxonomy", "order", "label"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="code_once_per_taxonomy")]

    def __str__(self) -> str:
        return self.label


class LocalSubject(ReferenceData, Tracked):
    """A subject the trust records under a national KO41a subject, such as "Discharge letters" under Communications.

    It maps by the national subject's code, so it carries over to later years' lists with the same code.
    """

    name = models.CharField(max_length=120, unique=True)
    national_subject = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="local_subjects",
        limit_choices_to={"taxonomy__kind": TaxonomyKind.SUBJECT},
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HcatSeverity(models.IntegerChoices):
    # HCAT (Gillespie & Reader 2016): the severity of each problem category found in a complaint.
    NOT_PRESENT = 0, "0 Not present"
    LOW = 1, "1 Low"
    MEDIUM = 2, "2 Medium"
    HIGH = 3, "3 High"


class HcatHarm(models.IntegerChoices):
    # HCAT: harm to the patient as the complaint reports it.
    NONE = 0, "0 No harm reported"
    MINIMAL = 1, "1 Minimal"
    MINOR = 2, "2 Minor"
    MODERATE = 3, "3 Moderate"
    MAJOR = 4, "4 Major"
    CATASTROPHIC = 5, "5 Catastrophic (death)"


class CaseIssue(Tracked):
    """One aspect of a case, coded for KO41a (and optionally HCAT), with its own outcome."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="issues")
    order = models.PositiveSmallIntegerField(help_text="Its number on the case: Issue 1, Issue 2, ...")
    description = models.TextField(blank=True)
    subject = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    clinical_subcategory = models.ForeignKey(Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    local_subject = models.ForeignKey(
        LocalSubject, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    service_area = models.ForeignKey(Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    professions = models.ManyToManyField(Code, blank=True, related_name="+")
    hcat_category = models.ForeignKey(Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hcat_severity = models.PositiveSmallIntegerField(
        "HCAT severity", null=True, blank=True, choices=HcatSeverity.choices, validators=[MaxValueValidator(3)]
    )
    hcat_harm = models.PositiveSmallIntegerField(
        "HCAT harm", null=True, blank=True, choices=HcatHarm.choices, validators=[MaxValueValidator(5)]
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    not_investigated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "order", "id"]
        indexes = [models.Index(fields=["case", "order"], name="issue_case_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hcat_severity__isnull=True) | Q(hcat_severity__lte=3), name="issue_hcat_severity_0_to_3"
            ),
            models.CheckConstraint(
                condition=Q(hcat_harm__isnull=True) | Q(hcat_harm__lte=5), name="issue_hcat_harm_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Issue {self.order} ({self.subject})"
