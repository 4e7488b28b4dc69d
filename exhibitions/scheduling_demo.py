"""The scheduling part of `seed_demo`: wishes from both sides, visit days, blocked times, an
interpreter pool and a few exhibitors holding two meetings at once, on the open demo
exhibition (mold-japan-2027), so the scheduler has something to schedule.

Deterministic (a seeded random generator over companies sorted by ref) and idempotent: wishes
are inserted with `ignore_conflicts` on their unique key, interpreters and blocked times are
matched by their natural keys, visit days are only filled where none were given. About 150
wishes: each buyer wishes for one or two exhibitors, each exhibitor reaches out to one or
two buyers, some pairs on both sides (mutual), some "not interested".
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from companies.models import Notification, User
from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication, Interpreter, Unavailability, Wish
from exhibitions.selectors import participating_buyers, participating_exhibitors

OPEN = "mold-japan-2027"
EXHIBITOR_LOGIN = "exhibitor@demo.fairlink.example"
INTERPRETERS = [
    ("INT-01", "Sato Yuki", "sato.yuki@interpreters.example", "ja ko", []),
    ("INT-02", "Park Min-seo", "park.minseo@interpreters.example", "ko ja en", []),
    ("INT-03", "Tanaka Hana", "tanaka.hana@interpreters.example", "ja en", None),  # None: the first day only
]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def seed(*, stdout=None):
    """Add the scheduling inputs to the open demo exhibition. Returns counts; safe to run again.

    Side effects: Wish, Interpreter and Unavailability rows; visit days of registrations
    that had none; parallel_meetings 2 for four exhibitors; one in-app notice to the demo
    buyer's people (an exhibitor reaching out), marked as emailed (demo addresses).
    """
    exhibition = Exhibition.objects.filter(slug=OPEN).first()
    if exhibition is None:
        _say(stdout, f"Scheduling: no exhibition {OPEN}; run the exhibitions demo first.")
        return {}
    with transaction.atomic():
        counts = _seed(exhibition)
        Notification.objects.filter(
            emailed_at__isnull=True, template="wish_from_exhibitor", user__email__endswith="demo.fairlink.example"
        ).update(emailed_at=timezone.now())
    _say(
        stdout,
        f"Scheduling: {counts['wishes']} wishes ({counts['mutual']} mutual), {counts['interpreters']} interpreters, "
        f"{counts['blocked']} blocked times on {OPEN}.",
    )
    return counts


def _wishes(exhibition, buyers, exhibitors, rng):
    rows = {}
    for buyer in buyers:
        for exhibitor in rng.sample(exhibitors, min(len(exhibitors), rng.choice((1, 2)))):
            priority = rng.choices(("must", "want", "no"), weights=(3, 6, 1))[0]
            rows[(buyer.pk, exhibitor.pk, "buyer")] = priority
    # Exhibitors answer some buyers that want them (mutual) and reach out to others.
    for (buyer_id, exhibitor_id, _by), priority in list(rows.items()):
        if priority != "no" and rng.random() < 0.3:
            rows[(buyer_id, exhibitor_id, "exhibitor")] = rng.choice(("must", "want"))
    for exhibitor in exhibitors:
        for buyer in rng.sample(buyers, min(len(buyers), 1)):
            rows.setdefault((buyer.pk, exhibitor.pk, "exhibitor"), rng.choices(("want", "no"), weights=(4, 1))[0])
    return [
        Wish(exhibition=exhibition, buyer_id=b, exhibitor_id=e, by=by, priority=p) for (b, e, by), p in rows.items()
    ]


def _seed(exhibition):
    rng = random.Random(8)
    buyers = list(participating_buyers(exhibition).order_by("ref"))
    exhibitors = list(participating_exhibitors(exhibition).order_by("ref"))
    if not buyers or not exhibitors:
        return {"wishes": 0, "mutual": 0, "interpreters": 0, "blocked": 0}
    Wish.objects.bulk_create(_wishes(exhibition, buyers, exhibitors, rng), ignore_conflicts=True)
    _reach_out(exhibition, buyers)

    days = [d.isoformat() for d in exhibition.days]
    for registration in BuyerRegistration.objects.filter(exhibition=exhibition, visit_days=[]).order_by("company__ref"):
        count = rng.choice((1, 2, len(days)))
        BuyerRegistration.objects.filter(pk=registration.pk).update(visit_days=sorted(rng.sample(days, count)))

    for ref, name, email, languages, available in INTERPRETERS:
        Interpreter.objects.update_or_create(
            exhibition=exhibition,
            ref=ref,
            defaults={
                "name": name,
                "email": email,
                "languages": languages,
                "days": days[:1] if available is None else available,
            },
        )

    ExhibitorApplication.objects.filter(
        exhibition=exhibition, company__in=[e.pk for e in exhibitors[:4]], status="approved"
    ).update(parallel_meetings=2)

    tz = exhibition.tzinfo
    blocks = [
        (exhibitors[0], 0, (14, 0), (15, 30), "Press interview"),
        (exhibitors[1], 1, (10, 0), (11, 0), "Supplier visit"),
        (buyers[0], 0, (15, 0), (17, 0), "Meeting at the head office"),
        (buyers[1], len(days) - 1, (10, 0), (12, 0), "Train to Osaka"),
    ]
    for company, day_index, start, end, note in blocks:
        day = exhibition.days[min(day_index, len(days) - 1)]
        Unavailability.objects.get_or_create(
            exhibition=exhibition,
            company=company,
            person=None,
            starts_at=datetime.datetime.combine(day, datetime.time(*start), tz),
            defaults={"ends_at": datetime.datetime.combine(day, datetime.time(*end), tz), "note": note},
        )

    wishes = Wish.objects.filter(exhibition=exhibition)
    sides = {}
    for buyer_id, exhibitor_id, priority in wishes.values_list("buyer_id", "exhibitor_id", "priority"):
        sides.setdefault((buyer_id, exhibitor_id), []).append(priority)
    mutual = sum(1 for ps in sides.values() if len(ps) == 2 and "no" not in ps)
    return {
        "wishes": wishes.count(),
        "mutual": mutual,
        "interpreters": Interpreter.objects.filter(exhibition=exhibition).count(),
        "blocked": Unavailability.objects.filter(exhibition=exhibition).count(),
    }


def _reach_out(exhibition, buyers):
    """The demo exhibitor reaches out to the first buyer through the service, so the buyer's
    people have the real notice (sent once: the notice key)."""
    from exhibitions.wishes.services import WishError, wish_set

    person = User.objects.filter(email=EXHIBITOR_LOGIN).first()
    company = person.company if person else None
    if company is None or not participating_exhibitors(exhibition).filter(pk=company.pk).exists():
        return
    target = next((b for b in buyers if b.memberships.exists()), None)
    if (
        target is None
        or Wish.objects.filter(exhibition=exhibition, buyer=target, exhibitor=company, by="exhibitor").exists()
    ):
        return
    try:
        wish_set(exhibition=exhibition, buyer=target, exhibitor=company, by="exhibitor", priority="want", person=person)
    except WishError:
        pass
