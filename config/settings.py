"""Kuzet settings: one module, everything read from the environment (django-environ).

With no DATABASE_URL the app runs on SQLite in the project folder; with no REDIS_URL Celery runs tasks
eagerly in-process. Secrets have no default once DEBUG is off: a production start without them fails.
Every secret may also be given as <NAME>_FILE (a path), for Docker/Kubernetes secrets.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.smart_cast = False
# A local, git-ignored .env (written by `make run` with DEBUG=1 for development) fills in what the real
# environment does not set; a variable set in the environment always wins. Production sets none of it here.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _secret(name: str, *, dev_default: str | None) -> str:
    """Read NAME or the file named by NAME_FILE; only a DEBUG run may fall back to a dev default."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG and dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set (or {name}_FILE) when DEBUG is off.")


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret("SECRET_KEY", dev_default="dev-only-insecure-secret-key-do-not-use-in-production")
# Fernet keys (urlsafe base64, 32 bytes), comma-separated: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEY = _secret(
    "FIELD_ENCRYPTION_KEY", dev_default="ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDA="
)
# Fernet key(s), comma-separated, for `backup --encrypt` (the first encrypts, all are tried on restore).
# Optional: only encrypted backups need it, and the backup command refuses --encrypt without it.
BACKUP_ENCRYPTION_KEY = (
    _secret("BACKUP_ENCRYPTION_KEY", dev_default=None)
    if env.str("BACKUP_ENCRYPTION_KEY", default="") or env.str("BACKUP_ENCRYPTION_KEY_FILE", default="")
    else ""
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    # Two-factor authentication (core/two_factor.py): TOTP apps, and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Field-level history of case data (core/history.py).
    "simple_history",
    "core",
    "people",
    "events",
    "cases",
    "reports",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session middleware, renewing a signed-in session at most once a minute (idle expiry).
    "core.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed a second factor (django-otp) …
    "django_otp.middleware.OTPMiddleware",
    # … which, when REQUIRE_2FA is on, every signed-in page and session API request needs.
    "core.two_factor.TwoFactorMiddleware",
    # Where a request's writes come from (admin, page, API; path, user) for the field-level history.
    "core.history.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles a query whose estimated cost is high (the visibility subqueries make many
    # look so), and on the dashboard that compiling took 7 of a query's 7.6 s (bench/README.md, issue 9).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, an eager or threaded Celery worker and a management command read while
    # one writes; IMMEDIATE takes the write lock when a transaction starts, so a writer waits its turn
    # (up to `timeout` seconds) instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The tests' database is a file, not Django's shared-cache in-memory one: shared cache locks whole
    # tables and fails at once ("database table is locked") when the live server and a worker thread
    # write together, where a file database waits. One file per test run, removed when the run ends.
    _test_db = Path(tempfile.gettempdir()) / f"kuzet-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", default=str(_test_db))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 (memory-hard) hashes new and changed passwords; a PBKDF2 hash from before keeps working and is
# rehashed with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes' backend comes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
# Kuzet's strings first, then Kazakh for what Django's own kk catalogs leave untranslated (locale/django/).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
# Kazakh date and number formats (Django has none): config/formats/kk/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
# Kazakhstan moved to a single zone (UTC+5) in March 2024; Asia/Almaty carries that history.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded source files: checked by content against a short list of types (events.validators) and refused
# above this size. MEDIA_URL is never served: files go out only through events.views.SourceFileView.
SOURCE_UPLOAD_MAX_MB = env.int("SOURCE_UPLOAD_MAX_MB", default=100)
# Hashed, compressed static files need `collectstatic` first; tests and `runserver` use the plain storage.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Two-factor authentication (issue 7, item 3). With REQUIRE_2FA on, every signed-in user must enrol a TOTP app
# and enter a code (or a recovery code) after the password before any page or session API call answers; API
# keys are not affected. On by default in production, off with DEBUG (the demo users log in without a phone).
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kuzet")
# Each wrong code doubles the wait before the next one is checked (1 s, 2 s, 4 s …, per device); 0 would
# switch that off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin never shows a TOTP secret or a recovery code (an administrator resets, never reads them).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused for AXES_COOLOFF_MINUTES. Keyed on the pair, so someone who knows a monitor's username
# cannot lock the monitor out from everywhere (the price: each account gets its own 5 guesses per address).
# An administrator lifts a lockout early in the admin (Axes › Access attempts: delete the row).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failed-login records (attempts, failures, logins) hold addresses and usernames: pruned after this many days
# by the daily core.tasks.prune_login_records (and `manage.py prune_login_records`).
AXES_RETENTION_DAYS = env.int("AXES_RETENTION_DAYS", default=90)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies, how many: the lockout then keys on the client's address from X-Forwarded-For
# (core/client_ip.py), not on the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# Not its start-up banner on every management command (commands print one line of their own).
AXES_VERBOSE = False

# A session ends after SESSION_IDLE_MINUTES without a request and when the browser closes: a laptop left open
# or seized does not stay signed in. Requests renew it through core.sessions.IdleSessionMiddleware (at most
# one write a minute) rather than SESSION_SAVE_EVERY_REQUEST (a write on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# No script reads the token from the cookie (htmx and the browsable API take it from the page).
CSRF_COOKIE_HTTPONLY = True

# HTTPS only once DEBUG is off (`check --deploy` reports nothing). The tests run with DEBUG off over plain
# HTTP, so pytest-env sets SECURE_SSL_REDIRECT=0 (pyproject.toml).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading puts the whole domain into the browsers' built-in HTTPS-only lists, which takes months to undo
# and binds every other site under it; the organisation that owns the domain decides that, not this app.
# So it is off unless set, and `check --deploy`'s reminder about it (security.W021) is silenced below.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO makes Django trust that
# header's "https" (set it only when the proxy always overwrites the header).
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER"), "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp): everything from this origin, no inline scripts, no eval, no framing.
# Scripts live in static files (templates carry data in data-* attributes or json_script). Styles are
# 'self' only as well; the API reference (Redoc) adds what its CSS-in-JS needs on that one view.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery: the broker is switched on by REDIS_URL alone; without it tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Schedules live in the database (django-celery-beat) so an administrator changes them in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Throttling counts requests in the cache: Redis when REDIS_URL is set (shared by every gunicorn worker),
# else this process's memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.ApiAccess"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.RecordCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "core.renderers.FlatCsvRenderer",
        "core.renderers.XlsxRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kuzet partner API",
    "DESCRIPTION": (
        "Records of assemblies, detentions and prosecutions released to partner organisations. "
        "Authenticate with `Authorization: Bearer <key>`. Lists use cursor pagination; "
        "`/api/v1/changes/` is the delta feed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, where several fields share it or several sets share a field name.
    "ENUM_NAME_OVERRIDES": {
        "ConfidentialityEnum": "core.models.Confidentiality",
        "ReferenceConfidentialityEnum": ["public"],
        "DatePrecisionEnum": "core.dates.DatePrecision",
        "DateCertaintyEnum": "core.dates.DateCertainty",
        "AssemblyKindEnum": "events.models.AssemblyKind",
        "AssemblyOutcomeEnum": "events.models.AssemblyOutcome",
        "DetentionOutcomeEnum": "cases.choices.DetentionOutcome",
        "CaseKindEnum": "cases.choices.CaseKind",
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "ChargeStatusEnum": "cases.choices.ChargeStatus",
        "SentenceKindEnum": "cases.choices.SentenceKind",
        "SentenceStatusEnum": "cases.choices.SentenceStatus",
        # A sentence's `appeal_outcome` (where its appeals stand) and an appeal's `outcome` (its decision).
        "SentenceAppealOutcomeEnum": "cases.choices.AppealOutcome",
        "AppealDecisionEnum": "cases.choices.AppealDecision",
        "AppealInstanceEnum": "cases.choices.AppealInstance",
        "AppealFiledByEnum": "cases.choices.AppealFiledBy",
        "HearingKindEnum": "cases.choices.HearingKind",
        "ChangeTypeEnum": "cases.api_feed.FEED_TYPES",
        "ChangeActionEnum": "cases.api_feed.ACTIONS",
    },
    # Adds the rate limit, pagination and error answers (401, 403, 404, 400, 429) to the document.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.postprocess_api_errors",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The dashboard's "Urgent" panel (issue 5, item 7): a detention whose whereabouts are unknown for longer, or a
# person held longer without a court decision (the default is the usual 48-hour limit before a court).
URGENT_WHEREABOUTS_HOURS = env.int("URGENT_WHEREABOUTS_HOURS", default=24)
URGENT_HELD_HOURS = env.int("URGENT_HELD_HOURS", default=48)
# Older detentions are stale data to clean up, not emergencies: left out of the panel and the alert mail (the
# panel says how many, with a link to them in the admin).
URGENT_LOOKBACK_DAYS = env.int("URGENT_LOOKBACK_DAYS", default=14)
# The dashboard's figures are cached until the next write (cases/dashboard_cache.py), at most this long;
# 0 turns the cache off (the tests do, except those of the cache).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Where the site is reached from outside: the absolute links in emails (the alert mail) start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Mail (urgent alerts, reports sent to bodies). EMAIL_URL such as smtp+tls://user:password@host:587;
# without it a development checkout prints mail to the console; production uses SMTP on localhost:25.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kuzet <kuzet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
