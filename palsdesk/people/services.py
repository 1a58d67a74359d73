"""Writes for people on a case: adding them in a role, changing their details, recording consent."""

import datetime
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from palsdesk.audit import services as audit
from palsdesk.cases import timeline
from palsdesk.cases.models import TimelineEntry
from palsdesk.people.models import CaseParty, CommunicationNeed, Consent, PartyRole, Person, Relationship
from palsdesk.people.nhs_number import InvalidNhsNumber, normalise


@dataclass
class PersonDetails:
    """What is known about a person when they are added to a case. Only the last name is required."""

    last_name: str
    first_name: str = ""
    title: str = ""
    date_of_birth: datetime.date | None = None
    date_of_death: datetime.date | None = None
    nhs_number: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    preferred_contact_method: str = ""
    interpreter_language: str = ""
    communication_notes: str = ""
    communication_needs: list[CommunicationNeed] = field(default_factory=list)

    @classmethod
    def from_mapping(cls, values: dict) -> "PersonDetails":
        known = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in values.items() if name in known and value is not None})


_SCALAR_FIELDS = [f.name for f in fields(PersonDetails) if f.name != "communication_needs"]


def _clean_person(person: Person, *, prefix: str = "") -> None:
    """Model validation, with each error keyed by the field name the caller used (e.g. patient.nhs_number)."""
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    try:
        person.full_clean(exclude=["communication_needs", "created_by", "modified_by"])
    except ValidationError as error:
        problems.update(error.message_dict)
    if person.date_of_birth and person.date_of_birth > today:
        problems.setdefault("date_of_birth", []).append("Date of birth must be today or in the past.")
    if person.date_of_death and person.date_of_death > today:
        problems.setdefault("date_of_death", []).append("Date of death must be today or in the past.")
    if person.date_of_birth and person.date_of_death and person.date_of_death < person.date_of_birth:
        problems.setdefault("date_of_death", []).append("Date of death must be on or after the date of birth.")
    if problems:
        raise ValidationError({f"{prefix}{name}": messages for name, messages in problems.items()})


def build_person(details: PersonDetails, *, actor, prefix: str = "") -> Person:
    """A validated, unsaved Person. The NHS number is stored as its 10 digits."""
    values = {name: getattr(details, name) for name in _SCALAR_FIELDS}
    values = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    if values["nhs_number"]:
        try:
            values["nhs_number"] = normalise(values["nhs_number"])
        except InvalidNhsNumber as error:
            raise ValidationError({f"{prefix}nhs_number": [str(error)]}) from None
    values["postcode"] = values["postcode"].upper()
    person = Person(**values, created_by=actor, modified_by=actor)
    _clean_person(person, prefix=prefix)
    return person


def add_person_to_case(
    case,
    *,
    details: PersonDetails,
    roles: list[str],
    actor,
    relationship_to_patient: str = "",
    is_main_contact: bool = False,
    prefix: str = "",
) -> Person:
    """Create the person and give them one or more roles on the case. Call inside the case's transaction."""
    if relationship_to_patient and relationship_to_patient not in Relationship.values:
        raise ValidationError({f"{prefix}relationship_to_patient": ["Choose a relationship from the list."]})
    if PartyRole.REPRESENTATIVE in roles and not relationship_to_patient:
        raise ValidationError(
            {f"{prefix}relationship_to_patient": ["Say how the representative is related to the patient."]}
        )
    person = build_person(details, actor=actor, prefix=prefix)
    person.save()
    if details.communication_needs:
        person.communication_needs.set(details.communication_needs)
    # The main contact is the person raising the case: their complainant or representative role.
    main_role = next((role for role in roles if role != PartyRole.PATIENT), roles[0]) if is_main_contact else None
    for role in roles:
        CaseParty.objects.create(
            case=case,
            person=person,
            role=role,
            relationship_to_patient=relationship_to_patient if role == PartyRole.REPRESENTATIVE else "",
            is_main_contact=role == main_role,
            created_by=actor,
            modified_by=actor,
        )
    role_names = " and ".join(PartyRole(role).label.lower() for role in roles)
    timeline.add_entry(
        case, kind=TimelineEntry.EntryKind.PEOPLE, body=f"{person.full_name} added as {role_names}.", actor=actor
    )
    audit.record(
        actor=actor,
        action="person.added_to_case",
        target=person,
        case=case,
        changes={name: [None, getattr(person, name)] for name in _SCALAR_FIELDS if getattr(person, name)},
        context={"roles": roles, "relationship_to_patient": relationship_to_patient},
    )
    return person


@transaction.atomic
def update_person(person: Person, *, details: PersonDetails, actor, case=None) -> Person:
    before = audit.snapshot(person, _SCALAR_FIELDS)
    candidate = build_person(details, actor=actor)
    for name in _SCALAR_FIELDS:
        setattr(person, name, getattr(candidate, name))
    person.modified_by = actor
    person.save()
    before_needs = sorted(person.communication_needs.values_list("code", flat=True))
    person.communication_needs.set(details.communication_needs)
    after_needs = sorted(need.code for need in details.communication_needs)
    changes = audit.changes_between(before, audit.snapshot(person, _SCALAR_FIELDS))
    if before_needs != after_needs:
        changes["communication_needs"] = [before_needs, after_needs]
    if changes:
        audit.record(actor=actor, action="person.changed", target=person, case=case, changes=changes)
        if case is not None:
            timeline.add_entry(
                case, kind=TimelineEntry.EntryKind.PEOPLE, body=f"{person.full_name}'s details changed.", actor=actor
            )
    return person


@transaction.atomic
def record_consent(
    case,
    *,
    status: str,
    actor,
    status_on: datetime.date | None = None,
    evidence: str = "",
    acting_reason: str = "",
) -> Consent:
    """Record where consent for a third party stands. Each change is kept on the audit trail."""
    problems: dict[str, list[str]] = {}
    if status not in Consent.Status.values:
        problems["status"] = ["Choose where consent stands."]
    if acting_reason and acting_reason not in Consent.ActingReason.values:
        problems["acting_reason"] = ["Choose a reason from the list."]
    if status == Consent.Status.NOT_POSSIBLE and not acting_reason:
        problems["acting_reason"] = ["Say why the patient cannot consent (died, a child, or lacks capacity)."]
    if status in (Consent.Status.REQUESTED, Consent.Status.RECEIVED, Consent.Status.REFUSED) and not status_on:
        problems["status_on"] = ["Enter the date consent was requested, received or refused."]
    if status_on and status_on > timezone.localdate():
        problems["status_on"] = ["The consent date must be today or in the past."]
    if status == Consent.Status.RECEIVED and not evidence.strip():
        problems["evidence"] = ["Say what shows consent was given, such as 'signed consent form received by post'."]
    if len(evidence) > 5000:
        problems["evidence"] = ["Evidence must be 5,000 characters or fewer."]
    if problems:
        raise ValidationError(problems)

    consent = Consent.objects.filter(case=case).first()
    before = audit.snapshot(consent, ["status", "status_on", "evidence", "acting_reason"]) if consent else {}
    if consent is None:
        consent = Consent(case=case, created_by=actor)
    consent.status = status
    consent.status_on = status_on
    consent.evidence = evidence.strip()
    consent.acting_reason = acting_reason
    consent.modified_by = actor
    consent.save()
    after = audit.snapshot(consent, ["status", "status_on", "evidence", "acting_reason"])
    audit.record(
        actor=actor, action="consent.recorded", target=consent, case=case, changes=audit.changes_between(before, after)
    )
    timeline.add_entry(
        case, kind=TimelineEntry.EntryKind.PEOPLE, body=f"Consent: {consent.get_status_display().lower()}.", actor=actor
    )
    return consent
