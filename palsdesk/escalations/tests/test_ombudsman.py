"""The Ombudsman's stage: a PHSO case on a complaint, its stages, requests with their deadlines and what was sent,
its decision, and recommendations with the evidence of compliance."""

import datetime
import decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.errors import RuleBroken
from palsdesk.escalations import services
from palsdesk.escalations.models import ComplianceEvidence, DayCount, Decision, Recommendation, Stage
from palsdesk.escalations.tests.factories import open_phso

pytestmark = pytest.mark.django_db

D = datetime.date


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_a_complaint_goes_through_a_phso_investigation_to_compliance_with_two_recommendations(complaint, lead):
    phso = open_phso(complaint, actor=lead, caseworker_email="priya.natarajan@ombudsman.example")
    assert (phso.stage, phso.stage_on, phso.handled_by) == (Stage.ENQUIRY, D(2026, 10, 5), lead)

    services.record_stage(phso, stage=Stage.REQUEST_FOR_INFORMATION, reached_on=D(2026, 10, 12), actor=lead)
    request = services.add_ombudsman_request(
        phso,
        what_is_asked="The complaint file, the response letter and the discharge summary",
        requested_on=D(2026, 10, 12),
        period_days=20,
        day_count=DayCount.WORKING,
        actor=lead,
    )
    assert request.due_on == D(2026, 11, 9)
    services.record_sent_to_ombudsman(
        request, sent_on=D(2026, 11, 2), what_was_sent="Complaint file, response, discharge summary", actor=lead
    )
    for stage, on in (
        (Stage.ASSESSMENT, D(2026, 11, 3)),
        (Stage.INVESTIGATION, D(2026, 11, 5)),
        (Stage.DRAFT_REPORT, D(2026, 11, 12)),
        (Stage.FINAL_REPORT, D(2026, 11, 16)),
    ):
        services.record_stage(phso, stage=stage, reached_on=on, actor=lead)
    services.record_decision(
        phso, decision=Decision.PARTLY_UPHELD, decided_on=D(2026, 11, 16), summary="Discharge was unsafe.", actor=lead
    )
    apology = services.add_recommendation(
        phso, kind=Recommendation.Kind.APOLOGY, description="Apologise in writing", due_on=D(2026, 12, 14), actor=lead
    )
    remedy = services.add_recommendation(
        phso,
        kind=Recommendation.Kind.FINANCIAL_REMEDY,
        description="Pay £500 for the distress caused",
        amount=decimal.Decimal("500"),
        due_on=D(2026, 12, 14),
        actor=lead,
    )

    letter = services.record_compliance_evidence(
        apology, sent_on=D(2026, 11, 18), description="Chief executive's letter of 18 November", actor=lead
    )
    services.record_evidence_verdict(letter, is_accepted=True, verdict_on=D(2026, 11, 19), actor=lead)
    remittance = services.record_compliance_evidence(
        remedy, sent_on=D(2026, 11, 18), description="Payment authorised", actor=lead
    )
    services.record_evidence_verdict(
        remittance,
        is_accepted=False,
        verdict_on=D(2026, 11, 19),
        note="Send proof the payment was made, not authorised.",
        new_due_on=D(2026, 12, 4),
        actor=lead,
    )
    remedy.refresh_from_db()
    assert (remedy.status, remedy.due_on) == (Recommendation.Status.OUTSTANDING, D(2026, 12, 4))
    proof = services.record_compliance_evidence(
        remedy, sent_on=D(2026, 11, 20), description="BACS remittance advice", actor=lead
    )
    services.record_evidence_verdict(proof, is_accepted=True, verdict_on=D(2026, 11, 20), actor=lead)
    services.close_ombudsman_case(phso, closed_on=D(2026, 11, 20), actor=lead)

    phso.refresh_from_db()
    assert (phso.stage, phso.decision, phso.closed_on) == (Stage.FINAL_REPORT, Decision.PARTLY_UPHELD, D(2026, 11, 20))
    assert [s.stage for s in phso.stages.all()] == [s.value for s in Stage]
    assert {(r.kind, r.status, r.complied_on) for r in phso.recommendations.all()} == {
        (Recommendation.Kind.APOLOGY, Recommendation.Status.COMPLIED, D(2026, 11, 19)),
        (Recommendation.Kind.FINANCIAL_REMEDY, Recommendation.Status.COMPLIED, D(2026, 11, 20)),
    }
    assert list(remedy.evidence.values_list("verdict", flat=True)) == [
        ComplianceEvidence.Verdict.NOT_ACCEPTED,
        ComplianceEvidence.Verdict.ACCEPTED,
    ]
    actions = list(
        AuditEvent.objects.filter(case=complaint, action__regex=r"^(ombudsman|recommendation|compliance)")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "ombudsman_case.opened",
        "ombudsman_case.stage_reached",
        "ombudsman_request.added",
        "ombudsman_request.sent",
        *["ombudsman_case.stage_reached"] * 4,
        "ombudsman_case.decided",
        "recommendation.added",
        "recommendation.added",
        "compliance_evidence.sent",
        "compliance_evidence.answered",
        "compliance_evidence.sent",
        "compliance_evidence.answered",
        "compliance_evidence.sent",
        "compliance_evidence.answered",
        "ombudsman_case.closed",
    ]
    entries = list(complaint.timeline.filter(kind=TimelineEntry.EntryKind.ESCALATION).values_list("body", flat=True))
    assert len(entries) == len(actions)
    assert any("recommends financial remedy of £500.00" in body for body in entries)
    assert any("did not accept the evidence" in body and "Friday 4 December 2026" in body for body in entries)
    assert any(
        body.startswith("Sent to the PHSO (C-2026-104233) on 2 November 2026") and "On time." in body
        for body in entries
    )


class TestOpening:
    def test_it_records_the_phso_reference_caseworker_and_who_handles_it(self, complaint, lead):
        colleague = coordinator(divisions=[])
        phso = open_phso(complaint, actor=lead, phso_reference=" c-2026-1 ", handled_by=colleague)

        assert (phso.phso_reference, phso.handled_by) == ("C-2026-1", colleague)
        entry = complaint.timeline.filter(kind=TimelineEntry.EntryKind.ESCALATION).get()
        assert entry.body.startswith("Taken up by the Ombudsman: PHSO C-2026-1, enquiry from 5 October 2026.")
        assert AuditEvent.objects.get(action="ombudsman_case.opened").changes["phso_reference"] == [None, "C-2026-1"]

    def test_a_complaint_without_a_local_response_needs_the_reason_the_phso_took_it_early(self, medicine, lead):
        waiting = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, received_on=D(2026, 4, 1))

        with pytest.raises(ValidationError) as refused:
            open_phso(waiting, actor=lead)
        assert "has had no local response" in messages(refused.value, "taken_early_because")

        phso = open_phso(
            waiting, actor=lead, taken_early_because="No response after the 6-month long-stop; PHSO took it on."
        )
        assert "Taken before the local response because: No response" in waiting.timeline.first().body
        assert phso.taken_early_because.startswith("No response")

    def test_the_phso_looks_at_complaints_not_pals_concerns(self, medicine, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)

        with pytest.raises(RuleBroken, match="escalate it to a complaint first"):
            open_phso(concern, actor=lead)

    def test_a_complaint_is_with_the_phso_once_at_a_time(self, complaint, lead):
        open_phso(complaint, actor=lead)

        with pytest.raises(RuleBroken, match="already with the PHSO"):
            open_phso(complaint, actor=lead, phso_reference="C-2026-2")

    def test_a_phso_reference_is_recorded_once(self, complaint, medicine, lead):
        from palsdesk.escalations.tests.factories import responded_complaint

        open_phso(complaint, actor=lead)
        other = responded_complaint(division=medicine, actor=lead)

        with pytest.raises(ValidationError) as refused:
            open_phso(other, actor=lead, phso_reference="c-2026-104233")
        assert messages(refused.value, "phso_reference") == (
            "PHSO reference C-2026-104233 is already recorded on another complaint."
        )

    @pytest.mark.parametrize(
        ("values", "field", "says"),
        [
            ({"phso_reference": " "}, "phso_reference", "Enter the PHSO reference."),
            ({"caseworker_name": ""}, "caseworker_name", "Enter the PHSO caseworker's name."),
            ({"caseworker_email": "priya at phso"}, "caseworker_email", "in the correct format"),
            ({"received_on": D(2026, 11, 21)}, "received_on", "must be today or in the past"),
            ({"received_on": D(2026, 5, 31)}, "received_on", "cannot be before the day the complaint was received"),
            ({"stage": "appeal"}, "stage", "Choose the stage"),
        ],
    )
    def test_it_says_what_is_wrong_with_each_field(self, complaint, lead, values, field, says):
        with pytest.raises(ValidationError) as refused:
            open_phso(complaint, actor=lead, **values)
        assert says in messages(refused.value, field)

    def test_whoever_handles_it_must_be_able_to_do_the_work(self, complaint, lead):
        with pytest.raises(ValidationError) as refused:
            open_phso(complaint, actor=lead, handled_by=officer())
        assert "PALS officer) cannot record the Ombudsman's work" in messages(refused.value, "handled_by")

    @pytest.mark.parametrize("role", [officer, divisional_manager])
    def test_only_coordinators_and_administrators_record_the_ombudsmans_work(self, complaint, medicine, role):
        with pytest.raises(PermissionDenied):
            open_phso(complaint, actor=role(divisions=[medicine]))


class TestStages:
    def test_stages_move_forward_and_may_skip_but_never_go_back(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        services.record_stage(phso, stage=Stage.INVESTIGATION, reached_on=D(2026, 10, 20), actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.record_stage(phso, stage=Stage.ASSESSMENT, reached_on=D(2026, 10, 21), actor=lead)
        assert messages(refused.value, "stage") == (
            "The PHSO case is at investigation already. Choose a later stage: draft report, final report."
        )

    def test_a_stage_cannot_be_dated_before_the_one_before(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.record_stage(phso, stage=Stage.ASSESSMENT, reached_on=D(2026, 10, 1), actor=lead)
        assert "cannot be before the date of enquiry (5 October 2026)" in messages(refused.value, "reached_on")


class TestRequests:
    def test_a_deadline_in_working_days_skips_christmas_and_the_boxing_day_substitute(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        with time_machine.travel(datetime.datetime(2026, 12, 22, 12, tzinfo=datetime.UTC), tick=False):
            request = services.add_ombudsman_request(
                phso,
                what_is_asked="Policy",
                requested_on=D(2026, 12, 22),
                period_days=5,
                day_count="working",
                actor=lead,
            )
        assert (request.due_on, request.period_days, request.day_count) == (D(2026, 12, 31), 5, "working")
        assert "Due Thursday 31 December 2026 (5 working days)." in complaint.timeline.first().body

    def test_a_deadline_given_as_a_date_is_kept_as_given(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        request = services.add_ombudsman_request(
            phso, what_is_asked="Rota", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 23), actor=lead
        )
        assert (request.due_on, request.period_days, request.day_count) == (D(2026, 11, 23), None, "")

    @pytest.mark.parametrize(
        ("deadline", "field", "says"),
        [
            ({}, "due_on", "Enter the deadline"),
            ({"due_on": D(2026, 11, 23), "period_days": 10, "day_count": "working"}, "due_on", "not both"),
            ({"due_on": D(2026, 10, 30)}, "due_on", "cannot be before the day it was asked (2 November 2026)"),
            ({"period_days": 10}, "day_count", "calendar days or working days"),
            ({"day_count": "calendar"}, "period_days", "from 1 to 366"),
            ({"period_days": 0, "day_count": "calendar"}, "period_days", "from 1 to 366"),
        ],
    )
    def test_a_deadline_is_a_date_or_a_number_of_days(self, complaint, lead, deadline, field, says):
        phso = open_phso(complaint, actor=lead)
        with pytest.raises(ValidationError) as refused:
            services.add_ombudsman_request(
                phso, what_is_asked="Rota", requested_on=D(2026, 11, 2), actor=lead, **deadline
            )
        assert says in messages(refused.value, field)

    def test_a_reply_is_recorded_once_and_says_how_late_it_was(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        request = services.add_ombudsman_request(
            phso, what_is_asked="Rota", requested_on=D(2026, 11, 2), due_on=D(2026, 11, 16), actor=lead
        )
        services.record_sent_to_ombudsman(request, sent_on=D(2026, 11, 18), what_was_sent="Rota", actor=lead)

        assert "2 days late (due 16 November 2026)." in complaint.timeline.first().body
        with pytest.raises(RuleBroken, match="recorded as sent on 18 November 2026 already"):
            services.record_sent_to_ombudsman(request, sent_on=D(2026, 11, 19), what_was_sent="Again", actor=lead)


class TestDecisionAndRecommendations:
    def test_recommendations_come_with_an_upheld_or_partly_upheld_decision(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        with pytest.raises(RuleBroken, match="Record the PHSO's decision first"):
            services.add_recommendation(
                phso, kind="apology", description="Apologise", due_on=D(2026, 12, 1), actor=lead
            )
        services.record_decision(phso, decision=Decision.NOT_UPHELD, decided_on=D(2026, 11, 16), actor=lead)
        with pytest.raises(RuleBroken, match="upheld or partly upheld"):
            services.add_recommendation(
                phso, kind="apology", description="Apologise", due_on=D(2026, 12, 1), actor=lead
            )

    def test_a_decision_with_recommendations_cannot_become_not_upheld(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        services.record_decision(phso, decision=Decision.UPHELD, decided_on=D(2026, 11, 16), actor=lead)
        services.add_recommendation(phso, kind="apology", description="Apologise", due_on=D(2026, 12, 1), actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.record_decision(phso, decision=Decision.NOT_UPHELD, decided_on=D(2026, 11, 17), actor=lead)
        assert "comes with no recommendations" in messages(refused.value, "decision")

        services.record_decision(phso, decision=Decision.PARTLY_UPHELD, decided_on=D(2026, 11, 17), actor=lead)
        assert "decision changed from upheld to partly upheld" in complaint.timeline.first().body

    @pytest.mark.parametrize(
        ("kind", "amount", "says"),
        [
            ("financial_remedy", None, "Enter the amount"),
            ("financial_remedy", decimal.Decimal("0"), "more than £0"),
            ("financial_remedy", decimal.Decimal("10.005"), "pounds and pence"),
            ("apology", decimal.Decimal("100"), "Only a financial remedy has an amount."),
        ],
    )
    def test_only_a_financial_remedy_has_an_amount(self, complaint, lead, kind, amount, says):
        phso = open_phso(complaint, actor=lead)
        services.record_decision(phso, decision=Decision.UPHELD, decided_on=D(2026, 11, 16), actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.add_recommendation(
                phso, kind=kind, description="Remedy", amount=amount, due_on=D(2026, 12, 1), actor=lead
            )
        assert says in messages(refused.value, "amount")

    def test_evidence_not_accepted_needs_what_the_phso_said(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        services.record_decision(phso, decision=Decision.UPHELD, decided_on=D(2026, 11, 16), actor=lead)
        plan = services.add_recommendation(
            phso, kind="action_plan", description="Action plan", due_on=D(2026, 12, 1), actor=lead
        )
        evidence = services.record_compliance_evidence(plan, sent_on=D(2026, 11, 17), description="Plan", actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.record_evidence_verdict(evidence, is_accepted=False, verdict_on=D(2026, 11, 18), actor=lead)
        assert "Enter what the PHSO said." in messages(refused.value, "note")
        plan.refresh_from_db()
        assert plan.status == Recommendation.Status.EVIDENCE_SENT

    def test_the_phso_case_closes_only_when_decided_and_every_recommendation_is_complied_with(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        with pytest.raises(RuleBroken, match="Record the PHSO's decision before closing"):
            services.close_ombudsman_case(phso, closed_on=D(2026, 11, 20), actor=lead)
        services.record_decision(phso, decision=Decision.UPHELD, decided_on=D(2026, 11, 16), actor=lead)
        apology = services.add_recommendation(
            phso, kind="apology", description="Apologise", due_on=D(2026, 12, 1), actor=lead
        )
        services.record_compliance_evidence(apology, sent_on=D(2026, 11, 17), description="Letter", actor=lead)

        with pytest.raises(RuleBroken, match=r"apology \(evidence sent, awaiting the phso\)"):
            services.close_ombudsman_case(phso, closed_on=D(2026, 11, 20), actor=lead)

    def test_nothing_more_is_recorded_on_a_closed_phso_case(self, complaint, lead):
        phso = open_phso(complaint, actor=lead)
        services.record_decision(phso, decision=Decision.NOT_INVESTIGATED, decided_on=D(2026, 11, 16), actor=lead)
        services.close_ombudsman_case(phso, closed_on=D(2026, 11, 17), actor=lead)

        with pytest.raises(RuleBroken, match="was closed on 17 November 2026"):
            services.record_stage(phso, stage=Stage.ASSESSMENT, reached_on=D(2026, 11, 18), actor=lead)
        # Closed, the complaint may go to the PHSO again.
        again = open_phso(complaint, actor=lead, phso_reference="C-2026-2", received_on=D(2026, 11, 19))
        assert again.is_open
