"""python manage.py export_suggestions SLUG [--top K]: JSON Lines, best first for each buyer."""

import json

from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition
from matching.reasons import english_reasons
from matching.selectors import top_suggestions


class Command(BaseCommand):
    help = "Write the exhibition's suggestions as JSON Lines: K per taking-part buyer, best first, reasons in English."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--top", type=int, default=10, help="Suggestions per buyer (default 10).")

    def handle(self, slug, top, **options):
        if top < 1:
            raise CommandError("--top must be at least 1.")
        exhibition = Exhibition.objects.filter(slug=slug).first()
        if exhibition is None:
            raise CommandError(f"No exhibition {slug!r}.")
        rows = top_suggestions(exhibition, top)
        for (buyer, exhibitor, rank, score, status, _reasons), reasons in english_reasons(rows, lambda row: row[5]):
            line = {
                "exhibition": slug,
                "buyer": buyer,
                "exhibitor": exhibitor,
                "rank": rank,
                "score": round(score, 4),
                "status": status,
                "reasons": reasons,
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))
