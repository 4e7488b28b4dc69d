"""python manage.py import_exhibition_data FILE: all or nothing, every problem named."""

import sys

from django.core.management.base import BaseCommand, CommandError

from exhibitions.interchange import ImportRejected, import_exhibition_data, parse_exhibition_data, plan_import


class Command(BaseCommand):
    help = (
        "Import an exhibition-data/1 or /2 JSON file (exhibitions, companies, participations, meetings; "
        "version 2 also meeting hours, interpreters and wishes) "
        "in one transaction. A bad file exits non-zero, lists every problem and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the JSON file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change; write nothing")

    def handle(self, *args, file, dry_run, **options):
        try:
            raw = sys.stdin.buffer.read() if file == "-" else open(file, "rb").read()  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        data, problems = parse_exhibition_data(raw)
        if not problems:
            try:
                plan = plan_import(data) if dry_run else import_exhibition_data(data=data)
                problems = plan.problems
            except ImportRejected as exc:
                problems = exc.problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s) in {file}; nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {file}:")
        for line in plan.summary_lines():
            self.stdout.write(f"  {line}")
        for change in plan.changes:
            if change.action == "update":
                self.stdout.write(f"  updated {change.kind} {change.label}: {', '.join(change.fields)}")
