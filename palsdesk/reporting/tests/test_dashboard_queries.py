"""The dashboard and the committee reports read the database a fixed number of times, however many cases there are."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory

pytestmark = pytest.mark.django_db

D = datetime.date
SUBJECTS = ("communications", "appointments", "patient-care", "waiting-times", "values-and-behaviours")
HCAT = ("communication", "safety", "quality", "listening")


@pytest.fixture(autouse=True)
def _late_november():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def fill(count: int, *, divisions, actor, start: int = 0) -> None:
    """`count` cases over the last two quarters: every kind, site, division, theme, and each clock met or missed."""
    kinds = (Kind.COMPLAINT, Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY, Kind.MP_LETTER)
    for number in range(start, start + count):
        received = D(2026, 7, 1) + datetime.timedelta(days=(number * 11) % 140)
        case = make_case(
            kind=kinds[number % len(kinds)],
            received_on=received,
            division=divisions[number % len(divisions)],
            site=SiteFactory(),
            actor=actor,
        )
        add_coded_issue(
            case,
            subject=SUBJECTS[number % len(SUBJECTS)],
            hcat_category=code(TaxonomyKind.HCAT_CATEGORY, HCAT[number % len(HCAT)]),
            hcat_severity=1,
            hcat_harm=number % 5,
        )
        if case.kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            case_services.move_case(
                case, to=Status.ACKNOWLEDGED, on=received + datetime.timedelta(days=number % 6), actor=actor
            )
        elif case.kind in (Kind.PALS_CONCERN, Kind.ENQUIRY):
            case_services.move_case(
                case, to=Status.RESOLVED, on=received + datetime.timedelta(days=number % 9), actor=actor
            )


def queries_for(client, url: str, query: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["coordinator", "divisional_manager"])
def test_the_dashboard_reads_the_same_number_of_times_however_many_cases(client, viewer, capsys):
    divisions = [DivisionFactory(), DivisionFactory(), DivisionFactory()]
    user = coordinator() if viewer == "coordinator" else divisional_manager(divisions=divisions[:2])
    actor = officer()
    client.force_login(user)
    fill(4, divisions=divisions, actor=actor)
    client.get("/reports/dashboard/")  # the working-day calendar is read and cached once
    few = queries_for(client, "/reports/dashboard/")

    fill(26, divisions=divisions, actor=actor, start=4)
    many = queries_for(client, "/reports/dashboard/")
    filtered = queries_for(
        client, "/reports/dashboard/", {"kind": "complaint", "start": "2026-07-01", "end": "2026-11-30"}
    )

    assert many == few
    # With a kind chosen, one more query counts every kind received (compliments against complaints).
    assert filtered == few + 1
    with capsys.disabled():
        print(f"\n/reports/dashboard/ as {viewer}: {few} queries with 4 cases, {many} with 30")


def test_a_committee_report_reads_the_same_number_of_times_however_many_cases(client, capsys):
    divisions = [DivisionFactory(), DivisionFactory()]
    actor = officer()
    client.force_login(coordinator())
    url, query = "/reports/committee/board/", {"start": "2026-07-01", "end": "2026-09-30"}
    # Five cases, so that there is a notable one (the MP letter reporting major harm) and its issues are fetched.
    fill(5, divisions=divisions, actor=actor)
    client.get(url, query)
    few = queries_for(client, url, query)
    fill(20, divisions=divisions, actor=actor, start=5)
    many = queries_for(client, url, query)
    assert many == few
    with capsys.disabled():
        print(f"\n{url} (Board report page): {few} queries with 5 cases, {many} with 25")
