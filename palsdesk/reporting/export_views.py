"""Downloads of the case list, as the user filtered it, in CSV (streamed) and Excel."""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from palsdesk.audit import services as audit
from palsdesk.cases import selectors
from palsdesk.cases.forms import CaseFilterForm
from palsdesk.core.dates import long_time_and_date
from palsdesk.reporting import exports
from palsdesk.reporting.access import require_reports


def _filters(form: CaseFilterForm) -> selectors.CaseFilters:
    # The case list's own reading of its form (cases.views.case_list), so the file holds what the page listed.
    return selectors.CaseFilters(
        kind=form.cleaned_data["kind"],
        status=form.cleaned_data["status"],
        division=form.cleaned_data["division"],
        assignee=form.cleaned_data["assignee"],
        query=form.cleaned_data["q"],
        due=form.cleaned_data["due"],
        due_within_working_days=form.cleaned_data["within"] or selectors.DUE_WITHIN_WORKING_DAYS,
    )


def _described(filters: selectors.CaseFilters) -> dict:
    return {name: value for name, value in filters.__dict__.items() if value and name != "due_within_working_days"}


@require_GET
def export_cases(request, file_format):
    user = request.user
    require_reports(user)
    form = CaseFilterForm(request.GET)
    if not form.is_valid():
        # The list page shows what is wrong with the filters; a file of the wrong cases would not.
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    today = timezone.localdate()
    filters = _filters(form)
    cases = selectors.case_list(user, filters, today=today)
    stamp = timezone.localtime()
    name = f"cases-{stamp:%Y-%m-%d-%H%M}"
    audit.record(
        actor=user,
        action="cases.exported",
        target=None,
        context={"format": file_format, "filters": _described(filters)},
    )
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_lines(cases), content_type=exports.CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    about = [
        ("Exported", long_time_and_date(stamp)),
        ("By", user.get_full_name() or user.get_username()),
        ("Filters", "; ".join(f"{key}: {value}" for key, value in _described(filters).items()) or "None"),
        ("Holds", "The cases this account may see that match the filters. People's names are left out."),
    ]
    content, _, _ = exports.excel_workbook(cases, about=about)
    response = HttpResponse(content, content_type=exports.EXCEL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
