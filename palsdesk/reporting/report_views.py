"""Report pages: the reports index, the performance dashboard, and the committee reports with their downloads.

Each parses its input, checks who may see it (reporting.access), calls one selector (which starts from
cases_visible_to) or the commentary service, and renders.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.core.errors import StaleEdit
from palsdesk.core.forms import put_errors_on_form
from palsdesk.organisation.models import Division, Site
from palsdesk.reporting import documents, periods, services
from palsdesk.reporting.access import require_division, require_reports, require_trust_wide
from palsdesk.reporting.committee import committee_report
from palsdesk.reporting.dashboard import dashboard
from palsdesk.reporting.measures import Scope
from palsdesk.reporting.models import CommitteeReportKind
from palsdesk.reporting.report_forms import (
    AnnualReportForm,
    CommentaryForm,
    DashboardFilterForm,
    DivisionalFeedbackForm,
    PeriodFields,
)


def _divisions_for(user) -> list[Division]:
    """The divisions a user may choose: every one for trust-wide roles, their own for a divisional manager."""
    divisions = Division.objects.order_by("name").only("pk", "code", "name")
    if not can(user, Permission.SEE_TRUST_CASES):
        divisions = divisions.filter(pk__in=user.divisions.values("pk"))
    return list(divisions)


@require_GET
def reports_index(request):
    require_reports(request.user)
    return render(request, "reporting/index.html", {"trust_wide": can(request.user, Permission.SEE_TRUST_CASES)})


@require_GET
def dashboard_page(request):
    user = request.user
    require_reports(user)
    today = timezone.localdate()
    asked = request.GET.copy()
    if not asked.get("start") and not asked.get("end"):
        # This quarter, shown in the date boxes as the browser sends dates.
        this_quarter = periods.quarter(today)
        asked["start"], asked["end"] = this_quarter.start.isoformat(), this_quarter.end.isoformat()
    form = DashboardFilterForm(
        asked,
        default=periods.quarter(today),
        divisions=_divisions_for(user),
        sites=list(Site.objects.order_by("name").only("pk", "code", "name")),
    )
    board = None
    if form.is_valid():
        scope = Scope(
            division=form.cleaned_data["division"], site=form.cleaned_data["site"], kind=form.cleaned_data["kind"]
        )
        board = dashboard(user, scope, form.cleaned_data["period"], today=today)
    kept = request.GET.copy()
    for name in ("start", "end"):
        kept.pop(name, None)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "board": board,
            "today": today,
            "choices": periods.quick_choices(today),
            "kept_filters": kept.urlencode(),
        },
    )


# --- Committee reports ----------------------------------------------------------------------------


def _period_form(request, kind: str, today, *, data=None, initial=None):
    """The question a committee report asks. The ids carry the kind: the three forms share one page."""
    shared = {"data": data, "initial": initial, "auto_id": f"{kind}-%s"}
    if kind == CommitteeReportKind.ANNUAL:
        return AnnualReportForm(today=today, **shared)
    if kind == CommitteeReportKind.DIVISIONAL:
        return DivisionalFeedbackForm(
            default=periods.month(today).previous(), divisions=_divisions_for(request.user), **shared
        )
    return PeriodFields(default=periods.quarter(today).previous(), **shared)


def _chooser_forms(request, today, *, bound=None) -> dict:
    """The three forms of the committee reports page, unbound but for the one that came back with errors."""
    last_quarter = periods.quarter(today).previous()
    last_month = periods.month(today).previous()
    last_year = periods.financial_year(today).previous()
    # As the browser's date box sends them (YYYY-MM-DD), so that it shows them.
    initial = {
        CommitteeReportKind.BOARD: {"start": last_quarter.start.isoformat(), "end": last_quarter.end.isoformat()},
        CommitteeReportKind.ANNUAL: {"year": periods.financial_year_name(last_year.start)},
        CommitteeReportKind.DIVISIONAL: {"start": last_month.start.isoformat(), "end": last_month.end.isoformat()},
    }
    forms = {kind: _period_form(request, kind, today, initial=values) for kind, values in initial.items()}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _kind(kind: str) -> str:
    if kind not in CommitteeReportKind.values:
        raise Http404("There is no such report.")
    return kind


@require_GET
def committee_index(request):
    require_reports(request.user)
    today = timezone.localdate()
    return render(
        request,
        "reporting/committee_index.html",
        {"forms": _chooser_forms(request, today), "trust_wide": can(request.user, Permission.SEE_TRUST_CASES)},
    )


def _report_for(request, kind: str, today):
    """The report asked for, or (None, the chooser page with the errors) when the question was not answered well."""
    user = request.user
    require_reports(user)
    form = _period_form(request, kind, today, data=request.GET)
    if not form.is_valid():
        page = render(
            request,
            "reporting/committee_index.html",
            {
                "forms": _chooser_forms(request, today, bound=(kind, form)),
                "trust_wide": can(user, Permission.SEE_TRUST_CASES),
                "failed": kind,
            },
        )
        return None, page
    division = form.cleaned_data.get("division")
    if kind == CommitteeReportKind.DIVISIONAL:
        require_division(user, division)
    else:
        require_trust_wide(user, f"see the {CommitteeReportKind(kind).label.lower()}")
        division = None
    report = committee_report(user, kind=kind, period=form.cleaned_data["period"], division=division, today=today)
    return report, None


@require_http_methods(["GET", "POST"])
def committee_report_page(request, kind):
    kind = _kind(kind)
    today = timezone.localdate()
    report, refused = _report_for(request, kind, today)
    if refused is not None:
        return refused
    may_write = can(request.user, Permission.WRITE_REPORT_COMMENTARY)
    commentary = report.commentary
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("Your role cannot write the commentary of reports.")
        form = CommentaryForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                services.save_commentary(
                    kind=kind,
                    period=report.period,
                    division=report.division,
                    actor=request.user,
                    expected_version=values.pop("version"),
                    **values,
                )
            except (ValidationError, StaleEdit) as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, "The commentary is saved: the PDF and Word documents now include it.")
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    else:
        form = CommentaryForm(
            initial={
                "version": commentary.version if commentary else 0,
                **{
                    name: getattr(commentary, name)
                    for name in (*services.COMMENTARY_FIELDS, "ombudsman_referrals")
                    if commentary
                },
            }
        )
    return render(
        request,
        "reporting/committee.html",
        {
            "report": report,
            "form": form,
            "may_write": may_write,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def committee_download(request, kind, file_format):
    kind = _kind(kind)
    today = timezone.localdate()
    report, refused = _report_for(request, kind, today)
    if refused is not None:
        return refused
    if file_format == "pdf":
        content, content_type, extension = documents.pdf_of(report), documents.PDF_TYPE, "pdf"
    elif file_format == "word":
        content, content_type, extension = documents.word_of(report), documents.WORD_TYPE, "docx"
    else:
        raise Http404("Reports come as PDF or Word.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(report, extension)}"'
    return response
