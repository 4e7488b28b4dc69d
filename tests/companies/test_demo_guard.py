"""seed_demo writes a superuser with the published password: never on a production site by accident."""

import io

import pytest
from django.core.management import CommandError, call_command

from companies.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_where_the_demo_is_not_allowed(settings):
    settings.FAIRLINK_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="FAIRLINK_DEMO_ALLOWED"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(is_superuser=True).exists()


def test_production_settings_turn_the_demo_off(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "fairlink.example")
    monkeypatch.delenv("FAIRLINK_DEMO_ALLOWED", raising=False)
    production = importlib.import_module("config.settings.production")
    assert production.FAIRLINK_DEMO_ALLOWED is False
