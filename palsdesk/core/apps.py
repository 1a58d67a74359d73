"""App configuration for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "palsdesk.core"
    verbose_name = "Shared base models and types"
