"""The daily report's one question: which day to show it as on."""

from django import forms


class IsoDateInput(forms.DateInput):
    # The browser's own date box sends YYYY-MM-DD, the same as a link to ?date=2026-11-20.
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ReportDateForm(forms.Form):
    date = forms.DateField(
        label="Show the report as on",
        input_formats=["%Y-%m-%d"],
        widget=IsoDateInput(),
        error_messages={
            "required": "Enter the date to show the report as on, like 2026-11-20.",
            "invalid": "Enter a real date as year, month and day, like 2026-11-20.",
        },
    )
