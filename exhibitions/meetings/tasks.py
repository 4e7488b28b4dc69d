"""Periodic meeting jobs (celery beat): expire unanswered requests, remind people before a
meeting, and ask for outcomes after it. Thin: fetch ids, call a service per meeting; every
service is idempotent (expiry re-checks under a lock, notices are keyed once per change)."""

from celery import shared_task
from django.utils import timezone

from exhibitions.models import Meeting

from . import day_reminders, selectors, services

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="exhibitions.expire_meeting_requests", **RETRY)
def expire_meeting_requests():
    """Expire pending requests past their `expires_at`; returns how many expired."""
    due = Meeting.objects.filter(status__in=Meeting.PENDING, expires_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    expired = 0
    for pk in list(due[:1000]):
        meeting = Meeting.objects.filter(pk=pk).first()
        if meeting is None:
            continue
        if services.meeting_expire(meeting=meeting):
            expired += 1
    return expired


@shared_task(name="exhibitions.send_meeting_reminders", **RETRY)
def send_meeting_reminders():
    """Remind both sides of meetings starting within the hour (each once per meeting time)."""
    count = 0
    for pk in list(selectors.upcoming_for_reminder()):
        meeting = (
            Meeting.objects.select_related("exhibition", "buyer", "exhibitor", "booth", "table").filter(pk=pk).first()
        )
        if meeting is not None:
            services.meeting_remind(meeting=meeting)
            count += 1
    return count


@shared_task(name="exhibitions.send_meeting_outcome_prompts", **RETRY)
def send_meeting_outcome_prompts():
    """Ask the sides of meetings that ended (in the last two days) what came of them, once each."""
    count = 0
    for pk in list(selectors.ended_for_outcome_prompt()):
        meeting = (
            Meeting.objects.select_related("exhibition", "buyer", "exhibitor", "booth", "table").filter(pk=pk).first()
        )
        if meeting is not None:
            services.meeting_prompt_outcome(meeting=meeting)
            count += 1
    return count


@shared_task(name="exhibitions.send_day_before_reminders", **RETRY)
def send_day_before_reminders():
    """Email each person their agenda for tomorrow (exhibition's time zone), once per day."""
    return day_reminders.send_day_before_reminders()
