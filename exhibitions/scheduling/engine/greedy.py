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


def _busy_buyer(board: Board, b: int, s: int) -> int:
    return int(s >= 0 and bool(board.prep.instance.buyer_available[b, s]) and not board.buyer_free[b][s])


def _busy_exhibitor(board: Board, e: int, s: int) -> int:
    prep = board.prep
    if s < 0 or not prep.instance.exhibitor_available[e, s]:
        return 0
    has_fixed = prep.exhibitor_room[e, s] < prep.instance.exhibitor_capacity[e]
    return int(bool(has_fixed) or board.exhibitor_new[e][s] > 0)


def choose_slot(board: Board, p: int, slots, before, after, prefer=None):
    """The free slot for p that uses the booth rather than a table and sits next to the
    buyer's and exhibitor's other meetings (in the slot class the LP prefers, when given);
    None when none is free."""
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
        key = (-prefer(s) if prefer else 0, board._needs_table(e, s), -adjacent, s)
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


def round_lp(prep: Prepared, lp: dict) -> Board:
    """Greedy guided by the LP: pairs the LP places most fully first (heavier first among
    equals), each in the slot class the LP gives it most of; then repair, when below the bound."""
    share, slot_class = lp["share"], lp["slot_class"]
    weight = prep.instance.pair_weight
    n_candidates = [len(c) for c in prep.candidates]

    def total(p):
        return round(sum(share.get(p, {}).values()), 3)

    order = sorted(greedy_order(prep), key=lambda p: (-total(p), -weight[p], n_candidates[p], p))
    board = Board(prep)
    before, after = neighbours(prep)
    for p in order:
        mine = share.get(p, {})
        s = choose_slot(
            board,
            p,
            prep.candidates[p],
            before,
            after,
            prefer=lambda s, mine=mine: round(mine.get(slot_class[s], 0.0), 3),
        )
        if s is not None:
            board.place(p, s)
    if board.value < lp["bound"]:
        repair(board)
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


def serve_everyone(board: Board) -> int:
    """Give exhibitors left without a meeting one, at no cost in weight: place one of their
    pairs by moving aside a meeting that blocks it (re-placed elsewhere when it fits, or
    dropped when it weighs no more and its exhibitor keeps another meeting). Returns how
    many exhibitors were served."""
    prep = board.prep
    before, after = neighbours(prep)
    fixed_exhibitors = {f.exhibitor for f in prep.instance.fixed}
    meetings = [0] * prep.exhibitor_room.shape[0]
    for p, s in enumerate(board.slot_of):
        if s >= 0:
            meetings[board.pair_exhibitor[p]] += 1
    waiting = {}
    for p in greedy_order(prep):
        e = board.pair_exhibitor[p]
        if board.slot_of[p] < 0 and meetings[e] == 0 and e not in fixed_exhibitors:
            waiting.setdefault(e, []).append(p)
    served = 0
    for e in sorted(waiting):
        for p in waiting[e]:
            if _serve(board, p, meetings, fixed_exhibitors, before, after):
                meetings[e] += 1
                served += 1
                break
    return served


def _serve(board: Board, p: int, meetings, fixed_exhibitors, before, after) -> bool:
    """Place p, moving aside at most two meetings in one of its slots (the buyer's, and one
    holding the interpreter or table it needs); each moved meeting is re-placed elsewhere or
    dropped, as long as the weight dropped is at most p's and every exhibitor that loses a
    meeting keeps one."""
    s = choose_slot(board, p, board.prep.candidates[p], before, after)
    if s is not None:
        board.place(p, s)
        return True
    b = board.pair_buyer[p]
    classes = set(board.pair_classes[p] or ())
    for s in board.prep.candidates[p]:
        s = int(s)
        first = [board.buyer_pair_at[b, s]] if (b, s) in board.buyer_pair_at else []
        in_slot = sorted(board.pairs_at[s], key=lambda q: (board.pair_weight[q], q))
        for q_b in first or [None]:
            moved = [q_b] if q_b is not None else []
            undo = [(q, board.slot_of[q], board.class_of[q]) for q in moved]
            for q in moved:
                board.remove(q)
            if board.blocker(p, s) is None:
                if _settle(board, p, s, moved, meetings, fixed_exhibitors, before, after):
                    return True
            else:
                for q in in_slot:
                    if q == q_b or (board.class_of[q] not in classes and board.tables_free[s] > 0):
                        continue
                    if board.pair_weight[q] > board.pair_weight[p]:
                        continue
                    klass = board.class_of[q]
                    board.remove(q)
                    if board.blocker(p, s) is None and _settle(
                        board, p, s, [*moved, q], meetings, fixed_exhibitors, before, after
                    ):
                        return True
                    board.place(q, s, klass if klass >= 0 else None)
            for q, at, klass in reversed(undo):
                board.place(q, at, klass if klass >= 0 else None)
    return False


def _settle(board: Board, p: int, s: int, moved, meetings, fixed_exhibitors, before, after) -> bool:
    """With p placed at s, re-place or drop the moved meetings; undo and say False if that
    would lose weight or leave an exhibitor without a meeting."""
    board.place(p, s)
    budget = board.pair_weight[p]
    lost = {}
    relocated = []
    for q in moved:
        if _relocate(board, q, s, before, after):
            relocated.append(q)
            continue
        budget -= board.pair_weight[q]
        e_q = board.pair_exhibitor[q]
        lost[e_q] = lost.get(e_q, 0) + 1
    fair = all(meetings[e] - n >= 1 or e in fixed_exhibitors for e, n in lost.items())
    if budget >= 0 and fair:
        for e, n in lost.items():
            meetings[e] -= n
        return True
    for q in relocated:
        board.remove(q)
    board.remove(p)
    return False
