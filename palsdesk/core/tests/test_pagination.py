"""Long lists are counted exactly while that is cheap, estimated (and said to be) beyond, and paged only so deep."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.cases.models import Case
from palsdesk.cases.tests.factories import make_case
from palsdesk.core import pagination
from palsdesk.core.pagination import BoundedPaginator

pytestmark = pytest.mark.django_db

on_postgresql = connection.vendor == "postgresql"


@pytest.fixture
def cases(division, caseworker):
    for number in range(12):
        make_case(division=division, actor=caseworker, summary=f"Case {number}", with_people=False)
    return Case.objects.order_by("-pk")


def test_a_list_no_longer_than_the_limit_is_counted_exactly(cases, monkeypatch):
    # A freshly filled test table has no statistics, so PostgreSQL's own guess could be anything.
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 12 if on_postgresql else None)
    paginator = BoundedPaginator(cases, 5, exact_up_to=12)
    assert paginator.count == 12
    assert not paginator.is_estimate and not paginator.is_lower_bound
    assert paginator.num_pages == 3


def test_counting_reads_no_further_than_the_limit(cases, monkeypatch):
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 12)  # not ten times the limit: counted
    with CaptureQueriesContext(connection) as queries:
        BoundedPaginator(cases, 5, exact_up_to=4).count  # noqa: B018 (the count is what is measured)
    [count] = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert "LIMIT 5" in count


def test_a_list_the_planner_expects_to_be_huge_is_not_counted_at_all(cases, monkeypatch):
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 1_000_000)
    with CaptureQueriesContext(connection) as queries:
        paginator = BoundedPaginator(cases, 5, exact_up_to=4)
        assert paginator.count == 1_000_000
    assert paginator.is_estimate
    assert not [q for q in queries if "COUNT(" in q["sql"]]


def test_a_planner_estimate_near_the_limit_is_checked_by_counting(cases, monkeypatch):
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 30)
    paginator = BoundedPaginator(cases, 5, exact_up_to=20)
    assert paginator.count == 12
    assert not paginator.is_estimate


@pytest.mark.skipif(on_postgresql, reason="SQLite has no planner estimate to give.")
def test_beyond_the_limit_sqlite_says_only_more_than(cases):
    paginator = BoundedPaginator(cases, 5, exact_up_to=4)
    assert paginator.count == 4
    assert paginator.is_lower_bound and not paginator.is_estimate


@pytest.mark.skipif(not on_postgresql, reason="The estimate comes from PostgreSQL's planner (EXPLAIN).")
def test_beyond_the_limit_postgresql_estimates_from_its_statistics(cases):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    paginator = BoundedPaginator(cases, 5, exact_up_to=4)
    assert paginator.is_estimate
    assert 5 <= paginator.count <= 50  # the planner's guess for 12 rows, not a count


def test_only_the_first_rows_can_be_paged_to(cases):
    paginator = BoundedPaginator(cases, 5, exact_up_to=100, max_rows=10)
    assert paginator.num_pages == 2
    assert paginator.is_cut_short
    assert paginator.get_page(9).number == 2  # a page too deep shows the last that can be shown


def test_a_list_known_to_be_empty_is_counted_without_asking(cases):
    paginator = BoundedPaginator(cases.filter(pk__in=[]), 5)
    assert paginator.count == 0
    assert paginator.get_page(1).object_list.count() == 0


def test_a_list_of_rows_already_read_is_counted_as_it_is():
    assert BoundedPaginator([1, 2, 3], 2).count == 3


class TestTheCaseList:
    def test_a_long_list_says_its_count_is_not_exact(self, client, cases, caseworker, monkeypatch):
        monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 4)
        monkeypatch.setattr(pagination, "PAGED_ROWS", 100)
        client.force_login(caseworker)
        page = " ".join(client.get(reverse("cases:list")).content.decode().split())
        if on_postgresql:
            assert "an estimate, as counting every one would slow this page" in page
        else:
            assert "more than 4 cases" in page
        assert "Page 1 of" in page

    def test_a_list_deeper_than_can_be_paged_asks_for_narrower_filters(self, client, cases, caseworker, monkeypatch):
        monkeypatch.setattr(pagination, "PAGED_ROWS", 50)
        for _ in range(46):
            make_case(division=cases.first().division, actor=caseworker, with_people=False)
        client.force_login(caseworker)
        page = " ".join(client.get(reverse("cases:list")).content.decode().split())
        assert "Only the first 1 page can be shown: narrow the filters" in page
        assert "58 cases" in page

    def test_a_short_list_gives_its_exact_count(self, client, cases, caseworker):
        client.force_login(caseworker)
        page = " ".join(client.get(reverse("cases:list")).content.decode().split())
        assert "Page 1 of 1 (12 cases)" in page
