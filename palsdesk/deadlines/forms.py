"""Web forms for the working-day calendar. They parse what was typed; deadlines.services checks it."""

from django import forms

from palsdesk.core.forms import DateField, TextField, needed_by_service
from palsdesk.deadlines import services
from palsdesk.deadlines.models import NonWorkingDay
from palsdesk.deadlines.selectors import CALENDAR_FIRST, CALENDAR_LAST


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        choices=[(year, year) for year in range(CALENDAR_FIRST.year, CALENDAR_LAST.year + 1)],
        error_messages={"invalid_choice": "Choose a year from the list."},
    )


class NonWorkingDayForm(forms.Form):
    day = needed_by_service(DateField(label="Date", help_text="A weekday. For example, 24 12 2026"))
    name = needed_by_service(TextField("Name", 120, help_text="For example, Christmas Eve closure."))
    kind = needed_by_service(
        forms.ChoiceField(
            label="What kind of day is it?",
            choices=NonWorkingDay.Kind.choices,
            widget=forms.RadioSelect,
            initial=NonWorkingDay.Kind.TRUST_CLOSURE,
            help_text="A trust closure day moves the trust's own targets only; a bank holiday moves every clock.",
            error_messages={"invalid_choice": "Choose a bank holiday or a trust closure day."},
        )
    )
    reason = needed_by_service(
        TextField("Why it is added", services.TEXT_LIMIT, rows=2, help_text="Kept on the audit trail.")
    )


class RemoveDayForm(forms.Form):
    reason = needed_by_service(
        TextField(
            "Why it is a working day again",
            services.TEXT_LIMIT,
            rows=3,
            help_text="Kept on the audit trail, and on the timeline of each case whose deadlines move.",
        )
    )
