"""England's working days: weekends, Christmas Day, Good Friday and bank holidays are not working days."""

import datetime

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from palsdesk.deadlines import rules
from palsdesk.deadlines.working_days import OutsideCalendar, WorkingDayCalendar

D = datetime.date
FIRST, LAST = D(2015, 1, 1), D(2035, 12, 31)


@pytest.fixture(scope="module")
def england() -> WorkingDayCalendar:
    closed = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST.year, LAST.year + 1))
    return WorkingDayCalendar(closed, first=FIRST, last=LAST)


@pytest.mark.parametrize(
    ("day", "is_working"),
    [
        (D(2026, 12, 25), False),  # Christmas Day, Friday
        (D(2026, 12, 28), False),  # Boxing Day falls on Saturday: substitute Monday
        (D(2026, 12, 29), True),
        (D(2027, 12, 27), False),  # Christmas Day on Saturday: substitute Monday
        (D(2027, 12, 28), False),  # Boxing Day on Sunday: substitute Tuesday
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 5, 4), False),  # Early May bank holiday
        (D(2026, 5, 25), False),  # Spring bank holiday
        (D(2026, 8, 31), False),  # Summer bank holiday
        (D(2026, 11, 21), False),  # a Saturday
        (D(2026, 11, 23), True),  # an ordinary Monday
        (D(2022, 9, 19), False),  # state funeral of Queen Elizabeth II, a one-off bank holiday
        (D(2023, 5, 8), False),  # coronation of King Charles III
    ],
)
def test_england_working_days(england, day, is_working):
    assert england.is_working_day(day) is is_working


@pytest.mark.parametrize(
    ("received", "acknowledgement_due"),
    [
        (D(2026, 11, 20), D(2026, 11, 25)),  # Friday: Monday, Tuesday, Wednesday
        (D(2026, 11, 21), D(2026, 11, 25)),  # Saturday counts from that day: still the Wednesday
        (D(2026, 12, 23), D(2026, 12, 30)),  # skips Christmas Day and the Boxing Day substitute
        (D(2026, 4, 2), D(2026, 4, 9)),  # Thursday before Easter: skips Good Friday and Easter Monday
        (D(2026, 5, 4), D(2026, 5, 7)),  # received on the early May bank holiday itself
        (D(2027, 12, 24), D(2027, 12, 31)),  # skips the Monday and Tuesday substitutes
    ],
)
def test_acknowledgement_is_due_three_working_days_after_receipt(england, received, acknowledgement_due):
    assert rules.acknowledgement_due_on(england, received) == acknowledgement_due


def test_zero_working_days_is_the_start_itself(england):
    assert england.add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 21)


def test_counting_back_skips_the_same_days(england):
    assert england.add_working_days(D(2026, 12, 30), -1) == D(2026, 12, 29)
    assert england.add_working_days(D(2026, 12, 29), -1) == D(2026, 12, 24)
    assert england.add_working_days(D(2026, 12, 26), -1) == D(2026, 12, 24)


def test_a_date_outside_the_calendar_is_refused_with_the_years_it_covers(england):
    with pytest.raises(OutsideCalendar, match="2015–2035"):
        england.add_working_days(D(2036, 1, 1), 3)


days = st.dates(min_value=D(2015, 1, 1), max_value=D(2034, 12, 31))


@given(start=days, n=st.integers(min_value=1, max_value=250))
def test_adding_then_counting_gives_back_n(england, start, n):
    assert england.working_days_between(start, england.add_working_days(start, n)) == n


@given(start=days, n=st.integers(min_value=1, max_value=250))
def test_the_result_is_always_a_working_day_after_the_start(england, start, n):
    due = england.add_working_days(start, n)
    assert england.is_working_day(due)
    assert due > start


@given(start=days, n=st.integers(min_value=1, max_value=250))
def test_adding_steps_one_working_day_at_a_time(england, start, n):
    assert england.add_working_days(england.add_working_days(start, n), 1) == england.add_working_days(start, n + 1)


@given(a=days, b=days)
def test_counting_is_antisymmetric(england, a, b):
    assert england.working_days_between(a, b) == -england.working_days_between(b, a)
