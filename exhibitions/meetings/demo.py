"""The meetings part of `seed_demo`, on top of the exhibitions demo.

On both demo exhibitions: meeting hours 10:00–17:00 each day with a lunch break, 30-minute
slots and ten numbered tables. On the open one (mold-japan-2027): requests in every state
(requested, proposed, accepted, declined, cancelled, expired, moved, booked by staff),
made through the real services so that history and notices are real, with agenda entries
for buyer@demo and exhibitor@demo. On the past one (mold-japan-2025): held meetings with
both sides' outcomes, and a no-show, written directly since their times have passed.

Idempotent: a scenario is skipped when its two companies already have a meeting at that
exhibition, and a past meeting has a fixed UID.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from companies.models import Membership, Notification, User
from exhibitions.models import (
    ExchangeRate,
    Exhibition,
    Lead,
    Meeting,
    MeetingBreak,
    MeetingEvent,
    MeetingOutcome,
    Slot,
)
from exhibitions.selectors import participating_buyers, participating_exhibitors

from . import services

PAST, OPEN = "mold-japan-2025", "mold-japan-2027"
BUYER_LOGIN, EXHIBITOR_LOGIN, STAFF_LOGIN = (
    "buyer@demo.fairlink.example",
    "exhibitor@demo.fairlink.example",
    "staff@demo.fairlink.example",
)
HOURS = (datetime.time(10, 0), datetime.time(17, 0))
LUNCH = (datetime.time(12, 0), datetime.time(13, 0))
TABLES = 10


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _set_up(exhibition):
    """Hours, lunch break, slot length and tables; then the slots (idempotent)."""
    if exhibition.meeting_slot_minutes != 30:
        services.meeting_settings_update(
            exhibition=exhibition,
            slot_minutes=30,
            request_ttl_hours=exhibition.meeting_request_ttl_hours,
            pending_cap=exhibition.meeting_pending_cap,
        )
    for day in exhibition.days:
        hours = exhibition.meeting_hours.filter(day=day).first()
        if hours is None or (hours.starts, hours.ends) != HOURS:
            services.meeting_hours_set(exhibition=exhibition, day=day, starts=HOURS[0], ends=HOURS[1])
        if not MeetingBreak.objects.filter(exhibition=exhibition, day=day, starts=LUNCH[0]).exists():
            services.meeting_break_add(exhibition=exhibition, day=day, starts=LUNCH[0], ends=LUNCH[1], label="Lunch")
    if exhibition.meeting_tables.count() < TABLES:
        services.meeting_tables_set(exhibition=exhibition, count=TABLES)
    return services.slots_generate(exhibition=exhibition)


def _person(company):
    """A member of the company who can answer meetings: an existing one, or a demo colleague
    (no password: they exist so that the demo's meetings have a person on each side)."""
    membership = Membership.objects.select_related("user").filter(company=company).order_by("id").first()
    if membership:
        return membership.user
    email = f"{company.ref.lower()}@people.demo.fairlink.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            full_name=f"{company.name} (demo)",
            preferred_language="ja" if company.country == "JP" else "ko",
        )
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, defaults={"company": company, "role": Membership.Role.OWNER})
    return user


def _has_meeting(exhibition, buyer, exhibitor):
    return Meeting.objects.filter(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor).exists()


def _open_scenarios(exhibition, stdout):
    """Requests in every state at the open exhibition, through the services."""
    exhibitors = list(participating_exhibitors(exhibition).order_by("ref"))
    buyers = list(participating_buyers(exhibition).order_by("ref"))
    login_buyer = User.objects.filter(email=BUYER_LOGIN).first()
    login_exhibitor = User.objects.filter(email=EXHIBITOR_LOGIN).first()
    staff = User.objects.filter(email=STAFF_LOGIN).first() or User.objects.filter(cooperative__isnull=False).first()
    demo_buyer = login_buyer.company if login_buyer else None
    demo_exhibitor = login_exhibitor.company if login_exhibitor else None
    if demo_buyer not in buyers or demo_exhibitor not in exhibitors:
        _say(
            stdout, f"Meetings: {exhibition.slug} lacks the demo buyer or exhibitor as participants; skipped requests."
        )
        return 0
    other_exhibitors = [c for c in exhibitors if c != demo_exhibitor][:6]
    other_buyers = [c for c in buyers if c != demo_buyer][:5]
    if len(other_exhibitors) < 6 or len(other_buyers) < 5:
        _say(stdout, f"Meetings: {exhibition.slug} has too few participants for the demo requests; skipped.")
        return 0
    now = timezone.now()
    slots = list(Slot.objects.filter(exhibition=exhibition, starts_at__gt=now).order_by("starts_at"))
    if len(slots) < 12:
        _say(stdout, f"Meetings: {exhibition.slug} has no future slots; skipped requests.")
        return 0
    e2, e3, e4, e5, e6, e7 = other_exhibitors
    b2, b3, b4, b5, b6 = other_buyers
    made = 0

    def request(buyer_person, exhibitor, slot_indexes, message):
        return services.meeting_request(
            exhibition=exhibition,
            buyer_person=buyer_person,
            exhibitor=exhibitor,
            slots=[slots[i] for i in slot_indexes],
            message=message,
        )

    scenarios = [
        # (buyer company, exhibitor company, what happens)
        (demo_buyer, demo_exhibitor, "accepted"),
        (demo_buyer, e2, "requested"),
        (demo_buyer, e3, "proposed"),
        (demo_buyer, e4, "declined"),
        (demo_buyer, e5, "moved"),
        (b2, demo_exhibitor, "requested"),
        (b3, demo_exhibitor, "accepted_table"),
        (b4, demo_exhibitor, "cancelled"),
        (b5, e6, "expired"),
        (b6, e7, "staff"),
        (b2, e2, "proposal_accepted"),
    ]
    for buyer, exhibitor, what in scenarios:
        if _has_meeting(exhibition, buyer, exhibitor):
            continue
        buyer_person = login_buyer if buyer == demo_buyer else _person(buyer)
        answerer = login_exhibitor if exhibitor == demo_exhibitor else _person(exhibitor)
        with transaction.atomic():
            if what == "staff":
                services.meeting_book_by_staff(
                    exhibition=exhibition, buyer_person=buyer_person, exhibitor=exhibitor, slot=slots[5], by=staff
                )
            elif what == "requested":
                request(buyer_person, exhibitor, [2, 3, 8], "We are looking for a second source for hot-runner moulds.")
            elif what == "accepted":
                meeting = request(
                    buyer_person, exhibitor, [0, 1], "We would like to discuss door-trim moulds for 2028 models."
                )
                services.meeting_accept(meeting=meeting, slot=slots[0], by=answerer)
            elif what == "accepted_table":
                meeting = request(buyer_person, exhibitor, [4], "Quotation for 4-cavity caps, please.")
                table = exhibition.meeting_tables.order_by("number").first()
                services.meeting_accept(meeting=meeting, slot=slots[4], by=answerer, table=table)
            elif what == "proposed":
                meeting = request(buyer_person, exhibitor, [1], "Can we see your press-die samples?")
                services.meeting_propose(
                    meeting=meeting,
                    by=answerer,
                    slots=[slots[6], slots[7]],
                    message="We are busy then; how about these?",
                )
            elif what == "proposal_accepted":
                meeting = request(buyer_person, exhibitor, [9], "Lead times for large moulds?")
                meeting = services.meeting_propose(meeting=meeting, by=answerer, slots=[slots[10]])
                services.meeting_accept_proposal(meeting=meeting, slot=slots[10], by=buyer_person)
            elif what == "declined":
                meeting = request(buyer_person, exhibitor, [2], "Do you make blow moulds?")
                services.meeting_decline(meeting=meeting, by=answerer, reason="We do not make blow moulds, sorry.")
            elif what == "moved":
                meeting = request(buyer_person, exhibitor, [3, 6], "Die-casting moulds for housings.")
                meeting = services.meeting_accept(meeting=meeting, slot=slots[3], by=answerer)
                services.meeting_move_propose(meeting=meeting, slot=slots[11], by=buyer_person)
                services.meeting_move_accept(meeting=meeting, by=answerer)
            elif what == "cancelled":
                meeting = request(buyer_person, exhibitor, [6], "Trial order of mould bases.")
                meeting = services.meeting_accept(meeting=meeting, slot=slots[6], by=answerer)
                services.meeting_cancel(meeting=meeting, by=buyer_person, reason="Our visit is shortened.")
            elif what == "expired":
                meeting = request(buyer_person, exhibitor, [8], "Precision parts for medical devices.")
                services.meeting_expire(meeting=meeting, now=meeting.expires_at + datetime.timedelta(seconds=1))
        made += 1
    return made


# Held meetings at the past show: (buyer ref or login, exhibitor ref or login, slot index,
# status, buyer's outcome, exhibitor's outcome); an outcome is (kind, value, currency).
PAST_MEETINGS = [
    ("login", "login", 0, "held", ("deal", 12_000_000, "JPY"), ("deal", 85_000, "USD")),
    ("login", 1, 2, "held", ("follow_up", None, "JPY"), ("quotation", 3_500_000, "JPY")),
    ("login", 2, 5, "held", ("no_interest", None, "JPY"), None),
    (1, "login", 3, "held", ("quotation", 6_000_000, "JPY"), ("quotation", 5_000_000, "JPY")),
    (2, "login", 6, "no_show", None, None),
    (3, 3, 1, "held", ("follow_up", None, "JPY"), ("follow_up", None, "JPY")),
    (4, 4, 4, "held", ("deal", 40_000, "USD"), ("deal", 6_000_000, "JPY")),
    (5, 5, 7, "held", None, ("no_interest", None, "JPY")),
    (6, 6, 8, "held", ("quotation", 2_000_000, "JPY"), None),
    (7, 1, 9, "no_show", None, None),
    (8, 2, 10, "held", None, ("quotation", 45_000_000, "KRW")),
]
# The rates staff entered for each demo show (1 USD in JPY and KRW), for the report.
DEMO_RATES = {PAST: ("151.20", "1385.50"), OPEN: ("148.00", "1370.00")}


def _rates(exhibition):
    """The show's exchange rates, once (staff would enter them on the report's rates page)."""
    if ExchangeRate.objects.filter(exhibition=exhibition).exists():
        return
    jpy, krw = DEMO_RATES[exhibition.slug]
    staff = User.objects.filter(email=STAFF_LOGIN).first()
    ExchangeRate.objects.create(
        exhibition=exhibition, jpy_per_usd=jpy, krw_per_usd=krw, note="Demo: bank rate on the first day", set_by=staff
    )


def _leads(exhibition, exhibitor, buyers):
    """A few walk-up contacts at the demo exhibitor's booth: two registered buyers and a card."""
    for buyer in buyers[:2]:
        Lead.objects.get_or_create(
            exhibition=exhibition, exhibitor=exhibitor, buyer=buyer, defaults={"source": Lead.Source.SCAN}
        )
    Lead.objects.get_or_create(
        exhibition=exhibition,
        exhibitor=exhibitor,
        buyer=None,
        visitor_name="Sato Hiroshi",
        defaults={"visitor_company": "Sato Kanagata", "source": Lead.Source.CARD, "interest": Lead.Interest.HIGH},
    )


def _past_meetings(exhibition, stdout):
    exhibitors = list(participating_exhibitors(exhibition).order_by("ref"))
    buyers = list(participating_buyers(exhibition).order_by("ref"))
    login_buyer = User.objects.filter(email=BUYER_LOGIN).first()
    login_exhibitor = User.objects.filter(email=EXHIBITOR_LOGIN).first()
    demo_buyer = login_buyer.company if login_buyer else None
    demo_exhibitor = login_exhibitor.company if login_exhibitor else None
    if demo_buyer not in buyers or demo_exhibitor not in exhibitors:
        _say(stdout, f"Meetings: {exhibition.slug} lacks the demo buyer or exhibitor as participants; skipped history.")
        return 0
    others_e = [c for c in exhibitors if c != demo_exhibitor]
    others_b = [c for c in buyers if c != demo_buyer]
    _leads(exhibition, demo_exhibitor, others_b[-3:])
    slots = list(Slot.objects.filter(exhibition=exhibition).order_by("starts_at"))
    made = 0
    for buyer_key, exhibitor_key, slot_index, status, buyer_outcome, exhibitor_outcome in PAST_MEETINGS:
        if buyer_key != "login" and buyer_key > len(others_b):
            continue
        if exhibitor_key != "login" and exhibitor_key > len(others_e):
            continue
        if slot_index >= len(slots):
            continue
        buyer = demo_buyer if buyer_key == "login" else others_b[buyer_key - 1]
        exhibitor = demo_exhibitor if exhibitor_key == "login" else others_e[exhibitor_key - 1]
        uid = uuid.uuid5(
            uuid.NAMESPACE_URL, f"https://fairlink.example/demo/{exhibition.slug}/{buyer.ref}/{exhibitor.ref}"
        )
        if Meeting.objects.filter(uid=uid).exists() or _has_meeting(exhibition, buyer, exhibitor):
            continue
        with transaction.atomic():
            _past_meeting(
                exhibition, buyer, exhibitor, slots[slot_index], status, buyer_outcome, exhibitor_outcome, uid
            )
        made += 1
    return made


def _past_meeting(exhibition, buyer, exhibitor, slot, status, buyer_outcome, exhibitor_outcome, uid):
    buyer_person = User.objects.filter(email=BUYER_LOGIN).first()
    if buyer_person is None or buyer_person.company != buyer:
        buyer_person = _person(buyer)
    exhibitor_person = User.objects.filter(email=EXHIBITOR_LOGIN).first()
    if exhibitor_person is None or exhibitor_person.company != exhibitor:
        exhibitor_person = _person(exhibitor)
    application = services.approved_application(exhibition, exhibitor)
    registration = services.approved_registration(exhibition, buyer)
    representative = application.representatives.order_by("id").first()
    meeting = Meeting.objects.create(
        uid=uid,
        exhibition=exhibition,
        buyer=buyer,
        exhibitor=exhibitor,
        buyer_person=buyer_person,
        representative=representative,
        status=Meeting.Status.ACCEPTED,
        message="",
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        booth=application.booth,
        table=None if application.booth_id else exhibition.meeting_tables.order_by("number").first(),
        interpreter_needed=services.interpreter_needed_for(
            buyer=buyer,
            exhibitor=exhibitor,
            registration=registration,
            application=application,
            representative=representative,
        ),
        requested_by=buyer_person,
        sequence=1,
    )
    MeetingEvent.objects.create(meeting=meeting, actor=buyer_person, action="requested", to_status="requested")
    MeetingEvent.objects.create(
        meeting=meeting, actor=exhibitor_person, action="accepted", from_status="requested", to_status="accepted"
    )
    if status == "no_show":
        meeting.status = Meeting.Status.NO_SHOW
        meeting.save(update_fields=["status"])
        MeetingEvent.objects.create(
            meeting=meeting, action="no_show", from_status="accepted", to_status="no_show", details={"absent": "buyer"}
        )
        return meeting
    outcomes = []
    for side, outcome, person in (
        (MeetingOutcome.Side.BUYER, buyer_outcome, buyer_person),
        (MeetingOutcome.Side.EXHIBITOR, exhibitor_outcome, exhibitor_person),
    ):
        if outcome is None:
            continue
        kind, value, currency = outcome
        outcomes.append(
            MeetingOutcome.objects.create(
                meeting=meeting,
                side=side,
                outcome=kind,
                estimated_value=Decimal(value) if value is not None else None,
                currency=currency,
                note="Demo: samples requested; follow up by email." if kind != "no_interest" else "",
                recorded_by=person,
            )
        )
        MeetingEvent.objects.create(
            meeting=meeting,
            actor=person,
            action="outcome_recorded",
            from_status="accepted",
            to_status="held",
            details={"side": side},
        )
    meeting.status = Meeting.Status.HELD
    rate = ExchangeRate.objects.filter(exhibition=exhibition).first()
    meeting.outcome, meeting.deal_value_usd = services.summarise_outcomes(outcomes, rate)
    meeting.save(update_fields=["status", "outcome", "deal_value_usd"])
    return meeting


def seed(*, stdout=None):
    """Set up meetings on the demo exhibitions. Returns counts; safe to run again.

    Side effects: MeetingHours, MeetingBreak, MeetingTable and Slot rows on both exhibitions;
    demo colleagues (no password) for companies without members; meetings with their
    events, outcomes and in-app notices (marked as emailed: demo addresses are made up).
    """
    with transaction.atomic():
        counts = _seed(stdout)
        # Demo people have made-up addresses: their notices stay in-app, and no email is queued.
        Notification.objects.filter(
            emailed_at__isnull=True, template__startswith="meeting_", user__email__endswith="demo.fairlink.example"
        ).update(emailed_at=timezone.now())
    return counts


def _seed(stdout):
    counts = {"slots_created": 0, "requests": 0, "past_meetings": 0}
    for slug in (PAST, OPEN):
        exhibition = Exhibition.objects.filter(slug=slug).first()
        if exhibition is None:
            _say(stdout, f"Meetings: no exhibition {slug}; run the exhibitions demo first.")
            continue
        created, _deleted = _set_up(exhibition)
        _rates(exhibition)
        counts["slots_created"] += created
        if slug == OPEN:
            counts["requests"] += _open_scenarios(exhibition, stdout)
        else:
            counts["past_meetings"] += _past_meetings(exhibition, stdout)
    total = Meeting.objects.filter(exhibition__slug__in=(PAST, OPEN)).count()
    _say(
        stdout,
        f"Meetings: {counts['slots_created']} slots created, {counts['requests']} requests on {OPEN}, "
        f"{counts['past_meetings']} past meetings on {PAST} ({total} meetings in all).",
    )
    return counts
