"""From the database to the engine's `Instance`: one exhibition's future slots, the companies
taking part, their wished pairs, availability, places, interpreters and the meetings that
stay where they are. A fixed number of queries whatever the size; arrays built with numpy.

What a pair is: the wishes of one (buyer, exhibitor) with both sides' weights added (must 3,
want 1); never a pair with a `no` from either side; only companies taking part (approved
application, approved registration); a pair that already has a booked meeting is not placed
again (the meeting, when in a future slot, is `Fixed`, like a locked draft).

Availability: a slot that has passed is left out. A buyer is available on its visit days
(none given: every day). A company is blocked by its own blocked times, and when every one
of its people is blocked (one person's blocked time does not stop colleagues meeting).
Interpreters work on their days. Booked meetings and locked drafts occupy their people,
place and interpreter through `Fixed`, not through availability.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from companies.models import Membership
from exhibitions.meetings.services import languages_of
from exhibitions.models import (
    BuyerRegistration,
    DraftMeeting,
    ExhibitorApplication,
    Interpreter,
    Meeting,
    MeetingTable,
    Slot,
    Unavailability,
    Wish,
)
from exhibitions.scheduling.engine import Fixed, Instance

BOOKED = list(Meeting.BOOKED)


@dataclass
class Loaded:
    """The instance and how its indices map back to database ids."""

    instance: Instance
    slot_ids: list
    buyer_ids: list
    exhibitor_ids: list
    interpreter_ids: list
    table_ids: list  # index t-1 for engine table t
    booth_ids: list  # per exhibitor index: its booth id or None
    participating_buyers: int = 0
    participating_exhibitors: int = 0
    # Pairs left out before solving, for the record: already met or booked in a past slot.
    already_booked: int = 0
    # Locked drafts that can no longer stand (slot passed, company out): the save drops them.
    stale_locked: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def n_pairs(self):
        return len(self.instance.pair_buyer)

    def pair_ids(self, p):
        """(buyer id, exhibitor id) of pair index p."""
        return self.buyer_ids[self.instance.pair_buyer[p]], self.exhibitor_ids[self.instance.pair_exhibitor[p]]


def _slot_positions(slots, tz):
    """Day index and position in the day of each slot (sorted by start): consecutive slots
    differ by 1, a break or gap between them by 2, so the engine sees which are adjacent."""
    day_of, index_in_day = [], []
    days = []
    previous = None
    for slot in slots:
        day = slot.starts_at.astimezone(tz).date()
        if not days or days[-1] != day:
            days.append(day)
            position = 0
        elif previous.ends_at == slot.starts_at:
            position += 1
        else:
            position += 2
        day_of.append(len(days) - 1)
        index_in_day.append(position)
        previous = slot
    return np.array(day_of, dtype=np.int64), np.array(index_in_day, dtype=np.int64), days


def _blocked(rows, slots, n_rows, index_of_company, members):
    """bool [n_rows, n_slots]: slots a company's blocked times overlap (its own, or all of
    its people's at once)."""
    n_slots = len(slots)
    blocked = np.zeros((n_rows, n_slots), dtype=bool)
    if not rows or not n_slots:
        return blocked
    starts = np.array([s.starts_at.timestamp() for s in slots])
    ends = np.array([s.ends_at.timestamp() for s in slots])
    per_person = defaultdict(lambda: np.zeros(n_slots, dtype=bool))
    for company_id, person_id, starts_at, ends_at in rows:
        row = index_of_company.get(company_id)
        if row is None:
            continue
        overlap = (starts < ends_at.timestamp()) & (ends > starts_at.timestamp())
        if person_id is None:
            blocked[row] |= overlap
        else:
            per_person[(company_id, person_id)] |= overlap
    by_company = defaultdict(list)
    for (company_id, person_id), mask in per_person.items():
        by_company[company_id].append((person_id, mask))
    for company_id, masks in by_company.items():
        people = members.get(company_id, set())
        blocked_people = {person for person, _mask in masks}
        if people - blocked_people:
            continue  # someone of the company is never blocked
        all_blocked = np.logical_and.reduce([mask for _person, mask in masks])
        blocked[index_of_company[company_id]] |= all_blocked
    return blocked


def load_instance(exhibition, *, now=None) -> Loaded:
    """Build the engine's instance for `exhibition` (see the module docstring)."""
    now = now or timezone.now()
    tz = exhibition.tzinfo
    slots = list(Slot.objects.filter(exhibition=exhibition, starts_at__gt=now).order_by("starts_at"))
    slot_index = {s.pk: i for i, s in enumerate(slots)}
    slot_day, slot_index_in_day, days = _slot_positions(slots, tz)
    n_slots = len(slots)
    day_iso = np.array([d.isoformat() for d in days])
    slot_day_iso = day_iso[slot_day] if n_slots else np.array([], dtype=str)

    applications = list(
        ExhibitorApplication.objects.filter(exhibition=exhibition, status=ExhibitorApplication.Status.APPROVED)
        .order_by("company_id")
        .values_list("company_id", "booth_id", "parallel_meetings", "stand_languages", "company__languages")
    )
    registrations = list(
        BuyerRegistration.objects.filter(exhibition=exhibition, status=BuyerRegistration.Status.APPROVED)
        .order_by("company_id")
        .values_list("company_id", "visit_days", "languages", "company__languages")
    )
    booked = list(
        Meeting.objects.filter(exhibition=exhibition, status__in=BOOKED).values_list(
            "buyer_id", "exhibitor_id", "slot_id", "booth_id", "table_id", "interpreter_id"
        )
    )
    locked = list(
        DraftMeeting.objects.filter(exhibition=exhibition, locked=True).values_list(
            "pk", "buyer_id", "exhibitor_id", "slot_id", "booth_id", "table_id", "interpreter_id"
        )
    )

    # Companies: participants first; others only because a booked meeting occupies a place.
    buyer_ids = [r[0] for r in registrations]
    exhibitor_ids = [a[0] for a in applications]
    extra_buyers = sorted({m[0] for m in booked if m[2] in slot_index} - set(buyer_ids))
    extra_exhibitors = sorted({m[1] for m in booked if m[2] in slot_index} - set(exhibitor_ids))
    buyer_index = {b: i for i, b in enumerate(buyer_ids + extra_buyers)}
    exhibitor_index = {e: i for i, e in enumerate(exhibitor_ids + extra_exhibitors)}
    n_buyers, n_exhibitors = len(buyer_index), len(exhibitor_index)

    buyer_available = np.zeros((n_buyers, n_slots), dtype=bool)
    buyer_languages = {}
    for i, (_company, visit_days, languages, company_languages) in enumerate(registrations):
        visit = set(visit_days or [])
        buyer_available[i] = np.isin(slot_day_iso, list(visit)) if visit else True
        buyer_languages[i] = frozenset(languages_of(company_languages, languages))
    exhibitor_available = np.zeros((n_exhibitors, n_slots), dtype=bool)
    exhibitor_available[: len(applications)] = True
    capacity = np.ones(n_exhibitors, dtype=np.int64)
    has_booth = np.zeros(n_exhibitors, dtype=bool)
    booth_ids = [None] * n_exhibitors
    exhibitor_languages = {}
    for i, (_company, booth_id, parallel, stand_languages, company_languages) in enumerate(applications):
        capacity[i] = max(1, parallel)
        has_booth[i] = booth_id is not None
        booth_ids[i] = booth_id
        exhibitor_languages[i] = frozenset(languages_of(company_languages, stand_languages))

    blocks = list(
        Unavailability.objects.filter(exhibition=exhibition).values_list(
            "company_id", "person_id", "starts_at", "ends_at"
        )
    )
    members = defaultdict(set)
    if any(b[1] is not None for b in blocks):
        blocked_companies = {b[0] for b in blocks if b[1] is not None}
        for company_id, user_id in Membership.objects.filter(company_id__in=blocked_companies).values_list(
            "company_id", "user_id"
        ):
            members[company_id].add(user_id)
    buyer_available &= ~_blocked(blocks, slots, n_buyers, buyer_index, members)
    exhibitor_available &= ~_blocked(blocks, slots, n_exhibitors, exhibitor_index, members)

    interpreters = list(
        Interpreter.objects.filter(exhibition=exhibition).order_by("ref", "pk").values_list("pk", "languages", "days")
    )
    interpreter_index = {pk: i for i, (pk, _l, _d) in enumerate(interpreters)}
    interpreter_available = np.zeros((len(interpreters), n_slots), dtype=bool)
    interpreter_languages = []
    for i, (_pk, languages, work_days) in enumerate(interpreters):
        interpreter_available[i] = np.isin(slot_day_iso, list(work_days)) if work_days else True
        interpreter_languages.append(frozenset(languages.split()))

    tables = list(MeetingTable.objects.filter(exhibition=exhibition).order_by("number").values_list("pk", flat=True))
    table_number = {pk: n for n, pk in enumerate(tables, start=1)}

    # Wished pairs: both sides' weights added, a `no` from either side forbids the pair.
    weight = defaultdict(int)
    refused = set()
    for buyer_id, exhibitor_id, priority in Wish.objects.filter(exhibition=exhibition).values_list(
        "buyer_id", "exhibitor_id", "priority"
    ):
        if priority == Wish.Priority.NO:
            refused.add((buyer_id, exhibitor_id))
        else:
            weight[(buyer_id, exhibitor_id)] += Wish.WEIGHTS[priority]
    booked_pairs = {(m[0], m[1]) for m in booked}
    future_booked_pairs = {(m[0], m[1]) for m in booked if m[2] in slot_index}
    pairs = []
    already_booked = 0
    for key in sorted(weight):
        buyer_id, exhibitor_id = key
        if key in refused or weight[key] <= 0:
            continue
        b, e = buyer_index.get(buyer_id), exhibitor_index.get(exhibitor_id)
        if b is None or e is None or b >= len(registrations) or e >= len(applications):
            continue
        if key in booked_pairs and key not in future_booked_pairs:
            already_booked += 1  # met already (or booked in a slot that has passed)
            continue
        pairs.append((b, e, weight[key]))
    pair_buyer = np.array([p[0] for p in pairs], dtype=np.int64)
    pair_exhibitor = np.array([p[1] for p in pairs], dtype=np.int64)
    pair_weight = np.array([p[2] for p in pairs], dtype=np.int64)
    pair_of = {(int(b), int(e)): p for p, (b, e, _w) in enumerate(pairs)}

    qualified_cache = {}

    def qualified(b, e):
        key = (buyer_languages.get(b, frozenset()), exhibitor_languages.get(e, frozenset()))
        if key not in qualified_cache:
            if key[0] & key[1]:
                qualified_cache[key] = None
            else:
                qualified_cache[key] = np.array(
                    [i for i, spoken in enumerate(interpreter_languages) if spoken & key[0] and spoken & key[1]],
                    dtype=np.int64,
                )
        return qualified_cache[key]

    pair_interpreters = [qualified(b, e) for b, e, _w in pairs]

    def fixed_from(buyer_id, exhibitor_id, slot_id, booth_id, table_id, interpreter_id):
        b, e = buyer_index[buyer_id], exhibitor_index[exhibitor_id]
        at_table = table_id is not None or booth_id is None
        return Fixed(
            buyer=b,
            exhibitor=e,
            slot=slot_index[slot_id],
            place="table" if at_table else "booth",
            table=table_number.get(table_id) if at_table else None,
            interpreter=interpreter_index.get(interpreter_id),
            pair=pair_of.get((b, e)),
        )

    fixed = [fixed_from(*m) for m in booked if m[2] in slot_index]
    stale_locked = []
    for draft_id, *row in locked:
        buyer_id, exhibitor_id, slot_id = row[:3]
        taking_part = buyer_index.get(buyer_id, n_buyers) < len(registrations) and exhibitor_index.get(
            exhibitor_id, n_exhibitors
        ) < len(applications)
        if slot_id not in slot_index or not taking_part:
            stale_locked.append(draft_id)  # its time has passed, or a company no longer takes part
            continue
        fixed.append(fixed_from(*row))

    instance = Instance(
        slot_day=slot_day,
        slot_index_in_day=slot_index_in_day,
        n_tables=len(tables),
        buyer_available=buyer_available,
        exhibitor_available=exhibitor_available,
        exhibitor_capacity=capacity,
        exhibitor_has_booth=has_booth,
        interpreter_available=interpreter_available,
        pair_buyer=pair_buyer,
        pair_exhibitor=pair_exhibitor,
        pair_weight=pair_weight,
        pair_interpreters=pair_interpreters,
        fixed=fixed,
    )
    return Loaded(
        instance=instance,
        slot_ids=[s.pk for s in slots],
        buyer_ids=list(buyer_index),
        exhibitor_ids=list(exhibitor_index),
        interpreter_ids=[pk for pk, _l, _d in interpreters],
        table_ids=tables,
        booth_ids=booth_ids,
        participating_buyers=len(registrations),
        participating_exhibitors=len(applications),
        already_booked=already_booked,
        stale_locked=stale_locked,
        stats={"slots": n_slots, "tables": len(tables), "interpreters": len(interpreters), "fixed": len(fixed)},
    )
