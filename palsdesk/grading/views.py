"""The grading page: a complaint or MP letter graded on the scheme in use, with its grading history.

The matrix is a grid of radios, one group in one fieldset, so the keyboard moves through it with the arrow
keys and a screen reader hears each cell's consequence, likelihood, score and grade.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases.forms import with_current_version
from palsdesk.cases.services import record_case_view
from palsdesk.core.dates import weekday_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.grading import services
from palsdesk.grading.forms import GradingForm, cell_value
from palsdesk.grading.selectors import MatrixCell, current_scheme, grading_history, matrix_rows

NO_SCHEME = "No grading scheme is in use, so nothing can be graded: an administrator must choose one in the admin."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class GridCell:
    """One radio of the grid: what it posts, its id, whether it is chosen, and what a screen reader hears."""

    id: str
    value: str
    is_checked: bool
    label: str
    matrix_cell: MatrixCell


@dataclass(frozen=True)
class GridRow:
    likelihood: object
    cells: list[GridCell]


def cell_label(cell: MatrixCell) -> str:
    """'Consequence 4, major; likelihood 3, possible: score 12, high'."""
    grade = _lower_first(cell.grade.name) if cell.grade else "no grade"
    return (
        f"Consequence {cell.consequence.level}, {_lower_first(cell.consequence.name)}; "
        f"likelihood {cell.likelihood.level}, {_lower_first(cell.likelihood.name)}: score {cell.score}, {grade}"
    )


def _grid(scheme, bound_field) -> list[GridRow]:
    """The matrix as rows of radios, almost certain at the top; ids in page order, so an error links to the first."""
    chosen = str(bound_field.value() or "")
    rows, index = [], 0
    for row in matrix_rows(scheme):
        cells = []
        for cell in row:
            value = cell_value(cell.consequence.level, cell.likelihood.level)
            cells.append(
                GridCell(
                    id=f"{bound_field.auto_id}_{index}",
                    value=value,
                    is_checked=value == chosen,
                    label=cell_label(cell),
                    matrix_cell=cell,
                )
            )
            index += 1
        rows.append(GridRow(likelihood=row[0].likelihood, cells=cells))
    return rows


def _case_to_grade(request, reference):
    """The case (404 if the user may not see it), 403 if their role may not grade, 404 if its kind is not graded."""
    case = case_selectors.visible_case(request.user, reference)
    if not can(request.user, Permission.GRADE_CASES):
        raise PermissionDenied("Your role cannot grade complaints.")
    if case.kind not in services.GRADED_KINDS:
        raise Http404("Only complaints and MP letters are graded.")
    return case


def _initial(case, scheme, current) -> dict:
    """A regrading starts from the grade in use, where it was given on this scheme."""
    initial = {"version": case.version}
    if current is not None and current.scheme_id == scheme.pk:
        if scheme.is_matrix and current.score is not None:
            initial["cell"] = cell_value(current.consequence, current.likelihood)
        elif not scheme.is_matrix:
            initial["grade"] = current.grade_id
    return initial


def _graded_message(case, arguments: dict) -> str:
    score = arguments["consequence"] * arguments["likelihood"] if "consequence" in arguments else None
    text = f"{case.reference} graded {_lower_first(case.grade.name)}"
    text += f" (score {score})." if score is not None else "."
    if case.response_due_on and not case.responded_on:
        text += f" The response is due {weekday_date(case.response_due_on)}."
    return text


@require_http_methods(["GET", "POST"])
def grade_case(request, reference):
    case = _case_to_grade(request, reference)
    scheme = current_scheme()
    history = grading_history(case)
    current = history[-1] if history else None
    form = None
    if scheme is not None:
        form = GradingForm(request.POST or None, initial=_initial(case, scheme, current), case=case, scheme=scheme)
    if request.method == "GET":
        record_case_view(case, actor=request.user)
    elif form is not None and form.is_valid():
        arguments = form.service_arguments()
        try:
            case = services.grade_case(case, actor=request.user, **arguments)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error, field_for=form.field_for)
        else:
            messages.success(request, _graded_message(case, arguments))
            return redirect(reverse("cases:detail", kwargs={"reference": case.reference}) + "#grade")
    if form is not None and form.is_bound:
        # After a refusal the chosen cell and typed reason stay; the version moves on so a retry can save.
        case.refresh_from_db()
        with_current_version(form, case)
    context = {
        "case": case,
        "scheme": scheme,
        "no_scheme": NO_SCHEME if scheme is None else "",
        "form": form,
        "show_form": form is not None and (case.is_open or form.is_bound),
        "grid": _grid(scheme, form["cell"]) if form is not None and scheme.is_matrix else [],
        "grades": list(scheme.grades.all()) if scheme is not None else [],
        "current": current,
        "history": list(reversed(history)),
    }
    return render(request, "grading/grade_case.html", context)
