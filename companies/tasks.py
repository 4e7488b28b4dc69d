from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import notifications, outbox
from .mailing import EmailNotSent

# An email that failed is tried again after ~10, 20, 40 ... s (with jitter); each attempt is
# counted on its row, which stops at mailing.MAX_EMAIL_ATTEMPTS.
EMAIL_RETRY = {
    "autoretry_for": (EmailNotSent,),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="companies.send_notification_email", **EMAIL_RETRY)
def send_notification_email(notification_id):
    """Email one notice; idempotent (a notice emailed or being emailed is skipped)."""
    notifications.send_notification(notification_id, base_url=getattr(settings, "SITE_URL", None))


@shared_task(bind=True, name="companies.send_notification_emails", max_retries=EMAIL_RETRY["max_retries"])
def send_notification_emails(self, notification_ids):
    """Email a batch of notices over one SMTP connection; idempotent per notice. Retries only
    the notices that failed (never one that was sent), with the same backoff as one email."""
    retry = notifications.send_notifications(notification_ids, base_url=getattr(settings, "SITE_URL", None))
    if retry:
        countdown = get_exponential_backoff_interval(
            EMAIL_RETRY["retry_backoff"], self.request.retries, EMAIL_RETRY["retry_backoff_max"], full_jitter=True
        )
        raise self.retry(
            args=[retry], countdown=countdown, exc=EmailNotSent(f"{len(retry)} of {len(notification_ids)} not sent")
        )
    return len(notification_ids)


@shared_task(name="companies.requeue_unsent_notifications")
def requeue_unsent_notifications():
    """Beat job: re-queue notices whose email task was lost after it was published (in batches)."""
    ids = notifications.unsent_notification_ids()
    for start in range(0, len(ids), notifications.EMAIL_BATCH):
        send_notification_emails.delay(ids[start : start + notifications.EMAIL_BATCH])


@shared_task(name="companies.send_invitation_email", **EMAIL_RETRY)
def send_invitation_email(invitation_id, language="en"):
    """Email an invitation to someone without an account yet; quiet if it is gone, used or sent."""
    from .services import invitation_send_email

    invitation_send_email(invitation_id=invitation_id, language=language, base_url=getattr(settings, "SITE_URL", ""))


@shared_task(name="companies.publish_outbox")
def publish_outbox():
    """Beat job (every 15 s): publish the tasks the broker did not take at commit."""
    sent = outbox.publish_due()
    outbox.forget_published()
    return sent
