"""GET /api/v1/reports/ko41a/ and manage.py ko41a: the same return, refused where it should be, checked on input."""

import csv
import datetime
import io
import json
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory, TrustFactory
from palsdesk.reporting.returns import ko41a
from palsdesk.reporting.tests.ko41a_factories import a_year_of_complaints, complaint

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/reports/ko41a/"


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


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def box(answer: dict, key: str) -> dict:
    return next(b for section in answer["sections"] for b in section["boxes"] if b["key"] == key)


def test_the_return_of_a_year_with_its_sites_quarters_checks_and_rules(cases):
    response = api(coordinator()).get(URL, {"year": "2025-26"})

    assert response.status_code == 200
    answer = response.json()
    assert answer["year"] == "2025-26"
    assert answer["quarter"] is None
    assert answer["period"] == {
        "label": "2025-26 (1 April 2025 to 31 March 2026)",
        "starts_on": "2025-04-01",
        "ends_on": "2026-03-31",
    }
    assert answer["organisation"] == {"code": "RZZ", "name": "Test Hospitals NHS Foundation Trust"}
    assert [site["code"] for site in answer["sites"]] == ["NGT01", "RIV01"]
    assert [section["number"] for section in answer["sections"]] == [2, 3, 4, 5, 6, 7, 8]
    assert box(answer, "summary:new") == {
        "key": "summary:new",
        "code": "new",
        "label": "Total new complaints",
        "total": 7,
        "by_site": {"NGT01": 3, "RIV01": 4},
        "by_quarter": {"Q1": 2, "Q2": 1, "Q3": 2, "Q4": 2, "year": 7},
    }
    assert box(answer, "subject:communications")["total"] == 2
    assert box(answer, "profession:nursing-midwifery-health-visiting")["by_site"] == {"NGT01": 1, "RIV01": 2}
    assert answer["checks"] == {"ready": True, "failures": [], "gaps": []}
    assert [entry["total"] for entry in answer["left_out"]] == [1, 1, 1]
    assert answer["reopened"] == 1
    assert [rule["key"] for rule in answer["counting_rules"]] == [key for key, _ in ko41a.COUNTING_RULES]


def test_one_quarter(cases):
    answer = api(auditor()).get(URL, {"year": "2025-26", "quarter": "3"}).json()

    assert answer["quarter"] == 3
    assert box(answer, "summary:brought_forward")["total"] == 1
    assert box(answer, "summary:new")["by_quarter"] == {"Q3": 2}


def test_a_failed_check_names_its_cases(medicine):
    uncoded = complaint(received_on=D(2025, 5, 1), actor=officer(), division=medicine, born_on=D(1970, 1, 1))

    checks = api(coordinator()).get(URL, {"year": "2025-26"}).json()["checks"]

    assert checks["ready"] is False
    by_rule = {(failure["rule"], failure["site"]): failure for failure in checks["failures"]}
    assert by_rule[("subject", None)] == {
        "rule": "subject",
        "title": "The subject areas add up to at least the new complaints",
        "site": None,
        "message": "The subject area boxes add up to 0, fewer than the 1 new complaints.",
        "cases_box": "check:no_subject",
        "cases_count": 1,
        "cases": [uncoded.reference],
    }
    assert ("every_box", None) in by_rule  # it has no site
    assert ("subject", "none") in by_rule


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, "year", "Enter the financial year, like 2026-27."),
        ({"year": "2025"}, "year", "'2025' is not a financial year."),
        ({"year": "2025-27"}, "year", "'2025-27' is not a financial year."),
        ({"year": "2030-31"}, "year", "2030-31 has not started yet. Choose 2026-27 or an earlier year."),
        ({"year": "2025-26", "quarter": "Q5"}, "quarter", "Choose a quarter from 1 to 4, or the whole year."),
        ({"year": "2026-27", "quarter": "3"}, "quarter", "Q3 2026-27 has not started yet."),
    ],
)
def test_a_bad_period_is_400_naming_the_field(query, field, message):
    response = api(coordinator()).get(URL, query)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith(message)


def test_a_quarter_may_be_written_q2():
    assert api(coordinator()).get(URL, {"year": "2025-26", "quarter": "q2"}).json()["quarter"] == 2


@pytest.mark.parametrize("role", ["divisional_manager", "volunteer"])
def test_roles_that_do_not_see_the_whole_trust_are_refused(role, medicine):
    user = divisional_manager(divisions=[medicine]) if role == "divisional_manager" else volunteer()

    response = api(user).get(URL, {"year": "2025-26"})

    assert response.status_code == 403
    assert "whole trust" in response.json()["detail"]


def test_without_signing_in_it_is_401():
    assert api().get(URL, {"year": "2025-26"}).status_code == 401


def test_the_schema_documents_the_return_its_parameters_and_refusals():
    schema = api(officer()).get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/reports/ko41a/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"year", "quarter"}
    assert set(operation["responses"]) == {"200", "400", "403"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Ko41aReturn"
    }


# --- manage.py ko41a ---------------------------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ko41a", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_csv_of_the_year(cases):
    out, err = run("--year", "2025-26")

    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:7] == ["Organisation code", "Period", "Section", "Section title", "Item code", "Item", "Total"]
    by_item = {(row[2], row[4]): row[6:] for row in table[3:]}
    assert by_item[("2", "new")] == ["7", "3", "4"]
    assert by_item[("2", "carried_forward")] == ["3", "2", "1"]
    assert by_item[("6", "surgical-group")] == ["1", "0", "1"]
    assert err == ""


def test_the_command_prints_a_quarter_as_json_the_same_as_the_api(cases):
    out, _ = run("--year", "2025-26", "--quarter", "1", "--format", "json")

    printed = json.loads(out)
    assert printed == api(coordinator()).get(URL, {"year": "2025-26", "quarter": "1"}).json()
    assert box(printed, "summary:resolved")["total"] == 1


def test_the_command_refuses_a_bad_year_naming_the_option():
    with pytest.raises(CommandError, match=r"^--year: '2025-2026' is not a financial year"):
        run("--year", "2025-2026")


def test_the_command_says_which_checks_fail_and_exits_with_an_error(medicine):
    uncoded = complaint(received_on=D(2025, 5, 1), actor=officer(), division=medicine, born_on=D(1970, 1, 1))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=re.escape("The return fails 5 of the collection's checks.")):
        call_command("ko41a", "--year", "2025-26", stdout=out, stderr=err)

    assert out.getvalue().startswith("Organisation code,")
    assert (
        "Fails: The subject areas add up to at least the new complaints. "
        f"The subject area boxes add up to 0, fewer than the 1 new complaints. Cases: {uncoded.reference}."
    ) in err.getvalue()
