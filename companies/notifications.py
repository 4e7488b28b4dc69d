"""Notifications: an in-app notice per person, emailed once in the person's language.

`notify()` writes the notice (the outbox row) in the caller's transaction and queues the
email after commit; `send_notification_email` sends it at most once; `requeue_unsent`
(run by celery beat) picks up notices whose task Redis lost.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

# Emails a person may turn off on their profile, by category; any template not listed here
# (account, invitations, decisions on applications and meetings) is always emailed.
OPTIONAL_EMAILS = {
    "reminders": ("meeting_reminder", "meeting_outcome_prompt"),
    "suggestions": ("suggestions_approved", "wish_received"),
}


def email_category(template):
    for category, templates in OPTIONAL_EMAILS.items():
        if template in templates:
            return category
    return None


def notify(*, user, key, template, context=None, url=""):
    """Record a notice for `user` about the change named by `key`, and email it after commit.

    `template` names `templates/notifications/<template>_{subject,body}.txt`; `context`
    must be JSON (ids and strings), since the notice is rendered later, in the reader's
    language. A second call with the same `key` does nothing: one change, one notice.
    Side effects: a Notification row; a `send_notification_email` task after commit.
    """
    category = email_category(template)
    skipped = category is not None and not user.wants_email(category)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key, template=template, context=context or {}, url=url, email_skipped=skipped
            )
    except IntegrityError:
        return None
    if skipped:
        return notification
    from .tasks import send_notification_email

    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
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
    """Email one notice unless it was already sent. Locks the row so two workers cannot both send."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        subject, body = render_notification(notification)
        link = notification.url
        if link and base_url:
            link = base_url.rstrip("/") + link
        if link:
            body = f"{body}\n\n{link}"
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email]).send()
        notification.emailed_at = timezone.now()
        notification.email_attempts += 1
        notification.save(update_fields=["emailed_at", "email_attempts"])
        return True


def unsent_notification_ids(older_than=timedelta(minutes=10)):
    """Notices created a while ago and still not emailed: their task was lost or kept failing."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, email_skipped=False, created_at__lt=cutoff, email_attempts__lt=10
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
