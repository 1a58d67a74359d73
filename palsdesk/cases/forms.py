"""Web forms for cases. They parse and check what was typed; the rules live in cases.services."""

from django import forms
from django.utils import timezone

from palsdesk.cases.concurrency import stale_edit_message
from palsdesk.cases.models import AcknowledgementMethod, Case, Channel, Kind, Status, TimelineEntry
from palsdesk.cases.selectors import DUE_WITHIN_WORKING_DAYS, MAX_DUE_WITHIN_WORKING_DAYS, DueFilter
from palsdesk.cases.services import (
    ACCOUNT_MAX_CHARACTERS,
    NOTE_MAX_CHARACTERS,
    OUTCOME_WANTED_MAX_CHARACTERS,
    REASON_MAX_CHARACTERS,
)
from palsdesk.core.forms import DateField, EmailField, TextField, needed_by_service
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.models import Division, Service, Site
from palsdesk.people.models import Relationship
from palsdesk.people.validators import validate_nhs_number


def _channel_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How did it reach us?",
        choices=Channel.choices,
        error_messages={
            "required": "Choose how it reached us.",
            "invalid_choice": "Choose how it reached us from the list.",
        },
    )


class ActiveChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, *, label: str, required: bool = True, **kwargs):
        super().__init__(
            queryset,
            label=label,
            required=required,
            empty_label="Choose…" if required else "Not known",
            error_messages={
                "required": f"Choose the {label.lower()}.",
                "invalid_choice": f"Choose a {label.lower()} from the list.",
            },
            **kwargs,
        )


class ServiceChoiceField(ActiveChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.division.name})"


class RaisedBy:
    PATIENT = "patient"
    REPRESENTATIVE = "representative"
    OTHER = "other"
    CHOICES = [
        (PATIENT, "The patient"),
        (REPRESENTATIVE, "Someone acting for the patient (a relative, carer, advocate or MP)"),
        (OTHER, "Someone else affected (not acting for a patient)"),
    ]


class LogCaseForm(forms.Form):
    """The quick intake form: enough to log any kind of case in under a minute."""

    kind = forms.ChoiceField(
        label="What kind of case is it?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of case it is.",
            "invalid_choice": "Choose a kind of case from the list.",
        },
    )
    channel = _channel_field()
    received_on = DateField(label="Received date", help_text="For example, 27 3 2026")
    raised_by = forms.ChoiceField(
        label="Who is raising it?",
        choices=RaisedBy.CHOICES,
        widget=forms.RadioSelect,
        initial=RaisedBy.PATIENT,
        error_messages={
            "required": "Say who is raising it.",
            "invalid_choice": "Choose who is raising it from the list.",
        },
    )
    first_name = TextField("First name", 100)
    last_name = TextField("Last name", 100, help_text="Needed for complaints and MP letters.")
    phone = TextField("Phone number", 40)
    email = EmailField()
    relationship_to_patient = forms.ChoiceField(
        label="Their relationship to the patient",
        choices=[("", "Choose…"), *Relationship.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a relationship from the list."},
    )
    patient_first_name = TextField("Patient's first name", 100)
    patient_last_name = TextField("Patient's last name", 100)
    patient_nhs_number = TextField(
        "Patient's NHS number", 20, validators=[validate_nhs_number], help_text="10 digits, like 943 476 5919."
    )
    summary = TextField(
        "Summary",
        300,
        required_message="Enter a summary of what it is about.",
        help_text="One line that says what it is about.",
    )
    account = TextField("What happened", ACCOUNT_MAX_CHARACTERS, rows=5, help_text="In their words, as far as you can.")
    outcome_wanted = TextField(
        "What would they like to happen?",
        OUTCOME_WANTED_MAX_CHARACTERS,
        rows=2,
        called="What they would like to happen",
    )
    division = ActiveChoiceField(Division.objects.none(), label="Division")
    site = ActiveChoiceField(Site.objects.none(), label="Site", required=False)
    service = ServiceChoiceField(Service.objects.none(), label="Service or department", required=False)
    is_safeguarding = forms.BooleanField(label="Safeguarding concern", required=False)
    is_vulnerable_person = forms.BooleanField(label="Vulnerable person", required=False)
    has_media_interest = forms.BooleanField(label="Media interest", required=False)
    is_staff_complainant = forms.BooleanField(
        label="Raised by a member of staff",
        required=False,
        help_text="The case will be restricted to you and the people you name.",
    )
    assign_to_me = forms.BooleanField(label="Assign it to me", required=False, initial=True)

    def __init__(self, *args, can_log_complaints: bool, can_be_case_officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.active()
        self.fields["site"].queryset = Site.objects.active()
        self.fields["service"].queryset = Service.objects.active().select_related("division")
        if not can_log_complaints:
            self.fields["kind"].choices = [
                (value, label) for value, label in Kind.choices if value not in (Kind.COMPLAINT, Kind.MP_LETTER)
            ]
        if not can_be_case_officer:
            del self.fields["assign_to_me"]
        self.initial.setdefault("received_on", timezone.localdate())
        self.initial.setdefault("kind", Kind.PALS_CONCERN)
        self.initial.setdefault("channel", Channel.PHONE)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        raised_by = cleaned.get("raised_by")
        if kind in (Kind.COMPLAINT, Kind.MP_LETTER) and not cleaned.get("last_name", "").strip():
            self.add_error("last_name", "Enter the last name of the person raising it: a complaint needs a reply.")
        if raised_by == RaisedBy.REPRESENTATIVE and not cleaned.get("relationship_to_patient"):
            self.add_error("relationship_to_patient", "Choose how the person raising it is related to the patient.")
        has_patient_details = any(
            cleaned.get(name, "").strip() for name in ("patient_first_name", "patient_last_name", "patient_nhs_number")
        )
        if (
            raised_by == RaisedBy.REPRESENTATIVE
            and has_patient_details
            and not cleaned.get("patient_last_name", "").strip()
        ):
            self.add_error("patient_last_name", "Enter the patient's last name.")
        if raised_by == RaisedBy.PATIENT and (cleaned.get("patient_first_name") or cleaned.get("patient_last_name")):
            self.add_error(
                "patient_last_name",
                "The person raising it is the patient, so leave the patient's name empty, "
                "or choose someone else as raising it.",
            )
        if raised_by == RaisedBy.PATIENT and cleaned.get("patient_nhs_number") and not cleaned.get("last_name"):
            self.add_error("last_name", "Enter the patient's last name to go with the NHS number.")
        return cleaned


class CasePageForm(forms.Form):
    """One of the forms on the case page. Its ids start with its own name, so no two fields there share an id
    (the note's and the call's "body", three forms' "reason"), and each label and error link finds its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(CasePageForm):
    id_prefix = "note"
    body = TextField("Note", NOTE_MAX_CHARACTERS, required_message="Enter the note.", rows=3)


class ContactForm(CasePageForm):
    id_prefix = "contact"
    channel = forms.ChoiceField(
        label="Call or email",
        choices=[(TimelineEntry.EntryKind.CALL, "Phone call"), (TimelineEntry.EntryKind.EMAIL, "Email")],
        widget=forms.RadioSelect,
        initial=TimelineEntry.EntryKind.CALL,
        error_messages={"required": "Choose phone call or email.", "invalid_choice": "Choose phone call or email."},
    )
    direction = forms.ChoiceField(
        label="Direction",
        choices=TimelineEntry.Direction.choices,
        widget=forms.RadioSelect,
        initial=TimelineEntry.Direction.INBOUND,
        error_messages={
            "required": "Say whether it was inbound or outbound.",
            "invalid_choice": "Choose inbound or outbound.",
        },
    )
    contact = TextField("With whom", 200)
    body = TextField("What was said", NOTE_MAX_CHARACTERS, required_message="Enter what was said.", rows=3)


_RELOAD = "This form is out of date. Reload the case and make your change again."


class VersionedForm(forms.Form):
    """A form that changes the case row carries the version it was read at, to catch a concurrent edit.

    Checking it here, before the rest of the form, means a change made since the page was opened is
    reported as that (saying who made it), not as a move that is no longer possible. The service checks
    the version again under a row lock, for the edit that lands between this check and the save.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD},
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def service_arguments(self) -> dict:
        """What was typed, as the keyword arguments of the service the form is for."""
        arguments = dict(self.cleaned_data)
        arguments["expected_version"] = arguments.pop("version")
        return arguments

    @property
    def is_stale(self) -> bool:
        version = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        return version is not None and version != self.case.version

    def clean(self):
        cleaned = super().clean()
        if self.is_stale:
            self.add_error(None, stale_edit_message(self.case))
        return cleaned


def with_current_version(form: forms.Form, case: Case) -> forms.Form:
    """After a refused change, the form keeps what was typed; its version moves on so a deliberate retry can save."""
    if form.is_bound:
        data = form.data.copy()
        data["version"] = case.version
        form.data = data
    return form


class MoveForm(CasePageForm, VersionedForm):
    id_prefix = "move"
    move = forms.ChoiceField(
        label="Move the case",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where the case moves next.",
            "invalid_choice": "That move is not possible now.",
        },
    )
    reason = TextField(
        "Reason", REASON_MAX_CHARACTERS, rows=2, help_text="Needed to return a draft, reopen, withdraw or escalate."
    )
    on = DateField(
        label="Date",
        required=False,
        help_text="Leave empty for today. For example, the date the acknowledgement was sent.",
    )
    # Regulation 13(2): the acknowledgement may be made orally or in writing; how it was made is recorded.
    acknowledgement_method = forms.ChoiceField(
        label="How was it sent?",
        choices=AcknowledgementMethod.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose how the acknowledgement was sent from the list."},
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = [(t.name, t.label) for t in moves]
        if not any(t.name == "acknowledge" for t in moves):
            del self.fields["acknowledgement_method"]
        else:
            # Needed for an acknowledgement (clean() asks for it), so its label does not say "optional".
            self.fields["acknowledgement_method"].is_needed = True
        status = self.case.get_status_display().lower()
        if moves:
            possible = "; ".join(t.label.lower() for t in moves)
            invalid = f"That move is not possible now. From {status} you can: {possible}."
        else:
            invalid = f"That move is not possible now. Nothing can move a case that is {status}."
        self.fields["move"].error_messages["invalid_choice"] = invalid

    @property
    def revealed(self) -> dict:
        """Fields shown under a move's radio when it is chosen: the acknowledgement's method."""
        if "acknowledgement_method" not in self.fields:
            return {}
        return {"acknowledge": [self["acknowledgement_method"]]}

    def clean(self):
        cleaned = super().clean()
        if self.is_stale:
            # The case moved on since the page was read; that, not the choice, is what to report.
            self.errors.pop("move", None)
            self.errors.pop("acknowledgement_method", None)
        elif cleaned.get("move") == "acknowledge" and not cleaned.get("acknowledgement_method"):
            if "acknowledgement_method" not in self.errors:
                self.add_error(
                    "acknowledgement_method",
                    "Choose how the acknowledgement was sent: letter, email, phone or in person.",
                )
        elif cleaned.get("move") != "acknowledge":
            # Only an acknowledgement has a method; one chosen and then left behind is not sent on.
            cleaned["acknowledgement_method"] = ""
        return cleaned


class AssignForm(CasePageForm, VersionedForm):
    id_prefix = "assign"
    case_officer = forms.ModelChoiceField(
        queryset=None,
        label="Case officer",
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose a case officer from the list."},
    )
    investigating_manager = forms.ModelChoiceField(
        queryset=None,
        label="Investigating manager",
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose an investigating manager from the list."},
    )
    reason = TextField(
        "Reason for the change",
        REASON_MAX_CHARACTERS,
        help_text="Needed when someone is replaced, such as cover for leave.",
    )

    def __init__(self, *args, officers, investigators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_officer"].queryset = officers
        self.fields["investigating_manager"].queryset = investigators


class LinkForm(CasePageForm):
    id_prefix = "link"
    other = TextField(
        "Reference of the related case",
        20,
        required_message="Enter the reference of the related case.",
        help_text="For example, COM-2026-00042.",
    )
    reason = TextField("How they are related", 300)


# --- The clocks --------------------------------------------------------------------------------
# These forms parse what was typed; deadlines.services checks it, so each needed field is let
# through empty (needed_by_service) and every problem comes back at once, in the service's words.


def _today_as_initial(form: forms.Form, *names: str) -> None:
    for name in names:
        form.initial.setdefault(name, timezone.localdate())


class _ResponseDateForm(CasePageForm, VersionedForm):
    due_on = needed_by_service(DateField(label="New response date", help_text="For example, 18 12 2026"))
    agreed_with = needed_by_service(
        TextField("Who agreed it, and how", 200, help_text="For example, Mrs Okafor, by phone.")
    )
    agreed_on = needed_by_service(DateField(label="Date it was agreed"))
    is_late = forms.BooleanField(
        label="It was agreed after the date it replaces",
        required=False,
        help_text="A date agreed after the old one had passed: that deadline was missed, so say why.",
    )
    late_reason = TextField("Why it was agreed late", deadline_services.TEXT_LIMIT, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_as_initial(self, "agreed_on")


class ResponseDateForm(_ResponseDateForm):
    """Regulation 13(7): the response date agreed with the complainant when the offer to discuss is made."""

    id_prefix = "agree"
    field_order = ["version", "due_on", "agreed_with", "agreed_on", "reason", "is_late", "late_reason"]
    due_on = needed_by_service(DateField(label="Response date agreed", help_text="For example, 18 12 2026"))
    reason = TextField("Notes on the agreement", deadline_services.TEXT_LIMIT, rows=2)


class ExtensionForm(_ResponseDateForm):
    id_prefix = "extension"
    field_order = ["version", "due_on", "reason", "agreed_with", "agreed_on", "is_late", "late_reason"]
    reason = needed_by_service(TextField("Reason for the extension", deadline_services.TEXT_LIMIT, rows=2))


class HoldForm(CasePageForm, VersionedForm):
    """The trust's response clock stands still for a reason the trust allows; the statutory clocks do not."""

    id_prefix = "hold"
    reason = needed_by_service(
        forms.ModelChoiceField(
            queryset=HoldReason.objects.none(),
            label="Why is it on hold?",
            empty_label="Choose…",
            error_messages={"invalid_choice": "Choose why the clock is held from the list."},
        )
    )
    started_on = needed_by_service(DateField(label="Date the hold started"))
    note = TextField("Note", deadline_services.TEXT_LIMIT, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = HoldReason.objects.active()
        _today_as_initial(self, "started_on")


class ReleaseHoldForm(CasePageForm, VersionedForm):
    id_prefix = "release"
    ended_on = needed_by_service(DateField(label="Date the hold ended"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_as_initial(self, "ended_on")


class DelayLetterForm(CasePageForm, VersionedForm):
    """Regulation 14(2): the letter saying why the response has not come within the 6 months."""

    id_prefix = "delay"
    sent_on = needed_by_service(DateField(label="Date the delay letter was sent"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_as_initial(self, "sent_on")


def _yes_or_no(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class TimeLimitDecisionForm(CasePageForm, VersionedForm):
    """Regulation 12(4): a complaint made after the 12 months is taken on only if both answers are yes."""

    id_prefix = "time_limit"
    has_good_reasons = _yes_or_no(
        "Did they have good reasons for not complaining in time?",
        "Say whether they had good reasons for not complaining in time.",
    )
    can_investigate_fairly = _yes_or_no(
        "Can it still be investigated effectively and fairly?",
        "Say whether it can still be investigated effectively and fairly.",
    )
    # Both yes-or-no answers must be given before the service can be asked, so the form checks every
    # field itself: one round of messages, not two.
    rationale = TextField(
        "Reasons for the decision", 5_000, rows=3, required_message="Enter the reasons for the decision."
    )
    decided_on = DateField(label="Date of the decision")

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if decision is not None:
            self.initial.setdefault("has_good_reasons", "yes" if decision.has_good_reasons else "no")
            self.initial.setdefault("can_investigate_fairly", "yes" if decision.can_investigate_fairly else "no")
            self.initial.setdefault("rationale", decision.rationale)
        _today_as_initial(self, "decided_on")


class CaseDetailsForm(VersionedForm):
    """Changing a case's details after it was logged."""

    channel = _channel_field()
    received_on = DateField(label="Received date")
    summary = TextField("Summary", 300, required_message="Enter a summary of what it is about.")
    account = TextField("What happened", ACCOUNT_MAX_CHARACTERS, rows=6)
    outcome_wanted = TextField(
        "What would they like to happen?",
        OUTCOME_WANTED_MAX_CHARACTERS,
        rows=3,
        called="What they would like to happen",
    )
    division = ActiveChoiceField(Division.objects.none(), label="Division")
    site = ActiveChoiceField(Site.objects.none(), label="Site", required=False)
    service = ServiceChoiceField(Service.objects.none(), label="Service or department", required=False)
    event_on = DateField(label="Date of the event", required=False)
    became_aware_on = DateField(label="Date they became aware", required=False)
    is_safeguarding = forms.BooleanField(label="Safeguarding concern", required=False)
    is_vulnerable_person = forms.BooleanField(label="Vulnerable person", required=False)
    has_mp_interest = forms.BooleanField(label="MP interest", required=False)
    has_media_interest = forms.BooleanField(label="Media interest", required=False)
    is_staff_complainant = forms.BooleanField(label="Raised by a member of staff (restricts the case)", required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # Keep the case's current choices even if they have since been disabled.
        self.fields["division"].queryset = Division.objects.active() | Division.objects.filter(pk=case.division_id)
        self.fields["site"].queryset = Site.objects.active() | Site.objects.filter(pk=case.site_id)
        self.fields["service"].queryset = (
            Service.objects.active() | Service.objects.filter(pk=case.service_id)
        ).select_related("division")


class CaseFilterForm(forms.Form):
    q = TextField("Search", 200)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Kind.choices],
        error_messages={"invalid_choice": "Choose a kind of case from the list."},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("open", "Open (not finished)"), *Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    division = forms.ChoiceField(
        label="Division", required=False, error_messages={"invalid_choice": "Choose a division from the list."}
    )
    assignee = forms.ChoiceField(
        label="Assigned to",
        required=False,
        choices=[("", "Anyone"), ("me", "Me"), ("unassigned", "No case officer")],
        error_messages={"invalid_choice": "Choose who it is assigned to from the list."},
    )
    due = forms.ChoiceField(
        label="Due",
        required=False,
        choices=[
            ("", "Any time"),
            (DueFilter.OVERDUE, "Overdue"),
            (DueFilter.TODAY, "Due today"),
            (DueFilter.WITHIN, "Due in the next working days (below)"),
            (DueFilter.ON_HOLD, "On hold"),
        ],
        error_messages={"invalid_choice": "Choose when it is due from the list."},
    )
    within = forms.IntegerField(
        label="Working days",
        required=False,
        min_value=1,
        max_value=MAX_DUE_WITHIN_WORKING_DAYS,
        initial=DUE_WITHIN_WORKING_DAYS,
        help_text=f"For “due in the next working days”: {DUE_WITHIN_WORKING_DAYS} if left empty.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the working days as a whole number, like 5.",
            "min_value": "The working days must be 1 or more.",
            "max_value": f"The working days must be {MAX_DUE_WITHIN_WORKING_DAYS} or fewer.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", "Any division")] + [
            (d.code, d.name) for d in Division.objects.only("code", "name")
        ]
