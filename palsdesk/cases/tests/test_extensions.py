"""Other apps add sections to the case page and deadlines to "My work" through cases.extensions."""

import datetime
from pathlib import Path

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases import extensions
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # a Friday
TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _registry(monkeypatch, settings):
    monkeypatch.setattr(extensions, "_case_sections", [])
    monkeypatch.setattr(extensions, "_work_items", [])
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}]
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def lead():
    return coordinator(username="lead", divisions=[DivisionFactory(code="MED")])


@pytest.fixture
def complaint(lead):
    return make_case(kind=Kind.COMPLAINT, division=lead.divisions.get(), actor=lead, case_officer=lead)


def test_a_registered_section_shows_on_the_case_page_under_its_heading(client, lead, complaint):
    def meetings(user, case):
        if case.kind != Kind.COMPLAINT:
            return None
        return extensions.CaseSection("Meetings", "meetings", "cases_tests/section.html", {"words": "Two meetings"})

    extensions.register_case_section(meetings)
    extensions.register_case_section(meetings)  # registering twice shows it once
    client.force_login(lead)

    html = client.get(f"/cases/{complaint.reference}/").content.decode()

    assert html.count('<h2 id="meetings-heading">Meetings</h2>') == 1
    assert f'<p class="test-section">Two meetings for {complaint.reference}</p>' in html


def test_a_section_function_may_show_nothing(client, lead, complaint):
    extensions.register_case_section(lambda user, case: None)
    client.force_login(lead)

    assert client.get(f"/cases/{complaint.reference}/").status_code == 200


def test_registered_deadlines_show_in_my_work_soonest_first_with_their_state(client, lead, complaint):
    def phso_requests(user, *, today):
        return [
            extensions.WorkItem(complaint.reference, "Send the PHSO the file", TODAY + datetime.timedelta(3), "/a/"),
            extensions.WorkItem(complaint.reference, "Contribution from Surgery", TODAY - datetime.timedelta(1), "/b/"),
        ]

    extensions.register_work_items(phso_requests)
    client.force_login(lead)

    html = client.get("/").content.decode()

    assert "<h2>Other deadlines</h2>" in html
    assert html.index("Contribution from Surgery") < html.index("Send the PHSO the file")
    assert "Overdue" in html.split("<h2>Other deadlines</h2>")[1].split("</table>")[0]


def test_without_other_deadlines_my_work_shows_no_such_section(client, lead):
    client.force_login(lead)

    assert "Other deadlines" not in client.get("/").content.decode()
