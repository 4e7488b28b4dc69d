"""python manage.py export_suggestions SLUG [--top K]: JSON Lines, best first for each buyer."""

import json

from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition
from exhibitions.selectors import participating_buyers, participating_exhibitors
from matching.models import Suggestion
from matching.reasons import render_reasons_english


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
        rows = (
            Suggestion.objects.filter(
                exhibition=exhibition,
                buyer__in=participating_buyers(exhibition).values("id"),
                exhibitor__in=participating_exhibitors(exhibition).values("id"),
            )
            .order_by("buyer__ref", "-score", "exhibitor__ref")
            .values_list("buyer__ref", "exhibitor__ref", "score", "status", "reasons")
        )
        current, rank = None, 0
        for buyer, exhibitor, score, status, reasons in rows.iterator(chunk_size=5000):
            if buyer != current:
                current, rank = buyer, 0
            rank += 1
            if rank > top:
                continue
            line = {
                "exhibition": slug,
                "buyer": buyer,
                "exhibitor": exhibitor,
                "rank": rank,
                "score": round(score, 4),
                "status": status,
                "reasons": render_reasons_english(reasons),
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))
