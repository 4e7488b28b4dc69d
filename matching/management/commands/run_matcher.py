"""python manage.py run_matcher SLUG: one full run through the application's Celery task."""

import time

from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition
from matching import services, tasks
from matching.models import MatchRun


class Command(BaseCommand):
    help = "Compute suggestions for one exhibition through the matcher's Celery task, wait, print a summary."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--timeout", type=float, default=1800, help="Seconds to wait for the run (default 1800).")

    def handle(self, slug, timeout, **options):
        exhibition = Exhibition.objects.filter(slug=slug).first()
        if exhibition is None:
            raise CommandError(f"No exhibition {slug!r}.")
        started = time.monotonic()
        try:
            run = services.run_start(exhibition=exhibition, trigger=MatchRun.Trigger.COMMAND, queue=False)
        except services.MatchingError as exc:
            raise CommandError(str(exc)) from None
        try:
            tasks.run_matcher.delay(run.pk)
        except Exception as exc:  # eager: the task's own error; with workers: the broker is down
            services.run_fail(run_id=run.pk, error=services.error_text(exc))  # frees the exhibition
        # Eager (no Redis): the task already ran. With workers: wait for them.
        while True:
            run.refresh_from_db()
            if run.status in (MatchRun.Status.FINISHED, MatchRun.Status.FAILED):
                break
            if time.monotonic() - started > timeout:
                raise CommandError(f"run {run.pk} still {run.status} after {timeout:.0f} s ({run.progress_percent}%).")
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        if run.status == MatchRun.Status.FAILED:
            raise CommandError(
                f"{slug}: run {run.pk} failed: {run.error.strip().splitlines()[-1] if run.error else ''}"
            )
        total = run.suggestions_created + run.suggestions_updated
        self.stdout.write(
            f"{slug}: run {run.pk} finished in {elapsed:.1f} s: {run.buyers} buyers x {run.exhibitors} exhibitors, "
            f"{total} suggestions ({run.suggestions_created} new, {run.suggestions_updated} updated)"
        )
