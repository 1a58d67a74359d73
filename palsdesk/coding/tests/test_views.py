"""The issue pages: adding, changing and removing a case's issues, recording outcomes, and who may do each."""

import copy
import datetime
import re

import pytest
import time_machine
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
from palsdesk.cases.models import Case, Kind, Outcome, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, SCRIPT, assert_refused, case_url, form_defaults, page_text, problems
from palsdesk.coding.models import CaseIssue, TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code, local_subject
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

TO_RESPONSE = (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW, Status.RESPONSE_SENT)


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
        kind=Kind.COMPLAINT, division=division, actor=lead, case_officer=lead, received_on=datetime.date(2026, 11, 2)
    )


def url(case, name: str, issue=None) -> str:
    kwargs = {"reference": case.reference} | ({"issue_id": issue.pk} if issue is not None else {})
    return reverse(f"coding:{name}", kwargs=kwargs)


def codes(**chosen) -> dict:
    """What the issue form posts for codes given by list and slug: codes(subject="communications")."""
    posted = {}
    for name, value in chosen.items():
        kind = TaxonomyKind.PROFESSION if name == "professions" else name
        if isinstance(value, (list, tuple)):
            posted[name] = [code(kind, slug).pk for slug in value]
        else:
            posted[name] = code(kind, value).pk
    return posted


def an_issue(case, **changes) -> dict:
    values = {
        "version": case.version,
        "description": "Nobody said when the scan would be",
        **codes(subject="communications", service_area="acute-outpatient", professions=["medical", "other"]),
    }
    return values | changes


@pytest.fixture
def strict_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "TEMPLATE-ERROR[%s]"
    settings.TEMPLATES = templates


class TestAddingAnIssue:
    def test_an_issue_is_added_with_its_codes_and_shown_on_the_case_page(self, client, complaint, lead):
        client.force_login(lead)
        response = client.post(
            url(complaint, "add_issue"),
            an_issue(
                complaint,
                **codes(subject="clinical-treatment", clinical_subcategory="radiology-group", hcat_category="safety"),
                hcat_severity="2",
                hcat_harm="0",
            ),
        )
        assert response.status_code == 302
        assert response.url == case_url(complaint) + "#issues"
        issue = CaseIssue.objects.get(case=complaint)
        assert (issue.order, issue.subject.code, issue.clinical_subcategory.code) == (
            1,
            "clinical-treatment",
            "radiology-group",
        )
        assert {p.code for p in issue.professions.all()} == {"medical", "other"}
        assert (issue.hcat_category.code, issue.hcat_severity, issue.hcat_harm) == ("safety", 2, 0)

        text = page_text(client.get(response.url))
        assert "Issue 1 added: Clinical treatment." in text
        assert "Issues (what the complaint is about) Issue 1: Clinical treatment" in text
        assert "Nobody said when the scan would be" in text
        assert "Clinical sub-category Radiology group" in text
        assert "Service area Acute services: outpatient" in text
        assert "Professions Medical (including hospital doctors and surgeons); Other" in text
        assert "HCAT Clinical: Safety Severity 2 medium; harm 0 no harm reported" in text
        assert "Outcome Not recorded yet" in text

    def test_adding_an_issue_writes_its_audit_event_and_timeline_entry(self, client, complaint, lead):
        client.force_login(lead)
        client.post(url(complaint, "add_issue"), an_issue(complaint))
        event = AuditEvent.objects.get(action="case.issue_added")
        assert (event.case, event.actor, event.channel) == (complaint, lead, "web")
        assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.CODING).exists()

    def test_a_local_subject_brings_its_national_subject(self, client, complaint, lead):
        letters = local_subject("Discharge letters", national="communications")
        client.force_login(lead)
        page = client.get(url(complaint, "add_issue")).content.decode()
        assert f'<optgroup label="Communications"><option value="{letters.pk}">Discharge letters</option>' in page
        data = an_issue(complaint, local_subject=letters.pk)
        del data["subject"]
        assert client.post(url(complaint, "add_issue"), data).status_code == 302
        issue = CaseIssue.objects.get()
        assert (issue.subject.code, issue.local_subject) == ("communications", letters)
        assert "Issue 1: Communications (Discharge letters)" in page_text(client.get(case_url(complaint)))

    def test_the_lists_are_the_cases_collection_year_with_hcat_under_its_domains(self, client, complaint, lead):
        client.force_login(lead)
        response = client.get(url(complaint, "add_issue"))
        html = response.content.decode()
        assert "From the KO41a 2025-26 lists" in page_text(response)
        assert re.search(r'<optgroup label="Relationships">.*Communication.*</optgroup>', html)
        assert 'name="professions" type="checkbox"' in html
        assert '<legend class="nhsuk-fieldset__legend">Professions</legend>' in html

    def test_an_outcome_given_with_the_issue_sets_the_cases_outcome(self, client, complaint, lead):
        client.force_login(lead)
        client.post(url(complaint, "add_issue"), an_issue(complaint, outcome=Outcome.PARTIALLY_UPHELD))
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.PARTIALLY_UPHELD
        assert "Outcome Partially upheld" in page_text(client.get(case_url(complaint)))

    def test_a_pals_concern_is_coded_without_professions_or_outcome(self, client, division, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=lead)
        client.force_login(lead)
        html = client.get(url(concern, "add_issue")).content.decode()
        assert 'name="outcome"' not in html
        assert "Professions (optional)" in html
        data = an_issue(concern, professions=[])
        assert client.post(url(concern, "add_issue"), data).status_code == 302
        text = page_text(client.get(case_url(concern)))
        assert "Issues (what the PALS concern is about)" in text
        assert "Outcome" not in text.split("Issues (")[1].split("People")[0]


class TestRefusals:
    def test_an_empty_issue_is_refused_naming_each_field_and_keeping_the_description(self, client, complaint, lead):
        client.force_login(lead)
        response = client.post(url(complaint, "add_issue"), {"version": complaint.version, "description": SCRIPT})
        assert_refused(response, says="Choose the subject.", kept=[SCRIPT])
        said = problems(response)
        assert "Choose the service area." in said
        assert "Choose at least one profession." in said
        html = response.content.decode()
        assert '<a href="#id_subject">Choose the subject.</a>' in html
        assert '<a href="#id_professions_0">Choose at least one profession.</a>' in html
        assert not CaseIssue.objects.exists()

    def test_clinical_treatment_without_a_sub_category_is_refused_and_the_choices_are_kept(
        self, client, complaint, lead
    ):
        client.force_login(lead)
        data = an_issue(complaint, **codes(subject="clinical-treatment"))
        response = client.post(url(complaint, "add_issue"), data)
        assert_refused(response, says="Choose the clinical treatment sub-category.")
        html = response.content.decode()
        assert f'<option value="{data["subject"]}" selected>Clinical treatment</option>' in html
        for profession in data["professions"]:
            assert re.search(rf'value="{profession}" checked', html)

    def test_not_investigated_needs_a_reason_shown_under_its_choice(self, client, complaint, lead):
        client.force_login(lead)
        response = client.post(url(complaint, "add_issue"), an_issue(complaint, outcome=Outcome.NOT_INVESTIGATED))
        assert_refused(response, says="Say why this issue was not investigated.")
        html = response.content.decode()
        reveal = re.search(
            r'<div class="nhsuk-radios__conditional" id="conditional-id_outcome_4">(.*?)</textarea>', html, re.S
        )
        assert reveal and "Say why this issue was not investigated." in reveal.group(1)

    def test_a_reason_typed_then_left_behind_by_another_outcome_is_not_sent(self, client, complaint, lead):
        client.force_login(lead)
        data = an_issue(complaint, outcome=Outcome.UPHELD, not_investigated_reason="Changed my mind")
        assert client.post(url(complaint, "add_issue"), data).status_code == 302
        assert CaseIssue.objects.get().not_investigated_reason == ""

    def test_a_severity_without_an_hcat_category_is_refused(self, client, complaint, lead):
        client.force_login(lead)
        response = client.post(url(complaint, "add_issue"), an_issue(complaint, hcat_severity="3"))
        assert_refused(response, says="Choose the HCAT category this severity is for.")
        assert "open>" in response.content.decode().split("HCAT coding")[0][-200:]

    @pytest.mark.parametrize(
        ("field", "value", "says"),
        [
            ("subject", "999999", "Choose a subject from the list."),
            ("service_area", "abc", "Choose a service area from the list."),
            ("hcat_harm", "9", "Choose the HCAT harm from the list."),
        ],
    )
    def test_a_value_not_on_the_list_is_refused(self, client, complaint, lead, field, value, says):
        client.force_login(lead)
        assert_refused(client.post(url(complaint, "add_issue"), an_issue(complaint, **{field: value})), says=says)

    def test_a_code_from_another_list_is_refused(self, client, complaint, lead):
        client.force_login(lead)
        data = an_issue(complaint, subject=code(TaxonomyKind.SERVICE_AREA, "maternity").pk)
        assert_refused(client.post(url(complaint, "add_issue"), data), says="Choose a subject from the list.")

    def test_a_stale_form_is_refused_saying_who_changed_the_case(self, client, complaint, lead, division):
        other = officer(divisions=[division], first_name="Mary", last_name="Seacole")
        client.force_login(other)
        opened = form_defaults(client.get(url(complaint, "add_issue")))
        client.force_login(lead)
        client.post(url(complaint, "add_issue"), an_issue(complaint))

        client.force_login(other)
        response = client.post(url(complaint, "add_issue"), an_issue(complaint) | {"version": opened["version"][0]})

        assert_refused(
            response,
            says="Florence Nightingale changed this case at 10:30 on 21 November 2026, after you opened it.",
            kept=["Nobody said when the scan would be"],
            at_field=False,
        )
        assert CaseIssue.objects.count() == 1
        complaint.refresh_from_db()
        assert f'name="version" value="{complaint.version}"' in response.content.decode()


class TestChangingAndRemoving:
    def test_the_change_page_shows_the_issue_as_it_is_and_saves_a_change(self, client, complaint, lead):
        issue = add_coded_issue(complaint, actor=lead, description="Letter late")
        complaint.refresh_from_db()
        client.force_login(lead)
        page = client.get(url(complaint, "change_issue", issue))
        defaults = form_defaults(page)
        assert defaults["subject"] == [str(issue.subject_id)]
        assert defaults["description"] == ["Letter late"]
        assert defaults["outcome"] == [""]
        data = {name: values if name == "professions" else values[0] for name, values in defaults.items()}
        data |= codes(service_area="maternity")
        response = client.post(url(complaint, "change_issue", issue), data)
        assert response.status_code == 302
        issue.refresh_from_db()
        assert issue.service_area.code == "maternity"
        assert "Issue 1 saved." in page_text(client.get(response.url))
        assert AuditEvent.objects.filter(action="case.issue_changed", channel="web").exists()

    def test_a_change_that_breaks_the_rules_is_refused_and_what_was_chosen_is_kept(self, client, complaint, lead):
        issue = add_coded_issue(complaint, actor=lead)
        complaint.refresh_from_db()
        client.force_login(lead)
        data = an_issue(complaint, professions=[], description="Only the description changed")
        response = client.post(url(complaint, "change_issue", issue), data)
        assert_refused(response, says="Choose at least one profession.", kept=["Only the description changed"])
        issue.refresh_from_db()
        assert issue.professions.count() == 1

    def test_removing_asks_first_then_renumbers_the_rest(self, client, complaint, lead):
        first = add_coded_issue(complaint, actor=lead)
        add_coded_issue(complaint, actor=lead, subject="waiting-times")
        complaint.refresh_from_db()
        client.force_login(lead)
        page = client.get(url(complaint, "remove_issue", first))
        assert "Remove issue 1?" in page_text(page)
        assert CaseIssue.objects.count() == 2
        response = client.post(url(complaint, "remove_issue", first), {"version": complaint.version})
        assert response.status_code == 302
        remaining = CaseIssue.objects.get()
        assert (remaining.order, remaining.subject.code) == (1, "waiting-times")
        assert "Issue 1 (Communications) removed." in page_text(client.get(response.url))
        assert AuditEvent.objects.filter(action="case.issue_removed", channel="web").exists()

    def test_a_stale_removal_is_refused(self, client, complaint, lead):
        issue = add_coded_issue(complaint, actor=lead)
        client.force_login(lead)
        response = client.post(url(complaint, "remove_issue", issue), {"version": 1})
        assert_refused(response, says="changed this case at 10:30 on 21 November 2026", at_field=False)
        assert CaseIssue.objects.exists()

    def test_an_issue_of_another_case_is_not_found(self, client, complaint, lead, division):
        other = make_case(kind=Kind.COMPLAINT, division=division, actor=lead)
        issue = add_coded_issue(other, actor=lead)
        client.force_login(lead)
        for name in ("change_issue", "record_outcome", "remove_issue"):
            assert client.get(url(complaint, name, issue)).status_code == 404, name


class TestOutcomes:
    @pytest.fixture
    def investigator(self, division, complaint):
        manager = divisional_manager(divisions=[division], first_name="Edith", last_name="Cavell")
        return manager

    def test_an_investigator_records_each_outcome_and_the_case_outcome_follows(
        self, client, complaint, lead, investigator
    ):
        first = add_coded_issue(complaint, actor=lead)
        second = add_coded_issue(complaint, actor=lead, subject="waiting-times")
        client.force_login(investigator)
        page = client.get(case_url(complaint))
        assert "Record the outcome" in page_text(page)
        assert "Add an issue" not in page_text(page)
        complaint.refresh_from_db()
        response = client.post(
            url(complaint, "record_outcome", first), {"version": complaint.version, "outcome": "upheld"}
        )
        assert response.status_code == 302
        assert "Outcome recorded for issue 1 (Communications): upheld." in page_text(client.get(response.url))
        complaint.refresh_from_db()
        assert complaint.outcome == ""
        client.post(url(complaint, "record_outcome", second), {"version": complaint.version, "outcome": "not_upheld"})
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.PARTIALLY_UPHELD
        text = page_text(client.get(case_url(complaint)))
        assert "Outcome Partially upheld" in text
        event = AuditEvent.objects.filter(action="case.issue_outcome_recorded").latest("id")
        assert (event.actor, event.channel) == (investigator, "web")

    def test_no_outcome_chosen_is_refused(self, client, complaint, lead, investigator):
        issue = add_coded_issue(complaint, actor=lead)
        complaint.refresh_from_db()
        client.force_login(investigator)
        response = client.post(
            url(complaint, "record_outcome", issue), {"version": complaint.version, "not_investigated_reason": ""}
        )
        assert_refused(response, says="Choose upheld, partially upheld, not upheld or not investigated.")
        assert '<a href="#id_outcome_0">' in response.content.decode()

    def test_not_investigated_is_recorded_with_its_reason(self, client, complaint, lead, investigator):
        issue = add_coded_issue(complaint, actor=lead)
        complaint.refresh_from_db()
        client.force_login(investigator)
        response = client.post(
            url(complaint, "record_outcome", issue),
            {"version": complaint.version, "outcome": "not_investigated", "not_investigated_reason": "Legal claim"},
        )
        assert response.status_code == 302
        text = page_text(client.get(case_url(complaint)))
        assert "Not investigated Not investigated because: Legal claim" in text

    def test_a_pals_concern_has_no_outcome_page(self, client, division, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=lead)
        issue = add_coded_issue(concern, actor=lead, professions=())
        client.force_login(lead)
        assert client.get(url(concern, "record_outcome", issue)).status_code == 404
        assert "Record the outcome" not in page_text(client.get(case_url(concern)))


class TestClosing:
    def test_the_case_page_lists_what_closing_still_needs_under_the_next_step(self, client, complaint, lead):
        for status in TO_RESPONSE:
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = case_services.move_case(complaint, to=status, actor=lead)
        add_coded_issue(complaint, actor=lead, outcome=Outcome.UPHELD)
        add_coded_issue(complaint, actor=lead, subject="waiting-times")
        client.force_login(lead)
        response = client.get(case_url(complaint))
        text = page_text(response)
        assert "Next step" in text
        gaps = re.search(
            r'<div class="nhsuk-inset-text" id="closing-gaps">(.*?)</div>', response.content.decode(), re.S
        )
        assert "Before closing: Issue 2 (Waiting times): no outcome." in page_text_of(gaps.group(1))
        assert 'value="close"' not in response.content.decode()

    def test_a_complaint_with_no_issues_is_told_to_add_one(self, client, complaint, lead):
        for status in TO_RESPONSE:
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = case_services.move_case(complaint, to=status, actor=lead)
        client.force_login(lead)
        assert "Before closing: Add at least one issue." in page_text(client.get(case_url(complaint)))

    def test_a_fully_coded_complaint_can_be_closed_and_says_nothing_more(self, client, complaint, lead):
        for status in TO_RESPONSE:
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = case_services.move_case(complaint, to=status, actor=lead)
        add_coded_issue(complaint, actor=lead, outcome=Outcome.UPHELD)
        client.force_login(lead)
        html = client.get(case_url(complaint)).content.decode()
        assert "Before closing" not in html
        assert 'value="close"' in html

    def test_before_the_response_nothing_is_said_about_closing(self, client, complaint, lead):
        client.force_login(lead)
        assert "Before closing" not in client.get(case_url(complaint)).content.decode()


def page_text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace(" :", ":").strip()


class TestAccess:
    @pytest.fixture
    def issue(self, complaint, lead):
        made = add_coded_issue(complaint, actor=lead)
        complaint.refresh_from_db()
        return made

    def requests(self, complaint, issue):
        version = {"version": complaint.version}
        return [
            ("get", url(complaint, "add_issue"), {}),
            ("post", url(complaint, "add_issue"), an_issue(complaint)),
            ("get", url(complaint, "change_issue", issue), {}),
            ("post", url(complaint, "change_issue", issue), an_issue(complaint)),
            ("get", url(complaint, "record_outcome", issue), {}),
            ("post", url(complaint, "record_outcome", issue), version | {"outcome": "upheld"}),
            ("get", url(complaint, "remove_issue", issue), {}),
            ("post", url(complaint, "remove_issue", issue), version),
        ]

    def test_someone_in_another_division_gets_404_for_every_issue_page(self, client, complaint, issue):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        before = CaseIssue.objects.values_list("pk", "outcome", "service_area").get()
        for method, address, data in self.requests(complaint, issue):
            assert getattr(client, method)(address, data).status_code == 404, (method, address)
        assert CaseIssue.objects.values_list("pk", "outcome", "service_area").get() == before

    @pytest.mark.parametrize("role", [auditor, approver])
    def test_a_role_that_cannot_code_or_record_outcomes_gets_403_for_every_issue_page(
        self, client, complaint, issue, division, role
    ):
        client.force_login(role(divisions=[division]))
        for method, address, data in self.requests(complaint, issue):
            assert getattr(client, method)(address, data).status_code == 403, (method, address)
        assert CaseIssue.objects.count() == 1
        assert "Add an issue" not in page_text(client.get(case_url(complaint)))

    def test_an_investigator_records_outcomes_but_gets_403_for_coding(self, client, complaint, issue, division):
        client.force_login(divisional_manager(divisions=[division]))
        for method, address, data in self.requests(complaint, issue):
            expected = 403 if "/outcome/" not in address else (200 if method == "get" else 302)
            assert getattr(client, method)(address, data).status_code == expected, (method, address)

    def test_a_volunteer_cannot_see_the_complaint(self, client, complaint, issue, division):
        client.force_login(volunteer(divisions=[division]))
        for method, address, data in self.requests(complaint, issue):
            assert getattr(client, method)(address, data).status_code == 404, (method, address)

    @pytest.mark.parametrize("role", [officer, coordinator, administrator])
    def test_caseworkers_code_issues(self, client, complaint, division, role):
        client.force_login(role(divisions=[division]))
        assert client.post(url(complaint, "add_issue"), an_issue(complaint)).status_code == 302


@pytest.mark.usefixtures("strict_templates")
def test_every_issue_page_renders_without_template_errors_and_without_shared_ids(client, complaint, lead):
    issue = add_coded_issue(
        complaint,
        actor=lead,
        hcat_category=code(TaxonomyKind.HCAT_CATEGORY, "listening"),
        hcat_severity=1,
        outcome=Outcome.NOT_INVESTIGATED,
        not_investigated_reason="Legal",
    )
    complaint = Case.objects.get(pk=complaint.pk)
    client.force_login(lead)
    pages = [url(complaint, "add_issue")] + [
        url(complaint, name, issue) for name in ("change_issue", "record_outcome", "remove_issue")
    ]
    for address in [*pages, case_url(complaint)]:
        html = client.get(address).content.decode()
        assert "TEMPLATE-ERROR" not in html, address
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert {name for name in ids if ids.count(name) > 1} == set(), address
    for address in pages:
        html = client.post(address, {"version": 1, "description": "x" * 2_001}).content.decode()
        assert "There is a problem" in html, address
        assert "TEMPLATE-ERROR" not in html, address
    assert escape("HCAT Relationships: Listening") in page_text(client.get(case_url(complaint)))
