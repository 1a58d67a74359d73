"""Reads for people on a case."""

from dataclasses import dataclass, field

from palsdesk.people.models import CaseParty, PartyRole, Person


@dataclass
class PersonOnCase:
    """One person and every role they hold on a case (a patient who complains holds two)."""

    person: Person
    parties: list[CaseParty] = field(default_factory=list)

    @property
    def roles_label(self) -> str:
        labels = []
        for party in self.parties:
            label = party.get_role_display().lower()
            if party.relationship_to_patient:
                label += f" ({party.get_relationship_to_patient_display().lower()})"
            labels.append(label)
        return " and ".join(labels)

    @property
    def is_main_contact(self) -> bool:
        return any(party.is_main_contact for party in self.parties)

    @property
    def first_party(self) -> CaseParty:
        return self.parties[0]


def people_on_case(parties: list[CaseParty]) -> list[PersonOnCase]:
    """Group a case's (already fetched) parties by person, keeping the order they were added in."""
    grouped: dict[int, PersonOnCase] = {}
    for party in sorted(parties, key=lambda p: p.pk):
        grouped.setdefault(party.person_id, PersonOnCase(person=party.person)).parties.append(party)
    return list(grouped.values())


def has_representative(parties: list[CaseParty]) -> bool:
    return any(party.role == PartyRole.REPRESENTATIVE for party in parties)
