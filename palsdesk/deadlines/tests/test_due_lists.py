"""Overdue and due-soon lists read indexed date columns: one query whatever the number of cases, and an index plan.

The plan test needs PostgreSQL (its planner is what production runs) and a few thousand rows, so
that a sequential scan would be the cheaper choice if the index were missing: about a second.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.cases.models import Case, Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.deadlines import selectors
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


LISTS = {
    "overdue": lambda cases: selectors.overdue(cases, today=TODAY),
    "due today": lambda cases: selectors.due_today(cases, today=TODAY),
    "due soon": lambda cases: selectors.due_soon(cases, today=TODAY),
    "due within 10": lambda cases: selectors.due_within(cases, today=TODAY, working_days=10),
    "acknowledgements due": lambda cases: selectors.acknowledgements_due(cases, on_or_before=TODAY),
    "responses due": lambda cases: selectors.responses_due(cases, on_or_before=TODAY),
    "on hold": selectors.on_hold,
}


def _queries_for(make_list) -> int:
    selectors.working_day_calendar()  # the calendar is built once per process, not per list
    with CaptureQueriesContext(connection) as captured:
        list(make_list(Case.objects.all()))
    return len(captured)


@pytest.mark.parametrize("name", list(LISTS))
def test_each_list_is_one_query_whatever_the_number_of_cases(name):
    division = DivisionFactory()
    for received in (D(2026, 10, 1), D(2026, 11, 16), D(2026, 11, 20)):
        make_case(kind=Kind.COMPLAINT, division=division, received_on=received)
    few = _queries_for(LISTS[name])
    for day in range(1, 13):
        make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 10, day))
    assert _queries_for(LISTS[name]) == few


def test_the_lists_hold_the_right_cases():
    division = DivisionFactory()
    late = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 10, 1))  # acknowledgement 6 Oct
    soon = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=D(2026, 11, 16))  # due 23 Nov
    today = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=D(2026, 11, 13))  # due 20 Nov
    finished = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=D(2026, 10, 1))
    from palsdesk.cases import services

    services.move_case(finished, to=Status.RESOLVED, actor=finished.created_by)
    everything = Case.objects.all()
    assert set(selectors.overdue(everything, today=TODAY)) == {late}
    assert set(selectors.due_today(everything, today=TODAY)) == {today}
    assert set(selectors.due_soon(everything, today=TODAY)) == {today, soon}
    assert set(selectors.acknowledgements_due(everything, on_or_before=TODAY)) == {late}
    assert set(selectors.responses_due(everything, on_or_before=TODAY)) == {late, today}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_every_list_is_planned_on_an_index_at_scale():
    division = DivisionFactory()
    template = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 11, 16), with_people=False)
    # Five thousand finished cases and a handful of open ones, as in a real table: written directly,
    # because only the row shapes matter to the planner here.
    finished = [
        Case(
            reference=f"COM-2019-{n:05d}",
            kind=Kind.COMPLAINT,
            status=Status.CLOSED,
            channel=template.channel,
            received_on=D(2019, 1, 1) + datetime.timedelta(days=n % 700),
            summary="Closed long ago",
            division=division,
            acknowledgement_due_on=D(2019, 1, 4),
            acknowledged_on=D(2019, 1, 3),
            response_due_on=D(2019, 2, 6),
            responded_on=D(2019, 2, 1),
            closed_on=D(2019, 2, 2),
        )
        for n in range(5000)
    ]
    Case.objects.bulk_create(finished, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    for name, make_list in LISTS.items():
        plan = make_list(Case.objects.all()).explain()
        assert "Seq Scan on cases_case" not in plan, f"{name}: {plan}"
        assert "Index" in plan, f"{name}: {plan}"
