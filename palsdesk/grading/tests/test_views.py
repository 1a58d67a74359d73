"""The grading page: the matrix as a grid of labelled radios, grading and regrading, refusals, and who may grade."""

import copy
import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from palsdesk.accounts.tests.factories import (
    administrator,
    approver,
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, TEN_THOUSAND, assert_refused, case_url, form_defaults, page_text, problems
from palsdesk.grading import services
from palsdesk.grading.models import CaseGrading
from palsdesk.grading.tests.factories import grade, levels_scheme
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

HIGH_CELL = "Consequence 4, major; likelihood 3, possible: score 12, high"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lead(division):
    return coordinator(divisions=[division], first_name="Florence", last_name="Nightingale")


@pytest.fixture
def complaint(division, lead):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=lead,
        case_officer=lead,
        received_on=datetime.date(2026, 11, 2),
        summary="Left on a trolley overnight",
    )


def grading_url(case) -> str:
    return reverse("grading:grade", kwargs={"reference": case.reference})


def grade_it(client, case, *, cell="4-3", rationale="Repeated failures on the ward", **extra):
    return client.post(grading_url(case), {"version": case.version, "cell": cell, "rationale": rationale, **extra})


def radios(html: str) -> list[dict[str, str]]:
    """Each radio of the grid: its id, name, value and whether it is checked."""
    found = []
    for tag in re.findall(r"<input [^>]*type=\"radio\"[^>]*>", html):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        attrs["checked"] = " checked" in tag
        found.append(attrs)
    return found


def label_for(html: str, control_id: str) -> str:
    """What a screen reader hears for the control: its label's text, without what is hidden from it."""
    label = re.search(rf'<label [^>]*for="{control_id}"[^>]*>(.*?)</label>', html, re.S).group(1)
    label = re.sub(r'<span [^>]*aria-hidden="true"[^>]*>.*?</span></span>', "", label, flags=re.S)
    return re.sub(r"<[^>]+>", "", label).strip()


@pytest.fixture
def strict_templates(settings):
    """A variable the template cannot find is shown as TEMPLATE-ERROR instead of nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "TEMPLATE-ERROR[%s]"
    settings.TEMPLATES = templates


class TestTheGrid:
    def test_the_matrix_is_one_group_of_25_radios_in_a_fieldset_with_its_legend(self, client, complaint, lead):
        client.force_login(lead)
        html = client.get(grading_url(complaint)).content.decode()
        cells = radios(html)
        assert len(cells) == 25
        assert {cell["name"] for cell in cells} == {"cell"}
        fieldset = re.search(r"<fieldset [^>]*>(.*?)</fieldset>", html, re.S).group(1)
        assert len(radios(fieldset)) == 25
        assert re.search(r"<legend [^>]*>.*Consequence and likelihood.*</legend>", fieldset, re.S)
        assert 'aria-describedby="grading_cell-hint"' in html

    def test_each_cell_is_labelled_with_consequence_likelihood_score_and_grade(self, client, complaint, lead):
        client.force_login(lead)
        html = client.get(grading_url(complaint)).content.decode()
        labels = {cell["value"]: label_for(html, cell["id"]) for cell in radios(html)}
        assert labels["4-3"] == HIGH_CELL
        assert labels["1-1"] == "Consequence 1, negligible; likelihood 1, rare: score 1, low"
        assert labels["5-5"] == "Consequence 5, catastrophic; likelihood 5, almost certain: score 25, extreme"

    def test_almost_certain_is_the_top_row_and_the_ids_run_in_page_order(self, client, complaint, lead):
        client.force_login(lead)
        cells = radios(client.get(grading_url(complaint)).content.decode())
        assert [cell["value"] for cell in cells[:5]] == ["1-5", "2-5", "3-5", "4-5", "5-5"]
        assert [cell["value"] for cell in cells[-5:]] == ["1-1", "2-1", "3-1", "4-1", "5-1"]
        assert [cell["id"] for cell in cells] == [f"grading_cell_{index}" for index in range(25)]

    def test_each_cell_shows_its_score_and_grade_in_words_in_the_grades_colour(self, client, complaint, lead):
        client.force_login(lead)
        html = client.get(grading_url(complaint)).content.decode()
        cell = re.search(r'<label class="app-matrix__label ([^"]+)" for="grading_cell_13">(.*?)</label>', html, re.S)
        assert cell.group(1) == "nhsuk-tag--orange"
        shown = re.search(r'aria-hidden="true">(.*)', cell.group(2), re.S).group(1)
        assert re.sub(r"<[^>]+>|\s+", " ", shown).split() == ["12", "High"]

    def test_the_headers_give_each_levels_name_and_descriptor(self, client, complaint, lead):
        client.force_login(lead)
        text = page_text(client.get(grading_url(complaint)))
        assert "4 Major Non-compliance with national standards" in text
        assert "5 Almost certain Will undoubtedly happen or recur" in text

    def test_the_page_shows_the_grades_with_their_targets(self, client, complaint, lead):
        client.force_login(lead)
        text = page_text(client.get(grading_url(complaint)))
        assert "High 8–12 60 working days Executive director" in text
        assert "Not graded yet." in text

    @pytest.mark.usefixtures("strict_templates")
    def test_the_page_renders_without_template_errors_before_and_after_grading(self, client, complaint, lead):
        client.force_login(lead)
        for _ in range(2):
            html = client.get(grading_url(complaint)).content.decode()
            assert "TEMPLATE-ERROR" not in html
            ids = re.findall(r'\sid="([^"]+)"', html)
            assert {name for name in ids if ids.count(name) > 1} == set()
            grade_it(client, complaint)
            complaint.refresh_from_db()
        html = grade_it(client, complaint, cell="", rationale="").content.decode()
        assert "There is a problem" in html
        assert "TEMPLATE-ERROR" not in html
        html = client.get(case_url(complaint)).content.decode()
        assert "TEMPLATE-ERROR" not in html


class TestGrading:
    def test_choosing_a_cell_grades_the_complaint_and_returns_to_its_page(self, client, complaint, lead):
        client.force_login(lead)
        response = grade_it(client, complaint)
        assert response.status_code == 302
        assert response.url == case_url(complaint) + "#grade"
        complaint.refresh_from_db()
        assert complaint.grade == grade("high")
        grading = CaseGrading.objects.get(case=complaint)
        assert (grading.consequence, grading.likelihood, grading.score, grading.rationale) == (
            4,
            3,
            12,
            "Repeated failures on the ward",
        )
        page = client.get(response.url)
        text = page_text(page)
        assert f"{complaint.reference} graded high (score 12). The response is due" in text
        assert "Grade High score 12 (consequence 4 × likelihood 3)" in text
        assert "Graded by Florence Nightingale on 21 November 2026." in text
        assert "Change the grade" in text

    def test_grading_writes_its_audit_event_from_the_web(self, client, complaint, lead):
        client.force_login(lead)
        grade_it(client, complaint)
        event = AuditEvent.objects.get(action="case.graded")
        assert (event.case, event.actor, event.channel) == (complaint, lead, "web")
        assert event.changes["score"] == [None, 12]

    def test_regrading_starts_from_the_grade_in_use_and_the_history_keeps_both(self, client, complaint, lead):
        client.force_login(lead)
        grade_it(client, complaint, cell="2-2", rationale="First look")
        complaint.refresh_from_db()
        page = client.get(grading_url(complaint))
        checked = [cell["value"] for cell in radios(page.content.decode()) if cell["checked"]]
        assert checked == ["2-2"]
        assert "Change the grade" in page_text(page)
        grade_it(client, complaint, cell="5-4", rationale="Harm came to light")
        text = page_text(client.get(grading_url(complaint)))
        assert text.index("Harm came to light") < text.index("First look")
        assert "consequence 5 × likelihood 4" in text
        assert "consequence 2 × likelihood 2" in text
        assert CaseGrading.objects.filter(case=complaint).count() == 2

    def test_an_mp_letter_is_graded_on_the_same_page(self, client, division, lead):
        letter = make_case(kind=Kind.MP_LETTER, division=division, actor=lead)
        client.force_login(lead)
        assert client.get(grading_url(letter)).status_code == 200
        assert grade_it(client, letter).status_code == 302

    def test_a_scheme_of_named_levels_offers_its_grades_as_radios(self, client, complaint, lead):
        scheme = levels_scheme()
        client.force_login(lead)
        html = client.get(grading_url(complaint)).content.decode()
        assert [cell["name"] for cell in radios(html)] == ["grade"] * 3
        assert "Level 2: a response within 40 working days, signed off by the divisional director" in html
        response = client.post(
            grading_url(complaint),
            {"version": complaint.version, "grade": grade("level-2", scheme=scheme).pk, "rationale": "Serious"},
        )
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert complaint.grade.name == "Level 2"
        assert "Level 2" in page_text(client.get(case_url(complaint)))

    def test_a_finished_complaint_shows_its_history_without_the_form(self, client, complaint, lead):
        services.grade_case(complaint, consequence=2, likelihood=2, rationale="Minor", actor=lead)
        complaint.refresh_from_db()
        case_services.move_case(complaint, to=Status.WITHDRAWN, reason="Resolved by phone", actor=lead)
        client.force_login(lead)
        response = client.get(grading_url(complaint))
        text = page_text(response)
        assert "reopen it before grading it again" in text
        assert radios(response.content.decode()) == []
        assert "Minor" in text
        assert "Change the grade" not in page_text(client.get(case_url(complaint)))

    def test_without_a_scheme_in_use_the_page_says_so(self, client, complaint, lead):
        from palsdesk.grading.models import GradingScheme

        GradingScheme.objects.update(is_current=False)
        client.force_login(lead)
        response = client.get(grading_url(complaint))
        assert "No grading scheme is in use" in page_text(response)
        assert radios(response.content.decode()) == []


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "field", "says", "kept"),
        [
            pytest.param(
                {"cell": ""},
                "grading_cell_0",
                "Choose the cell of the matrix where the consequence meets the likelihood.",
                "Repeated failures on the ward",
                id="no-cell",
            ),
            pytest.param(
                {"cell": "6-1"}, "grading_cell_0", "Choose the cell of the matrix", "Repeated failures", id="off-grid"
            ),
            pytest.param(
                {"rationale": "  "}, "grading_rationale", "Enter the reason for the grade.", None, id="no-reason"
            ),
        ],
    )
    def test_bad_input_is_summarised_linked_to_its_field_and_what_was_typed_is_kept(
        self, client, complaint, lead, data, field, says, kept
    ):
        client.force_login(lead)
        response = grade_it(client, complaint, **data)
        assert_refused(response, says=says, kept=[kept] if kept else [])
        html = response.content.decode()
        assert f'<a href="#{field}">{escape(says)}' in html
        assert f'id="{field}"' in html
        assert f"<title>Error: Grade {complaint.reference} – PALS Desk</title>" in html
        if "cell" not in data:
            assert [cell["value"] for cell in radios(html) if cell["checked"]] == ["4-3"]
        assert not CaseGrading.objects.exists()

    def test_a_reason_that_is_too_long_is_refused_and_kept(self, client, complaint, lead):
        client.force_login(lead)
        response = grade_it(client, complaint, rationale=TEN_THOUSAND)
        assert_refused(response, says="Reason for the grade must be 5,000 characters or fewer. You entered 10,000.")
        assert TEN_THOUSAND in response.content.decode()

    def test_a_stale_form_is_refused_saying_who_changed_the_case(self, client, complaint, lead, division):
        other = coordinator(divisions=[division], first_name="Mary", last_name="Seacole")
        client.force_login(other)
        opened = {name: values[0] for name, values in form_defaults(client.get(grading_url(complaint))).items()}
        client.force_login(lead)
        grade_it(client, complaint, cell="1-1", rationale="Low")

        client.force_login(other)
        response = client.post(grading_url(complaint), opened | {"cell": "5-5", "rationale": "Catastrophic"})

        assert_refused(
            response,
            says="Florence Nightingale changed this case at 10:30 on 21 November 2026, after you opened it.",
            kept=["Catastrophic"],
            at_field=False,
        )
        complaint.refresh_from_db()
        assert complaint.grade == grade("low")
        assert f'name="version" value="{complaint.version}"' in response.content.decode()

    def test_the_services_refusal_comes_back_on_the_form(self, client, complaint, lead):
        client.force_login(lead)
        complaint = case_services.move_case(complaint, to=Status.WITHDRAWN, reason="Withdrawn", actor=lead)
        response = grade_it(client, complaint)
        assert_refused(response, says="is finished: reopen it before grading it again.", at_field=False)


class TestAccess:
    def test_someone_in_another_division_gets_404(self, client, complaint):
        elsewhere = DivisionFactory()
        for user in (divisional_manager(divisions=[elsewhere]), volunteer(divisions=[elsewhere])):
            client.force_login(user)
            assert client.get(grading_url(complaint)).status_code == 404
            assert grade_it(client, complaint).status_code == 404
        assert not CaseGrading.objects.exists()

    def test_a_restricted_complaint_is_404_for_a_coordinator_not_named_on_it(self, client, division):
        restricted = make_case(kind=Kind.COMPLAINT, division=division, is_staff_complainant=True)
        client.force_login(coordinator())
        assert client.get(grading_url(restricted)).status_code == 404

    @pytest.mark.parametrize("role", [officer, divisional_manager, approver, auditor])
    def test_a_role_that_cannot_grade_gets_403(self, client, complaint, division, role):
        client.force_login(role(divisions=[division]))
        assert client.get(grading_url(complaint)).status_code == 403
        assert grade_it(client, complaint).status_code == 403
        assert not CaseGrading.objects.exists()
        assert "Change the grade" not in page_text(client.get(case_url(complaint)))

    def test_an_administrator_grades(self, client, complaint):
        client.force_login(administrator())
        assert grade_it(client, complaint).status_code == 302

    @pytest.mark.parametrize("kind", [Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY])
    def test_only_complaints_and_mp_letters_have_a_grading_page(self, client, division, lead, kind):
        case = make_case(kind=kind, division=division, actor=lead)
        client.force_login(lead)
        assert client.get(grading_url(case)).status_code == 404
        assert "Grade" not in page_text(client.get(case_url(case))).split("Clocks")[0]

    def test_signing_in_is_needed(self, client, complaint):
        assert client.get(grading_url(complaint)).url.startswith("/sign-in/")

    def test_opening_the_page_is_audited_as_a_view_of_the_case(self, client, complaint, lead):
        client.force_login(lead)
        client.get(grading_url(complaint))
        viewed = AuditEvent.objects.filter(action="case.viewed").latest("id")
        assert (viewed.case, viewed.actor) == (complaint, lead)


class TestTheCasePage:
    def test_an_ungraded_complaint_says_so_with_a_link_to_grade_it(self, client, complaint, lead):
        client.force_login(lead)
        response = client.get(case_url(complaint))
        assert "Grade Not graded yet Grade the complaint" in page_text(response)
        assert f'href="{grading_url(complaint)}"' in response.content.decode()

    def test_a_grading_can_move_the_response_date_shown_in_the_clocks(self, client, complaint, lead):
        client.force_login(lead)
        before = Case.objects.get(pk=complaint.pk).response_due_on
        grade_it(client, complaint, cell="5-5")
        after = Case.objects.get(pk=complaint.pk).response_due_on
        assert after != before
        assert f"{after:%a %-d %b %Y}" in page_text(client.get(case_url(complaint)))


def test_the_grading_page_reads_the_database_a_fixed_number_of_times_however_long_the_history(client, complaint, lead):
    client.force_login(lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(grading_url(complaint)).status_code == 200
        return len(captured)

    grade_it(client, complaint, cell="2-2")
    complaint.refresh_from_db()
    few = queries()
    for cell in ("3-3", "4-4", "5-5", "1-1"):
        complaint.refresh_from_db()
        grade_it(client, complaint, cell=cell)
    assert queries() == few
    assert problems(client.get(grading_url(complaint))) == []
