"""How a time of day is read, and when a meeting's notes and follow-up letter are due."""

import datetime

import pytest

from palsdesk.deadlines.working_days import england
from palsdesk.meetings import rules


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("14:30", datetime.time(14, 30)),
        ("14.30", datetime.time(14, 30)),
        ("9:05", datetime.time(9, 5)),
        ("09:05", datetime.time(9, 5)),
        (" 2:30pm ", datetime.time(14, 30)),
        ("2pm", datetime.time(14, 0)),
        ("12am", datetime.time(0, 0)),
        ("12pm", datetime.time(12, 0)),
        ("10:15 AM", datetime.time(10, 15)),
        ("0:00", datetime.time(0, 0)),
    ],
)
def test_a_time_of_day_is_read_as_people_type_it(typed, time):
    assert rules.time_of_day(typed) == time


@pytest.mark.parametrize("typed", ["", "14", "24:00", "10:60", "13pm", "0am", "half two", "10:5", "10:30:00"])
def test_anything_that_is_not_clearly_a_time_is_refused(typed):
    with pytest.raises(rules.NotATime):
        rules.time_of_day(typed)


@pytest.mark.parametrize(
    ("held_on", "notes_due_on", "follow_up_due_on"),
    [
        # A Tuesday: a week later for the notes, a fortnight for the letter.
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 8), datetime.date(2026, 12, 15)),
        # Friday 18 December: Christmas Day and the Boxing Day substitute (Monday 28th) are skipped.
        (datetime.date(2026, 12, 18), datetime.date(2026, 12, 29), datetime.date(2027, 1, 6)),
        # Thursday before Easter 2027: Good Friday and Easter Monday are skipped.
        (datetime.date(2027, 3, 25), datetime.date(2027, 4, 5), datetime.date(2027, 4, 12)),
    ],
)
def test_notes_are_due_5_and_the_letter_10_working_days_after_the_meeting(held_on, notes_due_on, follow_up_due_on):
    calendar = england()

    assert rules.notes_due_on(held_on, calendar=calendar) == notes_due_on
    assert rules.follow_up_due_on(held_on, calendar=calendar) == follow_up_due_on


def test_a_time_in_england_is_gmt_in_winter_and_bst_in_summer():
    assert rules.in_england(datetime.date(2026, 12, 1), datetime.time(10)).utcoffset() == datetime.timedelta(0)
    assert rules.in_england(datetime.date(2027, 6, 1), datetime.time(10)).utcoffset() == datetime.timedelta(hours=1)
