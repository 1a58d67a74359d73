"""Writes for grading: grading (and regrading) a case, and choosing the scheme in use.

Grading a complaint sets the trust's internal target (its grade's working days) but never the statutory
clocks: the acknowledgement, the long-stop and the 12-month limit do not depend on the grade, and a
response date agreed with the complainant stays as agreed (docs/decisions/0010).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import Case, Kind, ResponseDueBasis, TimelineEntry
from palsdesk.core.dates import weekday_date
from palsdesk.core.errors import RuleBroken
from palsdesk.deadlines import services as deadline_services
from palsdesk.grading import matrix
from palsdesk.grading.models import CaseGrading, Grade, GradingScheme, SchemeKind
from palsdesk.grading.selectors import current_scheme

# Only formal cases are graded; PALS concerns, compliments and enquiries are not investigated.
GRADED_KINDS = frozenset({Kind.COMPLAINT, Kind.MP_LETTER})
RATIONALE_MAX_CHARACTERS = 5_000
_GRADING_FIELDS = ["grade", *deadline_services.CLOCK_FIELDS]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _check_level(problems: dict, name: str, value, levels: list) -> None:
    words = f"from 1 ({_lower_first(levels[0].name)}) to 5 ({_lower_first(levels[-1].name)})" if levels else "1 to 5"
    if value is None:
        problems.setdefault(name, []).append(f"Choose the {name}, {words}.")
    elif value not in matrix.LEVELS:
        problems.setdefault(name, []).append(f"The {name} must be {words}.")


def _work_out_grade(
    scheme: GradingScheme, *, consequence, likelihood, grade: Grade | None, problems: dict
) -> tuple[Grade | None, int | None]:
    grades = list(scheme.grades.all())
    if not scheme.is_matrix:
        for name, value in (("consequence", consequence), ("likelihood", likelihood)):
            if value is not None:
                problems.setdefault(name, []).append(
                    f"{scheme} grades by named levels, without consequence and likelihood."
                )
        if grade is None:
            problems.setdefault("grade", []).append("Choose the grade.")
        elif grade.scheme_id != scheme.pk:
            problems.setdefault("grade", []).append(f"{grade} is not a grade of the scheme in use ({scheme}).")
        return grade, None
    _check_level(problems, "consequence", consequence, list(scheme.consequence_levels.all()))
    _check_level(problems, "likelihood", likelihood, list(scheme.likelihood_levels.all()))
    if "consequence" in problems or "likelihood" in problems:
        return None, None
    points = matrix.score(consequence, likelihood)
    bands = [matrix.Band(g.code, g.min_score, g.max_score) for g in grades if g.min_score is not None]
    try:
        code = matrix.grade_for_score(points, bands)
    except ValueError:
        raise RuleBroken(
            f"{scheme} has no grade for a score of {points}: an administrator must correct its grades."
        ) from None
    worked_out = next(g for g in grades if g.code == code)
    if grade is not None and grade.pk != worked_out.pk:
        problems.setdefault("grade", []).append(
            f"In {scheme} the grade follows from consequence and likelihood: a score of {points} is "
            f"{_lower_first(worked_out.name)}."
        )
    return worked_out, points


def describe_grading(grading: CaseGrading, *, previous: Grade | None, scheme: GradingScheme) -> str:
    """'Regraded from moderate to high (score 12: consequence 4 major × likelihood 3 possible).'"""
    name = _lower_first(grading.grade.name)
    if previous is None:
        text = f"Graded {name}"
    elif previous.pk == grading.grade_id:
        text = f"Grade confirmed as {name}"
    else:
        text = f"Regraded from {_lower_first(previous.name)} to {name}"
    if grading.score is not None:
        consequences = {level.level: level.name for level in scheme.consequence_levels.all()}
        likelihoods = {level.level: level.name for level in scheme.likelihood_levels.all()}
        text += (
            f" (score {grading.score}: consequence {grading.consequence} "
            f"{_lower_first(consequences.get(grading.consequence, ''))} × likelihood {grading.likelihood} "
            f"{_lower_first(likelihoods.get(grading.likelihood, ''))})"
        )
    return f"{text}."


def _move_response_target(case: Case, grade: Grade) -> str:
    """Give a target-based response date the grade's target; say what happened to the response date."""
    if case.responded_on:
        return ""
    if case.response_due_basis != ResponseDueBasis.TARGET:
        return f" The response date was agreed with the complainant, so it stays {weekday_date(case.response_due_on)}."
    if case.response_target_working_days == grade.response_working_days and case.response_due_on:
        return f" Response still due {weekday_date(case.response_due_on)}."
    case.response_target_working_days = grade.response_working_days
    deadline_services.work_out_clocks(case)
    return (
        f" Response now due {weekday_date(case.response_due_on)} "
        f"({grade.response_working_days} working days, the {_lower_first(grade.name)} target)."
    )


@transaction.atomic
def grade_case(
    case: Case,
    *,
    rationale: str,
    actor,
    consequence: int | None = None,
    likelihood: int | None = None,
    grade: Grade | None = None,
    expected_version: int | None = None,
) -> Case:
    """Grade (or regrade) a complaint or MP letter with the scheme in use, keeping every earlier grading.

    A matrix scheme needs consequence and likelihood and works the score and grade out; a scheme of
    named levels needs the grade. Where the response date runs on the trust's target and the grade's
    target differs, the response date moves; the statutory clocks never do.
    """
    case = lock_for_change(case, expected_version)
    require(actor, Permission.GRADE_CASES, "grade cases")
    if case.kind not in GRADED_KINDS:
        raise RuleBroken(f"Only complaints and MP letters are graded, not {workflow.with_article(case.kind)}.")
    if not case.is_open:
        raise RuleBroken(f"{case.reference} is finished: reopen it before grading it again.")
    scheme = current_scheme()
    if scheme is None:
        raise RuleBroken("No grading scheme is in use: an administrator must choose one in the admin.")
    problems: dict[str, list[str]] = {}
    rationale = (rationale or "").strip()
    if not rationale:
        problems["rationale"] = ["Enter the reason for the grade."]
    elif len(rationale) > RATIONALE_MAX_CHARACTERS:
        problems["rationale"] = [f"The reason must be {RATIONALE_MAX_CHARACTERS:,} characters or fewer."]
    grade, points = _work_out_grade(
        scheme, consequence=consequence, likelihood=likelihood, grade=grade, problems=problems
    )
    if problems:
        raise ValidationError(problems)

    previous = case.grade if case.grade_id else None
    before = audit.snapshot(case, _GRADING_FIELDS)
    grading = CaseGrading.objects.create(
        case=case,
        scheme=scheme,
        consequence=consequence if scheme.is_matrix else None,
        likelihood=likelihood if scheme.is_matrix else None,
        score=points,
        grade=grade,
        rationale=rationale,
        graded_by=actor,
        graded_at=timezone.now(),
    )
    case.grade = grade
    response = _move_response_target(case, grade)
    case.version += 1
    case.modified_by = actor
    case.save()
    body = f"{describe_grading(grading, previous=previous, scheme=scheme)} Reason: {rationale}{response}"
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.GRADING, body=body, actor=actor)
    changes = audit.changes_between(before, audit.snapshot(case, _GRADING_FIELDS))
    if scheme.is_matrix:
        changes |= {"consequence": [None, consequence], "likelihood": [None, likelihood], "score": [None, points]}
    audit.record(
        actor=actor,
        action="case.graded",
        target=grading,
        case=case,
        changes=changes,
        context={"rationale": rationale, "scheme": scheme.name, "regraded": previous is not None},
    )
    return case


def scheme_problems(scheme: GradingScheme) -> list[str]:
    """Why the scheme cannot be used yet, in words for the administrator; empty when it can."""
    grades = list(scheme.grades.all())
    if not grades:
        return ["Add at least one grade."]
    if scheme.kind == SchemeKind.LEVELS:
        banded = [g.name for g in grades if g.min_score is not None]
        return [f"A scheme of named levels has no scores: clear them from {', '.join(banded)}."] if banded else []
    problems = []
    for name, levels in (
        ("consequence", scheme.consequence_levels.all()),
        ("likelihood", scheme.likelihood_levels.all()),
    ):
        if sorted(level.level for level in levels) != list(matrix.LEVELS):
            problems.append(f"Give the five {name} levels, 1 to 5.")
    unbanded = [g.name for g in grades if g.min_score is None]
    if unbanded:
        problems.append(f"Give every grade its scores: {', '.join(unbanded)} has none.")
    else:
        problems.extend(matrix.band_problems([matrix.Band(g.name, g.min_score, g.max_score) for g in grades]))
    return problems


@transaction.atomic
def make_scheme_current(scheme: GradingScheme, *, actor) -> GradingScheme:
    """Use this scheme for gradings from now on. Cases graded before keep their grades and history."""
    require(actor, Permission.ADMINISTER, "choose the grading scheme")
    problems = scheme_problems(scheme)
    if problems:
        raise RuleBroken(f"{scheme} cannot be used yet. " + " ".join(problems))
    previous = GradingScheme.objects.select_for_update().filter(is_current=True).first()
    if previous is not None and previous.pk == scheme.pk:
        return scheme
    if previous is not None:
        previous.is_current = False
        previous.modified_by = actor
        previous.save(update_fields=["is_current", "modified_by", "modified_at"])
    scheme.is_current = True
    scheme.modified_by = actor
    scheme.save(update_fields=["is_current", "modified_by", "modified_at"])
    audit.record(
        actor=actor,
        action="gradingscheme.made_current",
        target=scheme,
        changes={"current_scheme": [audit.plain(previous), audit.plain(scheme)]},
    )
    return scheme
