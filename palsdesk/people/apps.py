"""App configuration for people."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "palsdesk.people"
    verbose_name = "People"
