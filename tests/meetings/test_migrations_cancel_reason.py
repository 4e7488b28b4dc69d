"""The cancel_reason migration gives the exhibitor's answer back to meetings cancelled before it."""

import importlib

import pytest
from django.apps import apps

from exhibitions.meetings import services
from exhibitions.models import Meeting, MeetingEvent

pytestmark = pytest.mark.django_db


def test_old_cancelled_meetings_get_their_answer_back(world):
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=[world.slots[0]]
    )
    services.meeting_propose(meeting=meeting, by=world.exhibitor_user, slots=[world.slots[1]], message="10:30?")
    services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="Visit shortened")
    # As the old code left it: the cancel reason over the answer, no cancel_reason.
    Meeting.objects.filter(pk=meeting.pk).update(answer_reason="Visit shortened", cancel_reason="")
    untouched = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=[world.slots[2]]
    )
    services.meeting_decline(meeting=untouched, by=world.exhibitor_user, reason="Fully booked")
    migration = importlib.import_module("exhibitions.migrations.0005_meeting_cancel_reason")
    migration.separate_cancel_reasons(apps, None)
    meeting.refresh_from_db()
    assert (meeting.cancel_reason, meeting.answer_reason) == ("Visit shortened", "10:30?")
    untouched.refresh_from_db()
    assert (untouched.cancel_reason, untouched.answer_reason) == ("", "Fully booked")
    assert MeetingEvent.objects.filter(meeting=meeting, action="cancelled").count() == 1
