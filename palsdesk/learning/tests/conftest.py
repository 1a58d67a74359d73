"""Fixtures for the learning tests: two divisions with a manager each, the co-ordinator, a PALS officer, a fixed day,
and uploaded files kept in a folder of the test's own."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.organisation.tests.factories import DivisionFactory

NOW = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC)  # Friday 20 November 2026
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(code="SURG", name="Surgery")


@pytest.fixture
def lead(medicine, surgery):
    return coordinator(username="lead", first_name="Lena", last_name="Lead")


@pytest.fixture
def pals():
    return officer(username="pals", first_name="Priya", last_name="Pals")


@pytest.fixture
def medicine_manager(medicine):
    return divisional_manager(username="medman", first_name="Mo", last_name="Medic", divisions=[medicine])


@pytest.fixture
def surgery_manager(surgery):
    return divisional_manager(username="surgman", first_name="Sam", last_name="Surgeon", divisions=[surgery])
