"""Celery tasks of the meeting scheduler. Thin: ids in, claim, call services.

`run_schedule` is idempotent: it claims the run with a conditional UPDATE (queued ->
running), so a redelivered or re-queued message solves a run once; a run that is no longer
queued is left alone. `publish_schedule` publishes the draft (idempotent: a draft once
published is gone). `sweep_stale_runs` (celery beat) moves or fails stuck runs."""

from celery import shared_task
from django.utils import translation

from companies.models import User
from exhibitions.models import Exhibition, ScheduleRun

from . import publishing, services


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


@shared_task(name="scheduling.publish_schedule", acks_late=True)
def publish_schedule(exhibition_id, user_id):
    """Publish the exhibition's draft; reasons are written in the publisher's language."""
    exhibition = Exhibition.objects.filter(pk=exhibition_id).first()
    user = User.objects.filter(pk=user_id).first()
    if exhibition is None or user is None:
        return None
    with translation.override(user.preferred_language or "en"):
        result = publishing.schedule_publish(exhibition=exhibition, by=user)
    return len(result.published)


@shared_task(name="scheduling.sweep_stale_runs")
def sweep_stale_runs():
    return services.runs_sweep_stale()
