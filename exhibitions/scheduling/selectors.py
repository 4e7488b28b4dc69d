"""Reads of the meeting scheduler: runs, the draft schedule by day, a company's agenda preview,
the unplaced wishes with their reasons, and the schedule export."""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from exhibitions.models import DraftMeeting, Meeting, ScheduleRun, Slot
from exhibitions.selectors import participating_buyers, participating_exhibitors

BOOKED = list(Meeting.BOOKED)
DRAFT_RELATED = ("buyer", "exhibitor", "slot", "booth", "table", "interpreter")

# Why a wish stayed out, in words (codes from the engine).
REASONS = {
    "no_common_slot": _("No common free time: the two are never available at the same time."),
    "exhibitor_full": _("The exhibitor is full at every time the buyer is free."),
    "buyer_full": _("The buyer is full at every time the exhibitor is free."),
    "no_interpreter": _("No interpreter: the two share no language and no interpreter who speaks both is free."),
    "no_place": _("No place: the booth and every meeting table are taken at the times both are free."),
}


def runs_of(exhibition, limit=10):
    return list(ScheduleRun.objects.filter(exhibition=exhibition).select_related("started_by")[:limit])


def latest_done_run(exhibition):
    return ScheduleRun.objects.filter(exhibition=exhibition, status=ScheduleRun.Status.DONE).order_by("-pk").first()


def drafts_of(exhibition, *, company=None):
    drafts = DraftMeeting.objects.filter(exhibition=exhibition)
    if company is not None:
        drafts = drafts.filter(Q(buyer=company) | Q(exhibitor=company))
    return drafts.select_related(*DRAFT_RELATED).order_by("slot__starts_at", "booth__code", "table__number", "pk")


def draft_days(exhibition):
    """Local dates that have slots, for the day tabs of the draft schedule."""
    tz = exhibition.tzinfo
    starts = Slot.objects.filter(exhibition=exhibition).values_list("starts_at", flat=True)
    return sorted({s.astimezone(tz).date() for s in starts})


def draft_schedule(exhibition, day=None):
    """The drafts of one day grouped by slot: {"days", "day", "slots": [(slot, [drafts])],
    "count"}. Three queries whatever the number of drafts."""
    tz = exhibition.tzinfo
    days = draft_days(exhibition)
    if day not in days:
        day = days[0] if days else None
    by_slot = defaultdict(list)
    slots = {}
    for draft in drafts_of(exhibition):
        if draft.slot.starts_at.astimezone(tz).date() != day:
            continue
        slots[draft.slot_id] = draft.slot
        by_slot[draft.slot_id].append(draft)
    ordered = sorted(slots.values(), key=lambda s: s.starts_at)
    return {
        "days": days,
        "day": day,
        "slots": [(slot, by_slot[slot.pk]) for slot in ordered],
        "count": sum(len(v) for v in by_slot.values()),
    }


def agenda_preview(exhibition, company):
    """A company's day as it would be after publishing: its booked meetings and its drafts,
    in time order: [(starts_at, kind "meeting"/"draft", object)]."""
    meetings = Meeting.objects.filter(
        Q(buyer=company) | Q(exhibitor=company), exhibition=exhibition, status__in=BOOKED, slot__isnull=False
    ).select_related("buyer", "exhibitor", "booth", "table", "interpreter", "slot")
    rows = [(m.starts_at, "meeting", m) for m in meetings]
    rows += [(d.slot.starts_at, "draft", d) for d in drafts_of(exhibition, company=company)]
    return sorted(rows, key=lambda r: (r[0], r[1]))


def preview_companies(exhibition):
    """Companies that take part, for the agenda preview picker: (buyers, exhibitors)."""
    order = ("name_en", "name_ja", "name_ko", "pk")
    return (
        list(participating_buyers(exhibition).order_by(*order).distinct()),
        list(participating_exhibitors(exhibition).order_by(*order).distinct()),
    )


def unplaced_of(run, limit=None):
    """The run's unplaced wishes with the companies and the reason in words. One query."""
    rows = run.unplaced[:limit] if limit else run.unplaced
    ids = {r["buyer"] for r in rows} | {r["exhibitor"] for r in rows}
    companies = Company.objects.in_bulk(ids)
    return [
        {
            "buyer": companies.get(r["buyer"]),
            "exhibitor": companies.get(r["exhibitor"]),
            "weight": r["weight"],
            "reason": r["reason"],
            "reason_text": REASONS.get(r["reason"], r["reason"]),
        }
        for r in rows
    ]


def _place_code(booth, table):
    if table is not None:
        return f"table-{table.number}"
    return booth.code if booth is not None else None


def schedule_export_rows(exhibition):
    """Every meeting of the exhibition that has a time and every draft, in time order, as
    the dicts of `export_schedule` (times with the exhibition's UTC offset)."""
    tz = exhibition.tzinfo

    def row(buyer, exhibitor, starts_at, ends_at, booth, table, interpreter, status):
        return {
            "exhibition": exhibition.slug,
            "buyer": buyer.ref,
            "exhibitor": exhibitor.ref,
            "starts_at": starts_at.astimezone(tz).isoformat(),
            "ends_at": ends_at.astimezone(tz).isoformat(),
            "place": _place_code(booth, table),
            "interpreter": interpreter.ref if interpreter is not None else None,
            "status": status,
        }

    meetings = Meeting.objects.filter(exhibition=exhibition, starts_at__isnull=False, ends_at__isnull=False)
    rows = [
        (
            m.starts_at,
            m.buyer.ref,
            row(m.buyer, m.exhibitor, m.starts_at, m.ends_at, m.booth, m.table, m.interpreter, m.status),
        )
        for m in meetings.select_related("buyer", "exhibitor", "booth", "table", "interpreter")
    ]
    rows += [
        (
            d.slot.starts_at,
            d.buyer.ref,
            row(d.buyer, d.exhibitor, d.slot.starts_at, d.slot.ends_at, d.booth, d.table, d.interpreter, "draft"),
        )
        for d in drafts_of(exhibition)
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]
