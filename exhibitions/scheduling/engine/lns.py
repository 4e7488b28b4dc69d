"""Large-neighbourhood search for shows whose full CP-SAT model is too big to help in time
(measured: 200k booleans for 4,000 pairs x 34 slots, and CP-SAT had not loaded the start
after 10 s). Each round frees the meetings of a few people around an unplaced pair, keeps
everything else where it is, and lets CP-SAT re-place the freed pairs exactly; a round is
kept only when it places more weight.
"""

import dataclasses
import random
import time

import numpy as np
from ortools.sat.python import cp_model

from .board import Board
from .improve import Model
from .prepare import Prepared

# Pairs freed per round: enough to reshuffle a popular exhibitor's day, small enough for
# CP-SAT to solve in a fraction of a second.
NEIGHBOURHOOD_PAIRS = 120


def neighbourhood(board: Board, rng: random.Random, by_buyer: dict, by_exhibitor: dict) -> list:
    """An unplaced pair (heavier more likely) and the pairs of the people around it."""
    prep = board.prep
    unplaced = [p for p in range(prep.n_pairs) if board.slot_of[p] < 0 and len(prep.candidates[p])]
    if not unplaced:
        return []
    seed = rng.choices(unplaced, weights=[board.pair_weight[p] for p in unplaced])[0]
    chosen, people = set(), [("b", board.pair_buyer[seed]), ("e", board.pair_exhibitor[seed])]
    seen = set(people)
    if prep.pair_classes[seed]:
        # It waits for an interpreter: free some of the interpreted meetings in its slots too.
        slots = set(prep.candidates[seed].tolist())
        interpreted = sorted(
            q for s in slots for q in board.pairs_at[s] if board.class_of[q] in prep.pair_classes[seed]
        )
        for q in rng.sample(interpreted, min(len(interpreted), 8)):
            chosen.add(q)
            people += [("b", board.pair_buyer[q]), ("e", board.pair_exhibitor[q])]
            seen.update(people)
    while people and len(chosen) < NEIGHBOURHOOD_PAIRS:
        who, person = people.pop(0)
        pairs = by_buyer[person] if who == "b" else by_exhibitor[person]
        for p in pairs:
            chosen.add(p)
            for other in (("b", board.pair_buyer[p]), ("e", board.pair_exhibitor[p])):
                if other not in seen and board.slot_of[p] >= 0:
                    seen.add(other)
                    people.append(other)
        if len(people) > 1:
            rng.shuffle(people)
    return sorted(chosen)


def _sub_problem(board: Board, freed: list) -> Prepared:
    """The problem of re-placing `freed` (already removed from the board) around the rest."""
    prep = board.prep
    done = np.ones(prep.n_pairs, dtype=bool)
    done[freed] = False
    booth_free = np.maximum(0, prep.booth_free - np.array(board.exhibitor_new))
    buyer_free = np.array(board.buyer_free, dtype=bool)
    exhibitor_room = np.array(board.exhibitor_room, dtype=np.int64)
    tables_free = np.array(board.tables_free, dtype=np.int64)
    class_room = np.array(board.class_room, dtype=np.int64).reshape(prep.class_room.shape)
    candidates = list(prep.candidates)
    for p in freed:
        slots = prep.candidates[p]
        b, e = board.pair_buyer[p], board.pair_exhibitor[p]
        ok = buyer_free[b, slots] & (exhibitor_room[e, slots] > 0)
        ok &= (booth_free[e, slots] > 0) | (tables_free[slots] > 0)
        if prep.pair_classes[p] is not None:
            ok &= class_room[np.ix_(prep.pair_classes[p], slots)].sum(axis=0) > 0
        candidates[p] = slots[ok]
    return dataclasses.replace(
        prep,
        buyer_free=buyer_free,
        exhibitor_room=exhibitor_room,
        booth_free=booth_free,
        tables_free=tables_free,
        class_room=class_room,
        candidates=candidates,
        pair_done=done,
        fixed_value=0,
    )


def lns(board: Board, *, bound: float, deadline: float, workers: int, seed: int, progress=None) -> dict:
    prep = board.prep
    rng = random.Random(seed)
    by_buyer, by_exhibitor = {}, {}
    for p in range(prep.n_pairs):
        if not prep.pair_done[p]:
            by_buyer.setdefault(board.pair_buyer[p], []).append(p)
            by_exhibitor.setdefault(board.pair_exhibitor[p], []).append(p)
    start = time.monotonic()
    rounds = improved = 0
    history = []
    last_round = 0.3
    while board.value < bound and time.monotonic() + last_round < deadline:
        round_start = time.monotonic()
        freed = neighbourhood(board, rng, by_buyer, by_exhibitor)
        if not freed:
            break
        rounds += 1
        before = {p: (board.slot_of[p], board.class_of[p]) for p in freed if board.slot_of[p] >= 0}
        old_weight = sum(board.pair_weight[p] for p in before)
        for p in before:
            board.remove(p)
        sub = _sub_problem(board, freed)
        model = Model(sub, fairness=False)
        for (p, s), x in model.x.items():
            model.model.add_hint(x, before.get(p, (-1, -1))[0] == s)
        for (p, s, k), y in model.y.items():
            model.model.add_hint(y, before.get(p) == (s, k))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, min(1.0, deadline - time.monotonic() - 0.2))
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed + rounds
        status = solver.solve(model.model)
        gained = status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) > old_weight
        if gained:
            chosen = {(p, s): k for (p, s, k), y in model.y.items() if solver.boolean_value(y)}
            for (p, s), x in model.x.items():
                if solver.boolean_value(x):
                    klass = chosen.get((p, s))
                    if klass is None and prep.pair_classes[p] is not None:
                        klass = next(k for k in prep.pair_classes[p] if sub.class_room[k, s] > 0)
                    board.place(p, s, klass)
            improved += 1
            history.append((round(time.monotonic() - start, 3), board.value))
            if progress is not None:
                progress(min(1.0, (time.monotonic() - start) / max(1e-9, deadline - start)), board.value, bound)
        else:
            for p, (s, klass) in before.items():
                board.place(p, s, klass if klass >= 0 else None)
        last_round = time.monotonic() - round_start
    return {"lns_rounds": rounds, "lns_improved": improved, "lns_history": history}
