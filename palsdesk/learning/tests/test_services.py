"""The rules of action plans, written once in learning.services: who raises and works on which plans, what an action
needs, how it moves on, its evidence, and the public words."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import approver, auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.services import restrict_case
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import code, local_subject
from palsdesk.core.errors import RuleBroken
from palsdesk.learning import services
from palsdesk.learning.models import Action, ActionPlan, ActionStatus, Evidence, PlanScope, PublicWording
from palsdesk.learning.selectors import action_plans_visible_to
from palsdesk.learning.tests.conftest import TODAY
from palsdesk.learning.tests.factories import (
    EXE_BYTES,
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

D = datetime.date


def problems_of(refused) -> dict:
    return refused.value.message_dict


@pytest.fixture
def complaint(lead, medicine):
    return make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, summary="Discharge letter was late")


class TestRaisingAPlan:
    def test_a_plan_on_a_case_is_noted_on_the_case_and_audited(self, lead, complaint):
        plan = make_plan(lead, scope=PlanScope.CASE, case=complaint, title="Discharge letters on time")

        assert plan.case == complaint
        assert plan.responsible_division == complaint.division
        entry = complaint.timeline.order_by("-id").first()
        assert entry.body == "Action plan raised: Discharge letters on time."
        event = AuditEvent.objects.get(action="learning.plan_raised")
        assert (event.case_id, event.actor) == (complaint.pk, lead)
        assert event.changes["title"] == [None, "Discharge letters on time"]

    @pytest.mark.parametrize(
        ("theme", "label"),
        [
            (lambda: {"subject": code(TaxonomyKind.SUBJECT, "communications")}, "Communications"),
            (lambda: {"local_subject": local_subject("Discharge letters")}, "Discharge letters"),
            (lambda: {"theme": "Waiting for medicines to take home"}, "Waiting for medicines to take home"),
        ],
    )
    def test_a_theme_is_a_national_subject_a_local_subject_or_the_teams_own_words(self, lead, theme, label):
        plan = make_plan(lead, scope=PlanScope.THEME, **theme())

        assert plan.theme_label.startswith(label)
        assert plan.responsible_division is None

    def test_a_theme_may_be_an_hcat_category(self, lead):
        category = code(TaxonomyKind.HCAT_CATEGORY, "communication")

        assert make_plan(lead, scope=PlanScope.THEME, subject=category).subject == category

    def test_a_theme_names_exactly_one_theme(self, lead):
        with pytest.raises(ValidationError) as refused:
            make_plan(
                lead, scope=PlanScope.THEME, subject=code(TaxonomyKind.SUBJECT, "communications"), theme="Letters"
            )
        assert problems_of(refused) == {
            "subject": [
                "Choose one theme: a national subject or HCAT category, a local subject, or the theme in your words."
            ]
        }

    def test_a_theme_is_not_a_service_area(self, lead):
        with pytest.raises(ValidationError) as refused:
            make_plan(lead, scope=PlanScope.THEME, subject=code(TaxonomyKind.SERVICE_AREA, "acute-inpatient"))
        assert problems_of(refused) == {"subject": ["Choose a KO41a subject or an HCAT category."]}

    def test_every_missing_answer_is_said_at_once(self, lead):
        with pytest.raises(ValidationError) as refused:
            services.raise_action_plan(actor=lead, title=" ", scope=PlanScope.DIVISION)
        assert problems_of(refused) == {
            "title": ["Enter a title for the plan."],
            "division": ["Choose the division the plan is for."],
        }
        assert ActionPlan.objects.count() == 0

    def test_a_case_plan_names_its_case(self, lead):
        with pytest.raises(ValidationError) as refused:
            services.raise_action_plan(actor=lead, title="Plan", scope=PlanScope.CASE)
        assert problems_of(refused) == {"case": ["Enter the reference of the case the plan is for."]}

    def test_a_divisional_manager_raises_plans_only_for_their_own_divisions(
        self, medicine_manager, medicine, surgery, lead
    ):
        assert make_plan(medicine_manager, division=medicine).division == medicine
        with pytest.raises(ValidationError) as refused:
            make_plan(medicine_manager, division=surgery)
        assert problems_of(refused) == {
            "division": ["Choose one of your divisions: you can raise plans only for your divisions and their cases."]
        }
        surgery_case = make_case(kind=Kind.COMPLAINT, division=surgery, actor=lead)
        with pytest.raises(ValidationError) as refused:
            make_plan(medicine_manager, scope=PlanScope.CASE, case=surgery_case)
        assert problems_of(refused) == {"case": [f"There is no case {surgery_case.reference} that you can see."]}
        with pytest.raises(ValidationError):
            make_plan(medicine_manager, scope=PlanScope.THEME, theme="Parking")  # a trust-wide theme is not theirs

    @pytest.mark.parametrize("role", [approver, auditor, volunteer])
    def test_roles_that_do_not_work_on_plans_cannot_raise_one(self, role, medicine):
        with pytest.raises(PermissionDenied):
            make_plan(role(), division=medicine)


class TestWhoSeesWhichPlans:
    def test_a_divisional_manager_sees_their_divisions_plans_by_the_plan_or_its_case(
        self, lead, medicine, surgery, medicine_manager
    ):
        medicine_case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        surgery_case = make_case(kind=Kind.COMPLAINT, division=surgery, actor=lead)
        by_division = make_plan(lead, division=medicine, title="Medicine's own")
        by_case = make_plan(lead, scope=PlanScope.CASE, case=medicine_case, title="On a Medicine case")
        for_medicine_on_a_surgery_case = make_plan(
            lead, scope=PlanScope.CASE, case=surgery_case, division=medicine, title="Medicine's, on Surgery's case"
        )
        make_plan(lead, division=surgery, title="Surgery's own")
        make_plan(lead, scope=PlanScope.CASE, case=surgery_case, title="On a Surgery case")
        make_plan(lead, scope=PlanScope.THEME, theme="Parking", title="Trust-wide theme")

        assert set(action_plans_visible_to(medicine_manager)) == {
            by_division,
            by_case,
            for_medicine_on_a_surgery_case,
        }
        assert action_plans_visible_to(lead).count() == 6
        assert action_plans_visible_to(officer()).count() == 6
        assert action_plans_visible_to(approver()).count() == 6
        assert action_plans_visible_to(volunteer()).count() == 0

    def test_a_plan_on_a_restricted_case_is_seen_only_by_those_named_on_it(self, lead, medicine, medicine_manager):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        plan = make_plan(lead, scope=PlanScope.CASE, case=case)
        other_lead = coordinator()
        restrict_case(case, named_users=[lead], actor=lead)

        assert list(action_plans_visible_to(lead)) == [plan]
        assert list(action_plans_visible_to(other_lead)) == []
        assert list(action_plans_visible_to(medicine_manager)) == []


class TestActions:
    def test_an_action_links_the_cases_and_themes_that_prompted_it(self, lead, medicine, medicine_manager):
        first = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        second = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)
        plan = make_plan(lead, scope=PlanScope.CASE, case=first)
        communications = code(TaxonomyKind.SUBJECT, "communications")
        letters = local_subject("Discharge letters")
        entries_on_second = second.timeline.count()

        action = make_action(
            plan,
            actor=lead,
            owner=medicine_manager,
            due_on=D(2026, 12, 18),
            cases=[first, second, first],
            subjects=[communications],
            local_subjects=[letters],
        )

        assert set(action.cases.all()) == {first, second}
        assert list(action.subjects.all()) == [communications]
        assert list(action.local_subjects.all()) == [letters]
        assert first.timeline.order_by("-id").first().body == (
            "Action added to the plan 'Discharge on time': Start the discharge checklist on every ward "
            "Owner Mo Medic, due 18 December 2026."
        )
        event = AuditEvent.objects.get(action="learning.action_added")
        assert event.changes["cases"] == [None, sorted([first.reference, second.reference])]
        # Another division's staff may see a linked case but not the plan: its timeline says nothing of it.
        assert second.timeline.count() == entries_on_second

    def test_an_action_needs_what_who_and_when(self, lead, medicine):
        plan = make_plan(lead, division=medicine)
        with pytest.raises(ValidationError) as refused:
            services.add_action(plan, actor=lead, description="", owner=None, due_on=None)
        assert problems_of(refused) == {
            "description": ["Enter what will be done."],
            "owner": ["Choose who owns the action."],
            "due_on": ["Enter the due date."],
        }

    def test_the_due_date_is_today_or_later(self, lead, medicine):
        plan = make_plan(lead, division=medicine)
        assert make_action(plan, actor=lead, due_on=TODAY).due_on == TODAY
        with pytest.raises(ValidationError) as refused:
            make_action(plan, actor=lead, due_on=TODAY - datetime.timedelta(days=1))
        assert problems_of(refused) == {"due_on": ["The due date must be today (20 November 2026) or later."]}

    def test_the_owner_must_be_able_to_see_the_plan_and_work_on_it(
        self, lead, medicine, medicine_manager, surgery_manager
    ):
        plan = make_plan(lead, division=medicine)
        for owner in (surgery_manager, approver()):
            with pytest.raises(ValidationError) as refused:
                make_action(plan, actor=lead, owner=owner)
            assert problems_of(refused) == {
                "owner": [
                    f"{owner} cannot own an action on this plan: they must be able to see it and work on action plans."
                ]
            }
        assert make_action(plan, actor=lead, owner=medicine_manager).owner == medicine_manager

    def test_only_cases_the_actor_can_see_are_linked(self, lead, medicine, surgery, medicine_manager):
        plan = make_plan(medicine_manager, division=medicine)
        hidden = make_case(kind=Kind.COMPLAINT, division=surgery, actor=lead)
        with pytest.raises(ValidationError) as refused:
            make_action(plan, actor=medicine_manager, cases=[hidden])
        assert problems_of(refused) == {"cases": [f"There is no case {hidden.reference} that you can see."]}

    def test_a_divisional_manager_cannot_work_on_another_divisions_plan(self, lead, surgery, medicine_manager):
        plan = make_plan(lead, division=surgery)
        action = make_action(plan, actor=lead)
        with pytest.raises(PermissionDenied):
            make_action(plan, actor=medicine_manager, owner=lead)
        with pytest.raises(PermissionDenied):
            services.update_action_status(action, actor=medicine_manager, status=ActionStatus.IN_PROGRESS)
        with pytest.raises(PermissionDenied):
            services.add_evidence(action, actor=medicine_manager, note="Done")
        with pytest.raises(PermissionDenied):
            services.change_action(action, actor=medicine_manager, description="Something else")
        assert Action.objects.get().status == ActionStatus.OPEN

    def test_changing_an_action_keeps_what_is_left_out_and_audits_the_difference(
        self, lead, medicine, medicine_manager
    ):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        plan = make_plan(lead, division=medicine)
        action = make_action(plan, actor=lead, cases=[case], due_on=D(2026, 12, 1))

        changed = services.change_action(action, actor=lead, owner=medicine_manager, due_on=D(2027, 1, 8))

        assert (changed.owner, changed.due_on, list(changed.cases.all())) == (medicine_manager, D(2027, 1, 8), [case])
        event = AuditEvent.objects.get(action="learning.action_changed")
        assert event.changes == {
            "owner": [{"id": lead.pk, "label": "Lena Lead"}, {"id": medicine_manager.pk, "label": "Mo Medic"}],
            "due_on": ["2026-12-01", "2027-01-08"],
        }

    def test_a_change_that_changes_nothing_writes_nothing(self, lead, medicine):
        action = make_action(make_plan(lead, division=medicine), actor=lead)
        events = AuditEvent.objects.count()

        services.change_action(action, actor=lead, description=action.description)

        assert AuditEvent.objects.count() == events


class TestProgress:
    @pytest.fixture
    def action(self, lead, medicine):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        return make_action(make_plan(lead, scope=PlanScope.CASE, case=case), actor=lead)

    def test_done_is_today_unless_another_day_is_given(self, lead, action):
        done = finish(action, actor=lead)
        assert (done.status, done.completed_on) == (ActionStatus.DONE, TODAY)
        assert action.plan.case.timeline.order_by("-id").first().body.endswith("Done on 20 November 2026.")

    def test_done_cannot_be_in_the_future(self, lead, action):
        with pytest.raises(ValidationError) as refused:
            finish(action, actor=lead, on=TODAY + datetime.timedelta(days=1))
        assert problems_of(refused) == {"completed_on": ["The day it was done cannot be in the future."]}

    def test_dropping_an_action_needs_a_reason(self, lead, action):
        with pytest.raises(ValidationError) as refused:
            services.update_action_status(action, actor=lead, status=ActionStatus.DROPPED)
        assert problems_of(refused) == {"reason": ["Say why the action is dropped."]}

        dropped = services.update_action_status(
            action, actor=lead, status=ActionStatus.DROPPED, reason="Replaced by the trust-wide plan"
        )
        assert (dropped.status, dropped.dropped_reason) == (ActionStatus.DROPPED, "Replaced by the trust-wide plan")
        event = AuditEvent.objects.get(action="learning.action_status_changed")
        assert event.changes["status"] == ["open", "dropped"]

    def test_reopening_clears_the_day_it_was_done(self, lead, action):
        finish(action, actor=lead)
        reopened = services.update_action_status(action, actor=lead, status=ActionStatus.IN_PROGRESS)
        assert (reopened.status, reopened.completed_on) == (ActionStatus.IN_PROGRESS, None)

    def test_a_published_action_cannot_be_reopened_until_its_words_are_withdrawn(self, lead, action):
        publish(action, actor=lead, you_said="Letters were late.", we_did="We added a checklist.")
        with pytest.raises(RuleBroken):
            services.update_action_status(action, actor=lead, status=ActionStatus.OPEN)
        services.withdraw_public_wording(action, actor=lead, reason="The checklist was paused")
        assert services.update_action_status(action, actor=lead, status=ActionStatus.OPEN).status == ActionStatus.OPEN

    def test_the_same_status_again_is_refused(self, lead, action):
        with pytest.raises(ValidationError) as refused:
            services.update_action_status(action, actor=lead, status=ActionStatus.OPEN)
        assert problems_of(refused) == {"status": ["The action is already open."]}


class TestEvidence:
    @pytest.fixture
    def action(self, lead, medicine):
        return make_action(make_plan(lead, division=medicine), actor=lead)

    def test_a_file_is_stored_under_a_name_of_its_own_outside_the_public_web_root(self, lead, action, media):
        evidence = services.add_evidence(action, actor=lead, note="Audit results", upload=pdf_upload("ward 7.pdf"))

        assert evidence.file_name == "ward 7.pdf"
        assert evidence.content_type == "application/pdf"
        assert evidence.file.name.startswith("learning/evidence/")
        assert "ward" not in evidence.file.name
        assert [path.name for path in stored_files(media)] == [evidence.file.name.rsplit("/", 1)[1]]
        event = AuditEvent.objects.get(action="learning.evidence_added")
        assert event.changes["file"] == [None, "ward 7.pdf"]

    def test_a_note_alone_is_evidence(self, lead, action):
        assert services.add_evidence(action, actor=lead, note="Seen on the ward round").file.name == ""

    def test_nothing_is_evidence_of_nothing(self, lead, action):
        with pytest.raises(ValidationError) as refused:
            services.add_evidence(action, actor=lead)
        assert problems_of(refused) == {"file": ["Choose a file, or write a note, as evidence."]}

    @pytest.mark.parametrize(
        ("name", "content"),
        [("audit.pdf", EXE_BYTES), ("audit.exe", EXE_BYTES), ("big.pdf", b"%PDF-1.4" + b" " * 2048)],
    )
    def test_a_refused_file_leaves_nothing_behind(self, lead, action, media, settings, name, content):
        settings.PALSDESK_MAX_UPLOAD_BYTES = 1024
        events, entries = AuditEvent.objects.count(), TimelineEntry.objects.count()

        with pytest.raises(ValidationError):
            services.add_evidence(action, actor=lead, note="Keep me?", upload=upload(name, content))

        assert Evidence.objects.count() == 0
        assert stored_files(media) == []
        assert (AuditEvent.objects.count(), TimelineEntry.objects.count()) == (events, entries)

    def test_a_failure_after_the_file_is_stored_removes_it(self, lead, action, media, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("The audit trail is unavailable")

        monkeypatch.setattr(services.audit, "record", broken)
        with pytest.raises(RuntimeError):
            services.add_evidence(action, actor=lead, upload=pdf_upload())

        assert Evidence.objects.count() == 0
        assert stored_files(media) == []


class TestPublicWording:
    @pytest.fixture
    def case(self, lead, medicine):
        return make_case(
            kind=Kind.COMPLAINT,
            division=medicine,
            actor=lead,
            complainant=person_details(first_name="Ada", last_name="Lovelace", nhs_number="9434765919"),
        )

    @pytest.fixture
    def action(self, lead, case, medicine):
        return finish(make_action(make_plan(lead, division=medicine), actor=lead, cases=[case]), actor=lead)

    def test_approved_words_are_recorded_with_who_and_when(self, lead, action):
        services.write_public_wording(action, actor=lead, you_said="Letters were late.", we_did="We added a checklist.")
        wording = services.approve_public_wording(action, actor=lead)

        assert wording.is_approved and wording.approved_by == lead
        assert AuditEvent.objects.filter(action="learning.wording_approved").count() == 1

    @pytest.mark.parametrize(
        ("you_said", "found"),
        [
            ("Ada Lovelace told us her letter was late.", "the name of someone on a linked case ('Ada Lovelace')"),
            ("Mrs Lovelace's letter was late.", "the name of someone on a linked case ('Lovelace')"),
            ("NHS number 943 476 5919 had a late letter.", "an NHS number ('943 476 5919')"),
            ("A patient born 01/02/1950 waited.", "a full date, which could be a date of birth ('01/02/1950')"),
            ("Email ada@example.org said so.", "an email address ('ada@example.org')"),
            ("Call 01632 960001 said so.", "a phone number ('01632 960001')"),
        ],
    )
    def test_approval_of_words_holding_personal_data_is_refused(self, lead, action, you_said, found):
        services.write_public_wording(action, actor=lead, you_said=you_said, we_did="We added a checklist.")

        with pytest.raises(ValidationError) as refused:
            services.approve_public_wording(action, actor=lead)

        assert list(problems_of(refused)) == ["you_said"]
        assert found in problems_of(refused)["you_said"][0]
        assert not PublicWording.objects.get().is_approved
        assert not AuditEvent.objects.filter(action="learning.wording_approved").exists()

    def test_only_a_done_action_is_approved(self, lead, medicine):
        action = make_action(make_plan(lead, division=medicine), actor=lead)
        services.write_public_wording(action, actor=lead, you_said="Letters were late.", we_did="We added a checklist.")
        with pytest.raises(RuleBroken, match="mark the action done first"):
            services.approve_public_wording(action, actor=lead)

    def test_rewriting_approved_words_takes_the_approval_away(self, lead, action):
        publish(action, actor=lead, you_said="Letters were late.", we_did="We added a checklist.")

        wording = services.write_public_wording(
            action, actor=lead, you_said="Letters were slow.", we_did="A checklist."
        )

        assert not wording.is_approved

    @pytest.mark.parametrize(
        "role", [officer, lambda: divisional_manager(divisions=[]), approver], ids=["officer", "manager", "approver"]
    )
    def test_only_the_coordinator_writes_and_approves_public_words(self, role, lead, action):
        services.write_public_wording(action, actor=lead, you_said="Letters were late.", we_did="A checklist.")
        with pytest.raises(PermissionDenied):
            services.write_public_wording(action, actor=role(), you_said="x", we_did="y")
        with pytest.raises(PermissionDenied):
            services.approve_public_wording(action, actor=role())
