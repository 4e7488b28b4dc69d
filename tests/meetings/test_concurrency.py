"""Real concurrency on PostgreSQL: many people accept conflicting meetings at the same moment.

Each scenario starts >= 8 threads, released together by a Barrier, each accepting a different
meeting in the same slot that shares one person or place. Exactly one wins; every other
gets `MeetingConflict` with its clear message; nothing else goes wrong.
"""

import pytest

from exhibitions.meetings import services
from exhibitions.meetings.services import MeetingConflict
from exhibitions.models import Meeting
from tests import races
from tests.races import POSTGRES_ONLY

from .conftest import add_buyer, add_exhibitor, make_world

THREADS = 10

pytestmark = POSTGRES_ONLY


def race(calls):
    """Run the calls at once; returns (wins, conflicts, other errors)."""
    results = races.race(calls, refusal=MeetingConflict, won="won")
    wins = [r for r in results if r and r[0] == "won"]
    conflicts = [r for r in results if r and r[0] == "conflict"]
    errors = [r for r in results if not r or r[0] == "error"]
    return wins, conflicts, errors


def assert_one_winner(wins, conflicts, errors, slot):
    assert errors == []
    assert len(wins) == 1
    assert len(conflicts) == THREADS - 1
    for _kind, message in conflicts:
        assert "already" in message or "no longer free" in message
    assert Meeting.objects.filter(slot=slot, status="accepted").count() == 1


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner, slots=2, tables=THREADS)


def test_same_buyer_person_many_exhibitors_accept_at_once(world):
    slot = world.slots[0]
    pairs = []
    for i in range(THREADS):
        owner = add_exhibitor(world, f"R-{i:02d}")
        meeting = services.meeting_request(
            exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=owner.company, slots=[slot]
        )
        pairs.append((meeting, owner))
    calls = [lambda m=m, o=o: services.meeting_accept(meeting=m, slot=slot, by=o) for m, o in pairs]
    assert_one_winner(*race(calls), slot)
    assert Meeting.objects.filter(status="accepted", buyer_person=world.buyer_user).count() == 1


def test_same_booth_many_buyers_accepted_at_once(world):
    slot = world.slots[0]
    meetings = []
    for _ in range(THREADS):
        buyer = add_buyer(world)
        meetings.append(
            services.meeting_request(
                exhibition=world.exhibition, buyer_person=buyer, exhibitor=world.exhibitor, slots=[slot]
            )
        )
    # Two colleagues clicking "accept" in the same second is the realistic case; threads act as them.
    calls = [lambda m=m: services.meeting_accept(meeting=m, slot=slot, by=world.exhibitor_user) for m in meetings]
    assert_one_winner(*race(calls), slot)
    assert Meeting.objects.filter(status="accepted", booth=world.booth).count() == 1


def test_same_representative_at_different_tables(world):
    slot = world.slots[0]
    meetings = []
    for _ in range(THREADS):
        buyer = add_buyer(world)
        meetings.append(
            services.meeting_request(
                exhibition=world.exhibition, buyer_person=buyer, exhibitor=world.exhibitor, slots=[slot]
            )
        )
    calls = [
        lambda m=m, t=t: services.meeting_accept(meeting=m, slot=slot, by=world.exhibitor_user, table=t)
        for m, t in zip(meetings, world.tables, strict=True)
    ]
    assert_one_winner(*race(calls), slot)
    assert Meeting.objects.filter(status="accepted", representative=world.rep).count() == 1


def test_staff_bookings_and_acceptances_mixed(world, staff):
    """Staff desk bookings and an exhibitor's acceptance race for the same buyer person."""
    slot = world.slots[1]
    owners = [add_exhibitor(world, f"S-{i:02d}") for i in range(THREADS)]
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=owners[0].company, slots=[slot]
    )
    calls = [lambda: services.meeting_accept(meeting=meeting, slot=slot, by=owners[0])] + [
        lambda o=o: services.meeting_book_by_staff(
            exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=o.company, slot=slot, by=staff
        )
        for o in owners[1:]
    ]
    assert_one_winner(*race(calls), slot)


def test_exhibitor_accepts_many_moves_into_one_slot_at_once(exhibitor_owner, buyer_owner):
    """Ten buyers each propose moving their meeting to the same free time; the exhibitor's
    acceptances race: one meeting moves, the others stay where they were."""
    world = make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner, slots=THREADS + 1, tables=0)
    target = world.slots[-1]
    meetings = []
    for i in range(THREADS):
        buyer = add_buyer(world)
        request = services.meeting_request(
            exhibition=world.exhibition, buyer_person=buyer, exhibitor=world.exhibitor, slots=[world.slots[i]]
        )
        meeting = services.meeting_accept(meeting=request, slot=world.slots[i], by=world.exhibitor_user)
        services.meeting_move_propose(meeting=meeting, slot=target, by=buyer)
        meetings.append(meeting)
    calls = [lambda m=m: services.meeting_move_accept(meeting=m, by=world.exhibitor_user) for m in meetings]
    wins, conflicts, errors = race(calls)
    assert_one_winner(wins, conflicts, errors, target)
    stayed = Meeting.objects.filter(pk__in=[m.pk for m in meetings], status="accepted").exclude(slot=target)
    assert stayed.count() == THREADS - 1 and all(m.sequence == 1 for m in stayed)


@pytest.mark.parametrize("parallel", [1, 2])
def test_an_exhibitor_without_named_people_holds_at_most_its_parallel_meetings(world, parallel):
    """The defect from issue 10: with no representative named, nothing but the company-level
    limit stops an exhibitor from being at its booth and at tables in the same slot. Ten
    acceptances at once, each at its own table: exactly `parallel` win."""
    world.application.representatives.all().delete()
    world.application.parallel_meetings = parallel
    world.application.save()
    slot = world.slots[0]
    meetings = [
        services.meeting_request(
            exhibition=world.exhibition, buyer_person=add_buyer(world), exhibitor=world.exhibitor, slots=[slot]
        )
        for _ in range(THREADS)
    ]
    calls = [
        lambda m=m, t=t: services.meeting_accept(meeting=m, slot=slot, by=world.exhibitor_user, table=t)
        for m, t in zip(meetings, world.tables, strict=True)
    ]
    wins, conflicts, errors = race(calls)
    assert errors == []
    assert len(wins) == parallel and len(conflicts) == THREADS - parallel
    held = Meeting.objects.filter(slot=slot, exhibitor=world.exhibitor, status="accepted")
    assert sorted(held.values_list("exhibitor_seat", flat=True)) == list(range(1, parallel + 1))
