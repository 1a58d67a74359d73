"""App configuration for cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "palsdesk.cases"
    verbose_name = "Cases"
