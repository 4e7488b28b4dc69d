"""From the engine's `Solution` to the database: the exhibition's draft schedule and the
run's figures, in one transaction."""

from django.db import transaction
from django.utils import timezone

from companies.webhooks import events as webhook_events
from exhibitions.models import DraftMeeting, Exhibition, ScheduleRun


def draft_rows(loaded, solution, *, exhibition_id, run_id):
    """Unsaved DraftMeeting rows for the solution's new placements."""
    inst = loaded.instance
    rows = []
    for placement in solution.placements:
        p = placement.pair
        e = int(inst.pair_exhibitor[p])
        at_booth = placement.place == "booth"
        rows.append(
            DraftMeeting(
                exhibition_id=exhibition_id,
                run_id=run_id,
                buyer_id=loaded.buyer_ids[int(inst.pair_buyer[p])],
                exhibitor_id=loaded.exhibitor_ids[e],
                slot_id=loaded.slot_ids[placement.slot],
                booth_id=loaded.booth_ids[e] if at_booth else None,
                table_id=None if at_booth else loaded.table_ids[placement.table - 1],
                interpreter_id=None if placement.interpreter is None else loaded.interpreter_ids[placement.interpreter],
                weight=int(inst.pair_weight[p]),
            )
        )
    return rows


def unplaced_rows(loaded, solution):
    """The wishes left out, heaviest first: [{"buyer", "exhibitor", "weight", "reason"}]."""
    inst = loaded.instance
    rows = []
    for p, reason in solution.unplaced.items():
        buyer_id, exhibitor_id = loaded.pair_ids(int(p))
        rows.append(
            {"buyer": buyer_id, "exhibitor": exhibitor_id, "weight": int(inst.pair_weight[p]), "reason": reason}
        )
    rows.sort(key=lambda r: (-r["weight"], r["buyer"], r["exhibitor"]))
    return rows


def _without_clashes(rows, kept, capacity):
    """The new rows that fit beside the drafts kept now (locked ones), and the others with a
    reason code. They only clash when staff locked or moved a draft while the run solved
    (the engine saw it unlocked); a pair the kept drafts already hold is simply dropped."""
    taken, held = set(), {}
    for buyer, exhibitor, slot, booth, table, interpreter in kept:
        taken |= {("pair", buyer, exhibitor), ("buyer", slot, buyer), ("booth", slot, booth), ("table", slot, table)}
        taken.add(("interpreter", slot, interpreter))
        held[(slot, exhibitor)] = held.get((slot, exhibitor), 0) + 1
    fits, dropped = [], []
    for row in rows:
        s = row.slot_id
        checks = [
            (("pair", row.buyer_id, row.exhibitor_id), None),
            (("buyer", s, row.buyer_id), "buyer_full"),
            (("booth", s, row.booth_id), "no_place"),
            (("table", s, row.table_id), "no_place"),
            (("interpreter", s, row.interpreter_id), "no_interpreter"),
        ]
        clash = next(((key, reason) for key, reason in checks if key[-1] is not None and key in taken), None)
        if clash is None and held.get((s, row.exhibitor_id), 0) >= capacity.get(row.exhibitor_id, 1):
            clash = (None, "exhibitor_full")
        if clash is not None:
            dropped.append((row, clash[1]))
            continue
        fits.append(row)
        held[(s, row.exhibitor_id)] = held.get((s, row.exhibitor_id), 0) + 1
        taken |= {("pair", row.buyer_id, row.exhibitor_id), ("buyer", s, row.buyer_id), ("booth", s, row.booth_id)}
        taken |= {("table", s, row.table_id), ("interpreter", s, row.interpreter_id)}
    return fits, dropped


def save_solution(*, run, loaded, solution, solver_seconds):
    """Replace the exhibition's unlocked drafts with the solution and record the figures.

    Only while this run is still the running one (the row is locked): a run that a sweep
    declared dead, or that was replaced, saves nothing. The exhibition row is locked too, so
    a publish or a hand move never sees half a schedule. Returns True when saved.
    """
    with transaction.atomic():
        Exhibition.objects.select_for_update().filter(pk=run.exhibition_id).first()
        current = ScheduleRun.objects.select_for_update().filter(pk=run.pk, status=ScheduleRun.Status.RUNNING).first()
        if current is None:
            return False
        DraftMeeting.objects.filter(exhibition_id=run.exhibition_id, locked=False).delete()
        DraftMeeting.objects.filter(exhibition_id=run.exhibition_id, pk__in=loaded.stale_locked).delete()
        drafts = draft_rows(loaded, solution, exhibition_id=run.exhibition_id, run_id=run.pk)
        kept = DraftMeeting.objects.filter(exhibition_id=run.exhibition_id).values_list(
            "buyer_id", "exhibitor_id", "slot_id", "booth_id", "table_id", "interpreter_id"
        )
        capacity = dict(zip(loaded.exhibitor_ids, loaded.instance.exhibitor_capacity.tolist(), strict=True))
        drafts, dropped = _without_clashes(drafts, list(kept), capacity)
        DraftMeeting.objects.bulk_create(drafts)
        unplaced = unplaced_rows(loaded, solution)
        lost = [(row, reason) for row, reason in dropped if reason is not None]
        unplaced += [
            {"buyer": r.buyer_id, "exhibitor": r.exhibitor_id, "weight": r.weight, "reason": why} for r, why in lost
        ]
        placed = loaded.n_pairs - len(unplaced)
        value = int(solution.value) - sum(r.weight for r, _why in lost)
        stats = dict(solution.stats)
        stats.update(loaded.stats)
        stats.update(
            buyers=loaded.participating_buyers,
            exhibitors=loaded.participating_exhibitors,
            already_booked=loaded.already_booked,
            new_drafts=len(drafts),
            dropped_for_changes_during_run=len(dropped),
        )
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.DONE,
            progress=1.0,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            pairs=loaded.n_pairs,
            placed=placed,
            value=value,
            upper_bound=float(solution.upper_bound),
            greedy_value=int(solution.greedy_value),
            solver_seconds=round(solver_seconds, 2),
            stats=_jsonable(stats),
            unplaced=unplaced,
        )
        webhook_events.run_finished(
            kind="scheduler",
            run=run,
            exhibition=run.exhibition,
            figures={"pairs": loaded.n_pairs, "placed": placed, "unplaced": len(unplaced)},
        )
    return True


def _jsonable(value):
    """Stats as plain JSON (the engine may hand back numpy numbers)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
