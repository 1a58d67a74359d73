"""The daily report reads the database a fixed number of times, however many cases each section holds."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import linked_references
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/reports/daily/"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 30, tzinfo=datetime.UTC), tick=False):
        yield


def fill_every_section(count: int, *, divisions, actor) -> None:
    """`count` cases in each list of the report, spread over divisions and sites, each with its people."""
    held = HoldReason.objects.get(code="awaiting-consent")
    for number in range(count):
        division, site = divisions[number % len(divisions)], SiteFactory()
        make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 23), division=division, site=site, actor=actor)
        make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 16), division=division, site=site, actor=actor)
        make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 18), division=division, actor=actor)
        make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 9), division=division, actor=actor)
        on_hold = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 9), division=division, actor=actor)
        deadline_services.put_on_hold(on_hold, reason=held, started_on=D(2026, 11, 13), actor=actor)


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["coordinator", "divisional_manager"])
def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(client, viewer, capsys):
    divisions = [DivisionFactory(), DivisionFactory()]
    user = coordinator() if viewer == "coordinator" else divisional_manager(divisions=divisions)
    actor = officer()
    client.force_login(user)
    fill_every_section(3, divisions=divisions, actor=actor)
    client.get(URL)
    few = queries_for(client)

    fill_every_section(12, divisions=divisions, actor=actor)
    many = queries_for(client)

    assert len(linked_references(client.get(URL))) == 15 * 5
    assert many == few
    with capsys.disabled():
        print(f"\n{URL} as {viewer}: {few} queries with 3 cases in each list, {many} with 15")
