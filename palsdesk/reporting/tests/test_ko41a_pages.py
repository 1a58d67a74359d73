"""The KO41a page, its downloads and the cases behind each figure: who may see them, what they show, bad input."""

import csv
import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from palsdesk.accounts.tests.factories import (
    administrator,
    approver,
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.cases import services
from palsdesk.cases.tests.pages import problems, text_of
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory, TrustFactory
from palsdesk.reporting.returns import ko41a
from palsdesk.reporting.tests.ko41a_factories import a_year_of_complaints, complaint, issue

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = reverse("reporting:ko41a")
CASES = reverse("reporting:ko41a_cases")


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def cases(medicine):
    TrustFactory(ods_code="RZZ", name="Test Hospitals NHS Foundation Trust")
    riverside = SiteFactory(code="RIV01", name="Riverside Hospital")
    northgate = SiteFactory(code="NGT01", name="Northgate General")
    return a_year_of_complaints(coordinator(), riverside=riverside, northgate=northgate, division=medicine)


@pytest.fixture
def lead(client):
    user = coordinator()
    client.force_login(user)
    return user


def links(response) -> dict[str, str]:
    """Each figure's link on the page by its box, site and period: {(box, site, quarter): text}."""
    found = {}
    for href, text in re.findall(r'<a href="(/reports/ko41a/cases/\?[^"]+)">(.*?)</a>', response.content.decode()):
        query = parse_qs(urlparse(unescape(href)).query)
        key = (query["box"][0], query.get("site", [""])[0], query.get("quarter", [""])[0])
        # The first link of a box: the totals of sections 3 and 4 link to the new complaints too.
        found.setdefault(key, text_of(text))
    return found


def listed_references(response) -> list[str]:
    return re.findall(
        r'<a class="app-reference" href="/cases/[^"]+/">([A-Z]{3}-\d{4}-\d+)</a>', response.content.decode()
    )


@pytest.mark.parametrize("role", [coordinator, officer, approver, auditor, administrator])
def test_trust_wide_roles_see_the_return(client, role):
    client.force_login(role())

    response = client.get(PAGE, {"year": "2025-26"})

    assert response.status_code == 200
    assert "1 April 2025 to 31 March 2026" in text_of(response.content.decode())


@pytest.mark.parametrize("address", [PAGE, CASES, reverse("reporting:ko41a_download", args=["csv"])])
def test_a_divisional_manager_is_refused_even_for_their_own_division(client, address, medicine):
    client.force_login(divisional_manager(divisions=[medicine]))

    response = client.get(address, {"year": "2025-26", "box": "summary:new"})

    assert response.status_code == 403


@pytest.mark.parametrize("address", [PAGE, CASES, reverse("reporting:ko41a_download", args=["xlsx"])])
def test_a_volunteer_is_refused(client, address):
    client.force_login(volunteer())

    assert client.get(address, {"year": "2025-26", "box": "summary:new"}).status_code == 403


def test_the_page_shows_every_figure_linked_to_its_cases(client, lead, cases):
    response = client.get(PAGE, {"year": "2025-26"})

    figures = links(response)
    # Section 2 for the trust, each quarter and the year (2 + 7 − 6 = 3; the quarters as test_ko41a_return).
    assert [figures[("summary:new", "", q)] for q in ("1", "2", "3", "4")] == ["2", "1", "2", "2"]
    assert figures[("summary:new", "", "")] == "7"
    assert figures[("summary:brought_forward", "", "")] == "2"
    assert figures[("summary:carried_forward", "", "")] == "3"
    assert figures[("subject:communications", "", "")] == "2"
    assert figures[("profession:nursing-midwifery-health-visiting", "", "")] == "3"
    assert figures[("age:age-unknown", "", "3")] == "1"
    # Section 1: each site's summary.
    assert figures[("summary:new", "RIV01", "")] == "4"
    assert figures[("summary:new", "NGT01", "")] == "3"
    # The ones left out, each with its cases.
    assert figures[(ko41a.WITHDRAWN, "", "")] == "1"
    assert figures[(ko41a.REOPENED, "", "")] == "1"
    # Every box of sections 2 to 8 (7 + 6 + 3 + 12 + 11 + 22 + 7) has its link, for each quarter and the year.
    assert len([key for key in figures if key[1] == "" and key[0].partition(":")[0] in ko41a.SPEC_OF]) == 68 * 5
    page = text_of(response.content.decode())
    assert "Every check passed" in page
    assert "How this return counts" in page
    for _, rule in ko41a.COUNTING_RULES:
        assert rule in page


def test_a_site_shows_its_own_return(client, lead, cases):
    response = client.get(PAGE, {"year": "2025-26", "site": "NGT01"})

    figures = links(response)
    assert figures[("summary:new", "NGT01", "")] == "3"
    assert figures[("profession:support-staff", "NGT01", "")] == "1"
    assert "shown for Northgate General" in text_of(response.content.decode())


def test_a_quarter_shows_one_column(client, lead, cases):
    response = client.get(PAGE, {"year": "2025-26", "quarter": "2"})

    figures = links(response)
    assert figures[("summary:brought_forward", "", "2")] == "3"
    assert figures[("summary:resolved", "", "2")] == "3"
    assert not [key for key in figures if key[2] not in ("2",)]
    assert "Q2 2025-26 (July to September 2025)" in text_of(response.content.decode())


def test_without_a_year_the_page_shows_the_last_year_to_have_ended(client, lead, cases):
    response = client.get(PAGE)

    assert "1 April 2025 to 31 March 2026" in text_of(response.content.decode())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "2025-27"}, "'2025-27' is not a financial year."),
        ({"year": "2026/27"}, "'2026/27' is not a financial year."),
        ({"year": "2027-28"}, "2027-28 has not started yet. Choose 2026-27 or an earlier year."),
        ({"year": "2025-26", "quarter": "5"}, "Choose a quarter from 1 to 4, or the whole year."),
        ({"year": "2026-27", "quarter": "2"}, "Q2 2026-27 has not started yet."),
        ({"year": "2025-26", "site": "NOWHERE"}, "Choose the whole organisation or one of its sites from the list."),
    ],
)
def test_a_period_or_site_the_return_does_not_have_is_refused_with_the_error_summary(client, lead, query, message):
    response = client.get(PAGE, query)

    assert response.status_code == 200
    assert any(problem.startswith(message) for problem in problems(response)), problems(response)
    assert "Checks before it is sent" not in response.content.decode()


def test_a_failed_check_is_shown_with_its_cases(client, lead, cases):
    uncoded = complaint(received_on=D(2025, 5, 1), actor=lead, site=None, born_on=D(1970, 1, 1))

    response = client.get(PAGE, {"year": "2025-26"})

    html = response.content.decode()
    assert 'data-rule="every_box"' in html
    assert uncoded.reference in listed_references(response)
    assert "The return fails" in text_of(html)


def test_the_cases_behind_a_figure_are_listed(client, lead, cases):
    response = client.get(CASES, {"year": "2025-26", "box": "subject:communications"})

    assert response.status_code == 200
    assert listed_references(response) == [cases["four_issues"].reference, cases["reopened"].reference]
    page = text_of(response.content.decode())
    assert "Subject area: Communications" in page
    assert "The return counts 2 complaints here, each once however many of its issues are in this box." in page


def test_the_cases_of_a_site_and_quarter(client, lead, cases):
    response = client.get(CASES, {"year": "2025-26", "quarter": "1", "site": "NGT01", "box": "summary:new"})

    assert listed_references(response) == [cases["oral_for_them"].reference]


def test_restricted_cases_are_counted_but_listed_only_for_the_people_named_on_them(client, lead, cases):
    hidden = cases["four_issues"]
    services.restrict_case(hidden, named_users=[officer()], actor=coordinator())

    response = client.get(CASES, {"year": "2025-26", "box": "subject:communications"})

    assert listed_references(response) == [cases["reopened"].reference]
    page = text_of(response.content.decode())
    assert "The return counts 2 complaints here" in page
    assert "1 of them is restricted to named people and not listed here." in page
    assert links(client.get(PAGE, {"year": "2025-26"}))[("subject:communications", "", "")] == "2"


def test_the_cases_list_comes_a_page_at_a_time(client, lead, medicine):
    made = [
        complaint(received_on=D(2025, 5, 1), actor=lead, division=medicine, born_on=D(1970, 1, 1)) for _ in range(52)
    ]

    first = client.get(CASES, {"year": "2025-26", "box": "summary:new"})
    second = client.get(CASES, {"year": "2025-26", "box": "summary:new", "page": "2"})

    assert listed_references(first) == [case.reference for case in made[:50]]
    assert listed_references(second) == [case.reference for case in made[50:]]
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("box", ["subject:no-such-subject", "nonsense", "summary:everything"])
def test_a_figure_the_return_does_not_have_is_refused(client, lead, box):
    response = client.get(CASES, {"year": "2025-26", "box": box})

    assert problems(response) == ["That figure is not in this year's return. Follow a link from the return's page."]


def test_the_csv_is_the_return_in_its_layout(client, lead, cases):
    response = client.get(reverse("reporting:ko41a_download", args=["csv"]), {"year": "2025-26"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ko41a-RZZ-2025-26.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == [
        "Organisation code",
        "Period",
        "Section",
        "Section title",
        "Item code",
        "Item",
        "Total",
        "NGT01",
        "RIV01",
    ]
    assert table[1][2:] == [
        "1",
        "Organisation and organisation-site details",
        "site_code",
        "Site code",
        "RZZ",
        "NGT01",
        "RIV01",
    ]
    assert table[2][4:] == [
        "site_name",
        "Site name",
        "Test Hospitals NHS Foundation Trust",
        "Northgate General",
        "Riverside Hospital",
    ]
    by_item = {(row[2], row[4]): row[6:] for row in table[3:]}
    assert by_item[("2", "brought_forward")] == ["2", "1", "1"]
    assert by_item[("2", "new")] == ["7", "3", "4"]
    assert by_item[("2", "resolved")] == ["6", "2", "4"]
    assert by_item[("2", "carried_forward")] == ["3", "2", "1"]
    assert by_item[("7", "communications")] == ["2", "0", "2"]
    assert by_item[("8", "medical")] == ["2", "1", "1"]
    assert [row[2] for row in table[3:]] == sorted((row[2] for row in table[3:]), key=int)
    assert len(table) == 3 + 7 + 6 + 3 + 12 + 11 + 22 + 7
    assert {row[0] for row in table[1:]} == {"RZZ"}
    assert {row[1] for row in table[1:]} == {"2025-26"}


def test_the_excel_workbook_holds_the_return_its_quarters_checks_and_rules(client, lead, cases):
    response = client.get(reverse("reporting:ko41a_download", args=["xlsx"]), {"year": "2025-26", "quarter": "4"})

    assert response["Content-Disposition"] == 'attachment; filename="ko41a-RZZ-2025-26-q4.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["KO41a", "By quarter", "Checks", "How counted"]
    rows = list(workbook["KO41a"].iter_rows(values_only=True))
    by_item = {(row[2], row[4]): row[6:] for row in rows[3:]}
    assert by_item[(2, "new")] == (2, 1, 1)
    assert by_item[(2, "brought_forward")] == (3, 2, 1)
    assert by_item[(3, "age-18-64")] == (2, 1, 1)
    assert rows[1][1] == "2025-26 Q4"
    assert next(workbook["By quarter"].iter_rows(values_only=True)) == ("Section", "Item", "Q4")
    assert list(workbook["Checks"].iter_rows(values_only=True))[1][0] == "Every check passed"
    assert len(list(workbook["How counted"].iter_rows())) == 1 + len(ko41a.COUNTING_RULES)


def test_a_site_name_that_looks_like_a_formula_is_text_in_both_files(client, lead):
    SiteFactory(code="EVIL1", name='=HYPERLINK("http://example.com")')

    csv_text = client.get(reverse("reporting:ko41a_download", args=["csv"]), {"year": "2025-26"}).content.decode()
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reporting:ko41a_download", args=["xlsx"]), {"year": "2025-26"}).content)
    )

    assert "'=HYPERLINK" in csv_text
    cell = workbook["KO41a"].cell(row=3, column=8)
    assert cell.value == '=HYPERLINK("http://example.com")'
    assert cell.data_type == "s"


def test_a_download_with_a_bad_year_answers_400_with_the_page_and_its_error(client, lead):
    response = client.get(reverse("reporting:ko41a_download", args=["csv"]), {"year": "26-27"})

    assert response.status_code == 400
    assert problems(response)[0].startswith("'26-27' is not a financial year.")


def test_only_csv_and_excel_are_downloads(client, lead):
    assert client.get(reverse("reporting:ko41a_download", args=["pdf"]), {"year": "2025-26"}).status_code == 404


def test_the_failed_checks_sheet_names_the_cases(client, lead, medicine):
    uncoded = complaint(received_on=D(2025, 5, 1), actor=lead, division=medicine, born_on=D(1970, 1, 1))
    coded = complaint(received_on=D(2025, 5, 2), actor=lead, division=medicine, born_on=D(1970, 1, 1))
    issue(coded, lead, "communications", "acute-inpatient", ("medical",))

    response = client.get(reverse("reporting:ko41a_download", args=["xlsx"]), {"year": "2025-26"})

    checks = list(load_workbook(io.BytesIO(response.content))["Checks"].iter_rows(values_only=True))
    assert checks[0] == ("Check", "Site", "What is wrong", "Cases behind it", "First cases")
    by_check = {row[0]: row for row in checks[1:] if row[1] == "Whole organisation"}
    assert by_check["The subject areas add up to at least the new complaints"][3:] == (1, uncoded.reference)


def test_the_reports_page_leads_trust_wide_roles_to_the_return(client, lead):
    assert f'href="{PAGE}"' in client.get(reverse("reporting:index")).content.decode()


def test_the_reports_page_does_not_offer_the_return_to_a_divisional_manager(client, medicine):
    client.force_login(divisional_manager(divisions=[medicine]))

    assert f'href="{PAGE}"' not in client.get(reverse("reporting:index")).content.decode()
