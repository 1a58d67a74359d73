"""App configuration for coding."""

from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "palsdesk.coding"
    verbose_name = "Coding (KO41a and HCAT)"
