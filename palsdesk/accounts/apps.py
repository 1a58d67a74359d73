"""App configuration for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "palsdesk.accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from palsdesk.accounts import signals  # noqa: F401  (connects the sign-in audit receivers)
