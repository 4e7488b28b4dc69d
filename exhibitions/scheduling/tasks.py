"""Celery tasks of the meeting scheduler. Thin: ids in, claim, call services.

`run_schedule` is idempotent: it claims the run with a conditional UPDATE (queued ->
running), so a redelivered or re-queued message solves a run once; a run that is no longer
queued is left alone. `sweep_stale_runs` (celery beat) moves or fails stuck runs."""

from celery import shared_task

from exhibitions.models import ScheduleRun

from . import services


@shared_task(name="scheduling.run_schedule", acks_late=True)
def run_schedule(run_id):
    if not ScheduleRun.objects.filter(pk=run_id).exists() or not services.run_claim(run_id=run_id):
        return None
    try:
        saved = services.run_execute(run_id=run_id)
    except Exception as exc:
        services.run_fail(run_id=run_id, error=services.error_text(exc))
        raise
    return run_id if saved else None


@shared_task(name="scheduling.sweep_stale_runs")
def sweep_stale_runs():
    return services.runs_sweep_stale()
