"""The API for cases taken further: the same rules as the pages, 404 for a case the caller may not see, 403 for a
role that may not do the work, 400 per field, cursor pages whose queries do not grow with the rows."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import divisional_manager, officer
from palsdesk.escalations import services
from palsdesk.escalations.models import Chaser, OmbudsmanCase
from palsdesk.escalations.tests.factories import open_phso, responded_complaint

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def api(lead):
    client = APIClient()
    client.force_authenticate(lead)
    return client


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sent(client, method: str, address: str, body: dict | None = None, *, expect: int):
    response = getattr(client, method)(address, body or {}, format="json")
    assert response.status_code == expect, response.content.decode()
    return response.json()


def test_a_phso_investigation_with_two_recommendations_through_the_api(api, complaint):
    phso = sent(
        api,
        "post",
        "/api/v1/ombudsman-cases/",
        {
            "case": complaint.reference,
            "phso_reference": "C-2026-104233",
            "caseworker_name": "Priya Natarajan",
            "received_on": "2026-10-05",
        },
        expect=201,
    )
    base = f"/api/v1/ombudsman-cases/{phso['id']}/"
    assert (phso["case"], phso["stage"], phso["handled_by"], phso["decision"]) == (
        complaint.reference,
        "enquiry",
        "lead",
        None,
    )

    phso = sent(
        api, "post", f"{base}stages/", {"stage": "request_for_information", "reached_on": "2026-10-12"}, expect=201
    )
    phso = sent(
        api,
        "post",
        f"{base}requests/",
        {
            "what_is_asked": "The complaint file",
            "requested_on": "2026-10-12",
            "period_days": 20,
            "day_count": "working",
        },
        expect=201,
    )
    request = phso["requests"][0]
    assert (request["due_on"], request["period_days"], request["day_count"]) == ("2026-11-09", 20, "working")
    assert phso["next_due_on"] == "2026-11-09"
    phso = sent(
        api,
        "post",
        f"{base}requests/{request['id']}/sent/",
        {"sent_on": "2026-11-02", "what_was_sent": "The file"},
        expect=200,
    )
    assert (phso["requests"][0]["sent_by"], phso["next_due_on"]) == ("lead", None)
    sent(api, "post", f"{base}stages/", {"stage": "final_report", "reached_on": "2026-11-16"}, expect=201)
    sent(api, "post", f"{base}decision/", {"decision": "partly_upheld", "decided_on": "2026-11-16"}, expect=200)
    sent(
        api,
        "post",
        f"{base}recommendations/",
        {"kind": "apology", "description": "Apologise", "due_on": "2026-12-14"},
        expect=201,
    )
    phso = sent(
        api,
        "post",
        f"{base}recommendations/",
        {
            "kind": "financial_remedy",
            "description": "Pay for the distress",
            "amount": "500.00",
            "due_on": "2026-12-14",
        },
        expect=201,
    )
    assert phso["next_due_on"] == "2026-12-14"
    for recommendation in phso["recommendations"]:
        answer = sent(
            api,
            "post",
            f"{base}recommendations/{recommendation['id']}/evidence/",
            {"sent_on": "2026-11-18", "description": "Proof"},
            expect=201,
        )
        evidence = next(r for r in answer["recommendations"] if r["id"] == recommendation["id"])["evidence"][0]
        assert evidence["verdict"] == "awaiting"
        sent(
            api,
            "post",
            f"{base}evidence/{evidence['id']}/answer/",
            {"is_accepted": True, "verdict_on": "2026-11-19"},
            expect=200,
        )
    phso = sent(api, "post", f"{base}closure/", {"closed_on": "2026-11-20"}, expect=200)

    assert (phso["decision"], phso["closed_on"]) == ("partly_upheld", "2026-11-20")
    assert [s["stage"] for s in phso["stages"]] == ["enquiry", "request_for_information", "final_report"]
    assert [(r["kind"], r["amount"], r["status"]) for r in phso["recommendations"]] == [
        ("apology", None, "complied"),
        ("financial_remedy", "500.00", "complied"),
    ]


def test_a_joint_complaint_with_one_contribution_from_another_organisation_through_the_api(api, complaint):
    joint = sent(
        api,
        "post",
        "/api/v1/joint-complaints/",
        {
            "case": complaint.reference,
            "consent_to_share": "given",
            "consent_on": "2026-10-01",
        },
        expect=201,
    )
    joint = sent(
        api,
        "post",
        f"/api/v1/joint-complaints/{joint['id']}/bodies/",
        {
            "name": "Oxfordshire County Council",
            "kind": "local_authority",
            "contributes": "The care package",
        },
        expect=201,
    )
    body = joint["bodies"][0]
    assert joint["trust_leads"] is True
    contribution = sent(
        api,
        "post",
        "/api/v1/contributions/",
        {
            "case": complaint.reference,
            "from_body": body["id"],
            "what_is_asked": "Care records",
            "requested_on": "2026-11-02",
            "due_on": "2026-11-16",
        },
        expect=201,
    )
    address = f"/api/v1/contributions/{contribution['id']}/"
    contribution = sent(api, "post", f"{address}chasers/", {"note": "Phoned"}, expect=201)
    assert contribution["chasers"] == [{"sent_on": "2026-11-20", "note": "Phoned", "sent_by": "lead"}]
    contribution = sent(
        api, "post", f"{address}received/", {"received_on": "2026-11-20", "what_was_received": "Care plan"}, expect=200
    )
    assert (contribution["asked_of"], contribution["received_on"]) == ("Oxfordshire County Council", "2026-11-20")

    joint = sent(api, "patch", f"/api/v1/joint-complaints/{joint['id']}/", {"lead": body["id"]}, expect=200)
    assert (joint["trust_leads"], joint["bodies"][0]["is_lead"], joint["consent_to_share"]) == (False, True, "given")


def test_a_cqc_enquiry_through_the_api(api, complaint):
    enquiry = sent(
        api,
        "post",
        "/api/v1/cqc-enquiries/",
        {
            "case": complaint.reference,
            "asked_by": "Dana Price",
            "received_on": "2026-11-02",
            "what_is_asked": "A summary",
            "period_days": 28,
            "day_count": "calendar",
        },
        expect=201,
    )
    assert (enquiry["due_on"], enquiry["handled_by"], enquiry["sent_on"]) == ("2026-11-30", "lead", None)
    enquiry = sent(
        api,
        "post",
        f"/api/v1/cqc-enquiries/{enquiry['id']}/sent/",
        {"sent_on": "2026-11-20", "what_was_sent": "Summary"},
        expect=200,
    )
    assert enquiry["sent_by"] == "lead"
    assert sent(api, "get", "/api/v1/cqc-enquiries/?open=true", expect=200)["results"] == []


class TestRefusals:
    def test_a_user_outside_the_cases_division_gets_404(self, complaint, lead, medicine, surgery):
        phso = open_phso(complaint, actor=lead)
        joint = services.record_joint_complaint(complaint, consent_to_share="awaited", actor=lead)
        contribution = services.request_contribution(
            complaint,
            from_division=medicine,
            what_is_asked="Statement",
            requested_on=D(2026, 11, 2),
            due_on=D(2026, 11, 16),
            actor=lead,
        )
        enquiry = services.open_cqc_enquiry(
            complaint,
            asked_by="Inspector",
            received_on=D(2026, 11, 2),
            what_is_asked="Summary",
            due_on=D(2026, 11, 30),
            actor=lead,
        )
        outsider = as_user(divisional_manager(divisions=[surgery]))

        for address in (
            f"/api/v1/ombudsman-cases/{phso.pk}/",
            f"/api/v1/joint-complaints/{joint.pk}/",
            f"/api/v1/contributions/{contribution.pk}/",
            f"/api/v1/cqc-enquiries/{enquiry.pk}/",
        ):
            assert outsider.get(address).status_code == 404, address
        for address in (
            "/api/v1/ombudsman-cases/",
            "/api/v1/joint-complaints/",
            "/api/v1/contributions/",
            "/api/v1/cqc-enquiries/",
        ):
            assert outsider.get(address).json()["results"] == [], address
        assert outsider.post(f"/api/v1/ombudsman-cases/{phso.pk}/stages/", {}, format="json").status_code == 404
        assert outsider.post(f"/api/v1/contributions/{contribution.pk}/chasers/", {}, format="json").status_code == 404
        refused = outsider.post("/api/v1/contributions/", {"case": complaint.reference}, format="json")
        assert refused.status_code == 403  # a divisional manager asks for no contributions, wherever the case is

    def test_a_case_the_caller_cannot_see_is_404_when_named_in_the_body(self, complaint, surgery):
        coordinator_elsewhere = as_user(officer())
        hidden = responded_complaint(division=surgery, actor=officer(), is_staff_complainant=True)
        response = coordinator_elsewhere.post(
            "/api/v1/contributions/",
            {
                "case": hidden.reference,
                "from_division": "SURG",
                "what_is_asked": "Notes",
                "requested_on": "2026-11-02",
                "due_on": "2026-11-16",
            },
            format="json",
        )
        assert response.status_code == 404

    def test_a_role_that_may_not_do_the_work_gets_403_before_its_input_is_read(self, complaint, lead, medicine):
        phso = open_phso(complaint, actor=lead)
        manager = as_user(divisional_manager(divisions=[medicine]))

        assert manager.get(f"/api/v1/ombudsman-cases/{phso.pk}/").status_code == 200
        assert manager.post(f"/api/v1/ombudsman-cases/{phso.pk}/decision/", {}, format="json").status_code == 403
        assert manager.post("/api/v1/ombudsman-cases/", {}, format="json").status_code == 403
        assert as_user(officer()).post("/api/v1/cqc-enquiries/", {}, format="json").status_code == 403

    def test_bad_input_is_refused_per_field(self, api, medicine, lead):
        from palsdesk.cases.models import Kind
        from palsdesk.cases.tests.factories import make_case

        waiting = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, received_on=D(2026, 9, 1))
        body = sent(
            api,
            "post",
            "/api/v1/ombudsman-cases/",
            {
                "case": waiting.reference,
                "phso_reference": "C-1",
                "caseworker_name": "Priya",
                "received_on": "2026-10-05",
            },
            expect=400,
        )
        assert "has had no local response" in body["taken_early_because"][0]
        assert not OmbudsmanCase.objects.exists()
        body = sent(
            api,
            "post",
            "/api/v1/ombudsman-cases/",
            {"case": waiting.reference, "stage": "appeal", "colour": "red"},
            expect=400,
        )
        assert set(body) == {"colour"}  # unknown fields are refused first, by name
        body = sent(api, "post", "/api/v1/ombudsman-cases/", {"case": waiting.reference, "stage": "appeal"}, expect=400)
        assert body["stage"] == [
            '"appeal" is not one of: enquiry, request_for_information, assessment, '
            "investigation, draft_report, final_report."
        ]
        assert {"phso_reference", "caseworker_name", "received_on"} <= set(body)

    def test_a_rule_broken_answers_400_with_the_reason(self, api, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        body = sent(
            api,
            "post",
            f"/api/v1/ombudsman-cases/{phso.pk}/recommendations/",
            {"kind": "apology", "description": "Sorry", "due_on": "2026-12-01"},
            expect=400,
        )
        assert body["detail"].startswith("Record the PHSO's decision first")


def test_lists_come_in_cursor_pages_whose_queries_do_not_grow_with_the_rows(api, medicine, lead, capsys):
    def add(count: int) -> None:
        for _ in range(count):
            complaint = responded_complaint(division=medicine, actor=lead)
            phso = open_phso(complaint, actor=lead, phso_reference=f"C-{complaint.pk}")
            services.add_ombudsman_request(
                phso, what_is_asked="File", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 30), actor=lead
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
            services.open_cqc_enquiry(
                complaint,
                asked_by="Inspector",
                received_on=D(2026, 11, 2),
                what_is_asked="Summary",
                due_on=D(2026, 11, 30),
                actor=lead,
            )
            services.record_joint_complaint(complaint, consent_to_share="awaited", actor=lead)

    def queries(address: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(address).status_code == 200
        return len(captured)

    addresses = [
        "/api/v1/ombudsman-cases/",
        "/api/v1/contributions/",
        "/api/v1/cqc-enquiries/",
        "/api/v1/joint-complaints/",
    ]
    add(2)
    few = [queries(address) for address in addresses]
    add(4)
    many = [queries(address) for address in addresses]
    assert many == few
    with capsys.disabled():
        print(f"\nAPI lists: {dict(zip(addresses, few, strict=True))} queries with 2 rows each, the same with 6")

    first = api.get("/api/v1/ombudsman-cases/", {"page_size": 4}).json()
    assert len(first["results"]) == 4 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and not second["next"]
    assert Chaser.objects.count() == 6
    assert len(api.get("/api/v1/contributions/", {"awaited": "true"}).json()["results"]) == 6


def test_the_schema_documents_each_endpoint_and_its_refusals(api):
    schema = json.loads(api.get("/api/schema/", {"format": "json"}).content)
    paths = schema["paths"]

    writes = [
        ("/api/v1/ombudsman-cases/", "post", "201"),
        ("/api/v1/ombudsman-cases/{id}/", "patch", "200"),
        ("/api/v1/ombudsman-cases/{id}/stages/", "post", "201"),
        ("/api/v1/ombudsman-cases/{id}/requests/", "post", "201"),
        ("/api/v1/ombudsman-cases/{id}/requests/{request_id}/sent/", "post", "200"),
        ("/api/v1/ombudsman-cases/{id}/decision/", "post", "200"),
        ("/api/v1/ombudsman-cases/{id}/recommendations/", "post", "201"),
        ("/api/v1/ombudsman-cases/{id}/recommendations/{recommendation_id}/evidence/", "post", "201"),
        ("/api/v1/ombudsman-cases/{id}/evidence/{evidence_id}/answer/", "post", "200"),
        ("/api/v1/ombudsman-cases/{id}/closure/", "post", "200"),
        ("/api/v1/cqc-enquiries/", "post", "201"),
        ("/api/v1/cqc-enquiries/{id}/sent/", "post", "200"),
        ("/api/v1/joint-complaints/", "post", "201"),
        ("/api/v1/joint-complaints/{id}/", "patch", "200"),
        ("/api/v1/joint-complaints/{id}/bodies/", "post", "201"),
        ("/api/v1/joint-complaints/{id}/our-part-sent/", "post", "200"),
        ("/api/v1/contributions/", "post", "201"),
        ("/api/v1/contributions/{id}/chasers/", "post", "201"),
        ("/api/v1/contributions/{id}/received/", "post", "200"),
    ]
    for address, method, success in writes:
        operation = paths[address][method]
        assert {success, "400", "403", "404"} <= set(operation["responses"]), address
        assert operation["requestBody"]["content"].keys() == {"application/json"}, address
    components = schema["components"]["schemas"]
    assert components["OmbudsmanStageEnum"]["enum"] == [
        "enquiry",
        "request_for_information",
        "assessment",
        "investigation",
        "draft_report",
        "final_report",
    ]
    assert components["OmbudsmanDecisionEnum"]["enum"] == ["upheld", "partly_upheld", "not_upheld", "not_investigated"]
    assert {p["name"] for p in paths["/api/v1/ombudsman-cases/"]["get"]["parameters"]} >= {"case", "open", "cursor"}
