"""App configuration for correspondence."""

from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "palsdesk.correspondence"
    verbose_name = "Correspondence"
