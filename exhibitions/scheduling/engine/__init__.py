"""The meeting scheduler's engine: arrays in, placements out, no ORM (loading from the
database and saving the draft live elsewhere, see docs/scheduling.md).

Interface (what the Django side calls)::

    solve(instance: Instance, *, seconds=20.0, workers=2, seed=0, progress=None) -> Solution

- `Instance`: slots (`slot_day`, `slot_index_in_day`: slots sorted by start, consecutive
  indices are adjacent in time, a break leaves a jump > 1), `n_tables` shared tables
  (numbered 1..n_tables), availability `buyer_available[b, s]`, `exhibitor_available[e, s]`,
  `interpreter_available[i, s]` (bool; meetings are NOT subtracted: `fixed` does that),
  `exhibitor_capacity[e]` parallel meetings (>= 1), `exhibitor_has_booth[e]` (its first
  meeting in a slot is at its booth, others at tables; without a booth every meeting is at
  a table), wished pairs `pair_buyer[p]`, `pair_exhibitor[p]`, `pair_weight[p]` (> 0; must 3,
  want 1, both sides added; pairs with a `no` are never passed in), `pair_interpreters[p]`
  (None: the two share a language; otherwise an int array of the qualified interpreters,
  empty when nobody qualifies), `fixed` (list of `Fixed(buyer, exhibitor, slot, place,
  table, interpreter, pair)`: accepted or locked meetings, left exactly where they are; they
  occupy their people, place and interpreter, and their pair counts as placed; `pair` None
  is looked up from (buyer, exhibitor)), `priority_exhibitor_fairness`.
- `Solution`: `placements` (the new meetings: `Placement(pair, slot, place, table,
  interpreter)`, place "booth" or "table"), `value` (weight placed, fixed included),
  `upper_bound` (proven: the LP relaxation, tightened by CP-SAT's own bound when it proves
  more; floored since values are integers), `greedy_value` (the constructive start),
  `unplaced` (pair -> "no_common_slot" | "no_interpreter" | "exhibitor_full" | "buyer_full" |
  "no_place"), `stats` (seconds per stage, solver status, sizes, value history, gaps).
- `progress(fraction, value, bound)` is called now and then (from the solver's thread).

Every solution keeps the rules: a buyer in one meeting per slot; an exhibitor in at most its
capacity, at most one at its booth and the rest at tables; a table and an interpreter in one
meeting per slot, an interpreter only when available; every pair needing an interpreter
gets a qualified one; only slots where both sides are available; each pair at most once.

Objective: the most wish weight; at equal weight, the most exhibitors with a meeting (when
`priority_exhibitor_fairness`); then fewer idle gaps in people's days, by moves that keep
the set of placed pairs (so gaps never cost weight).

Method (measured in docs/scheduling.md): a greedy by weight, most constrained first
(`greedy_value`); the LP bound (HiGHS via scipy, slots merged by class); a second start
guided by the LP solution (pairs the LP places fully first, in the slot class it chose),
which met the bound on every bench instance; below the bound, CP-SAT on the exact model
from that start for the remaining time (large-neighbourhood CP-SAT when the model is over
FULL_MODEL_LIMIT booleans); moves that serve exhibitors left without a meeting at equal
weight; then fill, gap closing and naming places and interpreters.
"""

import time

from .bound import lp_bound
from .finish import close_gaps, fill, placements, total_gaps, unplaced_reasons
from .greedy import construct, repair, round_lp, serve_everyone
from .improve import improve
from .lns import lns
from .prepare import prepare
from .types import Fixed, Instance, Placement, Solution

__all__ = ["Fixed", "Instance", "Placement", "Solution", "solve"]

# Share of the time limit kept for the finishing passes (gaps) after the solver.
FINISH_SHARE = 0.05
FAIRNESS_MODEL_LIMIT = 50_000
# Above this many (pair, slot) booleans CP-SAT works on neighbourhoods instead (lns.py).
FULL_MODEL_LIMIT = 60_000
# When the start already meets the bound, CP-SAT gets at most this share of the time to
# serve exhibitors left without a meeting (pavilion 3: 17 s of it served nobody more).
FAIRNESS_SHARE = 0.25
# The bench turns the LP-guided start off to measure CP-SAT from the plain greedy alone.
ROUND_LP = True


def solve(instance: Instance, *, seconds: float = 20.0, workers: int = 2, seed: int = 0, progress=None) -> Solution:
    """Schedule the wished pairs of `instance` within about `seconds` of wall time."""
    start = time.monotonic()
    deadline = start + seconds
    stats = {"method": "greedy+lp"}
    prep = prepare(instance)
    board = construct(prep)
    greedy_value = board.value
    if not ROUND_LP:
        repair(board)  # the LP-guided start repairs its own board
    stats["greedy_seconds"] = round(time.monotonic() - start, 3)

    lp_start = time.monotonic()
    lp = lp_bound(prep, time_limit=max(5.0, 0.5 * seconds))
    if lp["status"] != "optimal":
        # One class per day: a small LP that always solves, with a looser bound.
        lp = lp_bound(prep, time_limit=60.0, max_vars=0)
    bound = lp["bound"]
    stats.update(lp_bound=lp["lp"], lp_status=lp["status"], lp_vars=lp["n_vars"], lp_rows=lp["n_rows"])
    stats["lp_seconds"] = round(time.monotonic() - lp_start, 3)
    if lp["status"] == "optimal" and ROUND_LP:
        rounded = round_lp(prep, lp)
        stats["lp_round_value"] = rounded.value
        if rounded.value >= board.value:
            board = rounded
    stats["start_value"] = board.value
    stats["start_seconds"] = round(time.monotonic() - start, 3)
    if progress is not None:
        progress(min(1.0, (time.monotonic() - start) / seconds), board.value, bound)

    fairness = bool(instance.priority_exhibitor_fairness)
    if fairness:
        stats["served_by_moves"] = serve_everyone(board)
    unserved = _exhibitors_without_meeting(prep, board) if fairness else 0
    remaining = deadline - time.monotonic() - FINISH_SHARE * seconds
    model_size = sum(len(c) for c in prep.candidates)
    stats["model_size"] = model_size
    # CP-SAT for fairness alone only where the model is small enough to help in time
    # (measured: at 200k booleans it does not even load the hint in 10 s).
    if board.value >= bound:
        remaining = min(remaining, FAIRNESS_SHARE * seconds)
    if board.value < bound and model_size > FULL_MODEL_LIMIT and remaining > 0.5:
        stats["method"] = "greedy+lp+lns"
        stats.update(
            lns(
                board, bound=bound, deadline=time.monotonic() + remaining, workers=workers, seed=seed, progress=progress
            )
        )
        if fairness:
            stats["served_by_moves"] += serve_everyone(board)
    elif (board.value < bound or (unserved and model_size <= FAIRNESS_MODEL_LIMIT)) and remaining > 0.2:
        stats["method"] = "greedy+lp+cpsat"
        cpsat = improve(
            prep,
            board,
            bound=bound,
            seconds=remaining,
            workers=workers,
            seed=seed,
            fairness=fairness,
            progress=progress,
        )
        stats.update(cpsat)
        if "cpsat_bound" in cpsat:
            bound = min(bound, float(cpsat["cpsat_bound"]))
        if fairness:
            stats["served_by_moves"] += serve_everyone(board)
    finish_start = time.monotonic()
    stats["filled"] = fill(board)
    stats["gaps_before"] = total_gaps(board)
    close_gaps(board, deadline=max(deadline, time.monotonic() + 0.5))
    stats["gaps_after"] = total_gaps(board)
    stats["finish_seconds"] = round(time.monotonic() - finish_start, 3)
    result = placements(board)
    stats["seconds"] = round(time.monotonic() - start, 3)
    stats["exhibitors_without_meeting"] = _exhibitors_without_meeting(prep, board)
    if progress is not None:
        progress(1.0, board.value, bound)
    return Solution(
        placements=result,
        value=board.value,
        upper_bound=float(bound),
        greedy_value=greedy_value,
        unplaced=unplaced_reasons(board),
        stats=stats,
    )


def _exhibitors_without_meeting(prep, board) -> int:
    """Exhibitors with a pair that could be placed but no meeting at all (fixed or new)."""
    with_meeting = {f.exhibitor for f in prep.instance.fixed} | {
        board.pair_exhibitor[p] for p, s in enumerate(board.slot_of) if s >= 0
    }
    could = {board.pair_exhibitor[p] for p in range(prep.n_pairs) if len(prep.candidates[p])}
    return len(could - with_meeting)
