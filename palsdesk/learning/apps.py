"""App configuration for learning: it adds its section to the case page and its actions to "My work"."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "palsdesk.learning"
    verbose_name = "Action plans and learning"

    def ready(self):
        from palsdesk.cases import extensions
        from palsdesk.learning import selectors

        extensions.register_case_section(selectors.case_section)
        extensions.register_work_items(selectors.action_work_items)
