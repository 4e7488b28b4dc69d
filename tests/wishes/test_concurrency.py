"""Real concurrency on PostgreSQL: two staff assign the same interpreter to two meetings in the
same slot at the same moment. Exactly one wins; the other gets the clear conflict message."""

import threading

import pytest
from django.db import connection

from exhibitions.interpreters import services
from exhibitions.meetings import services as meetings
from exhibitions.meetings.services import MeetingConflict
from exhibitions.models import Interpreter, Meeting
from tests import factories
from tests.meetings.conftest import add_buyer, make_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so it cannot show a race (set DATABASE_URL)",
    ),
]


def test_two_staff_assign_one_interpreter_in_one_slot_exactly_one_wins():
    exhibitor_user = factories.MembershipFactory(company=factories.ExhibitorFactory()).user
    buyer_user = factories.MembershipFactory(company=factories.BuyerFactory()).user
    world = make_world(exhibitor_user=exhibitor_user, buyer_user=buyer_user)
    world.application.parallel_meetings = 2
    world.application.save()
    first = meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    first = meetings.meeting_accept(meeting=first, slot=world.slots[0], by=exhibitor_user)
    second = meetings.meeting_request(
        exhibition=world.exhibition,
        buyer_person=add_buyer(world),
        exhibitor=world.exhibitor,
        slots=world.slots[:1],
        representative=factories.RepresentativeFactory(application=world.application),
    )
    second = meetings.meeting_accept(meeting=second, slot=world.slots[0], by=exhibitor_user)
    interpreter = Interpreter.objects.create(exhibition=world.exhibition, ref="I-1", name="Sato", languages="ja ko")
    staff = [factories.StaffFactory(cooperative=world.exhibition.cooperative) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(i, meeting):
        try:
            barrier.wait(timeout=30)
            services.meeting_interpreter_assign(meeting=meeting, interpreter=interpreter, by=staff[i])
            results[i] = "won"
        except MeetingConflict as error:
            results[i] = error.message
        except Exception as error:  # noqa: BLE001 - reported below
            results[i] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results, key=lambda r: r != "won") == ["won", "The interpreter already has a meeting at that time."]
    assert Meeting.objects.filter(interpreter=interpreter).count() == 1
