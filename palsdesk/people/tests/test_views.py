"""The pages for the people on a case: adding someone, changing their details, and recording consent."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import auditor, divisional_manager, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import (
    NOW,
    SCRIPT,
    TEN_THOUSAND,
    TODAY,
    assert_refused,
    case_url,
    date_parts,
    on,
    problems,
    rows,
)
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.models import CaseParty, CommunicationNeed, Consent, PartyRole, Person
from palsdesk.people.tests.factories import person_details, valid_nhs_number

pytestmark = pytest.mark.django_db

TOMORROW = datetime.date(2026, 11, 22)
CHOSEN = {"role", "relationship_to_patient", "preferred_contact_method", "communication_needs", "status"}
CHOSEN |= {"acting_reason", "is_main_contact"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(division, caseworker):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=caseworker,
        case_officer=caseworker,
        complainant=person_details(first_name="Ada", last_name="Lovelace"),
    )


@pytest.fixture
def party(case):
    return case.parties.get(role=PartyRole.COMPLAINANT)


def add_url(case) -> str:
    return reverse("people:add", kwargs={"reference": case.reference})


def edit_url(case, party) -> str:
    return reverse("people:edit", kwargs={"reference": case.reference, "party_id": party.pk})


def consent_url(case) -> str:
    return reverse("people:consent", kwargs={"reference": case.reference})


def typed(change: dict) -> list[str]:
    return [value for name, value in change.items() if name not in CHOSEN and isinstance(value, str) and value]


def too_long(field: str, name: str, limit: int):
    return pytest.param({field: TEN_THOUSAND}, f"{name} must be {limit:,} characters or fewer", id=f"{field}-too-long")


# Mistakes that both the add and the change forms must refuse, naming the field.
PERSON_MISTAKES = [
    pytest.param({"last_name": ""}, "Enter their last name.", id="no-last-name"),
    pytest.param({"last_name": "   "}, "Enter their last name.", id="blank-last-name"),
    pytest.param({"nhs_number": "485 777 3456"}, "That is not a valid NHS number", id="nhs-check-digit"),
    pytest.param({"nhs_number": "12345"}, "NHS number must be 10 digits", id="nhs-short"),
    pytest.param({"nhs_number": "NHS1234567"}, "NHS number must contain only digits", id="nhs-letters"),
    pytest.param({"email": "ada at example"}, "Enter an email address in the correct format", id="email"),
    pytest.param(date_parts("date_of_birth", "1", "Jan", "1990"), "must be written in numbers", id="dob-letters"),
    pytest.param(date_parts("date_of_birth", "31", "2", "1990"), "The date of birth must be a real date.", id="31-2"),
    pytest.param(date_parts("date_of_birth", "1", "1", "90"), "must have 4 digits", id="dob-two-digit-year"),
    pytest.param(date_parts("date_of_birth", "1", "", "1990"), "must include a month", id="dob-no-month"),
    pytest.param(on("date_of_birth", TOMORROW), "Date of birth must be today or in the past.", id="dob-future"),
    pytest.param(on("date_of_death", TOMORROW), "Date of death must be today or in the past.", id="dod-future"),
    pytest.param(
        on("date_of_birth", datetime.date(1990, 1, 1)) | on("date_of_death", datetime.date(1980, 1, 1)),
        "Date of death must be on or after the date of birth.",
        id="death-before-birth",
    ),
    pytest.param({"preferred_contact_method": "pigeon"}, "Choose how they prefer to be contacted", id="contact"),
    pytest.param({"communication_needs": ["abc"]}, "Choose communication needs from the list.", id="need"),
    pytest.param({"communication_needs": ["9" * 30]}, "Choose communication needs from the list.", id="need-number"),
    too_long("title", "Title", 20),
    too_long("first_name", "First name", 100),
    too_long("last_name", "Last name", 100),
    too_long("nhs_number", "NHS number", 20),
    too_long("address_line_1", "Address line 1", 200),
    too_long("address_line_2", "Address line 2", 200),
    too_long("town", "Town or city", 100),
    too_long("postcode", "Postcode", 10),
    too_long("phone", "Phone number", 40),
    too_long("email", "Email address", 254),
    too_long("interpreter_language", "Interpreter language", 60),
    pytest.param({"communication_notes": "N" * 5_001}, "Other communication notes must be 5,000", id="notes"),
]


class TestAddPerson:
    @pytest.fixture
    def form(self):
        return {
            "role": PartyRole.REPRESENTATIVE,
            "relationship_to_patient": "spouse",
            "first_name": SCRIPT,
            "last_name": "Byron",
        }

    def test_a_representative_is_added_with_their_communication_needs(self, client, case, caseworker, form):
        needs = list(CommunicationNeed.objects.all()[:2])
        number = valid_nhs_number(11)
        client.force_login(caseworker)
        response = client.post(
            add_url(case),
            form
            | {
                "first_name": "George",
                "nhs_number": number,
                "postcode": "ls1 4ap",
                "is_main_contact": "on",
                "communication_needs": [need.code for need in needs],
                "interpreter_language": "Polish",
                **on("date_of_birth", datetime.date(1960, 5, 1)),
            },
        )

        assert response.status_code == 302, problems(response)
        assert response.url == case_url(case)
        party = case.parties.get(role=PartyRole.REPRESENTATIVE)
        assert (party.relationship_to_patient, party.is_main_contact) == ("spouse", True)
        assert (party.person.postcode, party.person.nhs_number) == ("LS1 4AP", number)
        assert set(party.person.communication_needs.all()) == set(needs)
        assert AuditEvent.objects.filter(action="person.added_to_case", case=case, channel="web").exists()
        html = client.get(response.url).content.decode()
        assert "George Byron, representative (husband, wife or partner), has communication needs:" in html
        assert "interpreter: Polish" in html

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"role": ""}, "Choose their role on this case.", id="no-role"),
            pytest.param({"role": "judge"}, "Choose their role on this case from the list.", id="unknown-role"),
            pytest.param(
                {"relationship_to_patient": ""}, "Say how the representative is related", id="no-relationship"
            ),
            pytest.param({"relationship_to_patient": "cousin"}, "Choose a relationship from the list.", id="rel"),
            *PERSON_MISTAKES,
        ],
    )
    def test_adding_a_person_refuses_bad_input_and_keeps_what_was_typed(
        self, client, case, caseworker, form, change, says
    ):
        client.force_login(caseworker)
        before = rows()
        response = client.post(add_url(case), form | change)
        assert_refused(response, says=says, kept=typed(change), before=before)
        if "first_name" not in change:
            assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in response.content.decode()

    def test_a_person_with_html_in_their_name_is_shown_as_text(self, client, case, caseworker, form):
        client.force_login(caseworker)
        client.post(add_url(case), form)
        html = client.get(case_url(case)).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html

    def test_the_add_page_keeps_the_communication_needs_ticked(self, client, case, caseworker, form):
        need = CommunicationNeed.objects.first()
        client.force_login(caseworker)
        response = client.post(add_url(case), form | {"last_name": "", "communication_needs": [need.code]})
        assert f'value="{need.code}" checked' in response.content.decode()


class TestEditPerson:
    @pytest.fixture
    def form(self, party):
        return {"first_name": "Ada", "last_name": "King", "title": "<i>Dr</i>"}

    def test_a_persons_details_are_changed(self, client, case, party, caseworker, form):
        need = CommunicationNeed.objects.first()
        client.force_login(caseworker)
        response = client.post(edit_url(case, party), form | {"title": "", "communication_needs": [need.code]})

        assert response.status_code == 302, problems(response)
        party.person.refresh_from_db()
        assert party.person.full_name == "Ada King"
        assert list(party.person.communication_needs.all()) == [need]
        event = AuditEvent.objects.get(action="person.changed")
        assert (event.case, event.channel, event.changes["last_name"]) == (case, "web", ["Lovelace", "King"])
        assert case.timeline.filter(kind=TimelineEntry.EntryKind.PEOPLE, body="Ada King's details changed.").exists()
        assert "Ada King&#x27;s details saved." in client.get(response.url).content.decode()

    def test_the_change_page_opens_with_their_details(self, client, case, party, caseworker):
        client.force_login(caseworker)
        html = client.get(edit_url(case, party)).content.decode()
        assert 'value="Lovelace"' in html
        assert "Change Ada Lovelace's details" in html

    @pytest.mark.parametrize(("change", "says"), PERSON_MISTAKES)
    def test_changing_a_person_refuses_bad_input_and_keeps_what_was_typed(
        self, client, case, party, caseworker, form, change, says
    ):
        client.force_login(caseworker)
        before = rows()
        response = client.post(edit_url(case, party), form | change)
        assert_refused(response, says=says, kept=typed(change), before=before)
        if "title" not in change:
            assert 'value="&lt;i&gt;Dr&lt;/i&gt;"' in response.content.decode()
        party.person.refresh_from_db()
        assert party.person.last_name == "Lovelace"

    def test_a_person_on_another_case_cannot_be_changed_through_this_one(self, client, case, caseworker, division):
        other = make_case(division=division)
        client.force_login(caseworker)
        before = rows()
        elsewhere = other.parties.first()
        assert client.get(edit_url(case, elsewhere)).status_code == 404
        assert client.post(edit_url(case, elsewhere), {"last_name": "Nope"}).status_code == 404
        assert rows() == before


class TestConsent:
    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"status": ""}, "Choose where consent stands.", id="no-status"),
            pytest.param({"status": "maybe"}, "Choose where consent stands from the list.", id="unknown-status"),
            pytest.param({"status": "requested"}, "Enter the date consent was requested", id="no-date"),
            pytest.param(
                {"status": "requested", **date_parts("status_on", "x", "11", "2026")},
                "The date must be written in numbers",
                id="letters",
            ),
            pytest.param(
                {"status": "requested", **date_parts("status_on", "31", "2", "2026")},
                "The date must be a real date.",
                id="31-2",
            ),
            pytest.param(
                {"status": "requested", **date_parts("status_on", "2", "11", "26")},
                "The year of the date must have 4 digits",
                id="two-digit-year",
            ),
            pytest.param(
                {"status": "requested", **on("status_on", TOMORROW)},
                "The consent date must be today or in the past.",
                id="future",
            ),
            pytest.param(
                {"status": "received", **on("status_on", TODAY), "evidence": ""},
                "Say what shows consent was given",
                id="no-evidence",
            ),
            pytest.param({"status": "not_possible"}, "Say why the patient cannot consent", id="no-reason"),
            pytest.param(
                {"status": "not_possible", "acting_reason": "bored"},
                "Choose why the patient cannot consent from the list.",
                id="unknown-reason",
            ),
            pytest.param(
                {"status": "received", **on("status_on", TODAY), "evidence": TEN_THOUSAND},
                "Evidence must be 5,000 characters or fewer",
                id="evidence-too-long",
            ),
            pytest.param({"status": "", "evidence": SCRIPT}, "Choose where consent stands.", id="html-kept"),
        ],
    )
    def test_recording_consent_refuses_bad_input_and_keeps_what_was_typed(self, client, case, caseworker, change, says):
        client.force_login(caseworker)
        before = rows()
        response = client.post(consent_url(case), change)
        assert_refused(response, says=says, kept=typed(change), before=before)

    def test_consent_received_is_recorded_and_shown_as_text(self, client, case, caseworker):
        client.force_login(caseworker)
        response = client.post(
            consent_url(case), {"status": "received", **on("status_on", TODAY), "evidence": "<b>Signed</b> form"}
        )
        assert response.status_code == 302, problems(response)
        consent = Consent.objects.get(case=case)
        assert (consent.status, consent.status_on, consent.evidence) == ("received", TODAY, "<b>Signed</b> form")
        assert AuditEvent.objects.filter(action="consent.recorded", case=case, channel="web").exists()
        html = client.get(case_url(case)).content.decode()
        assert "Received on 21 November 2026." in html
        assert "&lt;b&gt;Signed&lt;/b&gt; form" in html

    def test_the_consent_page_opens_with_what_was_recorded(self, client, case, caseworker):
        client.force_login(caseworker)
        client.post(consent_url(case), {"status": "not_possible", "acting_reason": "deceased"})
        html = client.get(consent_url(case)).content.decode()
        assert 'value="not_possible" checked' in html
        assert '<option value="deceased" selected>' in html


class TestWhoMayChangePeople:
    def _pages(self, case, party):
        person = {"role": "complainant", "last_name": "Nosy"}
        return [
            ("get", add_url(case), {}),
            ("post", add_url(case), person),
            ("get", edit_url(case, party), {}),
            ("post", edit_url(case, party), person),
            ("get", consent_url(case), {}),
            ("post", consent_url(case), {"status": "not_needed"}),
        ]

    def test_a_divisional_manager_gets_404_for_another_divisions_case(self, client, case, party):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        before = rows()
        for method, url, data in self._pages(case, party):
            assert getattr(client, method)(url, data).status_code == 404, (method, url)
        assert rows() == before

    @pytest.mark.parametrize("role", [divisional_manager, auditor])
    def test_a_role_that_sees_the_case_but_cannot_change_people_gets_403(self, client, case, party, division, role):
        client.force_login(role(divisions=[division]))
        before = rows()
        for method, url, data in self._pages(case, party):
            assert getattr(client, method)(url, data).status_code == 403, (method, url)
        assert rows() == before

    def test_a_volunteer_cannot_change_the_people_on_a_case_they_logged(self, client, division):
        helper = volunteer(divisions=[division])
        case = make_case(division=division, actor=helper)
        client.force_login(helper)
        for method, url, data in self._pages(case, case.parties.first()):
            assert getattr(client, method)(url, data).status_code == 403, (method, url)
        assert Person.objects.count() == 1
        assert CaseParty.objects.count() == 2
