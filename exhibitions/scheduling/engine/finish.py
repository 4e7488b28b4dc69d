"""From a board to placements: fill what still fits, close idle gaps where it costs nothing,
name the places (booth first, then tables, an exhibitor keeping its table where it can) and
the interpreters, and say why each unplaced pair stayed out.
"""

import time
from collections import Counter

from .board import Board
from .greedy import choose_slot, neighbours
from .types import BOOTH, NO_COMMON_SLOT, NO_INTERPRETER, TABLE, Placement

REASON_ORDER = ("exhibitor_full", "buyer_full", "no_interpreter", "no_place")


def fill(board: Board) -> int:
    """Place every pair that still fits somewhere (heaviest first); returns how many."""
    prep = board.prep
    before, after = neighbours(prep)
    order = sorted(
        (p for p in range(prep.n_pairs) if board.slot_of[p] < 0 and not prep.pair_done[p] and len(prep.candidates[p])),
        key=lambda p: (-board.pair_weight[p], p),
    )
    placed = 0
    for p in order:
        s = choose_slot(board, p, prep.candidates[p], before, after)
        if s is not None:
            board.place(p, s)
            placed += 1
    return placed


def _occupied(board: Board, who: str, person: int, s: int) -> bool:
    if who == "b":
        return board.buyer_available[person][s] and not board.buyer_free[person][s]
    if not board.exhibitor_available[person][s]:
        return False
    return board.exhibitor_new[person][s] > 0 or board.room_after_fixed[person][s] < board.capacity[person]


def _day_gaps(board: Board, who: str, person: int, day: list) -> int:
    """Idle slots the person is available for between its first and last meeting of the day."""
    available = board.buyer_available[person] if who == "b" else board.exhibitor_available[person]
    busy = [_occupied(board, who, person, s) for s in day]
    if sum(busy) < 2:
        return 0
    first, last = busy.index(True), len(busy) - 1 - busy[::-1].index(True)
    return sum(1 for i in range(first, last + 1) if not busy[i] and available[day[i]])


def total_gaps(board: Board) -> int:
    prep = board.prep
    n_buyers, n_exhibitors = prep.buyer_free.shape[0], prep.exhibitor_room.shape[0]
    return sum(_day_gaps(board, "b", b, day) for b in range(n_buyers) for day in prep.slots_of_day) + sum(
        _day_gaps(board, "e", e, day) for e in range(n_exhibitors) for day in prep.slots_of_day
    )


def close_gaps(board: Board, deadline: float, passes: int = 3) -> None:
    """Move single meetings to another free slot when that leaves fewer idle gaps for the
    buyer and exhibitor together; the set of placed pairs, hence the value, never changes."""
    prep = board.prep
    day_of = prep.instance.slot_day
    for _ in range(passes):
        moved = False
        for p in range(prep.n_pairs):
            s = board.slot_of[p]
            if s < 0 or time.monotonic() > deadline:
                continue
            b, e = board.pair_buyer[p], board.pair_exhibitor[p]

            def cost(days, b=b, e=e):
                return sum(
                    _day_gaps(board, "b", b, prep.slots_of_day[d]) + _day_gaps(board, "e", e, prep.slots_of_day[d])
                    for d in days
                )

            if cost({int(day_of[s])}) == 0:
                continue
            klass = board.class_of[p]
            board.remove(p)
            options = [int(s2) for s2 in prep.candidates[p] if s2 != s and board.blocker(p, int(s2)) is None]
            best, best_cost = s, None
            for s2 in options:
                days = {int(day_of[s]), int(day_of[s2])}
                board.place(p, s, klass)
                here = cost(days)
                board.remove(p)
                board.place(p, s2)
                there = cost(days)
                board.remove(p)
                if there < here and (best_cost is None or there - here < best_cost):
                    best, best_cost = s2, there - here
            board.place(p, best, klass if best == s else None)
            moved |= best != s
        if not moved:
            break


def placements(board: Board) -> list:
    """Name booth or table and the interpreter of every new meeting."""
    prep = board.prep
    inst = prep.instance
    by_slot = {}
    for p, s in enumerate(board.slot_of):
        if s >= 0:
            by_slot.setdefault(s, []).append(p)
    last_table, last_interpreter = {}, {}
    out = []
    for s in sorted(by_slot):
        free_tables = [t for t in range(1, inst.n_tables + 1) if t not in prep.tables_taken[s]]
        busy_interpreters = {i for i in range(prep.interpreter_busy.shape[0]) if prep.interpreter_busy[i, s]}
        booth_taken = set()
        # Pairs of the same exhibitor together; those who used a table before go first to keep it.
        pairs = sorted(by_slot[s], key=lambda p: (board.pair_exhibitor[p], p))
        needs_table = []
        for p in pairs:
            e = board.pair_exhibitor[p]
            if prep.booth_free[e, s] and e not in booth_taken:
                booth_taken.add(e)
                out.append(Placement(pair=p, slot=s, place=BOOTH, table=None, interpreter=None))
            else:
                needs_table.append(p)
        for p in sorted(needs_table, key=lambda p: (last_table.get(board.pair_exhibitor[p]) is None, p)):
            e = board.pair_exhibitor[p]
            table = last_table.get(e)
            if table not in free_tables:
                table = free_tables[0]
            free_tables.remove(table)
            last_table[e] = table
            out.append(Placement(pair=p, slot=s, place=TABLE, table=table, interpreter=None))
        for placement in out:
            if placement.slot != s or prep.pair_classes[placement.pair] is None:
                continue
            p = placement.pair
            members = [
                i
                for i in prep.class_members[board.class_of[p]]
                if i not in busy_interpreters and inst.interpreter_available[i, s]
            ]
            e = board.pair_exhibitor[p]
            keep = last_interpreter.get(e)
            chosen = keep if keep in members else members[0]
            busy_interpreters.add(chosen)
            last_interpreter[e] = chosen
            placement.interpreter = chosen
    out.sort(key=lambda pl: (pl.slot, pl.pair))
    return out


def unplaced_reasons(board: Board) -> dict:
    """Why each pair without a meeting has none: no common slot or no interpreter at all
    first; otherwise what blocks it in most of its common slots on the final board."""
    prep = board.prep
    reasons = {}
    for p in range(prep.n_pairs):
        if board.slot_of[p] >= 0 or prep.pair_done[p]:
            continue
        common = prep.common[p]
        if len(common) == 0:
            reasons[p] = NO_COMMON_SLOT
            continue
        classes = prep.pair_classes[p]
        if classes is not None:
            interpreters = [i for k in classes for i in prep.class_members[k]]
            if not interpreters or not prep.instance.interpreter_available[interpreters][:, common].any():
                reasons[p] = NO_INTERPRETER
                continue
        counts = Counter(board.blocker(p, int(s)) for s in common)
        counts.pop(None, None)
        if not counts:
            reasons[p] = REASON_ORDER[0]  # cannot happen after fill; kept total
            continue
        reasons[p] = max(REASON_ORDER, key=lambda r: (counts.get(r, 0), -REASON_ORDER.index(r)))
    return reasons
