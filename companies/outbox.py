"""The one way services queue work: `outbox.enqueue("app.task_name", args=[...])`.

Why: a task queued with `on_commit(task.delay)` is lost when the broker is down at that
moment, and a hung broker makes the user's request wait and then fail after its change was
saved. Here the task is a database row written in the caller's transaction (so it exists
exactly when the change does), published right after commit with short timeouts and no
retry loop, and, if that fails, published by beat (`companies.publish_outbox`, every 15 s)
once the broker is back. Publishing never raises into the caller.

Delivery is at least once: a publish that timed out may still have reached Redis, and a
worker may die before acking. So every task queued here must be idempotent (claim a row
with a conditional UPDATE, skip what is done): see docs/reliability.md.

Usage, inside the service's transaction:

    from companies import outbox
    outbox.enqueue("matching.run_matcher", args=[run.pk])
    outbox.enqueue("matching.rescore", args=[exhibition_id, token], countdown=30)
"""

import logging
import time
from datetime import timedelta

from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)

# After a failed publish, requests leave their tasks to beat for this long, so that a hung
# broker costs one request half a second, not every request.
BROKER_RETRY_AFTER = 10.0
# Beat leaves rows this young to the request that wrote them (it publishes them at commit).
PUBLISH_GRACE = timedelta(seconds=5)
_broker_down_until = 0.0


def enqueue(task, *, args=(), kwargs=None, countdown=0):
    """Queue the Celery task named `task` once the current transaction commits.

    `args`/`kwargs` must be JSON (ids, strings). `countdown` delays it by seconds.
    Side effects: an OutboxMessage row (in the caller's transaction); after commit, the task
    published to the broker (or left for beat when the broker does not answer)."""
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task=task, args=list(args), kwargs=dict(kwargs or {}), due_at=now + timedelta(seconds=countdown)
    )
    transaction.on_commit(lambda: publish(message, countdown=countdown, from_request=True))
    return message


def enqueue_many(task, *, args_list, countdown=0):
    """Queue the task `task` once per entry of `args_list` (a list of args lists), with one
    INSERT for all of them (a mailing to thousands queues its batches at once).
    Side effects: as `enqueue`, for each."""
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                task=task, args=list(args), kwargs={}, created_at=now, due_at=now + timedelta(seconds=countdown)
            )
            for args in args_list
        ]
    )
    if messages and messages[0].pk is None:  # a backend that returns no ids (not ours): read them back
        messages = list(OutboxMessage.objects.filter(task=task, created_at=now).order_by("pk"))

    def publish_all():
        for message in messages:
            if not publish(message, countdown=countdown, from_request=True):
                break  # the broker is down: beat publishes the rest

    transaction.on_commit(publish_all)
    return messages


def _celery_app():
    from config.celery import app

    return app


def _task(app, name):
    """The registered task `name`, importing the apps' task modules on first use (a web
    process never starts a worker, which is what imports them otherwise)."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def publish(message, *, countdown=0, from_request=False):
    """Send one outbox message to the broker and mark it published; False when it could not be
    sent now (it stays in the outbox). Never raises, except a task's own error in eager mode."""
    global _broker_down_until
    app = _celery_app()
    if app.conf.task_always_eager:
        # No broker (demo, tests): run it here, as `.delay()` would.
        if OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(published_at=timezone.now()):
            try:
                _task(app, message.task).apply_async(args=message.args, kwargs=message.kwargs)
            except Retry as exc:  # e.g. SMTP down: no worker will retry, the row's sweep will
                log.warning("outbox: %s failed in-process and awaits its sweep (%s)", message, exc)
        return True
    if from_request and time.monotonic() < _broker_down_until:
        return False
    try:
        app.send_task(
            message.task,
            args=message.args,
            kwargs=message.kwargs,
            countdown=max(0, countdown),
            task_id=f"outbox-{message.pk}-{message.publish_attempts + 1}",
            retry=False,
            # Nobody waits for an outbox task's result; asking for one would make Celery
            # subscribe to the result store, which retries for 20 s when Redis is down.
            ignore_result=True,
        )
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the task to beat
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        log.warning("outbox: could not publish %s (%s); beat will", message, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            publish_attempts=message.publish_attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    _broker_down_until = 0.0
    OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(
        published_at=timezone.now(), publish_attempts=message.publish_attempts + 1
    )
    return True


def publish_due(*, limit=500):
    """Publish what is due and was not published at commit (beat, every 15 s).

    Side effects: publishes tasks; marks their rows published. Returns how many were sent."""
    cutoff = timezone.now() - PUBLISH_GRACE
    due = OutboxMessage.objects.filter(published_at__isnull=True, due_at__lte=timezone.now(), created_at__lt=cutoff)
    sent = 0
    for message in due.order_by("due_at", "pk")[:limit]:
        if not publish(message):
            break  # the broker is down again: the next beat tries
        sent += 1
    return sent


def forget_published(*, older_than=timedelta(days=7)):
    """Side effects: deletes rows published more than `older_than` ago. Returns how many."""
    cutoff = timezone.now() - older_than
    return OutboxMessage.objects.filter(published_at__lt=cutoff).delete()[0]
