"""What the rest of Fairlink calls when something a webhook may want happens: one line in
the service, inside its transaction, e.g.

    webhook_events.meeting_confirmed(meeting)

Each writes a WebhookEvent and one WebhookDelivery per subscribed endpoint of the
exhibition's cooperative, and queues their delivery through the outbox, all in the caller's
transaction: the event exists exactly when the change does, and sending happens later in a
worker (a slow or failing receiver never slows or undoes the change). With no subscribed
endpoint it costs one query and builds no payload."""

from django.utils import timezone

from companies import outbox

from .models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent


def _subscribed(cooperative_id, event_type):
    endpoints = WebhookEndpoint.objects.filter(cooperative_id=cooperative_id, is_active=True).only("pk", "events")
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def emit(*, cooperative_id, event_type, data, endpoints=None):
    """Record the event `event_type` for `cooperative_id` and queue its deliveries.

    `data` is a dict or a function that returns one (called only when someone listens).
    `endpoints` limits it to these (the test button). Side effects: a WebhookEvent, one
    WebhookDelivery per endpoint, one outbox task `webhooks.deliver` each. Returns the event
    or None when nobody listens."""
    if endpoints is None:
        endpoints = _subscribed(cooperative_id, event_type) if cooperative_id else []
    if not endpoints:
        return None
    event = WebhookEvent.objects.create(
        cooperative_id=cooperative_id, type=event_type, data=data() if callable(data) else data
    )
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now) for endpoint in endpoints]
    )
    for delivery in deliveries:
        outbox.enqueue("webhooks.deliver", args=[delivery.pk])
    return event


def _time(value):
    return value.isoformat() if value else None


def _company(company):
    # Every language the company gave, not the one of whoever caused the event.
    return {"ref": company.ref, "name": {"en": company.name_en, "ko": company.name_ko, "ja": company.name_ja}}


def _meeting_data(meeting):
    return {
        "meeting": {
            "id": meeting.pk,
            "exhibition": meeting.exhibition.slug,
            "status": meeting.status,
            "origin": meeting.origin,
            "buyer": _company(meeting.buyer),
            "exhibitor": _company(meeting.exhibitor),
            "starts_at": _time(meeting.starts_at),
            "ends_at": _time(meeting.ends_at),
            "booth": meeting.booth.code if meeting.booth_id else None,
            "table": meeting.table.number if meeting.table_id else None,
            "cancel_reason": meeting.cancel_reason or None,
        }
    }


def meeting_confirmed(meeting):
    emit(
        cooperative_id=meeting.exhibition.cooperative_id,
        event_type=EventType.MEETING_CONFIRMED,
        data=lambda: _meeting_data(meeting),
    )


def meeting_cancelled(meeting):
    emit(
        cooperative_id=meeting.exhibition.cooperative_id,
        event_type=EventType.MEETING_CANCELLED,
        data=lambda: _meeting_data(meeting),
    )


def application_decided(application):
    emit(
        cooperative_id=application.exhibition.cooperative_id,
        event_type=EventType.APPLICATION_DECIDED,
        data=lambda: {
            "application": {
                "id": application.pk,
                "exhibition": application.exhibition.slug,
                "company": _company(application.company),
                "status": application.status,
                "reason": application.decision_reason or None,
                "booth": application.booth.code if application.booth_id else None,
            }
        },
    )


def run_finished(*, kind, run, exhibition, figures):
    """`kind` is "matcher" or "scheduler"; `figures` a small dict of its results."""
    emit(
        cooperative_id=exhibition.cooperative_id,
        event_type=EventType.RUN_FINISHED,
        data=lambda: {
            "run": {
                "kind": kind,
                "id": run.pk,
                "exhibition": exhibition.slug,
                "status": "finished",
                "finished_at": _time(timezone.now()),
                **figures,
            }
        },
    )
