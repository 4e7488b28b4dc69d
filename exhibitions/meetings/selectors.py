"""Reads about meetings: agendas, inboxes, free slots, the staff board and report, calendars.

Privacy of outcomes: each side's outcome row (kind, value, private note) is shown in full to
that side's company members only. Staff see both sides' kinds and values (the figures the
cooperative reports) but never the notes; the other side sees neither. See `outcomes_visible_to`.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import F, FilteredRelation, Prefetch, Q
from django.utils import timezone

from companies.models import Company
from companies.rules import runs_exhibition
from exhibitions.models import (
    Exhibition,
    ExhibitorApplication,
    Meeting,
    MeetingEvent,
    MeetingOutcome,
    MeetingTable,
    Representative,
    Slot,
)
from exhibitions.selectors import participating_exhibitors

BOOKED = list(Meeting.BOOKED)
PENDING = list(Meeting.PENDING)

MEETING_RELATED = (
    "buyer",
    "exhibitor",
    "buyer_person",
    "representative",
    "booth",
    "table",
    "exhibition",
    "interpreter",
)


def can_see_meeting(user, meeting):
    """The two sides' company members and the staff who run the exhibition; nobody else (they
    get 404)."""
    if not user.is_authenticated:
        return False
    if runs_exhibition(user, meeting.exhibition):
        return True
    company = user.company
    return company is not None and company.pk in (meeting.buyer_id, meeting.exhibitor_id)


def meeting_for(user, exhibition, pk):
    """The meeting if `user` may see it, else None."""
    meeting = (
        Meeting.objects.select_related(*MEETING_RELATED, "representative__user", "slot", "move_slot", "move_table")
        .filter(exhibition=exhibition, pk=pk)
        .first()
    )
    if meeting is None or not can_see_meeting(user, meeting):
        return None
    return meeting


def _mine(user):
    """Meetings this person attends: as the buyer person, as the representative, or for the
    company when no particular person was named."""
    company = user.company
    if company is None:
        return Q(pk__in=[])
    if company.kind == Company.Kind.BUYER:
        return Q(buyer=company) & (Q(buyer_person=user) | Q(buyer_person__isnull=True))
    return Q(exhibitor=company) & (
        Q(representative__user=user) | Q(representative__isnull=True) | Q(representative__user__isnull=True)
    )


def agenda_for(*, user, exhibition, company_wide=False):
    """Booked meetings (and cancelled ones, struck through) of a person, or of the person's
    company with `company_wide`, in time order."""
    company = user.company
    if company is None:
        return Meeting.objects.none()
    scope = Q(buyer=company) | Q(exhibitor=company) if company_wide else _mine(user)
    return (
        Meeting.objects.filter(scope, exhibition=exhibition, status__in=BOOKED)
        .select_related(*MEETING_RELATED)
        .order_by("starts_at", "id")
    )


def meetings_of(*, user, exhibition=None, status=None):
    """Every meeting of the person's company (both sides' members see a meeting, as on its
    page), in exhibitions the person may see, newest first; optionally of one exhibition and
    one status. None for someone in no company."""
    company = user.company
    if company is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(Q(buyer=company) | Q(exhibitor=company))
    if exhibition is not None:
        meetings = meetings.filter(exhibition=exhibition)
    else:
        meetings = meetings.filter(exhibition__in=Exhibition.objects.visible_to(user).values("id"))
    if status:
        meetings = meetings.filter(status=status)
    return meetings.select_related(*MEETING_RELATED)


def requests_for(*, company, exhibition):
    """Open requests: for an exhibitor, those to answer (requested) and those waiting for the
    buyer (proposed); for a buyer, its own requests and the proposals to answer."""
    side = Q(buyer=company) if company.kind == Company.Kind.BUYER else Q(exhibitor=company)
    return (
        Meeting.objects.filter(side, exhibition=exhibition, status__in=PENDING)
        .select_related(*MEETING_RELATED)
        .prefetch_related(Prefetch("proposed_slots", queryset=Slot.objects.order_by("starts_at")))
        .order_by("expires_at", "id")
    )


def recent_closed_for(*, company, exhibition, limit=20):
    """Declined, expired and cancelled requests, newest first (so nobody wonders where one went)."""
    side = Q(buyer=company) if company.kind == Company.Kind.BUYER else Q(exhibitor=company)
    return (
        Meeting.objects.filter(side, exhibition=exhibition, status__in=["declined", "expired", "cancelled"])
        .select_related(*MEETING_RELATED)
        .order_by("-updated_at")[:limit]
    )


def pending_count_for(*, company, exhibition):
    status = "requested" if company.kind == Company.Kind.EXHIBITOR else "proposed"
    side = Q(buyer=company) if company.kind == Company.Kind.BUYER else Q(exhibitor=company)
    return Meeting.objects.filter(side, exhibition=exhibition, status=status).count()


def busy_slot_ids(*, exhibition, buyer_person=None, exhibitor=None, representative=None, booth=None):
    """Slots in which one of these is already in a booked meeting."""
    who = Q(pk__in=[])
    if buyer_person is not None:
        who |= Q(buyer_person=buyer_person)
    if representative is not None:
        who |= Q(representative=representative)
    if booth is not None:
        who |= Q(booth=booth)
    elif exhibitor is not None and representative is None:
        who |= Q(exhibitor=exhibitor)
    return set(
        Meeting.objects.filter(who, exhibition=exhibition, status__in=BOOKED, slot__isnull=False).values_list(
            "slot_id", flat=True
        )
    )


def free_slots(*, exhibition, buyer_person=None, exhibitor=None, representative=None, booth=None, now=None):
    """Future slots in which none of the given people or places has a booked meeting."""
    now = now or timezone.now()
    busy = busy_slot_ids(
        exhibition=exhibition,
        buyer_person=buyer_person,
        exhibitor=exhibitor,
        representative=representative,
        booth=booth,
    )
    return [s for s in Slot.objects.filter(exhibition=exhibition, starts_at__gt=now) if s.pk not in busy]


SLOT_FREE, SLOT_BUYER_BUSY, SLOT_EXHIBITOR_FULL = "free", "buyer_busy", "exhibitor_full"


def slot_picker(*, exhibition, buyer, exhibitor, buyer_person=None, now=None):
    """The future slots grouped by local day, each marked free for both sides, taken by the
    buyer (its company is in one meeting at a time; or the person is), or full for the
    exhibitor (as many booked meetings as `parallel_meetings`): [(day, [(slot, state)])].
    Three queries whatever the number of slots."""
    now = now or timezone.now()
    tz = exhibition.tzinfo
    application = (
        ExhibitorApplication.objects.filter(exhibition=exhibition, company=exhibitor, status="approved")
        .only("parallel_meetings")
        .first()
    )
    capacity = application.parallel_meetings if application else 1
    booked = Meeting.objects.filter(exhibition=exhibition, status__in=BOOKED, slot__isnull=False)
    buyer_scope = Q(buyer=buyer) | Q(buyer_person=buyer_person) if buyer_person is not None else Q(buyer=buyer)
    buyer_busy = set(booked.filter(buyer_scope).values_list("slot_id", flat=True))
    exhibitor_load = Counter(booked.filter(exhibitor=exhibitor).values_list("slot_id", flat=True))
    days = defaultdict(list)
    for slot in Slot.objects.filter(exhibition=exhibition, starts_at__gt=now).order_by("starts_at"):
        if slot.pk in buyer_busy:
            state = SLOT_BUYER_BUSY
        elif exhibitor_load[slot.pk] >= capacity:
            state = SLOT_EXHIBITOR_FULL
        else:
            state = SLOT_FREE
        days[slot.starts_at.astimezone(tz).date()].append((slot, state))
    return sorted(days.items())


def free_tables(*, exhibition, slot):
    busy = Meeting.objects.filter(slot=slot, status__in=BOOKED, table__isnull=False).values("table")
    return MeetingTable.objects.filter(exhibition=exhibition).exclude(pk__in=busy)


def representatives_of(*, exhibition, company):
    return Representative.objects.filter(
        application__exhibition=exhibition,
        application__company=company,
        application__status=ExhibitorApplication.Status.APPROVED,
    ).select_related("user")


def pending_move(meeting, side=None):
    """The move one side proposed and the other has not answered, as the page shows it, or
    None: the new slot, the place it would take (table, booth, or the current place), who
    proposed it and whether that is the reader's side."""
    if not meeting.move_side or meeting.move_slot is None:
        return None
    if meeting.move_table is not None:
        place = meeting.move_table
    elif meeting.move_to_booth:
        application = (
            ExhibitorApplication.objects.select_related("booth")
            .filter(exhibition=meeting.exhibition_id, company=meeting.exhibitor_id, status="approved")
            .first()
        )
        place = application.booth if application else None
    else:
        place = meeting.place
    return {
        "slot": meeting.move_slot,
        "place": place,
        "side": meeting.move_side,
        "mine": side == meeting.move_side,
        "message": meeting.move_message,
    }


def events_for(meeting):
    return MeetingEvent.objects.filter(meeting=meeting).select_related("actor")


def outcomes_visible_to(user, meeting):
    """The outcome rows `user` may see, each with `show_note` set.

    Own side: everything. Staff: both sides' kind and value, never the note. Other side: nothing.
    """
    outcomes = list(meeting.outcomes.all())
    company = user.company if user.is_authenticated else None
    runs = runs_exhibition(user, meeting.exhibition)
    visible = []
    for outcome in outcomes:
        own = company is not None and company.pk == (
            meeting.buyer_id if outcome.side == "buyer" else meeting.exhibitor_id
        )
        if own or runs:
            outcome.show_note = own
            visible.append(outcome)
    return visible


def meetings_on_the_clock(exhibition):
    """How many meetings hold or wait for a time of the exhibition (booked, held, no-show,
    requested, proposed): they pin its time zone, since their times are fixed instants."""
    return Meeting.objects.filter(exhibition=exhibition, status__in=BOOKED + PENDING).count()


def days_with_slots(exhibition):
    tz = exhibition.tzinfo
    return sorted(
        {
            s.astimezone(tz).date()
            for s in Slot.objects.filter(exhibition=exhibition).values_list("starts_at", flat=True)
        }
    )


def board_for(*, exhibition, day=None, page_exhibitors=None):
    """The staff board for one day: slots (columns) against exhibitors (rows), each cell the
    booked meeting or None. Three queries whatever the size: slots, exhibitors, meetings."""
    tz = exhibition.tzinfo
    slots = list(Slot.objects.filter(exhibition=exhibition).order_by("starts_at"))
    days = sorted({s.starts_at.astimezone(tz).date() for s in slots})
    if day is None or day not in days:
        day = days[0] if days else None
    slots = [s for s in slots if s.starts_at.astimezone(tz).date() == day]
    exhibitors = page_exhibitors
    if exhibitors is None:
        exhibitors = list(exhibitors_with_booths(exhibition))
    meetings = (
        Meeting.objects.filter(exhibition=exhibition, slot__in=[s.pk for s in slots], status__in=BOOKED)
        .select_related("buyer", "buyer_person", "table", "representative")
        .order_by()
    )
    cells = {(m.exhibitor_id, m.slot_id): m for m in meetings} if slots else {}
    rows = [(company, [(slot, cells.get((company.pk, slot.pk))) for slot in slots]) for company in exhibitors]
    return {"days": days, "day": day, "slots": slots, "rows": rows}


def exhibitors_with_booths(exhibition):
    """Participating exhibitors, each with `booth_code` from its approved application, by booth."""
    approved = FilteredRelation(
        "applications", condition=Q(applications__exhibition=exhibition, applications__status="approved")
    )
    return (
        participating_exhibitors(exhibition)
        .annotate(approved=approved)
        .annotate(booth_code=F("approved__booth__code"))
        .order_by("booth_code", "name_en", "pk")
    )


def report_for(*, exhibition):
    """The figures the cooperative reports after a show. Two queries.

    requested: every meeting asked for or booked; accepted: ever booked (accepted, held,
    no-show, and cancelled after acceptance); held; no_show; cancelled; declined; expired;
    pending; outcomes by kind (the meetings' summaries); total consultation value in USD.
    """
    rows = list(
        Meeting.objects.filter(exhibition=exhibition).values("id", "status", "outcome", "deal_value_usd", "starts_at")
    )
    statuses = Counter(r["status"] for r in rows)
    outcomes = Counter(r["outcome"] for r in rows if r["outcome"])
    total = sum((r["deal_value_usd"] or Decimal(0) for r in rows), Decimal(0))
    cancelled_after_booking = sum(1 for r in rows if r["status"] == "cancelled" and r["starts_at"] is not None)
    figures = {
        "requested": len(rows),
        "accepted": statuses["accepted"] + statuses["held"] + statuses["no_show"] + cancelled_after_booking,
        "held": statuses["held"],
        "no_show": statuses["no_show"],
        "upcoming": statuses["accepted"],
        "pending": statuses["requested"] + statuses["proposed"],
        "declined": statuses["declined"],
        "cancelled": statuses["cancelled"],
        "expired": statuses["expired"],
        "outcomes": [(kind, label, outcomes[kind]) for kind, label in Meeting.Outcome.choices],
        "total_value_usd": total.quantize(Decimal("0.01")),
    }
    return figures


def report_meetings(*, exhibition):
    """Every meeting of the exhibition with both sides' outcomes (no notes), for the CSV export."""
    return (
        Meeting.objects.filter(exhibition=exhibition)
        .select_related(*MEETING_RELATED)
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=MeetingOutcome.objects.only("meeting_id", "side", "outcome", "estimated_value", "currency"),
            )
        )
        .order_by("starts_at", "id")
    )


def calendar_meetings(*, user, exhibition):
    """What a person's iCalendar feed holds: booked meetings and cancelled ones that had a time."""
    company = user.company
    if company is None:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(
            _mine(user),
            exhibition=exhibition,
            status__in=BOOKED + ["cancelled"],
            starts_at__isnull=False,
        )
        .select_related(*MEETING_RELATED)
        .order_by("starts_at", "id")
    )


def upcoming_for_reminder(*, now=None, ahead=datetime.timedelta(hours=1)):
    now = now or timezone.now()
    return Meeting.objects.filter(status="accepted", starts_at__gt=now, starts_at__lte=now + ahead).values_list(
        "pk", flat=True
    )


def ended_for_outcome_prompt(*, now=None, within=datetime.timedelta(days=2)):
    now = now or timezone.now()
    return Meeting.objects.filter(
        status__in=["accepted", "held"], ends_at__lte=now, ends_at__gt=now - within
    ).values_list("pk", flat=True)


def group_by_day(meetings, tz):
    days = defaultdict(list)
    for meeting in meetings:
        days[meeting.starts_at.astimezone(tz).date()].append(meeting)
    return sorted(days.items())
