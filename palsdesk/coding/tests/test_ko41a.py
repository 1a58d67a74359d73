"""KO41a's calendar: collection years, the year a case is coded in, and age at receipt."""

import datetime

import pytest

from palsdesk.coding import ko41a

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2026, 11, 21), "2026-27"),
        (D(2026, 4, 1), "2026-27"),
        (D(2026, 3, 31), "2025-26"),
        (D(2027, 1, 1), "2026-27"),
        (D(1999, 12, 31), "1999-00"),
        (D(2000, 4, 1), "2000-01"),
    ],
)
def test_the_collection_year_is_the_nhs_financial_year_of_the_day(day, year):
    assert ko41a.collection_year(day) == year


@pytest.mark.parametrize(
    ("text", "valid"),
    [("2025-26", True), ("1999-00", True), ("2025-27", False), ("2025/26", False), ("2016", False), ("", False)],
)
def test_a_collection_year_is_written_like_2025_26(text, valid):
    assert ko41a.is_collection_year(text) is valid


@pytest.mark.parametrize(
    ("case_year", "loaded", "year"),
    [
        ("2025-26", ["2025-26"], "2025-26"),
        ("2026-27", ["2025-26"], "2025-26"),  # no list yet for the case's year: the latest before it
        ("2026-27", ["2024-25", "2025-26", "2027-28"], "2025-26"),
        ("2027-28", ["2025-26", "2027-28"], "2027-28"),
        ("2023-24", ["2025-26", "2027-28"], "2025-26"),  # before the first list: the earliest there is
        ("2025-26", [], None),
    ],
)
def test_a_case_is_coded_with_its_years_lists_or_the_nearest_loaded(case_year, loaded, year):
    assert ko41a.coding_year(case_year, loaded) == year


@pytest.mark.parametrize(
    ("born_on", "on", "age"),
    [
        (D(2000, 11, 21), D(2026, 11, 21), 26),
        (D(2000, 11, 22), D(2026, 11, 21), 25),
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
        (D(2026, 11, 1), D(2026, 11, 21), 0),
    ],
)
def test_age_is_counted_in_whole_years(born_on, on, age):
    assert ko41a.age_in_years(born_on, on) == age
