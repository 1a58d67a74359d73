"""Web forms for people on a case and for consent."""

from django import forms

from palsdesk.core.forms import DateField
from palsdesk.people.models import CommunicationNeed, Consent, ContactMethod, PartyRole, Relationship
from palsdesk.people.validators import validate_nhs_number


def _text(label: str, max_length: int, *, required_message: str = "", **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length:,} characters or fewer (you entered %(show_value)d).",
        },
        **kwargs,
    )


class PersonForm(forms.Form):
    title = _text("Title", 20)
    first_name = _text("First name", 100)
    last_name = _text("Last name", 100, required_message="Enter their last name.")
    date_of_birth = DateField(label="Date of birth", required=False, help_text="For example, 15 3 1984")
    date_of_death = DateField(label="Date of death", required=False)
    nhs_number = _text("NHS number", 20, validators=[validate_nhs_number], help_text="10 digits, like 485 777 3456.")
    address_line_1 = _text("Address line 1", 200)
    address_line_2 = _text("Address line 2", 200)
    town = _text("Town or city", 100)
    postcode = _text("Postcode", 10)
    phone = _text("Phone number", 40)
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com."},
    )
    preferred_contact_method = forms.ChoiceField(
        label="How they prefer to be contacted", choices=[("", "No preference"), *ContactMethod.choices], required=False
    )
    communication_needs = forms.ModelMultipleChoiceField(
        label="Communication needs",
        queryset=CommunicationNeed.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Accessible Information Standard: letters and calls will follow these.",
    )
    interpreter_language = _text("Interpreter language", 60)
    communication_notes = forms.CharField(
        label="Other communication notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communication_needs"].queryset = CommunicationNeed.objects.active()


class AddPersonForm(PersonForm):
    role = forms.ChoiceField(
        label="Their role on this case",
        choices=PartyRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on this case."},
    )
    relationship_to_patient = forms.ChoiceField(
        label="Relationship to the patient",
        choices=[("", "Choose…"), *Relationship.choices],
        required=False,
        help_text="For a representative.",
    )
    is_main_contact = forms.BooleanField(label="Main contact for this case", required=False)

    field_order = ["role", "relationship_to_patient", "is_main_contact"]


class ConsentForm(forms.Form):
    status = forms.ChoiceField(
        label="Where does consent stand?",
        choices=Consent.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where consent stands."},
    )
    status_on = DateField(label="Date", required=False, help_text="When consent was requested, received or refused.")
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: signed consent form received by post; copy of lasting power of attorney.",
    )
    acting_reason = forms.ChoiceField(
        label="Why the patient cannot consent",
        choices=[("", "Not applicable"), *Consent.ActingReason.choices],
        required=False,
    )
