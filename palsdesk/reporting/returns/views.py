"""The KO41a pages: the return for a year or quarter, its CSV and Excel files, and the cases behind each figure.

Only roles that see the whole trust's cases may see them (may_see_ko41a); each page parses its question with
one form, calls the selectors and renders. Lists of cases start from cases_visible_to(user).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from palsdesk.cases.models import Case, Kind
from palsdesk.cases.selectors import cases_visible_to, for_listing
from palsdesk.organisation.models import Site
from palsdesk.reporting.returns import export, ko41a, selectors
from palsdesk.reporting.returns.forms import Ko41aCasesForm, Ko41aForm
from palsdesk.reporting.returns.ko41a import ORGANISATION

CASES_PAGE_SIZE = 50
FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def require_ko41a(user) -> None:
    if not selectors.may_see_ko41a(user):
        raise PermissionDenied(
            "Only roles that see the whole trust's cases can see the KO41a return: it is the organisation's return."
        )


def _form(form_class, request, *, sites=()):
    """The question asked, for last year's return unless a year is given."""
    today = timezone.localdate()
    asked = request.GET.copy()
    if "year" not in asked:
        asked["year"] = ko41a.last_ended_year(today)
    earliest = Case.objects.filter(kind=Kind.COMPLAINT).aggregate(first=Min("received_on"))["first"]
    return form_class(asked, today=today, years=ko41a.years_up_to(today, earliest=earliest), sites=sites)


@dataclass(frozen=True)
class Cell:
    value: int
    url: str


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


def cases_url(*, period: ko41a.Period, box: str, column: str) -> str:
    query = {"year": period.year, "box": box}
    if period.quarter:
        query["quarter"] = period.quarter
    if column:
        query["site"] = column
    return f"{reverse('reporting:ko41a_cases')}?{urlencode(query)}"


def _cells(the_return, box: str, column: str, periods) -> list[Cell]:
    return [
        Cell(the_return.value(box, column, period), cases_url(period=period, box=box, column=column))
        for period in periods
    ]


def section_rows(the_return, section: ko41a.Section, column: str) -> list[Row]:
    """A row a box, each figure linked to its cases, and the section's total.

    The total of sections 3 and 4 is the new complaints, so it links to them; the totals of sections 5 to 8
    count a complaint once in each box it is in, so no one list of cases is behind them (url "").
    """
    periods = the_return.periods_shown
    rows = [Row(box.label, _cells(the_return, box.key, column, periods)) for box in section.boxes]
    if section.key != ko41a.SUMMARY and section.boxes:
        is_per_complaint = section.key in (ko41a.AGE, ko41a.STATUS)
        new = ko41a.box_key(ko41a.SUMMARY, ko41a.NEW)
        totals = [
            Cell(
                sum(the_return.value(box.key, column, period) for box in section.boxes),
                cases_url(period=period, box=new, column=column) if is_per_complaint else "",
            )
            for period in periods
        ]
        rows.append(Row("Total" if is_per_complaint else "Total entries", totals, is_total=True))
    return rows


def _site_rows(the_return) -> list[Row]:
    """Section 1: each site's summary for the period asked, as columns Brought forward … Carried forward."""
    shown = (ko41a.BROUGHT_FORWARD, ko41a.NEW, ko41a.RESOLVED, ko41a.CARRIED_FORWARD)
    rows = []
    for site in (*the_return.sites, None):
        column = site.key if site else ORGANISATION
        label = f"{site.name} ({site.code})" if site and site.code else (site.name if site else "Whole organisation")
        cells = [
            Cell(
                the_return.value(ko41a.box_key(ko41a.SUMMARY, code), column),
                cases_url(period=the_return.period, box=ko41a.box_key(ko41a.SUMMARY, code), column=column),
            )
            for code in shown
        ]
        rows.append(Row(label, cells, is_total=site is None))
    return rows


@require_GET
def ko41a_page(request):
    require_ko41a(request.user)
    sites = list(Site.objects.order_by("name", "pk").only("code", "name"))
    form = _form(Ko41aForm, request, sites=sites)
    context = {"form": form, "the_return": None, "counting_rules": ko41a.COUNTING_RULES, "rules": ko41a.RULES}
    if form.is_valid():
        period = form.period
        the_return = selectors.ko41a_return(year=period.year, quarter=period.quarter, viewer=request.user)
        column = form.cleaned_data["site"] or ORGANISATION
        site_names = {site.key: site.name for site in the_return.sites}
        download = urlencode({"year": period.year, **({"quarter": period.quarter} if period.quarter else {})})
        context |= {
            "the_return": the_return,
            "column_name": site_names.get(column, "the whole organisation") if column else "the whole organisation",
            "site_rows": _site_rows(the_return),
            "sections": [(section, section_rows(the_return, section, column)) for section in the_return.sections],
            "left_out": [
                (title, Cell(count, cases_url(period=period, box=key, column=column)))
                for key, title, count in the_return.left_out(column)
            ],
            "reopened": Cell(the_return.reopened(column), cases_url(period=period, box=ko41a.REOPENED, column=column)),
            "failed_rules": {failed.failure.rule for failed in the_return.failures},
            "failures": [
                (
                    failed,
                    site_names.get(failed.failure.column, ""),
                    cases_url(period=period, box=failed.failure.cases_box, column=failed.failure.column),
                )
                for failed in the_return.failures
            ],
            "gaps": [
                (title, Cell(count, cases_url(period=period, box=key, column=ORGANISATION)))
                for key, title, count in the_return.gaps
            ],
            "download_query": download,
        }
    return render(request, "reporting/ko41a.html", context)


@require_GET
def ko41a_download(request, file_format: str):
    require_ko41a(request.user)
    if file_format not in FILE_TYPES:
        raise Http404("The return downloads as ko41a.csv or ko41a.xlsx.")
    form = _form(Ko41aForm, request)
    if not form.is_valid():
        context = {"form": form, "the_return": None, "counting_rules": ko41a.COUNTING_RULES, "rules": ko41a.RULES}
        return render(request, "reporting/ko41a.html", context, status=400)
    period = form.period
    the_return = selectors.ko41a_return(year=period.year, quarter=period.quarter, viewer=request.user)
    if file_format == "csv":
        content: bytes = export.as_csv(the_return).encode("utf-8-sig")
    else:
        content = export.as_workbook(the_return)
    response = HttpResponse(content, content_type=FILE_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(the_return, file_format)}"'
    return response


@require_GET
def ko41a_cases(request):
    """The cases behind one figure: those the user may see, a page at a time, saying how many more are counted."""
    require_ko41a(request.user)
    sites = list(Site.objects.order_by("name", "pk").only("code", "name"))
    form = _form(Ko41aCasesForm, request, sites=sites)
    context = {"form": form, "page": None}
    if form.is_valid():
        period = form.period
        lists = selectors.year_lists(ko41a.financial_year(period.year))
        box = form.cleaned_data["box"]
        try:
            title = selectors.box_title(box, lists)
        except selectors.UnknownBox:
            form.add_error("box", "That figure is not in this year's return. Follow a link from the return's page.")
    if form.is_valid():
        column = form.cleaned_data["site"] or ORGANISATION
        behind = {
            "box": box,
            "period": period,
            "column": column,
            "lists": lists,
        }
        listed = selectors.cases_behind(cases_visible_to(request.user), **behind)
        counted = selectors.cases_behind(Case.objects.all(), **behind).count()
        page = Paginator(
            for_listing(listed).select_related("site"), CASES_PAGE_SIZE, allow_empty_first_page=True
        ).get_page(request.GET.get("page"))
        names = {site.code: site.name for site in sites} | {ko41a.NO_SITE_COLUMN: "No site recorded"}
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "title": title,
            "period": period,
            "column_name": names.get(column, "The whole organisation"),
            "page": page,
            "counted": counted,
            "not_listed": max(counted - page.paginator.count, 0),
            "return_url": f"{reverse('reporting:ko41a')}?{urlencode({k: v for k, v in query.items() if k != 'box'})}",
            "query_prefix": f"{query.urlencode()}&",
            "is_breakdown": ko41a.section_of(box) not in (ko41a.SUMMARY, ko41a.LEFT_OUT, "note"),
        }
    return render(request, "reporting/ko41a_cases.html", context)
