"""The app's own settings for the benchmark's server, plus a header on each response with its queries and their time.

Used only by bench/scale.py (DJANGO_SETTINGS_MODULE=bench.settings): production never loads it, so the
header can never leak there. The server runs on plain HTTP on 127.0.0.1, so the HTTPS-only settings
are relaxed, and pages use the plain static storage (no `collectstatic` manifest).
"""

from config.settings import *  # noqa: F403 (the app's settings, changed only as said above)
from config.settings import ALLOWED_HOSTS, MIDDLEWARE, STORAGES

MIDDLEWARE = ["bench.middleware.QueryCountHeader", *MIDDLEWARE]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # the in-process client that records each page's SQL
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
