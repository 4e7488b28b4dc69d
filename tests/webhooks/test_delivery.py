"""Events reach the receiver signed, once; failures are retried with backoff and never undo
the change that caused them. A real HTTP server on 127.0.0.1 receives (transport.py is not
mocked, except where the test says so)."""

import datetime
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from companies.webhooks import services, signing, transport
from companies.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from exhibitions.meetings import services as meeting_services
from exhibitions.models import Meeting
from exhibitions.services import application_decide
from tests import factories
from tests.meetings.conftest import make_world

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=1)


@pytest.fixture
def show(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)


def requested(show):
    return meeting_services.meeting_request(
        exhibition=show.exhibition, buyer_person=show.buyer_user, exhibitor=show.exhibitor, slots=show.slots[:2]
    )


def test_a_confirmed_meeting_reaches_the_receiver_signed(show, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting = requested(show)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_accept(meeting=meeting, slot=show.slots[0], by=show.exhibitor_user)

    assert len(receiver.received) == 1
    request = receiver.received[0]
    headers = request["headers"]
    assert signing.verify(endpoint.secret, request["body"], headers["Fairlink-Signature"])
    assert not signing.verify("whsec_wrong", request["body"], headers["Fairlink-Signature"])
    assert not signing.verify(endpoint.secret, request["body"] + b" ", headers["Fairlink-Signature"])
    body = json.loads(request["body"])
    event = WebhookEvent.objects.get()
    assert body["id"] == event.event_id == headers["Fairlink-Event-Id"]
    assert body["type"] == "meeting.confirmed"
    assert body["created_at"] == event.created_at.isoformat()
    assert body["data"]["meeting"]["id"] == meeting.pk
    assert body["data"]["meeting"]["status"] == "accepted"
    assert body["data"]["meeting"]["buyer"]["ref"] == show.buyer.ref
    assert body["data"]["meeting"]["booth"] == "A-01"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.number, attempt.status_code, attempt.response_excerpt) == (1, 200, "answer 200")


def test_signature_is_checked_against_time():
    body = b'{"id":"evt_1"}'
    header = signing.header_value("whsec_x", body, timestamp=1_000_000)
    assert signing.verify("whsec_x", body, header, now=1_000_000 + 299)
    assert not signing.verify("whsec_x", body, header, now=1_000_000 + 301)  # a replay
    assert not signing.verify("whsec_x", body, "v1=abc")
    assert not signing.verify("whsec_x", body, "t=soon,v1=abc")


def test_only_subscribed_active_endpoints_of_the_exhibitions_cooperative_get_it(show, receiver):
    wanted = make_endpoint(show.exhibition.cooperative, receiver.url, events=["meeting.confirmed"])
    make_endpoint(show.exhibition.cooperative, receiver.url, events=["meeting.cancelled"])
    make_endpoint(show.exhibition.cooperative, receiver.url, is_active=False)
    make_endpoint(factories.CooperativeFactory(), receiver.url)
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [wanted.pk]


def test_nobody_listening_writes_no_event(show):
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    assert not WebhookEvent.objects.exists()


def test_cancel_and_application_decision_are_events(show, staff, receiver):
    make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting = requested(show)
    meeting_services.meeting_cancel(meeting=meeting, by=show.buyer_user, reason="Plans changed")
    application = factories.ApplicationFactory(exhibition=show.exhibition)
    application_decide(application=application, status="rejected", by=staff, reason="No space")
    events = {e.type: e.data for e in WebhookEvent.objects.all()}
    assert events["meeting.cancelled"]["meeting"]["cancel_reason"] == "Plans changed"
    assert events["application.decided"]["application"]["status"] == "rejected"
    assert events["application.decided"]["application"]["reason"] == "No space"


def test_an_event_is_rolled_back_with_its_action(show, receiver):
    make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting = requested(show)
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_services.meeting_accept(meeting=meeting, slot=show.slots[0], by=show.exhibitor_user)
        raise RuntimeError("the request failed after the service")
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_retries_on_500_and_timeout_with_backoff_then_succeeds(show, receiver, monkeypatch):
    monkeypatch.setattr(transport, "TOTAL_TIMEOUT", 0.5)
    receiver.answers = [500, "slow", 200]
    receiver.slow_seconds = 1.5
    endpoint = make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    delivery = WebhookDelivery.objects.get()

    first = services.delivery_send(delivery_id=delivery.pk, now=timezone.now() + LATER)
    delivery.refresh_from_db()
    assert (first.status_code, delivery.status) == (500, "pending")
    wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=55) < wait <= datetime.timedelta(seconds=60)
    # Not due yet: a second task for it (the outbox delivers at least once) sends nothing.
    assert services.delivery_send(delivery_id=delivery.pk) is None

    second = services.delivery_send(delivery_id=delivery.pk, now=timezone.now() + LATER)
    delivery.refresh_from_db()
    assert (second.status_code, second.error, delivery.status) == (None, "timeout", "pending")
    assert second.duration_ms < 1400
    wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=115) < wait <= datetime.timedelta(seconds=120)  # doubled

    third = services.delivery_send(delivery_id=delivery.pk, now=timezone.now() + LATER)
    delivery.refresh_from_db()
    assert (third.status_code, delivery.status, delivery.attempts) == (200, "succeeded", 3)
    assert [a.number for a in WebhookAttempt.objects.order_by("pk")] == [1, 2, 3]
    # Every attempt was signed with the endpoint's secret and says which attempt it is.
    for number, request in enumerate(receiver.received[:3], start=1):
        assert signing.verify(endpoint.secret, request["body"], request["headers"]["Fairlink-Signature"])
        assert request["headers"]["Fairlink-Delivery-Attempt"] == str(number)
    assert services.delivery_send(delivery_id=delivery.pk, now=timezone.now() + LATER) is None


def test_gives_up_after_max_attempts(show, receiver):
    receiver.answers = [503] * services.MAX_ATTEMPTS
    make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    delivery = WebhookDelivery.objects.get()
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.delivery_send(delivery_id=delivery.pk, now=timezone.now() + datetime.timedelta(days=2))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert len(receiver.received) == services.MAX_ATTEMPTS


def test_a_refused_connection_is_a_failed_attempt_not_an_error(show):
    make_endpoint(show.exhibition.cooperative, "http://127.0.0.1:9/nobody-listens")
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    attempt = services.delivery_send(delivery_id=WebhookDelivery.objects.get().pk, now=timezone.now() + LATER)
    assert attempt.status_code is None and "Connection" in attempt.error


def test_a_failing_delivery_never_undoes_the_meeting(client, show, monkeypatch, django_capture_on_commit_callbacks):
    """Even a delivery that crashes (not only one that gets a 500) leaves the acceptance saved
    and the exhibitor's request answered."""

    def broken(*args, **kwargs):
        raise RuntimeError("the receiver's library blew up")

    monkeypatch.setattr(transport, "post", broken)
    make_endpoint(show.exhibition.cooperative, "http://127.0.0.1:9/x")
    meeting = requested(show)
    client.force_login(show.exhibitor_user)
    url = reverse("api:meeting_accept", kwargs={"slug": show.exhibition.slug, "pk": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"slot": show.slots[0].pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Meeting.objects.get(pk=meeting.pk).status == "accepted"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"  # to be tried again later
    assert WebhookAttempt.objects.get().error == "RuntimeError: the receiver's library blew up"


def test_sweep_requeues_lost_and_stuck_deliveries(show, receiver, django_capture_on_commit_callbacks):
    make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    delivery = WebhookDelivery.objects.get()
    # Its task was lost: still pending long after it was due.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_requeue_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.received) == 1
    # A worker died during the last attempt: marked failed, not retried for ever.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=services.MAX_ATTEMPTS, locked_until=timezone.now() - LATER
    )
    assert services.deliveries_requeue_due() == 0
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_one_delivery_per_event_and_endpoint_is_a_constraint(show, receiver):
    endpoint = make_endpoint(show.exhibition.cooperative, receiver.url)
    meeting_services.meeting_accept(meeting=requested(show), slot=show.slots[0], by=show.exhibitor_user)
    event = WebhookEvent.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=timezone.now())


def test_test_button_event_goes_to_that_endpoint_only(show, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(show.exhibition.cooperative, receiver.url)
    make_endpoint(show.exhibition.cooperative, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.endpoint_send_test(endpoint=endpoint)
    assert event.type == "ping"
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [endpoint.pk]
    assert json.loads(receiver.received[0]["body"])["type"] == "ping"
