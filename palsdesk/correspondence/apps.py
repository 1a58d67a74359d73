"""App configuration for correspondence: its section on the case page."""

from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "palsdesk.correspondence"
    verbose_name = "Correspondence"

    def ready(self):
        from palsdesk.cases.extensions import register_case_section
        from palsdesk.correspondence.views import correspondence_section

        register_case_section(correspondence_section)
