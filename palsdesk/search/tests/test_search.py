"""Search finds a case by its words, its notes, its people's names and NHS numbers; never one the user may not see.

Run on SQLite (the plain fallback) and on PostgreSQL (the search documents, full text and trigrams).
What only PostgreSQL does (close spellings, documents kept up to date) is marked and skipped on SQLite.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer, volunteer
from palsdesk.cases import selectors, services
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import SCRIPT
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.services import PersonDetails, update_person
from palsdesk.people.tests.factories import person_details, valid_nhs_number
from palsdesk.search import selectors as search
from palsdesk.search.models import SearchDocument

pytestmark = pytest.mark.django_db

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Close spellings (pg_trgm) and the search documents are PostgreSQL's; SQLite's fallback matches exactly.",
)


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def caseworker(medicine):
    return officer(divisions=[medicine])


@pytest.fixture
def okafor(medicine, caseworker):
    case = make_case(
        division=medicine,
        actor=caseworker,
        summary="Cancelled hip operation twice",
        account="The second time she had fasted since midnight.",
        complainant=person_details(first_name="Grace", last_name="Okafor", nhs_number="943 476 5919"),
        complainant_is_patient=True,
    )
    services.add_note(
        case, body="Family asked whether a wheelchair can be booked for the journey home.", actor=caseworker
    )
    return case


@pytest.fixture
def smith(medicine, caseworker):
    return make_case(
        division=medicine,
        actor=caseworker,
        summary="Waited nine hours in A&E with no update",
        complainant=person_details(first_name="John", last_name="Smith", nhs_number=valid_nhs_number(7)),
        complainant_is_patient=True,
    )


def found(user, query: str) -> list:
    return list(selectors.search_cases(selectors.cases_visible_to(user), query))


class TestWhatFindsACase:
    def test_a_word_in_a_timeline_note(self, caseworker, okafor, smith):
        assert found(caseworker, "wheelchair") == [okafor]

    def test_a_word_in_the_complainants_account(self, caseworker, okafor, smith):
        assert found(caseworker, "fasted") == [okafor]

    @pytest.mark.parametrize("query", ["943 476", "9434765919", "943-476-5919", "4765919", "5919"])
    def test_a_partial_nhs_number(self, caseworker, okafor, smith, query):
        assert found(caseworker, query) == [okafor]

    def test_three_digits_are_too_few_to_search_an_nhs_number_by(self, caseworker, okafor):
        assert found(caseworker, "943") == []

    @pytest.mark.parametrize("query", ["Okafor", "okaf", "Grace Okafor", "GRACE"])
    def test_a_name_or_the_start_of_one(self, caseworker, okafor, smith, query):
        assert found(caseworker, query) == [okafor]

    @requires_postgresql
    @pytest.mark.parametrize(("query", "case"), [("Okafur", "okafor"), ("Smyth", "smith"), ("Okafour", "okafor")])
    def test_a_misspelt_surname(self, caseworker, okafor, smith, query, case):
        assert found(caseworker, query) == [{"okafor": okafor, "smith": smith}[case]]

    @requires_postgresql
    def test_close_spellings_are_looked_for_only_when_nothing_is_spelt_as_written(self, caseworker, medicine, smith):
        smyth = make_case(
            division=medicine,
            actor=caseworker,
            complainant=person_details(first_name="Jane", last_name="Smyth"),
            complainant_is_patient=True,
        )
        assert found(caseworker, "Smyth") == [smyth]
        assert set(found(caseworker, "Smeth")) == {smith, smyth}

    @requires_postgresql
    def test_the_start_of_a_word_in_a_note(self, caseworker, okafor, smith):
        assert found(caseworker, "wheelch") == [okafor]

    @requires_postgresql
    def test_an_english_word_in_another_form(self, caseworker, okafor, smith):
        assert found(caseworker, "wheelchairs") == [okafor]
        assert found(caseworker, "cancelling") == [okafor]

    def test_every_word_must_be_found_somewhere_in_the_case_or_its_people(self, caseworker, okafor, smith):
        assert found(caseworker, "wheelchair Okafor") == [okafor]
        assert found(caseworker, "wheelchair Smith") == []

    def test_the_summary_ranks_above_a_note(self, caseworker, medicine, okafor):
        in_summary = make_case(division=medicine, actor=caseworker, summary="No wheelchair at the main entrance")
        assert found(caseworker, "wheelchair") == [in_summary, okafor]

    def test_words_found_nowhere_find_nothing(self, caseworker, okafor, smith):
        assert found(caseworker, "zebra") == []


class TestNeverACaseTheUserMayNotSee:
    def test_a_manager_of_another_division(self, okafor, surgery):
        assert found(divisional_manager(divisions=[surgery]), "Okafor") == []
        assert found(divisional_manager(divisions=[surgery]), "wheelchair") == []

    def test_a_restricted_case_is_found_only_by_the_people_named_on_it(self, medicine, caseworker):
        raised_by = officer(divisions=[medicine])
        restricted = make_case(
            kind=Kind.COMPLAINT,
            division=medicine,
            actor=raised_by,
            summary="Wheelchair not provided for a member of staff",
            is_staff_complainant=True,
        )
        assert restricted.is_restricted
        assert found(caseworker, "wheelchair") == []
        assert found(coordinator(), "wheelchair") == []
        assert found(raised_by, "wheelchair") == [restricted]

    def test_a_volunteer_finds_only_what_they_logged(self, medicine, okafor):
        helper = volunteer()
        mine = make_case(division=medicine, actor=helper, summary="Wheelchair left in the car park")
        assert found(helper, "wheelchair") == [mine]


class TestTheCaseListSearchBox:
    def test_results_are_marked_where_the_words_were_found_and_escaped(self, client, caseworker, okafor, medicine):
        services.add_note(okafor, body=f"Wheelchair booked. {SCRIPT}", actor=caseworker)
        client.force_login(caseworker)
        page = client.get(reverse("cases:list"), {"q": "wheelchair"}).content.decode()
        assert "<mark>wheelchair</mark>" in page or "<mark>Wheelchair</mark>" in page
        assert "<script>alert(1)</script>" not in page
        assert "best match first" in page

    def test_a_search_that_finds_nothing_says_so(self, client, caseworker, okafor):
        client.force_login(caseworker)
        response = client.get(reverse("cases:list"), {"q": "zebra"})
        assert response.status_code == 200
        assert "No cases match." in response.content.decode()

    def test_a_name_found_is_marked_with_its_nhs_number(self, client, caseworker, okafor):
        client.force_login(caseworker)
        page = client.get(reverse("cases:list"), {"q": "4765919"}).content.decode()
        assert "<mark>943 476 5919</mark>" in page

    def test_a_search_finding_more_cases_than_are_ranked_says_so(self, client, caseworker, medicine, monkeypatch):
        monkeypatch.setattr(search, "RANKED_MATCHES", 3)
        for number in range(4):
            make_case(division=medicine, actor=caseworker, summary=f"Wheelchair {number} needed")
        client.force_login(caseworker)
        page = " ".join(client.get(reverse("cases:list"), {"q": "wheelchair"}).content.decode().split())
        assert "More cases may match: these are the 3 newest that do." in page
        assert page.count("<mark>Wheelchair</mark>") == 3
        assert "Wheelchair</mark> 0 needed" not in page  # the oldest is the one left out

    def test_the_queries_do_not_grow_with_the_cases_found(self, client, caseworker, medicine):
        client.force_login(caseworker)
        url = reverse("cases:list") + "?q=wheelchair"

        def add(count):
            for number in range(count):
                case = make_case(division=medicine, actor=caseworker, summary=f"Case {number}")
                services.add_note(case, body="Needs a wheelchair to get to clinic.", actor=caseworker)

        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        add(12)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert response.content.decode().count("<mark>") >= 15
        assert len(many) == len(few)


@requires_postgresql
class TestTheSearchDocumentsKeepUp:
    def test_a_renamed_person_is_found_by_the_new_name(self, caseworker, okafor):
        person = okafor.parties.first().person
        update_person(person, details=PersonDetails(first_name="Grace", last_name="Adeyemi"), actor=caseworker)
        assert found(caseworker, "Adeyemi") == [okafor]
        assert found(caseworker, "Okafor") == []

    def test_a_changed_summary_is_found_by_its_new_words(self, caseworker, okafor):
        services.update_case_details(okafor, actor=caseworker, summary="Knee operation postponed")
        assert found(caseworker, "knee") == [okafor]
        assert found(caseworker, "hip") == []

    def test_every_case_has_a_document(self, okafor, smith):
        assert SearchDocument.objects.count() == 2
        assert "okafor" in SearchDocument.objects.get(case=okafor).names

    def test_the_documents_can_be_built_again_from_nothing(self, caseworker, okafor, smith):
        SearchDocument.objects.all().delete()
        assert found(caseworker, "wheelchair") == []
        call_command("rebuild_search_index")
        assert found(caseworker, "wheelchair") == [okafor]
        assert found(caseworker, "Smyth") == [smith]


class TestParsingTheQuery:
    @pytest.mark.parametrize(
        ("query", "terms"),
        [
            ("943 476 5919", search.Terms(digits="9434765919")),
            ("  Wheelchair   ramp ", search.Terms(words=("wheelchair", "ramp"))),
            ("O'Brien", search.Terms(words=("o'brien",))),
            ("ramp ramp", search.Terms(words=("ramp",))),
            ("12", search.Terms(words=("12",))),
            ("!!!", search.Terms()),
        ],
    )
    def test_words_and_nhs_numbers_are_told_apart(self, query, terms):
        assert search.parse(query) == terms
