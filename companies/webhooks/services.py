"""Endpoints (register, delete, test) and the delivery of events with retries.

Delivery (task `webhooks.deliver`, queued by events.emit through the outbox):
1. claim: a conditional UPDATE takes the delivery if it is pending and due (or a dead
   worker's `sending` lock has run out), so only one worker sends it, however often the
   task arrives;
2. send: one signed POST with a timeout (transport.post), outside any transaction;
3. record the attempt; on a 2xx the delivery succeeded; otherwise it waits
   RETRY_DELAYS[attempt] seconds (1 min, 2, 4 ... 64 min: exponential) and is queued again,
   until MAX_ATTEMPTS have failed.
A beat job (`webhooks.sweep`) re-queues due deliveries whose task was lost."""

import json
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import outbox

from . import events, signing, transport
from .models import PING, EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint

MAX_ATTEMPTS = 8
# Seconds to wait after failed attempt n (1-based) before attempt n + 1.
RETRY_DELAYS = [60 * 2**n for n in range(MAX_ATTEMPTS - 1)]
# A sending worker holds a delivery this long; after that another may take it.
SENDING_LOCK = timedelta(seconds=transport.TOTAL_TIMEOUT * 6)


class WebhookError(ValueError):
    pass


# ---------------------------------------------------------------- endpoints


def endpoint_create(*, cooperative, url, events, by, description=""):
    """Register `url` for `events` of `cooperative`.

    Side effects: a WebhookEndpoint with a new signing secret (returned on the endpoint:
    callers show it once). Raises WebhookError for an unsafe URL or no known event."""
    try:
        transport.check_url(url)
    except transport.UnsafeURL as exc:
        raise WebhookError(str(exc)) from None
    chosen = [event for event in EventType.values if event in set(events)]
    if not chosen:
        raise WebhookError(_("Choose at least one event."))
    return WebhookEndpoint.objects.create(
        cooperative=cooperative,
        url=url,
        description=description,
        events=chosen,
        secret=signing.new_secret(),
        created_by=by,
    )


def endpoint_delete(*, endpoint):
    """Side effects: the endpoint, its deliveries and their log are deleted."""
    endpoint.delete()


def endpoint_send_test(*, endpoint):
    """Queue a `ping` event to this endpoint only (the "send test event" button).

    Side effects: a WebhookEvent, its WebhookDelivery and the outbox task. Returns the event."""
    with transaction.atomic():
        return events.emit(
            cooperative_id=endpoint.cooperative_id,
            event_type=PING,
            data={"endpoint": endpoint.pk, "message": "Test event from Fairlink"},
            endpoints=[endpoint],
        )


# ---------------------------------------------------------------- delivery


def payload(event):
    """The body: compact JSON, keys in a fixed order (the signature covers these bytes)."""
    document = {
        "id": event.event_id,
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def delivery_claim(*, delivery_id, now=None):
    """Take the delivery for one attempt; True when this caller got it.
    Side effects: status sending, attempts + 1, a lock until now + SENDING_LOCK."""
    now = now or timezone.now()
    free = Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=WebhookDelivery.Status.SENDING, locked_until__lt=now
    )
    return bool(
        WebhookDelivery.objects.filter(free, pk=delivery_id, attempts__lt=MAX_ATTEMPTS).update(
            status=WebhookDelivery.Status.SENDING,
            attempts=F("attempts") + 1,
            locked_until=now + SENDING_LOCK,
        )
    )


def delivery_send(*, delivery_id, now=None):
    """Claim, send and record one attempt of a delivery (the task's body).

    Side effects: a WebhookAttempt; the delivery succeeded, failed (after MAX_ATTEMPTS) or
    pending again with its next time, and then a new outbox task with that countdown.
    Returns the attempt, or None when there was nothing to send (gone, done, not due, or
    another worker has it)."""
    if not delivery_claim(delivery_id=delivery_id, now=now):
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    body = payload(delivery.event)
    headers = {
        "Content-Type": "application/json",
        signing.HEADER: signing.header_value(delivery.endpoint.secret, body),
        "Fairlink-Event-Id": delivery.event.event_id,
        "Fairlink-Event-Type": delivery.event.type,
        "Fairlink-Delivery-Attempt": str(delivery.attempts),
    }
    started_at = timezone.now()
    try:
        response = transport.post(delivery.endpoint.url, body, headers)
    except Exception as exc:  # noqa: BLE001 - whatever breaks, it is a failed attempt to retry
        response = transport.Response(status_code=None, duration_ms=0, error=f"{type(exc).__name__}: {exc}")
    return _record(delivery, response, started_at)


def _record(delivery, response, started_at):
    now = timezone.now()
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started_at,
            duration_ms=response.duration_ms,
            status_code=response.status_code,
            error=response.error[:300],
            response_excerpt=response.excerpt[:500],
        )
        update = {"last_status_code": response.status_code, "locked_until": None}
        if response.ok:
            update.update(status=WebhookDelivery.Status.SUCCEEDED, finished_at=now)
        elif delivery.attempts >= MAX_ATTEMPTS:
            update.update(status=WebhookDelivery.Status.FAILED, finished_at=now)
        else:
            delay = RETRY_DELAYS[delivery.attempts - 1]
            update.update(status=WebhookDelivery.Status.PENDING, next_attempt_at=now + timedelta(seconds=delay))
            outbox.enqueue("webhooks.deliver", args=[delivery.pk], countdown=delay)
        WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(**update)
    return attempt


def deliveries_requeue_due(*, now=None, grace=timedelta(minutes=2), limit=500):
    """Beat job: queue again what is due since `grace` (its task was lost) or whose sending
    worker died. Side effects: outbox tasks. Returns how many."""
    now = now or timezone.now()
    # A worker died during the last attempt: nothing is left to try.
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, locked_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(status=WebhookDelivery.Status.FAILED, finished_at=now, locked_until=None)
    stuck = Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now - grace) | Q(
        status=WebhookDelivery.Status.SENDING, locked_until__lt=now
    )
    ids = list(WebhookDelivery.objects.filter(stuck).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    with transaction.atomic():
        for delivery_id in ids:
            outbox.enqueue("webhooks.deliver", args=[delivery_id])
    return len(ids)
