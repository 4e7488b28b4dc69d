"""A small show ready for meetings: one exhibitor (booth A-01, one representative), one
buyer, both approved, four future slots and two meeting tables."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import factories


def make_world(*, exhibitor_user, buyer_user, slots=4, tables=2, **exhibition_kwargs):
    exhibition = factories.ExhibitionFactory(**exhibition_kwargs)
    hall = factories.HallFactory(exhibition=exhibition)
    booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code="A-01")
    application = factories.ApplicationFactory(
        exhibition=exhibition, company=exhibitor_user.company, status="approved", booth=booth, stand_languages="ko"
    )
    rep = factories.RepresentativeFactory(application=application, user=exhibitor_user, name="Kim Min-jun")
    registration = factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer_user.company)
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=3)
    slot_rows = [
        factories.SlotFactory(
            exhibition=exhibition,
            starts_at=start + datetime.timedelta(minutes=30 * i),
            ends_at=start + datetime.timedelta(minutes=30 * (i + 1)),
        )
        for i in range(slots)
    ]
    table_rows = [factories.MeetingTableFactory(exhibition=exhibition, number=n + 1) for n in range(tables)]
    return SimpleNamespace(
        exhibition=exhibition,
        booth=booth,
        application=application,
        rep=rep,
        registration=registration,
        slots=slot_rows,
        tables=table_rows,
        exhibitor=exhibitor_user.company,
        buyer=buyer_user.company,
        exhibitor_user=exhibitor_user,
        buyer_user=buyer_user,
    )


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)


def add_exhibitor(world, code):
    """Another approved exhibitor with its own booth and representative; returns its owner."""
    user = factories.MembershipFactory(company=factories.ExhibitorFactory(), role="owner").user
    booth = factories.BoothFactory(hall=world.booth.hall, exhibition=world.exhibition, code=code)
    application = factories.ApplicationFactory(
        exhibition=world.exhibition, company=user.company, status="approved", booth=booth
    )
    factories.RepresentativeFactory(application=application, user=user)
    return user


def add_buyer(world):
    """Another approved buyer company; returns its owner."""
    user = factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user
    factories.BuyerRegistrationFactory(exhibition=world.exhibition, company=user.company)
    return user


def past(meeting, minutes=60):
    """Move a booked meeting's time into the past (its slot too), as if it had taken place."""
    delta = datetime.timedelta(minutes=minutes) + (meeting.starts_at - timezone.now())
    slot = meeting.slot
    slot.starts_at -= delta
    slot.ends_at -= delta
    slot.save()
    meeting.starts_at = slot.starts_at
    meeting.ends_at = slot.ends_at
    meeting.save(update_fields=["starts_at", "ends_at"])
    return meeting


def move(meeting, slot, *, by, accepted_by, **place):
    """One side proposes moving a booked meeting, the other side accepts; the moved meeting."""
    from exhibitions.meetings import services

    services.meeting_move_propose(meeting=meeting, slot=slot, by=by, **place)
    return services.meeting_move_accept(meeting=meeting, by=accepted_by)
