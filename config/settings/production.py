"""Production settings: every secret comes from the environment, or start-up fails loudly.
https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
# Webhook endpoints: https on a public address only (companies/webhooks/transport.py; DEBUG
# and the tests also accept http://127.0.0.1).
WEBHOOKS_ALLOW_LOCAL = False
try:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        f"{exc}. Production needs DJANGO_SECRET_KEY (50+ random characters) and DJANGO_ALLOWED_HOSTS."
    ) from None
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
# Links in emails (invitations, notices): never the development default of 127.0.0.1.
SITE_URL = env("SITE_URL", default="") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS[0] else ""
)
if not SITE_URL:
    raise ImproperlyConfigured("Production needs SITE_URL (e.g. https://fairlink.example) for links in emails.")

# Tasks inside web requests and login limits kept per process are not a production setup.
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured(
        "Production needs REDIS_URL (e.g. redis://127.0.0.1:6379/0): the Celery broker, and the shared "
        "cache for login limits unless CACHE_URL names another Redis."
    )

# No demo logins with the published password on a real site (a demo server may opt in).
FAIRLINK_DEMO_ALLOWED = env.bool("FAIRLINK_DEMO_ALLOWED", default=False)

# HTTPS everywhere, behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Hashed, compressed static files served by whitenoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
