"""Reads of a case's correspondence and letters, scoped by cases.selectors.cases_visible_to, and the merge values."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from palsdesk.cases.models import Case
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.core.dates import long_date
from palsdesk.correspondence import merge
from palsdesk.correspondence.models import Attachment, CorrespondenceEntry, Letter, LetterSettings, LetterTemplate
from palsdesk.organisation.models import Trust
from palsdesk.people.models import CaseParty, PartyRole, Person

# The Accessible Information Standard need that asks for letters in large print (people app's seeded code).
LARGE_PRINT_NEED = "large-print"


def entries_of(case: Case) -> QuerySet[CorrespondenceEntry]:
    """A case's communications log, newest first, each entry with its files and author: a fixed number of queries."""
    return (
        CorrespondenceEntry.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-occurred_at", "-id")
    )


def entry_on_case(user, reference: str, entry_id: int) -> CorrespondenceEntry:
    """One entry of a case the user may see, or Http404."""
    entry = (
        CorrespondenceEntry.objects.filter(pk=entry_id, case__in=cases_visible_to(user), case__reference=reference)
        .select_related("case", "created_by")
        .prefetch_related("attachments")
        .first()
    )
    if entry is None:
        raise Http404("No such entry on a case you can see.")
    return entry


def visible_attachment(user, attachment_id: int) -> Attachment:
    """A file, only if it belongs to a case the user may see: otherwise Http404, so its existence is not revealed."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id, entry__case__in=cases_visible_to(user))
        .select_related("entry__case")
        .first()
    )
    if attachment is None:
        raise Http404("No such file on a case you can see.")
    return attachment


def letters_of(case: Case) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(case=case)
        .select_related("template", "created_by", "entry")
        .order_by("-created_at", "-id")
    )


def letter_on_case(user, reference: str, letter_id: int) -> Letter:
    letter = (
        Letter.objects.filter(pk=letter_id, case__in=cases_visible_to(user), case__reference=reference)
        .select_related("case", "template", "recipient", "entry", "created_by", "modified_by")
        .first()
    )
    if letter is None:
        raise Http404("No such letter on a case you can see.")
    return letter


def templates_in_use() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.active().order_by("name")


def the_trust() -> Trust | None:
    """The trust whose letters these are: PALS Desk runs one trust per installation."""
    return Trust.objects.order_by("pk").first()


def letter_settings(trust: Trust | None = None) -> LetterSettings:
    """The trust's letter settings; unsaved defaults (the Ombudsman's details) until an administrator saves them."""
    trust = trust or the_trust()
    if trust is None:
        return LetterSettings()
    found = LetterSettings.objects.filter(trust=trust).select_related("trust").first()
    return found or LetterSettings(trust=trust)


def parties_of(case: Case) -> list[CaseParty]:
    return list(
        CaseParty.objects.filter(case=case)
        .select_related("person")
        .prefetch_related("person__communication_needs")
        .order_by("pk")
    )


def recipients_of(parties: list[CaseParty]) -> list[Person]:
    """Each person on the case once, in the order they were added: who a letter may be addressed to."""
    people: dict[int, Person] = {}
    for party in parties:
        people.setdefault(party.person_id, party.person)
    return list(people.values())


def default_recipient(parties: list[CaseParty], template: LetterTemplate) -> Person | None:
    wanted = {
        LetterTemplate.Recipient.COMPLAINANT: [PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE],
        LetterTemplate.Recipient.PATIENT: [PartyRole.PATIENT],
        LetterTemplate.Recipient.REPRESENTATIVE: [PartyRole.REPRESENTATIVE],
    }.get(template.recipient, [])
    for role in wanted:
        for party in parties:
            if party.role == role:
                return party.person
    main = next((party.person for party in parties if party.is_main_contact), None)
    return main or (parties[0].person if parties else None)


def needs_large_print(person: Person | None) -> bool:
    return person is not None and any(need.code == LARGE_PRINT_NEED for need in person.communication_needs.all())


def _address(person: Person | None) -> str:
    if person is None:
        return ""
    return "\n".join(
        part for part in (person.address_line_1, person.address_line_2, person.town, person.postcode) if part
    )


def _salutation(person: Person | None) -> str:
    if person is None:
        return ""
    if person.title:
        return f"{person.title} {person.last_name}"
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def _person_values(prefix: str, person: Person | None) -> dict[str, str]:
    return {
        f"{prefix}.name": person.full_name if person else "",
        f"{prefix}.first_name": person.first_name if person else "",
        f"{prefix}.last_name": person.last_name if person else "",
        f"{prefix}.salutation": _salutation(person),
        f"{prefix}.address": _address(person),
        f"{prefix}.email": person.email if person else "",
        f"{prefix}.phone": person.phone if person else "",
    }


def _lower_first(text: str) -> str:
    """'Complaint' reads 'complaint' in a sentence; 'PALS concern' and 'MP letter' keep their capitals."""
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


def _date(value: datetime.date | None) -> str:
    return long_date(value) if value else ""


def _first(parties: list[CaseParty], *roles: str) -> CaseParty | None:
    for role in roles:
        for party in parties:
            if party.role == role:
                return party
    return None


def merge_values(
    case: Case, *, parties: list[CaseParty], recipient: Person | None, settings: LetterSettings, today: datetime.date
) -> dict[str, str]:
    """The value of every merge field for this case and recipient; an empty string where the case has none."""
    # The representative complains for the patient (regulation 5), so stands as the complainant when there is no other.
    complainant = _first(parties, PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE)
    patient = _first(parties, PartyRole.PATIENT)
    representative = _first(parties, PartyRole.REPRESENTATIVE)
    trust = settings.trust if settings.trust_id else None
    officer = case.case_officer
    investigator = case.investigating_manager
    values = {
        "letter.date": _date(today),
        "case.reference": case.reference,
        "case.kind": _lower_first(case.get_kind_display()),
        "case.summary": case.summary,
        "case.received_on": _date(case.received_on),
        "case.acknowledgement_due_on": _date(case.acknowledgement_due_on),
        "case.acknowledged_on": _date(case.acknowledged_on),
        "case.response_due_on": _date(case.response_due_on),
        "case.response_period_working_days": (
            str(case.response_target_working_days) if case.response_target_working_days else ""
        ),
        "case.long_stop_on": _date(case.long_stop_on),
        "case.event_on": _date(case.event_on),
        "case.division": case.division.name if case.division_id else "",
        "case.site": case.site.name if case.site_id else "",
        "case.service": case.service.name if case.service_id else "",
        "recipient.name": recipient.full_name if recipient else "",
        "recipient.salutation": _salutation(recipient),
        "recipient.address": _address(recipient),
        **_person_values("complainant", complainant.person if complainant else None),
        **_person_values("patient", patient.person if patient else None),
        "patient.date_of_birth": _date(patient.person.date_of_birth) if patient else "",
        "patient.nhs_number": patient.person.nhs_number_formatted if patient and patient.person.nhs_number else "",
        **_person_values("representative", representative.person if representative else None),
        "representative.relationship": (
            representative.get_relationship_to_patient_display().lower()
            if representative and representative.relationship_to_patient
            else ""
        ),
        "officer.name": (officer.get_full_name() or officer.username) if officer else "",
        "officer.job_title": officer.job_title if officer else "",
        "officer.email": officer.email if officer else "",
        "investigator.name": (investigator.get_full_name() or investigator.username) if investigator else "",
        "investigator.job_title": investigator.job_title if investigator else "",
        "trust.name": trust.name if trust else "",
        "trust.address": trust.address if trust else "",
        "trust.phone": settings.team_phone or (trust.phone if trust else ""),
        "trust.email": settings.team_email or (trust.email if trust else ""),
        "trust.website": trust.website if trust else "",
        "trust.team_name": settings.team_name,
        "complaints_procedure": settings.complaints_procedure,
        "signatory.name": settings.signatory_name,
        "signatory.job_title": settings.signatory_job_title,
        "advocacy.name": settings.advocacy_name,
        "advocacy.phone": settings.advocacy_phone,
        "advocacy.email": settings.advocacy_email,
        "advocacy.website": settings.advocacy_website,
        "advocacy.address": settings.advocacy_address,
        "ombudsman.name": settings.ombudsman_name,
        "ombudsman.phone": settings.ombudsman_phone,
        "ombudsman.website": settings.ombudsman_website,
        "ombudsman.address": settings.ombudsman_address,
    }
    return {name: values.get(name, "") for name in merge.FIELDS}


@dataclass
class LetterCheck:
    """What stands in the way of making this letter: fields the template gets wrong, and values the case lacks."""

    template: LetterTemplate
    recipient: Person | None
    is_large_print: bool
    template_problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def can_generate(self) -> bool:
        return self.recipient is not None and not self.template_problems and not self.missing

    @property
    def missing_described(self) -> list[str]:
        return [f"{{{{ {name} }}}}: {merge.FIELDS[name].description}" for name in self.missing]


def check_letter(
    case: Case,
    *,
    template: LetterTemplate,
    recipient: Person | None,
    parties: list[CaseParty],
    today: datetime.date,
    settings: LetterSettings | None = None,
) -> tuple[LetterCheck, dict[str, str]]:
    """Check a template against a case before a letter is made, and the values it would be merged with."""
    settings = settings or letter_settings()
    values = merge_values(case, parties=parties, recipient=recipient, settings=settings, today=today)
    text = f"{template.subject}\n{template.body}"
    check = LetterCheck(
        template=template,
        recipient=recipient,
        is_large_print=needs_large_print(recipient),
        template_problems=merge.template_problems(text),
        missing=merge.missing_values(text, values),
    )
    return check, values


def letter_checks(
    case: Case, *, templates: list[LetterTemplate], parties: list[CaseParty], today: datetime.date
) -> list[LetterCheck]:
    """Each template checked against the case for the person it is usually addressed to, before one is chosen."""
    settings = letter_settings()
    return [
        check_letter(
            case,
            template=template,
            recipient=default_recipient(parties, template),
            parties=parties,
            today=today,
            settings=settings,
        )[0]
        for template in templates
    ]


def parts_to_write(letter: Letter) -> list[str]:
    return merge.parts_to_write(f"{letter.subject}\n{letter.body}")
