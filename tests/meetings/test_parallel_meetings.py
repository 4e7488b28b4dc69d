"""An exhibitor holds at most `parallel_meetings` meetings at once, whatever its people: the
first at its booth, the others at meeting tables (the seat constraint is the backstop)."""

import pytest

from exhibitions.meetings import services
from exhibitions.meetings.services import MeetingConflict
from exhibitions.models import Meeting

from .conftest import add_buyer

pytestmark = pytest.mark.django_db


def request_from(world, buyer_person):
    return services.meeting_request(
        exhibition=world.exhibition, buyer_person=buyer_person, exhibitor=world.exhibitor, slots=world.slots[:1]
    )


def without_named_representative(world):
    """0 representatives: no representative constraint can catch a second meeting."""
    world.application.representatives.all().delete()


def test_one_meeting_at_a_time_by_default_even_at_a_table(world):
    without_named_representative(world)
    first = request_from(world, world.buyer_user)
    services.meeting_accept(meeting=first, slot=world.slots[0], by=world.exhibitor_user)
    second = request_from(world, add_buyer(world))
    with pytest.raises(MeetingConflict, match="as many meetings as it can hold"):
        services.meeting_accept(meeting=second, slot=world.slots[0], by=world.exhibitor_user, table=world.tables[0])
    assert Meeting.objects.filter(slot=world.slots[0], status="accepted").count() == 1


def test_parallel_meetings_go_to_the_booth_then_tables(world):
    without_named_representative(world)
    world.application.parallel_meetings = 2
    world.application.save()
    first = request_from(world, world.buyer_user)
    first = services.meeting_accept(meeting=first, slot=world.slots[0], by=world.exhibitor_user)
    second = request_from(world, add_buyer(world))
    second = services.meeting_accept(meeting=second, slot=world.slots[0], by=world.exhibitor_user)
    assert (first.booth, first.table, first.exhibitor_seat) == (world.booth, None, 1)
    assert (second.booth, second.table, second.exhibitor_seat) == (None, world.tables[0], 2)
    third = request_from(world, add_buyer(world))
    with pytest.raises(MeetingConflict):
        services.meeting_accept(meeting=third, slot=world.slots[0], by=world.exhibitor_user)


def test_a_freed_seat_is_taken_again(world):
    without_named_representative(world)
    first = services.meeting_accept(
        meeting=request_from(world, world.buyer_user), slot=world.slots[0], by=world.exhibitor_user
    )
    services.meeting_cancel(meeting=first, by=world.exhibitor_user, reason="Plans changed")
    second = services.meeting_accept(
        meeting=request_from(world, add_buyer(world)), slot=world.slots[0], by=world.exhibitor_user
    )
    assert second.exhibitor_seat == 1 and second.booth == world.booth


def test_seat_constraint_is_the_backstop(world):
    """Even if the checks were skipped, two meetings of one exhibitor on one seat are refused."""
    first = services.meeting_accept(
        meeting=request_from(world, world.buyer_user), slot=world.slots[0], by=world.exhibitor_user
    )
    twin = Meeting(
        exhibition=world.exhibition,
        buyer=add_buyer(world).company,
        exhibitor=world.exhibitor,
        status="accepted",
        slot=first.slot,
        table=world.tables[1],
        exhibitor_seat=1,
    )
    with pytest.raises(MeetingConflict):
        services._save(twin)
