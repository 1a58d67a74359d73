"""The data quality page: each kind of coding gap listed under its division, filters, scope, and a fixed cost a page."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import approver, auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.cases import services
from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import assert_refused, page_text, text_of
from palsdesk.coding.models import CaseIssue, TaxonomyKind
from palsdesk.coding.selectors import GapKind
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
RECEIVED_ON = D(2026, 11, 2)
TO_RESPONSE = (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW, Status.RESPONSE_SENT)
DATA_QUALITY = reverse("coding:data_quality")


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def lead():
    return coordinator()


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(code="SURG", name="Surgery")


def a_case(kind, actor, *, division, to=(), born=True) -> Case:
    """A case moved through `to` by the services, its patient born in 1950 unless born=False."""
    made = make_case(
        kind=kind,
        division=division,
        received_on=RECEIVED_ON,
        actor=actor,
        complainant=person_details(date_of_birth=D(1950, 5, 1) if born else None),
        complainant_is_patient=True,
    )
    for status in to:
        if status == Status.RESPONSE_SENT and kind == Kind.COMPLAINT:
            sign_off_response(made)
        made = services.move_case(made, to=status, actor=actor, reason="For the test")
    return made


def left_behind(case, **values) -> CaseIssue:
    """An issue as an import or an older version could have left it: the services would refuse it."""
    values = {
        "subject": code(TaxonomyKind.SUBJECT, "communications"),
        "service_area": code(TaxonomyKind.SERVICE_AREA, "acute-inpatient"),
    } | values
    return CaseIssue.objects.create(case=case, order=case.issues.count() + 1, **values)


@pytest.fixture
def seeded(lead, medicine, surgery) -> dict[str, tuple[GapKind, str]]:
    """One case for each kind of gap, made through the services wherever they allow the gap: reference -> (gap,
    division). Cases with complete coding are seeded beside them, and must not be listed."""
    expected = {}

    closed = a_case(Kind.COMPLAINT, lead, division=medicine, to=TO_RESPONSE)
    add_coded_issue(closed, actor=lead, outcome=Outcome.UPHELD)
    closed = services.move_case(closed, to=Status.CLOSED, actor=lead)
    CaseIssue.objects.filter(case=closed).update(outcome="")
    Case.objects.filter(pk=closed.pk).update(outcome="")
    expected[closed.reference] = (GapKind.CLOSED_WITHOUT_OUTCOME, "Medicine")

    no_issues = a_case(Kind.COMPLAINT, lead, division=medicine, to=TO_RESPONSE[:1])
    expected[no_issues.reference] = (GapKind.NO_ISSUES, "Medicine")

    no_service_area = a_case(Kind.PALS_CONCERN, lead, division=surgery)
    left_behind(no_service_area, service_area=None)
    expected[no_service_area.reference] = (GapKind.NO_SERVICE_AREA, "Surgery")

    no_profession = a_case(Kind.COMPLAINT, lead, division=surgery, to=TO_RESPONSE[:2])
    left_behind(no_profession)
    expected[no_profession.reference] = (GapKind.NO_PROFESSION, "Surgery")

    no_subcategory = a_case(Kind.MP_LETTER, lead, division=surgery)
    left_behind(no_subcategory, subject=code(TaxonomyKind.SUBJECT, "clinical-treatment"))
    expected[no_subcategory.reference] = (GapKind.NO_CLINICAL_SUBCATEGORY, "Surgery")

    no_reason = a_case(Kind.MP_LETTER, lead, division=medicine)
    left_behind(no_reason, outcome=Outcome.NOT_INVESTIGATED)
    Case.objects.filter(pk=no_reason.pk).update(outcome=Outcome.NOT_INVESTIGATED)
    expected[no_reason.reference] = (GapKind.NO_REASON, "Medicine")

    inconsistent = a_case(Kind.COMPLAINT, lead, division=medicine, to=TO_RESPONSE[:2])
    add_coded_issue(inconsistent, actor=lead, outcome=Outcome.UPHELD)
    add_coded_issue(inconsistent, actor=lead, subject="waiting-times", outcome=Outcome.NOT_UPHELD)
    Case.objects.filter(pk=inconsistent.pk).update(outcome=Outcome.UPHELD)
    expected[inconsistent.reference] = (GapKind.OUTCOME_INCONSISTENT, "Medicine")

    no_age = a_case(Kind.COMPLAINT, lead, division=surgery, to=TO_RESPONSE[:1], born=False)
    add_coded_issue(no_age, actor=lead)
    expected[no_age.reference] = (GapKind.PATIENT_AGE_UNKNOWN, "Surgery")

    resolved_concern = a_case(Kind.PALS_CONCERN, lead, division=surgery, to=[Status.RESOLVED])
    expected[resolved_concern.reference] = (GapKind.NO_SUBJECT, "Surgery")

    complete = a_case(Kind.COMPLAINT, lead, division=medicine, to=TO_RESPONSE)
    add_coded_issue(complete, actor=lead, outcome=Outcome.NOT_UPHELD)
    services.move_case(complete, to=Status.CLOSED, actor=lead)
    a_case(Kind.COMPLAINT, lead, division=surgery, born=False)  # just received: not yet to be coded
    return expected


def listed(response) -> dict[str, dict]:
    """Each row of the list: its division and the kinds and words of its gaps, by case reference."""
    rows = {}
    html = response.content.decode()
    for reference, row in re.findall(
        r'<tr class="nhsuk-table__row" id="gaps-([A-Z]{3}-\d{4}-\d{5})">(.*?)</tr>', html, re.S
    ):
        cells = re.findall(r'<td class="nhsuk-table__cell">(.*?)</td>', row, re.S)
        rows[reference] = {
            "division": text_of(re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", cells[1])),
            "gaps": set(re.findall(r'data-gap="(\w+)"', row)),
            "words": [text_of(item) for item in re.findall(r"<li [^>]*>(.*?)</li>", row, re.S)],
        }
    return rows


def counts(response) -> dict[str, int]:
    html = response.content.decode()
    found = re.findall(
        r'<tr class="nhsuk-table__row" id="division-\w+">\s*<th[^>]*>(.*?)</th>\s*<td[^>]*>(\d+)</td>', html
    )
    return {text_of(name): int(number) for name, number in found}


class TestEachGapIsListed:
    def test_each_kind_of_gap_is_listed_on_its_case_under_its_division(self, client, lead, seeded):
        client.force_login(lead)
        response = client.get(DATA_QUALITY)
        rows = listed(response)
        assert set(rows) == set(seeded)
        for reference, (gap, division) in seeded.items():
            assert rows[reference]["division"] == division, reference
            assert rows[reference]["gaps"] == {gap.value}, reference
        assert {gap for gap, _ in seeded.values()} == set(GapKind)

    def test_the_gaps_are_said_in_words(self, client, lead, seeded):
        client.force_login(lead)
        words = {word for row in listed(client.get(DATA_QUALITY)).values() for word in row["words"]}
        assert "Issue 1 (Clinical treatment): no clinical sub-category." in words
        assert "The patient's date of birth is missing: their age band is unknown." in words

    def test_the_counts_give_each_divisions_cases_with_gaps(self, client, lead, seeded):
        client.force_login(lead)
        response = client.get(DATA_QUALITY)
        assert counts(response) == {"Medicine": 4, "Surgery": 5}
        assert "All 9" in page_text(response)

    def test_the_list_runs_by_division(self, client, lead, seeded):
        client.force_login(lead)
        divisions = [row["division"] for row in listed(client.get(DATA_QUALITY)).values()]
        assert divisions == sorted(divisions)

    @pytest.mark.parametrize("gap", list(GapKind))
    def test_filtering_by_a_kind_of_gap_lists_exactly_the_cases_with_it(self, client, lead, seeded, gap):
        client.force_login(lead)
        rows = listed(client.get(DATA_QUALITY, {"gap": gap.value}))
        assert set(rows) == {reference for reference, (kind, _) in seeded.items() if kind == gap}
        assert all(gap.value in row["gaps"] for row in rows.values())

    def test_filtering_by_division(self, client, lead, seeded):
        client.force_login(lead)
        rows = listed(client.get(DATA_QUALITY, {"division": "SURG"}))
        assert set(rows) == {reference for reference, (_, division) in seeded.items() if division == "Surgery"}
        assert 'href="?division=SURG"' in client.get(DATA_QUALITY).content.decode()

    def test_a_filter_not_on_the_list_is_refused_in_the_error_summary(self, client, lead, seeded):
        client.force_login(lead)
        response = client.get(DATA_QUALITY, {"gap": "no_biscuits", "division": "NOPE"})
        assert_refused(response, says="Choose what is missing from the list.")
        assert_refused(response, says="Choose a division from the list.")
        assert listed(response) == {}


class TestWhoSeesWhat:
    def test_a_divisional_manager_sees_only_their_divisions_cases(self, client, seeded, surgery):
        client.force_login(divisional_manager(divisions=[surgery]))
        response = client.get(DATA_QUALITY)
        assert {row["division"] for row in listed(response).values()} == {"Surgery"}
        assert counts(response) == {"Surgery": 5}
        assert listed(client.get(DATA_QUALITY, {"division": "MED"})) == {}

    @pytest.mark.parametrize("role", [officer, auditor, approver])
    def test_trust_wide_roles_see_every_division(self, client, seeded, role):
        client.force_login(role())
        assert set(listed(client.get(DATA_QUALITY))) == set(seeded)

    def test_a_volunteer_gets_403_and_no_link(self, client, medicine):
        client.force_login(volunteer(divisions=[medicine]))
        assert client.get(DATA_QUALITY).status_code == 403
        assert 'href="/data-quality/"' not in client.get(reverse("cases:my_work")).content.decode()

    def test_the_navigation_links_to_it_and_marks_it_current(self, client, lead):
        client.force_login(lead)
        assert 'href="/data-quality/"' in client.get(reverse("cases:my_work")).content.decode()
        html = client.get(DATA_QUALITY).content.decode()
        assert 'href="/data-quality/" aria-current="page">Data quality</a>' in html

    def test_signing_in_is_needed(self, client):
        assert client.get(DATA_QUALITY).url.startswith("/sign-in/")


class TestTheCost:
    def _broken(self, count: int, *, actor, division) -> None:
        for number in range(count):
            case = a_case(Kind.COMPLAINT, actor, division=division, to=TO_RESPONSE[:1], born=number % 2 == 0)
            left_behind(case)
            add_coded_issue(case, actor=actor, subject="clinical-treatment", clinical_subcategory="anaesthetics")

    def test_a_page_reads_the_database_a_fixed_number_of_times_however_many_cases(
        self, client, lead, medicine, surgery, capsys
    ):
        client.force_login(lead)
        self._broken(3, actor=lead, division=medicine)

        def queries(**filters) -> int:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(DATA_QUALITY, filters)
            assert response.status_code == 200
            return len(captured)

        few = queries()
        filtered_few = queries(division="MED", gap="no_profession")
        self._broken(9, actor=lead, division=surgery)
        assert queries() == few
        assert queries(division="MED", gap="no_profession") == filtered_few
        with capsys.disabled():
            print(f"\n/data-quality/: {few} queries with 3 cases, and with 12")

    def test_the_list_is_paged_fifty_at_a_time(self, client, lead, medicine, monkeypatch):
        from palsdesk.coding import views

        monkeypatch.setattr(views, "DATA_QUALITY_PAGE_SIZE", 2)
        self._broken(5, actor=lead, division=medicine)
        client.force_login(lead)
        first = client.get(DATA_QUALITY, {"gap": "no_profession"})
        assert len(listed(first)) == 2
        assert "5 cases; page 1 of 3." in page_text(first)
        assert 'href="?gap=no_profession&amp;page=2"' in first.content.decode()
        last = client.get(DATA_QUALITY, {"gap": "no_profession", "page": 3})
        assert len(listed(last)) == 1
