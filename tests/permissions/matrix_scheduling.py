"""Who may use the scheduler's pages (rows run by test_matrix.py).

Only the organisers of the exhibition's cooperative (the world's staff) and admins; the
companies taking part, even those in the draft, and staff of another cooperative
(other_staff) get 404."""

from exhibitions.models import DraftMeeting, Interpreter, ScheduleRun, Wish
from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row


def show(world):
    """The world's companies taking part, two future slots, one table, an interpreter, a finished run and
    two drafts (one to move or lock, one to delete)."""
    if "schedule_show" in world.extra:
        return world.extra["schedule_show"]
    import datetime

    from django.utils import timezone

    exhibition = factories.ExhibitionFactory(cooperative=world.cooperative)
    hall = factories.HallFactory(exhibition=exhibition)
    booths = []
    for n, company in enumerate((world.exhibitor, world.other_exhibitor)):
        booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code=f"S-{n + 1:02d}")
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved", booth=booth)
        booths.append(booth)
    for company in (world.buyer, world.other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)
    slots = [
        factories.SlotFactory(
            exhibition=exhibition,
            starts_at=start + datetime.timedelta(minutes=30 * i),
            ends_at=start + datetime.timedelta(minutes=30 * (i + 1)),
        )
        for i in range(2)
    ]
    factories.MeetingTableFactory(exhibition=exhibition, number=1)
    Interpreter.objects.create(
        exhibition=exhibition, ref="INT-01", name="Lee", languages="ja ko"
    )  # ja buyers, ko stands
    Wish.objects.create(
        exhibition=exhibition, buyer=world.buyer, exhibitor=world.exhibitor, by="buyer", priority="must"
    )
    run = ScheduleRun.objects.create(exhibition=exhibition, status=ScheduleRun.Status.DONE, pairs=1, placed=1, value=3)
    movable = DraftMeeting.objects.create(
        exhibition=exhibition, run=run, buyer=world.buyer, exhibitor=world.exhibitor, slot=slots[0], booth=booths[0]
    )
    doomed = DraftMeeting.objects.create(
        exhibition=exhibition,
        run=run,
        buyer=world.other_buyer,
        exhibitor=world.other_exhibitor,
        slot=slots[0],
        booth=booths[1],
    )
    world.extra.update(schedule_show=exhibition, run=run, movable=movable, doomed=doomed, slots=slots)
    return exhibition


def slug(world):
    return {"slug": show(world).slug}


def draft(key):
    return lambda world: {"slug": show(world).slug, "pk": world.extra[key].pk}


ROWS = [
    Row("exhibitions:schedule", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:schedule_start", method="post", build=slug, data=lambda w: {"seconds": 1}, allowed=r.ORGANISERS),
    Row(
        "exhibitions:schedule_run_progress",
        build=lambda w: {"slug": show(w).slug, "pk": w.extra["run"].pk},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:schedule_unplaced", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:schedule_agenda",
        build=slug,
        data=lambda w: {"company": w.buyer.pk},
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:schedule_draft_lock",
        method="post",
        build=draft("movable"),
        data=lambda w: {"locked": "1"},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:schedule_draft_move", build=draft("movable"), allowed=r.ORGANISERS),
    Row(
        "exhibitions:schedule_draft_move",
        label="post",
        method="post",
        build=draft("movable"),
        data=lambda w: {"slot": w.extra["slots"][1].pk, "place": "booth"},
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:schedule_draft_delete",
        method="post",
        build=draft("doomed"),
        data=lambda w: {},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:schedule_publish", method="post", build=slug, data=lambda w: {}, allowed=r.ORGANISERS),
]
