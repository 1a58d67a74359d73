"""The working-day calendar page: administrators add and remove non-working days, and the deadlines that span them move.

Views parse input, call one service, and render. Only administrators may see the page: the role is
checked before any input is read.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.core.dates import weekday_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.deadlines import services
from palsdesk.deadlines.forms import NonWorkingDayForm, RemoveDayForm, YearForm
from palsdesk.deadlines.models import NonWorkingDay
from palsdesk.deadlines.selectors import CALENDAR_FIRST, CALENDAR_LAST


def _require_administrator(request) -> None:
    if not can(request.user, Permission.ADMINISTER):
        raise PermissionDenied("Only administrators can change the working-day calendar.")


def _moved(count: int) -> str:
    if count == 0:
        return "No open case's deadlines moved."
    if count == 1:
        return "1 open case's deadlines moved."
    return f"{count} open cases' deadlines moved."


def _calendar_url(year: int) -> str:
    return f"{reverse('deadlines:calendar')}?year={year}"


@require_http_methods(["GET", "POST"])
def calendar(request):
    _require_administrator(request)
    today = timezone.localdate()
    year_form = YearForm(request.GET or None, initial={"year": today.year})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else today.year
    form = NonWorkingDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added, moved = services.add_non_working_day(actor=request.user, **form.cleaned_data)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(
                request, f"{weekday_date(added.date)} is no longer a working day: {added.name}. {_moved(moved)}"
            )
            return redirect(_calendar_url(added.date.year))
    days = NonWorkingDay.objects.filter(date__year=year).select_related("created_by")
    return render(
        request,
        "deadlines/calendar.html",
        {
            "year": year,
            "year_form": year_form,
            "previous_year": year - 1 if year > CALENDAR_FIRST.year else None,
            "next_year": year + 1 if year < CALENDAR_LAST.year else None,
            "days": days,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def remove_day(request, day_id: int):
    _require_administrator(request)
    closed_day = get_object_or_404(NonWorkingDay, pk=day_id)
    form = RemoveDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        when, name = closed_day.date, closed_day.name
        try:
            moved = services.remove_non_working_day(closed_day, reason=form.cleaned_data["reason"], actor=request.user)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"{weekday_date(when)} is a working day again (it was {name}). {_moved(moved)}")
            return redirect(_calendar_url(when.year))
    return render(request, "deadlines/remove_day.html", {"day": closed_day, "form": form})
