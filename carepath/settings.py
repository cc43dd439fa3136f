"""Django settings for Carepath.

Everything that differs between a laptop demo and a real deployment comes from
environment variables (documented in the README). Domain thresholds, caseloads and
deadlines do NOT live here: they are the partnership's configuration, editable in the
browser (see ``carepath.configuration``).
"""

import json
import os
import re
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

REPO_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


def _env_rate(name: str, default: str) -> str:
    """A rate limit such as "20/h": requests per second (s), minute (m), hour (h) or day (d),
    optionally per several of them ("100/10m")."""
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]", raw):
        raise ImproperlyConfigured(f"{name} must be a number of requests per period, like 20/h or 100/10m; got {raw!r}")
    return raw


DEBUG = _env_bool("CAREPATH_DEBUG")
# Demo mode shows the "Demo – synthetic data" banner and lets the demo accounts skip
# the second factor. It must never be switched on where real records are held.
DEMO_MODE = _env_bool("CAREPATH_DEMO")
TESTING = _env_bool("CAREPATH_TESTING")
# Served over plain http on this machine (the demo, the tests, development): no HSTS, no
# redirect to https. Anywhere else Carepath must be reached over HTTPS only.
PLAIN_HTTP = DEBUG or DEMO_MODE or TESTING
# `carepath route` and `carepath plan` without --settings-from-db are dry runs on the
# defaults in configuration/definitions.py; carepath/cli.py sets this for them. They need
# no keys, and must reach no database: theirs is an empty one in memory, whatever
# DATABASE_URL says, so a server started with this set would hold nothing.
DRY_RUN = _env_bool("CAREPATH_DRY_RUN")
PLACEHOLDER_KEYS = DEBUG or DEMO_MODE or TESTING or DRY_RUN

SECRET_KEY = os.environ.get("CAREPATH_SECRET_KEY", "")
if not SECRET_KEY:
    if PLACEHOLDER_KEYS:
        # Bandit's B105 (a hard-coded password): only ever used in demo, debug, test and dry runs.
        SECRET_KEY = "insecure-key-for-demo-and-tests-only"  # nosec B105
    else:
        raise ImproperlyConfigured(
            "CAREPATH_SECRET_KEY is not set. Set it to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )

# The access log's hash chain is keyed with this (core/audit.py): someone who can write to
# the database but does not have the key cannot forge a row. Keep it outside the database
# and its backups, and never change it: the chain is verified with the key it was made with.
CAREPATH_AUDIT_KEY = os.environ.get("CAREPATH_AUDIT_KEY", "")
if not CAREPATH_AUDIT_KEY:
    if PLACEHOLDER_KEYS:
        CAREPATH_AUDIT_KEY = "insecure-audit-key-for-demo-and-tests-only"
    else:
        raise ImproperlyConfigured(
            "CAREPATH_AUDIT_KEY is not set. Set it to a long random string, kept apart from the "
            "database and its backups (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
# A burst of refused attempts to open records by one user raises an alert for administrators.
CAREPATH_REFUSAL_ALERT_COUNT = _env_int("CAREPATH_REFUSAL_ALERT_COUNT", 10)
CAREPATH_REFUSAL_ALERT_MINUTES = _env_int("CAREPATH_REFUSAL_ALERT_MINUTES", 10)
MAKE_A_FIELD_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
# Keys that encrypt safe-contact details, addresses, narratives and TOTP secrets in the
# database (carepath/core/encryption.py): Fernet keys, newest first. The first encrypts;
# any of them decrypts, until `carepath rotate-keys` has moved everything to the first.
# Never derived from SECRET_KEY, which is rotated on its own schedule.
FERNET_KEYS = [k.strip() for k in os.environ.get("CAREPATH_FIELD_ENCRYPTION_KEYS", "").split(",") if k.strip()]
if not FERNET_KEYS:
    if PLACEHOLDER_KEYS:
        FERNET_KEYS = ["ZGVtby1hbmQtdGVzdHMtb25seS1ub3QtYS1zZWNyZXQ="]  # "demo-and-tests-only-not-a-secret"
    else:
        raise ImproperlyConfigured(
            "CAREPATH_FIELD_ENCRYPTION_KEYS is not set. Set it to a Fernet key, kept apart from the "
            f"database and its backups (make one with: {MAKE_A_FIELD_KEY})."
        )
for _number, _key in enumerate(FERNET_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            f"CAREPATH_FIELD_ENCRYPTION_KEYS: key {_number} of {len(FERNET_KEYS)} is not a Fernet key "
            f"(32 bytes in URL-safe base64). Make one with: {MAKE_A_FIELD_KEY}"
        ) from None
# The keys are used as they are (django-fernet-fields-v2 would otherwise stretch them with HKDF).
FERNET_USE_HKDF = False

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("CAREPATH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CAREPATH_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    # Its TOTP code checks the codes; the devices are core's own, their secrets encrypted.
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "carepath.core",
    "carepath.configuration",
    "carepath.people",
    "carepath.events",
    "carepath.referrals",
    "carepath.risk",
    "carepath.triage",
    "carepath.api",
    "carepath.accommodation",
    "carepath.marac",
    "carepath.casework",
    "carepath.synth",
    "carepath.planning",
    "carepath.security",
    "carepath.directory",
    "carepath.training",
    "carepath.perpetrators",
    "carepath.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files are answered here, so they keep their caching headers; every response
    # below (pages, API, downloads) is marked no-store.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carepath.security.middleware.NoStoreMiddleware",
    "carepath.api.middleware.ApiRateLimitMiddleware",  # before any session or token is looked up
    "carepath.api.middleware.ApiJsonBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carepath.core.middleware.UrlLanguageMiddleware",  # before anything resolves an address
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "carepath.security.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carepath.core.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carepath.urls"
WSGI_APPLICATION = "carepath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carepath.core.context_processors.carepath",
            ],
        },
    },
]

DEFAULT_SQLITE = REPO_DIR / "var" / "carepath.sqlite3"
_database_url = "sqlite://:memory:" if DRY_RUN else os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
if _database_url == f"sqlite:///{DEFAULT_SQLITE}":
    DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=_env_int("CAREPATH_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A rollback journal, not WAL: an import is one transaction per file (all or nothing),
    # and a WAL grows with the transaction and slows it down (a national year of police
    # incidents fell from ~880 to ~350 rows a second). A busy timeout instead of "database
    # is locked". IMMEDIATE: a transaction takes the write lock when it starts, so two
    # writers never deadlock upgrading their locks, and bulk inserts can reserve ids
    # (core/bulk.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
# The largest police extract the police extract page takes (MB). A county's daily file is
# well under 1 MB; a larger historical load is for `carepath import-police-extract`.
POLICE_EXTRACT_UPLOAD_MAX_MB = _env_int("CAREPATH_POLICE_EXTRACT_UPLOAD_MAX_MB", 20)
# SQLite's page cache for one large import (MiB). A transaction whose changed pages
# outgrow the cache spills them to the file, syncing the journal each time.
CAREPATH_SQLITE_IMPORT_CACHE_MIB = _env_int("CAREPATH_SQLITE_IMPORT_CACHE_MIB", 256)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions expire: the cookie's age is renewed on every request, so it lapses
# only after this many minutes without one.
SESSION_COOKIE_AGE = _env_int("CAREPATH_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# However active, a session ends this many hours after signing in (SessionLifetimeMiddleware).
SESSION_MAX_AGE = _env_int("CAREPATH_SESSION_MAX_HOURS", 10) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = _env_bool("CAREPATH_SECURE_COOKIES", default=not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_AGE = None  # ends with the browser session: less left behind on a shared computer
CSRF_FAILURE_VIEW = "carepath.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites are never told which Carepath page a user came from; our own pages still
# are, which Django's CSRF check needs over HTTPS.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy that terminates TLS, how many proxies stand in front of Carepath.
# Each must set X-Forwarded-Proto and append the address it saw to X-Forwarded-For; with
# 0 (the default) those headers are ignored, since any client could send them.
TRUSTED_PROXIES = _env_int("CAREPATH_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: plain http is redirected, and browsers are told (HSTS) never to try it again.
SECURE_SSL_REDIRECT = _env_bool("CAREPATH_SSL_REDIRECT", default=not PLAIN_HTTP)
SECURE_HSTS_SECONDS = _env_int("CAREPATH_HSTS_SECONDS", 0 if PLAIN_HTTP else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CAREPATH_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Only allows the partnership to submit its domain to browsers' preload list; nothing is sent anywhere.
SECURE_HSTS_PRELOAD = _env_bool("CAREPATH_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts and styles only from Carepath itself or
# with this response's nonce, nothing from another host, no plugins, no framing, forms
# post only to Carepath. Style attributes are allowed: the planner's charts are
# matplotlib's SVG, which colours each shape with one (they cannot run script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # the empty page icon (href="data:,"): browsers fetch nothing for it
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({} if PLAIN_HTTP else {"upgrade-insecure-requests": True}),
    },
}
# Browser features no Carepath page uses are switched off for every page (and any frame in it).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Rate limits (carepath.security.ratelimits), per client address and, for the API, per
# token. The counters live in the database, shared by every worker process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "carepath_rate_limits",  # created by the security app's migration
        # Counters of many addresses at once (a distributed flood) must not be culled early.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
RATE_LIMIT_PUBLIC_FORMS = _env_rate("CAREPATH_RATE_LIMIT_PUBLIC_FORMS", "20/h")
# The public directory's searches: a person narrowing a search makes tens, a scraper thousands.
RATE_LIMIT_PUBLIC_SEARCH = _env_rate("CAREPATH_RATE_LIMIT_PUBLIC_SEARCH", "300/h")
RATE_LIMIT_API_PER_ADDRESS = _env_rate("CAREPATH_RATE_LIMIT_API_PER_ADDRESS", "300/m")
RATE_LIMIT_API_PER_TOKEN = _env_rate("CAREPATH_RATE_LIMIT_API_PER_TOKEN", "120/m")

# Lockout after repeated failed logins (django-axes), per username and per address.

# Lockout after repeated failed logins (django-axes): per username at an address, and per
# address across all usernames (a higher limit, see carepath/core/lockout.py).
AXES_FAILURE_LIMIT = _env_int("CAREPATH_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("CAREPATH_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = _env_int("CAREPATH_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "carepath.core.lockout.UsernameAndAddressHandler"
# Axes keeps the submitted form of each failure; these are masked like the password. The
# password change and enrolment pages count their failures too (core/lockout.py).
AXES_SENSITIVE_PARAMETERS = ["old_password", "new_password1", "new_password2", "enrolment_code", "token"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Behind reverse proxies every request comes from a proxy's address, which would make the
# per-address limit one limit for everyone: count the client's (CAREPATH_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "carepath.security.network.client_address"

OTP_TOTP_ISSUER = os.environ.get("CAREPATH_OTP_ISSUER", "Carepath")
# Setting up an authenticator app needs a one-time enrolment code from an administrator:
# it expires after this many hours and is refused after this many wrong tries.
ENROLMENT_CODE_HOURS = _env_int("CAREPATH_ENROLMENT_CODE_HOURS", 72)
ENROLMENT_CODE_TRIES = _env_int("CAREPATH_ENROLMENT_CODE_TRIES", 3)
# The admin never shows an authenticator's secret (its key, QR code or setup page).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# GOV.UK Notify: texts and emails to victims from casework (carepath/casework/notify.py).
# With no key, a message is recorded "to send by hand" and nothing leaves Carepath. The
# templates are a JSON object of Notify template ids: by channel ("text", "email") and,
# to override one message kind, by "channel:kind" (e.g. "email:appointment_reminder").
NOTIFY_API_KEY = os.environ.get("CAREPATH_NOTIFY_API_KEY", "").strip()
NOTIFY_BASE_URL = os.environ.get("CAREPATH_NOTIFY_BASE_URL", "").strip() or "https://api.notifications.service.gov.uk"
NOTIFY_TIMEOUT_SECONDS = _env_int("CAREPATH_NOTIFY_TIMEOUT_SECONDS", 10)


def _env_json_strings(name: str) -> dict[str, str]:
    """A JSON object of strings to strings, or an empty one when the variable is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f'{name} must be a JSON object, like {{"text": "<template id>"}}') from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ImproperlyConfigured(f"{name} must be a JSON object of names to template ids (strings)")
    return value


NOTIFY_TEMPLATES = _env_json_strings("CAREPATH_NOTIFY_TEMPLATES")

LANGUAGE_CODE = "en-gb"
# The public help pages are in English and Welsh (Welsh at /cy/help/...); staff pages are in
# English. Each name is in its own language: it labels the link to that language. Adding a
# language: README "Adding a language".
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("CAREPATH_STATIC_ROOT", REPO_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
GOVUK_FRONTEND_DIR = Path(
    os.environ.get("CAREPATH_GOVUK_FRONTEND_DIR", REPO_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk")
)
STATICFILES_DIRS = [("govuk", GOVUK_FRONTEND_DIR)]
# govuk-frontend's compiled CSS asks for its fonts and images at /assets/...
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
# Without collectstatic (demo, tests) WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Application logs carry record ids, never names, dates of birth or addresses: the
# filter below drops request bodies and template context from error reports too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "carepath.core.logging.NoPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CAREPATH_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # splink reports every step of a linkage at INFO (counts and SQL, no personal data).
        "splink": {"level": "WARNING"},
        "py4j": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "carepath.core.logging.PersonalDataExceptionReporterFilter"
