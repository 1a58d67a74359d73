"""Report pages. Each parses its input, calls one selector (which starts from cases_visible_to) and renders."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from palsdesk.accounts.permissions import Permission, can
from palsdesk.deadlines.selectors import CALENDAR_FIRST, CALENDAR_LAST
from palsdesk.deadlines.working_days import OutsideCalendar
from palsdesk.reporting import selectors
from palsdesk.reporting.forms import ReportDateForm


def may_see_daily_report(user) -> bool:
    # Staff who see cases across the trust or a division; a volunteer sees only what they logged.
    return can(user, Permission.SEE_TRUST_CASES) or can(user, Permission.SEE_DIVISION_CASES)


@require_GET
def daily_report(request):
    if not may_see_daily_report(request.user):
        raise PermissionDenied("Your role cannot see the daily report.")
    today = timezone.localdate()
    asked = request.GET.copy()
    if not asked.get("date"):
        asked["date"] = today.isoformat()
    form = ReportDateForm(asked)
    report = None
    if form.is_valid():
        try:
            report = selectors.daily_report(request.user, on=form.cleaned_data["date"])
        except OutsideCalendar:
            form.add_error(
                "date",
                f"Enter a date from {CALENDAR_FIRST.year} to {CALENDAR_LAST.year}: "
                "the working-day calendar covers only those years.",
            )
    return render(request, "reporting/daily.html", {"form": form, "report": report, "today": today})
