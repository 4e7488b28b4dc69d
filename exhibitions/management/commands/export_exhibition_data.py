"""python manage.py export_exhibition_data [--exhibition SLUG] > file.json"""

from django.core.management.base import BaseCommand, CommandError

from exhibitions.interchange import dump_exhibition_data, export_exhibition_data
from exhibitions.models import Exhibition


class Command(BaseCommand):
    help = "Write exhibitions, companies, participations and meetings as exhibition-data/2 JSON (meeting hours, interpreters and wishes included) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--exhibition", metavar="SLUG", help="only this exhibition and the companies it involves")

    def handle(self, *args, exhibition=None, **options):
        chosen = None
        if exhibition:
            chosen = Exhibition.objects.filter(slug=exhibition).first()
            if chosen is None:
                raise CommandError(f"no exhibition {exhibition!r}")
        self.stdout.write(dump_exhibition_data(export_exhibition_data(exhibition=chosen)), ending="")
