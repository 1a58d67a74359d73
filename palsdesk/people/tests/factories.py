"""Factories for people, with valid NHS numbers."""

import random

import factory

from palsdesk.people.models import Person
from palsdesk.people.nhs_number import check_digit
from palsdesk.people.services import PersonDetails


def valid_nhs_number(seed: int | None = None) -> str:
    """A 10-digit number that passes the modulus-11 check (the 999 range is reserved for testing)."""
    rng = random.Random(seed)
    while True:
        first_nine = "999" + "".join(rng.choice("0123456789") for _ in range(6))
        digit = check_digit(first_nine)
        if digit is not None:
            return first_nine + str(digit)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    nhs_number = factory.Sequence(valid_nhs_number)
    phone = factory.Faker("phone_number", locale="en_GB")


def person_details(**overrides) -> PersonDetails:
    values = {"first_name": "Ada", "last_name": "Lovelace", "phone": "01632 960001"} | overrides
    return PersonDetails(**values)
