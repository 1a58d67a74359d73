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


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Letters, attachments and evidence a test stores go to a folder of its own, never the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup):
    """What the migrations seeded (bank holidays, the grading matrix, the KO41a lists), as Django serialized it."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(scope="session")
def playwright(_migrated_data, playwright):
    """Playwright, with Django's serialized rollback still restoring the migrated data in browser tests.

    Between its sync calls Playwright marks its event loop as running in the test's thread, so asgiref
    hands Django a second connection there (a running loop makes thread-critical locals context-local).
    That connection reaches the same test database but lacks the serialized contents, so every browser
    test after the first would start without the migrated data. It is given them here.
    """
    from django.db import connections

    if _migrated_data is not None:
        connections["default"]._test_serialized_contents = _migrated_data
    return playwright


@pytest.fixture
def page(page):
    """A browser page that keeps the errors it meets in `page.browser_errors`; tests assert it stays empty.

    The NHS.UK webfont comes from assets.nhs.uk, which these machines cannot reach; Arial stands in.
    A request the browser abandons (a favicon when the page moves on) is not an error.
    """
    import re

    page.route(re.compile(r"^https://assets\.nhs\.uk/.*"), lambda route: route.abort())
    page.browser_errors = []
    page.on("pageerror", lambda error: page.browser_errors.append(str(error)))
    # Resource failures are checked by URL below, so the aborted webfont does not count as an error.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.browser_errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and page.browser_errors.append(f"{response.status} {response.url}"),
    )
    page.on(
        "requestfailed",
        lambda request: (
            "assets.nhs.uk" not in request.url
            and request.failure != "net::ERR_ABORTED"
            and page.browser_errors.append(f"failed {request.url}: {request.failure}")
        ),
    )
    return page
