"""App configuration for reporting."""

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "palsdesk.reporting"
    verbose_name = "Reporting"
