"""Answering and cancelling meetings through the API: the meeting services do the work and
enforce who may do what; the API adds nothing and hides nothing."""

import pytest
from django.urls import reverse

from exhibitions.meetings.services import meeting_request
from tests import factories
from tests.api.conftest import bearer
from tests.meetings.conftest import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    world = make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)
    world.meeting = meeting_request(
        exhibition=world.exhibition, buyer_person=buyer_owner, exhibitor=world.exhibitor, slots=world.slots[:2]
    )
    return world


def url(world, action):
    return reverse(f"api:meeting_{action}", kwargs={"slug": world.exhibition.slug, "pk": world.meeting.pk})


def test_the_exhibitor_accepts_in_an_offered_slot(client, world):
    response = client.post(
        url(world, "accept"),
        {"slot": world.slots[1].pk},
        content_type="application/json",
        **bearer(world.exhibitor_user, "write"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    world.meeting.refresh_from_db()
    assert (world.meeting.status, world.meeting.slot_id) == ("accepted", world.slots[1].pk)


def test_a_slot_not_offered_is_a_field_error(client, world):
    response = client.post(
        url(world, "accept"),
        {"slot": world.slots[3].pk},
        content_type="application/json",
        **bearer(world.exhibitor_user, "write"),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "slot" in response.json()["fields"]
    world.meeting.refresh_from_db()
    assert world.meeting.status == "requested"


def test_the_buyer_cannot_accept_its_own_request(client, world):
    response = client.post(
        url(world, "accept"),
        {"slot": world.slots[0].pk},
        content_type="application/json",
        **bearer(world.buyer_user, "write"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "meeting_rule"


def test_declining_needs_a_reason_and_then_works(client, world):
    headers = bearer(world.exhibitor_user, "write")
    response = client.post(url(world, "decline"), {}, content_type="application/json", **headers)
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = client.post(
        url(world, "decline"), {"reason": "Fully booked"}, content_type="application/json", **headers
    )
    assert response.status_code == 200
    world.meeting.refresh_from_db()
    assert (world.meeting.status, world.meeting.answer_reason) == ("declined", "Fully booked")


def test_the_buyer_withdraws_its_request(client, world):
    response = client.post(
        url(world, "cancel"),
        {"reason": "Plans changed"},
        content_type="application/json",
        **bearer(world.buyer_user, "write"),
    )
    assert response.status_code == 200
    world.meeting.refresh_from_db()
    assert world.meeting.status == "cancelled"


def test_a_read_token_cannot_answer(client, world):
    response = client.post(
        url(world, "decline"), {"reason": "x"}, content_type="application/json", **bearer(world.exhibitor_user)
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    world.meeting.refresh_from_db()
    assert world.meeting.status == "requested"


def test_another_buyer_gets_404_and_changes_nothing(client, world):
    other = factories.MembershipFactory(company=factories.BuyerFactory()).user
    for action, data in (
        ("accept", {"slot": world.slots[0].pk}),
        ("decline", {"reason": "x"}),
        ("cancel", {"reason": "x"}),
    ):
        response = client.post(url(world, action), data, content_type="application/json", **bearer(other, "write"))
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    world.meeting.refresh_from_db()
    assert world.meeting.status == "requested"


def test_anonymous_callers_are_asked_to_authenticate(client, world):
    response = client.post(url(world, "cancel"), {"reason": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
