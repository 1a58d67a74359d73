"""API shapes for people on a case: what a client may send, and what it gets back."""

from rest_framework import serializers

from palsdesk.api.serializers import ActiveCodeField, LimitedText, StrictSerializer
from palsdesk.people.models import CaseParty, CommunicationNeed, ContactMethod, Person, Relationship
from palsdesk.people.services import PersonDetails
from palsdesk.people.validators import validate_nhs_number

_max = {f.name: f.max_length for f in Person._meta.get_fields() if getattr(f, "max_length", None)}


def _text(name: str, **kwargs):
    return LimitedText(max_length=_max[name], required=False, allow_blank=True, **kwargs)


class PersonInSerializer(StrictSerializer):
    title = _text("title")
    first_name = _text("first_name")
    last_name = LimitedText(max_length=_max["last_name"])
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_death = serializers.DateField(required=False, allow_null=True)
    nhs_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_nhs_number]
    )
    address_line_1 = _text("address_line_1")
    address_line_2 = _text("address_line_2")
    town = _text("town")
    postcode = _text("postcode")
    phone = _text("phone")
    email = serializers.EmailField(max_length=_max["email"], required=False, allow_blank=True)
    preferred_contact_method = serializers.ChoiceField(ContactMethod.choices, required=False, allow_blank=True)
    interpreter_language = _text("interpreter_language")
    communication_notes = LimitedText(max_length=5000, required=False, allow_blank=True)
    communication_needs = ActiveCodeField(CommunicationNeed, label="communication need", many=True, required=False)

    def to_details(self, values: dict) -> PersonDetails:
        return PersonDetails.from_mapping(values)


class ComplainantInSerializer(PersonInSerializer):
    is_patient = serializers.BooleanField(
        required=False, default=False, help_text="True when the complainant is the patient the case is about."
    )
    relationship_to_patient = serializers.ChoiceField(
        Relationship.choices,
        required=False,
        allow_blank=True,
        help_text="Given when the complainant acts for the patient as their representative.",
    )

    def validate(self, attrs):
        if attrs.get("is_patient") and attrs.get("relationship_to_patient"):
            raise serializers.ValidationError(
                {"relationship_to_patient": ["A complainant who is the patient has no relationship to the patient."]}
            )
        return attrs


class CasePartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name")
    nhs_number = serializers.CharField(source="person.nhs_number")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    phone = serializers.CharField(source="person.phone")
    email = serializers.CharField(source="person.email")
    communication_needs = serializers.SlugRelatedField(
        source="person.communication_needs", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = CaseParty
        fields = [
            "role",
            "relationship_to_patient",
            "is_main_contact",
            "name",
            "nhs_number",
            "date_of_birth",
            "phone",
            "email",
            "communication_needs",
        ]
