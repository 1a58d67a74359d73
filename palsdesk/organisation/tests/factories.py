"""Factories for the trust's structure."""

import factory

from palsdesk.organisation.models import Division, Service, Site, Trust


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ["ods_code"]

    name = "Test Hospitals NHS Foundation Trust"
    ods_code = "RZZ"


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    trust = factory.SubFactory(TrustFactory)
    code = factory.Sequence(lambda n: f"DIV{n}")
    name = factory.Sequence(lambda n: f"Division {n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    trust = factory.SubFactory(TrustFactory)
    code = factory.Sequence(lambda n: f"RZZ{n:02d}")
    name = factory.Sequence(lambda n: f"Site {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    division = factory.SubFactory(DivisionFactory)
    code = factory.Sequence(lambda n: f"SVC{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
