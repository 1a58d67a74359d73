"""The pages: a PHSO case recorded and worked through its forms, CQC enquiries, joint complaints and contributions
on the case page, the co-ordinator's list, and who may see and change each."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import on, problems, text_of
from palsdesk.escalations import services
from palsdesk.escalations.models import Chaser, Contribution, OmbudsmanCase, Recommendation
from palsdesk.escalations.tests.factories import open_phso, responded_complaint

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name: str, **kwargs) -> str:
    return reverse(f"escalations:{name}", kwargs=kwargs)


def post(client, address: str, data: dict, *, lands_on: str | None = None):
    """Post a form that should succeed: it redirects (to `lands_on` if given) and says what it did."""
    response = client.post(address, data)
    assert response.status_code == 302, problems(response) or response.status_code
    if lands_on is not None:
        assert response.url == lands_on
    return client.get(response.url)


def test_a_coordinator_records_a_phso_investigation_through_the_pages(client, complaint, lead):
    client.force_login(lead)
    opened = client.post(
        url("open_ombudsman", reference=complaint.reference),
        {
            "phso_reference": "C-2026-104233",
            **on("received_on", D(2026, 10, 5)),
            "stage": "enquiry",
            "caseworker_name": "Priya Natarajan",
            "caseworker_email": "",
            "caseworker_phone": "0300 061 4000",
            "handled_by": lead.pk,
            "taken_early_because": "",
        },
    )
    phso = OmbudsmanCase.objects.get()
    page = url("ombudsman_case", reference=complaint.reference, pk=phso.pk)
    assert opened.url == page

    post(
        client,
        url("record_stage", reference=complaint.reference, pk=phso.pk),
        {"stage": "request_for_information", **on("reached_on", D(2026, 10, 12)), "note": ""},
    )
    post(
        client,
        url("add_request", reference=complaint.reference, pk=phso.pk),
        {
            "what_is_asked": "The complaint file",
            **on("requested_on", D(2026, 10, 12)),
            "due_on_0": "",
            "due_on_1": "",
            "due_on_2": "",
            "period_days": "20",
            "day_count": "working",
        },
        lands_on=f"{page}#requests",
    )
    request = phso.requests.get()
    assert request.due_on == D(2026, 11, 9)
    post(
        client,
        url("record_request_sent", reference=complaint.reference, pk=phso.pk, request_id=request.pk),
        {**on("sent_on", D(2026, 11, 2)), "what_was_sent": "Complaint file and response"},
        lands_on=f"{page}#request-{request.pk}",
    )
    post(
        client,
        url("record_stage", reference=complaint.reference, pk=phso.pk),
        {"stage": "final_report", **on("reached_on", D(2026, 11, 16)), "note": "Report received"},
    )
    post(
        client,
        url("record_decision", reference=complaint.reference, pk=phso.pk),
        {"decision": "upheld", **on("decided_on", D(2026, 11, 16)), "summary": "The discharge was unsafe."},
    )
    for kind, amount in (("apology", ""), ("financial_remedy", "500.00")):
        post(
            client,
            url("add_recommendation", reference=complaint.reference, pk=phso.pk),
            {"kind": kind, "description": f"The {kind}", "amount": amount, **on("due_on", D(2026, 12, 14))},
        )
    for recommendation in phso.recommendations.all():
        post(
            client,
            url("record_evidence", reference=complaint.reference, pk=phso.pk, recommendation_id=recommendation.pk),
            {**on("sent_on", D(2026, 11, 18)), "description": f"Proof of the {recommendation.kind}"},
            lands_on=f"{page}#recommendation-{recommendation.pk}",
        )
        evidence = recommendation.evidence.get()
        post(
            client,
            url("record_verdict", reference=complaint.reference, pk=phso.pk, evidence_id=evidence.pk),
            {
                "is_accepted": "yes",
                **on("verdict_on", D(2026, 11, 19)),
                "note": "",
                "new_due_on_0": "",
                "new_due_on_1": "",
                "new_due_on_2": "",
            },
        )
    closed = post(
        client,
        url("close_ombudsman", reference=complaint.reference, pk=phso.pk),
        {**on("closed_on", D(2026, 11, 20))},
        lands_on=page,
    )

    html = closed.content.decode()
    assert "PHSO case C-2026-104233 closed." in html
    assert "Request for information" in html and "Final report" in html and "Report received" in html
    assert "Complaint file and response" in html
    assert "Financial remedy of £500.00: comply by Monday 14 December 2026" in text_of(html)
    assert html.count("Complied (accepted by the PHSO) on") == 2
    assert set(Recommendation.objects.values_list("status", flat=True)) == {"complied"}
    assert "Record a request" not in html  # a closed PHSO case takes nothing more
    case_page = client.get(reverse("cases:detail", kwargs={"reference": complaint.reference})).content.decode()
    assert '<h2 id="escalations-heading">Ombudsman, CQC and joint working</h2>' in case_page
    assert "final report since 16 Nov 2026, upheld, closed 20 Nov 2026" in text_of(case_page)


class TestForms:
    def test_a_refused_form_comes_back_with_the_problems_and_what_was_typed(self, client, medicine, lead):
        waiting = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, received_on=D(2026, 9, 1))
        client.force_login(lead)

        response = client.post(
            url("open_ombudsman", reference=waiting.reference),
            {
                "phso_reference": "C-1",
                **on("received_on", D(2026, 10, 5)),
                "stage": "enquiry",
                "caseworker_name": "Priya <Natarajan>",
                "caseworker_email": "",
                "caseworker_phone": "",
                "handled_by": lead.pk,
                "taken_early_because": "",
            },
        )

        assert response.status_code == 200
        assert any("has had no local response" in problem for problem in problems(response))
        assert "Priya &lt;Natarajan&gt;" in response.content.decode()
        assert not OmbudsmanCase.objects.exists()

    def test_a_deadline_missing_is_said_at_the_deadline(self, client, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        client.force_login(lead)

        response = client.post(
            url("add_request", reference=complaint.reference, pk=phso.pk),
            {"what_is_asked": "Rota", **on("requested_on", D(2026, 11, 2))},
        )

        assert response.status_code == 200
        assert problems(response) == [
            "Enter the deadline: the date given, or the number of days and whether they are calendar or working days."
        ]
        assert "Rota" in response.content.decode()

    def test_the_stage_form_offers_only_later_stages(self, client, complaint, lead):
        phso = open_phso(complaint, actor=lead, stage="investigation")
        client.force_login(lead)

        html = client.get(url("record_stage", reference=complaint.reference, pk=phso.pk)).content.decode()

        assert re.findall(r'name="stage" type="radio" value="(\w+)"', html) == ["draft_report", "final_report"]


class TestTheCasePage:
    def test_it_shows_the_cqc_the_joint_complaint_and_contributions_with_a_chase_button(
        self, client, complaint, lead, surgery
    ):
        services.open_cqc_enquiry(
            complaint,
            asked_by="Dana Price",
            received_on=D(2026, 11, 2),
            what_is_asked="A summary",
            period_days=28,
            day_count="calendar",
            actor=lead,
        )
        joint = services.record_joint_complaint(
            complaint, consent_to_share="given", consent_on=D(2026, 10, 1), actor=lead
        )
        council = services.add_joint_body(
            joint, name="The council", kind="local_authority", is_lead=True, contributes="Care package", actor=lead
        )
        contribution = services.request_contribution(
            complaint,
            from_body=council,
            what_is_asked="Care records",
            requested_on=D(2026, 11, 2),
            due_on=D(2026, 11, 16),
            actor=lead,
        )
        client.force_login(lead)
        case_url = reverse("cases:detail", kwargs={"reference": complaint.reference})

        text = text_of(client.get(case_url).content.decode())
        assert "asked 2 Nov 2026 by Dana Price, due 30 Nov 2026 (28 calendar days) On track" in text
        assert "Local authority (social care), leads" in text
        assert "From The council, asked 2 Nov 2026, due 16 Nov 2026 Overdue" in text

        chased = client.post(url("chase", reference=complaint.reference, pk=contribution.pk))
        assert chased.status_code == 302
        assert chased.url == f"{case_url}#contribution-{contribution.pk}"
        assert Chaser.objects.get().sent_on == D(2026, 11, 20)
        assert "Chased 20 Nov 2026 by Alex Morgan" in text_of(client.get(case_url).content.decode())

    def test_a_joint_complaint_and_a_contribution_from_another_organisation_through_the_pages(
        self, client, complaint, lead
    ):
        client.force_login(lead)
        reference = complaint.reference
        post(
            client,
            url("joint", reference=reference),
            {
                "consent_to_share": "given",
                **on("consent_on", D(2026, 10, 1)),
                "consent_note": "Form signed",
                "our_part": "",
                "our_part_due_on_0": "",
                "our_part_due_on_1": "",
                "our_part_due_on_2": "",
            },
        )
        post(
            client,
            url("add_body", reference=reference),
            {
                "name": "Oxfordshire County Council",
                "kind": "local_authority",
                "contact": "",
                "contributes": "",
                "is_lead": "",
            },
        )
        body = complaint.joint_complaint.bodies.get()
        post(
            client,
            url("request_contribution", reference=reference),
            {
                "from_division": "",
                "asked_user": "",
                "from_body": body.pk,
                "what_is_asked": "Care records",
                **on("requested_on", D(2026, 11, 2)),
                **on("due_on", D(2026, 11, 16)),
            },
        )
        contribution = Contribution.objects.get()
        page = post(
            client,
            url("contribution_received", reference=reference, pk=contribution.pk),
            {**on("received_on", D(2026, 11, 19)), "what_was_received": "Care plan and visit log"},
        )

        assert "Contribution from Oxfordshire County Council recorded." in page.content.decode()
        assert "Received 19 Nov 2026: Care plan and visit log" in text_of(page.content.decode())

    def test_a_divisional_manager_asked_by_name_records_their_contribution_but_nothing_else(
        self, client, complaint, lead, medicine
    ):
        manager = divisional_manager(divisions=[medicine])
        contribution = services.request_contribution(
            complaint,
            from_division=medicine,
            asked_user=manager,
            what_is_asked="Statement",
            requested_on=D(2026, 11, 2),
            due_on=D(2026, 11, 16),
            actor=lead,
        )
        client.force_login(manager)
        html = client.get(reverse("cases:detail", kwargs={"reference": complaint.reference})).content.decode()

        assert url("contribution_received", reference=complaint.reference, pk=contribution.pk) in html
        assert url("chase", reference=complaint.reference, pk=contribution.pk) not in html
        assert url("open_ombudsman", reference=complaint.reference) not in html
        post(
            client,
            url("contribution_received", reference=complaint.reference, pk=contribution.pk),
            {**on("received_on", D(2026, 11, 13)), "what_was_received": "Statement sent by email"},
        )

    def test_a_user_who_could_neither_see_nor_add_anything_gets_no_section(self, client, complaint, medicine):
        client.force_login(divisional_manager(divisions=[medicine]))
        html = client.get(reverse("cases:detail", kwargs={"reference": complaint.reference})).content.decode()
        assert "Ombudsman, CQC and joint working" not in html


class TestAccess:
    @pytest.fixture
    def records(self, complaint, lead, medicine):
        phso = open_phso(complaint, actor=lead)
        services.record_decision(phso, decision="upheld", decided_on=D(2026, 11, 16), actor=lead)
        recommendation = services.add_recommendation(
            phso, kind="apology", description="Sorry", due_on=D(2026, 12, 1), actor=lead
        )
        evidence = services.record_compliance_evidence(
            recommendation, sent_on=D(2026, 11, 17), description="Letter", actor=lead
        )
        request = services.add_ombudsman_request(
            phso, what_is_asked="File", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 30), actor=lead
        )
        enquiry = services.open_cqc_enquiry(
            complaint,
            asked_by="Inspector",
            received_on=D(2026, 11, 2),
            what_is_asked="Summary",
            due_on=D(2026, 11, 30),
            actor=lead,
        )
        services.record_joint_complaint(
            complaint, consent_to_share="given", consent_on=D(2026, 10, 1), our_part="Notes", actor=lead
        )
        contribution = services.request_contribution(
            complaint,
            from_division=medicine,
            what_is_asked="Statement",
            requested_on=D(2026, 11, 2),
            due_on=D(2026, 11, 16),
            actor=lead,
        )
        ref = complaint.reference
        return [
            url("ombudsman_case", reference=ref, pk=phso.pk),
            url("open_ombudsman", reference=ref),
            url("change_ombudsman", reference=ref, pk=phso.pk),
            url("record_stage", reference=ref, pk=phso.pk),
            url("add_request", reference=ref, pk=phso.pk),
            url("record_request_sent", reference=ref, pk=phso.pk, request_id=request.pk),
            url("record_decision", reference=ref, pk=phso.pk),
            url("add_recommendation", reference=ref, pk=phso.pk),
            url("record_evidence", reference=ref, pk=phso.pk, recommendation_id=recommendation.pk),
            url("record_verdict", reference=ref, pk=phso.pk, evidence_id=evidence.pk),
            url("close_ombudsman", reference=ref, pk=phso.pk),
            url("open_cqc", reference=ref),
            url("record_cqc_sent", reference=ref, pk=enquiry.pk),
            url("joint", reference=ref),
            url("add_body", reference=ref),
            url("our_part_sent", reference=ref),
            url("request_contribution", reference=ref),
            url("chase", reference=ref, pk=contribution.pk),
            url("contribution_received", reference=ref, pk=contribution.pk),
        ]

    def test_a_user_outside_the_cases_division_gets_404_on_every_page_and_form(self, client, records, surgery):
        client.force_login(divisional_manager(divisions=[surgery]))
        page, *forms = records
        assert client.get(page).status_code == 404
        for address in forms:
            assert client.get(address).status_code == 404, address
            assert client.post(address, {}).status_code == 404, address

    def test_a_divisional_manager_in_the_division_sees_the_phso_case_but_changes_nothing(
        self, client, records, medicine
    ):
        client.force_login(divisional_manager(divisions=[medicine]))
        page, *forms = records
        assert client.get(page).status_code == 200
        for address in forms:
            assert client.get(address).status_code == 403, address
            assert client.post(address, {}).status_code == 403, address

    def test_a_pals_officer_works_joint_complaints_and_contributions_but_not_the_phso_or_cqc(
        self, client, records, medicine
    ):
        client.force_login(officer(divisions=[medicine]))
        joint_work = ("/joint/", "/contributions/")
        for address in records[1:]:
            expected = 200 if any(part in address for part in joint_work) else 403
            assert client.get(address).status_code == expected, address

    def test_opening_a_phso_case_page_is_on_the_audit_trail(self, client, records, lead):
        from palsdesk.audit.models import AuditEvent

        client.force_login(lead)
        client.get(records[0])
        assert AuditEvent.objects.filter(action="case.viewed", actor=lead).count() == 1


class TestTheCoordinatorsList:
    def test_only_those_who_handle_the_phso_and_cqc_have_it_and_its_link(self, client):
        client.force_login(coordinator())
        assert f'href="{url("list")}"' in client.get("/").content.decode()
        assert client.get(url("list")).status_code == 200
        client.force_login(officer())
        assert f'href="{url("list")}"' not in client.get("/").content.decode()
        assert client.get(url("list")).status_code == 403

    def test_it_lists_open_phso_cases_soonest_deadline_first_a_page_at_a_time(self, client, medicine, lead, capsys):
        def add(count: int, start: int) -> None:
            for number in range(start, start + count):
                complaint = responded_complaint(division=medicine, actor=lead)
                phso = open_phso(complaint, actor=lead, phso_reference=f"C-{number:03d}")
                services.add_ombudsman_request(
                    phso,
                    what_is_asked="File",
                    requested_on=D(2026, 11, 2),
                    due_on=D(2026, 12, 31) - datetime.timedelta(days=number),
                    actor=lead,
                )
                services.open_cqc_enquiry(
                    complaint,
                    asked_by="Inspector",
                    received_on=D(2026, 11, 2),
                    what_is_asked="Summary",
                    due_on=D(2026, 11, 30),
                    actor=lead,
                )
                contribution = services.request_contribution(
                    complaint,
                    from_division=medicine,
                    what_is_asked="Statement",
                    requested_on=D(2026, 11, 2),
                    due_on=D(2026, 11, 16),
                    actor=lead,
                )
                services.chase_contribution(contribution, actor=lead)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url("list")).status_code == 200
            return len(captured)

        client.force_login(lead)
        add(3, 0)
        few = queries()
        add(24, 3)
        many = queries()
        assert many == few
        with capsys.disabled():
            print(f"\nOmbudsman and CQC list: {few} queries with 3 of each, {many} with 27")

        html = client.get(url("list")).content.decode()
        phso_table = html.split('id="phso-cases"')[1].split("</table>")[0]
        listed = re.findall(r">(C-\d{3})</a>", phso_table)
        assert len(listed) == 25
        assert listed[:3] == ["C-026", "C-025", "C-024"]  # the soonest deadline first
        assert "?phso_page=2" in html and "?cqc_page=2" in html and "?contributions_page=2" in html
        second = client.get(url("list"), {"phso_page": 2}).content.decode()
        assert re.findall(r">(C-\d{3})</a>", second.split('id="phso-cases"')[1].split("</table>")[0]) == [
            "C-001",
            "C-000",
        ]
        assert "1 time, last 20 Nov 2026" in text_of(html)


def test_the_phso_case_page_reads_the_same_number_of_queries_however_much_it_holds(client, complaint, lead, capsys):
    phso = open_phso(complaint, actor=lead)
    services.record_decision(phso, decision="upheld", decided_on=D(2026, 11, 16), actor=lead)

    def grow(count: int) -> None:
        for number in range(count):
            services.add_ombudsman_request(
                phso, what_is_asked=f"File {number}", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 30), actor=lead
            )
            recommendation = services.add_recommendation(
                phso, kind="apology", description=f"Sorry {number}", due_on=D(2026, 12, 1), actor=lead
            )
            services.record_compliance_evidence(
                recommendation, sent_on=D(2026, 11, 17), description="Letter", actor=lead
            )

    def queries(address: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    client.force_login(lead)
    page = url("ombudsman_case", reference=complaint.reference, pk=phso.pk)
    case_page = reverse("cases:detail", kwargs={"reference": complaint.reference})
    grow(1)
    few, few_case = queries(page), queries(case_page)
    grow(5)
    assert (queries(page), queries(case_page)) == (few, few_case)
    with capsys.disabled():
        print(f"\nPHSO case page: {few} queries; case page with its section: {few_case}; with 1 or 6 of each")
