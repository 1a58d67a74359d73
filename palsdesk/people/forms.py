"""Web forms for people on a case and for consent."""

from django import forms

from palsdesk.core.forms import DateField, EmailField, TextField
from palsdesk.people.models import CommunicationNeed, Consent, ContactMethod, PartyRole, Relationship
from palsdesk.people.validators import validate_nhs_number


class PersonForm(forms.Form):
    title = TextField("Title", 20)
    first_name = TextField("First name", 100)
    last_name = TextField("Last name", 100, required_message="Enter their last name.")
    date_of_birth = DateField(label="Date of birth", required=False, help_text="For example, 15 3 1984")
    date_of_death = DateField(label="Date of death", required=False)
    nhs_number = TextField(
        "NHS number", 20, validators=[validate_nhs_number], help_text="10 digits, like 943 476 5919."
    )
    address_line_1 = TextField("Address line 1", 200)
    address_line_2 = TextField("Address line 2", 200)
    town = TextField("Town or city", 100)
    postcode = TextField("Postcode", 10)
    phone = TextField("Phone number", 40)
    email = EmailField()
    preferred_contact_method = forms.ChoiceField(
        label="How they prefer to be contacted",
        choices=[("", "No preference"), *ContactMethod.choices],
        required=False,
        error_messages={"invalid_choice": "Choose how they prefer to be contacted from the list."},
    )
    communication_needs = forms.ModelMultipleChoiceField(
        label="Communication needs",
        queryset=CommunicationNeed.objects.none(),
        # Ticked by code, not id: a code is only ever compared as text, so no posted value can upset the query.
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Accessible Information Standard: letters and calls will follow these.",
        error_messages={
            "invalid_choice": "Choose communication needs from the list.",
            "invalid_pk_value": "Choose communication needs from the list.",
            "invalid_list": "Choose communication needs from the list.",
        },
    )
    interpreter_language = TextField("Interpreter language", 60)
    communication_notes = TextField("Other communication notes", 5000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communication_needs"].queryset = CommunicationNeed.objects.active()


class AddPersonForm(PersonForm):
    role = forms.ChoiceField(
        label="Their role on this case",
        choices=PartyRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose their role on this case.",
            "invalid_choice": "Choose their role on this case from the list.",
        },
    )
    relationship_to_patient = forms.ChoiceField(
        label="Relationship to the patient",
        choices=[("", "Choose…"), *Relationship.choices],
        required=False,
        help_text="For a representative.",
        error_messages={"invalid_choice": "Choose a relationship from the list."},
    )
    is_main_contact = forms.BooleanField(label="Main contact for this case", required=False)

    field_order = ["role", "relationship_to_patient", "is_main_contact"]


class ConsentForm(forms.Form):
    status = forms.ChoiceField(
        label="Where does consent stand?",
        choices=Consent.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where consent stands.",
            "invalid_choice": "Choose where consent stands from the list.",
        },
    )
    status_on = DateField(label="Date", required=False, help_text="When consent was requested, received or refused.")
    evidence = TextField(
        "Evidence",
        5000,
        rows=3,
        help_text="For example: signed consent form received by post; copy of lasting power of attorney.",
    )
    acting_reason = forms.ChoiceField(
        label="Why the patient cannot consent",
        choices=[("", "Not applicable"), *Consent.ActingReason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose why the patient cannot consent from the list."},
    )
