"""Web forms for meetings. They parse what was typed; the rules live in meetings.services."""

from django import forms
from django.core.exceptions import ValidationError

from palsdesk.accounts.permissions import Permission
from palsdesk.core.forms import DateField, EmailField, TextField, needed_by_service
from palsdesk.meetings import rules, selectors, services
from palsdesk.meetings.models import AttendeeRole, RecordingConsent, ResolutionMeeting
from palsdesk.people.models import CaseParty, PartyRole

_RELOAD = "This form is out of date. Reload the meeting and make your change again."


class TimeOfDayField(forms.CharField):
    """A time typed as 14:30 (or 2:30pm): NHS.UK has no time input, so a short text box with an example."""

    def __init__(self, label: str, *, required_message: str, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "text"}))
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = required_message
        self.called = label.lower()

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return rules.time_of_day(text)
        except rules.NotATime:
            raise ValidationError(
                f"Enter the {self.called} as hours and minutes, like 14:30 or 2:30pm.", code="invalid"
            ) from None


class MeetingPageForm(forms.Form):
    """A form about one meeting. It carries the meeting's version, so a change made since the page was opened
    is reported as that (saying who made it) before anything else; the service checks again under a row lock."""

    id_prefix = ""
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD},
    )

    def __init__(self, *args, meeting: ResolutionMeeting | None = None, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is None:
            del self.fields["version"]
        else:
            self.initial.setdefault("version", meeting.version)

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if self.meeting is not None and version is not None and version != self.meeting.version:
            self.add_error(None, services.stale_message(self.meeting))
        return cleaned

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.meeting is not None else None


def with_current_version(form: forms.Form, meeting: ResolutionMeeting) -> forms.Form:
    """After a refusal the form keeps what was typed; its version moves on so that a deliberate retry saves."""
    if form.is_bound:
        data = form.data.copy()
        data["version"] = meeting.version
        form.data = data
    return form


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.get_full_name() or obj.username) + (f", {obj.job_title}" if obj.job_title else "")


class MeetingForm(MeetingPageForm):
    """Arranging a meeting (no meeting yet: the people on the case who are coming), or changing its arrangements."""

    purpose = TextField(
        "What the meeting is for",
        services.PURPOSE_MAX_CHARACTERS,
        called="The purpose",
        required_message="Enter what the meeting is for.",
        help_text="One line, such as: to go through the findings of the investigation with Mrs Okafor.",
    )
    on = DateField(label="Date of the meeting", help_text="For example, 1 12 2026")
    starts = TimeOfDayField("Start time", required_message="Enter the start time, like 10:00.")
    ends = TimeOfDayField("End time", required_message="Enter the end time, like 11:30.")
    place = TextField("Where", services.PLACE_MAX_CHARACTERS, help_text="The room and site, or an address.")
    video_link = TextField(
        "Video link",
        services.VIDEO_LINK_MAX_CHARACTERS,
        help_text="If people join by video: the whole link, starting https://",
    )
    agenda = TextField("Agenda", services.AGENDA_MAX_CHARACTERS, rows=5)
    access_needs = TextField(
        "Access needs",
        services.ACCESS_NEEDS_MAX_CHARACTERS,
        rows=3,
        help_text="Adjustments for the people coming, such as step-free access, a hearing loop or breaks. "
        "Kept here; not sent with the invitation.",
    )
    organiser = _PersonChoiceField(
        queryset=None,
        label="Organiser",
        empty_label="Choose…",
        help_text="Sends the invitations and the follow-up letter.",
        error_messages={"required": "Choose the organiser.", "invalid_choice": "Choose the organiser from the list."},
    )
    note_taker = _PersonChoiceField(
        queryset=None,
        label="Who takes the notes",
        empty_label="Choose…",
        error_messages={
            "required": "Choose who takes the notes.",
            "invalid_choice": "Choose who takes the notes from the list.",
        },
    )
    recording_consent = forms.ChoiceField(
        label="Do they agree to the meeting being recorded?",
        choices=RecordingConsent.choices,
        widget=forms.RadioSelect,
        initial=RecordingConsent.NOT_ASKED,
        error_messages={
            "required": "Say whether they agree to the meeting being recorded.",
            "invalid_choice": "Choose whether they agree to the meeting being recorded from the list.",
        },
    )
    parties = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Who is coming from the case",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff, companions, an advocate or an interpreter are added on the meeting's page.",
        error_messages={"invalid_choice": "Choose people on the case from the list."},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        staff = selectors.staff_for(case, permission=Permission.ARRANGE_MEETINGS)
        self.fields["organiser"].queryset = staff
        self.fields["note_taker"].queryset = staff
        if self.meeting is None:
            self.fields["parties"].queryset = one_party_each(case)
            self.fields["parties"].label_from_instance = lambda party: (
                f"{party.person.full_name}, {services.role_from_party(party).label.lower()}"
            )
        else:
            del self.fields["parties"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at = ends_at = None
        if data["on"] and data["starts"]:
            starts_at = rules.in_england(data["on"], data["starts"])
        if data["on"] and data["ends"]:
            ends_at = rules.in_england(data["on"], data["ends"])
        arguments = {
            name: data[name]
            for name in (
                "purpose",
                "place",
                "video_link",
                "agenda",
                "access_needs",
                "organiser",
                "note_taker",
                "recording_consent",
            )
        }
        arguments |= {"starts_at": starts_at, "ends_at": ends_at}
        if self.meeting is None:
            arguments["parties"] = list(data["parties"])
        else:
            arguments["expected_version"] = self.expected_version()
        return arguments

    @staticmethod
    def field_for(service_field: str) -> str:
        return {"starts_at": "on", "ends_at": "ends"}.get(service_field, service_field)


def one_party_each(case):
    """The people on the case, once each: a patient who complains is offered once, as the complainant."""
    preference = {PartyRole.COMPLAINANT: 0, PartyRole.REPRESENTATIVE: 1, PartyRole.PATIENT: 2}
    chosen: dict[int, tuple[int, int]] = {}
    for pk, person_id, role in CaseParty.objects.filter(case=case).values_list("pk", "person_id", "role"):
        rank = preference.get(role, 3)
        if person_id not in chosen or rank < chosen[person_id][0]:
            chosen[person_id] = (rank, pk)
    return CaseParty.objects.filter(pk__in=[pk for _, pk in chosen.values()]).select_related("person").order_by("id")


class CaseAttendeeForm(MeetingPageForm):
    id_prefix = "party"
    party = forms.ModelChoiceField(
        queryset=None,
        label="Person on the case",
        empty_label="Choose…",
        error_messages={"required": "Choose who is coming.", "invalid_choice": "Choose someone on the case."},
    )
    role = forms.ChoiceField(
        label="Coming as",
        choices=[(value, label) for value, label in AttendeeRole.choices if value != AttendeeRole.STAFF],
        error_messages={"required": "Choose what they come as.", "invalid_choice": "Choose what they come as."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = one_party_each(self.meeting.case)
        self.fields["party"].label_from_instance = lambda party: party.person.full_name

    def service_arguments(self) -> dict:
        return {"party": self.cleaned_data["party"], "role": self.cleaned_data["role"]}


class StaffAttendeeForm(MeetingPageForm):
    id_prefix = "staff"
    user = _PersonChoiceField(
        queryset=None,
        label="Member of staff",
        empty_label="Choose…",
        error_messages={"required": "Choose the member of staff.", "invalid_choice": "Choose someone from the list."},
    )
    role_description = TextField(
        "Their role at the meeting", 200, help_text="Such as chair, ward manager, or the consultant who treated her."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.staff_who_attend()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"user": data["user"], "role": AttendeeRole.STAFF, "role_description": data["role_description"]}


class OtherAttendeeForm(MeetingPageForm):
    id_prefix = "other"
    name = TextField("Name", services.NAME_MAX_CHARACTERS, required_message="Enter their name.")
    email = EmailField(help_text="To send them the invitation. Leave it empty to invite them another way.")
    role = forms.ChoiceField(
        label="Coming as",
        choices=[
            (value, label)
            for value, label in AttendeeRole.choices
            if value in (AttendeeRole.COMPANION, AttendeeRole.ADVOCATE, AttendeeRole.INTERPRETER, AttendeeRole.OTHER)
        ],
        error_messages={"required": "Choose what they come as.", "invalid_choice": "Choose what they come as."},
    )
    role_description = TextField("More about their role", 200, help_text="Such as the language they interpret.")

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "email", "role", "role_description")}


class NotesForm(MeetingPageForm):
    id_prefix = "notes"
    notes = TextField(
        "Notes of the meeting",
        services.NOTES_MAX_CHARACTERS,
        rows=15,
        called="The notes",
        required_message="Enter the notes of the meeting.",
        help_text="Who came, what was discussed and what was agreed. Record the agreed actions below as well.",
    )


class ActionForm(MeetingPageForm):
    id_prefix = "action"
    description = TextField(
        "What was agreed", services.ACTION_MAX_CHARACTERS, rows=2, required_message="Enter what was agreed."
    )
    owner = needed_by_service(
        _PersonChoiceField(
            queryset=None,
            label="Who will do it",
            empty_label="Someone else (enter their name below)",
            error_messages={"invalid_choice": "Choose who will do it from the list."},
        )
    )
    owner_name = TextField(
        "Name of someone else", services.NAME_MAX_CHARACTERS, help_text="Such as the complainant, or their GP practice."
    )
    due_on = needed_by_service(DateField(label="Due date", help_text="For example, 15 1 2027"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.staff_for(self.meeting.case)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "owner": data["owner"],
            "owner_name": data["owner_name"],
            "due_on": data["due_on"],
        }


class FollowUpLetterForm(MeetingPageForm):
    id_prefix = "letter"
    text = TextField(
        "The letter",
        services.LETTER_MAX_CHARACTERS,
        rows=25,
        called="The letter",
        required_message="Enter the letter.",
        help_text="Leave a blank line between paragraphs.",
    )


class FollowUpSentForm(MeetingPageForm):
    id_prefix = "sent"
    sent_on = DateField(label="Date it was sent", required=False, help_text="Leave it empty for today.")


class CancelForm(MeetingPageForm):
    id_prefix = "cancel"
    reason = TextField(
        "Why is it cancelled?",
        services.REASON_MAX_CHARACTERS,
        rows=3,
        called="The reason",
        required_message="Enter why the meeting is cancelled.",
        help_text="Those invited are sent the cancellation, with this reason.",
    )
