"""python manage.py load_hs_names: refresh the Korean and Japanese HS names from
companies/data/hs2022-names-{ko,ja}.csv (after replacing those files)."""

from django.core.management.base import BaseCommand

from companies.hs import load_hs_names


class Command(BaseCommand):
    help = "Load the Korean and Japanese HS code names from companies/data/."

    def handle(self, *args, **options):
        counts = load_hs_names()
        self.stdout.write(", ".join(f"{language}: {count} names" for language, count in counts.items()))
