"""Factories for staff accounts, one per role."""

import factory

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Role

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@nhs.example")
    role = Role.PALS_OFFICER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.divisions.set(extracted)


def officer(**kwargs) -> User:
    return UserFactory(role=Role.PALS_OFFICER, **kwargs)


def coordinator(**kwargs) -> User:
    return UserFactory(role=Role.COORDINATOR, **kwargs)


def divisional_manager(**kwargs) -> User:
    return UserFactory(role=Role.DIVISIONAL_MANAGER, **kwargs)


def approver(**kwargs) -> User:
    return UserFactory(role=Role.APPROVER, **kwargs)


def volunteer(**kwargs) -> User:
    return UserFactory(role=Role.VOLUNTEER, **kwargs)


def auditor(**kwargs) -> User:
    return UserFactory(role=Role.AUDITOR, **kwargs)


def administrator(**kwargs) -> User:
    return UserFactory(role=Role.ADMINISTRATOR, **kwargs)
