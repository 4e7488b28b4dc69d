"""The staff pages: register (the secret shown once), the list and the delivery log in a
fixed number of queries, the test button, deleting; another cooperative's staff get 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests import factories

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_register_shows_the_secret_once(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("webhooks:create"),
        {"url": "http://127.0.0.1:8001/in", "events": ["meeting.confirmed", "run.finished"], "description": "CRM"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.cooperative, endpoint.events, endpoint.created_by) == (
        staff.cooperative,
        ["meeting.confirmed", "run.finished"],
        staff,
    )
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    detail = client.get(reverse("webhooks:detail", kwargs={"pk": endpoint.pk})).content.decode()
    assert endpoint.secret not in detail and endpoint.secret_hint in detail


def test_a_bad_url_is_a_field_error_and_keeps_what_was_typed(client, staff, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    client.force_login(staff)
    response = client.post(
        reverse("webhooks:create"), {"url": "http://10.0.0.5/in", "events": ["meeting.confirmed"], "description": "ERP"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"url": ["The URL must start with https://."]}
    assert 'value="ERP"' in response.content.decode()
    response = client.post(reverse("webhooks:create"), {"url": "https://10.0.0.5/in", "events": ["nonsense"]})
    assert set(response.context["form"].errors) == {"url", "events"}
    assert not WebhookEndpoint.objects.exists()


def test_admin_chooses_the_cooperative(client, admin_user):
    cooperative = factories.CooperativeFactory()
    client.force_login(admin_user)
    response = client.post(reverse("webhooks:create"), {"url": "http://127.0.0.1:8001/in", "events": ["ping"]})
    assert set(response.context["form"].errors) == {"events", "cooperative"}
    client.post(
        reverse("webhooks:create"),
        {"url": "http://127.0.0.1:8001/in", "events": ["run.finished"], "cooperative": cooperative.pk},
    )
    assert WebhookEndpoint.objects.get().cooperative == cooperative


def test_another_cooperatives_staff_get_404(client, staff):
    endpoint = make_endpoint(factories.CooperativeFactory(), "http://127.0.0.1:9/x")
    client.force_login(staff)
    for name in ("webhooks:detail",):
        assert client.get(reverse(name, kwargs={"pk": endpoint.pk})).status_code == 404
    for name in ("webhooks:test", "webhooks:delete"):
        assert client.post(reverse(name, kwargs={"pk": endpoint.pk})).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert endpoint.url not in client.get(reverse("webhooks:list")).content.decode()


def test_test_button_delivers_and_the_log_shows_it(client, staff, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(staff.cooperative, receiver.url)
    receiver.answers = [418]
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:test", kwargs={"pk": endpoint.pk}))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "ping" in page and "418" in page and "answer 418" in page
    assert WebhookDelivery.objects.get().status == "pending"  # to be retried


def test_delete(client, staff):
    endpoint = make_endpoint(staff.cooperative, "http://127.0.0.1:9/x")
    client.force_login(staff)
    assert client.post(reverse("webhooks:delete", kwargs={"pk": endpoint.pk})).status_code == 302
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_list_queries(client, staff, rows, django_assert_num_queries):
    for n in range(rows):
        make_endpoint(staff.cooperative, f"http://127.0.0.1:9/{n}")
    client.force_login(staff)
    url = reverse("webhooks:list")
    client.get(url)
    with django_assert_num_queries(4):  # session, the person (2), endpoints with their cooperative
        response = client.get(url)
    assert response.content.decode().count("http://127.0.0.1:9/") == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_delivery_log_queries(client, staff, rows, django_assert_num_queries):
    endpoint = make_endpoint(staff.cooperative, "http://127.0.0.1:9/x")
    now = timezone.now()
    for n in range(rows):
        event = WebhookEvent.objects.create(cooperative=staff.cooperative, type="ping")
        delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=now, attempts=1)
        WebhookAttempt.objects.create(delivery=delivery, number=1, started_at=now, status_code=500, duration_ms=n)
    client.force_login(staff)
    url = reverse("webhooks:detail", kwargs={"pk": endpoint.pk})
    client.get(url)
    with django_assert_num_queries(6):  # session, the person (2), endpoint, count, attempts with event
        response = client.get(url)
    assert response.content.decode().count("evt_") == rows
