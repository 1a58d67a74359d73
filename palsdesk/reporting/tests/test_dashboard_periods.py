"""Reporting periods: their names, the period before, the months of a run chart, and the median of a tally."""

import datetime

import pytest

from palsdesk.reporting import periods
from palsdesk.reporting.measures import median_of_counts
from palsdesk.reporting.periods import Period

D = datetime.date


@pytest.mark.parametrize(
    ("period", "name"),
    [
        (Period(D(2026, 11, 1), D(2026, 11, 30)), "November 2026"),
        (Period(D(2026, 10, 1), D(2026, 12, 31)), "Q3 2026-27"),
        (Period(D(2027, 1, 1), D(2027, 3, 31)), "Q4 2026-27"),
        (Period(D(2026, 4, 1), D(2026, 6, 30)), "Q1 2026-27"),
        (Period(D(2026, 4, 1), D(2027, 3, 31)), "2026-27"),
        # Three whole months that are not a financial quarter, and odd days, are named by their dates.
        (Period(D(2026, 5, 1), D(2026, 7, 31)), "1 May 2026 to 31 July 2026"),
        (Period(D(2026, 10, 1), D(2026, 11, 23)), "1 October 2026 to 23 November 2026"),
    ],
)
def test_a_period_is_named_as_the_team_names_it(period, name):
    assert period.name == name


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # Whole months: the same number of months before, whatever their lengths.
        (Period(D(2026, 3, 1), D(2026, 3, 31)), Period(D(2026, 2, 1), D(2026, 2, 28))),
        (Period(D(2026, 10, 1), D(2026, 12, 31)), Period(D(2026, 7, 1), D(2026, 9, 30))),
        (Period(D(2026, 4, 1), D(2027, 3, 31)), Period(D(2025, 4, 1), D(2026, 3, 31))),
        (Period(D(2026, 1, 1), D(2026, 1, 31)), Period(D(2025, 12, 1), D(2025, 12, 31))),
        # Odd days: the same number of days just before.
        (Period(D(2026, 11, 16), D(2026, 11, 22)), Period(D(2026, 11, 9), D(2026, 11, 15))),
    ],
)
def test_the_period_before_is_as_long_and_ends_the_day_before(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("day", "quarter", "year"),
    [
        (D(2026, 11, 23), Period(D(2026, 10, 1), D(2026, 12, 31)), Period(D(2026, 4, 1), D(2027, 3, 31))),
        (D(2027, 3, 31), Period(D(2027, 1, 1), D(2027, 3, 31)), Period(D(2026, 4, 1), D(2027, 3, 31))),
        (D(2026, 4, 1), Period(D(2026, 4, 1), D(2026, 6, 30)), Period(D(2026, 4, 1), D(2027, 3, 31))),
    ],
)
def test_quarters_and_years_are_the_nhs_financial_ones(day, quarter, year):
    assert periods.quarter(day) == quarter
    assert periods.financial_year(day) == year


def test_a_financial_year_is_found_by_its_name_and_a_wrong_name_is_refused():
    assert periods.financial_year_named("2025-26") == Period(D(2025, 4, 1), D(2026, 3, 31))
    for wrong in ("2025-27", "2025/26", "25-26", ""):
        with pytest.raises(ValueError):
            periods.financial_year_named(wrong)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(D(2026, 11, 2), D(2026, 11, 1))


def test_a_run_chart_shows_the_twelve_months_to_the_end_of_a_short_period_and_the_whole_of_a_long_one():
    assert periods.quarter(D(2026, 11, 1)).trend_months()[0] == D(2026, 1, 1)
    assert periods.quarter(D(2026, 11, 1)).trend_months()[-1] == D(2026, 12, 1)
    two_years = Period(D(2024, 4, 1), D(2026, 3, 31))
    assert len(two_years.trend_months()) == 24
    assert two_years.trend_months()[0] == D(2024, 4, 1)


def test_the_quick_choices_are_this_and_last_month_quarter_and_year():
    choices = {choice.label: choice.period.name for choice in periods.quick_choices(D(2026, 11, 23))}
    assert choices == {
        "This month": "November 2026",
        "Last month": "October 2026",
        "This quarter": "Q3 2026-27",
        "Last quarter": "Q2 2026-27",
        "This financial year": "2026-27",
        "Last financial year": "2025-26",
    }


def test_a_period_still_running_counts_to_today():
    assert periods.quarter(D(2026, 11, 23)).to_date(D(2026, 11, 23)) == D(2026, 11, 23)
    assert periods.month(D(2026, 10, 1)).to_date(D(2026, 11, 23)) == D(2026, 10, 31)


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({7: 1}, 7),
        ({1: 1, 5: 1, 7: 1, 13: 1}, 6),  # an even number: the mean of the middle two
        ({3: 2, 10: 1}, 3),
        ({2: 1, 4: 1, 9: 2}, 6.5),
        ({0: 5, 20: 4}, 0),
    ],
)
def test_the_median_of_a_tally_is_the_middle_value_of_the_values_it_counts(counts, median):
    assert median_of_counts(counts) == median
