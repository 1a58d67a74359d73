"""Reports for committees: the Board report, the annual report (regulation 18) and divisional feedback, on the page
and as PDF and Word documents read back; the co-ordinator's commentary; and who may see and write what."""

import datetime
import io
import re

import pytest
import time_machine
from docx import Document
from pypdf import PdfReader

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import problems
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.escalations.tests.factories import open_phso, responded_complaint
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details
from palsdesk.reporting import services
from palsdesk.reporting.models import CommitteeReportKind, ReportCommentary
from palsdesk.reporting.periods import Period
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
Q2 = Period(D(2026, 7, 1), D(2026, 9, 30))
BOARD = "/reports/committee/board/"
Q2_QUERY = {"start": "2026-07-01", "end": "2026-09-30"}
PATIENT = ("Zebedee", "Quackenbush")
NHS_NUMBER = "943 476 5919"


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
def cases(medicine, surgery):
    """Q2 2026-27: two complaints in Medicine (one upheld with major harm reported), a concern in Surgery."""
    worker = officer()
    harmed = make_case(
        kind=Kind.COMPLAINT,
        received_on=D(2026, 7, 6),
        division=medicine,
        actor=worker,
        summary=f"{' '.join(PATIENT)} ({NHS_NUMBER}) fell on the ward",
        complainant=person_details(first_name=PATIENT[0], last_name=PATIENT[1]),
    )
    add_coded_issue(
        harmed,
        subject="patient-care",
        outcome=Outcome.UPHELD,
        hcat_category=code(TaxonomyKind.HCAT_CATEGORY, "safety"),
        hcat_severity=3,
        hcat_harm=4,
    )
    for status, on in (
        (Status.ACKNOWLEDGED, D(2026, 7, 7)),
        (Status.UNDER_INVESTIGATION, D(2026, 7, 8)),
        (Status.RESPONSE_IN_REVIEW, D(2026, 8, 3)),
        (Status.RESPONSE_SENT, D(2026, 8, 4)),
        (Status.CLOSED, D(2026, 8, 5)),
    ):
        if status == Status.RESPONSE_SENT:
            sign_off_response(harmed)  # regulation 14(2): signed off before it is sent
        case_services.move_case(harmed, to=status, on=on, actor=worker)
    partly = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 8, 10), division=medicine, actor=worker)
    add_coded_issue(partly, subject="communications", outcome=Outcome.UPHELD)
    add_coded_issue(partly, subject="patient-care", outcome=Outcome.NOT_UPHELD)
    concern = make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 9, 1), division=surgery, actor=worker)
    add_coded_issue(concern, subject="appointments")
    return {"harmed": harmed, "partly": partly, "concern": concern}


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def word(response):
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.content))


def word_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def write(kind=CommitteeReportKind.BOARD, period=Q2, division=None, **words):
    return services.save_commentary(kind=kind, period=period, division=division, actor=coordinator(), **words)


class TestTheBoardReport:
    def test_the_page_shows_the_measures_themes_charts_and_notable_cases_with_their_references(self, client, cases):
        client.force_login(coordinator())
        html = client.get(BOARD, Q2_QUERY).content.decode()
        assert "Board and Quality Committee report, Q2 2026-27" in " ".join(html.split())
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"') == 5  # 3 run charts, 2 themes
        assert "Case A" in html
        assert cases["harmed"].reference in html  # for staff to check the selection; never printed
        assert 'href="/reports/committee/board/pdf/?start=2026-07-01&amp;end=2026-09-30"' in html

    def test_the_pdf_reads_back_with_its_measures_charts_themes_and_commentary_and_names_no_one(self, client, cases):
        write(themes="Patient care rose this quarter.", actions_taken="Falls training on every ward.")
        client.force_login(coordinator())
        response = client.get("/reports/committee/board/pdf/", Q2_QUERY)
        assert 'filename="board-2026-07-01-to-2026-09-30.pdf"' in response["Content-Disposition"]
        text = pdf_text(response)
        for expected in (
            "Board and Quality Committee report",
            "Q2 2026-27",
            "Complaints received 2 0",
            "Complaints closed 1 0",
            "Cases received each month",
            "Complaints acknowledged within 3 working days",
            "Top KO41a subjects",
            "Patient care",
            "Case A",
            "Major",
            "Patient care rose this quarter.",
            "Falls training on every ward.",
        ):
            assert expected in text, expected
        # The charts are drawn: their axis labels and median lines are text inside the SVG only.
        assert "Median 100%" in text
        for secret in (*PATIENT, NHS_NUMBER, "9434765919", cases["harmed"].reference, "fell on the ward"):
            assert secret not in text

    def test_the_word_document_reads_back_with_its_charts_as_pictures_and_names_no_one(self, client, cases):
        write(themes="Patient care rose this quarter.")
        client.force_login(coordinator())
        document = word(client.get("/reports/committee/board/word/", Q2_QUERY))
        text = word_text(document)
        for expected in (
            "Board and Quality Committee report",
            "Complaints received",
            "Patient care rose this quarter.",
        ):
            assert expected in text
        pictures = document.inline_shapes
        assert len(pictures) == 5
        images = [part for part in document.part.package.parts if part.content_type == "image/png"]
        assert len(images) == 5
        assert all(image.blob.startswith(b"\x89PNG") for image in images)
        described = [picture._inline.docPr.get("descr") for picture in pictures]
        assert described[0].startswith("Cases received each month, month by month from Oct 2025 to Sep 2026.")
        for secret in (*PATIENT, NHS_NUMBER, cases["harmed"].reference):
            assert secret not in text

    def test_a_divisional_manager_may_not_see_the_trust_wide_report(self, client, cases, medicine):
        client.force_login(divisional_manager(divisions=[medicine]))
        assert client.get(BOARD, Q2_QUERY).status_code == 403
        assert client.get("/reports/committee/board/pdf/", Q2_QUERY).status_code == 403

    def test_an_unknown_report_or_format_is_not_found(self, client, cases):
        client.force_login(coordinator())
        assert client.get("/reports/committee/weekly/", Q2_QUERY).status_code == 404
        assert client.get("/reports/committee/board/rtf/", Q2_QUERY).status_code == 404

    def test_a_bad_period_comes_back_to_the_chooser_with_the_problem(self, client, cases):
        client.force_login(coordinator())
        response = client.get(BOARD, {"start": "2026-09-30", "end": "2026-07-01"})
        assert response.status_code == 200
        assert problems(response) == ["The end of the period must be on or after its start."]
        assert 'value="2026-09-30"' in response.content.decode()


class TestTheAnnualReport:
    def test_it_gives_each_figure_regulation_18_asks_for(self, client, cases):
        write(
            kind=CommitteeReportKind.ANNUAL,
            period=Period(D(2026, 4, 1), D(2027, 3, 31)),
            general_importance="Falls on wards at night.",
            actions_taken="Night-time checks every hour.",
            ombudsman_referrals=2,
        )
        client.force_login(coordinator())
        query = {"year": "2026-27"}
        html = " ".join(client.get("/reports/committee/annual/", query).content.decode().split())
        rows = dict(
            re.findall(
                r'<th scope="row" class="nhsuk-table__header">\(([abcd])\)[^<]*</th>'
                r'<td class="nhsuk-table__cell">([^<]*)</td>',
                html,
            )
        )
        # (a) two complaints received; (b) one closed, upheld; (c) as the co-ordinator entered it.
        assert rows["a"] == "2"
        assert rows["b"] == "1 of 1"
        assert rows["c"] == "2"
        for text in (
            pdf_text(client.get("/reports/committee/annual/pdf/", query)),
            word_text(word(client.get("/reports/committee/annual/word/", query))),
        ):
            for expected in (
                "Annual complaints report 2026-27",
                "(a) Complaints received",
                "well-founded",
                "referred to the Ombudsman",
                "2 complaints the trust was told were referred",
                "Patient care",  # the summary of subjects
                "Falls on wards at night.",
                "Night-time checks every hour.",
            ):
                assert expected in text, expected

    def test_without_a_number_entered_the_phso_cases_begun_in_the_year_are_counted(self, client, cases, medicine):
        lead = coordinator()
        referred = responded_complaint(division=medicine, actor=lead)
        open_phso(referred, actor=lead, phso_reference="C-1", received_on=D(2026, 10, 5))
        before_the_year = responded_complaint(division=medicine, actor=lead, received_on=D(2025, 6, 2))
        open_phso(before_the_year, actor=lead, phso_reference="C-0", received_on=D(2026, 3, 20))
        client.force_login(lead)

        html = " ".join(client.get("/reports/committee/annual/", {"year": "2026-27"}).content.decode().split())

        assert re.search(r"\(c\)[^<]*</th><td class=\"nhsuk-table__cell\">1</td>", html)
        assert "1 complaint the trust was told was referred" in html
        assert "the PHSO cases recorded in PALS Desk whose first contact was in the period" in html

    def test_a_number_entered_stands_and_the_recorded_count_is_given_beside_it(self, client, cases, medicine):
        lead = coordinator()
        open_phso(responded_complaint(division=medicine, actor=lead), actor=lead, received_on=D(2026, 10, 5))
        write(kind=CommitteeReportKind.ANNUAL, period=Period(D(2026, 4, 1), D(2027, 3, 31)), ombudsman_referrals=3)
        client.force_login(lead)

        html = " ".join(client.get("/reports/committee/annual/", {"year": "2026-27"}).content.decode().split())

        assert "3 complaints the trust was told were referred" in html
        assert "letters; PALS Desk has 1 PHSO case recorded for the period" in html

    def test_a_year_not_offered_is_refused(self, client):
        client.force_login(coordinator())
        response = client.get("/reports/committee/annual/", {"year": "2026-28"})
        assert problems(response) == ["Choose a financial year from the list, like 2025-26."]


class TestDivisionalFeedback:
    URL = "/reports/committee/divisional/"

    def test_it_counts_only_the_divisions_cases(self, client, cases, medicine):
        client.force_login(coordinator())
        response = client.get(self.URL, {"division": "MED", **Q2_QUERY})
        html = " ".join(response.content.decode().split())
        assert "Divisional feedback: Medicine" in html
        assert re.search(r"Complaints received</th><td[^>]*>2</td>", html)
        assert re.search(r"PALS concerns received</th><td[^>]*>0</td>", html)

    def test_a_divisional_manager_sees_their_own_division_and_no_other(self, client, cases, medicine, surgery):
        client.force_login(divisional_manager(divisions=[medicine]))
        assert client.get(self.URL, {"division": "MED", **Q2_QUERY}).status_code == 200
        assert client.get(f"{self.URL}word/", {"division": "MED", **Q2_QUERY}).status_code == 200
        response = client.get(self.URL, {"division": "SUR", **Q2_QUERY})
        # Surgery is not among the divisions offered to them.
        assert problems(response) == ["Choose a division from the list."]

    def test_the_division_is_required(self, client, cases):
        client.force_login(coordinator())
        assert problems(client.get(self.URL, Q2_QUERY)) == ["Choose the division the feedback is for."]


class TestCommentary:
    def test_the_coordinator_writes_it_on_the_page_and_it_is_kept_and_audited(self, client, cases):
        client.force_login(coordinator())
        response = client.post(
            f"{BOARD}?start=2026-07-01&end=2026-09-30",
            {
                "version": "0",
                "themes": "Falls are up.",
                "notable_cases": "",
                "general_importance": "",
                "actions_taken": "Training.",
                "ombudsman_referrals": "1",
            },
        )
        assert response.status_code == 302
        assert response.url == f"{BOARD}?start=2026-07-01&end=2026-09-30"
        saved = ReportCommentary.objects.get()
        assert (saved.kind, saved.period_start, saved.period_end, saved.division) == ("board", Q2.start, Q2.end, None)
        assert (saved.themes, saved.actions_taken, saved.ombudsman_referrals, saved.version) == (
            "Falls are up.",
            "Training.",
            1,
            1,
        )
        assert AuditEvent.objects.filter(action="report.commentary_written", target_id=str(saved.pk)).exists()
        html = client.get(BOARD, Q2_QUERY).content.decode()
        assert "Falls are up." in html
        assert 'name="version" value="1"' in html

    def test_an_nhs_number_is_refused_and_what_was_typed_is_kept(self, client, cases):
        client.force_login(coordinator())
        response = client.post(
            f"{BOARD}?start=2026-07-01&end=2026-09-30",
            {"version": "0", "themes": f"See patient {NHS_NUMBER}.", "actions_taken": "Training."},
        )
        assert response.status_code == 200
        assert problems(response) == [
            "Take the NHS number out of the what the themes show: a committee report names no patient."
        ]
        assert f"See patient {NHS_NUMBER}." in response.content.decode()
        assert not ReportCommentary.objects.exists()

    def test_ten_digits_that_are_not_an_nhs_number_are_allowed(self):
        assert services.nhs_numbers_in("Call 0123456788 or 943 476 5919") == ["9434765919"]

    def test_a_colleagues_newer_words_are_not_overwritten(self, client, cases):
        write(themes="Their words.")
        client.force_login(coordinator())
        response = client.post(f"{BOARD}?start=2026-07-01&end=2026-09-30", {"version": "0", "themes": "Mine."})
        assert response.status_code == 200
        assert "after you opened it" in problems(response)[0]
        assert ReportCommentary.objects.get().themes == "Their words."

    def test_an_officer_may_read_the_report_but_not_write_its_commentary(self, client, cases):
        client.force_login(officer())
        assert 'name="themes"' not in client.get(BOARD, Q2_QUERY).content.decode()
        response = client.post(f"{BOARD}?start=2026-07-01&end=2026-09-30", {"version": "0", "themes": "Mine."})
        assert response.status_code == 403
        assert not ReportCommentary.objects.exists()

    def test_divisional_commentary_belongs_to_its_division(self, cases, medicine, surgery):
        write(kind=CommitteeReportKind.DIVISIONAL, division=medicine, themes="Medicine's words.")
        write(kind=CommitteeReportKind.DIVISIONAL, division=surgery, themes="Surgery's words.")
        assert ReportCommentary.objects.count() == 2
        with pytest.raises(Exception, match="Choose the division"):
            write(kind=CommitteeReportKind.DIVISIONAL, themes="Whose?")


class TestTheChooser:
    URL = "/reports/committee/"

    def test_it_offers_each_report_with_last_quarter_month_and_year_filled_in(self, client, medicine):
        client.force_login(coordinator())
        html = client.get(self.URL).content.decode()
        assert 'action="/reports/committee/board/"' in html
        assert 'id="board-start" name="start" type="date" value="2026-07-01"' in html
        assert 'id="board-end" name="end" type="date" value="2026-09-30"' in html
        assert 'action="/reports/committee/annual/"' in html
        assert '<option value="2025-26" selected>' in html
        assert 'action="/reports/committee/divisional/"' in html
        assert 'id="divisional-start" name="start" type="date" value="2026-10-01"' in html
        assert 'id="divisional-end" name="end" type="date" value="2026-10-31"' in html

    def test_a_divisional_manager_is_offered_only_the_feedback_of_their_divisions(self, client, medicine, surgery):
        client.force_login(divisional_manager(divisions=[medicine]))
        html = client.get(self.URL).content.decode()
        assert 'action="/reports/committee/divisional/"' in html
        assert 'action="/reports/committee/board/"' not in html
        assert 'action="/reports/committee/annual/"' not in html
        assert ">Medicine</option>" in html
        assert ">Surgery</option>" not in html
