"""The questions the dashboard and committee reports ask: which period, division, site and kind; and the commentary."""

import datetime

from django import forms

from palsdesk.cases.models import Kind
from palsdesk.core.forms import TextField
from palsdesk.deadlines.selectors import CALENDAR_FIRST, CALENDAR_LAST
from palsdesk.organisation.models import Division, Site
from palsdesk.reporting.forms import IsoDateInput
from palsdesk.reporting.periods import Period, financial_year, financial_year_name, financial_year_named
from palsdesk.reporting.services import COMMENTARY_MAX_CHARACTERS, MAX_OMBUDSMAN_REFERRALS

# Long enough for five financial years side by side; beyond it the run charts would be unreadable.
MAX_PERIOD_DAYS = 5 * 366


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=IsoDateInput(),
        error_messages={"invalid": f"Enter the {label.lower()} as a real date, like 2026-10-01."},
    )


def _code_choices(items, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((item.code, item.name) for item in items)]


class PeriodFields(forms.Form):
    """From and to dates, checked to make a period the working-day calendar can count."""

    start = _date_field("From")
    end = _date_field("To")

    def __init__(self, *args, default: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and end is None:
            start, end = self.default.start, self.default.end
        elif start is None:
            self.add_error("start", "Enter the date the period starts from, like 2026-10-01.")
        elif end is None:
            self.add_error("end", "Enter the date the period runs to, like 2026-12-31.")
        if start and end:
            if end < start:
                self.add_error("end", "The end of the period must be on or after its start.")
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("end", "Choose a period of 5 years or less.")
            # The previous period must fit the calendar too, so both ends are checked with room for it.
            elif start - (end - start) - datetime.timedelta(days=1) < CALENDAR_FIRST or end > CALENDAR_LAST:
                self.add_error(
                    "start",
                    f"Choose dates from {CALENDAR_FIRST.year + 1} to {CALENDAR_LAST.year}: "
                    "the working-day calendar covers only those years.",
                )
        if not self.errors:
            cleaned["period"] = Period(start, end)
        return cleaned


class DashboardFilterForm(PeriodFields):
    division = forms.ChoiceField(
        label="Division", required=False, error_messages={"invalid_choice": "Choose a division from the list."}
    )
    site = forms.ChoiceField(
        label="Site", required=False, error_messages={"invalid_choice": "Choose a site from the list."}
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Every kind"), *Kind.choices],
        error_messages={"invalid_choice": "Choose a kind of case from the list."},
    )

    def __init__(self, *args, divisions: list[Division], sites: list[Site], **kwargs):
        super().__init__(*args, **kwargs)
        self.divisions = {division.code: division for division in divisions}
        self.sites = {site.code: site for site in sites}
        self.fields["division"].choices = _code_choices(divisions, "Every division")
        self.fields["site"].choices = _code_choices(sites, "Every site")

    def clean(self):
        cleaned = super().clean()
        cleaned["division"] = self.divisions.get(cleaned.get("division") or "")
        cleaned["site"] = self.sites.get(cleaned.get("site") or "")
        return cleaned


class DivisionalFeedbackForm(PeriodFields):
    division = forms.ChoiceField(
        label="Division",
        error_messages={
            "required": "Choose the division the feedback is for.",
            "invalid_choice": "Choose a division from the list.",
        },
    )

    def __init__(self, *args, divisions: list[Division], **kwargs):
        super().__init__(*args, **kwargs)
        self.divisions = {division.code: division for division in divisions}
        self.fields["division"].choices = _code_choices(divisions, "Choose a division")

    def clean(self):
        cleaned = super().clean()
        cleaned["division"] = self.divisions.get(cleaned.get("division") or "")
        return cleaned


def financial_year_choices(today: datetime.date) -> list[tuple[str, str]]:
    """Every financial year the calendar covers up to this one, latest first."""
    names = []
    year = financial_year(today).start
    while year.year > CALENDAR_FIRST.year:
        names.append(financial_year_name(year))
        year = year.replace(year=year.year - 1)
    return [(name, name) for name in names]


class AnnualReportForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year (1 April to 31 March)",
        error_messages={
            "required": "Choose the financial year of the report.",
            "invalid_choice": "Choose a financial year from the list, like 2025-26.",
        },
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = financial_year_choices(today)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year"):
            cleaned["period"] = financial_year_named(cleaned["year"])
        return cleaned


class CommentaryForm(forms.Form):
    # 0 until the first save: a form opened before then is stale once a colleague has saved.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "Reload the page and make your change again.",
            "invalid": "Reload the page and make your change again.",
        },
    )
    themes = TextField("What the themes show", COMMENTARY_MAX_CHARACTERS, rows=5)
    notable_cases = TextField("Notable cases", COMMENTARY_MAX_CHARACTERS, rows=5)
    general_importance = TextField("Matters of general importance", COMMENTARY_MAX_CHARACTERS, rows=5)
    actions_taken = TextField("Actions taken to improve services", COMMENTARY_MAX_CHARACTERS, rows=5)
    ombudsman_referrals = forms.IntegerField(
        label="Complaints referred to the Ombudsman",
        required=False,
        min_value=0,
        max_value=MAX_OMBUDSMAN_REFERRALS,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of complaints referred as a whole number, such as 3.",
            "min_value": "Enter the number of complaints referred as a whole number, such as 3.",
            "max_value": "Enter the number of complaints referred as a whole number, such as 3.",
        },
    )
