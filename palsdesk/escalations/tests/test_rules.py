"""A deadline given as a number of days falls on the right day, counted as the request says."""

import datetime

import pytest

from palsdesk.deadlines.working_days import england
from palsdesk.escalations.rules import due_after

D = datetime.date


@pytest.mark.parametrize(
    ("asked_on", "days", "working", "due_on"),
    [
        # 28 calendar days from the day after: a Monday's request is due four weeks on (CQC regulation 16(3)).
        (D(2026, 11, 2), 28, False, D(2026, 11, 30)),
        (D(2026, 11, 20), 1, False, D(2026, 11, 21)),  # calendar days may end on a Saturday
        (D(2026, 11, 20), 1, True, D(2026, 11, 23)),  # a working day after a Friday is the Monday
        (D(2026, 11, 2), 10, True, D(2026, 11, 16)),
        # Christmas Day, and Monday 28 December as the substitute for Boxing Day, are not working days.
        (D(2026, 12, 22), 5, True, D(2026, 12, 31)),
        (D(2026, 12, 22), 5, False, D(2026, 12, 27)),
        # Good Friday and Easter Monday 2027.
        (D(2027, 3, 25), 2, True, D(2027, 3, 31)),
    ],
)
def test_a_period_runs_from_the_day_after_the_request(asked_on, days, working, due_on):
    assert due_after(asked_on, days, working=working, calendar=england()) == due_on


def test_a_period_is_at_least_a_day():
    with pytest.raises(ValueError, match="at least one day"):
        due_after(D(2026, 11, 2), 0, working=False, calendar=england())
