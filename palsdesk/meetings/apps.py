"""App configuration for meetings."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "palsdesk.meetings"
    verbose_name = "Resolution meetings"
