"""Letter settings and templates for tests, and a complaint with the people letters are written to."""

from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.correspondence.models import LetterSettings, LetterTemplate
from palsdesk.organisation.tests.factories import TrustFactory
from palsdesk.people.models import CommunicationNeed
from palsdesk.people.tests.factories import person_details


def letter_settings(**overrides) -> LetterSettings:
    trust = TrustFactory(
        name="Test Hospitals NHS Foundation Trust",
        address="Headington\nOxford\nOX3 9DU",
        phone="01865 000000",
        website="https://www.testhospitals.nhs.example",
    )
    values = {
        "trust": trust,
        "team_name": "Patient Advice and Complaints Team",
        "team_phone": "01865 111222",
        "team_email": "complaints@testhospitals.nhs.example",
        "signatory_name": "Dr Grace Hopper",
        "signatory_job_title": "Chief Executive",
        "advocacy_name": "Oxfordshire NHS Complaints Advocacy",
        "advocacy_phone": "0300 456 2370",
    } | overrides
    return LetterSettings.objects.create(**values)


def starter(code: str) -> LetterTemplate:
    return LetterTemplate.objects.get(code=code)


def complainant_details(**overrides):
    values = {
        "title": "Mrs",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address_line_1": "12 Analytical Row",
        "town": "Oxford",
        "postcode": "OX4 2PG",
        "email": "ada@example.com",
    } | overrides
    return person_details(**values)


def complaint_by_the_patient(actor, *, large_print: bool = False, **values):
    needs = [CommunicationNeed.objects.get(code="large-print")] if large_print else []
    return make_case(
        kind=Kind.COMPLAINT,
        actor=actor,
        case_officer=actor,
        complainant=complainant_details(communication_needs=needs),
        complainant_is_patient=True,
        **values,
    )


def complaint_by_a_representative(actor, **values):
    return make_case(
        kind=Kind.COMPLAINT,
        actor=actor,
        case_officer=actor,
        complainant=complainant_details(title="Mr", first_name="Charles", last_name="Babbage", email="cb@example.com"),
        relationship_to_patient="child",
        patient=person_details(
            title="Mrs",
            first_name="Elsie",
            last_name="Babbage",
            address_line_1="3 Engine Lane",
            town="Abingdon",
            postcode="OX14 1AA",
        ),
        **values,
    )
