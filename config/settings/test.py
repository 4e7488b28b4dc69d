"""Settings for the test suite: fast hashing, local-memory mail and cache, eager Celery
(tests that prove the real worker path switch to Redis themselves)."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
# Webhook tests receive on a local http.server (production refuses local addresses).
WEBHOOKS_ALLOW_LOCAL = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The fault-injection suite (tests/faults) points its worker at a local SMTP server it runs.
if env("FAIRLINK_TEST_SMTP_PORT", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = "127.0.0.1", env.int("FAIRLINK_TEST_SMTP_PORT"), 2
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Eager by default; the real-worker test starts `celery worker` with CELERY_EAGER=false,
# and then broker and results go through REDIS_URL like in production.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
if CELERY_TASK_ALWAYS_EAGER or not REDIS_URL:  # noqa: F405
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
else:
    CELERY_BROKER_URL = REDIS_URL  # noqa: F405
    CELERY_RESULT_BACKEND = REDIS_URL  # noqa: F405
# Static files straight from the app folders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/fairlink-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions in the database whether or not REDIS_URL is set, so the query counts the tests
# assert are the same on SQLite and on PostgreSQL with Redis (production uses cached_db).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
