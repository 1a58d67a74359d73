"""What the KO41a pages ask: the financial year, the quarter or the whole year, the site, and a figure's box."""

import datetime

from django import forms

from palsdesk.core.forms import needed_by_service
from palsdesk.reporting.returns import ko41a

QUARTER_CHOICES = [
    ("", "The whole year"),
    *((str(number), f"Q{number}: {months}") for number, months in ko41a.QUARTER_MONTHS.items()),
]


class Ko41aForm(forms.Form):
    """The period of the return (validated by ko41a.parse_year and parse_quarter) and, for the page, a site."""

    year = needed_by_service(forms.CharField(label="Financial year", widget=forms.Select))
    quarter = forms.ChoiceField(
        label="Period",
        required=False,
        choices=QUARTER_CHOICES,
        error_messages={"invalid_choice": "Choose a quarter from 1 to 4, or the whole year."},
    )
    site = forms.ChoiceField(
        label="Organisation or site",
        required=False,
        error_messages={"invalid_choice": "Choose the whole organisation or one of its sites from the list."},
    )

    def __init__(self, *args, today: datetime.date, years: list[str], sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # Their blank choices are answers (the whole year, the whole organisation): not marked optional.
        self.fields["quarter"].is_needed = True
        self.fields["site"].is_needed = True
        asked = (self.data.get("year") or "").strip() if self.is_bound else ""
        if asked and asked not in years and ko41a.parse_year_or_none(asked, today=today):
            years = sorted({*years, asked}, reverse=True)
        self.fields["year"].widget.choices = [(year, year) for year in years]
        self.fields["site"].choices = [
            ("", "The whole organisation"),
            *((site.code, f"{site.name} ({site.code})") for site in sites),
            (ko41a.NO_SITE_COLUMN, "No site recorded"),
        ]

    def clean_year(self) -> str:
        try:
            return ko41a.parse_year(self.cleaned_data.get("year"), today=self.today)
        except ko41a.BadPeriod as bad:
            raise forms.ValidationError(bad.message) from None

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and "quarter" in cleaned:
            try:
                cleaned["quarter"] = ko41a.parse_quarter(cleaned["quarter"], year=year, today=self.today)
            except ko41a.BadPeriod as bad:
                self.add_error("quarter", bad.message)
        return cleaned

    @property
    def period(self) -> ko41a.Period:
        return ko41a.period_of(self.cleaned_data["year"], self.cleaned_data.get("quarter"))


class Ko41aCasesForm(Ko41aForm):
    """The figure whose cases to list: its box as the page links it ("subject:communications")."""

    box = forms.CharField(max_length=120, error_messages={"required": "Choose a figure of the return to list."})
