"""App configuration for organisation."""

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "palsdesk.organisation"
    verbose_name = "Organisation"
