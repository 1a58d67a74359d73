"""App configuration for escalations."""

from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "palsdesk.escalations"
    verbose_name = "Ombudsman, CQC and joint complaints"
