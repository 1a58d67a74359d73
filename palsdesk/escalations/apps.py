"""App configuration for escalations."""

from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "palsdesk.escalations"
    verbose_name = "Ombudsman, CQC and joint complaints"

    def ready(self):
        # The case page shows this work, and "My work" its deadlines, without cases importing this app.
        from palsdesk.cases import extensions
        from palsdesk.escalations import selectors, views

        extensions.register_case_section(views.case_section)
        extensions.register_work_items(selectors.work_items)
