"""Action plans through the API: the same rules as the pages, a plan or action outside the caller's divisions answers
404, evidence uploads follow the attachment rules, and the lists read the database a fixed number of times."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import approver, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import code, local_subject
from palsdesk.learning.models import Action, ActionPlan, ActionStatus, Evidence, PlanScope
from palsdesk.learning.tests.conftest import TODAY
from palsdesk.learning.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    finish,
    make_action,
    make_plan,
    pdf_upload,
    publish,
    stored_files,
    upload,
)
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/action-plans/"
ACTIONS = "/api/v1/actions/"
PUBLISHED = "/api/v1/you-said-we-did/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (ActionPlan, Action, Evidence, AuditEvent)}


@pytest.fixture
def medicine_plan(lead, medicine, medicine_manager):
    plan = make_plan(lead, division=medicine, title="Medicine's plan")
    make_action(plan, actor=lead, owner=medicine_manager, description="Medicine's action")
    return plan


@pytest.fixture
def surgery_plan(lead, surgery, surgery_manager):
    plan = make_plan(lead, division=surgery, title="Surgery's plan")
    make_action(plan, actor=lead, owner=surgery_manager, description="Surgery's action")
    return plan


class TestADivisionalManagerSeesAndUpdatesOnlyTheirDivisionsPlans:
    def test_the_lists_hold_only_their_divisions_plans_and_actions(self, medicine_manager, medicine_plan, surgery_plan):
        client = api(medicine_manager)

        plans = client.get(PLANS).json()["results"]
        actions = client.get(ACTIONS).json()["results"]

        assert [plan["title"] for plan in plans] == ["Medicine's plan"]
        assert plans[0]["responsible_division"] == "MED"
        assert [action["description"] for action in actions] == ["Medicine's action"]

    def test_another_divisions_plan_action_and_evidence_answer_404(self, lead, medicine_manager, surgery_plan, media):
        action = surgery_plan.actions.get()
        api(lead).post(f"{ACTIONS}{action.pk}/evidence/", {"file": pdf_upload()}, format="multipart")
        evidence = Evidence.objects.get()
        client = api(medicine_manager)
        before = rows()

        assert client.get(f"{PLANS}{surgery_plan.pk}/").status_code == 404
        assert client.post(f"{PLANS}{surgery_plan.pk}/actions/", {}, format="json").status_code == 404
        assert client.get(f"{ACTIONS}{action.pk}/").status_code == 404
        assert client.patch(f"{ACTIONS}{action.pk}/", {"description": "x"}, format="json").status_code == 404
        assert client.post(f"{ACTIONS}{action.pk}/status/", {"status": "done"}, format="json").status_code == 404
        assert client.get(f"{ACTIONS}{action.pk}/evidence/").status_code == 404
        note = client.post(f"{ACTIONS}{action.pk}/evidence/", {"note": "Mine"}, format="multipart")
        assert note.status_code == 404
        assert client.get(f"/api/v1/evidence/{evidence.pk}/file/").status_code == 404
        assert rows() == before

    def test_they_update_their_own_divisions_action(self, medicine_manager, medicine_plan):
        action = medicine_plan.actions.get()

        response = api(medicine_manager).post(
            f"{ACTIONS}{action.pk}/status/", {"status": "done", "completed_on": "2026-11-19"}, format="json"
        )

        assert response.status_code == 200
        assert (response.json()["status"], response.json()["completed_on"]) == ("done", "2026-11-19")

    def test_they_cannot_raise_a_plan_for_another_division(self, medicine_manager, surgery):
        response = api(medicine_manager).post(
            PLANS, {"title": "Theatres", "scope": "division", "division": "SURG"}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {
            "division": ["Choose one of your divisions: you can raise plans only for your divisions and their cases."]
        }

    def test_read_only_roles_are_refused_changes_and_a_volunteer_sees_nothing(self, medicine_plan):
        action = medicine_plan.actions.get()

        assert (
            api(approver()).post(f"{ACTIONS}{action.pk}/status/", {"status": "done"}, format="json").status_code == 403
        )
        assert api(volunteer()).get(PLANS).json()["results"] == []
        assert api(volunteer()).get(f"{PLANS}{medicine_plan.pk}/").status_code == 404


class TestPlansAndActions:
    def test_a_plan_on_a_case_with_an_action_linking_cases_and_themes(self, lead, medicine, medicine_manager):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        other = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)
        letters = local_subject("Discharge letters")
        client = api(lead)

        plan = client.post(
            PLANS, {"title": "Discharge letters", "scope": "case", "case": case.reference.lower()}, format="json"
        )
        action = client.post(
            f"{PLANS}{plan.json()['id']}/actions/",
            {
                "description": "Audit the letters",
                "owner": medicine_manager.username,
                "due_on": "2026-12-18",
                "cases": [other.reference],
                "subjects": ["communications"],
                "hcat_categories": ["communication"],
                "local_subjects": [letters.pk],
            },
            format="json",
        )

        assert plan.status_code == 201
        assert plan.json()["case"] == case.reference
        assert action.status_code == 201, action.json()
        body = action.json()
        assert body["cases"] == [case.reference, other.reference]
        assert sorted(subject["code"] for subject in body["subjects"]) == ["communication", "communications"]
        assert body["local_subjects"] == [{"id": letters.pk, "name": "Discharge letters"}]
        assert (body["owner"], body["status"], body["is_overdue"]) == (medicine_manager.username, "open", False)
        detail = client.get(f"{PLANS}{plan.json()['id']}/").json()
        assert [a["description"] for a in detail["actions"]] == ["Audit the letters"]

    def test_a_theme_plan_by_subject_code(self, lead):
        response = api(lead).post(
            PLANS, {"title": "Communication", "scope": "theme", "subject": "communications"}, format="json"
        )

        assert response.status_code == 201
        assert response.json()["subject"] == {"code": "communications", "label": "Communications"}
        assert response.json()["theme_label"] == "Communications"

    def test_bad_input_is_answered_per_field(self, lead, medicine):
        plan = make_plan(lead, division=medicine)

        response = api(lead).post(
            f"{PLANS}{plan.pk}/actions/",
            {"description": "", "owner": "nobody", "due_on": "19 November", "cases": ["COM-2099-00001"]},
            format="json",
        )
        unknown = api(lead).post(f"{PLANS}{plan.pk}/actions/", {"colour": 1}, format="json")

        assert response.status_code == 400
        assert set(response.json()) == {"description", "owner", "due_on"}
        assert unknown.status_code == 400
        assert "'colour' is not a field here." in unknown.json()["colour"][0]
        assert Action.objects.count() == 0

    def test_a_service_refusal_names_the_field(self, lead, medicine):
        plan = make_plan(lead, division=medicine)

        response = api(lead).post(
            f"{PLANS}{plan.pk}/actions/",
            {"description": "Audit", "owner": lead.username, "due_on": "2026-11-19", "cases": ["COM-2099-00001"]},
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"cases": ["There is no case COM-2099-00001 that you can see."]}

    def test_patch_changes_only_what_is_sent(self, lead, medicine_plan, medicine_manager):
        action = medicine_plan.actions.get()

        response = api(lead).patch(f"{ACTIONS}{action.pk}/", {"due_on": "2027-01-08"}, format="json")

        assert response.status_code == 200
        assert (response.json()["due_on"], response.json()["owner"]) == ("2027-01-08", medicine_manager.username)

    def test_patching_the_cases_keeps_links_to_cases_the_caller_cannot_see(
        self, lead, medicine, surgery, medicine_manager
    ):
        theirs = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        hidden = make_case(kind=Kind.COMPLAINT, division=surgery, actor=lead)
        another = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        action = make_action(make_plan(lead, division=medicine), actor=lead, cases=[theirs, hidden])
        client = api(medicine_manager)

        shown = client.get(f"{ACTIONS}{action.pk}/").json()["cases"]
        response = client.patch(f"{ACTIONS}{action.pk}/", {"cases": [another.reference]}, format="json")

        assert shown == [theirs.reference]
        assert response.json()["cases"] == [another.reference]
        assert set(Action.objects.get().cases.all()) == {another, hidden}

    def test_the_overdue_filter(self, lead, medicine, time_machine):
        time_machine.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
        plan = make_plan(lead, division=medicine)
        make_action(plan, actor=lead, description="Late", due_on=datetime.date(2026, 11, 19))
        make_action(plan, actor=lead, description="Today", due_on=TODAY)
        finish(make_action(plan, actor=lead, description="Done", due_on=datetime.date(2026, 11, 3)), actor=lead)
        time_machine.move_to(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))

        overdue = api(lead).get(ACTIONS, {"due": "overdue"}).json()["results"]
        plans = api(lead).get(PLANS, {"overdue": "true"}).json()["results"]

        assert [(a["description"], a["is_overdue"]) for a in overdue] == [("Late", True)]
        assert [(p["overdue_count"], p["outstanding_count"], p["done_count"]) for p in plans] == [(1, 2, 1)]
        assert api(lead).get(ACTIONS, {"due": "late"}).status_code == 400

    def test_dropping_without_a_reason_is_400(self, lead, medicine_plan):
        action = medicine_plan.actions.get()

        response = api(lead).post(f"{ACTIONS}{action.pk}/status/", {"status": "dropped"}, format="json")

        assert response.status_code == 400
        assert response.json() == {"reason": ["Say why the action is dropped."]}
        assert Action.objects.get().status == ActionStatus.OPEN


class TestEvidenceFollowsTheAttachmentRules:
    @pytest.fixture
    def action(self, medicine_plan):
        return medicine_plan.actions.get()

    def test_a_file_is_uploaded_as_multipart_and_downloaded_by_those_who_see_the_plan(
        self, action, medicine_manager, media
    ):
        client = api(medicine_manager)

        added = client.post(
            f"{ACTIONS}{action.pk}/evidence/",
            {"file": pdf_upload("audit.pdf"), "note": "Ward audit"},
            format="multipart",
        )

        assert added.status_code == 201, added.json()
        body = added.json()
        assert (body["file_name"], body["content_type"], body["size_bytes"]) == (
            "audit.pdf",
            "application/pdf",
            len(PDF_BYTES),
        )
        download = client.get(body["file"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF_BYTES
        assert download["Content-Disposition"].startswith("attachment;")
        assert [item["id"] for item in client.get(f"{ACTIONS}{action.pk}/evidence/").json()] == [body["id"]]

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("audit.pdf", EXE_BYTES, "The file is named .pdf but it is really a Windows program (.exe)"),
            ("big.pdf", PDF_BYTES.ljust(4096, b" "), "big.pdf is 0.0 MB: a file can be up to 0.0 MB."),
        ],
        ids=["executable renamed .pdf", "oversized"],
    )
    def test_a_refused_file_is_400_with_the_reason_and_nothing_half_saved(
        self, action, lead, media, settings, name, content, says
    ):
        settings.PALSDESK_MAX_UPLOAD_BYTES = 2048
        before = rows()

        response = api(lead).post(
            f"{ACTIONS}{action.pk}/evidence/", {"file": upload(name, content), "note": "Kept?"}, format="multipart"
        )

        assert response.status_code == 400
        (message,) = response.json()["file"]
        assert says in message
        assert rows() == before
        assert stored_files(media) == []

    def test_json_is_not_how_a_file_is_sent(self, action, lead):
        response = api(lead).post(f"{ACTIONS}{action.pk}/evidence/", {"note": "A note"}, format="json")

        assert response.status_code == 415


class TestYouSaidWeDid:
    @pytest.fixture
    def action(self, lead, medicine):
        case = make_case(
            kind=Kind.COMPLAINT,
            division=medicine,
            actor=lead,
            complainant=person_details(first_name="Philippa", last_name="Quartermaine", nhs_number="9434765919"),
        )
        return finish(make_action(make_plan(lead, scope=PlanScope.CASE, case=case), actor=lead), actor=lead)

    def test_words_naming_someone_on_the_case_are_refused_approval(self, lead, action):
        client = api(lead)
        client.put(
            f"{ACTIONS}{action.pk}/public-wording/",
            {"you_said": "Philippa's letter was late.", "we_did": "A checklist."},
            format="json",
        )

        response = client.post(f"{ACTIONS}{action.pk}/public-wording/approve/")

        assert response.status_code == 400
        assert list(response.json()) == ["you_said"]
        assert "the name of someone on a linked case ('Philippa')" in response.json()["you_said"][0]

    def test_approved_words_are_listed_without_anything_of_the_case(self, lead, action):
        client = api(lead)
        client.put(
            f"{ACTIONS}{action.pk}/public-wording/",
            {"you_said": "Letters were late.", "we_did": "We added a checklist."},
            format="json",
        )

        approved = client.post(f"{ACTIONS}{action.pk}/public-wording/approve/")
        listed = client.get(PUBLISHED)

        assert approved.status_code == 200
        assert approved.json()["public_wording"]["is_approved"] is True
        (entry,) = listed.json()["results"]
        assert entry == {
            "action_id": action.pk,
            "you_said": "Letters were late.",
            "we_did": "We added a checklist.",
            "completed_on": "2026-11-20",
            "division": "Medicine",
            "themes": [],
        }
        assert "Quartermaine" not in json.dumps(listed.json())

    def test_only_the_coordinator_writes_the_words(self, action, pals, medicine_manager):
        for someone in (pals, medicine_manager):
            response = api(someone).put(
                f"{ACTIONS}{action.pk}/public-wording/", {"you_said": "x", "we_did": "y"}, format="json"
            )
            assert response.status_code in (403, 404), someone

    def test_a_divisional_manager_lists_only_their_divisions_entries(self, lead, medicine, surgery, medicine_manager):
        publish(make_action(make_plan(lead, division=medicine), actor=lead), actor=lead, you_said="M", we_did="M did")
        publish(make_action(make_plan(lead, division=surgery), actor=lead), actor=lead, you_said="S", we_did="S did")

        entries = api(medicine_manager).get(PUBLISHED).json()["results"]

        assert [entry["we_did"] for entry in entries] == ["M did"]


class TestListsReadTheDatabaseAFixedNumberOfTimes:
    @pytest.mark.parametrize("url", [PLANS, ACTIONS, f"{ACTIONS}?due=done", PUBLISHED])
    def test_the_count_does_not_grow_with_the_rows(self, lead, medicine, medicine_manager, url, capsys):
        client = api(medicine_manager)

        def add(count):
            for number in range(count):
                case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
                plan = make_plan(lead, scope=PlanScope.CASE, case=case, title=f"Plan {number}")
                action = make_action(plan, actor=lead, owner=medicine_manager, cases=[case])
                action.subjects.add(code(TaxonomyKind.SUBJECT, "communications"))
                publish(action, actor=lead, you_said=f"Said {number}", we_did=f"Did {number}")

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        add(2)
        few = queries()
        add(6)
        many = queries()

        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 rows, {many} with 8")

    def test_a_plan_with_many_actions_costs_the_same(self, lead, medicine):
        plan = make_plan(lead, division=medicine)
        client = api(lead)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{PLANS}{plan.pk}/").status_code == 200
            return len(captured)

        make_action(plan, actor=lead)
        few = queries()
        for _ in range(5):
            make_action(plan, actor=lead, cases=[make_case(division=medicine, actor=lead)])

        assert queries() == few


class TestTheSchema:
    def test_the_endpoints_are_documented_with_their_refusals(self, lead):
        schema = api(lead).get("/api/schema/", {"format": "json"}).json()
        paths = schema["paths"]

        assert {
            "/api/v1/action-plans/",
            "/api/v1/action-plans/{id}/",
            "/api/v1/action-plans/{id}/actions/",
            "/api/v1/actions/",
            "/api/v1/actions/{id}/",
            "/api/v1/actions/{id}/status/",
            "/api/v1/actions/{id}/evidence/",
            "/api/v1/actions/{id}/public-wording/",
            "/api/v1/actions/{id}/public-wording/approve/",
            "/api/v1/actions/{id}/public-wording/withdraw/",
            "/api/v1/evidence/{id}/file/",
            "/api/v1/you-said-we-did/",
        } <= set(paths)
        upload_operation = paths["/api/v1/actions/{id}/evidence/"]["post"]
        assert list(upload_operation["requestBody"]["content"]) == ["multipart/form-data"]
        assert set(upload_operation["responses"]) == {"201", "400", "403", "404"}
        assert schema["components"]["schemas"]["ActionStatusEnum"]["enum"] == ["open", "in_progress", "done", "dropped"]
