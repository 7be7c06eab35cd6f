"""Django settings, all from environment variables (documented in .env.example).

One settings module for every environment: differences come from the environment, never from
files that exist only in production.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from monev.accounts.oidc_config import oidc_settings
from monev.lib import production
from monev.lib.environment import envbool, envint, envlist, envnetworks, envsecret
from monev.lib.logs import logging_config
from monev.lib.paths import data_dir
from monev.web.security import csp_directives

PACKAGE_DIR = Path(__file__).resolve().parent


DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """MONEV_SECRET_KEY, else a key made on first start and kept in the data directory:
    a one-server install works without configuration and no key is ever in the repository."""
    configured = envsecret("MONEV_SECRET_KEY")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written whole to a private temporary file, then linked into place: the first of
        # several processes starting together (migrate and collectstatic, say) wins, and no
        # process ever reads a half-written key.
        descriptor, temporary = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("MONEV_DEBUG", False)
ALLOWED_HOSTS = envlist("MONEV_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("MONEV_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Before any app with a `check` command: its `check` adds the integrity checks.
    "monev.operations",
    "monev.web",
    "monev.accounts",
    "monev.institutions",
    "monev.evaluations",
    "monev.audit",
    "monev.evidence",
    "monev.planning",
    "monev.instruments",
    "monev.monitoring",
    "monev.reports",
    "monev.imports",
    "monev.external",
    "monev.assignments",
    "monev.benchmarking",
    "monev.transition",
    "monev.demo",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Its Swagger UI assets (static/ninja/), served from here: /api/v1/docs works offline
    # and under the Content-Security-Policy instead of loading them from a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes before host checks, redirects and sessions.
    "monev.web.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after the security headers: no session or database work for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An id for every request (X-Request-ID), in its log lines and its response.
    "monev.lib.logs.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "monev.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Where links in exports point when MONEV_BASE_URL is unset (development).
    "monev.lib.public_url.PublicBaseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The dashboards read from the replica when one is configured (monev/lib/db_router.py).
    "monev.lib.db_router.ReplicaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "monev.web.security.SecurityHeadersMiddleware",
    "monev.web.errors.DomainErrorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "monev.urls"
WSGI_APPLICATION = "monev.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'monev.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=envint("MONEV_DB_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction instead of failing halfway with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
        # The test database is a file too, so that WAL and concurrent connections behave
        # in tests as they do in use; one per process, so that test runs do not collide.
        config["TEST"] = {"NAME": str(DATA_DIR / f"test-monev-{os.getpid()}.sqlite3")}
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        # One test database per process there too, so parallel test runs do not collide.
        config["TEST"] = {"NAME": f"test_{config['NAME']}_{os.getpid()}"}
    return config


DATABASES = {"default": _database()}
# Optional read replica for the monitoring dashboards (docs/deploy.md: read-your-writes).
_replica = production.replica_database(os.environ, DATABASES["default"], dj_database_url.parse)
if _replica:
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["monev.lib.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("MONEV_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("MONEV_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Dates in one style per language ("6 Agu 2025"), not Django's mix of "Juli", "Agu" and "Sep.".
FORMAT_MODULE_PATH = ["monev.formats"]

STATIC_URL = "/static/"
# Where `monev collectstatic` writes (a container keeps them in the image: MONEV_STATIC_ROOT).
STATIC_ROOT = Path(os.environ.get("MONEV_STATIC_ROOT") or DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Evidence on disk in DATA_DIR/files or in an S3-compatible bucket (MONEV_STORAGE=s3);
# static files hashed for far-future caching by WhiteNoise in production (monev/lib/production.py).
STORAGES = production.storages(os.environ, DATA_DIR, envsecret, debug=DEBUG)
WHITENOISE_USE_FINDERS = not production.static_manifest(os.environ, debug=DEBUG)

# Evidence uploads: streamed to disk beside the evidence files (so storing one is a rename),
# hashed on arrival, refused above the limit.
MONEV_UPLOAD_MAX_BYTES = envint("MONEV_UPLOAD_MAX_MB", 100) * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["monev.evidence.uploads.HashingUploadHandler"]
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "files" / "incoming"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o640
# The file types accepted as evidence, by content (see monev/evidence/sniff.py).
MONEV_EVIDENCE_KINDS = envlist(
    "MONEV_EVIDENCE_KINDS", ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg", "mp4"]
)

# Text extraction runs each file in a child process, stopped after this many seconds.
MONEV_EXTRACT_TIMEOUT_SECONDS = envint("MONEV_EXTRACT_TIMEOUT_SECONDS", 120)

# Scans (PDFs without text layer, PNG and JPEG images) are read by the Tesseract OCR engine when
# it is installed with its Indonesian data (docs/evidence.md); these limits bound one file.
MONEV_OCR = envbool("MONEV_OCR", True)
MONEV_OCR_MAX_PAGES = envint("MONEV_OCR_MAX_PAGES", 200)
MONEV_OCR_MAX_MEGAPIXELS = envint("MONEV_OCR_MAX_MEGAPIXELS", 40)
MONEV_OCR_PAGE_SECONDS = envint("MONEV_OCR_PAGE_SECONDS", 60)
MONEV_OCR_MEMORY_MB = envint("MONEV_OCR_MEMORY_MB", 2048)

# Background jobs (text extraction) are rows in the database; `monev worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MONEV_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in: password (throttled by django-axes, first) or the institution's OpenID Connect
# server (docs/sso.md). The SSO backend authenticates nobody unless MONEV_OIDC_* is set.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "monev.accounts.oidc.SsoBackend",
]
globals().update(oidc_settings(os.environ))

# Password sign-in lockout: after MONEV_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair waits MONEV_LOGIN_COOLOFF_MINUTES (counted from the last
# failure). By username and address together, so that nobody can lock a colleague out from
# elsewhere and one office behind a shared address is not locked out as a whole.
AXES_ENABLED = envbool("MONEV_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = envint("MONEV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("MONEV_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Against password spraying (one password tried on many usernames): after
# MONEV_LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords for any usernames from one address, that
# address waits too. Ten times the per-account limit, for the same shared office address: a
# few colleagues' typos lock nobody else (0 turns it off). monev/accounts/throttle.py.
MONEV_LOGIN_ADDRESS_FAILURE_LIMIT = envint("MONEV_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_HANDLER = "monev.accounts.throttle.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_WHITELIST_CALLABLE = "monev.accounts.throttle.is_not_password_sign_in"
AXES_CLIENT_IP_CALLABLE = "monev.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "monev.accounts.throttle.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every `monev` command
# Reverse proxies in front of the server, whose X-Forwarded-For gives the client's address.
MONEV_PROXY_COUNT = envint("MONEV_PROXY_COUNT", 0)
# Who sees /readyz's details (each check, queue depth, unapplied migrations): these addresses
# or networks only (the client's address as above); everyone else gets the status alone.
MONEV_READYZ_ALLOWED = envnetworks("MONEV_READYZ_ALLOWED", ["127.0.0.0/8", "::1"])

# Sessions last a working day from sign-in (MONEV_SESSION_HOURS), or until the browser closes.
SESSION_COOKIE_AGE = envint("MONEV_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("MONEV_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# Instrument files an evaluator adds, beside the built-in ones.
MONEV_INSTRUMENT_DIRS = [DATA_DIR / "instruments"]

# Every audit chain's head, kept outside the database by `monev audit anchor` and `monev
# backup`, so that deleting the newest events with their chain head is noticed (monev/audit/
# anchor.py, docs/backup.md). An absolute path; the cron jobs run in other folders.
MONEV_AUDIT_ANCHOR = Path(os.environ.get("MONEV_AUDIT_ANCHOR") or DATA_DIR / "audit-anchor.json")

# Security headers; HTTPS-only cookies when served over HTTPS (MONEV_HTTPS=true).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = envbool("MONEV_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("MONEV_SSL_REDIRECT", True)
# HSTS for a year once served over HTTPS (MONEV_HSTS_SECONDS=0 turns it off).
SECURE_HSTS_SECONDS = envint("MONEV_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Content-Security-Policy: own scripts and styles only (monev/web/security.py, docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": csp_directives(globals().get("OIDC_OP_AUTHORIZATION_ENDPOINT")),
}

# Human-readable lines, or one JSON object per line with MONEV_LOG_FORMAT=json (monev/lib/logs.py).
LOGGING = logging_config(
    os.environ.get("MONEV_LOG_FORMAT", "text"), os.environ.get("MONEV_LOG_LEVEL", "INFO")
)

# Email (reminders, digests). The console backend in debug (the demo prints its mail), SMTP
# otherwise; MONEV_EMAIL_BACKEND overrides both (e.g. the locmem backend in tests).
EMAIL_BACKEND = os.environ.get("MONEV_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("MONEV_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("MONEV_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("MONEV_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("MONEV_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = envbool("MONEV_EMAIL_TLS", False)
EMAIL_TIMEOUT = envint("MONEV_EMAIL_TIMEOUT_SECONDS", 30)
DEFAULT_FROM_EMAIL = os.environ.get("MONEV_EMAIL_FROM", "Monev SPBE <monev@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Absolute links in exports and email: the address people open the site at. Required in
# production; in development, unset, links use the address a page was asked at
# (monev/lib/public_url.py).
MONEV_BASE_URL = os.environ.get("MONEV_BASE_URL", "").rstrip("/")


def _lead_days() -> list[int]:
    """MONEV_REMINDER_LEAD_DAYS: the days before a due date on which a unit is reminded."""
    raw = envlist("MONEV_REMINDER_LEAD_DAYS", ["7", "3", "1"])
    try:
        days = sorted({int(day) for day in raw}, reverse=True)
    except ValueError:
        raise ImproperlyConfigured(
            f"MONEV_REMINDER_LEAD_DAYS must be whole numbers separated by commas, not {raw!r}"
        ) from None
    if any(day < 0 for day in days):
        raise ImproperlyConfigured("MONEV_REMINDER_LEAD_DAYS cannot be negative")
    return days


MONEV_REMINDER_LEAD_DAYS = _lead_days()


# Last: a production server (MONEV_DEBUG off) refuses to start unsafe or half-configured.
production.check_production(globals())
