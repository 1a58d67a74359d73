"""App configuration for api."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "palsdesk.api"
    verbose_name = "REST API"
