"""Notifications: an in-app notice per person, emailed once in the person's language.

`notify()` writes the notice in the caller's transaction and queues its email through the
outbox (companies/outbox.py); `send_notification` claims it, then sends it (at least once,
see companies/mailing.py); `unsent_notification_ids` (a beat job) picks up notices whose
task Redis lost after it was published.

Many at once (a mailing, the day-before reminders): `notify_many()` writes the notices with
one INSERT per chunk and queues one `companies.send_notification_emails` task per
`EMAIL_BATCH` of them; `send_notifications` claims a batch and sends it over one SMTP
connection, each notice recorded on its own (docs/performance.md, "Notification emails").
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import mailing, outbox
from .models import Notification

# Emails a person may turn off on their profile, by category; any template not listed here
# (account, invitations, decisions on applications and meetings) is always emailed.
OPTIONAL_EMAILS = {
    "reminders": ("meeting_reminder", "meeting_outcome_prompt", "meetings_day_reminder"),
    "suggestions": ("suggestions_approved", "wish_received"),
}


# Notices emailed by one task over one SMTP connection (a batch); and written per INSERT.
EMAIL_BATCH = 100
INSERT_CHUNK = 500

# Files attached to the emails of some notices (e.g. the .ics of a confirmed meeting), by
# template name: a function (notification, language) -> [(filename, content, mimetype)],
# registered by the app that owns the template with `attach_to`.
ATTACHMENTS = {}


def attach_to(template):
    """Decorator: the function returns the files to attach to `template`'s emails."""

    def register(func):
        ATTACHMENTS[template] = func
        return func

    return register


# Values some templates need that cannot be stored in a notice (e.g. the agenda of a day,
# read when the email is written): a function (notification) -> dict, by template name,
# registered by the app that owns the template with `context_from`.
EXTRA_CONTEXT = {}


def context_from(template):
    """Decorator: the function returns more context for rendering `template`'s notices."""

    def register(func):
        EXTRA_CONTEXT[template] = func
        return func

    return register


def attachments_for(notification, language=None):
    make = ATTACHMENTS.get(notification.template)
    if make is None:
        return []
    return make(notification, language or notification.user.preferred_language or settings.LANGUAGE_CODE)


def email_category(template):
    for category, templates in OPTIONAL_EMAILS.items():
        if template in templates:
            return category
    return None


def notify(*, user, key, template, context=None, url=""):
    """Record a notice for `user` about the change named by `key`, and email it after commit.

    `template` names `templates/notifications/<template>_{subject,body}.txt`. The notice is
    rendered later, in the reader's language, so `context` holds JSON values and model
    instances (an exhibition, a company, a booth): those are stored as references and read
    back at rendering, so names come out in the recipient's language, never the actor's.
    A second call with the same `key` does nothing: one change, one notice.
    Side effects: a Notification row; a `companies.send_notification_email` task through the
    outbox, unless the person turned this kind of email off.
    """
    category = email_category(template)
    skipped = category is not None and not user.wants_email(category)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                key=key,
                template=template,
                context=_stored(context or {}),
                url=url,
                email_skipped=skipped,
            )
            if not skipped:
                outbox.enqueue("companies.send_notification_email", args=[notification.pk])
    except IntegrityError:
        return None
    return notification


def notify_many(notices, *, mailing_ref=None):
    """Record many notices at once and queue their emails in batches, after commit.

    `notices`: (user, key, template, context, url) tuples, as `notify()` takes them. A key
    that exists already is skipped (one change, one notice). Returns how many notices were
    new. Side effects: Notification rows (one INSERT per `INSERT_CHUNK`); one
    `companies.send_notification_emails` task per `EMAIL_BATCH` notices to email, through
    the outbox (one INSERT for all of them). `mailing_ref`: the staff mailing they copy."""
    rows = []
    for user, key, template, context, url in notices:
        category = email_category(template)
        rows.append(
            Notification(
                user=user,
                key=key,
                template=template,
                context=_stored(context or {}),
                url=url,
                email_skipped=category is not None and not user.wants_email(category),
                mailing_ref=mailing_ref,
            )
        )
    created = 0
    to_email = []
    with transaction.atomic():
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            keys = [row.key for row in chunk]
            existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
            fresh = [row for row in chunk if row.key not in existing]
            # ignore_conflicts: a notice written by a concurrent call in the meantime is kept.
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
            written = Notification.objects.filter(key__in=[row.key for row in fresh], email_attempts=0)
            created += len(fresh)
            to_email += list(written.filter(email_skipped=False).order_by("pk").values_list("pk", flat=True))
        if to_email:
            outbox.enqueue_many(
                "companies.send_notification_emails",
                args_list=[[to_email[i : i + EMAIL_BATCH]] for i in range(0, len(to_email), EMAIL_BATCH)],
            )
    return created


REF = "$model"


def _stored(context):
    """The context as JSON: model instances become {"$model": "app.model", "pk": 1}."""
    return {
        name: {REF: value._meta.label_lower, "pk": value.pk} if isinstance(value, models.Model) else value
        for name, value in context.items()
    }


def _references(notifications):
    """{(label, pk): instance} for every model reference in these notices' contexts, one
    query per model (the notices page renders 30 at once)."""
    wanted = {}
    for notification in notifications:
        for value in notification.context.values():
            if isinstance(value, dict) and REF in value:
                wanted.setdefault(value[REF], set()).add(value["pk"])
    found = {}
    for label, pks in wanted.items():
        for pk, instance in apps.get_model(label).objects.in_bulk(pks).items():
            found[(label, pk)] = instance
    return found


def _loaded(context, references):
    """The stored context with references replaced by their objects ("" if one was deleted)."""
    return {
        name: references.get((value[REF], value["pk"]), "") if isinstance(value, dict) and REF in value else value
        for name, value in context.items()
    }


def render_notifications(notifications, language):
    """[(notice, subject, body)] for a page of one reader's notices, in `language`."""
    references = _references(notifications)
    return [(n, *render_notification(n, language=language, references=references)) for n in notifications]


def render_notification(notification, language=None, references=None):
    """(subject, body) of a notice, in `language` or the recipient's preferred language."""
    language = language or notification.user.preferred_language or settings.LANGUAGE_CODE
    if references is None:
        references = _references([notification])
    context = dict(_loaded(notification.context, references), user=notification.user, url=notification.url)
    extra = EXTRA_CONTEXT.get(notification.template)
    with translation.override(language):
        if extra is not None:
            context.update(extra(notification))
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
        Notification,
        notification,
        subject=subject,
        body=body,
        to=notification.user.email,
        kind="notice",
        attachments=attachments_for(notification),
    )


def send_notifications(notification_ids, *, base_url=None):
    """Email a batch of notices over one SMTP connection, skipping those sent or being sent.

    Side effects: per notice as `send_notification` (claimed together, recorded each on its
    own). Returns the ids to try again (failed with attempts left, or not tried because the
    connection broke); never those that were sent."""
    taken = mailing.claim_many(Notification.objects.filter(email_skipped=False), notification_ids)
    if not taken:
        return []
    rows = list(Notification.objects.select_related("user").filter(pk__in=taken).order_by("pk"))
    references = _references(rows)

    def compose(notification):
        subject, body = render_notification(notification, references=references)
        link = notification.url
        if link and base_url:
            link = base_url.rstrip("/") + link
        return {
            "subject": subject,
            "body": f"{body}\n\n{link}" if link else body,
            "to": notification.user.email,
            "attachments": attachments_for(notification),
        }

    return mailing.send_each(Notification, rows, compose, kind="notice")


def unsent_notification_ids(older_than=timedelta(minutes=2)):
    """Notices created a while ago, not emailed, not being emailed and with attempts left:
    their task was lost (Redis restarted empty after it was published)."""
    now = timezone.now()
    cutoff = now - older_than
    return list(
        Notification.objects.filter(emailed_at__isnull=True, email_skipped=False, created_at__lt=cutoff)
        .filter(email_attempts__lt=mailing.MAX_EMAIL_ATTEMPTS)
        .exclude(email_claimed_at__gt=now - mailing.CLAIM_EXPIRES)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
