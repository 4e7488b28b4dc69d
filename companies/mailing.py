"""Sending one email that a row stands for (a notice, an invitation): claim, then send.

The row is claimed in a short transaction (`email_claimed_at`, `email_attempts + 1`), the
email goes out outside any transaction, then `emailed_at` is written. Every attempt is
counted, whatever its result; after `MAX_EMAIL_ATTEMPTS` the row keeps its last error in
`email_error` (shown in the admin) and nobody tries again.

At least once, honestly: if the process dies after the SMTP server took the email and before
`emailed_at` commits, the claim expires after `CLAIM_EXPIRES` and the email is sent again.
The Message-ID is the same each time (`<kind>-<pk>@host`), so mail systems and readers can
recognise the copy. No other path sends twice: a claimed or sent row is skipped.

In batches (`claim_many`, `send_each`): a task claims up to a batch of rows at once (rows
another worker holds are skipped, never waited for), sends them one after another over ONE
SMTP connection, and records each row as soon as the server took or refused its email. A
refused recipient fails alone (its claim is released for a retry); a connection that breaks
stops the batch, and the rows not tried yet get their claim and their attempt back.
"""

import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
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
    message = _message(row, subject=subject, body=body, to=to, kind=kind, attachments=attachments)
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


def _message(row, *, subject, body, to, kind, attachments=(), connection=None):
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "fairlink"
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Message-ID": f"<{kind}-{row.pk}@{domain}>"},
        connection=connection,
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def claim_many(queryset, pks):
    """Take the emails of the rows `pks` of `queryset` for this worker, at once; the pks taken.

    Skipped: rows sent, out of attempts, gone, claimed by a live claim, or locked this moment
    by another worker claiming them (SKIP LOCKED: two workers given the same batch split it,
    neither waits). Side effects: `email_claimed_at` and `email_attempts + 1` on the rows taken."""
    now = timezone.now()
    with transaction.atomic():
        free = (
            queryset.select_for_update(skip_locked=True)
            .filter(pk__in=list(pks), emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
            .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lte=now - CLAIM_EXPIRES))
        )
        taken = list(free.values_list("pk", flat=True))
        if taken:
            queryset.model.objects.filter(pk__in=taken).update(
                email_claimed_at=now, email_attempts=F("email_attempts") + 1
            )
    return taken


# Emails the server took are marked sent in groups of this many (one UPDATE each group):
# a mark per email cost a database round trip each. Only a worker killed between taking an
# email and its group's mark sends those again (after CLAIM_EXPIRES, same Message-ID).
MARK_EVERY = 10

# Refusals about one message; anything else (a dropped connection, a timeout) ends the batch.
ONE_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def send_each(model, rows, compose, *, kind):
    """Send the emails of the claimed `rows` over one SMTP connection, recording each on its
    own. `compose(row)` returns dict(subject=, body=, to=, attachments=) (it may raise: that
    row fails alone). Returns the pks to try again: failed with attempts left, or not tried
    because the connection broke.

    Side effects: emails; per row `emailed_at` as soon as the server took it, or
    `email_error` and a released claim; rows not tried get their claim and attempt back."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - the server cannot be reached: an attempt for each
        return [row.pk for row in rows if _failed(model, row, exc)]
    with _marks_without_waiting_for_disk():
        try:
            return _send_over(connection, model, rows, compose, kind=kind)
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001, S110 - closing a dead connection: nothing to do
                pass


@contextmanager
def _marks_without_waiting_for_disk():
    """PostgreSQL: the rows' marks commit without waiting for the WAL flush (each would
    otherwise wait ~1-10 ms for the disk, which capped a worker at ~100 emails/s). A mark is
    visible to other workers at once and on disk within a fraction of a second; only a crash
    of the database server in that window could lose one, and that email would be sent again
    after its claim expires: the at-least-once window documented above, no wider."""
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_over(connection, model, rows, compose, *, kind):
    retry = []
    sent = []  # taken by the server, not yet marked

    def mark_sent():
        if sent:
            model.objects.filter(pk__in=sent).update(emailed_at=timezone.now(), email_error="")
            sent.clear()

    try:
        for index, row in enumerate(rows):
            try:
                message = _message(row, kind=kind, connection=connection, **compose(row))
            except Exception as exc:  # noqa: BLE001 - this row cannot be written: it fails alone
                if _failed(model, row, exc):
                    retry.append(row.pk)
                continue
            try:
                connection.send_messages([message])
            except ONE_MESSAGE_ERRORS as exc:
                if _failed(model, row, exc):
                    retry.append(row.pk)
                continue
            except Exception as exc:  # noqa: BLE001 - the connection broke: stop this batch
                if _failed(model, row, exc):
                    retry.append(row.pk)
                untried = [each.pk for each in rows[index + 1 :]]
                _give_back(model, untried, exc)
                return retry + untried
            sent.append(row.pk)
            if len(sent) >= MARK_EVERY:
                mark_sent()
    finally:
        mark_sent()
    return retry


def _failed(model, row, exc):
    """Record one row's failure and release its claim; True when it has attempts left."""
    model.objects.filter(pk=row.pk).update(email_claimed_at=None, email_error=f"{type(exc).__name__}: {exc}"[:2000])
    return row.email_attempts < MAX_EMAIL_ATTEMPTS


def _give_back(model, pks, exc):
    """Rows claimed but never tried: their claim and the attempt counted at the claim go back."""
    if pks:
        model.objects.filter(pk__in=pks).update(
            email_claimed_at=None,
            email_attempts=F("email_attempts") - 1,
            email_error=f"not tried: {type(exc).__name__}: {exc}"[:2000],
        )
