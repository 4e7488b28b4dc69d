"""python manage.py seed_demo: a realistic, idempotent demo of everything Fairlink does."""

import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each area adds its part of the demo, in this order (later parts build on earlier ones).
AREA_SEEDERS = ("exhibitions.demo", "exhibitions.meetings.demo", "matching.demo", "exhibitions.scheduling_demo")


def load_seeder(module_name):
    """The module's seed function; a missing module is an ImportError that says what is missing."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise ImportError(
            f"seed_demo needs {module_name}.seed(stdout=...), but the module {module_name} does not exist."
        ) from exc
    if not hasattr(module, "seed"):
        raise ImportError(f"seed_demo needs a function seed(stdout=...) in {module_name}.")
    return module.seed


class Command(BaseCommand):
    help = (
        "Create or refresh the demo: the cooperative and its staff, about 60 Korean exhibitors and 80 Japanese "
        "buyers, one login per role, then exhibitions, meetings and suggestions. Safe to run again."
    )

    def handle(self, *args, **options):
        from companies import demo

        if not getattr(settings, "FAIRLINK_DEMO_ALLOWED", False):
            raise CommandError(
                "seed_demo creates a superuser with the published password; it is off in production. "
                "Set FAIRLINK_DEMO_ALLOWED=true for a demo server."
            )
        started = time.monotonic()
        demo.seed(stdout=self.stdout)
        for module_name in AREA_SEEDERS:
            load_seeder(module_name)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f} s. Logins:"))
        for line in demo.login_lines():
            self.stdout.write(line)
        self.stdout.write(f"  password for all: {demo.d.PASSWORD}")
