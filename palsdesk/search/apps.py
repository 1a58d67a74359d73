"""App configuration for search: keeps each case's search document in step with what it is built from."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "palsdesk.search"
    verbose_name = "Search"

    def ready(self):
        from palsdesk.search import signals

        signals.connect()
