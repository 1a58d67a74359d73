"""Fixtures shared by the apps' tests: a division and a PALS officer who works in it."""

import pytest

from palsdesk.accounts.tests.factories import officer
from palsdesk.organisation.tests.factories import DivisionFactory


@pytest.fixture
def division():
    return DivisionFactory()


@pytest.fixture
def caseworker(division):
    return officer(divisions=[division])
