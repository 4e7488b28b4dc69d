"""Production settings: seed_demo (a superuser with the published password) stays off, and
links in emails point at the site, not at the development default."""

import importlib
import io
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from companies.models import User


def production_settings(monkeypatch, **env):
    """A fresh import of config.settings.production under `env` (not the running settings)."""
    for name in ("FAIRLINK_DEMO_ALLOWED", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "fairlink.example,www.fairlink.example")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_where_the_demo_is_not_allowed(settings):
    settings.FAIRLINK_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="FAIRLINK_DEMO_ALLOWED"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(is_superuser=True).exists()


def test_production_settings_turn_the_demo_off(monkeypatch):
    assert production_settings(monkeypatch).FAIRLINK_DEMO_ALLOWED is False
    assert production_settings(monkeypatch, FAIRLINK_DEMO_ALLOWED="true").FAIRLINK_DEMO_ALLOWED is True


def test_production_links_in_emails_point_at_the_site(monkeypatch):
    assert production_settings(monkeypatch).SITE_URL == "https://fairlink.example"
    assert production_settings(monkeypatch, SITE_URL="https://www.fairlink.example").SITE_URL == (
        "https://www.fairlink.example"
    )
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        production_settings(monkeypatch, DJANGO_ALLOWED_HOSTS="*")
