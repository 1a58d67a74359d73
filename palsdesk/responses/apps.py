"""App configuration for responses."""

from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "palsdesk.responses"
    verbose_name = "Final responses"

    def ready(self):
        from palsdesk.cases.extensions import register_case_section, register_work_items
        from palsdesk.responses.selectors import case_section, work_items

        register_case_section(case_section)
        register_work_items(work_items)
