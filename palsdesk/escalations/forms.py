"""Web forms for the Ombudsman, the CQC, joint complaints and contributions. They parse what was typed; the rules
(dates in order, one way of giving a deadline, consent before sharing) live in escalations.services, whose
messages come back on the field they are about because each field has the service's name for it."""

from django import forms

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Permission, roles_with
from palsdesk.core.forms import DateField, EmailField, TextField, needed_by_service
from palsdesk.escalations import services
from palsdesk.escalations.models import (
    STAGE_ORDER,
    DayCount,
    Decision,
    JointBody,
    JointComplaint,
    Recommendation,
    Stage,
)
from palsdesk.organisation.models import Division

TEXT = services.TEXT_MAX_CHARACTERS


def _choice(label: str, choices, *, radios: bool = True, required: bool = True, message: str = ""):
    message = message or f"Choose {label[:1].lower() + label[1:]}."
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect if radios else forms.Select,
        required=required,
        error_messages={"required": message, "invalid_choice": message},
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.get_role_display()})"


def _staff_field(label: str, permission: Permission, *, required: bool = True, **kwargs) -> StaffChoiceField:
    return StaffChoiceField(
        queryset=User.objects.filter(is_active=True, role__in=roles_with(permission)),
        label=label,
        required=required,
        empty_label="Choose…" if required else "Nobody by name",
        error_messages={
            "required": f"Choose {label[:1].lower() + label[1:]}.",
            "invalid_choice": "Choose someone from the list.",
        },
        **kwargs,
    )


class DeadlineFields(forms.Form):
    """A deadline as the request gives it: a date, or a number of calendar or working days."""

    due_on = DateField(label="Deadline", required=False, help_text="The date given, like 27 3 2026.")
    period_days = forms.IntegerField(
        label="Or the number of days given",
        required=False,
        min_value=1,
        max_value=services.MAX_PERIOD_DAYS,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 20.",
            "min_value": f"The number of days must be from 1 to {services.MAX_PERIOD_DAYS}.",
            "max_value": f"The number of days must be from 1 to {services.MAX_PERIOD_DAYS}.",
        },
        help_text="Counted from the day after the request.",
    )
    day_count = _choice("Counted in", DayCount.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One of the two ways is needed, not both: the service says which is missing, so neither reads "optional".
        for name in ("due_on", "period_days", "day_count"):
            needed_by_service(self.fields[name])


# --- The Ombudsman -------------------------------------------------------------------------------------------------


class OmbudsmanDetailsForm(forms.Form):
    phso_reference = TextField(
        "PHSO reference", services.REFERENCE_MAX_CHARACTERS, required_message="Enter the PHSO reference."
    )
    caseworker_name = TextField(
        "PHSO caseworker",
        services.NAME_MAX_CHARACTERS,
        required_message="Enter the PHSO caseworker's name.",
    )
    caseworker_email = EmailField("Caseworker's email")
    caseworker_phone = TextField("Caseworker's phone", services.PHONE_MAX_CHARACTERS)
    handled_by = _staff_field(
        "Handled here by",
        Permission.HANDLE_OMBUDSMAN_AND_CQC,
        help_text="The PHSO's deadlines on this case reach their My work, and the case officer's.",
    )


class OpenOmbudsmanCaseForm(OmbudsmanDetailsForm):
    received_on = DateField(label="Date the PHSO first contacted the trust", help_text="For example, 27 3 2026")
    stage = _choice("Stage the PHSO has reached", Stage.choices, message="Choose the stage the PHSO has reached.")
    taken_early_because = TextField(
        "Why the PHSO took it before the local response",
        TEXT,
        rows=3,
        help_text="Only if the trust has not responded yet: for example, the 6-month long-stop passed.",
    )

    field_order = [
        "phso_reference",
        "received_on",
        "stage",
        "caseworker_name",
        "caseworker_email",
        "caseworker_phone",
        "handled_by",
        "taken_early_because",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("stage", Stage.ENQUIRY)
        super().__init__(*args, **kwargs)


class StageForm(forms.Form):
    stage = _choice("Stage reached", [], message="Choose the stage the PHSO has reached.")
    reached_on = DateField(label="Date it was reached")
    note = TextField("Note", TEXT, rows=3)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        later = STAGE_ORDER[STAGE_ORDER.index(Stage(current)) + 1 :]
        self.fields["stage"].choices = [(stage.value, stage.label) for stage in later]


class OmbudsmanRequestForm(DeadlineFields):
    what_is_asked = TextField(
        "What the PHSO asked for", TEXT, rows=4, required_message="Enter what the PHSO asked for."
    )
    requested_on = DateField(label="Date of the request")

    field_order = ["what_is_asked", "requested_on", "due_on", "period_days", "day_count"]


class SentForm(forms.Form):
    sent_on = DateField(label="Date sent")
    what_was_sent = TextField(
        "What was sent",
        TEXT,
        rows=4,
        required_message="Enter what was sent.",
        help_text="The documents and answers, as the covering letter lists them.",
    )


class DecisionForm(forms.Form):
    decision = _choice("The PHSO's decision", Decision.choices, message="Choose the PHSO's decision.")
    decided_on = DateField(label="Date of the decision")
    summary = TextField("Summary of the findings", TEXT, rows=4)


class RecommendationForm(forms.Form):
    kind = _choice("Kind of recommendation", Recommendation.Kind.choices)
    description = TextField(
        "What the PHSO recommends", TEXT, rows=4, required_message="Enter what the PHSO recommends."
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text="For a financial remedy only.",
        error_messages={
            "invalid": "Enter the amount in pounds and pence, like 500 or 250.50.",
            "max_decimal_places": "Enter the amount in pounds and pence, like 500 or 250.50.",
            "max_digits": "Enter an amount under £100,000,000.",
            "max_whole_digits": "Enter an amount under £100,000,000.",
        },
    )
    due_on = DateField(label="Comply by")


class EvidenceForm(forms.Form):
    sent_on = DateField(label="Date sent")
    description = TextField(
        "Evidence sent",
        TEXT,
        rows=4,
        required_message="Enter what was sent as evidence.",
        help_text="For example, a copy of the apology letter, or the action plan with its completed actions.",
    )


class VerdictForm(forms.Form):
    is_accepted = forms.TypedChoiceField(
        label="Did the PHSO accept the evidence?",
        choices=[("yes", "Yes, accepted"), ("no", "No, not accepted")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the PHSO accepted the evidence.",
            "invalid_choice": "Say whether the PHSO accepted the evidence.",
        },
    )
    verdict_on = DateField(label="Date of the PHSO's answer")
    note = TextField("What the PHSO said", TEXT, rows=3, help_text="Needed when the evidence was not accepted.")
    new_due_on = DateField(
        label="New date to comply by", required=False, help_text="If the PHSO gave one with its answer."
    )


class CloseForm(forms.Form):
    closed_on = DateField(label="Date the PHSO closed its case")


# --- The CQC -------------------------------------------------------------------------------------------------------


class CqcEnquiryForm(DeadlineFields):
    cqc_reference = TextField("CQC reference", services.REFERENCE_MAX_CHARACTERS)
    asked_by = TextField(
        "Who at the CQC asked",
        services.NAME_MAX_CHARACTERS,
        required_message="Enter who at the CQC asked.",
        help_text="For example, the inspector's name and role.",
    )
    received_on = DateField(label="Date the enquiry came")
    what_is_asked = TextField("What the CQC asked", TEXT, rows=4, required_message="Enter what the CQC asked.")
    handled_by = _staff_field("Handled here by", Permission.HANDLE_OMBUDSMAN_AND_CQC)

    field_order = [
        "cqc_reference",
        "asked_by",
        "received_on",
        "what_is_asked",
        "due_on",
        "period_days",
        "day_count",
        "handled_by",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_days"].help_text = (
            "Counted from the day after the request. A request under regulation 16(3) of the CQC (Registration) "
            "Regulations 2009 for a summary of complaints allows 28 days."
        )


# --- Joint complaints and contributions ----------------------------------------------------------------------------


class JointComplaintForm(forms.Form):
    consent_to_share = _choice(
        "Has the complainant consented to sharing their complaint with the other bodies?",
        JointComplaint.Consent.choices,
        message="Say whether the complainant has consented to sharing their complaint.",
    )
    consent_on = DateField(label="Date consent was given or refused", required=False)
    consent_note = TextField("How consent was given", TEXT, rows=2, help_text="For example, signed form received.")
    lead = forms.ModelChoiceField(
        queryset=JointBody.objects.none(),
        label="Who leads",
        required=False,
        empty_label="The trust",
        help_text="The lead body handles the complaint and sends the single co-ordinated response.",
        error_messages={"invalid_choice": "Choose the lead from the list."},
    )
    our_part = TextField("What the trust contributes", TEXT, rows=3, help_text="When another body leads.")
    our_part_due_on = DateField(label="The trust's part is due by", required=False)

    def __init__(self, *args, joint: JointComplaint | None, **kwargs):
        super().__init__(*args, **kwargs)
        if joint is None:
            del self.fields["lead"]
        else:
            self.fields["lead"].queryset = joint.bodies.all()


class JointBodyForm(forms.Form):
    name = TextField("Organisation", services.NAME_MAX_CHARACTERS, required_message="Enter the organisation's name.")
    kind = _choice("Kind of organisation", JointBody.Kind.choices, message="Choose what kind of organisation it is.")
    contact = TextField("Who to contact there", TEXT, rows=2)
    contributes = TextField("What they contribute", TEXT, rows=3)
    is_lead = forms.BooleanField(label="They lead the joint complaint", required=False)


class OurPartSentForm(forms.Form):
    sent_on = DateField(label="Date the trust's part was sent")


class ContributionForm(forms.Form):
    from_division = forms.ModelChoiceField(
        queryset=Division.objects.none(),
        label="Division asked",
        required=False,
        empty_label="Choose…",
        error_messages={"invalid_choice": "Choose a division from the list."},
    )
    asked_user = StaffChoiceField(
        queryset=User.objects.none(),
        label="Colleague asked",
        required=False,
        empty_label="Nobody by name",
        help_text="Named, they see the deadline in their My work and can record their contribution.",
        error_messages={"invalid_choice": "Choose a colleague from the list."},
    )
    from_body = forms.ModelChoiceField(
        queryset=JointBody.objects.none(),
        label="Or the organisation asked",
        required=False,
        empty_label="Choose…",
        help_text="One of the bodies this complaint is handled jointly with.",
        error_messages={"invalid_choice": "Choose an organisation from the list."},
    )
    what_is_asked = TextField("What is asked", TEXT, rows=4, required_message="Enter what is asked.")
    requested_on = DateField(label="Date asked")
    due_on = DateField(label="Due by")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        # A division or an organisation is needed, not both: the service says so, so neither reads "optional".
        needed_by_service(self.fields["from_division"])
        self.fields["from_division"].queryset = Division.objects.active()
        self.fields["asked_user"].queryset = User.objects.filter(
            is_active=True,
            role__in=set(roles_with(Permission.SEE_TRUST_CASES)) | set(roles_with(Permission.SEE_DIVISION_CASES)),
        )
        if bodies is None:
            del self.fields["from_body"]
        else:
            needed_by_service(self.fields["from_body"]).queryset = bodies


class ChaseForm(forms.Form):
    sent_on = DateField(label="Date the chaser was sent", required=False, help_text="Today if left blank.")
    note = TextField("Note", TEXT, rows=2, help_text="For example, how it was sent and to whom.")


class ReceivedForm(forms.Form):
    received_on = DateField(label="Date it came")
    what_was_received = TextField("What was received", TEXT, rows=4, required_message="Enter what was received.")
