"""What happens to meetings when staff change who takes part, or where an exhibitor stands."""

import pytest

from companies.models import Notification
from exhibitions import services as exhibition_services
from exhibitions.models import Meeting, MeetingEvent
from tests import factories

from .conftest import add_buyer, past
from .test_services import accepted, request

pytestmark = pytest.mark.django_db


def test_moving_an_exhibitor_moves_its_booked_meetings_to_the_new_booth(world, staff):
    meeting = accepted(world)
    assert meeting.booth == world.booth
    new_booth = factories.BoothFactory(hall=world.booth.hall, exhibition=world.exhibition, code="C-09")

    exhibition_services.booth_assign(application=world.application, booth=new_booth, by=staff)

    meeting.refresh_from_db()
    assert meeting.booth == new_booth
    assert meeting.status == "accepted" and meeting.sequence == 2  # the calendar event is updated
    assert MeetingEvent.objects.filter(meeting=meeting, action="moved", details__to="C-09").exists()
    assert Notification.objects.filter(user=world.buyer_user, key__startswith=f"meeting:{meeting.pk}:moved").exists()


def test_a_held_meeting_stays_where_it_was(world, staff):
    meeting = past(accepted(world))
    new_booth = factories.BoothFactory(hall=world.booth.hall, exhibition=world.exhibition, code="C-10")
    exhibition_services.booth_assign(application=world.application, booth=new_booth, by=staff)
    meeting.refresh_from_db()
    assert meeting.booth == world.booth


def test_taking_an_exhibitor_out_cancels_its_open_meetings(world, staff):
    booked = accepted(world)
    pending = request(world, slots=world.slots[2:3], buyer_person=add_buyer(world))
    other_show = factories.MeetingFactory(exhibitor=world.exhibitor, status="requested")

    exhibition_services.application_decide(
        application=world.application, status="waitlisted", by=staff, reason="Hall is full"
    )

    assert Meeting.objects.get(pk=booked.pk).status == "cancelled"
    assert Meeting.objects.get(pk=booked.pk).slot is None  # the slot is free again
    assert Meeting.objects.get(pk=pending.pk).status == "cancelled"
    assert Meeting.objects.get(pk=other_show.pk).status == "requested"  # another exhibition
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_cancelled").exists()


def test_rejecting_a_buyer_cancels_its_open_meetings_but_keeps_held_ones(world, staff):
    held = past(accepted(world))
    held.status = "held"
    held.save(update_fields=["status"])
    booked = accepted(world, slot=world.slots[1], slots=world.slots[1:2])

    exhibition_services.registration_decide(
        registration=world.registration, status="rejected", by=staff, reason="Not a real buyer"
    )

    assert Meeting.objects.get(pk=booked.pk).status == "cancelled"
    assert Meeting.objects.get(pk=held.pk).status == "held"


def test_approving_again_cancels_nothing(world, staff):
    booked = accepted(world)
    exhibition_services.application_decide(application=world.application, status="approved", by=staff)
    assert Meeting.objects.get(pk=booked.pk).status == "accepted"
