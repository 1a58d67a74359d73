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


# Browser tests: Playwright for Python drives Debian's Chromium (never a downloaded browser).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    import shutil

    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("PALSDESK_REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is not installed: apt-get install chromium (.ci/run does this).")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI requires it.")
    return {"executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last: their live server needs a committed database, which they empty afterwards.

    pytest-django already puts transactional tests last; Playwright's own ordering can undo that when
    another test's argument happens to be called `page`, so the order is settled here, after both.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
