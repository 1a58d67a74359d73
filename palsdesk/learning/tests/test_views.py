"""The action plan pages: the lists with their overdue filter, raising a plan, an action's progress and evidence,
and who may see and change which plans (a divisional manager only their divisions': others answer 404)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import approver, auditor, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import assert_refused, date_parts, page_text, problems
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import code
from palsdesk.learning.models import Action, ActionPlan, ActionStatus, Evidence, PlanScope
from palsdesk.learning.tests.conftest import TODAY
from palsdesk.learning.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    finish,
    make_action,
    make_plan,
    pdf_upload,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

PLANS = reverse("learning:plans")
ACTIONS = reverse("learning:actions")
RAISE = reverse("learning:raise_plan")


def plan_url(plan) -> str:
    return reverse("learning:plan", kwargs={"plan_id": plan.pk})


def action_url(action, name: str = "action") -> str:
    return reverse(f"learning:{name}", kwargs={"action_id": action.pk})


def evidence_url(evidence) -> str:
    return reverse("learning:evidence", kwargs={"evidence_id": evidence.pk})


def rows() -> dict[str, int]:
    """How many rows each table learning writes to holds: equal before and after means nothing was saved."""
    return {
        model.__name__: model.objects.count() for model in (ActionPlan, Action, Evidence, AuditEvent, TimelineEntry)
    }


@pytest.fixture
def medicine_plan(lead, medicine, medicine_manager):
    plan = make_plan(lead, division=medicine, title="Medicine: discharge letters")
    make_action(plan, actor=lead, owner=medicine_manager, description="Medicine's checklist")
    return plan


@pytest.fixture
def surgery_plan(lead, surgery, surgery_manager):
    plan = make_plan(lead, division=surgery, title="Surgery: theatre waits")
    make_action(plan, actor=lead, owner=surgery_manager, description="Surgery's theatre list")
    return plan


class TestADivisionalManagerSeesAndUpdatesOnlyTheirDivisionsPlans:
    def test_the_list_shows_only_their_divisions_plans(self, client, medicine_manager, medicine_plan, surgery_plan):
        client.force_login(medicine_manager)

        text = page_text(client.get(PLANS))

        assert "Medicine: discharge letters" in text
        assert "Surgery: theatre waits" not in text
        assert "Surgery's theatre list" not in page_text(client.get(ACTIONS))

    def test_another_divisions_plan_and_action_answer_404_everywhere(
        self, client, medicine_manager, surgery_plan, lead
    ):
        action = surgery_plan.actions.get()
        client.force_login(lead)
        client.post(action_url(action, "add_evidence"), {"note": "", "file": pdf_upload()})
        evidence = Evidence.objects.get()
        client.force_login(medicine_manager)
        before = rows()

        assert client.get(plan_url(surgery_plan)).status_code == 404
        assert client.get(reverse("learning:add_action", kwargs={"plan_id": surgery_plan.pk})).status_code == 404
        assert client.get(action_url(action)).status_code == 404
        assert client.get(action_url(action, "change_action")).status_code == 404
        assert client.post(action_url(action, "update_status"), {"status": "done"}).status_code == 404
        assert client.post(action_url(action, "add_evidence"), {"note": "Mine now"}).status_code == 404
        assert client.post(action_url(action, "write_wording"), {"you_said": "x", "we_did": "y"}).status_code == 404
        assert client.get(evidence_url(evidence)).status_code == 404
        assert rows() == before
        assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN

    def test_they_update_their_own_divisions_action(self, client, medicine_manager, medicine_plan):
        action = medicine_plan.actions.get()
        client.force_login(medicine_manager)

        response = client.post(action_url(action, "update_status"), {"status": "in_progress"})

        assert response.status_code == 302
        assert response.url == action_url(action) + "#status"
        assert Action.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS

    def test_they_cannot_raise_a_plan_for_another_division(self, client, medicine_manager, surgery):
        client.force_login(medicine_manager)
        before = rows()

        response = client.post(RAISE, {"title": "Theatre waits", "scope": "division", "division": surgery.pk})

        assert_refused(response, says="Choose one of your divisions", kept=["Theatre waits"])
        assert rows() == before


class TestWhoMaySeeAndChange:
    @pytest.mark.parametrize("role", [approver, auditor], ids=["approver", "auditor"])
    def test_read_only_roles_see_plans_but_cannot_change_them(self, client, role, medicine_plan):
        action = medicine_plan.actions.get()
        client.force_login(role())

        assert client.get(plan_url(medicine_plan)).status_code == 200
        assert client.get(RAISE).status_code == 403
        assert client.post(action_url(action, "update_status"), {"status": "done"}).status_code == 403
        assert 'action="/action-plans/actions/' not in client.get(action_url(action)).content.decode()

    def test_a_volunteer_sees_no_plans(self, client, medicine_plan):
        client.force_login(volunteer())

        assert client.get(PLANS).status_code == 403
        assert client.get(plan_url(medicine_plan)).status_code == 404
        assert 'href="/action-plans/"' not in client.get("/").content.decode()

    def test_a_pals_officer_raises_plans_from_pals_themes_and_works_on_any(self, client, pals, medicine_plan):
        client.force_login(pals)

        response = client.post(
            RAISE,
            {"title": "Car parking", "scope": "theme", "theme": "Car parking charges", "summary": "From PALS calls"},
        )

        plan = ActionPlan.objects.get(title="Car parking")
        assert response.url == plan_url(plan)
        assert plan.theme_label == "Car parking charges"
        done = client.post(action_url(medicine_plan.actions.get(), "update_status"), {"status": "done"})
        assert done.status_code == 302
        assert medicine_plan.actions.get().status == ActionStatus.DONE

    def test_the_navigation_links_to_action_plans(self, client, medicine_manager):
        client.force_login(medicine_manager)

        html = client.get(PLANS).content.decode()

        assert 'aria-current="page">Action plans</a>' in html


class TestRaisingAPlan:
    def test_a_plan_for_a_case_starts_from_the_case(self, client, lead, medicine):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        client.force_login(lead)

        form = client.get(RAISE, {"case": case.reference}).content.decode()
        response = client.post(RAISE, {"title": "Letters", "scope": "case", "case": case.reference.lower()})

        assert f'value="{case.reference}"' in form
        assert ActionPlan.objects.get().case == case
        assert response.status_code == 302

    def test_a_plan_for_a_theme_offers_subjects_and_hcat_categories(self, client, lead):
        client.force_login(lead)
        communications = code(TaxonomyKind.SUBJECT, "communications")

        html = client.get(RAISE).content.decode()
        client.post(RAISE, {"title": "Letters", "scope": "theme", "subject": communications.pk})

        assert '<optgroup label="KO41a subjects">' in html
        assert '<optgroup label="HCAT categories">' in html
        assert ActionPlan.objects.get().subject == communications

    def test_every_missing_answer_comes_back_at_once_with_what_was_typed(self, client, lead):
        client.force_login(lead)
        before = rows()

        response = client.post(RAISE, {"title": "", "scope": "division", "summary": "Kept words"})

        assert_refused(response, says="Enter a title for the plan.", kept=["Kept words"])
        assert "Choose the division the plan is for." in problems(response)
        assert rows() == before

    def test_a_case_the_person_cannot_see_is_refused(self, client, lead):
        client.force_login(lead)
        before = rows()

        response = client.post(RAISE, {"title": "Letters", "scope": "case", "case": "COM-2099-00001"})

        assert_refused(response, says="There is no case COM-2099-00001 that you can see.", kept=["Letters"])
        assert rows() == before


class TestActions:
    def test_adding_an_action_links_its_cases(self, client, lead, medicine, medicine_manager):
        plan = make_plan(lead, division=medicine)
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        client.force_login(lead)
        add = reverse("learning:add_action", kwargs={"plan_id": plan.pk})

        form = client.get(add).content.decode()
        response = client.post(
            add,
            {
                "description": "Audit discharge letters monthly",
                "owner": medicine_manager.pk,
                **date_parts("due_on", 18, 12, 2026),
                "cases": f"{case.reference.lower()}, ",
            },
        )

        assert f'<option value="{medicine_manager.pk}">Mo Medic</option>' in form
        action = Action.objects.get()
        assert response.url == plan_url(plan)
        assert (action.owner, action.due_on, list(action.cases.all())) == (
            medicine_manager,
            TODAY.replace(day=18, month=12),
            [case],
        )

    def test_a_missing_owner_and_a_past_date_are_said_together(self, client, lead, medicine):
        plan = make_plan(lead, division=medicine)
        client.force_login(lead)
        before = rows()

        response = client.post(
            reverse("learning:add_action", kwargs={"plan_id": plan.pk}),
            {"description": "Typed words", **date_parts("due_on", 1, 1, 2026)},
        )

        assert_refused(response, says="Choose who owns the action.", kept=["Typed words"])
        assert "The due date must be today (20 November 2026) or later." in problems(response)
        assert rows() == before

    def test_a_case_the_person_cannot_see_is_not_linked(self, client, lead, medicine):
        plan = make_plan(lead, division=medicine)
        client.force_login(lead)
        before = rows()

        response = client.post(
            reverse("learning:add_action", kwargs={"plan_id": plan.pk}),
            {"description": "Typed words", "owner": lead.pk, **date_parts("due_on", 1, 12, 2026), "cases": "NOT-1"},
        )

        assert_refused(response, says="There is no case NOT-1 that you can see.", kept=["Typed words", "NOT-1"])
        assert rows() == before

    def test_dropping_without_a_reason_is_refused_on_the_action_page(self, client, lead, medicine_plan):
        action = medicine_plan.actions.get()
        client.force_login(lead)

        response = client.post(action_url(action, "update_status"), {"status": "dropped", "reason": ""})

        assert_refused(response, says="Say why the action is dropped.")

    def test_changing_an_action_keeps_links_to_cases_the_person_cannot_see(
        self, client, lead, medicine, surgery, medicine_manager
    ):
        theirs = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        hidden = make_case(kind=Kind.COMPLAINT, division=surgery, actor=lead)
        action = make_action(make_plan(lead, division=medicine), actor=lead, cases=[theirs, hidden])
        client.force_login(medicine_manager)

        page = page_text(client.get(action_url(action)))
        response = client.post(
            action_url(action, "change_action"),
            {
                "description": "A sharper description",
                "owner": action.owner_id,
                **date_parts("due_on", action.due_on.day, action.due_on.month, action.due_on.year),
                "cases": theirs.reference,
            },
        )

        assert hidden.reference not in page
        assert response.status_code == 302
        assert set(Action.objects.get().cases.all()) == {theirs, hidden}


class TestEvidenceFilesFollowTheAttachmentRules:
    @pytest.fixture
    def action(self, medicine_plan):
        return medicine_plan.actions.get()

    def test_a_pdf_is_kept_and_served_only_as_a_download_to_those_who_see_the_plan(
        self, client, action, medicine_manager, media
    ):
        client.force_login(medicine_manager)

        response = client.post(action_url(action, "add_evidence"), {"file": pdf_upload("ward audit.pdf"), "note": ""})

        assert response.status_code == 302
        evidence = Evidence.objects.get()
        download = client.get(evidence_url(evidence))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF_BYTES
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert "ward audit.pdf" in download["Content-Disposition"]
        assert AuditEvent.objects.filter(action="learning.evidence_downloaded").count() == 1

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("audit.pdf", EXE_BYTES, "The file is named .pdf but it is really a Windows program (.exe)"),
            ("big.pdf", PDF_BYTES.ljust(4096, b" "), "big.pdf is 0.0 MB: a file can be up to 0.0 MB."),
            ("script.exe", EXE_BYTES, "Files ending .exe cannot be added"),
        ],
        ids=["executable renamed .pdf", "oversized", "executable"],
    )
    def test_a_refused_file_is_said_why_and_nothing_is_half_saved(
        self, client, action, lead, media, settings, name, content, says
    ):
        settings.PALSDESK_MAX_UPLOAD_BYTES = 2048
        client.force_login(lead)
        before = rows()

        response = client.post(
            action_url(action, "add_evidence"), {"file": upload(name, content), "note": "My careful note"}
        )

        assert_refused(response, says=says, kept=["My careful note"])
        assert rows() == before
        assert stored_files(media) == []

    def test_another_divisions_file_by_its_address_is_refused(self, client, action, lead, surgery_manager):
        client.force_login(lead)
        client.post(action_url(action, "add_evidence"), {"file": pdf_upload(), "note": ""})
        evidence = Evidence.objects.get()
        client.force_login(surgery_manager)

        response = client.get(evidence_url(evidence))

        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="learning.evidence_downloaded").exists()


class TestOverdueActionsOnTheCoordinatorsPages:
    @pytest.fixture
    def actions(self, lead, medicine, surgery, medicine_manager, surgery_manager, time_machine):
        time_machine.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
        late = make_action(
            make_plan(lead, division=medicine, title="Late plan"),
            actor=lead,
            owner=medicine_manager,
            description="Late action",
            due_on=datetime.date(2026, 11, 19),
        )
        due_today = make_action(
            make_plan(lead, division=surgery, title="Today plan"),
            actor=lead,
            owner=surgery_manager,
            description="Due today action",
            due_on=TODAY,
        )
        done_late = make_action(late.plan, actor=lead, description="Done action", due_on=datetime.date(2026, 11, 3))
        finish(done_late, actor=lead)
        time_machine.move_to(datetime.datetime(2026, 11, 20, 11, tzinfo=datetime.UTC))
        return late, due_today

    def test_the_overdue_filter_lists_outstanding_actions_past_their_due_date(self, client, lead, actions):
        client.force_login(lead)

        text = page_text(client.get(ACTIONS, {"due": "overdue"}))

        assert "Late action" in text and "Overdue" in text
        assert "Due today action" not in text
        assert "Done action" not in text

    def test_the_plans_list_counts_and_filters_the_overdue(self, client, lead, actions):
        client.force_login(lead)

        all_plans = client.get(PLANS).content.decode()
        overdue_only = page_text(client.get(PLANS, {"overdue": "on"}))

        assert "1 overdue" in all_plans
        assert "Late plan" in overdue_only and "Today plan" not in overdue_only


class TestTheCasePageShowsItsActions:
    def test_actions_linked_to_the_case_show_in_its_section(self, client, lead, medicine, surgery):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        make_action(make_plan(lead, scope=PlanScope.CASE, case=case), actor=lead, description="From the case plan")
        make_action(make_plan(lead, division=surgery), actor=lead, cases=[case], description="From Surgery's plan")
        make_action(make_plan(lead, division=medicine), actor=lead, description="Not about this case")
        client.force_login(lead)

        html = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
        section = html.split('<h2 id="action-plans-heading">Action plans</h2>')[1].split("</section>")[0]

        assert "From the case plan" in section
        assert "From Surgery&#x27;s plan" in section
        assert "Not about this case" not in section
        assert f"/action-plans/new/?case={case.reference}" in section

    def test_a_divisional_manager_sees_only_their_divisions_actions_on_the_case(
        self, client, lead, medicine, surgery, medicine_manager
    ):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        make_action(make_plan(lead, division=surgery), actor=lead, cases=[case], description="Surgery's own")
        client.force_login(medicine_manager)

        html = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()

        assert "Surgery&#x27;s own" not in html
        assert '<h2 id="action-plans-heading">Action plans</h2>' in html

    def test_a_volunteer_sees_no_section(self, client, medicine):
        helper = volunteer()
        case = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=helper)
        client.force_login(helper)

        assert "action-plans-heading" not in client.get(f"/cases/{case.reference}/").content.decode()


class TestListsReadTheDatabaseAFixedNumberOfTimes:
    def add(self, count, *, lead, division, owner):
        for number in range(count):
            case = make_case(kind=Kind.COMPLAINT, division=division, actor=lead)
            plan = make_plan(lead, scope=PlanScope.CASE, case=case, title=f"Plan {number}")
            action = make_action(plan, actor=lead, owner=owner, cases=[case], description=f"Action {number}")
            action.subjects.add(code(TaxonomyKind.SUBJECT, "communications"))

    @pytest.mark.parametrize("url", [PLANS, f"{PLANS}?overdue=on&division=MED", ACTIONS, f"{ACTIONS}?due=overdue", "/"])
    def test_the_count_does_not_grow_with_the_plans(self, client, lead, medicine, medicine_manager, url, capsys):
        client.force_login(medicine_manager)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        self.add(2, lead=lead, division=medicine, owner=medicine_manager)
        client.get(url)  # the working-day calendar is built once, then cached
        few = queries()
        self.add(8, lead=lead, division=medicine, owner=medicine_manager)
        many = queries()

        assert many == few
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 plans, {many} with 10")

    def test_a_plan_with_many_actions_costs_the_same(self, client, lead, medicine, medicine_manager, capsys):
        plan = make_plan(lead, division=medicine)
        client.force_login(lead)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(plan_url(plan)).status_code == 200
            return len(captured)

        make_action(plan, actor=lead, owner=medicine_manager)
        client.get(plan_url(plan))  # the working-day calendar is built once, then cached
        few = queries()
        for _ in range(6):
            make_action(plan, actor=lead, owner=medicine_manager, cases=[make_case(division=medicine, actor=lead)])
        assert queries() == few
        with capsys.disabled():
            print(f"\n{plan_url(plan)}: {few} queries with 1 action, and with 7")


def test_an_officer_can_open_every_page(client, pals, medicine_plan):
    action = medicine_plan.actions.get()
    client.force_login(pals)

    for url in (
        PLANS,
        ACTIONS,
        RAISE,
        plan_url(medicine_plan),
        action_url(action),
        action_url(action, "change_action"),
    ):
        assert client.get(url).status_code == 200, url
