"""App configuration for demo."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "palsdesk.demo"
    verbose_name = "Demo data"
