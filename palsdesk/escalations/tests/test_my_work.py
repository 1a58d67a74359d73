"""The Ombudsman's, the CQC's and contributions' deadlines join the trust's clocks in "My work", for the people
whose work they are, and go overdue the day after they are due."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.accounts.tests.factories import coordinator, divisional_manager
from palsdesk.cases.services import restrict_case
from palsdesk.escalations import services
from palsdesk.escalations.models import Decision
from palsdesk.escalations.tests.factories import open_phso, responded_complaint

pytestmark = pytest.mark.django_db

D = datetime.date


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False)


def other_deadlines(client, user) -> list[tuple[str, str, str, str]]:
    """(case, what is due, due date, state) for each row of the user's "Other deadlines" in My work."""
    client.force_login(user)
    html = client.get("/").content.decode()
    if "<h2>Other deadlines</h2>" not in html:
        return []
    table = html.split("<h2>Other deadlines</h2>")[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr role=\"row\" class=\"nhsuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [
            unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip())
            # Each cell repeats its column's heading for small screens: left out, as a screen shows it.
            for cell in re.findall(
                r"<td[^>]*>(.*?)</td>",
                re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", row),
                re.S,
            )
        ]
        case, what, due = cells
        day, month, year, state = due.split(" ", 3)  # "23 Nov 2026 Due soon"
        rows.append((case, what, f"{day} {month} {year}", state))
    return rows


@pytest.fixture
def handler():
    return coordinator(username="handler", first_name="Hana", last_name="Lee")


@pytest.fixture
def phso(complaint, lead, handler):
    return open_phso(complaint, actor=lead, handled_by=handler)


def test_a_phso_request_reaches_the_handler_and_the_case_officer_and_goes_overdue_the_day_after(
    client, complaint, lead, handler, phso
):
    services.add_ombudsman_request(
        phso,
        what_is_asked="The complaint file",
        requested_on=D(2026, 11, 9),
        period_days=10,
        day_count="working",
        actor=lead,
    )
    due = [(complaint.reference, "Reply to the PHSO (C-2026-104233): The complaint file", "23 Nov 2026")]

    assert [row[:3] for row in other_deadlines(client, handler)] == due
    assert [row[:3] for row in other_deadlines(client, lead)] == due
    assert other_deadlines(client, coordinator()) == []
    assert other_deadlines(client, lead)[0][3] == "Due soon"
    with on(D(2026, 11, 23)):
        assert other_deadlines(client, handler)[0][3] == "Due today"
    with on(D(2026, 11, 24)):
        assert other_deadlines(client, handler)[0][3] == "Overdue"


def test_a_reply_sent_leaves_my_work_and_so_does_a_closed_phso_case(client, complaint, lead, handler, phso):
    request = services.add_ombudsman_request(
        phso, what_is_asked="Rota", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 16), actor=lead
    )
    assert other_deadlines(client, handler)[0][3] == "Overdue"

    services.record_sent_to_ombudsman(request, sent_on=D(2026, 11, 20), what_was_sent="Rota", actor=lead)
    assert other_deadlines(client, handler) == []


def test_a_recommendation_is_due_until_its_evidence_is_sent_and_again_if_the_phso_does_not_accept_it(
    client, complaint, lead, handler, phso
):
    services.record_decision(phso, decision=Decision.UPHELD, decided_on=D(2026, 11, 16), actor=lead)
    apology = services.add_recommendation(
        phso, kind="apology", description="Apologise", due_on=D(2026, 12, 14), actor=lead
    )
    assert other_deadlines(client, handler) == [
        (complaint.reference, "Evidence for the PHSO (C-2026-104233): apology", "14 Dec 2026", "On track")
    ]
    evidence = services.record_compliance_evidence(apology, sent_on=D(2026, 11, 18), description="Letter", actor=lead)
    assert other_deadlines(client, handler) == []
    services.record_evidence_verdict(
        evidence,
        is_accepted=False,
        verdict_on=D(2026, 11, 19),
        note="Unsigned",
        new_due_on=D(2026, 11, 27),
        actor=lead,
    )
    assert other_deadlines(client, handler)[0][2] == "27 Nov 2026"
    with on(D(2026, 11, 30)):
        assert other_deadlines(client, handler)[0][3] == "Overdue"


def test_a_cqc_enquiry_and_the_trusts_part_of_a_joint_complaint_are_due_in_my_work(client, complaint, lead, handler):
    services.open_cqc_enquiry(
        complaint,
        asked_by="Inspector",
        received_on=D(2026, 11, 2),
        what_is_asked="A summary",
        period_days=28,
        day_count="calendar",
        handled_by=handler,
        actor=lead,
    )
    services.record_joint_complaint(
        complaint,
        consent_to_share="given",
        consent_on=D(2026, 10, 1),
        our_part="Ward notes",
        our_part_due_on=D(2026, 11, 25),
        actor=lead,
    )

    assert [row[1:3] for row in other_deadlines(client, lead)] == [
        ("The trust's part of the joint complaint: Ward notes", "25 Nov 2026"),
        ("Reply to the CQC: A summary", "30 Nov 2026"),
    ]
    assert [row[1] for row in other_deadlines(client, handler)] == ["Reply to the CQC: A summary"]


class TestContributions:
    @pytest.fixture
    def asked(self, medicine):
        return divisional_manager(username="asked", divisions=[medicine])

    @pytest.fixture
    def requester(self):
        return coordinator(username="requester")

    @pytest.fixture
    def contribution(self, complaint, requester, medicine, asked):
        return services.request_contribution(
            complaint,
            from_division=medicine,
            asked_user=asked,
            what_is_asked="Statement from the ward",
            requested_on=D(2026, 11, 9),
            due_on=D(2026, 11, 25),
            actor=requester,
        )

    def test_it_reaches_who_asked_the_case_officer_and_the_colleague_asked(
        self, client, complaint, lead, requester, asked, contribution
    ):
        for user in (requester, lead):
            assert other_deadlines(client, user) == [
                (complaint.reference, "Contribution from Medicine: Statement from the ward", "25 Nov 2026", "Due soon")
            ]
        assert [row[1] for row in other_deadlines(client, asked)] == ["Your contribution: Statement from the ward"]
        assert other_deadlines(client, coordinator()) == []

    def test_it_goes_overdue_the_day_after_it_is_due_and_leaves_when_received(self, client, lead, asked, contribution):
        with on(D(2026, 11, 25)):
            assert other_deadlines(client, asked)[0][3] == "Due today"
        with on(D(2026, 11, 26)):
            assert other_deadlines(client, asked)[0][3] == "Overdue"
            services.chase_contribution(contribution, actor=lead)
            assert other_deadlines(client, asked)[0][3] == "Overdue"
            services.record_contribution_received(
                contribution, received_on=D(2026, 11, 26), what_was_received="Statement", actor=asked
            )
            assert other_deadlines(client, asked) == []

    def test_a_restricted_case_reaches_only_those_named_on_it(self, client, complaint, lead, requester, contribution):
        restrict_case(complaint, named_users=[lead], actor=lead)

        assert len(other_deadlines(client, lead)) == 1
        assert other_deadlines(client, requester) == []


def test_my_work_reads_the_same_number_of_queries_however_many_deadlines(client, medicine, lead, handler, capsys):
    def grow(count: int) -> None:
        for number in range(count):
            complaint = responded_complaint(division=medicine, actor=lead)
            phso = open_phso(complaint, actor=lead, handled_by=handler, phso_reference=f"C-{complaint.pk}-{number}")
            services.add_ombudsman_request(
                phso, what_is_asked="File", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 30), actor=lead
            )
            services.record_decision(phso, decision="upheld", decided_on=D(2026, 11, 16), actor=lead)
            services.add_recommendation(phso, kind="apology", description="Sorry", due_on=D(2026, 12, 1), actor=lead)
            services.open_cqc_enquiry(
                complaint,
                asked_by="Inspector",
                received_on=D(2026, 11, 2),
                what_is_asked="Summary",
                due_on=D(2026, 11, 30),
                handled_by=handler,
                actor=lead,
            )
            services.request_contribution(
                complaint,
                from_division=medicine,
                asked_user=handler,
                what_is_asked="Statement",
                requested_on=D(2026, 11, 9),
                due_on=D(2026, 11, 25),
                actor=lead,
            )

    def queries() -> int:
        client.force_login(handler)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    grow(1)
    few = queries()
    grow(4)
    many = queries()

    assert len(other_deadlines(client, handler)) == 20
    assert many == few
    with capsys.disabled():
        print(f"\nMy work with escalations: {few} queries with 4 deadlines, {many} with 20")
