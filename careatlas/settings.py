"""Django settings, read from the environment; secure unless told otherwise.

CAREATLAS_ENV picks the profile: "production" (the default, strict), "development"
(what `make run` uses) or "test" (what pytest uses).
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from careatlas.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = env_str("CAREATLAS_ENV", "production")
if ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"CAREATLAS_ENV must be production, development or test, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", ENVIRONMENT == "development")
SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    # Django's deploy check only warns about a weak key; a forgeable session or CSRF token
    # is not something to warn about, so production refuses to start with one.
    if (
        len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
        or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: use at least {SECRET_KEY_MIN_LENGTH} "
            f"random characters (at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones), "
            'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
elif not SECRET_KEY:
    SECRET_KEY = f"insecure-{ENVIRONMENT}-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "CareAtlas")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    # Before allauth: our templates (restyled sign-in, two-factor pages) override its own.
    "careatlas.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "careatlas.core",
    "careatlas.procedures",
    "careatlas.search",
    "careatlas.providers",
    "careatlas.imports",
    "careatlas.api",
    "careatlas.fhir",
    "careatlas.practices",
    "careatlas.consultations",
    "careatlas.reviews",
    "careatlas.demo",
]

MIDDLEWARE = [
    # First: it gives the request its id (the proxy's X-Request-ID) and counts and times
    # every answer, replayed pages and refusals included (core/telemetry.py).
    "careatlas.core.telemetry.RequestTelemetryMiddleware",
    # Where this request reads (replica or primary), before anything reads; a no-op without
    # DATABASE_REPLICA_URL (core/routing.py).
    "careatlas.core.routing.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Replays a public page's whole answer (headers set below included) to an anonymous
    # visitor; it parses no input and keeps only answers that passed the bounds (ADR 0012).
    "careatlas.core.caching.SharedPageMiddleware",
    # It compresses the final bytes, CSRF cookie already decided.
    "careatlas.core.compression.CompressionMiddleware",
    # Every answer's security headers, refusals from the bounds below included.
    "careatlas.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the request's input: hostile sizes and NUL bytes stop here.
    "careatlas.core.bounds.RequestBoundsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The URL alone decides the language (unprefixed is LANGUAGE_CODE, never Accept-Language:
    # i18n_patterns with prefix_default_language=False), so no redirect and no guessing.
    "django.middleware.locale.LocaleMiddleware",
    # A page offering another language (core/languages.py) is revalidated, per cookie.
    "careatlas.core.middleware.LanguageOfferHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "careatlas.core.signin.IdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a staff member without a verified second factor is told why.
    "careatlas.accounts.access.AdminRequiresMFAMiddleware",
    "careatlas.core.deadlines.StatementTimeoutMiddleware",
]

ROOT_URLCONF = "careatlas.urls"
WSGI_APPLICATION = "careatlas.wsgi.application"

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
                "careatlas.core.context_processors.site",
            ],
        },
    },
]

# Database: whatever DATABASE_URL names (postgres://... at scale), else an embedded SQLite
# file. Every SQLite database, however it is named, is tuned for concurrent readers (WAL) and
# writers that queue instead of failing (IMMEDIATE transactions plus a busy timeout): without
# them, 200 concurrent writes through `DATABASE_URL=sqlite:///...` lost 54 rows to
# "database is locked" on two workers.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 10),
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA cache_size=-64000;"
        "PRAGMA mmap_size=268435456;"
        "PRAGMA temp_store=MEMORY;"
    ),
}
# Keep each worker's connection: opening one costs more than a cached page.
CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 600)
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "careatlas.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
        }
    }
# A streaming replica of the primary takes the reads of GET requests (core/routing.py);
# without it nothing changes. A visitor who has just written reads the primary for
# READ_YOUR_WRITES_SECONDS; a replica that is down, or further behind than
# REPLICA_MAX_LAG_SECONDS (checked every REPLICA_CHECK_SECONDS per process), is not used.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 15)
REPLICA_MAX_LAG_SECONDS = float(env_str("REPLICA_MAX_LAG_SECONDS", "5") or 5)
REPLICA_CHECK_SECONDS = float(env_str("REPLICA_CHECK_SECONDS", "2") or 2)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASE_ROUTERS = ["careatlas.core.routing.PrimaryReplicaRouter"]
elif ENVIRONMENT == "test":
    # Tests switch the router on (DATABASE_ROUTERS) against this stand-in for a replica.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
if "replica" in DATABASES:
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # Only GET requests read it (commands use the primary): give it their time budget,
        # and never wait long for a replica that has gone.
        DATABASES["replica"]["OPTIONS"] = {
            **DATABASES["replica"].get("OPTIONS", {}),
            "connect_timeout": env_int("REPLICA_CONNECT_TIMEOUT_SECONDS", 2),
        }
DATABASES["default"].setdefault("TEST", {})
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = env_str("TEST_DATABASE_NAME")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SQLITE_PATH = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **SQLITE_OPTIONS}
    if str(SQLITE_PATH) != ":memory:":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Limits every request's input meets before a view runs (core/bounds.py).
MAX_QUERY_STRING_BYTES = env_int("MAX_QUERY_STRING_BYTES", 4096)
MAX_PARAMETER_CHARS = env_int("MAX_PARAMETER_CHARS", 1000)
# A posted form field (e.g. a consultation request's 2,000-character message).
MAX_FORM_FIELD_CHARS = env_int("MAX_FORM_FIELD_CHARS", 4000)
MAX_PARAMETER_REPEATS = env_int("MAX_PARAMETER_REPEATS", 20)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200  # Django answers 400 past this many fields
# A POST body larger than this is refused (413) before it is parsed: two claim documents at
# their limit and the form around them.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 12 * 1024 * 1024)
# A time budget for each request's database work (core/deadlines.py); 0 turns it off.
# Management commands (imports, backups) have none. The test profile allows more, so a
# loaded CI machine never turns a slow test into a 503.
REQUEST_STATEMENT_TIMEOUT_MS = env_int(
    "REQUEST_STATEMENT_TIMEOUT_MS", 20000 if ENVIRONMENT == "test" else 2000
)
ADMIN_STATEMENT_TIMEOUT_MS = env_int("ADMIN_STATEMENT_TIMEOUT_MS", 30000)
# The replica serves only GET requests (never the admin or commands), so its connections
# carry the request budget from the start: no round trip per request to set it.
if (
    DATABASE_REPLICA_URL
    and DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql"
    and REQUEST_STATEMENT_TIMEOUT_MS
):
    DATABASES["replica"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={REQUEST_STATEMENT_TIMEOUT_MS}"
    )

# One shared cache for all app servers when REDIS_URL is set; otherwise a
# per-process memory cache (kept pages are checked against content versions kept in
# the database, core/page_tags.py, so stale entries are never served either way).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "careatlas",
            # A Redis that stops answering costs each request at most these seconds, then
            # the page is rendered without the cache (IGNORE_EXCEPTIONS); /readyz says so.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env_int("REDIS_TIMEOUT_SECONDS", 2),
                "SOCKET_TIMEOUT": env_int("REDIS_TIMEOUT_SECONDS", 2),
            },
        }
    }
    # Sessions are read from Redis and written through to the database: every app server
    # sees a sign-in at once, and a replica that lags never serves an old session.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "careatlas",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Where rate-limit counts live: they must be shared by every worker process.
# The test profile counts in the cache: browser tests share an in-memory SQLite database
# between the live server's thread and the test's, whose table locks a second writer cannot
# wait on. tests/test_ratelimit_shared.py runs worker processes on the database store.
RATE_LIMIT_STORE = env_str(
    "RATE_LIMIT_STORE", "cache" if REDIS_URL or ENVIRONMENT == "test" else "database"
)
if RATE_LIMIT_STORE not in {"cache", "database"}:
    raise ImproperlyConfigured(
        f"RATE_LIMIT_STORE must be cache or database, not {RATE_LIMIT_STORE!r}"
    )
# Search pages (content and providers) and autocomplete, per client address per minute.
SEARCH_RATE_LIMIT_PER_MINUTE = env_int("SEARCH_RATE_LIMIT_PER_MINUTE", 300)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# How long one process may reuse the content version before re-reading it (see SiteVersion).
SITE_VERSION_TTL_SECONDS = float(
    env_str("SITE_VERSION_TTL_SECONDS", "0" if ENVIRONMENT == "test" else "1")
)
BROWSER_CACHE_SECONDS = env_int("BROWSER_CACHE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own number formats over Django's per language: Spanish as written in the US (1,234.50).
FORMAT_MODULE_PATH = ["careatlas.core.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# npm packages (`make install`) served from our own origin: no CDN, no third-party requests.
LEAFLET_DIST = BASE_DIR / "node_modules" / "leaflet" / "dist"
STATICFILES_DIRS = [("vendor/leaflet", LEAFLET_DIST)] if LEAFLET_DIST.is_dir() else []
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder on every start

# Provider directory: a verified fact's badge turns to "May be out of date" after this age.
VERIFICATION_STALE_DAYS = env_int("VERIFICATION_STALE_DAYS", 180)
# A claimed practice confirms its facts again this often (CMS asks plans for 90 days).
PRACTICE_CONFIRMATION_DAYS = env_int("PRACTICE_CONFIRMATION_DAYS", 90)
# An overdue practice's owners are emailed again at most this often
# (`manage.py send_confirmation_reminders`, daily from cron, or its task).
PRACTICE_REMINDER_EVERY_DAYS = env_int("PRACTICE_REMINDER_EVERY_DAYS", 14)
# Practice photo uploads: bytes accepted, and the longest side once resized.
PRACTICE_PHOTO_MAX_BYTES = env_int("PRACTICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
PRACTICE_PHOTO_SIZE = env_int("PRACTICE_PHOTO_SIZE", 480)
# How long the site-wide accuracy figures are cached (seconds).
ACCURACY_CACHE_SECONDS = env_int("ACCURACY_CACHE_SECONDS", 3600)
PROVIDER_REPORTS_PER_HOUR = env_int("PROVIDER_REPORTS_PER_HOUR", 5)

# JSON API (/api/v1/): requests per client IP per minute, counted in the shared cache
# (0 turns the limit off, e.g. behind a gateway that limits), and browsers' max-age.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
# How many reverse proxies in front of the app append to X-Forwarded-For; rate limits count
# the address the outermost trusted one saw. 0 (default): use the socket's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Who may read /metrics (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"), as
# TRUSTED_PROXY_COUNT decides the client's address; everyone else gets a 404. None by default.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", [])
for _address in METRICS_ALLOWED_ADDRESSES:
    try:
        ipaddress.ip_network(_address, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_ADDRESSES: {_address!r} is not an address or network"
        ) from None
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60)
# Comma-separated Fernet keys, newest first, for patient-supplied details at rest. Unset: a
# key derived from SECRET_KEY (keep old keys in SECRET_KEY_FALLBACKS when rotating it).
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")

# Claiming a profile (careatlas/practices, ADR 0014). The phone code sender is picked like
# EMAIL_BACKEND: a dotted path. Production has none unless one is configured (the phone method
# is then hidden), and refuses the console sender, which would write codes into the logs.
_PHONE_SENDERS = "careatlas.practices.senders."
PHONE_CODE_SENDER = env_str(
    "PHONE_CODE_SENDER",
    _PHONE_SENDERS
    + {"production": "DisabledSender", "development": "ConsoleSender", "test": "LocmemSender"}[
        ENVIRONMENT
    ],
)
if (
    PRODUCTION
    and PHONE_CODE_SENDER == _PHONE_SENDERS + "ConsoleSender"
    and not env_bool("PHONE_CODE_CONSOLE_IN_PRODUCTION", False)
):
    raise ImproperlyConfigured(
        "PHONE_CODE_SENDER is the console sender, which prints claim codes to the logs. "
        "Configure a real sender, or set PHONE_CODE_CONSOLE_IN_PRODUCTION=true on a staging site."
    )
CLAIM_CODE_MINUTES = env_int("CLAIM_CODE_MINUTES", 10)
CLAIM_CODE_TRIES = env_int("CLAIM_CODE_TRIES", 5)
CLAIM_LINK_MINUTES = env_int("CLAIM_LINK_MINUTES", 60)
# Claim attempts (codes and links sent, wrong codes, uploads) per hour, counted per account,
# per NPI and per client address.
CLAIM_ATTEMPTS_PER_ACCOUNT = env_int("CLAIM_ATTEMPTS_PER_ACCOUNT", 10)
CLAIM_ATTEMPTS_PER_NPI = env_int("CLAIM_ATTEMPTS_PER_NPI", 10)
CLAIM_ATTEMPTS_PER_IP = env_int("CLAIM_ATTEMPTS_PER_IP", 30)
CLAIM_DOCUMENT_MAX_BYTES = env_int("CLAIM_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
STAFF_INVITATION_DAYS = env_int("STAFF_INVITATION_DAYS", 7)
# Consultation requests: the practice's response-time target (business days), how long a
# closed or declined request is kept, and the form's abuse limits.
CONSULTATION_RESPONSE_BUSINESS_DAYS = env_int("CONSULTATION_RESPONSE_BUSINESS_DAYS", 2)
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 180)
CONSULTATION_POSTS_PER_IP_HOUR = env_int("CONSULTATION_POSTS_PER_IP_HOUR", 20)
CONSULTATION_REQUESTS_PER_CONTACT_DAY = env_int("CONSULTATION_REQUESTS_PER_CONTACT_DAY", 3)
CONSULTATION_MIN_FILL_SECONDS = env_int("CONSULTATION_MIN_FILL_SECONDS", 4)
# Patient reviews (ADR 0017): the hold before a clean review is published, the form's and
# the report button's limits, and what counts as a burst from one browser.
REVIEW_HOLD_HOURS = env_int("REVIEW_HOLD_HOURS", 24)
REVIEW_POSTS_PER_IP_HOUR = env_int("REVIEW_POSTS_PER_IP_HOUR", 20)
REVIEW_REPORTS_PER_DAY = env_int("REVIEW_REPORTS_PER_DAY", 5)
REVIEW_BURST_COUNT = env_int("REVIEW_BURST_COUNT", 3)
REVIEW_BURST_HOURS = env_int("REVIEW_BURST_HOURS", 24)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CareAtlas <no-reply@careatlas.example>")

CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "content")))
# Editors are told a guide needs a fresh review this long after its last one.
REVIEW_INTERVAL_DAYS = env_int("REVIEW_INTERVAL_DAYS", 365)

# Map tiles for the provider search map ("" turns the map off; the list never needs it).
# The Content-Security-Policy below allows images from this origin and no other.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>',
)
_tiles = urlsplit(MAP_TILE_URL or "")
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}" if _tiles.netloc else ""

# Security headers. HTTPS-only behaviour is on in production; the dev server is HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^(healthz|livez|readyz|metrics)$"]
if env_bool("BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in: failures are counted per account and per client address, and a throttled attempt
# is refused before its password is hashed (60 wrong admin passwords in a row were accepted
# for checking, and 8 guessers cut the cached guide page from 1,400 to 11 requests/s).
# The throttled backend comes first: it refuses a throttled attempt before either backend
# hashes a password; allauth's backend then checks email and password (docs/adr/0013).
AUTHENTICATION_BACKENDS = [
    "careatlas.core.signin.ThrottledModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 5)
SIGNIN_FAILURES_PER_IP = env_int("SIGNIN_FAILURES_PER_IP", 20)
SIGNIN_WINDOW_SECONDS = env_int("SIGNIN_WINDOW_SECONDS", 900)
# Every signed-in account (staff, providers, office staff) is signed out after this long
# without a request; 0 turns it off. STAFF_IDLE_TIMEOUT_SECONDS is its older name.
SESSION_IDLE_TIMEOUT_SECONDS = env_int(
    "SESSION_IDLE_TIMEOUT_SECONDS", env_int("STAFF_IDLE_TIMEOUT_SECONDS", 1800)
)

# Accounts (django-allauth): email is the login, confirmed before first sign-in; MFA by
# authenticator app (TOTP), passkey (WebAuthn) or recovery code. docs/adr/0013.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"  # Django's User keeps one; allauth fills it
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner's GET must not confirm an address
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False  # sessions end with the browser, or sooner when idle
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed" and the like
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "careatlas.accounts.adapter.AccountAdapter"
# allauth's own limits, counted in the cache, on top of the project's throttle above (which
# counts in RATE_LIMIT_STORE and refuses before hashing): a burst per address, a slower
# rate per email address typed.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Also counts wrong second-factor codes, per account.
    "login_failed": f"{SIGNIN_FAILURES_PER_IP}/{SIGNIN_WINDOW_SECONDS}s/ip,"
    f"{SIGNIN_FAILURES_PER_ACCOUNT}/{SIGNIN_WINDOW_SECONDS}s/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# One 30-second step either side: phone clocks drift. A code is still accepted only once.
MFA_TOTP_TOLERANCE = env_int("MFA_TOTP_TOLERANCE", 1)
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor here, not a password
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = ENVIRONMENT != "production"  # http://127.0.0.1 in dev
MFA_RECOVERY_CODE_COUNT = 10

# Email goes out through a background task (careatlas/accounts/emails.py): the console in
# development, SMTP in production, an in-memory outbox in tests.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    {
        "production": "django.core.mail.backends.smtp.EmailBackend",
        "development": "django.core.mail.backends.console.EmailBackend",
        "test": "django.core.mail.backends.locmem.EmailBackend",
    }[ENVIRONMENT],
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if PRODUCTION else 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# Background tasks: rows in the database, run by `manage.py db_worker` (`make run` starts
# one). Tests run each task as it is enqueued.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if ENVIRONMENT == "test"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Content-Security-Policy: our own origin only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# One JSON object per line on stderr, each with the request's id (core/logs.py); "plain"
# reads better on a developer's terminal. A line per request comes from careatlas.request
# (LOG_REQUESTS=false silences it where the proxy's access log is enough).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if ENVIRONMENT == "development" else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "careatlas.core.logs.JsonFormatter"},
    },
    "filters": {"link_tokens": {"()": "careatlas.core.logs.RedactLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG it logs every missing template variable with the whole context: a new
        # account's email address and its confirmation key, a status link's token.
        "django.template": {"level": "INFO"},
        "careatlas.request": {
            "level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING",
        },
    },
}

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
