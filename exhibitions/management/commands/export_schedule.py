"""python manage.py export_schedule SLUG: every meeting of the exhibition that has a time,
draft or confirmed, as JSON Lines (contract in the formats README)."""

import json

from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition
from exhibitions.scheduling.selectors import schedule_export_rows


class Command(BaseCommand):
    help = "Write the exhibition's schedule (drafts and meetings with a time) as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, slug, **options):
        exhibition = Exhibition.objects.filter(slug=slug).first()
        if exhibition is None:
            raise CommandError(f"No exhibition {slug!r}.")
        for row in schedule_export_rows(exhibition):
            self.stdout.write(json.dumps(row, ensure_ascii=False))
