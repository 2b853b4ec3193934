"""Kuzet settings: one module, everything read from the environment (django-environ).

With no DATABASE_URL the app runs on SQLite in the project folder; with no REDIS_URL Celery runs tasks
eagerly in-process. Secrets have no default once DEBUG is off: a production start without them fails.
Every secret may also be given as <NAME>_FILE (a path), for Docker/Kubernetes secrets.
"""

from pathlib import Path

import environ
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

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
