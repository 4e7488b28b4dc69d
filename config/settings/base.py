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
]
LOCAL_APPS = [
    "companies",
    "exhibitions",
    "matching",
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

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
# otherwise local memory, which is enough for one demo process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
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
# Fail in seconds, not forever, when Redis accepts connections but does not answer.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
    "visibility_timeout": 2 * 3600,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "requeue-unsent-notifications": {"task": "companies.requeue_unsent_notifications", "schedule": 300.0},
    # Meetings (exhibitions/meetings/tasks.py): expiry, reminders an hour before, outcome prompts after.
    "expire-meeting-requests": {"task": "exhibitions.expire_meeting_requests", "schedule": 300.0},
    "send-meeting-reminders": {"task": "exhibitions.send_meeting_reminders", "schedule": 300.0},
    "send-meeting-outcome-prompts": {"task": "exhibitions.send_meeting_outcome_prompts", "schedule": 900.0},
    # Matching (matching/tasks.py): a full run per open exhibition at night (UTC), and
    # re-queueing the chunks of workers that died.
    "matching-nightly": {"task": "matching.nightly", "schedule": crontab(hour=18, minute=30)},
    "matching-sweep-stale-runs": {"task": "matching.sweep_stale_runs", "schedule": 300.0},
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

# FAIRLINK
# Absolute address of the site, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The Site row (allauth's emails name it) follows SITE_URL after every migrate (companies/apps.py).
SITE_NAME = env("SITE_NAME", default="Fairlink")
# A refused CSRF check shows the site's own, translated page.
CSRF_FAILURE_VIEW = "companies.errors.csrf_failure"
# Logos: image files only, at most this many bytes.
COMPANY_LOGO_MAX_BYTES = 2 * 1024 * 1024
# Invitation emails a company may send per day (any signed-up person can create a company).
COMPANY_INVITATIONS_PER_DAY = env.int("COMPANY_INVITATIONS_PER_DAY", default=30)
# `manage.py seed_demo` creates a superuser and staff logins with a published password:
# allowed in development and tests, refused in production unless explicitly enabled.
FAIRLINK_DEMO_ALLOWED = env.bool("FAIRLINK_DEMO_ALLOWED", default=True)
# Meeting values are reported in USD; JPY estimates are converted at this fixed rate (JPY per USD),
# so that figures do not move with the market between a show and its report.
FAIRLINK_JPY_PER_USD = env.int("FAIRLINK_JPY_PER_USD", default=150)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
