"""Settings come from the environment; production refuses to start half-configured.

Each case runs in a fresh interpreter, since settings are read once per process.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Cleared for each case; DJANGO_ALLOW_ASYNC_UNSAFE is set while browser tests run, and the
# deploy check rightly refuses it.
DEPLOY_VARS = (
    *("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "EMAIL_URL", "CELERY_EAGER"),
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from config.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "app_eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "language_cookie": [settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE],
}))
"""


def run(args, settings_module, **env_vars):
    env = {key: value for key, value in os.environ.items() if key not in DEPLOY_VARS}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **env_vars)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def settings_of(settings_module, **env_vars):
    result = run([sys.executable, "-c", PRINT_SETTINGS], settings_module, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_env(**overrides):
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "fairlink.example",
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    values.update(overrides)
    return values


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run([sys.executable, "-c", "import django; django.setup()"], "config.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr.splitlines()[-1]


def test_production_refuses_to_start_without_redis():
    env = production_env()
    del env["REDIS_URL"]
    result = run([sys.executable, "-c", "import django; django.setup()"], "config.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production needs REDIS_URL" in result.stderr.splitlines()[-1]


def test_cache_url_puts_the_cache_on_its_own_redis():
    values = settings_of("config.settings.production", CACHE_URL="redis://cache.example:6379/5", **production_env())
    assert values["cache"] == "config.cache.FailSoftRedisCache"
    assert values["cache_location"] == "redis://cache.example:6379/5"
    assert values["broker"].startswith("redis://cache.example:6379/0")
    assert values["language_cookie"] == [True, "Lax"]


def test_production_refuses_a_short_secret_key():
    env = production_env(DJANGO_SECRET_KEY="short")
    result = run([sys.executable, "-c", "import django; django.setup()"], "config.settings.production", **env)
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = production_env()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = run([sys.executable, "-c", "import django; django.setup()"], "config.settings.production", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr.splitlines()[-1]


def test_without_database_url_the_demo_uses_a_sqlite_file():
    values = settings_of("config.settings.local")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql():
    values = settings_of("config.settings.local", DATABASE_URL="postgres://fl:pw@db.example:5432/fairlink")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "fairlink"


def test_without_redis_url_tasks_run_in_process():
    values = settings_of("config.settings.local")
    assert values["eager"] is True
    assert values["app_eager"] is True
    assert values["broker"] == "memory://localhost/"
    assert values["cache"].endswith("LocMemCache")


def test_with_redis_url_tasks_go_through_redis():
    values = settings_of("config.settings.production", **production_env(REDIS_URL="redis://cache.example:6379/2"))
    assert values["eager"] is False
    assert values["app_eager"] is False
    assert values["broker"] == "redis://cache.example:6379/2"
    assert values["cache"].endswith("RedisCache")


def test_test_settings_switch_to_redis_only_when_told():
    assert settings_of("config.settings.test", REDIS_URL="redis://127.0.0.1:6379/9")["eager"] is True
    values = settings_of("config.settings.test", REDIS_URL="redis://127.0.0.1:6379/9", CELERY_EAGER="false")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/9"


def test_production_passes_the_deploy_check_without_warnings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "config.settings.production",
        **production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
