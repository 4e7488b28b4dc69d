"""A person's meetings through the API: the list (filters), one meeting, requesting one,
proposing a new time, recording the outcome. The meeting services and the pages' forms do
the work, so the API answers with the same field errors and rules as the pages."""

import datetime

import pytest
from django.urls import reverse

from exhibitions.meetings.services import meeting_accept, meeting_request
from exhibitions.models import Meeting
from tests import factories
from tests.api.conftest import bearer
from tests.meetings.conftest import add_buyer, make_world

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)


def request_one(world, slots=None):
    return meeting_request(
        exhibition=world.exhibition,
        buyer_person=world.buyer_user,
        exhibitor=world.exhibitor,
        slots=slots or world.slots[:2],
    )


def booked(world):
    meeting = request_one(world)
    meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    meeting.refresh_from_db()
    return meeting


def url(name, world, meeting=None):
    kwargs = {"slug": world.exhibition.slug}
    if meeting is not None:
        kwargs["pk"] = meeting.pk
    return reverse(f"api:{name}", kwargs=kwargs)


# --- The list and one meeting -----------------------------------------------------------------


def test_the_list_holds_every_meeting_of_the_company_newest_first(client, world):
    first = request_one(world)
    other_show = make_world(exhibitor_user=world.exhibitor_user, buyer_user=world.buyer_user)
    second = request_one(other_show)
    response = client.get(reverse("api:meetings"), **bearer(world.buyer_user))
    assert response.status_code == 200, response.content
    assert [m["id"] for m in response.json()["results"]] == [second.pk, first.pk]
    assert response.json()["results"][0]["exhibition"] == other_show.exhibition.slug


def test_the_list_filters_by_exhibition_and_status(client, world):
    requested = request_one(world)
    accepted = booked(make_world(exhibitor_user=world.exhibitor_user, buyer_user=world.buyer_user))
    headers = bearer(world.exhibitor_user)
    by_show = client.get(reverse("api:meetings"), {"exhibition": world.exhibition.slug}, **headers).json()
    assert [m["id"] for m in by_show["results"]] == [requested.pk]
    by_status = client.get(reverse("api:meetings"), {"status": "accepted"}, **headers).json()
    assert [m["id"] for m in by_status["results"]] == [accepted.pk]


def test_bad_filters_are_field_errors_or_404(client, world):
    headers = bearer(world.buyer_user)
    response = client.get(reverse("api:meetings"), {"status": "lost"}, **headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "status" in response.json()["fields"]
    assert client.get(reverse("api:meetings"), {"exhibition": "no-such-show"}, **headers).status_code == 404
    draft = factories.ExhibitionFactory(status="draft")
    assert client.get(reverse("api:meetings"), {"exhibition": draft.slug}, **headers).status_code == 404


def test_another_buyer_and_staff_see_no_meetings_in_their_list(client, world):
    request_one(world)
    other = add_buyer(world)
    assert client.get(reverse("api:meetings"), **bearer(other)).json()["results"] == []
    staff = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    assert client.get(reverse("api:meetings"), **bearer(staff)).json()["results"] == []


@pytest.mark.parametrize("rows", [5, 200])
def test_the_list_costs_fixed_queries(client, django_assert_num_queries, world, rows):
    for _ in range(rows):
        slot = factories.SlotFactory(exhibition=world.exhibition)
        factories.MeetingFactory(
            exhibition=world.exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
            status="accepted",
            slot=slot,
            starts_at=slot.starts_at,
        )
    headers = bearer(world.buyer_user)
    # token and user, its last use, membership, a page of meetings with their companies
    with django_assert_num_queries(4):
        response = client.get(reverse("api:meetings"), **headers)
    assert len(response.json()["results"]) == min(rows, 50)


def test_the_detail_shows_the_offered_times_and_only_ones_own_outcome_note(client, world):
    meeting = request_one(world)
    body = client.get(url("meeting_detail", world, meeting), **bearer(world.exhibitor_user)).json()
    assert [s["id"] for s in body["proposed_slots"]] == [s.pk for s in world.slots[:2]]
    assert body["move"] is None and body["outcomes"] == []


def test_the_detail_is_404_for_another_buyer(client, world):
    meeting = request_one(world)
    response = client.get(url("meeting_detail", world, meeting), **bearer(add_buyer(world)))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- Requesting a meeting ------------------------------------------------------------------


def test_a_buyer_requests_a_meeting(client, world):
    body = {"exhibitor": world.exhibitor.ref, "slots": [world.slots[0].pk, world.slots[2].pk], "message": "Molds"}
    response = client.post(url("meeting_request", world), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert (meeting.status, meeting.buyer_person, meeting.message) == ("requested", world.buyer_user, "Molds")
    assert sorted(s.pk for s in meeting.proposed_slots.all()) == [world.slots[0].pk, world.slots[2].pk]


def test_a_request_without_times_is_the_forms_field_error_and_writes_nothing(client, world):
    body = {"exhibitor": world.exhibitor.ref, "slots": []}
    response = client.post(url("meeting_request", world), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 400
    assert "slots" in response.json()["fields"]
    assert not Meeting.objects.exists()


def test_a_request_to_an_exhibitor_not_taking_part_is_404(client, world):
    outsider = factories.ExhibitorFactory()
    body = {"exhibitor": outsider.ref, "slots": [world.slots[0].pk]}
    response = client.post(url("meeting_request", world), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 404


def test_a_read_token_cannot_request(client, world):
    body = {"exhibitor": world.exhibitor.ref, "slots": [world.slots[0].pk]}
    response = client.post(url("meeting_request", world), body, **JSON, **bearer(world.buyer_user, "read"))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Meeting.objects.exists()


# --- A new time ------------------------------------------------------------------------------


def test_a_side_proposes_a_new_time_which_waits_for_the_other_side(client, world):
    meeting = booked(world)
    body = {"slot": world.slots[3].pk, "message": "Later, please"}
    response = client.post(url("meeting_reschedule", world, meeting), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 200, response.content
    assert response.json()["move"]["slot"]["id"] == world.slots[3].pk and response.json()["move"]["mine"]
    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.move_slot_id, meeting.move_side) == (world.slots[0].pk, world.slots[3].pk, "buyer")


def test_staff_move_a_meeting_at_once(client, world):
    meeting = booked(world)
    staff = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    body = {"slot": world.slots[2].pk, "place": "booth"}
    response = client.post(url("meeting_reschedule", world, meeting), body, **JSON, **bearer(staff, "write"))
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.slot_id == world.slots[2].pk and not meeting.move_side


def test_a_time_that_is_not_free_is_a_field_error(client, world):
    meeting = booked(world)
    other = meeting_request(
        exhibition=world.exhibition, buyer_person=add_buyer(world), exhibitor=world.exhibitor, slots=[world.slots[1]]
    )
    meeting_accept(meeting=other, slot=world.slots[1], by=world.exhibitor_user)  # the booth is busy then
    body = {"slot": world.slots[1].pk}
    response = client.post(url("meeting_reschedule", world, meeting), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 400 and "slot" in response.json()["fields"]


def test_a_request_cannot_be_moved_a_meeting_rule_in_the_callers_language(client, world):
    meeting = request_one(world)
    body = {"slot": world.slots[3].pk}
    response = client.post(
        url("meeting_reschedule", world, meeting),
        body,
        **JSON,
        **bearer(world.buyer_user, "write"),
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "meeting_rule"
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


# --- The outcome -----------------------------------------------------------------------------


def started(world):
    meeting = booked(world)
    earlier = datetime.timedelta(days=4)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at - earlier)
    meeting.refresh_from_db()
    return meeting


def test_a_side_records_its_outcome_and_only_it_sees_its_note(client, world):
    meeting = started(world)
    body = {"outcome": "quotation", "estimated_value": 2500000, "currency": "JPY", "note": "Send the drawing"}
    response = client.post(url("meeting_outcome", world, meeting), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 200, response.content
    assert response.json()["outcomes"][0]["note"] == "Send the drawing"
    seen = client.get(url("meeting_detail", world, meeting), **bearer(world.exhibitor_user)).json()
    assert seen["outcomes"] == []  # the other side sees neither kind nor note
    staff = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    seen = client.get(url("meeting_detail", world, meeting), **bearer(staff)).json()
    assert seen["outcomes"][0]["outcome"] == "quotation" and seen["outcomes"][0]["note"] is None


def test_a_negative_value_is_the_forms_field_error(client, world):
    meeting = started(world)
    body = {"outcome": "deal", "estimated_value": -5, "currency": "JPY"}
    response = client.post(url("meeting_outcome", world, meeting), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 400 and "estimated_value" in response.json()["fields"]
    assert not meeting.outcomes.exists()


def test_an_outcome_before_the_meeting_is_a_meeting_rule(client, world):
    meeting = booked(world)
    body = {"outcome": "deal", "currency": "JPY"}
    response = client.post(url("meeting_outcome", world, meeting), body, **JSON, **bearer(world.buyer_user, "write"))
    assert response.status_code == 409 and response.json()["code"] == "meeting_rule"


def test_staff_cannot_record_an_outcome(client, world):
    meeting = started(world)
    staff = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    body = {"outcome": "deal", "currency": "JPY"}
    response = client.post(url("meeting_outcome", world, meeting), body, **JSON, **bearer(staff, "write"))
    assert response.status_code == 404
