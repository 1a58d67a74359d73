"""The dashboard page: its filters and their errors, who sees what, and charts that can be read without seeing them."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import problems, text_of
from palsdesk.coding.tests.factories import add_coded_issue
from palsdesk.escalations.tests.factories import open_phso, responded_complaint
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/reports/dashboard/"


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
    worker = officer()
    made = [
        make_case(kind=Kind.COMPLAINT, received_on=D(2026, 10, 5), division=medicine, actor=worker),
        make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2), division=medicine, actor=worker),
        make_case(kind=Kind.PALS_CONCERN, received_on=D(2026, 11, 10), division=surgery, actor=worker),
        make_case(kind=Kind.COMPLIMENT, received_on=D(2026, 11, 11), division=surgery, actor=worker),
        make_case(kind=Kind.COMPLAINT, received_on=D(2026, 8, 3), division=surgery, actor=worker),
    ]
    case_services.move_case(made[0], to=Status.ACKNOWLEDGED, on=D(2026, 10, 6), actor=worker)
    add_coded_issue(made[0], subject="communications")
    add_coded_issue(made[2], subject="appointments")
    add_coded_issue(made[4], subject="communications")
    return made


def measure(html: str, key: str) -> list[str]:
    row = re.search(rf'<tr [^>]*data-measure="{key}">(.*?)</tr>', html, re.S).group(1)
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


class TestThePage:
    def test_it_shows_this_quarter_against_the_last_by_default(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        assert "Q3 2026-27" in html
        assert 'id="id_start" name="start" type="date" value="2026-10-01"' in html
        assert measure(html, "received") == ["4", "1"]
        assert measure(html, "acknowledged") == ["50% (1 of 2)", "0% (0 of 1)"]
        assert measure(html, "ombudsman") == ["0", "0"]

    def test_the_ombudsman_referrals_are_the_phso_cases_begun_in_each_period(self, client, medicine, surgery):
        lead = coordinator()
        this_quarter = responded_complaint(division=medicine, actor=lead)
        open_phso(this_quarter, actor=lead, phso_reference="C-1", received_on=D(2026, 10, 5))
        last_quarter = responded_complaint(division=surgery, actor=lead, responded_on=D(2026, 7, 1))
        open_phso(last_quarter, actor=lead, phso_reference="C-2", received_on=D(2026, 8, 20))
        client.force_login(lead)

        assert measure(client.get(URL).content.decode(), "ombudsman") == ["1", "1"]
        assert measure(client.get(URL, {"division": "SUR"}).content.decode(), "ombudsman") == ["0", "1"]
        assert measure(client.get(URL, {"kind": "pals_concern"}).content.decode(), "ombudsman") == ["0", "0"]

    def test_a_period_division_and_kind_narrow_it(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30", "division": "SUR"}).content.decode()
        assert "November 2026" in html
        assert measure(html, "received") == ["2", "0"]
        html = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30", "kind": "complaint"}).content.decode()
        assert measure(html, "received") == ["1", "1"]

    def test_the_quick_links_keep_the_other_filters(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL, {"division": "MED", "kind": "complaint"}).content.decode()
        assert "?start=2026-10-01&amp;end=2026-10-31&amp;division=MED&amp;kind=complaint" in html

    def test_themes_are_shown_against_the_previous_period_by_division(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        table = re.search(r'<table [^>]*data-themes="subjects">(.*?)</table>', html, re.S).group(1)
        rows = {
            code: [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for code, row in re.findall(r'<tr [^>]*data-theme="([\w-]+)">(.*?)</tr>', table, re.S)
        }
        # Q3: communications (Medicine, October) and appointments (Surgery); Q2: communications (Surgery, August).
        # Columns: this quarter, the last, the change, then Medicine and Surgery this quarter.
        assert rows == {"communications": ["1", "1", "0", "1", "0"], "appointments": ["1", "0", "+1", "0", "1"]}
        assert list(rows) == ["communications", "appointments"]  # more cases over both periods comes first

    @pytest.mark.parametrize(
        ("asked", "says"),
        [
            ({"start": "2026-11-30", "end": "2026-11-01"}, "The end of the period must be on or after its start."),
            ({"start": "2026-02-30", "end": "2026-03-31"}, "Enter the from as a real date, like 2026-10-01."),
            ({"start": "2026-11-01"}, "Enter the date the period runs to, like 2026-12-31."),
            ({"start": "2000-01-01", "end": "2000-03-31"}, "Choose dates from 2011 to 2045"),
            ({"start": "2010-01-01", "end": "2026-03-31"}, "Choose a period of 5 years or less."),
            ({"kind": "letter"}, "Choose a kind of case from the list."),
            ({"division": "NOPE"}, "Choose a division from the list."),
        ],
    )
    def test_a_bad_filter_is_explained_and_what_was_typed_is_kept(self, client, cases, asked, says):
        client.force_login(coordinator())
        response = client.get(URL, asked)
        assert response.status_code == 200
        assert any(says in problem for problem in problems(response)), problems(response)
        assert 'data-measure="received"' not in response.content.decode()
        for value in asked.values():
            assert f'value="{value}"' in response.content.decode() or value in ("letter", "NOPE")


class TestCharts:
    def test_each_chart_has_a_title_a_description_and_its_numbers_in_a_table(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        charts = re.findall(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)-title ([\w-]+)-desc"', html)
        assert len(charts) == 4  # received, acknowledged, responded, and the subjects theme chart
        for chart_id, _ in charts:
            assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', html)
            assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', html)
            key = chart_id.removeprefix("dashboard-")
            assert f'data-chart="{key}"' in html

    def test_the_received_chart_table_counts_each_month_by_kind(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        table = re.search(r'<table [^>]*data-chart="received">(.*?)</table>', html, re.S).group(1)
        headings = [text_of(cell) for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)]
        assert headings == ["Month", "PALS concerns", "Complaints", "Compliments"]
        rows = {
            text_of(month): [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for month, row in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
        }
        assert next(iter(rows)) == "Jan 2026"
        assert list(rows)[-1] == "Dec 2026"
        assert rows["Nov 2026"] == ["1", "1", "1"]
        assert rows["Aug 2026"] == ["0", "1", "0"]

    def test_the_page_has_no_inline_styles_or_scripts_for_the_content_security_policy(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        assert " style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


class TestWhoSeesIt:
    @pytest.mark.parametrize("role", [coordinator, officer, auditor])
    def test_trust_wide_roles_may_open_it(self, client, role):
        client.force_login(role())
        assert client.get(URL).status_code == 200

    def test_a_divisional_manager_counts_their_divisions_cases_and_chooses_among_them(self, client, cases, surgery):
        client.force_login(divisional_manager(divisions=[surgery]))
        html = client.get(URL).content.decode()
        assert measure(html, "received") == ["2", "1"]
        assert ">Medicine<" not in html

    def test_a_volunteer_is_refused(self, client):
        client.force_login(volunteer())
        assert client.get(URL).status_code == 403

    def test_it_needs_a_signed_in_user(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_the_reports_index_links_every_report(self, client):
        client.force_login(coordinator())
        html = client.get("/reports/").content.decode()
        for url in ("/reports/daily/", "/reports/dashboard/", "/reports/committee/", "/reports/ko41a/", "/cases/"):
            assert f'href="{url}"' in html
