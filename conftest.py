"""Settings for the whole test run: plain static files and a fast password hasher."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's live server is safe with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Tests render templates without `collectstatic`, so no manifest of hashed names exists.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test builds the working-day calendar from its own database state."""
    from palsdesk.deadlines.selectors import forget_calendar

    forget_calendar()
    yield
    forget_calendar()
