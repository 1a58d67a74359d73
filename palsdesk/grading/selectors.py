"""Reads for grading: the scheme in use with its levels and grades, the matrix as a page shows it, a case's history."""

from dataclasses import dataclass

from django.db.models import Prefetch

from palsdesk.grading.models import CaseGrading, ConsequenceLevel, Grade, GradingScheme, LikelihoodLevel


def current_scheme() -> GradingScheme | None:
    """The scheme new gradings use, with its levels and grades fetched (three more queries, however many)."""
    return (
        GradingScheme.objects.filter(is_current=True)
        .prefetch_related(
            Prefetch("consequence_levels", queryset=ConsequenceLevel.objects.order_by("level")),
            Prefetch("likelihood_levels", queryset=LikelihoodLevel.objects.order_by("level")),
            Prefetch("grades", queryset=Grade.objects.order_by("order", "min_score", "id")),
        )
        .first()
    )


@dataclass(frozen=True)
class MatrixCell:
    consequence: ConsequenceLevel
    likelihood: LikelihoodLevel
    score: int
    grade: Grade | None


def matrix_rows(scheme: GradingScheme) -> list[list[MatrixCell]]:
    """The matrix as it is printed: a row per likelihood, almost certain at the top; a cell per consequence.

    Pass the scheme from current_scheme(), so that no query is made. Empty for a scheme of named levels.
    """
    if not scheme.is_matrix:
        return []
    consequences = list(scheme.consequence_levels.all())
    grades = [grade for grade in scheme.grades.all() if grade.min_score is not None]
    rows = []
    for likelihood in sorted(scheme.likelihood_levels.all(), key=lambda level: -level.level):
        row = []
        for consequence in consequences:
            points = consequence.level * likelihood.level
            grade = next((g for g in grades if g.min_score <= points <= g.max_score), None)
            row.append(MatrixCell(consequence=consequence, likelihood=likelihood, score=points, grade=grade))
        rows.append(row)
    return rows


def grading_history(case) -> list[CaseGrading]:
    """Every grading of the case, the first first, with who graded it and under which scheme."""
    return list(
        CaseGrading.objects.filter(case=case).select_related("grade", "scheme", "graded_by").order_by("graded_at", "id")
    )
