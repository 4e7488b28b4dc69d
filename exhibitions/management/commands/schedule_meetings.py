"""python manage.py schedule_meetings SLUG [--seconds S]: one scheduler run through the
application's Celery task; waits and prints one JSON line (contract in the formats README):
{"pairs": ..., "placed": ..., "value": ..., "upper_bound": ..., "seconds": ...}"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition, ScheduleRun
from exhibitions.scheduling import services, tasks


class Command(BaseCommand):
    help = (
        "Turn an exhibition's wishes into a draft schedule through the scheduler's Celery task; print a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--seconds", type=float, default=20.0, help="The solver's time limit (default 20).")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait for the run (default 3600).")

    def handle(self, slug, seconds, timeout, **options):
        exhibition = Exhibition.objects.filter(slug=slug).first()
        if exhibition is None:
            raise CommandError(f"No exhibition {slug!r}.")
        started = time.monotonic()
        try:
            run = services.schedule_run_start(exhibition=exhibition, by=None, seconds=seconds, queue=False)
        except services.ScheduleError as exc:
            raise CommandError(exc.message) from None
        try:
            tasks.run_schedule.delay(run.pk)
        except Exception as exc:  # eager: the task's own error; with workers: the broker is down
            services.run_fail(run_id=run.pk, error=services.error_text(exc))  # frees the exhibition
        while True:  # eager (no Redis): already done; with workers: wait for them
            run.refresh_from_db()
            if run.status in (ScheduleRun.Status.DONE, ScheduleRun.Status.FAILED):
                break
            if time.monotonic() - started > timeout:
                raise CommandError(f"run {run.pk} still {run.status} after {timeout:.0f} s.")
            time.sleep(0.5)
        if run.status == ScheduleRun.Status.FAILED:
            last = run.error.strip().splitlines()[-1] if run.error.strip() else ""
            raise CommandError(f"{slug}: run {run.pk} failed: {last}")
        summary = {
            "pairs": run.pairs,
            "placed": run.placed,
            "value": run.value,
            "upper_bound": float(run.upper_bound if run.upper_bound is not None else run.value),
            "seconds": round(time.monotonic() - started, 1),
        }
        self.stdout.write(json.dumps(summary))
