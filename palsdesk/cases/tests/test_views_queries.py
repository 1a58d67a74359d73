"""My work, the case list and the case page read the database a fixed number of times, however many cases or entries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.cases import services
from palsdesk.cases.models import Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, TODAY, case_url, linked_references
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code, local_subject
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason
from palsdesk.grading import services as grading_services
from palsdesk.organisation.tests.factories import ServiceFactory, SiteFactory
from palsdesk.people.models import CommunicationNeed, PartyRole
from palsdesk.people.services import add_person_to_case
from palsdesk.people.tests.factories import person_details
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_cases(count: int, *, division, caseworker, received_on: datetime.date | None = None) -> None:
    """Half assigned to the caseworker, half waiting for a case officer; each with its people and a service.

    Given a received date, they are all complaints (each with every clock) received that day.
    """
    service = ServiceFactory(division=division)
    for number in range(count):
        make_case(
            kind=Kind.COMPLAINT if number % 2 or received_on else Kind.PALS_CONCERN,
            received_on=received_on,
            division=division,
            site=SiteFactory(),
            service=service,
            actor=caseworker,
            case_officer=caseworker if number % 2 else None,
            summary=f"Case number {number}",
        )


class TestListsDoNotGrowWithTheCases:
    @pytest.mark.parametrize("url", ["/", "/cases/", "/cases/?q=Love"])
    def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(
        self, client, division, caseworker, url, capsys
    ):
        client.force_login(caseworker)
        add_cases(3, division=division, caseworker=caseworker)
        client.get(url)
        few = queries_for(client, url)

        add_cases(12, division=division, caseworker=caseworker)
        many = queries_for(client, url)

        assert len(linked_references(client.get(url))) >= 8
        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 3 cases, {many} with 15")

    @pytest.mark.parametrize(
        ("url", "received_on"),
        [
            ("/cases/?due=overdue", datetime.date(2026, 11, 2)),
            ("/cases/?due=within&within=10", datetime.date(2026, 11, 20)),
        ],
    )
    def test_a_due_filter_does_not_grow_with_the_number_of_cases(
        self, client, division, caseworker, url, received_on, capsys
    ):
        client.force_login(caseworker)
        add_cases(3, division=division, caseworker=caseworker, received_on=received_on)
        client.get(url)
        few = queries_for(client, url)

        add_cases(12, division=division, caseworker=caseworker, received_on=received_on)
        many = queries_for(client, url)

        assert len(linked_references(client.get(url))) >= 8
        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 3 cases, {many} with 15")

    def test_a_divisional_managers_my_work_does_not_grow_with_the_number_of_cases(self, client, division, caseworker):
        manager = divisional_manager(divisions=[division])
        client.force_login(manager)
        add_cases(3, division=division, caseworker=caseworker)
        few = queries_for(client, reverse("cases:my_work"))
        add_cases(12, division=division, caseworker=caseworker)
        assert queries_for(client, reverse("cases:my_work")) == few


class TestTheCasePageDoesNotGrow:
    def _grow(self, case, *, notes: int, people: int, links: int, actor) -> None:
        needs = list(CommunicationNeed.objects.all()[:2])
        for number in range(notes):
            services.add_note(case, body=f"Note {number}", actor=officer())
        for number in range(people):
            add_person_to_case(
                case,
                details=person_details(last_name=f"Relative {number}", communication_needs=needs),
                roles=[PartyRole.REPRESENTATIVE],
                relationship_to_patient="child",
                actor=actor,
            )
        for _ in range(links):
            services.link_cases(case, make_case(division=case.division), reason="Same family", actor=actor)

    def test_the_case_page_queries_do_not_grow_with_timeline_entries_people_or_links(
        self, client, division, caseworker, capsys
    ):
        assert CommunicationNeed.objects.count() >= 2
        case = make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, case_officer=caseworker)
        self._grow(case, notes=2, people=1, links=1, actor=caseworker)
        client.force_login(caseworker)
        url = case_url(case)
        client.get(url)
        few = queries_for(client, url)

        self._grow(case, notes=28, people=4, links=5, actor=caseworker)
        many = queries_for(client, url)

        html = client.get(url).content.decode()
        assert "Note 27" in html
        assert html.count("has communication needs") == 5
        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 notes, {many} with 30 (and more people and links)")

    def test_the_case_page_queries_do_not_grow_with_the_history_behind_the_clocks(
        self, client, division, caseworker, capsys
    ):
        lead = coordinator(divisions=[division])
        # Past the long-stop (a delay letter is owed) and made after the time limit (a decision is shown).
        case = make_case(
            kind=Kind.COMPLAINT,
            division=division,
            actor=lead,
            case_officer=lead,
            received_on=datetime.date(2026, 5, 1),
            event_on=datetime.date(2025, 1, 2),
        )
        deadline_services.record_time_limit_decision(
            case, has_good_reasons=True, can_investigate_fairly=True, rationale="Ill", decided_on=TODAY, actor=lead
        )
        reasons = list(HoldReason.objects.active())
        deadline_services.agree_response_date(
            case, due_on=datetime.date(2026, 6, 1), agreed_with="Mrs Lamb", agreed_on=case.received_on, actor=lead
        )

        def grow(extensions: int, holds: int) -> None:
            for _ in range(extensions):
                case.refresh_from_db()
                deadline_services.agree_extension(
                    case,
                    due_on=case.response_due_on + datetime.timedelta(days=7),
                    reason="More statements",
                    agreed_with=f"Mrs Lamb for {officer()}",
                    agreed_on=case.received_on,
                    actor=officer(),
                )
            for number in range(holds):
                case.refresh_from_db()
                start = datetime.date(2026, 5, 4) + datetime.timedelta(days=7 * number + 7 * case.holds.count())
                deadline_services.put_on_hold(case, reason=reasons[number % len(reasons)], started_on=start, actor=lead)
                deadline_services.release_hold(case, ended_on=start + datetime.timedelta(days=2), actor=officer())

        grow(extensions=1, holds=1)
        client.force_login(lead)
        url = case_url(case)
        client.get(url)
        few = queries_for(client, url)

        grow(extensions=4, holds=3)
        many = queries_for(client, url)

        html = client.get(url).content.decode()
        assert "A delay letter is owed" in html
        assert "Change the decision" in html
        assert html.count("Extended</strong> from") == 5
        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 response dates and 1 hold, {many} with 6 and 4")

    def test_an_escalated_complaints_page_does_not_grow_either(self, client, division, caseworker):
        concern = make_case(division=division, actor=caseworker, case_officer=caseworker)
        complaint = services.escalate_to_complaint(concern, reason="Formal", actor=caseworker)
        client.force_login(caseworker)
        client.get(case_url(complaint))
        few = queries_for(client, case_url(complaint))
        self._grow(complaint, notes=20, people=3, links=3, actor=caseworker)
        assert queries_for(client, case_url(complaint)) == few

    def test_the_case_page_queries_do_not_grow_with_issues_or_gradings(self, client, division, capsys):
        lead = coordinator(divisions=[division])
        case = make_case(kind=Kind.COMPLAINT, division=division, actor=lead, case_officer=lead)
        for status in (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW):
            case = services.move_case(case, to=status, actor=lead)
        sign_off_response(case)
        case = services.move_case(case, to=Status.RESPONSE_SENT, actor=lead)
        letters = local_subject("Discharge letters")
        subjects = ["waiting-times", "appointments", "transport", "consent", "staff-numbers"]

        def grow(issues: int, gradings: int) -> None:
            for number in range(issues):
                add_coded_issue(
                    case,
                    actor=lead,
                    subject=subjects[number % len(subjects)],
                    professions=("medical", "other"),
                    hcat_category=code(TaxonomyKind.HCAT_CATEGORY, "listening"),
                    hcat_severity=2,
                    outcome=Outcome.UPHELD if number % 2 else "",
                )
            for number in range(gradings):
                grading_services.grade_case(
                    case, consequence=1 + number % 5, likelihood=3, rationale=f"Look {number}", actor=lead
                )

        add_coded_issue(case, actor=lead, local_subject=letters, subject="communications")
        grow(issues=1, gradings=1)
        client.force_login(lead)
        url = case_url(case)
        client.get(url)
        few = queries_for(client, url)

        grow(issues=6, gradings=4)
        many = queries_for(client, url)

        html = client.get(url).content.decode()
        assert html.count('class="nhsuk-card app-issue"') == 8
        assert "Before closing:" in html
        assert "Issue 1: Communications (Discharge letters)" in html
        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 issues and 1 grading, {many} with 8 and 5")
