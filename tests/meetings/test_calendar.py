"""The personal iCalendar feed, parsed back with the icalendar library."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from exhibitions.meetings import services

from .conftest import add_buyer, move

pytestmark = pytest.mark.django_db


def feed(client, world, user):
    response = client.get(
        reverse("exhibitions:meetings_calendar", kwargs={"slug": world.exhibition.slug, "token": user.calendar_token})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return list(cal.walk("VEVENT"))


def book(world, slot=None):
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:2]
    )
    return services.meeting_accept(meeting=meeting, slot=slot or world.slots[0], by=world.exhibitor_user)


def test_feed_has_the_booked_meeting_for_both_sides(client, world):
    meeting = book(world)
    for person, counterpart in ((world.buyer_user, world.exhibitor), (world.exhibitor_user, world.buyer)):
        [event] = events(feed(client, world, person))
        assert str(event["UID"]) == f"{meeting.uid}@fairlink"
        assert int(event["SEQUENCE"]) == 1
        assert event["STATUS"] == "CONFIRMED"
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event.decoded("DTEND") == meeting.ends_at
        assert counterpart.name in str(event["SUMMARY"])
        assert "A-01" in str(event["LOCATION"])
        assert "interpreter" in str(event["DESCRIPTION"]).lower()


def test_pending_requests_are_not_in_the_feed(client, world):
    services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:2]
    )
    assert events(feed(client, world, world.buyer_user)) == []


def test_rescheduled_meeting_updates_the_same_event(client, world):
    meeting = book(world)
    move(meeting, world.slots[3], by=world.buyer_user, accepted_by=world.exhibitor_user)
    [event] = events(feed(client, world, world.buyer_user))
    assert str(event["UID"]) == f"{meeting.uid}@fairlink"
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("DTSTART") == world.slots[3].starts_at


def test_cancelled_meeting_is_cancelled_not_removed_nor_duplicated(client, world):
    meeting = book(world)
    move(meeting, world.slots[2], by=world.buyer_user, accepted_by=world.exhibitor_user)
    services.meeting_cancel(meeting=meeting, by=world.exhibitor_user, reason="Sorry")
    [event] = events(feed(client, world, world.buyer_user))
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["UID"]) == f"{meeting.uid}@fairlink"


def test_feed_is_personal(client, world):
    book(world)
    rival = add_buyer(world)
    assert events(feed(client, world, rival)) == []


def test_wrong_token_is_404(client, world):
    book(world)
    response = client.get(
        reverse("exhibitions:meetings_calendar", kwargs={"slug": world.exhibition.slug, "token": "not-a-token"})
    )
    assert response.status_code == 404
