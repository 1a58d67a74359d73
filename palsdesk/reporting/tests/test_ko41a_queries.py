"""The KO41a page, its cases, its files and the API read the database a fixed number of times, however many cases."""

import datetime
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.organisation.tests.factories import SiteFactory
from palsdesk.reporting.tests.ko41a_factories import FOR_THEM, NOBODY, PATIENT, complaint, investigate, issue, respond

pytestmark = pytest.mark.django_db

D = datetime.date
QUARTER_DAYS = (D(2025, 5, 1), D(2025, 8, 1), D(2025, 11, 3), D(2026, 2, 2))
SUBJECTS = itertools.cycle(
    [
        ("communications", None),
        ("clinical-treatment", "surgical-group"),
        ("waiting-times", None),
        ("clinical-treatment", "accident-and-emergency"),
    ]
)
PROFESSIONS = itertools.cycle([("medical",), ("nursing-midwifery-health-visiting", "support-staff"), ("other",)])
OUTCOMES = itertools.cycle(["upheld", "partially_upheld", "not_upheld"])
WHO = itertools.cycle([PATIENT, FOR_THEM, NOBODY])


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def fill(count: int, *, sites, actor) -> None:
    """`count` complaints made in each quarter, over the sites, with one or two coded issues; every third answered."""
    for number in range(count):
        for quarter, day in enumerate(QUARTER_DAYS):
            case = complaint(
                received_on=day,
                actor=actor,
                site=sites[(number + quarter) % len(sites)],
                born_on=D(1980 - number * 13 % 80, 1 + number % 12, 1),
                who=next(WHO),
            )
            outcome = next(OUTCOMES)
            for _ in range(1 + number % 2):
                subject, subcategory = next(SUBJECTS)
                issue(
                    case,
                    actor,
                    subject,
                    "acute-inpatient",
                    next(PROFESSIONS),
                    clinical_subcategory=subcategory,
                    outcome=outcome,
                )
            if number % 3 == 0:
                respond(investigate(case, actor, on=day), actor, on=day + datetime.timedelta(days=20))


def queries_for(client, address, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, query)
    assert response.status_code == 200
    return len(queries)


ADDRESSES = [
    (reverse("reporting:ko41a"), {"year": "2025-26"}),
    (reverse("reporting:ko41a"), {"year": "2025-26", "quarter": "2", "site": "RQ001"}),
    (reverse("reporting:ko41a_cases"), {"year": "2025-26", "box": "subject:communications"}),
    (reverse("reporting:ko41a_cases"), {"year": "2025-26", "box": "age:age-18-64"}),
    (reverse("reporting:ko41a_download", args=["csv"]), {"year": "2025-26"}),
    (reverse("reporting:ko41a_download", args=["xlsx"]), {"year": "2025-26"}),
]


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(client, capsys):
    actor = coordinator()
    sites = [SiteFactory(code="RQ001"), SiteFactory(code="RQ002"), SiteFactory(code="RQ003")]
    client.force_login(coordinator())
    api = APIClient()
    api.force_authenticate(coordinator())
    fill(2, sites=sites, actor=actor)
    few = [queries_for(client, address, query) for address, query in ADDRESSES]
    few.append(queries_for(api, "/api/v1/reports/ko41a/", {"year": "2025-26"}))

    fill(10, sites=sites, actor=actor)
    many = [queries_for(client, address, query) for address, query in ADDRESSES]
    many.append(queries_for(api, "/api/v1/reports/ko41a/", {"year": "2025-26"}))

    assert many == few
    with capsys.disabled():
        for (address, query), count in zip([*ADDRESSES, ("/api/v1/reports/ko41a/", {})], few, strict=True):
            print(f"\n{address} {query}: {count} queries with 8 complaints, the same with 48")


def test_a_return_failing_its_checks_costs_a_query_per_check_however_many_cases_fail_it(client):
    actor = coordinator()
    client.force_login(actor)
    address, query = reverse("reporting:ko41a"), {"year": "2025-26"}
    # Not yet coded, and no site: the subject, profession and every-box checks fail.
    for day in range(1, 3):
        complaint(received_on=D(2025, 5, day), actor=actor, born_on=D(1970, 1, 1))
    few = queries_for(client, address, query)

    for day in range(3, 23):
        complaint(received_on=D(2025, 5, day), actor=actor, born_on=D(1970, 1, 1))
    many = queries_for(client, address, query)

    assert many == few
