"""The trust's grading scheme (a consequence × likelihood matrix, or named levels), its grades, each case's gradings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from palsdesk.core.models import Tracked

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class SchemeKind(models.TextChoices):
    MATRIX = "matrix", "Consequence × likelihood matrix (scores 1 to 25)"
    LEVELS = "levels", "Named levels"


class SignOffLevel(models.TextChoices):
    """Who signs the response to a case of this grade (local policy, domain.md §5.2)."""

    COORDINATOR = "coordinator", "Complaints co-ordinator"
    DIRECTOR = "director", "Divisional director"
    EXECUTIVE = "executive", "Executive director"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"


class TagColour(models.TextChoices):
    """The colours of an NHS.UK tag (nhsuk-tag--<colour>)."""

    GREY = "grey", "Grey"
    WHITE = "white", "White"
    GREEN = "green", "Green"
    AQUA_GREEN = "aqua-green", "Aqua green"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"
    PINK = "pink", "Pink"
    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    YELLOW = "yellow", "Yellow"


class GradingScheme(Tracked):
    """How the trust grades complaints. Exactly one scheme is current; old gradings keep the scheme they used."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=8, choices=SchemeKind.choices)
    is_current = models.BooleanField(default=False, editable=False)
    source = models.TextField(blank=True, help_text="Where the levels' names and descriptors come from.")

    class Meta:
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_scheme"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_matrix(self) -> bool:
        return self.kind == SchemeKind.MATRIX


class _Level(models.Model):
    scheme = models.ForeignKey(GradingScheme, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    name = models.CharField(max_length=60)
    descriptor = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["scheme", "level"]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class ConsequenceLevel(_Level):
    """How bad the outcome was or could be: 1 negligible to 5 catastrophic."""

    class Meta(_Level.Meta):
        default_related_name = "consequence_levels"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level"], name="consequence_level_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="consequence_level_1_to_5"),
        ]


class LikelihoodLevel(_Level):
    """How likely it is to happen or recur: 1 rare to 5 almost certain."""

    class Meta(_Level.Meta):
        default_related_name = "likelihood_levels"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level"], name="likelihood_level_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="likelihood_level_1_to_5"),
        ]


class Grade(Tracked):
    """A grade of a scheme: its band of scores (matrix schemes), its response target and who signs the response."""

    scheme = models.ForeignKey(GradingScheme, on_delete=models.CASCADE, related_name="grades")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=12, choices=TagColour.choices, default=TagColour.GREY)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lowest grade first.")
    min_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(25)])
    max_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(25)])
    response_working_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text="The trust's response target, in working days. A change applies to cases graded afterwards.",
    )
    sign_off_level = models.CharField(max_length=16, choices=SignOffLevel.choices)

    class Meta:
        ordering = ["scheme", "order", "min_score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grade_code_once_per_scheme"),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True, max_score__isnull=True)
                | Q(min_score__isnull=False, max_score__isnull=False, min_score__lte=models.F("max_score")),
                name="grade_band_both_ends_in_order",
            ),
            models.CheckConstraint(
                condition=Q(response_working_days__gte=1, response_working_days__lte=250),
                name="grade_response_days_1_to_250",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def band_label(self) -> str:
        """'8–12' for a matrix grade; '' for a named level."""
        if self.min_score is None:
            return ""
        return str(self.min_score) if self.min_score == self.max_score else f"{self.min_score}–{self.max_score}"


class CaseGrading(models.Model):
    """One grading of a case. Regrading adds a row, so the history is kept; the case points at its current grade."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="gradings")
    scheme = models.ForeignKey(GradingScheme, on_delete=models.PROTECT, related_name="+")
    consequence = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "graded_at", "id"]
        indexes = [models.Index(fields=["case", "graded_at"], name="grading_case_time")]
        constraints = [
            # A matrix grading has all three numbers; a named-level grading has none.
            models.CheckConstraint(
                condition=Q(consequence__isnull=True, likelihood__isnull=True, score__isnull=True)
                | Q(
                    consequence__gte=1,
                    consequence__lte=5,
                    likelihood__gte=1,
                    likelihood__lte=5,
                    score=models.F("consequence") * models.F("likelihood"),
                ),
                name="grading_score_is_consequence_times_likelihood",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} for {self.case_id}"
