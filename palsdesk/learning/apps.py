"""App configuration for learning."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "palsdesk.learning"
    verbose_name = "Action plans and learning"
