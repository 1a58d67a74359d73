"""App configuration for responses."""

from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "palsdesk.responses"
    verbose_name = "Final responses"
