from celery import shared_task
from django.conf import settings

from . import notifications


@shared_task(
    name="companies.send_notification_email",
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(notification_id):
    """Email one notice; idempotent (a notice already emailed is skipped)."""
    notifications.send_notification(notification_id, base_url=getattr(settings, "SITE_URL", None))


@shared_task(name="companies.requeue_unsent_notifications")
def requeue_unsent_notifications():
    """Beat job: re-queue notices whose email task was lost (e.g. Redis was down after commit)."""
    for notification_id in notifications.unsent_notification_ids():
        send_notification_email.delay(notification_id)


@shared_task(
    name="companies.send_invitation_email",
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_invitation_email(invitation_id, language="en"):
    """Email an invitation to someone without an account yet; quiet if it is gone or used."""
    from .services import invitation_send_email

    invitation_send_email(invitation_id=invitation_id, language=language, base_url=getattr(settings, "SITE_URL", ""))
