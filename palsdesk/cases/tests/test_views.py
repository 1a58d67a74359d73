"""The staff pages for cases: every page renders, sign-in is needed, logging a case, htmx notes, text shown as text."""

import copy
import datetime
import re

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils.html import escape

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Case, Channel, Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, SCRIPT, TODAY, case_url, clock_rows, form_defaults, on, problems, rows
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.tests.factories import DivisionFactory, ServiceFactory, SiteFactory
from palsdesk.people.models import CaseParty, PartyRole
from palsdesk.people.tests.factories import person_details, valid_nhs_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def division():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def case(division, caseworker):
    return make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, case_officer=caseworker)


def _pages_of(case):
    party = case.parties.first()
    return [
        reverse("cases:my_work"),
        reverse("cases:list"),
        reverse("cases:list") + "?q=Lovelace&status=open",
        reverse("cases:log"),
        case_url(case),
        case_url(case, "edit"),
        reverse("people:add", kwargs={"reference": case.reference}),
        reverse("people:edit", kwargs={"reference": case.reference, "party_id": party.pk}),
        reverse("people:consent", kwargs={"reference": case.reference}),
    ]


@pytest.fixture
def strict_templates(settings):
    """A variable the template cannot find is shown as TEMPLATE-ERROR instead of nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "TEMPLATE-ERROR[%s]"
    settings.TEMPLATES = templates  # assigned, not changed in place, so the template engine is rebuilt


def assert_no_template_errors(response, where) -> None:
    assert "TEMPLATE-ERROR" not in response.content.decode(), (
        where,
        re.findall(r"TEMPLATE-ERROR\[[^]]*]", str(response.content)),
    )


@pytest.mark.usefixtures("strict_templates")
class TestEveryPage:
    def test_the_template_engine_shows_a_missing_variable_for_these_checks(self):
        assert engines["django"].engine.string_if_invalid == "TEMPLATE-ERROR[%s]"

    def test_every_page_renders_for_a_caseworker_without_template_errors(self, client, case, caseworker):
        client.force_login(caseworker)
        for url in _pages_of(case):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_no_template_errors(response, url)

    @pytest.mark.parametrize("role", [coordinator, divisional_manager, auditor, volunteer])
    def test_every_page_renders_for_each_role_or_refuses_cleanly(self, client, case, division, role):
        client.force_login(role(divisions=[division]))
        for url in _pages_of(case):
            response = client.get(url)
            assert response.status_code in (200, 403, 404), url
            assert_no_template_errors(response, url)

    def test_every_form_comes_back_with_its_errors_without_template_errors(self, client, case, caseworker):
        client.force_login(caseworker)
        party = case.parties.first()
        forms = [
            reverse("cases:log"),
            case_url(case, "add_note"),
            case_url(case, "log_contact"),
            case_url(case, "move"),
            case_url(case, "assign"),
            case_url(case, "link"),
            case_url(case, "agree_response_date"),
            case_url(case, "agree_extension"),
            case_url(case, "put_on_hold"),
            case_url(case, "release_hold"),
            case_url(case, "record_delay_letter"),
            case_url(case, "edit"),
            reverse("people:add", kwargs={"reference": case.reference}),
            reverse("people:edit", kwargs={"reference": case.reference, "party_id": party.pk}),
            reverse("people:consent", kwargs={"reference": case.reference}),
        ]
        for url in forms:
            response = client.post(url, {"version": case.version, "case_officer": "x", "reason": "R" * 2_001})
            assert response.status_code == 200, url
            assert "There is a problem" in response.content.decode(), url
            assert_no_template_errors(response, url)
        for url in forms[1:3]:
            response = client.post(url, {}, HTTP_HX_REQUEST="true")
            assert_no_template_errors(response, url)

    def test_the_case_page_renders_every_clock_section_without_template_errors(self, client, division):
        lead = coordinator(divisions=[division])
        # Received 1 May, about an event in January 2025: past the long-stop and made after the time limit.
        case = make_case(
            kind=Kind.COMPLAINT,
            division=division,
            actor=lead,
            received_on=datetime.date(2026, 5, 1),
            event_on=datetime.date(2025, 1, 2),
        )
        deadline_services.agree_response_date(
            case, due_on=datetime.date(2026, 7, 1), agreed_with="Mr Lamb", agreed_on=case.received_on, actor=lead
        )
        reason = HoldReason.objects.active().first()
        deadline_services.put_on_hold(case, reason=reason, started_on=datetime.date(2026, 5, 4), actor=lead)
        deadline_services.release_hold(case, ended_on=datetime.date(2026, 5, 8), actor=lead)
        deadline_services.put_on_hold(case, reason=reason, started_on=datetime.date(2026, 6, 1), actor=lead)
        client.force_login(lead)
        html = client.get(case_url(case)).content.decode()
        for section in ("A delay letter is owed", "Record the decision", "Response date history", "Holds on the"):
            assert section in html, section
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert {name for name in ids if ids.count(name) > 1} == set()
        assert_no_template_errors(client.get(case_url(case)), "case page")
        response = client.post(case_url(case, "record_time_limit_decision"), {"version": case.version})
        assert "There is a problem" in response.content.decode()
        assert_no_template_errors(response, "time-limit decision")
        deadline_services.record_time_limit_decision(
            case, has_good_reasons=True, can_investigate_fairly=False, rationale="R", decided_on=TODAY, actor=lead
        )
        response = client.get(case_url(case))
        assert "Change the decision" in response.content.decode()
        assert_no_template_errors(response, "case page with a decision")

    def test_a_search_that_is_too_long_or_a_filter_not_on_the_list_is_refused(self, client, caseworker):
        client.force_login(caseworker)
        query = "word " * 2_000
        response = client.get(reverse("cases:list"), {"q": query, "status": "lost"})
        assert "Search must be 200 characters or fewer" in " ".join(problems(response))
        assert "Choose a status from the list." in problems(response)
        assert escape(query.strip()) in response.content.decode()

    def test_the_error_pages_render(self, client, caseworker):
        client.force_login(caseworker)
        response = client.get("/cases/PAL-2026-99999/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    @pytest.mark.parametrize("path", ["/", "/cases/", "/cases/new/", "/cases/COM-2026-00001/"])
    def test_sign_in_is_required_for_every_page(self, client, path):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/sign-in/?next=")

    def test_signing_in_is_required_for_each_case_page_and_action(self, client, case):
        before = rows()
        for url in _pages_of(case):
            assert client.get(url).url.startswith("/sign-in/"), url
        for name in ("add_note", "log_contact", "move", "assign", "link", "edit"):
            assert client.post(case_url(case, name), {"body": "x"}).url.startswith("/sign-in/"), name
        assert rows() == before


class TestTheCasePage:
    def test_no_two_elements_on_the_case_page_share_an_id(self, client, case, caseworker):
        client.force_login(caseworker)
        response = client.post(case_url(case, "assign"), {"version": 1, "reason": "R" * 2_001})
        ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
        assert {name for name in ids if ids.count(name) > 1} == set()
        assert {"note_body", "contact_body", "move_reason", "assign_reason", "link_reason"} <= set(ids)

    def test_a_refused_change_is_summarised_at_the_top_of_the_page_and_linked_to_its_field(
        self, client, case, caseworker
    ):
        client.force_login(caseworker)
        response = client.post(case_url(case, "assign"), {"version": 1, "reason": "R" * 2_001})
        html = response.content.decode()
        assert f"<title>Error: {case.reference} – PALS Desk</title>" in html
        assert html.index("There is a problem") < html.index("<h1>")
        assert html.count("There is a problem") == 1
        assert '<a href="#assign_reason">Reason for the change must be 2,000 characters or fewer.' in html
        assert 'id="assign_reason"' in html

    def test_the_case_page_shows_the_case_its_people_and_its_deadlines(self, client, caseworker, division):
        number = valid_nhs_number(5)
        case = make_case(
            kind=Kind.COMPLAINT,
            division=division,
            actor=caseworker,
            received_on=TODAY,
            complainant=person_details(nhs_number=number),
            complainant_is_patient=True,
        )
        client.force_login(caseworker)
        response = client.get(case_url(case))
        html = response.content.decode()
        assert f"<title>{case.reference} – PALS Desk</title>" in html
        # One card for the person, naming both roles they hold.
        assert html.count("Ada Lovelace: patient and complainant, main contact") == 1
        assert f"{number[:3]} {number[3:6]} {number[6:]}" in html
        assert f"{case.acknowledgement_due_on:%a %-d %b %Y}" in clock_rows(response)["acknowledgement"]
        assert "There is a problem" not in html


class TestLogCase:
    def test_the_log_form_offers_today_as_the_received_date(self, client, caseworker):
        client.force_login(caseworker)
        defaults = form_defaults(client.get(reverse("cases:log")), reverse("cases:log"))
        assert [defaults["received_on_0"], defaults["received_on_1"], defaults["received_on_2"]] == [
            ["21"],
            ["11"],
            ["2026"],
        ]

    def test_the_log_form_completes_with_kind_channel_date_last_name_summary_and_division(
        self, client, caseworker, division
    ):
        client.force_login(caseworker)
        posted = form_defaults(client.get(reverse("cases:log")), reverse("cases:log"))
        posted |= {
            "kind": Kind.COMPLAINT,
            "channel": Channel.LETTER,
            "last_name": "Seacole",
            "summary": "No one explained the discharge plan",
            "division": str(division.pk),
        }

        response = client.post(reverse("cases:log"), posted)

        case = Case.objects.get()
        assert response.status_code == 302
        assert response.url == case_url(case)
        assert (case.kind, case.status, case.received_on, case.division) == (
            Kind.COMPLAINT,
            Status.RECEIVED,
            TODAY,
            division,
        )
        assert case.case_officer == caseworker
        assert case.parties.get(role=PartyRole.COMPLAINANT).person.last_name == "Seacole"
        assert AuditEvent.objects.filter(action="case.opened", case=case, channel="web").exists()
        page = client.get(response.url).content.decode()
        assert f"Complaint {case.reference} logged." in page

    def test_a_representative_is_logged_with_the_patient_they_act_for(self, client, caseworker, division):
        client.force_login(caseworker)
        nhs_number = valid_nhs_number(7)
        service = ServiceFactory(division=division)
        response = client.post(
            reverse("cases:log"),
            {
                "kind": Kind.PALS_CONCERN,
                "channel": Channel.PHONE,
                **on("received_on", TODAY),
                "raised_by": "representative",
                "first_name": "Mary",
                "last_name": "Seacole",
                "relationship_to_patient": "child",
                "patient_first_name": "Edwin",
                "patient_last_name": "Seacole",
                "patient_nhs_number": f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}",
                "summary": "Father moved wards without the family being told",
                "division": str(division.pk),
                "site": str(SiteFactory().pk),
                "service": str(service.pk),
            },
        )

        assert response.status_code == 302
        parties = {party.role: party for party in CaseParty.objects.select_related("person")}
        assert parties[PartyRole.REPRESENTATIVE].person.first_name == "Mary"
        assert parties[PartyRole.REPRESENTATIVE].relationship_to_patient == "child"
        assert parties[PartyRole.PATIENT].person.nhs_number == nhs_number
        assert Case.objects.get().service == service

    def test_a_volunteer_is_offered_only_pals_concerns_compliments_and_enquiries(self, client, division):
        client.force_login(volunteer(divisions=[division]))
        response = client.get(reverse("cases:log"))
        kinds = set(_radio_values(response, "kind"))
        assert kinds == {Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY}

    @pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.MP_LETTER])
    def test_a_volunteer_gets_403_for_logging_a_complaint(self, client, division, kind):
        client.force_login(volunteer(divisions=[division]))
        before = rows()
        response = client.post(reverse("cases:log"), _minimal_log(division, kind=kind))
        assert response.status_code == 403
        assert rows() == before

    def test_a_volunteer_logs_a_pals_concern_and_sees_it(self, client, division):
        client.force_login(volunteer(divisions=[division]))
        response = client.post(reverse("cases:log"), _minimal_log(division, kind=Kind.PALS_CONCERN))
        assert response.status_code == 302
        case = Case.objects.get()
        assert case.case_officer is None
        assert client.get(response.url).status_code == 200

    def test_an_auditor_cannot_log_a_case(self, client, division):
        client.force_login(auditor())
        assert client.get(reverse("cases:log")).status_code == 403
        before = rows()
        assert client.post(reverse("cases:log"), _minimal_log(division)).status_code == 403
        assert rows() == before

    def test_a_divisional_manager_cannot_log_a_case(self, client, division):
        client.force_login(divisional_manager(divisions=[division]))
        assert client.get(reverse("cases:log")).status_code == 403

    def test_a_staff_complainant_case_is_restricted_to_the_person_who_logged_it(self, client, caseworker, division):
        client.force_login(caseworker)
        response = client.post(reverse("cases:log"), _minimal_log(division) | {"is_staff_complainant": "on"})
        case = Case.objects.get()
        assert response.status_code == 302
        assert case.is_restricted
        assert set(case.named_users.all()) == {caseworker}
        client.force_login(coordinator())
        assert client.get(case_url(case)).status_code == 404


def _minimal_log(division, *, kind=Kind.PALS_CONCERN) -> dict[str, str]:
    return {
        "kind": kind,
        "channel": Channel.PHONE,
        **on("received_on", TODAY),
        "raised_by": "patient",
        "last_name": "Seacole",
        "summary": "Waited four hours for pain relief",
        "division": str(division.pk),
    }


def _radio_values(response, name):
    return re.findall(rf'name="{name}" type="radio" value="([^"]*)"', response.content.decode())


class TestNotesWithHtmx:
    def test_a_note_posted_with_htmx_answers_with_only_the_activity_section(self, client, case, caseworker):
        client.force_login(caseworker)
        response = client.post(case_url(case, "add_note"), {"body": "Rang the ward sister"}, HTTP_HX_REQUEST="true")

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<section id="activity"')
        assert html.rstrip().endswith("</section>")
        assert "Rang the ward sister" in html
        assert "<html" not in html
        assert case.timeline.filter(kind=TimelineEntry.EntryKind.NOTE, body="Rang the ward sister").exists()

    def test_a_note_without_htmx_redirects_to_the_case_timeline(self, client, case, caseworker):
        client.force_login(caseworker)
        response = client.post(case_url(case, "add_note"), {"body": "Rang the ward sister"})
        assert response.status_code == 302
        assert response.url == case_url(case) + "#activity"
        assert "Note added." in client.get(response.url).content.decode()

    def test_an_empty_note_with_htmx_answers_with_the_activity_section_and_its_error(self, client, case, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = client.post(case_url(case, "add_note"), {"body": "  "}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.content.decode().lstrip().startswith('<section id="activity"')
        assert "Enter the note." in problems(response)
        assert rows() == before

    def test_a_call_posted_with_htmx_answers_with_the_activity_section(self, client, case, caseworker):
        client.force_login(caseworker)
        response = client.post(
            case_url(case, "log_contact"),
            {"channel": "call", "direction": "out", "contact": "Ward 7 sister", "body": "Agreed a visit"},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="activity"')
        assert "Agreed a visit" in html
        assert "Ward 7 sister" in html
        assert AuditEvent.objects.filter(action="case.call_logged", case=case, channel="web").exists()

    def test_someone_from_another_division_cannot_add_a_note_with_htmx(self, client, case):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        before = rows()
        response = client.post(case_url(case, "add_note"), {"body": "Nosy"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 404
        assert rows() == before


class TestTextIsShownAsText:
    def test_a_summary_with_a_script_is_shown_as_text_on_the_case_page_and_lists(self, client, caseworker, division):
        case = make_case(
            kind=Kind.PALS_CONCERN,
            division=division,
            actor=caseworker,
            case_officer=caseworker,
            summary="<script>alert(1)</script>",
            account="<b>bold</b> claims",
            complainant=person_details(last_name="<img src=x onerror=alert(1)>"),
        )
        client.force_login(caseworker)
        for url in (case_url(case), reverse("cases:my_work"), reverse("cases:list")):
            html = client.get(url).content.decode()
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
            assert "<script>alert(1)" not in html, url
            assert "<img src=x" not in html, url
        html = client.get(case_url(case)).content.decode()
        assert "&lt;b&gt;bold&lt;/b&gt; claims" in html
        assert escape("<img src=x onerror=alert(1)>") in html

    def test_a_note_with_a_script_is_shown_as_text(self, client, case, caseworker):
        client.force_login(caseworker)
        client.post(case_url(case, "add_note"), {"body": SCRIPT})
        client.post(
            case_url(case, "log_contact"),
            {"channel": "email", "direction": "in", "contact": "<i>Mr X</i>", "body": "<script>bad()</script>"},
        )
        html = client.get(case_url(case)).content.decode()
        assert escape(SCRIPT) in html
        assert "<script>alert(1)" not in html
        assert "&lt;i&gt;Mr X&lt;/i&gt;" in html
        assert "<script>bad()" not in html

    def test_a_search_for_a_script_is_shown_as_text(self, client, caseworker):
        client.force_login(caseworker)
        html = client.get(reverse("cases:list"), {"q": "<script>alert(1)</script>"}).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
