"""Joint complaints with other bodies (regulation 9) and contributions asked of other divisions and organisations,
with their chasers; and CQC enquiries about complaints."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.errors import RuleBroken
from palsdesk.escalations import services
from palsdesk.escalations.models import Chaser, JointBody, JointComplaint

pytestmark = pytest.mark.django_db

D = datetime.date
GIVEN = JointComplaint.Consent.GIVEN


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def bodies_on_timeline(case) -> list[str]:
    return list(
        case.timeline.filter(kind=TimelineEntry.EntryKind.ESCALATION).order_by("id").values_list("body", flat=True)
    )


def test_a_joint_complaint_gets_its_contribution_from_another_organisation_after_one_chaser(complaint, lead):
    joint = services.record_joint_complaint(
        complaint,
        consent_to_share=GIVEN,
        consent_on=D(2026, 10, 1),
        consent_note="Signed consent form received by post",
        actor=lead,
    )
    council = services.add_joint_body(
        joint,
        name="Oxfordshire County Council adult social care",
        kind=JointBody.Kind.LOCAL_AUTHORITY,
        contact="Complaints team, complaints@oxfordshire.example",
        contributes="The care package and why it did not start on the day of discharge",
        actor=lead,
    )
    contribution = services.request_contribution(
        complaint,
        from_body=council,
        what_is_asked="Your account of arranging the care package",
        requested_on=D(2026, 10, 2),
        due_on=D(2026, 10, 23),
        actor=lead,
    )
    chaser = services.chase_contribution(contribution, note="Emailed the complaints team again", actor=lead)
    services.record_contribution_received(
        contribution, received_on=D(2026, 11, 20), what_was_received="Statement from the care manager", actor=lead
    )

    contribution.refresh_from_db()
    assert (chaser.sent_on, contribution.received_on) == (D(2026, 11, 20), D(2026, 11, 20))
    assert contribution.source_name == "Oxfordshire County Council adult social care"
    assert list(joint.bodies.values_list("name", "is_lead")) == [(council.name, False)]
    assert bodies_on_timeline(complaint) == [
        "Handled jointly with other bodies (regulation 9). Consent to share: given on 1 October 2026.",
        "Joint complaint: Oxfordshire County Council adult social care (local authority (social care)) added. "
        "They contribute: The care package and why it did not start on the day of discharge",
        "Contribution asked of Oxfordshire County Council adult social care on 2 October 2026: Your account of "
        "arranging the care package Due Friday 23 October 2026.",
        "Chaser 1 sent to Oxfordshire County Council adult social care on 20 November 2026 for their contribution "
        "(28 days overdue). Emailed the complaints team again",
        "Contribution from Oxfordshire County Council adult social care received on 20 November 2026: Statement "
        "from the care manager 28 days late (due 23 October 2026).",
    ]
    assert list(
        AuditEvent.objects.filter(case=complaint, action__regex=r"^(joint|contribution)")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "joint_complaint.recorded",
        "joint_body.added",
        "contribution.requested",
        "contribution.chased",
        "contribution.received",
    ]


class TestJointComplaints:
    def test_nothing_is_asked_of_another_organisation_before_the_complainant_consents(self, complaint, lead):
        joint = services.record_joint_complaint(complaint, consent_to_share="awaited", actor=lead)
        council = services.add_joint_body(joint, name="The council", kind="local_authority", actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.request_contribution(
                complaint,
                from_body=council,
                what_is_asked="Notes",
                requested_on=D(2026, 11, 2),
                due_on=D(2026, 11, 16),
                actor=lead,
            )
        assert "has not consented to sharing their complaint with The council (not given yet)" in messages(
            refused.value, "from_body"
        )

    def test_one_body_leads_at_a_time_and_otherwise_the_trust_leads(self, complaint, lead):
        joint = services.record_joint_complaint(
            complaint, consent_to_share=GIVEN, consent_on=D(2026, 10, 1), actor=lead
        )
        icb = services.add_joint_body(joint, name="BOB ICB", kind="icb", is_lead=True, actor=lead)
        council = services.add_joint_body(joint, name="The council", kind="local_authority", is_lead=True, actor=lead)
        assert list(JointBody.objects.filter(is_lead=True)) == [council]
        assert "The council (local authority (social care)) added, and leads instead of BOB ICB." in (
            complaint.timeline.first().body
        )

        services.record_joint_complaint(
            complaint, consent_to_share=GIVEN, consent_on=D(2026, 10, 1), lead=None, actor=lead
        )
        assert not JointBody.objects.filter(is_lead=True).exists()
        assert complaint.timeline.first().body == "Joint complaint: The trust leads."
        services.record_joint_complaint(
            complaint, consent_to_share=GIVEN, consent_on=D(2026, 10, 1), lead=icb, actor=lead
        )
        assert list(JointBody.objects.filter(is_lead=True)) == [icb]

    def test_the_trusts_part_when_another_body_leads_is_due_and_then_sent(self, complaint, lead):
        joint = services.record_joint_complaint(
            complaint,
            consent_to_share=GIVEN,
            consent_on=D(2026, 10, 1),
            our_part="Ward notes and a statement",
            our_part_due_on=D(2026, 11, 27),
            actor=lead,
        )
        services.record_our_part_sent(joint, sent_on=D(2026, 11, 20), actor=lead)

        joint.refresh_from_db()
        assert joint.our_part_sent_on == D(2026, 11, 20)
        with pytest.raises(RuleBroken, match="recorded as sent on 20 November 2026"):
            services.record_our_part_sent(joint, sent_on=D(2026, 11, 20), actor=lead)

    @pytest.mark.parametrize(
        ("values", "field", "says"),
        [
            ({"consent_to_share": "maybe"}, "consent_to_share", "Say whether the complainant has consented"),
            ({"consent_to_share": "given"}, "consent_on", "Enter the date consent was given or refused."),
            ({"consent_to_share": "awaited", "consent_on": D(2026, 10, 1)}, "consent_on", "Leave the date out"),
            ({"consent_to_share": "awaited", "our_part_due_on": D(2026, 12, 1)}, "our_part", "Say what the trust"),
        ],
    )
    def test_it_says_what_is_wrong(self, complaint, lead, values, field, says):
        with pytest.raises(ValidationError) as refused:
            services.record_joint_complaint(complaint, actor=lead, **values)
        assert says in messages(refused.value, field)

    def test_a_body_is_added_once(self, complaint, lead):
        joint = services.record_joint_complaint(complaint, consent_to_share="awaited", actor=lead)
        services.add_joint_body(joint, name="The Council", kind="local_authority", actor=lead)

        with pytest.raises(ValidationError) as refused:
            services.add_joint_body(joint, name=" the  council ", kind="local_authority", actor=lead)
        assert "already one of the bodies" in messages(refused.value, "name")

    def test_a_pals_concern_is_not_handled_jointly_under_regulation_9(self, medicine, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)
        with pytest.raises(RuleBroken, match="for complaints, not a PALS concern"):
            services.record_joint_complaint(concern, consent_to_share="awaited", actor=lead)

    @pytest.mark.parametrize("role", [divisional_manager, coordinator, officer])
    def test_caseworkers_record_joint_work_and_investigators_do_not(self, complaint, medicine, role):
        actor = role(divisions=[medicine])
        if role is divisional_manager:
            with pytest.raises(PermissionDenied):
                services.record_joint_complaint(complaint, consent_to_share="awaited", actor=actor)
        else:
            assert services.record_joint_complaint(complaint, consent_to_share="awaited", actor=actor).pk


class TestContributions:
    def ask(self, complaint, lead, **values):
        values.setdefault("what_is_asked", "A statement from the discharge co-ordinator")
        values.setdefault("requested_on", D(2026, 11, 2))
        values.setdefault("due_on", D(2026, 11, 16))
        return services.request_contribution(complaint, actor=lead, **values)

    def test_another_division_is_asked_naming_a_colleague_who_can_see_the_case(self, complaint, lead, surgery):
        surgeon = coordinator(first_name="Sam", last_name="Okoye", divisions=[surgery])
        contribution = self.ask(complaint, lead, from_division=surgery, asked_user=surgeon)

        assert contribution.source_name == "Sam Okoye (Surgery)"
        assert complaint.timeline.first().body.startswith("Contribution asked of Sam Okoye (Surgery)")

    def test_a_colleague_who_cannot_see_the_case_is_not_named(self, complaint, lead, surgery):
        surgeons_manager = divisional_manager(first_name="Jo", last_name="Bell", divisions=[surgery])

        with pytest.raises(ValidationError) as refused:
            self.ask(complaint, lead, from_division=surgery, asked_user=surgeons_manager)
        assert messages(refused.value, "asked_user").startswith(
            f"Jo Bell cannot see {complaint.reference}, so the request would not reach their My work."
        )

    def test_the_colleague_asked_records_their_own_contribution(self, complaint, lead, medicine):
        manager = divisional_manager(divisions=[medicine])
        contribution = self.ask(complaint, lead, from_division=medicine, asked_user=manager)

        services.record_contribution_received(
            contribution, received_on=D(2026, 11, 13), what_was_received="Statement attached to email", actor=manager
        )
        other = self.ask(complaint, lead, from_division=medicine)
        with pytest.raises(PermissionDenied):
            services.record_contribution_received(
                other, received_on=D(2026, 11, 13), what_was_received="Statement", actor=manager
            )
        assert "On time." in complaint.timeline.filter(body__startswith="Contribution from").get().body

    @pytest.mark.parametrize(
        ("values", "field", "says"),
        [
            ({}, "from_division", "Choose the division asked, or the organisation"),
            ({"due_on": D(2026, 11, 1)}, "due_on", "cannot be before the day it was asked"),
            ({"requested_on": D(2026, 5, 1)}, "requested_on", "cannot be before the day the case was received"),
            ({"what_is_asked": " "}, "what_is_asked", "Enter what is asked."),
        ],
    )
    def test_it_says_what_is_wrong(self, complaint, lead, medicine, values, field, says):
        if field != "from_division":
            values["from_division"] = medicine
        with pytest.raises(ValidationError) as refused:
            self.ask(complaint, lead, **values)
        assert says in messages(refused.value, field)

    def test_chasers_are_counted_and_a_received_contribution_is_not_chased(self, complaint, lead, medicine):
        contribution = self.ask(complaint, lead, from_division=medicine)
        services.chase_contribution(contribution, sent_on=D(2026, 11, 13), actor=lead)
        services.chase_contribution(contribution, actor=lead)

        assert Chaser.objects.filter(contribution=contribution).count() == 2
        assert complaint.timeline.first().body.startswith("Chaser 2 sent to Medicine on 20 November 2026")
        assert "(4 days overdue)" in complaint.timeline.first().body
        services.record_contribution_received(
            contribution, received_on=D(2026, 11, 20), what_was_received="Notes", actor=lead
        )
        with pytest.raises(RuleBroken, match="came on 20 November 2026"):
            services.chase_contribution(contribution, actor=lead)

    def test_contributions_are_asked_on_pals_concerns_too(self, medicine, surgery, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead, received_on=D(2026, 11, 2))
        assert self.ask(concern, lead, from_division=surgery).pk


class TestCqcEnquiries:
    def test_an_enquiry_with_28_days_is_due_four_weeks_on_and_answered(self, complaint, lead):
        enquiry = services.open_cqc_enquiry(
            complaint,
            cqc_reference="ENQ1-2345",
            asked_by="Dana Price, inspector",
            received_on=D(2026, 11, 2),
            what_is_asked="A summary of the complaint and what the trust has done",
            period_days=28,
            day_count="calendar",
            actor=lead,
        )
        assert (enquiry.due_on, enquiry.handled_by) == (D(2026, 11, 30), lead)
        services.record_sent_to_cqc(enquiry, sent_on=D(2026, 11, 20), what_was_sent="Summary and response", actor=lead)

        enquiry.refresh_from_db()
        assert not enquiry.is_open
        assert bodies_on_timeline(complaint)[-2:] == [
            "The CQC (ENQ1-2345) asked on 2 November 2026, through Dana Price, inspector: A summary of the complaint "
            "and what the trust has done Reply due Monday 30 November 2026 (28 calendar days). Handled here by "
            "Alex Morgan.",
            "Sent to the CQC on 20 November 2026: Summary and response On time.",
        ]
        assert AuditEvent.objects.filter(case=complaint, action__startswith="cqc_enquiry.").count() == 2

    def test_only_those_who_handle_the_cqc_record_its_enquiries(self, complaint, medicine):
        with pytest.raises(PermissionDenied):
            services.open_cqc_enquiry(
                complaint,
                asked_by="Inspector",
                received_on=D(2026, 11, 2),
                what_is_asked="Summary",
                due_on=D(2026, 11, 30),
                actor=officer(divisions=[medicine]),
            )
