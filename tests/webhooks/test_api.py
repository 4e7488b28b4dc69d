"""The webhooks through the API: staff register (the secret returned once), list, read,
delete, send a test event and read the delivery log; the same rules as the pages."""

import pytest
from django.urls import reverse

from companies.webhooks.models import WebhookEndpoint
from tests import factories
from tests.api.conftest import bearer

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_staff_register_and_get_the_secret_once(client, staff):
    headers = bearer(staff, scope="write")
    response = client.post(
        reverse("api:webhook_list"),
        {"url": "http://127.0.0.1:8001/in", "events": ["meeting.cancelled", "application.decided"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["secret"] == endpoint.secret and body["id"] == endpoint.pk
    assert body["events"] == ["meeting.cancelled", "application.decided"]
    assert body["cooperative"] == staff.cooperative_id
    listed = client.get(reverse("api:webhook_list"), **headers).json()
    assert [e["id"] for e in listed] == [endpoint.pk] and "secret" not in listed[0]
    assert "secret" not in client.get(reverse("api:webhook_detail", kwargs={"pk": endpoint.pk}), **headers).json()


def test_bad_input_is_a_400_with_fields(client, staff, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    headers = bearer(staff, scope="write")
    url = reverse("api:webhook_list")
    response = client.post(
        url, {"url": "http://127.0.0.1/in", "events": []}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and set(response.json()["fields"]) == {"url", "events"}
    response = client.post(url, ["not", "an", "object"], content_type="application/json", **headers)
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_a_read_token_cannot_register(client, staff):
    response = client.post(
        reverse("api:webhook_list"),
        {"url": "http://127.0.0.1:8001/in", "events": ["run.finished"]},
        content_type="application/json",
        **bearer(staff, scope="read"),
    )
    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_buyers_get_404_and_anonymous_401(client, buyer_owner, staff):
    endpoint = make_endpoint(staff.cooperative, "http://127.0.0.1:9/x")
    for url in (reverse("api:webhook_list"), reverse("api:webhook_deliveries", kwargs={"pk": endpoint.pk})):
        assert client.get(url, **bearer(buyer_owner)).status_code == 404
        assert client.get(url).status_code == 401


def test_test_event_and_delivery_log(client, staff, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(staff.cooperative, receiver.url)
    headers = bearer(staff, scope="write")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:webhook_test", kwargs={"pk": endpoint.pk}), **headers)
    assert response.status_code == 202
    event_id = response.json()["event_id"]
    log = client.get(reverse("api:webhook_deliveries", kwargs={"pk": endpoint.pk}), **headers).json()
    assert log["count"] == 1
    (attempt,) = log["results"]
    assert attempt["event_id"] == event_id and attempt["event_type"] == "ping"
    assert (attempt["attempt"], attempt["status_code"], attempt["delivery_status"]) == (1, 200, "succeeded")
    assert attempt["response_excerpt"] == "answer 200"


def test_delete_through_the_api(client, staff):
    endpoint = make_endpoint(staff.cooperative, "http://127.0.0.1:9/x")
    other = make_endpoint(factories.CooperativeFactory(), "http://127.0.0.1:9/y")
    headers = bearer(staff, scope="write")
    assert client.delete(reverse("api:webhook_detail", kwargs={"pk": other.pk}), **headers).status_code == 404
    assert client.delete(reverse("api:webhook_detail", kwargs={"pk": endpoint.pk}), **headers).status_code == 204
    assert list(WebhookEndpoint.objects.values_list("pk", flat=True)) == [other.pk]
