"""Pages for coding: a case's issues (add, change, record the outcome, remove) and the data quality list.

Each issue page finds the case through cases.selectors (404 if the user may not see it), refuses a role
that may not do it (403), and calls one coding service, which checks the codes, the version and the role again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases.forms import with_current_version
from palsdesk.cases.models import Kind
from palsdesk.cases.services import record_case_view
from palsdesk.coding import completeness, services
from palsdesk.coding.forms import DataQualityFilterForm, IssueForm, RecordOutcomeForm, RemoveIssueForm
from palsdesk.coding.selectors import (
    _CLOSED_AFTER_RESPONSE,
    _COMPLAINT_TO_CODE,
    _PALS_FINISHED,
    CaseCodingGaps,
    GapKind,
    cases_with_coding_gaps,
    coding_choices,
    coding_gap_counts_by_division,
    gaps_of,
    issues_queryset,
)
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.organisation.models import Division

DATA_QUALITY_PAGE_SIZE = 50

# Each kind of gap as a filter on cases_with_coding_gaps (whose annotations it reads), agreeing with gaps_of.
# It belongs beside _HAS_A_GAP in coding.selectors; it is here until that module offers a filter by kind.
GAP_FILTERS = {
    GapKind.CLOSED_WITHOUT_OUTCOME: _CLOSED_AFTER_RESPONSE & Q(outcome="", derived_outcome=""),
    GapKind.NO_ISSUES: _COMPLAINT_TO_CODE & Q(has_issues=False),
    GapKind.NO_SUBJECT: _PALS_FINISHED & Q(has_issues=False),
    GapKind.NO_SERVICE_AREA: Q(has_issue_without_service_area=True),
    GapKind.NO_PROFESSION: Q(kind=Kind.COMPLAINT, has_issue_without_profession=True),
    GapKind.NO_CLINICAL_SUBCATEGORY: Q(has_clinical_issue_without_subcategory=True),
    GapKind.NO_REASON: Q(has_issue_not_investigated_without_reason=True),
    GapKind.OUTCOME_INCONSISTENT: ~Q(outcome=F("derived_outcome")),
    GapKind.PATIENT_AGE_UNKNOWN: _COMPLAINT_TO_CODE & Q(has_patient_date_of_birth=False),
}


def _case_for_coding(request, reference, permission: Permission, doing: str):
    """The case (404 if the user may not see it), then 403 if their role may not do this, before any input is read."""
    case = case_selectors.visible_case(request.user, reference)
    if not can(request.user, permission):
        raise PermissionDenied(f"Your role cannot {doing}.")
    return case


def _issue_on(case, issue_id: int):
    return get_object_or_404(issues_queryset().filter(case=case), pk=issue_id)


def _may_record_outcomes(user, case) -> bool:
    return can(user, Permission.RECORD_OUTCOMES) and case.kind in completeness.KINDS_WITH_OUTCOMES


def _back_to_issues(case):
    return redirect(reverse("cases:detail", kwargs={"reference": case.reference}) + "#issues")


def _refused(form, case, error) -> None:
    """Show the service's refusal on the form, keeping what was typed, with the case's version as it is now."""
    put_errors_on_form(form, error)
    case.refresh_from_db()
    with_current_version(form, case)


@require_http_methods(["GET", "POST"])
def add_issue(request, reference):
    case = _case_for_coding(request, reference, Permission.CODE_CASES, "code cases")
    choices = coding_choices(case)
    form = IssueForm(
        request.POST or None,
        case=case,
        choices=choices,
        with_outcome=_may_record_outcomes(request.user, case),
        initial={"version": case.version},
    )
    if request.method == "GET":
        record_case_view(case, actor=request.user)
    elif form.is_valid():
        try:
            issue = services.add_issue(case, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            _refused(form, case, error)
        else:
            messages.success(request, f"Issue {issue.order} added: {issue.subject}.")
            return _back_to_issues(case)
    else:
        with_current_version(form, case)
    return render(request, "coding/issue_form.html", {"case": case, "form": form, "issue": None, "choices": choices})


def _issue_initial(issue, case) -> dict:
    initial = {name: getattr(issue, name) for name in services.ISSUE_FIELDS if name != "professions"}
    initial["professions"] = [code.pk for code in issue.professions.all()]
    return initial | {"version": case.version}


@require_http_methods(["GET", "POST"])
def change_issue(request, reference, issue_id):
    case = _case_for_coding(request, reference, Permission.CODE_CASES, "code cases")
    issue = _issue_on(case, issue_id)
    choices = coding_choices(case)
    form = IssueForm(
        request.POST or None,
        case=case,
        choices=choices,
        issue=issue,
        with_outcome=_may_record_outcomes(request.user, case),
        initial=_issue_initial(issue, case),
    )
    if request.method == "GET":
        record_case_view(case, actor=request.user)
    elif form.is_valid():
        try:
            services.change_issue(issue, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            _refused(form, case, error)
        else:
            messages.success(request, f"Issue {issue.order} saved.")
            return _back_to_issues(case)
    else:
        with_current_version(form, case)
    return render(request, "coding/issue_form.html", {"case": case, "form": form, "issue": issue, "choices": choices})


@require_http_methods(["GET", "POST"])
def record_outcome(request, reference, issue_id):
    case = _case_for_coding(request, reference, Permission.RECORD_OUTCOMES, "record outcomes")
    if case.kind not in completeness.KINDS_WITH_OUTCOMES:
        raise Http404("Only complaints and MP letters have outcomes.")
    issue = _issue_on(case, issue_id)
    initial = {"outcome": issue.outcome, "not_investigated_reason": issue.not_investigated_reason}
    form = RecordOutcomeForm(request.POST or None, case=case, initial=initial | {"version": case.version})
    if request.method == "GET":
        record_case_view(case, actor=request.user)
    elif form.is_valid():
        try:
            issue = services.record_issue_outcome(issue, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            _refused(form, case, error)
        else:
            found = issue.get_outcome_display().lower()
            messages.success(request, f"Outcome recorded for issue {issue.order} ({issue.subject}): {found}.")
            return _back_to_issues(case)
    else:
        with_current_version(form, case)
    return render(request, "coding/record_outcome.html", {"case": case, "form": form, "issue": issue})


@require_http_methods(["GET", "POST"])
def remove_issue(request, reference, issue_id):
    case = _case_for_coding(request, reference, Permission.CODE_CASES, "code cases")
    issue = _issue_on(case, issue_id)
    form = RemoveIssueForm(request.POST or None, case=case, initial={"version": case.version})
    if request.method == "GET":
        record_case_view(case, actor=request.user)
    elif form.is_valid():
        try:
            services.remove_issue(issue, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            _refused(form, case, error)
        else:
            messages.success(request, f"Issue {issue.order} ({issue.subject}) removed.")
            return _back_to_issues(case)
    else:
        with_current_version(form, case)
    return render(request, "coding/remove_issue.html", {"case": case, "form": form, "issue": issue})


def may_see_data_quality(user) -> bool:
    # Staff who see cases across the trust or a division; a volunteer sees only what they logged.
    return can(user, Permission.SEE_TRUST_CASES) or can(user, Permission.SEE_DIVISION_CASES)


@require_GET
def data_quality(request):
    if not may_see_data_quality(request.user):
        raise PermissionDenied("Your role cannot see the data quality list.")
    divisions = list(Division.objects.order_by("name").only("pk", "code", "name"))
    form = DataQualityFilterForm(request.GET, divisions=divisions)
    visible = case_selectors.cases_visible_to(request.user)
    listed = cases_with_coding_gaps(visible)
    if form.is_valid():
        if form.cleaned_data["division"]:
            listed = listed.filter(division__code=form.cleaned_data["division"])
        if form.cleaned_data["gap"]:
            listed = listed.filter(GAP_FILTERS[GapKind(form.cleaned_data["gap"])])
    else:
        listed = listed.none()
    page = Paginator(listed, DATA_QUALITY_PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    page.object_list = [CaseCodingGaps(case=case, gaps=gaps_of(case)) for case in page.object_list]
    code_of = {division.pk: division.code for division in divisions}
    counts = [
        {"name": row["division__name"], "code": code_of.get(row["division_id"], ""), "cases": row["cases"]}
        for row in coding_gap_counts_by_division(visible)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coding/data_quality.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "total": sum(row["cases"] for row in counts),
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )
