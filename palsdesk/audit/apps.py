"""App configuration for audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "palsdesk.audit"
    verbose_name = "Audit trail"
