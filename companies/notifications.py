"""Notifications: an in-app notice per person, emailed once in the person's language.

`notify()` writes the notice in the caller's transaction and queues its email through the
outbox (companies/outbox.py); `send_notification` claims it, then sends it (at least once,
see companies/mailing.py); `unsent_notification_ids` (a beat job) picks up notices whose
task Redis lost after it was published.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import mailing, outbox
from .models import Notification


def notify(*, user, key, template, context=None, url=""):
    """Record a notice for `user` about the change named by `key`, and email it after commit.

    `template` names `templates/notifications/<template>_{subject,body}.txt`; `context`
    must be JSON (ids and strings), since the notice is rendered later, in the reader's
    language. A second call with the same `key` does nothing: one change, one notice.
    Side effects: a Notification row; a `companies.send_notification_email` task (outbox).
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key, template=template, context=context or {}, url=url
            )
            outbox.enqueue("companies.send_notification_email", args=[notification.pk])
    except IntegrityError:
        return None
    return notification


def render_notification(notification, language=None):
    """(subject, body) of a notice, in `language` or the recipient's preferred language."""
    language = language or notification.user.preferred_language or settings.LANGUAGE_CODE
    context = dict(notification.context, user=notification.user, url=notification.url)
    with translation.override(language):
        subject = render_to_string(f"notifications/{notification.template}_subject.txt", context).strip()
        body = render_to_string(f"notifications/{notification.template}_body.txt", context).strip()
    return " ".join(subject.split()), body


def send_notification(notification_id, *, base_url=None):
    """Email one notice unless it was sent or is being sent (claim, then send).

    Side effects: one email; `email_attempts` + 1 on every attempt; `emailed_at` on success,
    `email_error` on failure. Raises mailing.EmailNotSent so the task retries."""
    notification = mailing.claim(Notification, notification_id)
    if notification is None:
        return False
    subject, body = render_notification(notification)
    link = notification.url
    if link and base_url:
        link = base_url.rstrip("/") + link
    if link:
        body = f"{body}\n\n{link}"
    return mailing.send(
        Notification, notification, subject=subject, body=body, to=notification.user.email, kind="notice"
    )


def unsent_notification_ids(older_than=timedelta(minutes=2)):
    """Notices created a while ago, not emailed, not being emailed and with attempts left:
    their task was lost (Redis restarted empty after it was published)."""
    now = timezone.now()
    cutoff = now - older_than
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .filter(email_attempts__lt=mailing.MAX_EMAIL_ATTEMPTS)
        .exclude(email_claimed_at__gt=now - mailing.CLAIM_EXPIRES)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
