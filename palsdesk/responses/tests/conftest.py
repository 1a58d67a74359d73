"""A complaint under investigation in Medicine, with its investigator, co-ordinator and approver, on a fixed day."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import approver, coordinator, divisional_manager
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)  # a Friday
TODAY = datetime.date(2026, 11, 20)
RECEIVED_ON = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def lead(medicine):
    return coordinator(username="lead", first_name="Helen", last_name="Price", divisions=[medicine])


@pytest.fixture
def investigator(medicine):
    return divisional_manager(username="investigator", first_name="James", last_name="Whitfield", divisions=[medicine])


@pytest.fixture
def signer():
    return approver(username="signer", first_name="Catherine", last_name="Lowe")


@pytest.fixture
def outsider():
    return divisional_manager(username="outsider", divisions=[DivisionFactory(code="SURG", name="Surgery")])


def under_investigation(*, division, lead, investigator, **values):
    complaint = make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=lead,
        case_officer=lead,
        received_on=RECEIVED_ON,
        complainant=person_details(
            title="Mrs",
            first_name="Grace",
            last_name="Okafor",
            address_line_1="12 Mill Lane",
            town="Oxford",
            postcode="OX4 2PG",
            **values.pop("person", {}),
        ),
        complainant_is_patient=True,
        **values,
    )
    complaint = case_services.assign_case(complaint, investigating_manager=investigator, actor=lead)
    for status in (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION):
        complaint = case_services.move_case(complaint, to=status, actor=lead)
    return complaint


@pytest.fixture
def complaint(medicine, lead, investigator):
    return under_investigation(division=medicine, lead=lead, investigator=investigator)
