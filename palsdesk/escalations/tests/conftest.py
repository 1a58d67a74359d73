"""Fixtures for the escalations tests: a fixed day, a Medicine division with its co-ordinator and a complaint
that has had its local response."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.escalations.tests.factories import responded_complaint
from palsdesk.organisation.tests.factories import DivisionFactory

TODAY = datetime.date(2026, 11, 20)  # a Friday
NOW = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine", code="MED")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery", code="SURG")


@pytest.fixture
def lead(medicine):
    """The complaints co-ordinator who handles the PHSO's and the CQC's work."""
    return coordinator(username="lead", first_name="Alex", last_name="Morgan", divisions=[medicine])


@pytest.fixture
def complaint(medicine, lead):
    return responded_complaint(division=medicine, actor=lead, summary="Discharged without a care package")
