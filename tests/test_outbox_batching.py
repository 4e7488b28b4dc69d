"""Batched notification emails (issue 12): many notices over one SMTP connection, each
recorded on its own, exactly once even when two workers take the same batch.

A real SMTP server (aiosmtpd, in a thread) receives the emails, so connections, refusals and
Message-IDs are what smtplib really does.
"""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction

from companies import notifications, outbox
from companies.models import Notification, OutboxMessage
from companies.tasks import send_notification_emails
from tests import factories

pytestmark = pytest.mark.django_db


class Sink:
    """Counts SMTP sessions and keeps each email's recipient and Message-ID; refuses any
    recipient whose address starts with "refuse"."""

    def __init__(self):
        self.sessions = 0
        self.received = []  # (recipient, message-id)
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode(errors="replace")
        message_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Message-ID"))
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message_id))
        return "250 queued"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield sink
    controller.stop()


def notices(count, *, refuse=()):
    users = [
        factories.UserFactory(email=f"refuse{i}@example.com" if i in refuse else f"person{i}@example.com")
        for i in range(count)
    ]
    return [
        Notification.objects.create(user=user, key=f"batch:{i}", template="company_submitted", context={}).pk
        for i, user in enumerate(users)
    ]


def test_a_batch_goes_over_one_smtp_connection_and_each_notice_is_recorded(smtp_sink):
    ids = notices(12)
    assert notifications.send_notifications(ids) == []
    assert smtp_sink.sessions == 1
    assert sorted(rcpt for rcpt, _ in smtp_sink.received) == sorted(f"person{i}@example.com" for i in range(12))
    assert {mid for _, mid in smtp_sink.received} == {f"<notice-{pk}@fairlink.example>" for pk in ids}
    rows = Notification.objects.filter(pk__in=ids)
    assert all(n.emailed_at and n.email_attempts == 1 and n.email_claimed_at for n in rows)
    # The same batch again (a duplicate task): nothing is sent twice.
    assert notifications.send_notifications(ids) == []
    assert len(smtp_sink.received) == 12 and smtp_sink.sessions == 1


def test_one_refused_recipient_fails_alone_and_only_it_is_retried(smtp_sink):
    ids = notices(6, refuse={2})
    refused = ids[2]
    assert notifications.send_notifications(ids) == [refused]
    assert len(smtp_sink.received) == 5 and smtp_sink.sessions == 1
    failed = Notification.objects.get(pk=refused)
    assert failed.emailed_at is None and failed.email_claimed_at is None and "550" in failed.email_error
    # The retry (the whole batch's ids, as a duplicate would be) sends nothing already sent.
    Notification.objects.filter(pk=refused).update(user=factories.UserFactory(email="fixed@example.com"))
    assert notifications.send_notifications(ids) == []
    assert len(smtp_sink.received) == 6
    assert [rcpt for rcpt, _ in smtp_sink.received].count("fixed@example.com") == 1
    assert Notification.objects.get(pk=refused).email_attempts == 2
    assert Notification.objects.filter(pk__in=ids, email_attempts=1).count() == 5


def test_the_task_retries_with_the_failed_notices_only(smtp_sink):
    from celery.exceptions import Retry

    ids = notices(4, refuse={1})
    with pytest.raises(Retry) as retry:  # eager: Celery hands the retry back instead of queueing it
        send_notification_emails.delay(ids)
    assert retry.value.sig.args == ([ids[1]],) or list(retry.value.sig.args) == [[ids[1]]]
    assert len(smtp_sink.received) == 3
    Notification.objects.filter(pk=ids[1]).update(user=factories.UserFactory(email="fixed@example.com"))
    assert send_notification_emails.apply(args=retry.value.sig.args).get() == 1
    assert sorted(rcpt for rcpt, _ in smtp_sink.received)[0] == "fixed@example.com"
    assert len(smtp_sink.received) == 4 and smtp_sink.sessions == 2


def test_smtp_down_counts_an_attempt_for_each_and_sends_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    ids = notices(3)
    assert sorted(notifications.send_notifications(ids)) == sorted(ids)
    assert all(n.email_attempts == 1 and n.email_claimed_at is None for n in Notification.objects.filter(pk__in=ids))


def test_a_connection_that_breaks_gives_the_untried_notices_their_attempt_back(smtp_sink, monkeypatch):
    import smtplib

    ids = notices(5)
    sent = []
    real_sendmail = smtplib.SMTP.sendmail

    def breaking(self, *args, **kwargs):
        if len(sent) == 2:
            raise smtplib.SMTPServerDisconnected("gone")
        sent.append(args)
        return real_sendmail(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", breaking)
    assert notifications.send_notifications(ids) == ids[2:]
    rows = {n.pk: n for n in Notification.objects.filter(pk__in=ids)}
    assert [rows[pk].emailed_at is not None for pk in ids] == [True, True, False, False, False]
    assert [rows[pk].email_attempts for pk in ids] == [1, 1, 1, 0, 0]
    assert all(rows[pk].email_claimed_at is None for pk in ids[2:])


def test_notify_many_writes_notices_and_queues_one_task_per_batch(staff, django_capture_on_commit_callbacks):
    users = [factories.UserFactory() for _ in range(5)]
    users[4].email_opt_outs = ["reminders"]
    users[4].save()
    rows = [(u, f"many:{u.pk}", "meeting_reminder", {"buyer": "B", "exhibitor": "E", "when": "x"}, "") for u in users]
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_many(rows[:2]) == 2
    with django_capture_on_commit_callbacks(execute=True), pytest.MonkeyPatch.context() as mp:
        mp.setattr(notifications, "EMAIL_BATCH", 2)
        assert notifications.notify_many(rows) == 3  # two existed: one change, one notice
    tasks = list(OutboxMessage.objects.filter(task="companies.send_notification_emails").order_by("pk"))
    assert [len(t.args[0]) for t in tasks] == [2, 2]  # the opted-out person's notice is not emailed
    assert all(t.published_at for t in tasks)
    assert Notification.objects.filter(key__startswith="many:", emailed_at__isnull=False).count() == 4
    assert Notification.objects.get(user=users[4]).email_skipped


def test_enqueue_many_writes_rows_and_nothing_when_the_change_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue_many("companies.publish_outbox", args_list=[[], []])
        raise RuntimeError
    assert not OutboxMessage.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_batch_send_each_notice_exactly_once(smtp_sink):
    ids = notices(60)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(notifications.send_notifications(ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[], []]
    message_ids = [mid for _, mid in smtp_sink.received]
    assert len(message_ids) == 60 and len(set(message_ids)) == 60
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=False, email_attempts=1).count() == 60
