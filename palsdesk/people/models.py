"""A person, the role they take on a case, their communication needs and consent for a third party."""

from django.db import models

from palsdesk.core.models import ReferenceData, Tracked
from palsdesk.people.nhs_number import formatted
from palsdesk.people.validators import validate_nhs_number


class CommunicationNeed(ReferenceData):
    """An information or communication need under the Accessible Information Standard (DCB1605)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"


class Person(Tracked):
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    # Stored as 10 digits, checked with the modulus-11 check digit.
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, db_index=True, validators=[validate_nhs_number]
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_contact_method = models.CharField(max_length=8, choices=ContactMethod.choices, blank=True)
    communication_needs = models.ManyToManyField(CommunicationNeed, blank=True, related_name="people")
    interpreter_language = models.CharField(max_length=60, blank=True)
    communication_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def nhs_number_formatted(self) -> str:
        return formatted(self.nhs_number)


class PartyRole(models.TextChoices):
    PATIENT = "patient", "Patient"
    COMPLAINANT = "complainant", "Complainant"
    REPRESENTATIVE = "representative", "Representative"


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent or guardian"
    SPOUSE = "spouse", "Husband, wife or partner"
    CHILD = "child", "Son or daughter"
    SIBLING = "sibling", "Brother or sister"
    OTHER_FAMILY = "other_family", "Other family member"
    FRIEND = "friend", "Friend or neighbour"
    CARER = "carer", "Carer"
    ADVOCATE = "advocate", "Advocate"
    ATTORNEY = "attorney", "Lasting power of attorney or deputy"
    MP = "mp", "Member of Parliament"
    OTHER = "other", "Other"


class CaseParty(Tracked):
    """A person's role on one case: the patient, the complainant, or a representative acting for the patient."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    relationship_to_patient = models.CharField(max_length=16, choices=Relationship.choices, blank=True)
    is_main_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="party_role_once")]
        verbose_name_plural = "case parties"

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Consent(Tracked):
    """Consent for a third party to act for the patient, under regulation 5."""

    class Status(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed"
        REQUESTED = "requested", "Requested"
        RECEIVED = "received", "Received"
        REFUSED = "refused", "Refused"
        NOT_POSSIBLE = "not_possible", "Not possible"

    class ActingReason(models.TextChoices):
        # Regulation 5(2): when someone may complain for a patient who cannot consent.
        DECEASED = "deceased", "The patient has died"
        CHILD = "child", "The patient is a child"
        LACKS_CAPACITY = "lacks_capacity", "The patient lacks capacity (Mental Capacity Act 2005)"
        PHYSICAL_INCAPACITY = "physical_incapacity", "The patient is physically unable to complain"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="consent")
    status = models.CharField(max_length=16, choices=Status.choices)
    status_on = models.DateField("date", null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="What shows consent or authority, such as a signed form or LPA.")
    acting_reason = models.CharField(max_length=24, choices=ActingReason.choices, blank=True)

    def __str__(self) -> str:
        return f"Consent {self.get_status_display()} for {self.case_id}"
