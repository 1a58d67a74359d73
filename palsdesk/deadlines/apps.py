"""App configuration for deadlines."""

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "palsdesk.deadlines"
    verbose_name = "Deadlines"
