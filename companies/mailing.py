"""Sending one email that a row stands for (a notice, an invitation): claim, then send.

The row is claimed in a short transaction (`email_claimed_at`, `email_attempts + 1`), the
email goes out outside any transaction, then `emailed_at` is written. Every attempt is
counted, whatever its result; after `MAX_EMAIL_ATTEMPTS` the row keeps its last error in
`email_error` (shown in the admin) and nobody tries again.

At least once, honestly: if the process dies after the SMTP server took the email and before
`emailed_at` commits, the claim expires after `CLAIM_EXPIRES` and the email is sent again.
The Message-ID is the same each time (`<kind>-<pk>@host`), so mail systems and readers can
recognise the copy. No other path sends twice: a claimed or sent row is skipped.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

MAX_EMAIL_ATTEMPTS = 6
CLAIM_EXPIRES = timedelta(minutes=2)


class EmailNotSent(Exception):
    """The SMTP server refused or could not be reached; the task retries unless attempts ran out."""


def claim(model, pk):
    """Take the row's email for this worker; the row when taken, None when it is sent, being
    sent by someone else, gone, or out of attempts."""
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.emailed_at is not None or row.email_attempts >= MAX_EMAIL_ATTEMPTS:
            return None
        if row.email_claimed_at and row.email_claimed_at > now - CLAIM_EXPIRES:
            return None
        model.objects.filter(pk=pk).update(email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    row.refresh_from_db()
    return row


def send(model, row, *, subject, body, to, kind, attachments=()):
    """Send the claimed row's email (with `attachments`: (filename, content, mimetype)) and
    record the outcome. Raises EmailNotSent on failure (the claim is released so a retry can
    take it), unless attempts ran out."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "fairlink"
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"Message-ID": f"<{kind}-{row.pk}@{domain}>"}
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except (OSError, Exception) as exc:  # noqa: BLE001 - smtplib raises many kinds; each counts
        error = f"{type(exc).__name__}: {exc}"[:2000]
        model.objects.filter(pk=row.pk).update(email_claimed_at=None, email_error=error)
        if row.email_attempts >= MAX_EMAIL_ATTEMPTS:
            return False
        raise EmailNotSent(error) from exc
    model.objects.filter(pk=row.pk).update(emailed_at=timezone.now(), email_error="")
    return True
