"""Settings shared by every environment.

Everything deploy-specific comes from the environment (https://12factor.net/config):
DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, EMAIL_URL.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# GENERAL
# https://docs.djangoproject.com/en/5.2/ref/settings/
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_ID = 1
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# I18N: the UI speaks English, Korean and Japanese; times are stored in UTC and shown in
# the exhibition's own time zone.
LANGUAGE_CODE = "en"
# Our date patterns per language (a day with its weekday), besides Django's: config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("en", "English"), ("ko", "한국어"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# DATABASE: unset DATABASE_URL means an embedded SQLite file, for trying Fairlink out.
# PostgreSQL is the production database and the one CI tests on.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writer waits for the lock instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# APPS: Django's, then third-party, then ours.
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "companies",
    "exhibitions",
    "matching",
    "companies.webhooks",  # its own app (label "webhooks"): endpoints, events, deliveries
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION: email is the login (companies.User); allauth does sign-up, verification,
# password reset and login rate limits.
# https://docs.allauth.org/en/latest/account/configuration.html
AUTH_USER_MODEL = "companies.User"
# Django's and allauth's backends, loading a signed-in person's membership and company with
# the user in one query (companies/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "companies.auth_backends.MembershipModelBackend",
    "companies.auth_backends.MembershipAuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "companies.adapters.AccountAdapter"
# Failed logins per IP and per account; needs a real (shared) cache, see CACHES.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "config.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# STATIC AND MEDIA: served by the app itself (whitenoise); no CDN, trade-hall Wi-Fi is poor.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields (not files) of one request: a bigger body is refused before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Any request body: refused from its Content-Length before it is read (config/middleware.py).
REQUEST_BODY_MAX_BYTES = 8 * 1024 * 1024
# No single form field longer than this (config/middleware.py); forms set tighter, named limits.
FORM_FIELD_MAX_CHARS = 20_000

# TEMPLATES
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "companies.context_processors.roles",
            ],
        },
    }
]

# CACHE: Redis when there is one (shared by every worker, as login rate limits need);
# otherwise local memory, which is enough for one demo process. CACHE_URL puts the cache on
# its own Redis (default: the broker's). A cache that fails or hangs is skipped for a few
# seconds and this process's memory stands in (config/cache.py): pages still answer.
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
REDIS_URL = env("REDIS_URL", default="")
CACHE_URL = env("CACHE_URL", default="") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# EMAIL: console by default; EMAIL_URL (smtp://user:pass@host:587) for real delivery.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Fairlink <noreply@fairlink.example>")

# CELERY: https://docs.celeryq.dev/en/stable/userguide/configuration.html
# No REDIS_URL: tasks run in-process, eagerly. With it: through Redis to `celery worker`.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # with a host, or kombu warns of a missing one
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A killed worker's task goes back to the queue (tasks are written to be idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing fails in under a second, never loops, when Redis is down or hung (SIGSTOP):
# a web request then leaves the task in the outbox (companies/outbox.py) and beat publishes
# it later. Workers still reconnect on their own (broker_connection_retry).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 0.5,
    "socket_connect_timeout": 0.5,
    "max_retries": 0,
    "visibility_timeout": 2 * 3600,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 0.5}
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # The outbox (companies/outbox.py): tasks that could not be published at commit.
    "publish-outbox": {"task": "companies.publish_outbox", "schedule": 15.0},
    "requeue-unsent-notifications": {"task": "companies.requeue_unsent_notifications", "schedule": 60.0},
    # Meetings (exhibitions/meetings/tasks.py): expiry, reminders an hour before, outcome prompts after.
    "expire-meeting-requests": {"task": "exhibitions.expire_meeting_requests", "schedule": 300.0},
    "send-meeting-reminders": {"task": "exhibitions.send_meeting_reminders", "schedule": 300.0},
    # The agenda of tomorrow, from 09:00 the day before in the exhibition's zone (once per person and day).
    "send-day-before-reminders": {"task": "exhibitions.send_day_before_reminders", "schedule": 900.0},
    "send-meeting-outcome-prompts": {"task": "exhibitions.send_meeting_outcome_prompts", "schedule": 900.0},
    # Conversations (exhibitions/conversations/tasks.py): one digest email per person with unread
    # messages, every 10 minutes (a reply within that time is read on the page, not mailed).
    "send-conversation-digests": {"task": "conversations.send_digests", "schedule": 600.0},
    # Matching (matching/tasks.py): a full run per open exhibition at night (UTC), and
    # re-queueing the chunks of workers that died.
    "matching-nightly": {"task": "matching.nightly", "schedule": crontab(hour=18, minute=30)},
    "matching-sweep-stale-runs": {"task": "matching.sweep_stale_runs", "schedule": 15.0},
    # Scheduler (exhibitions/scheduling/tasks.py): re-queue or fail runs whose task or worker was lost.
    "scheduling-sweep-stale-runs": {"task": "scheduling.sweep_stale_runs", "schedule": 60.0},
    # Webhooks (companies/webhooks/tasks.py): re-queue deliveries whose task or worker was lost.
    "webhooks-sweep": {"task": "webhooks.sweep", "schedule": 60.0},
}

# SECURITY (production tightens these further)
# Sessions stay server-side (logging out, a password change or staff deleting a session ends it
# at once, and the cookie holds nothing but a random key) but are read from the cache: no
# session query on a signed-in page. Only with Redis, shared by every worker: a per-process
# local-memory cache would let a worker go on trusting a session another worker ended.
# Not signed cookies: those cannot be revoked before they expire.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent on every response by config.middleware.SecurityHeadersMiddleware: the templates have
# no inline script or style attribute handlers, and everything is served from this origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Behind a reverse proxy, allauth must key login limits on the client, not the proxy:
# the number of proxies that append to X-Forwarded-For, or a header one proxy sets.
# https://docs.allauth.org/en/latest/common/configuration.html
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None)

# FAIRLINK
# Absolute address of the site, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The Site row (allauth's emails name it) follows SITE_URL after every migrate (companies/apps.py).
SITE_NAME = env("SITE_NAME", default="Fairlink")
# A refused CSRF check shows the site's own, translated page.
CSRF_FAILURE_VIEW = "companies.errors.csrf_failure"
# Logos: image files only, at most this many bytes.
COMPANY_LOGO_MAX_BYTES = 2 * 1024 * 1024
# ... and at most this many pixels once decoded (a small PNG can decode to gigabytes).
COMPANY_LOGO_MAX_PIXELS = 4096 * 4096
# Invitation emails a company may send per day (any signed-up person can create a company).
COMPANY_INVITATIONS_PER_DAY = env.int("COMPANY_INVITATIONS_PER_DAY", default=30)
# `manage.py seed_demo` creates a superuser and staff logins with a published password:
# allowed in development and tests, refused in production unless explicitly enabled.
FAIRLINK_DEMO_ALLOWED = env.bool("FAIRLINK_DEMO_ALLOWED", default=True)
# Minutes after a booked meeting's end without a "we met" from either side before staff see
# it as a no-show candidate (exhibitions/showfloor/selectors.py).
FAIRLINK_NO_SHOW_AFTER_MINUTES = env.int("FAIRLINK_NO_SHOW_AFTER_MINUTES", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# REST API (/api/v1/, config/api_urls.py): personal bearer tokens or the browser's session
# (with CSRF), JSON errors with a stable code (companies/api_auth.py), a rate per token.
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "companies.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["companies.api_auth.TokenScopeAllowsMethod"],
    "DEFAULT_THROTTLE_CLASSES": ["companies.api_auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE", default="600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "companies.api_auth.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The OpenAPI description (docs/api/openapi.yaml) and Swagger UI served from our static files.
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Fairlink API",
    "DESCRIPTION": "Exhibitions, the exhibitor directory, companies, HS codes; your meetings, wishes, suggestions and company; organisers' applications, booths, data, matcher and scheduler runs, report. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The JSON errors each operation may answer (companies/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "companies.api_schema.add_error_responses",
    ],
}
