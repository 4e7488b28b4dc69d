"""The constructive start: place pairs by weight, most constrained first, each in the slot that
keeps days compact and tables for those who need them; then a repair pass that moves one
meeting aside to make room for an unplaced pair (or gives its slot to a heavier one).
"""

import numpy as np

from .board import Board
from .prepare import Prepared


def neighbours(prep: Prepared):
    """Per slot, the slots just before and after it on the same day (-1 where a break or the day's edge)."""
    inst = prep.instance
    before, after = [-1] * prep.n_slots, [-1] * prep.n_slots
    for day in prep.slots_of_day:
        for a, b in zip(day, day[1:], strict=False):
            if inst.slot_index_in_day[b] - inst.slot_index_in_day[a] == 1:
                after[a], before[b] = b, a
    return before, after


def _busy_buyer(board: Board, b: int, s: int) -> bool:
    return s >= 0 and board.prep.instance.buyer_available[b, s] and not board.buyer_free[b][s]


def _busy_exhibitor(board: Board, e: int, s: int) -> bool:
    prep = board.prep
    if s < 0 or not prep.instance.exhibitor_available[e, s]:
        return False
    has_fixed = prep.exhibitor_room[e, s] < prep.instance.exhibitor_capacity[e]
    return has_fixed or board.exhibitor_new[e][s] > 0


def choose_slot(board: Board, p: int, slots, before, after):
    """The free slot for p that uses the booth rather than a table and sits next to the
    buyer's and exhibitor's other meetings; None when none is free."""
    b, e = board.pair_buyer[p], board.pair_exhibitor[p]
    best, best_key = None, None
    for s in slots:
        if board.blocker(p, s) is not None:
            continue
        adjacent = (
            _busy_buyer(board, b, before[s])
            + _busy_buyer(board, b, after[s])
            + _busy_exhibitor(board, e, before[s])
            + _busy_exhibitor(board, e, after[s])
        )
        key = (board._needs_table(e, s), -adjacent, s)
        if best_key is None or key < best_key:
            best, best_key = s, key
    return best


def greedy_order(prep: Prepared) -> list:
    weight = np.asarray(prep.instance.pair_weight)
    n_candidates = np.array([len(c) for c in prep.candidates])
    todo = [p for p in range(prep.n_pairs) if not prep.pair_done[p] and n_candidates[p] > 0]
    return sorted(todo, key=lambda p: (-weight[p], n_candidates[p], p))


def construct(prep: Prepared, order=None) -> Board:
    board = Board(prep)
    before, after = neighbours(prep)
    for p in greedy_order(prep) if order is None else order:
        s = choose_slot(board, p, prep.candidates[p], before, after)
        if s is not None:
            board.place(p, s)
    return board


def first_come(prep: Prepared, order) -> Board:
    """The baseline a hand-run show gets: requests in arrival order, each at the first free slot."""
    board = Board(prep)
    for p in order:
        if prep.pair_done[p]:
            continue
        for s in prep.candidates[p]:
            if board.blocker(p, s) is None:
                board.place(p, int(s))
                break
    return board


def _relocate(board: Board, q: int, avoid: int, before, after) -> bool:
    slots = [s for s in board.prep.candidates[q] if s != avoid]
    s = choose_slot(board, q, slots, before, after)
    if s is None:
        return False
    board.place(q, s)
    return True


def repair(board: Board, rounds: int = 2) -> None:
    """For each unplaced pair, heaviest first: free one of its slots by moving the buyer's or
    the exhibitor's meeting there to another slot, or by dropping it when it weighs less."""
    prep = board.prep
    before, after = neighbours(prep)
    for _ in range(rounds):
        changed = False
        for p in greedy_order(prep):
            if board.slot_of[p] >= 0:
                continue
            if choose_slot(board, p, prep.candidates[p], before, after) is not None:
                board.place(p, choose_slot(board, p, prep.candidates[p], before, after))
                changed = True
                continue
            if _eject_for(board, p, before, after):
                changed = True
        if not changed:
            break


def _eject_for(board: Board, p: int, before, after) -> bool:
    b, e = board.pair_buyer[p], board.pair_exhibitor[p]
    dropping = None
    for s in board.prep.candidates[p]:
        s = int(s)
        blockers = set(board.exhibitor_pairs_at.get((e, s), ()))
        if (b, s) in board.buyer_pair_at:
            blockers.add(board.buyer_pair_at[b, s])
        for q in sorted(blockers):
            klass = board.class_of[q]
            board.remove(q)
            if board.blocker(p, s) is None:
                board.place(p, s)
                if _relocate(board, q, s, before, after):
                    return True
                board.remove(p)
                if dropping is None and board.pair_weight[q] < board.pair_weight[p]:
                    dropping = (q, s)
            board.place(q, s, klass)
    if dropping is not None:
        q, s = dropping
        board.remove(q)
        board.place(p, s)
        return True
    return False
