"""Case lists to CSV and Excel: the cases the user may see that match the filters, safe to open in a spreadsheet."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details
from palsdesk.reporting import exports

pytestmark = pytest.mark.django_db

D = datetime.date
CSV_URL = "/reports/export/cases.csv"
EXCEL_URL = "/reports/export/cases.xlsx"


@pytest.fixture(autouse=True)
def _late_november():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine", code="MED")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery", code="SUR")


@pytest.fixture
def worker():
    return officer()


@pytest.fixture
def cases(medicine, surgery, worker):
    def case(kind, division, summary, **values):
        return make_case(
            kind=kind, division=division, summary=summary, received_on=D(2026, 11, 2), actor=worker, **values
        )

    return {
        "medicine_complaint": case(
            Kind.COMPLAINT,
            medicine,
            '=HYPERLINK("http://evil.example","Click")',
            complainant=person_details(first_name="Perpetua", last_name="Winterbottom"),
        ),
        "medicine_concern": case(Kind.PALS_CONCERN, medicine, "+44 rang about parking"),
        "surgery_complaint": case(Kind.COMPLAINT, surgery, "@SUM(A1:A9) cancelled operation"),
        "surgery_concern": case(Kind.PALS_CONCERN, surgery, "-5 stars for the food"),
        "restricted": case(Kind.PALS_CONCERN, surgery, "A colleague's concern", is_staff_complainant=True),
    }


def csv_rows(response) -> list[dict]:
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def references(rows: list[dict]) -> set[str]:
    return {row["Reference"] for row in rows}


def refs(cases: dict, *names: str) -> set[str]:
    return {cases[name].reference for name in names}


class TestCsv:
    def test_it_holds_the_filtered_list_the_user_may_see(self, client, cases):
        client.force_login(coordinator())
        rows = csv_rows(client.get(CSV_URL, {"kind": "complaint"}))
        assert references(rows) == refs(cases, "medicine_complaint", "surgery_complaint")
        assert list(rows[0]) == list(exports.HEADINGS)
        row = next(row for row in rows if row["Reference"] == cases["surgery_complaint"].reference)
        assert (row["Kind"], row["Status"], row["Division"], row["Received"]) == (
            "Complaint",
            "Received",
            "Surgery",
            "2026-11-02",
        )
        assert row["Acknowledgement due"] == "2026-11-05"

    def test_a_divisional_managers_export_holds_only_their_divisions_cases(self, client, cases, surgery):
        client.force_login(divisional_manager(divisions=[surgery]))
        rows = csv_rows(client.get(CSV_URL))
        assert references(rows) == refs(cases, "surgery_complaint", "surgery_concern")
        # Even when they ask for another division by its code.
        assert csv_rows(client.get(CSV_URL, {"division": "MED"})) == []

    def test_a_restricted_case_is_exported_only_for_those_named_on_it(self, client, cases, worker):
        client.force_login(coordinator())
        assert cases["restricted"].reference not in references(csv_rows(client.get(CSV_URL)))
        client.force_login(worker)
        assert cases["restricted"].reference in references(csv_rows(client.get(CSV_URL)))

    def test_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(self, client, cases):
        client.force_login(coordinator())
        summaries = {row["Reference"]: row["Summary"] for row in csv_rows(client.get(CSV_URL))}
        assert summaries[cases["medicine_complaint"].reference] == '\'=HYPERLINK("http://evil.example","Click")'
        assert summaries[cases["medicine_concern"].reference] == "'+44 rang about parking"
        assert summaries[cases["surgery_complaint"].reference] == "'@SUM(A1:A9) cancelled operation"
        assert summaries[cases["surgery_concern"].reference] == "'-5 stars for the food"

    def test_people_are_left_out(self, client, cases):
        client.force_login(coordinator())
        text = b"".join(client.get(CSV_URL).streaming_content).decode("utf-8-sig")
        assert "Winterbottom" not in text
        assert "Perpetua" not in text

    def test_each_export_is_on_the_audit_trail_with_its_filters(self, client, cases):
        user = coordinator()
        client.force_login(user)
        csv_rows(client.get(CSV_URL, {"kind": "complaint", "division": "SUR"}))
        event = AuditEvent.objects.get(action="cases.exported")
        assert event.actor == user
        assert event.context == {"format": "csv", "filters": {"kind": "complaint", "division": "SUR"}}

    def test_bad_filters_go_back_to_the_case_list_to_be_explained(self, client, cases):
        client.force_login(coordinator())
        response = client.get(CSV_URL, {"kind": "letter"})
        assert response.status_code == 302
        assert response.url == "/cases/?kind=letter"
        assert not AuditEvent.objects.filter(action="cases.exported").exists()


class TestExcel:
    def test_it_holds_the_same_rows_with_dates_as_dates_and_formulas_as_text(self, client, cases):
        client.force_login(coordinator())
        response = client.get(EXCEL_URL, {"kind": "complaint"})
        assert response["Content-Type"] == exports.EXCEL_TYPE
        assert response["Content-Disposition"] == 'attachment; filename="cases-2026-11-23-0900.xlsx"'
        workbook = load_workbook(io.BytesIO(response.content))
        sheet = workbook["Cases"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == exports.HEADINGS
        by_reference = {row[0]: row for row in rows[1:]}
        assert set(by_reference) == refs(cases, "medicine_complaint", "surgery_complaint")
        received = by_reference[cases["surgery_complaint"].reference][4]
        assert received.date() == D(2026, 11, 2)
        cells = {row[0].value: row[8] for row in sheet.iter_rows(min_row=2)}
        formula_like = cells[cases["medicine_complaint"].reference]
        assert formula_like.value.startswith("'=HYPERLINK")
        assert formula_like.data_type == "s"
        about = dict(workbook["About this export"].iter_rows(values_only=True))
        assert about["Cases"] == 2
        assert about["Filters"] == "kind: complaint"

    def test_a_divisional_managers_workbook_holds_only_their_divisions_cases(self, client, cases, medicine):
        client.force_login(divisional_manager(divisions=[medicine]))
        sheet = load_workbook(io.BytesIO(client.get(EXCEL_URL).content))["Cases"]
        assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == refs(
            cases, "medicine_complaint", "medicine_concern"
        )

    def test_a_longer_list_than_a_workbook_holds_says_so_and_points_to_the_csv(self, client, cases, monkeypatch):
        monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 2)
        client.force_login(coordinator())
        workbook = load_workbook(io.BytesIO(client.get(EXCEL_URL).content))
        assert workbook["Cases"].max_row == 3  # the headings and 2 cases
        about = dict(workbook["About this export"].iter_rows(values_only=True))
        assert about["Not included"] == "Only the first 2 cases: download the CSV for them all."


class TestWhoMayExport:
    @pytest.mark.parametrize("url", [CSV_URL, EXCEL_URL])
    def test_a_volunteer_is_refused(self, client, url):
        client.force_login(volunteer())
        assert client.get(url).status_code == 403

    @pytest.mark.parametrize("url", [CSV_URL, EXCEL_URL])
    def test_it_needs_a_signed_in_user(self, client, url):
        assert client.get(url).status_code == 302

    def test_the_case_list_links_the_exports_with_its_filters(self, client, cases):
        client.force_login(coordinator())
        html = client.get("/cases/", {"kind": "complaint"}).content.decode()
        assert 'href="/reports/export/cases.csv?kind=complaint"' in html
        assert 'href="/reports/export/cases.xlsx?kind=complaint"' in html
        client.force_login(volunteer())
        assert "/reports/export/" not in client.get("/cases/").content.decode()


def test_the_csv_reads_the_database_the_same_number_of_times_however_many_cases(client, medicine, worker):
    client.force_login(coordinator())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(csv_rows(client.get(CSV_URL))) >= 1
        return len(captured)

    make_case(kind=Kind.COMPLAINT, division=medicine, actor=worker, received_on=D(2026, 11, 2))
    few = queries()
    for _ in range(8):
        make_case(kind=Kind.COMPLAINT, division=DivisionFactory(), actor=worker, received_on=D(2026, 11, 2))
    assert queries() == few
