"""Settings for trying Fairlink out on one machine: debug on, SQLite unless DATABASE_URL."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Tasks run in-process without Redis; one INFO line per task would drown the demo's output.
if not REDIS_URL:  # noqa: F405
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
