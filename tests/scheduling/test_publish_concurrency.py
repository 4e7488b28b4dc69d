"""Publishing under concurrency on PostgreSQL: two publishes at once, and publishes racing
hand bookings of the same buyer and slot. Threads are released together by a Barrier; each
closes its own connection. Nobody is ever double-booked."""

from collections import Counter

import pytest

from exhibitions.meetings import services as meeting_services
from exhibitions.meetings.services import MeetingConflict
from exhibitions.models import DraftMeeting, Meeting
from exhibitions.scheduling.publishing import schedule_publish
from tests import factories, races
from tests.races import POSTGRES_ONLY

from .conftest import add_exhibitor, make_show

pytestmark = POSTGRES_ONLY


def race(calls):
    """Run the calls at once; [(kind, value)] with kind "ok", "conflict" or "error"."""
    return races.race(calls, refusal=MeetingConflict, join_timeout=120)


def assert_no_double_booking(exhibition):
    booked = list(
        Meeting.objects.filter(exhibition=exhibition, status__in=Meeting.BOOKED).values_list(
            "slot_id", "buyer_id", "exhibitor_id", "booth_id", "table_id"
        )
    )
    for key, label in ((1, "buyer"), (3, "booth"), (4, "table")):
        seen = Counter((row[0], row[key]) for row in booked if row[key] is not None)
        assert max(seen.values(), default=1) == 1, f"a {label} is double-booked"
    pairs = Counter((row[1], row[2]) for row in booked)
    assert max(pairs.values(), default=1) == 1, "a pair was booked twice"


def draft_grid(show):
    """Every buyer meets every exhibitor at its booth, buyer i with exhibitor j in slot (i + j)."""
    for i, buyer in enumerate(show.buyers):
        for j, exhibitor in enumerate(show.exhibitors):
            DraftMeeting.objects.create(
                exhibition=show.exhibition,
                buyer=buyer,
                exhibitor=exhibitor,
                slot=show.slots[(i + j) % len(show.slots)],
                booth=show.applications[exhibitor.pk].booth,
                weight=1,
            )


def test_two_publishes_at_once_publish_each_draft_once(staff):
    show = make_show(exhibitors=4, buyers=4, slots_per_day=4, days=1)
    draft_grid(show)
    other_staff = factories.StaffFactory(cooperative=show.exhibition.cooperative)
    results = race(
        [
            lambda: schedule_publish(exhibition=show.exhibition, by=staff),
            lambda: schedule_publish(exhibition=show.exhibition, by=other_staff),
        ]
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    published = sorted(len(result.published) for _kind, result in results)
    assert published == [0, 16]
    assert all(result.conflicts == [] for _kind, result in results)
    assert Meeting.objects.filter(status="accepted").count() == 16
    assert not DraftMeeting.objects.exists()
    assert_no_double_booking(show.exhibition)
    from companies.models import Notification

    per_user = Counter(Notification.objects.filter(template="schedule_published").values_list("user_id", flat=True))
    assert set(per_user.values()) == {1}  # one agenda each, not one per publish


@pytest.mark.parametrize("round_", range(5))
def test_publish_racing_hand_bookings_of_the_same_buyer_and_slot(staff, round_):
    """One publish of a draft (buyer B, exhibitor 0, slot S) against hand bookings of B in S
    with seven other exhibitors: exactly one meeting for B in S, whoever wins."""
    show = make_show(exhibitors=1, buyers=1, slots_per_day=2, days=1, tables=8)
    for n in range(7):
        add_exhibitor(show, f"H-{n:02d}")
    buyer, slot = show.buyers[0], show.slots[0]
    person = show.owners[buyer.pk]
    first = show.exhibitors[0]
    DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=buyer, exhibitor=first, slot=slot, booth=show.applications[first.pk].booth
    )
    calls = [lambda: schedule_publish(exhibition=show.exhibition, by=staff)] + [
        lambda e=e: meeting_services.meeting_book_by_staff(
            exhibition=show.exhibition, buyer_person=person, exhibitor=e, slot=slot, by=staff
        )
        for e in show.exhibitors[1:]
    ]
    results = race(calls)
    assert [r for r in results if r[0] == "error"] == []
    assert Meeting.objects.filter(slot=slot, buyer=buyer, status="accepted").count() == 1
    publish = results[0][1]
    hand_wins = sum(1 for kind, _ in results[1:] if kind == "ok")
    if publish.published:
        assert hand_wins == 0 and not DraftMeeting.objects.exists()
    else:
        assert hand_wins == 1 and len(publish.conflicts) == 1
        assert DraftMeeting.objects.count() == 1  # the draft stays, reported
    for kind, value in results[1:]:
        if kind == "conflict":
            assert "already" in value or "no longer free" in value
    assert_no_double_booking(show.exhibition)


def test_publish_racing_a_hand_booking_of_the_same_booth(staff):
    """The draft holds exhibitor 0's booth in slot S; a hand booking of another buyer with
    exhibitor 0 in S wants the same booth. One of them gets it."""
    show = make_show(exhibitors=1, buyers=2, slots_per_day=2, days=1, tables=0)
    b0, b1 = show.buyers
    exhibitor, slot = show.exhibitors[0], show.slots[0]
    DraftMeeting.objects.create(
        exhibition=show.exhibition,
        buyer=b0,
        exhibitor=exhibitor,
        slot=slot,
        booth=show.applications[exhibitor.pk].booth,
    )
    results = race(
        [
            lambda: schedule_publish(exhibition=show.exhibition, by=staff),
            lambda: meeting_services.meeting_book_by_staff(
                exhibition=show.exhibition, buyer_person=show.owners[b1.pk], exhibitor=exhibitor, slot=slot, by=staff
            ),
        ]
    )
    assert [r for r in results if r[0] == "error"] == []
    assert Meeting.objects.filter(slot=slot, exhibitor=exhibitor, status="accepted").count() == 1
    assert_no_double_booking(show.exhibition)
