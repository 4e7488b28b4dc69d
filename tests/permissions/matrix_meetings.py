"""Who may use the meeting pages (rows run by test_matrix.py).

Every company of the world takes part in the show, so `other_buyer` and `other_exhibitor`
are participants too: they have agendas, but never see the meeting of `buyer` and
`exhibitor` (404), nor act on it.
"""

import datetime

from django.utils import timezone

from exhibitions.meetings import services
from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row

EXHIBITOR_SIDE = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER})
BUYER_SIDE = frozenset({r.BUYER_OWNER})
BOTH_SIDES = EXHIBITOR_SIDE | BUYER_SIDE


def show(world):
    """The show, with every company of the world taking part, and four future slots."""
    if "show" in world.extra:
        return world.extra["show"]
    exhibition = factories.ExhibitionFactory(cooperative=world.cooperative)
    hall = factories.HallFactory(exhibition=exhibition)
    for n, company in enumerate((world.exhibitor, world.other_exhibitor)):
        booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code=f"M-{n + 1:02d}")
        application = factories.ApplicationFactory(
            exhibition=exhibition, company=company, status="approved", booth=booth
        )
        factories.RepresentativeFactory(application=application, user=world.user(r.EXHIBITOR_OWNER) if n == 0 else None)
    for company in (world.buyer, world.other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)
    world.extra["slots"] = [
        factories.SlotFactory(
            exhibition=exhibition,
            starts_at=start + datetime.timedelta(minutes=30 * i),
            ends_at=start + datetime.timedelta(minutes=30 * (i + 1)),
        )
        for i in range(4)
    ]
    factories.MeetingTableFactory(exhibition=exhibition, number=1)
    world.extra["show"] = exhibition
    return exhibition


def slug(world):
    return {"slug": show(world).slug}


def meeting(state):
    """build(): a meeting of `buyer` with `exhibitor` in `state`."""

    def build(world):
        exhibition = show(world)
        slots = world.extra["slots"]
        m = services.meeting_request(
            exhibition=exhibition,
            buyer_person=world.user(r.BUYER_OWNER),
            exhibitor=world.exhibitor,
            slots=slots[:2],
            message="Hot runners",
        )
        if state == "proposed":
            services.meeting_propose(meeting=m, by=world.user(r.EXHIBITOR_OWNER), slots=[slots[2]])
        if state in ("accepted", "past"):
            services.meeting_accept(meeting=m, slot=slots[0], by=world.user(r.EXHIBITOR_OWNER))
        if state == "past":
            slot = slots[0]
            slot.starts_at -= datetime.timedelta(days=6)
            slot.ends_at -= datetime.timedelta(days=6)
            slot.save()
            m.refresh_from_db()
            m.starts_at, m.ends_at = slot.starts_at, slot.ends_at
            m.save(update_fields=["starts_at", "ends_at"])
        return {"slug": exhibition.slug, "pk": m.pk}

    return build


def slot_data(index, field="slot"):
    return lambda w: {field: w.extra["slots"][index].pk}


ROWS = [
    Row("exhibitions:meetings_agenda", build=slug, allowed=r.COMPANY_PEOPLE | r.ORGANISERS),
    Row(
        "exhibitions:meetings_request",
        build=slug,
        data=lambda w: {"exhibitor": w.exhibitor.ref},
        allowed=r.BUYER_PEOPLE,
    ),
    Row(
        "exhibitions:meetings_request",
        method="post",
        label="send",
        build=slug,
        data=lambda w: {"exhibitor": w.exhibitor.ref, "slots": [w.extra["slots"][0].pk], "message": "Hello"},
        allowed=r.BUYER_PEOPLE,
    ),
    Row("exhibitions:meetings_detail", build=meeting("requested"), allowed=BOTH_SIDES | r.ORGANISERS),
    Row(
        "exhibitions:meetings_accept",
        method="post",
        build=meeting("requested"),
        data=slot_data(1),
        allowed=EXHIBITOR_SIDE,
    ),
    Row(
        "exhibitions:meetings_decline",
        method="post",
        build=meeting("requested"),
        data=lambda w: {"reason": "Fully booked"},
        allowed=EXHIBITOR_SIDE,
    ),
    Row(
        "exhibitions:meetings_decline",
        method="post",
        label="proposal",
        build=meeting("proposed"),
        data=lambda w: {"reason": ""},
        allowed=BUYER_SIDE,
    ),
    Row(
        "exhibitions:meetings_propose",
        method="post",
        build=meeting("requested"),
        data=lambda w: {"slots": [w.extra["slots"][3].pk]},
        allowed=EXHIBITOR_SIDE,
    ),
    Row(
        "exhibitions:meetings_accept_proposal",
        method="post",
        build=meeting("proposed"),
        data=slot_data(2),
        allowed=BUYER_SIDE,
    ),
    Row(
        "exhibitions:meetings_cancel",
        method="post",
        build=meeting("accepted"),
        data=lambda w: {"reason": "Sorry"},
        allowed=BOTH_SIDES | r.ORGANISERS,
    ),
    Row(
        "exhibitions:meetings_reschedule",
        method="post",
        build=meeting("accepted"),
        data=slot_data(3),
        allowed=BOTH_SIDES | r.ORGANISERS,
    ),
    Row(
        "exhibitions:meetings_outcome",
        method="post",
        build=meeting("past"),
        data=lambda w: {"outcome": "follow_up", "estimated_value": "", "currency": "JPY", "note": "private"},
        allowed=BOTH_SIDES,
    ),
    Row(
        "exhibitions:meetings_no_show",
        method="post",
        build=meeting("past"),
        data=lambda w: {"absent": "buyer"},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:meetings_board", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:meetings_book", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:meetings_book",
        method="post",
        label="book",
        build=slug,
        data=lambda w: {
            "buyer_person": w.user(r.BUYER_OWNER).pk,
            "exhibitor": w.exhibitor.pk,
            "slot": w.extra["slots"][1].pk,
            "table": "",
        },
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:meetings_report", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:meetings_report_csv", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:meetings_setup", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:meetings_setup",
        method="post",
        label="generate",
        build=slug,
        data=lambda w: {"action": "tables", "count": "3"},
        allowed=r.ORGANISERS,
    ),
]

EXEMPT = {
    "exhibitions:meetings_calendar": "a secret-token feed for calendar apps, no session: tests/meetings/test_calendar.py",
}
