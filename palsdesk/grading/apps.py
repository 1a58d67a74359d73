"""App configuration for grading."""

from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "palsdesk.grading"
    verbose_name = "Grading"
