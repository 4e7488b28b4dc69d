"""A show ready for scheduling: exhibitors with booths, buyers, two days of future slots,
meeting tables, and helpers for wishes, interpreters and blocked times."""

import datetime
from types import SimpleNamespace

import pytest

from exhibitions.models import Interpreter, Unavailability, Wish
from tests import factories


def make_show(*, exhibitors=3, buyers=4, slots_per_day=4, days=2, tables=2, cooperative=None, **exhibition_kwargs):
    """Approved exhibitors (booths K-01...; each with an owner and one representative),
    approved buyers (each with an owner), `slots_per_day` 30-minute slots from 10:00 local
    on the first `days` days, and `tables` meeting tables."""
    if cooperative is not None:
        exhibition_kwargs["cooperative"] = cooperative
    exhibition = factories.ExhibitionFactory(**exhibition_kwargs)
    hall = factories.HallFactory(exhibition=exhibition)
    show = SimpleNamespace(exhibition=exhibition, hall=hall, exhibitors=[], buyers=[], owners={}, applications={})
    for n in range(exhibitors):
        add_exhibitor(show, f"K-{n + 1:02d}")
    for _ in range(buyers):
        add_buyer(show)
    tz = exhibition.tzinfo
    show.slots = []
    for d in range(days):
        day = exhibition.starts_on + datetime.timedelta(days=d)
        for i in range(slots_per_day):
            start = datetime.datetime.combine(day, datetime.time(10, 0), tz) + datetime.timedelta(minutes=30 * i)
            show.slots.append(
                factories.SlotFactory(
                    exhibition=exhibition, starts_at=start, ends_at=start + datetime.timedelta(minutes=30)
                )
            )
    show.tables = [factories.MeetingTableFactory(exhibition=exhibition, number=n + 1) for n in range(tables)]
    return show


def add_exhibitor(show, code, *, parallel=1, languages="ko en", stand_languages=""):
    owner = factories.MembershipFactory(company=factories.ExhibitorFactory(languages=languages), role="owner").user
    booth = factories.BoothFactory(hall=show.hall, exhibition=show.exhibition, code=code)
    application = factories.ApplicationFactory(
        exhibition=show.exhibition,
        company=owner.company,
        status="approved",
        booth=booth,
        parallel_meetings=parallel,
        stand_languages=stand_languages,
    )
    factories.RepresentativeFactory(application=application, user=owner)
    show.exhibitors.append(owner.company)
    show.owners[owner.company.pk] = owner
    show.applications[owner.company.pk] = application
    return owner.company


def add_buyer(show, *, languages="ja en", registration_languages="", visit_days=()):
    owner = factories.MembershipFactory(company=factories.BuyerFactory(languages=languages), role="owner").user
    factories.BuyerRegistrationFactory(
        exhibition=show.exhibition, company=owner.company, languages=registration_languages, visit_days=list(visit_days)
    )
    show.buyers.append(owner.company)
    show.owners[owner.company.pk] = owner
    return owner.company


def wish(show, buyer, exhibitor, priority="want", by="buyer"):
    return Wish.objects.create(exhibition=show.exhibition, buyer=buyer, exhibitor=exhibitor, by=by, priority=priority)


def interpreter(show, ref, languages="ja ko", days=()):
    return Interpreter.objects.create(
        exhibition=show.exhibition, ref=ref, name=f"Interpreter {ref}", languages=languages, days=list(days)
    )


def block(show, company, start_slot, end_slot=None, person=None):
    """A blocked time from `start_slot`'s start to `end_slot`'s end (default: that one slot)."""
    end_slot = end_slot or start_slot
    return Unavailability.objects.create(
        exhibition=show.exhibition,
        company=company,
        person=person,
        starts_at=start_slot.starts_at,
        ends_at=end_slot.ends_at,
    )


@pytest.fixture
def show(db):
    return make_show()
