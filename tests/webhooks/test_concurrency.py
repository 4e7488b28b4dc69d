"""Two workers given the same delivery (the outbox delivers at least once) send it once."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from companies.webhooks import services
from companies.webhooks.models import WebhookAttempt, WebhookDelivery
from exhibitions.meetings import services as meeting_services
from tests.meetings.conftest import make_world

from .conftest import make_endpoint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so it cannot show a race (set DATABASE_URL)",
    ),
]
WORKERS = 2


@pytest.mark.parametrize("round_", range(5))
def test_two_workers_send_each_delivery_once(exhibitor_owner, buyer_owner, receiver, round_):
    show = make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)
    make_endpoint(show.exhibition.cooperative, receiver.url)
    make_endpoint(show.exhibition.cooperative, receiver.url + "/second")
    meeting = meeting_services.meeting_request(
        exhibition=show.exhibition, buyer_person=show.buyer_user, exhibitor=show.exhibitor, slots=show.slots[:2]
    )
    # Published and run at commit (eager), like the first worker; reset to "not yet sent".
    meeting_services.meeting_accept(meeting=meeting, slot=show.slots[0], by=show.exhibitor_user)
    WebhookAttempt.objects.all().delete()
    WebhookDelivery.objects.update(status="pending", attempts=0, next_attempt_at=timezone.now())
    receiver.received.clear()
    deliveries = list(WebhookDelivery.objects.values_list("pk", flat=True))
    assert len(deliveries) == 2

    barrier = threading.Barrier(WORKERS * len(deliveries))
    errors = []

    def worker(delivery_id):
        try:
            barrier.wait(timeout=30)
            services.delivery_send(delivery_id=delivery_id, now=timezone.now() + datetime.timedelta(seconds=1))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(d,)) for d in deliveries for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r["path"] for r in receiver.received) == ["/hooks/fairlink", "/hooks/fairlink/second"]
    assert WebhookAttempt.objects.count() == 2
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
