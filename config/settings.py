"""PALS Desk settings, read from the environment only (every variable is listed in .env.example)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.env import ImproperEnvironment, env_bool, env_int, env_list, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(Path(env_str("PALSDESK_ENV_FILE") or BASE_DIR / ".env"))

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperEnvironment(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (see .env.example); "
            "`make run` writes a random one into .env for local use."
        )
    SECRET_KEY = "insecure-development-only-key-never-used-with-debug-off"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "palsdesk.accounts.admin_site.PalsDeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "palsdesk.core",
    "palsdesk.audit",
    "palsdesk.organisation",
    "palsdesk.accounts",
    "palsdesk.deadlines",
    "palsdesk.cases",
    "palsdesk.people",
    "palsdesk.grading",
    "palsdesk.coding",
    "palsdesk.correspondence",
    "palsdesk.responses",
    "palsdesk.meetings",
    "palsdesk.escalations",
    "palsdesk.learning",
    "palsdesk.reporting",
    "palsdesk.search",
    "palsdesk.api",
    "palsdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "palsdesk.audit.middleware.AuditChannelMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "palsdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "palsdesk.accounts.context_processors.navigation",
            ],
            "builtins": ["palsdesk.core.templatetags.nhsuk"],
        },
    }
]

# One setting chooses the database: SQLite needs no set-up; production and CI use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer rather than failing at once, and let readers run beside it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Widget templates (the NHS.UK date input) live with the project's other templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["palsdesk.accounts.backends.RolePermissionBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:my_work"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Deadlines are dates in Europe/London; datetimes are stored in UTC.
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "collected-static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "assets" / "static",
    BASE_DIR / "build" / "static",
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("PALSDESK_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# The largest file that may be attached to a case; correspondence.attachments refuses bigger ones with the reason.
PALSDESK_MAX_UPLOAD_BYTES = env_int("PALSDESK_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

# Sessions hold access to patient data: short-lived, and gone when the browser closes.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The directive only permits submission to the browsers' preload list; the domain's owner decides that.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend's Frutiger webfont; Arial is used where it cannot load.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "palsdesk.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: a form-encoded body would be half-read into misleading "required" errors.
    "DEFAULT_PARSER_CLASSES": ["palsdesk.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "palsdesk.api.pagination.CasePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "palsdesk.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PALS Desk API",
    "DESCRIPTION": "Casework for NHS patient services teams: PALS concerns, complaints, compliments, "
    "enquiries and MP letters. Authenticate with `Authorization: Token <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Email, for the deadline reminders (send_deadline_reminders). With DEBUG on, emails are printed to the
# console unless EMAIL_BACKEND says otherwise, so a local run never emails anyone by accident.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
# A mail server that stops answering must not hold the reminders (and their database transaction) for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", default=30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "PALS Desk <palsdesk@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who emails sent from a case come from (the complaints team's mailbox); the relay must allow this address.
PALSDESK_CORRESPONDENCE_FROM_EMAIL = env_str("PALSDESK_CORRESPONDENCE_FROM_EMAIL") or DEFAULT_FROM_EMAIL
# Where staff reach PALS Desk: links in emails are built on it.
PALSDESK_BASE_URL = (env_str("PALSDESK_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
if not PALSDESK_BASE_URL.startswith(("https://", "http://")):
    raise ImproperEnvironment(f"PALSDESK_BASE_URL must start with https:// or http://, not {PALSDESK_BASE_URL!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL") or "INFO"},
    # WeasyPrint logs each step of every PDF at INFO; only its warnings (a missing image or font) matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
