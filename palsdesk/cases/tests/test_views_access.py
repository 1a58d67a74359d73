"""Who may see and change a case through the pages: divisions, restricted cases, roles, and the audit of each view."""

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import (
    approver,
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import CaseLink, Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, TODAY, assert_refused, case_url, linked_references, on, rows
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details, valid_nhs_number

pytestmark = pytest.mark.django_db

NHS_NUMBER = valid_nhs_number(42)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def division():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def elsewhere():
    return DivisionFactory(name="Women and children")


@pytest.fixture
def their_case(elsewhere):
    """A case in a division the divisional manager does not belong to."""
    return make_case(
        kind=Kind.COMPLAINT,
        division=elsewhere,
        summary="Maternity triage phone never answered",
        complainant=person_details(first_name="Grace", last_name="Darling", nhs_number=NHS_NUMBER),
    )


@pytest.fixture
def manager(division):
    return divisional_manager(divisions=[division])


def _every_request_on(case) -> list[tuple[str, str, dict]]:
    """Each page and action of one case, as (method, url, data)."""
    reference = case.reference
    party = case.parties.first()
    version = {"version": case.version}
    person = {"role": "complainant", "last_name": "Nosy"}
    return [
        ("get", case_url(case), {}),
        ("get", case_url(case, "edit"), {}),
        ("post", case_url(case, "edit"), {**version, "summary": "Changed", "channel": "phone"}),
        ("post", case_url(case, "add_note"), {"body": "Nosy note"}),
        ("post", case_url(case, "log_contact"), {"channel": "call", "direction": "in", "body": "Nosy call"}),
        ("post", case_url(case, "move"), {**version, "move": "acknowledge", "acknowledgement_method": "letter"}),
        ("post", case_url(case, "assign"), {**version, "case_officer": ""}),
        ("post", case_url(case, "link"), {"other": reference}),
        ("post", case_url(case, "agree_response_date"), {**version, "agreed_with": "Nosy", **on("due_on", TODAY)}),
        ("post", case_url(case, "agree_extension"), {**version, "reason": "Nosy", **on("due_on", TODAY)}),
        ("post", case_url(case, "put_on_hold"), {**version, **on("started_on", TODAY)}),
        ("post", case_url(case, "release_hold"), {**version, **on("ended_on", TODAY)}),
        ("post", case_url(case, "record_delay_letter"), {**version, **on("sent_on", TODAY)}),
        ("post", case_url(case, "record_time_limit_decision"), {**version, "has_good_reasons": "yes"}),
        ("get", reverse("people:add", kwargs={"reference": reference}), {}),
        ("post", reverse("people:add", kwargs={"reference": reference}), person),
        ("get", reverse("people:edit", kwargs={"reference": reference, "party_id": party.pk}), {}),
        ("post", reverse("people:edit", kwargs={"reference": reference, "party_id": party.pk}), person),
        ("get", reverse("people:consent", kwargs={"reference": reference}), {}),
        ("post", reverse("people:consent", kwargs={"reference": reference}), {"status": "not_needed"}),
    ]


def _searches_for(case) -> list[str]:
    return [case.reference, case.reference.lower(), "Darling", "Grace Darling", NHS_NUMBER, "triage phone"]


class TestDivisions:
    def test_a_divisional_manager_gets_404_for_another_divisions_case_on_every_page_and_action(
        self, client, manager, their_case
    ):
        client.force_login(manager)
        before = rows()
        for method, url, data in _every_request_on(their_case):
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (method, url)
        assert rows() == before

    def test_a_divisional_manager_never_sees_another_divisions_case_in_my_work(
        self, client, manager, division, their_case
    ):
        own = make_case(kind=Kind.COMPLAINT, division=division, summary="Theatre list cancelled twice")
        client.force_login(manager)
        response = client.get(reverse("cases:my_work"))
        assert linked_references(response) == {own.reference}
        assert "Maternity triage" not in response.content.decode()

    def test_a_divisional_manager_never_finds_another_divisions_case_in_the_list_or_search(
        self, client, manager, their_case
    ):
        client.force_login(manager)
        assert linked_references(client.get(reverse("cases:list"))) == set()
        for query in _searches_for(their_case):
            response = client.get(reverse("cases:list"), {"q": query})
            assert response.status_code == 200, query
            assert linked_references(response) == set(), query
            assert "No cases match." in response.content.decode(), query

    def test_a_caseworker_finds_the_same_case_by_each_search(self, client, their_case):
        client.force_login(officer())
        for query in _searches_for(their_case):
            response = client.get(reverse("cases:list"), {"q": query})
            if response.status_code == 302:
                assert response.url == case_url(their_case), query
            else:
                assert linked_references(response) == {their_case.reference}, query

    def test_searching_for_an_exact_reference_opens_the_case(self, client, their_case):
        client.force_login(officer())
        response = client.get(reverse("cases:list"), {"q": their_case.reference})
        assert response.status_code == 302
        assert response.url == case_url(their_case)

    def test_a_divisional_manager_sees_and_notes_a_case_in_their_own_division(self, client, manager, division):
        case = make_case(kind=Kind.COMPLAINT, division=division)
        client.force_login(manager)
        assert client.get(case_url(case)).status_code == 200
        assert client.post(case_url(case, "add_note"), {"body": "Spoke to theatre"}).status_code == 302

    def test_a_divisional_manager_sees_a_case_elsewhere_that_they_investigate(self, client, manager, their_case):
        their_case.investigating_manager = manager
        their_case.save()
        client.force_login(manager)
        assert client.get(case_url(their_case)).status_code == 200
        assert their_case.reference in linked_references(client.get(reverse("cases:my_work")))

    def test_linking_to_a_case_in_another_division_says_there_is_no_such_case(
        self, client, manager, division, their_case
    ):
        own = make_case(division=division)
        client.force_login(manager)
        before = rows()
        response = client.post(case_url(own, "link"), {"other": their_case.reference, "reason": "Same family"})
        assert_refused(response, says=f"There is no case {their_case.reference}", kept=["Same family"], before=before)

    def test_linking_to_a_case_that_does_not_exist_says_the_same(self, client, caseworker, division):
        case = make_case(division=division)
        client.force_login(caseworker)
        response = client.post(case_url(case, "link"), {"other": "com-2026-99999"})
        assert_refused(response, says="There is no case COM-2026-99999 that you can see.")


class TestRestrictedCases:
    @pytest.fixture
    def restricted(self, division, caseworker):
        return make_case(
            division=division,
            actor=caseworker,
            case_officer=caseworker,
            is_staff_complainant=True,
            summary="Staff nurse unhappy with her own care",
            complainant=person_details(first_name="Grace", last_name="Darling", nhs_number=NHS_NUMBER),
        )

    @pytest.mark.parametrize("role", [coordinator, officer, approver, auditor])
    def test_a_restricted_case_is_hidden_from_everyone_not_named_on_it(self, client, restricted, division, role):
        client.force_login(role(divisions=[division]))
        before = rows()
        for method, url, data in _every_request_on(restricted):
            assert getattr(client, method)(url, data).status_code == 404, (method, url)
        assert rows() == before
        for url in (reverse("cases:my_work"), reverse("cases:list")):
            assert restricted.reference not in linked_references(client.get(url))
        for query in _searches_for(restricted):
            response = client.get(reverse("cases:list"), {"q": query})
            assert response.status_code == 200, query
            assert restricted.reference not in linked_references(response), query

    def test_a_named_user_sees_the_restricted_case(self, client, restricted, caseworker):
        client.force_login(caseworker)
        assert client.get(case_url(restricted)).status_code == 200
        assert restricted.reference in linked_references(client.get(reverse("cases:my_work")))
        assert linked_references(client.get(reverse("cases:list"), {"q": "Darling"})) == {restricted.reference}

    def test_someone_assigned_to_a_restricted_case_is_named_on_it(self, client, restricted, caseworker):
        cover = officer()
        client.force_login(caseworker)
        response = client.post(
            case_url(restricted, "assign"),
            {"version": restricted.version, "case_officer": cover.pk, "reason": "Annual leave cover"},
        )
        assert response.status_code == 302
        client.force_login(cover)
        assert client.get(case_url(restricted)).status_code == 200

    def test_linking_to_a_restricted_case_you_are_not_named_on_says_there_is_no_such_case(
        self, client, restricted, division
    ):
        lead = coordinator()
        case = make_case(division=division)
        client.force_login(lead)
        before = rows()
        response = client.post(case_url(case, "link"), {"other": restricted.reference})
        assert_refused(response, says=f"There is no case {restricted.reference} that you can see.", before=before)


class TestAuditOfViews:
    def test_every_view_of_a_case_page_is_audited(self, client, caseworker, division):
        case = make_case(division=division)
        party = case.parties.first()
        client.force_login(caseworker)
        pages = [
            case_url(case),
            case_url(case, "edit"),
            reverse("people:add", kwargs={"reference": case.reference}),
            reverse("people:edit", kwargs={"reference": case.reference, "party_id": party.pk}),
            reverse("people:consent", kwargs={"reference": case.reference}),
        ]
        for url in pages:
            before = AuditEvent.objects.filter(action="case.viewed").count()
            assert client.get(url).status_code == 200
            viewed = AuditEvent.objects.filter(action="case.viewed").latest("id")
            assert AuditEvent.objects.filter(action="case.viewed").count() == before + 1, url
            assert (viewed.case, viewed.actor, viewed.channel) == (case, caseworker, "web")

    def test_a_refused_view_is_not_audited_as_a_view(self, client, manager, their_case):
        client.force_login(manager)
        client.get(case_url(their_case))
        assert not AuditEvent.objects.filter(action="case.viewed", actor=manager).exists()


class TestEachWriteIsAudited:
    @pytest.fixture
    def case(self, division, caseworker):
        return make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, case_officer=caseworker)

    def _writes(self, case, division):
        other = make_case(division=division)
        party = case.parties.first()
        reference = case.reference
        return [
            (
                reverse("cases:log"),
                {
                    "kind": Kind.ENQUIRY,
                    "channel": "email",
                    **on("received_on", TODAY),
                    "raised_by": "patient",
                    "last_name": "Nightingale",
                    "summary": "Visiting times",
                    "division": division.pk,
                },
                "case.opened",
            ),
            (case_url(case, "add_note"), {"body": "Note"}, "case.note_added"),
            (case_url(case, "log_contact"), {"channel": "call", "direction": "in", "body": "Call"}, "case.call_logged"),
            (
                case_url(case, "log_contact"),
                {"channel": "email", "direction": "out", "body": "Mail"},
                "case.email_logged",
            ),
            (case_url(case, "move"), {"move": "acknowledge", "acknowledgement_method": "letter"}, "case.acknowledge"),
            (
                case_url(case, "assign"),
                {"case_officer": case.case_officer_id, "investigating_manager": divisional_manager().pk},
                "case.assigned",
            ),
            (case_url(case, "link"), {"other": other.reference}, "case.linked"),
            (
                case_url(case, "edit"),
                {"summary": "New summary", "channel": "letter", **on("received_on", case.received_on)}
                | {"division": division.pk},
                "case.details_changed",
            ),
            (
                reverse("people:add", kwargs={"reference": reference}),
                {"role": "representative", "relationship_to_patient": "spouse", "last_name": "Byron"},
                "person.added_to_case",
            ),
            (
                reverse("people:edit", kwargs={"reference": reference, "party_id": party.pk}),
                {"last_name": "King", "first_name": "Ada"},
                "person.changed",
            ),
            (
                reverse("people:consent", kwargs={"reference": reference}),
                {"status": "requested", **on("status_on", TODAY)},
                "consent.recorded",
            ),
        ]

    def test_each_write_through_the_pages_leaves_its_audit_event(self, client, case, caseworker, division):
        client.force_login(caseworker)
        for url, data, action in self._writes(case, division):
            case.refresh_from_db()
            before = AuditEvent.objects.filter(action=action).count()
            response = client.post(url, {"version": case.version, **data})
            assert response.status_code == 302, (url, response.content.decode()[:3000])
            events = AuditEvent.objects.filter(action=action)
            assert events.count() > before, action
            assert events.latest("id").channel == "web"
            assert events.latest("id").actor == caseworker


class TestRoles:
    @pytest.fixture
    def case(self, division):
        return make_case(kind=Kind.COMPLAINT, division=division)

    def test_an_auditor_reads_a_case_but_gets_403_for_every_change(self, client, case):
        client.force_login(auditor())
        assert client.get(case_url(case)).status_code == 200
        before = rows()
        for method, url, data in _every_request_on(case):
            if method == "post" or "/edit/" in url or "/people/" in url or "/consent/" in url:
                assert getattr(client, method)(url, data).status_code == 403, (method, url)
        assert rows() == before

    def test_an_auditor_gets_403_even_for_a_link_to_a_case_that_does_not_exist(self, client, case):
        client.force_login(auditor())
        assert client.post(case_url(case, "link"), {"other": "PAL-2026-99999"}).status_code == 403

    def test_the_case_page_offers_an_auditor_no_forms(self, client, case):
        client.force_login(auditor())
        html = client.get(case_url(case)).content.decode()
        assert 'method="post" action="/cases/' not in html

    def test_a_divisional_manager_cannot_edit_details_or_people_in_their_own_division(self, client, manager, division):
        case = make_case(division=division)
        client.force_login(manager)
        before = rows()
        for method, url, data in _every_request_on(case):
            if "/edit/" in url or "/people/" in url or "/consent/" in url or "/assignment/" in url:
                assert getattr(client, method)(url, data).status_code == 403, (method, url)
        assert rows() == before

    def test_a_volunteer_sees_only_the_cases_they_logged(self, client, division, case):
        helper = volunteer(divisions=[division])
        theirs = make_case(division=division, actor=helper)
        client.force_login(helper)
        assert client.get(case_url(theirs)).status_code == 200
        assert client.get(case_url(case)).status_code == 404
        assert linked_references(client.get(reverse("cases:list"))) == {theirs.reference}

    def test_an_approver_adds_a_note_but_cannot_edit(self, client, case):
        client.force_login(approver())
        assert client.post(case_url(case, "add_note"), {"body": "Signed off"}).status_code == 302
        assert client.get(case_url(case, "edit")).status_code == 403

    def test_nobody_can_link_a_case_to_itself(self, client, case, caseworker):
        client.force_login(caseworker)
        assert_refused(
            client.post(case_url(case, "link"), {"other": case.reference}), says="cannot be linked to itself"
        )
        assert not CaseLink.objects.exists()
