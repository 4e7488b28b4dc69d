"""The pure scheduling engine: every rule, the bound, the reasons, fairness, on small
instances without a database."""

import random
from collections import Counter

import numpy as np
import pytest

from exhibitions.scheduling.engine import Fixed, Instance, solve


def make(
    *,
    days=(4,),
    buyers=1,
    exhibitors=1,
    pairs=(),
    weights=None,
    tables=0,
    capacity=None,
    booth=None,
    interpreters=0,
    pair_interpreters=None,
    buyer_days=None,
    exhibitor_days=None,
    interpreter_days=None,
    fixed=(),
):
    """An instance with `days` = slots per day; availability given per day (None: all days)."""
    slot_day = np.concatenate([[d] * n for d, n in enumerate(days)]).astype(int)
    index = np.concatenate([np.arange(n) for n in days]).astype(int)

    def availability(count, by_day):
        out = np.ones((count, len(slot_day)), dtype=bool)
        for who, allowed in (by_day or {}).items():
            out[who] = np.isin(slot_day, allowed)
        return out

    pairs = list(pairs)
    return Instance(
        slot_day=slot_day,
        slot_index_in_day=index,
        n_tables=tables,
        buyer_available=availability(buyers, buyer_days),
        exhibitor_available=availability(exhibitors, exhibitor_days),
        exhibitor_capacity=np.array(capacity or [1] * exhibitors),
        exhibitor_has_booth=np.array(booth if booth is not None else [True] * exhibitors),
        interpreter_available=availability(interpreters, interpreter_days),
        pair_buyer=np.array([b for b, _ in pairs], dtype=int),
        pair_exhibitor=np.array([e for _, e in pairs], dtype=int),
        pair_weight=np.array(weights or [1] * len(pairs), dtype=int),
        pair_interpreters=pair_interpreters or [None] * len(pairs),
        fixed=list(fixed),
    )


def assert_valid(inst: Instance, sol):
    """Check every rule from the outside, fixed meetings included."""
    meetings = [(f.buyer, f.exhibitor, f.slot, f.place, f.table, f.interpreter, f.pair, True) for f in inst.fixed] + [
        (
            int(inst.pair_buyer[pl.pair]),
            int(inst.pair_exhibitor[pl.pair]),
            pl.slot,
            pl.place,
            pl.table,
            pl.interpreter,
            pl.pair,
            False,
        )
        for pl in sol.placements
    ]
    buyer_at, exhibitor_at, booth_at, table_at, interpreter_at = Counter(), Counter(), Counter(), Counter(), Counter()
    placed = Counter()
    for b, e, s, place, table, interpreter, pair, is_fixed in meetings:
        buyer_at[b, s] += 1
        exhibitor_at[e, s] += 1
        if place == "booth":
            booth_at[e, s] += 1
            assert is_fixed or inst.exhibitor_has_booth[e], "a booth meeting for an exhibitor without booth"
        else:
            assert place == "table" and 1 <= table <= inst.n_tables
            table_at[table, s] += 1
        if interpreter is not None:
            interpreter_at[interpreter, s] += 1
        if pair is not None:
            placed[pair] += 1
        if is_fixed:
            continue
        assert inst.buyer_available[b, s] and inst.exhibitor_available[e, s]
        needs = inst.pair_interpreters[pair]
        if needs is None:
            assert interpreter is None
        else:
            assert interpreter in set(needs.tolist()) and inst.interpreter_available[interpreter, s]
    assert max(buyer_at.values(), default=0) <= 1
    for (e, _slot), n in exhibitor_at.items():
        assert n <= inst.exhibitor_capacity[e]
    assert max(booth_at.values(), default=0) <= 1
    assert max(table_at.values(), default=0) <= 1
    assert max(interpreter_at.values(), default=0) <= 1
    assert max(placed.values(), default=0) <= 1
    value = sum(int(inst.pair_weight[p]) for p in placed)
    assert sol.value == value
    assert sol.greedy_value <= sol.value <= sol.upper_bound + 1e-9
    assert set(sol.unplaced) == set(range(len(inst.pair_buyer))) - set(placed)
    # a booth is used before a table in the same slot
    for (e, s), n in exhibitor_at.items():
        if inst.exhibitor_has_booth[e] and n and not booth_at[e, s]:
            pytest.fail(f"exhibitor {e} at a table in slot {s} while its booth is free")


def placed_slots(sol):
    return {pl.pair: pl.slot for pl in sol.placements}


def test_two_buyers_meet_one_exhibitor_in_different_slots_at_its_booth():
    inst = make(buyers=2, pairs=[(0, 0), (1, 0)], days=(2,))
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert sorted(placed_slots(sol).values()) == [0, 1]
    assert {pl.place for pl in sol.placements} == {"booth"}
    assert sol.value == sol.upper_bound == 2


def test_a_buyer_meets_only_on_its_visit_day():
    inst = make(days=(2, 2), pairs=[(0, 0)], buyer_days={0: [1]})
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert placed_slots(sol)[0] in (2, 3)


def test_capacity_two_with_booth_uses_booth_then_table():
    inst = make(days=(1,), buyers=2, pairs=[(0, 0), (1, 0)], capacity=[2], tables=1)
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert sorted((pl.place, pl.table) for pl in sol.placements) == [("booth", None), ("table", 1)]


def test_capacity_two_with_booth_and_no_table_places_one():
    inst = make(days=(1,), buyers=2, pairs=[(0, 0), (1, 0)], weights=[1, 3], capacity=[2], tables=0)
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert placed_slots(sol) == {1: 0}
    assert sol.unplaced == {0: "no_place"}


def test_capacity_two_without_booth_needs_two_tables():
    one = make(days=(1,), buyers=2, pairs=[(0, 0), (1, 0)], capacity=[2], booth=[False], tables=1)
    sol = solve(one, seconds=2)
    assert_valid(one, sol)
    assert len(sol.placements) == 1 and sol.placements[0].place == "table"
    assert list(sol.unplaced.values()) == ["no_place"]
    two = make(days=(1,), buyers=2, pairs=[(0, 0), (1, 0)], capacity=[2], booth=[False], tables=2)
    sol = solve(two, seconds=2)
    assert_valid(two, sol)
    assert sorted(pl.table for pl in sol.placements) == [1, 2]


def test_tables_are_shared_between_exhibitors():
    inst = make(days=(1,), buyers=2, exhibitors=2, pairs=[(0, 0), (1, 1)], booth=[False, False], tables=1)
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert len(sol.placements) == 1
    assert list(sol.unplaced.values()) == ["no_place"]


def test_interpreter_is_assigned_when_available_and_only_once_a_slot():
    inst = make(
        days=(2,),
        buyers=3,
        exhibitors=3,
        pairs=[(0, 0), (1, 1), (2, 2)],
        interpreters=1,
        pair_interpreters=[np.array([0]), np.array([0]), None],
    )
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    by_pair = {pl.pair: pl for pl in sol.placements}
    assert by_pair[0].interpreter == 0 and by_pair[1].interpreter == 0
    assert by_pair[0].slot != by_pair[1].slot
    assert by_pair[2].interpreter is None


def test_unplaced_for_lack_of_interpreter():
    inst = make(
        days=(1, 1),
        buyers=4,
        exhibitors=4,
        pairs=[(0, 0), (1, 1), (2, 2), (3, 3)],
        weights=[3, 1, 1, 1],
        interpreters=1,
        interpreter_days={0: [0]},
        buyer_days={0: [0], 1: [0], 3: [1]},
        pair_interpreters=[np.array([0]), np.array([0]), np.array([], dtype=int), np.array([0])],
    )
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert placed_slots(sol) == {0: 0}
    # 1: the only interpreter is taken; 2: nobody qualifies; 3: the interpreter is away that day
    assert sol.unplaced == {1: "no_interpreter", 2: "no_interpreter", 3: "no_interpreter"}


def test_reasons_no_common_slot_exhibitor_full_buyer_full():
    inst = make(
        days=(1, 1),
        buyers=4,
        exhibitors=3,
        pairs=[(0, 0), (1, 0), (2, 0), (3, 1), (3, 2), (0, 2)],
        weights=[3, 3, 1, 3, 3, 1],
        buyer_days={0: [0], 1: [0], 2: [0], 3: [1]},
        exhibitor_days={2: [1]},
    )
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert sol.unplaced[2] == "exhibitor_full"  # exhibitor 0 has one slot on buyer 2's day, taken
    assert sol.unplaced[5] == "no_common_slot"  # buyer 0 on day 0, exhibitor 2 on day 1
    assert sorted(sol.unplaced) == [1, 2, 4, 5] or sorted(sol.unplaced) == [0, 2, 4, 5] or len(sol.unplaced) == 4
    # buyer 3 has one slot and two exhibitors: one of its pairs is unplaced for the buyer
    assert [sol.unplaced[p] for p in (3, 4) if p in sol.unplaced] == ["buyer_full"]


def test_fixed_meetings_stay_occupy_and_count():
    fixed = [
        Fixed(buyer=0, exhibitor=0, slot=0, place="booth", interpreter=None, pair=0),
        Fixed(buyer=1, exhibitor=1, slot=1, place="table", table=1, interpreter=0, pair=None),
    ]
    inst = make(
        days=(2,),
        buyers=3,
        exhibitors=3,
        pairs=[(0, 0), (0, 1), (2, 0), (2, 2)],
        weights=[3, 1, 1, 1],
        booth=[True, False, False],
        capacity=[1, 2, 1],
        tables=2,
        interpreters=1,
        pair_interpreters=[None, None, None, np.array([0])],
        fixed=fixed,
    )
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    slots = placed_slots(sol)
    by_pair = {pl.pair: pl for pl in sol.placements}
    assert 0 not in slots  # realised by the fixed meeting, counts in the value
    assert slots[1] == 1 and by_pair[1].table == 2  # buyer 0 is busy in slot 0; table 1 is taken in slot 1
    assert slots[2] == 1  # exhibitor 0's booth is taken in slot 0
    assert slots[3] == 0  # interpreter 0 is busy in slot 1
    assert sol.value == 3 + 1 + 1 + 1


def test_fixed_meeting_without_pair_index_still_realises_its_pair():
    inst = make(days=(2,), pairs=[(0, 0)], weights=[3], fixed=[Fixed(buyer=0, exhibitor=0, slot=1, place="booth")])
    sol = solve(inst, seconds=2)
    assert sol.placements == [] and sol.value == 3 and sol.unplaced == {}


def test_fairness_serves_every_exhibitor_at_equal_weight():
    # exhibitor 0 could take both buyers (booth + table); giving one to exhibitor 1 costs nothing
    inst = make(days=(1,), buyers=2, exhibitors=2, pairs=[(0, 0), (1, 0), (1, 1)], capacity=[2, 1], tables=1)
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert sol.value == 2
    assert 2 in placed_slots(sol)


def test_no_idle_gap_where_it_costs_nothing():
    inst = make(days=(6,), exhibitors=3, pairs=[(0, 0), (0, 1), (0, 2)], exhibitor_days=None)
    inst.exhibitor_available[0, :3] = False  # exhibitor 0 only from slot 3
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    slots = sorted(placed_slots(sol).values())
    assert slots[-1] - slots[0] == 2


def random_instance(seed, n_buyers=12, n_exhibitors=6, n_slots=6, density=0.5, limits=True):
    rng = random.Random(seed)
    pairs = [(b, e) for b in range(n_buyers) for e in range(n_exhibitors) if rng.random() < density]
    inst = make(
        days=(n_slots // 2, n_slots - n_slots // 2),
        buyers=n_buyers,
        exhibitors=n_exhibitors,
        pairs=pairs,
        weights=[rng.choice([1, 1, 2, 3, 4, 6]) for _ in pairs],
        tables=2 if limits else 0,
        capacity=[rng.choice([1, 1, 2]) if limits else 1 for _ in range(n_exhibitors)],
        booth=[rng.random() < 0.8 or not limits for _ in range(n_exhibitors)],
        interpreters=2 if limits else 0,
        pair_interpreters=[
            np.array(rng.sample([0, 1], rng.randint(0, 2))) if limits and rng.random() < 0.3 else None for _ in pairs
        ],
        buyer_days={b: [rng.randint(0, 1)] for b in range(n_buyers) if limits and rng.random() < 0.3},
        interpreter_days={1: [1]} if limits else None,
    )
    return inst


@pytest.mark.parametrize("seed", range(6))
def test_random_instances_keep_every_rule_and_stay_under_the_bound(seed):
    inst = random_instance(seed)
    sol = solve(inst, seconds=2, seed=seed)
    assert_valid(inst, sol)


@pytest.mark.parametrize("seed", range(4))
def test_everything_fits_when_slots_cover_the_busiest_person(seed):
    """König: a bipartite graph's edges colour with max-degree colours, so with no limits
    every wished pair gets a slot when there are as many slots as the busiest person's pairs."""
    rng = random.Random(seed)
    n_buyers, n_exhibitors = 10, 6
    pairs = [(b, e) for b in range(n_buyers) for e in range(n_exhibitors) if rng.random() < 0.45]
    degree = Counter([("b", b) for b, _ in pairs] + [("e", e) for _, e in pairs])
    slots = max(degree.values())
    inst = make(
        days=(slots,), buyers=n_buyers, exhibitors=n_exhibitors, pairs=pairs, weights=[rng.randint(1, 4) for _ in pairs]
    )
    sol = solve(inst, seconds=5, seed=seed)
    assert_valid(inst, sol)
    assert sol.unplaced == {}
    assert sol.value == int(inst.pair_weight.sum())


def test_same_seed_same_schedule():
    inst = random_instance(11)
    first = solve(inst, seconds=2, seed=3)
    second = solve(inst, seconds=2, seed=3)
    assert [(p.pair, p.slot, p.place, p.table, p.interpreter) for p in first.placements] == [
        (p.pair, p.slot, p.place, p.table, p.interpreter) for p in second.placements
    ]


def test_progress_is_reported_up_to_the_end():
    calls = []
    inst = random_instance(5)
    sol = solve(inst, seconds=2, progress=lambda fraction, value, bound: calls.append((fraction, value, bound)))
    assert calls and calls[-1] == (1.0, sol.value, sol.upper_bound)
    assert all(value <= bound + 1e-9 for _, value, bound in calls)


def test_empty_instance():
    sol = solve(make(pairs=[]), seconds=1)
    assert sol.placements == [] and sol.value == 0 and sol.unplaced == {}


@pytest.mark.parametrize("seed", [0, 13])
def test_cpsat_improves_a_tight_start_within_the_rules(seed):
    inst = random_instance(seed, n_buyers=14, n_exhibitors=5, n_slots=4, density=0.6)
    sol = solve(inst, seconds=3, seed=0)
    assert_valid(inst, sol)
    assert sol.stats["method"] == "greedy+lp+cpsat"
    assert sol.value > sol.stats["start_value"]


@pytest.mark.parametrize("seed", range(3))
def test_coarser_lp_classes_give_a_looser_but_valid_bound(seed):
    from exhibitions.scheduling.engine.bound import lp_bound
    from exhibitions.scheduling.engine.prepare import prepare

    inst = random_instance(seed)
    rng = np.random.default_rng(seed)
    inst.buyer_available[rng.random(inst.buyer_available.shape) < 0.15] = False  # blocked times
    prep = prepare(inst)
    fine, coarse = lp_bound(prep), lp_bound(prep, max_vars=0)
    assert fine["class_level"] == "everyone" and coarse["class_level"] == "day"
    sol = solve(inst, seconds=2)
    assert_valid(inst, sol)
    assert sol.value <= fine["bound"] <= coarse["bound"]


def test_large_neighbourhood_search_keeps_every_rule(monkeypatch):
    from exhibitions.scheduling import engine

    monkeypatch.setattr(engine, "FULL_MODEL_LIMIT", 0)  # as if the full model were too big
    monkeypatch.setattr(engine, "ROUND_LP", False)
    inst = random_instance(0, n_buyers=14, n_exhibitors=5, n_slots=4, density=0.6)
    sol = solve(inst, seconds=3, seed=0)
    assert_valid(inst, sol)
    assert sol.stats["method"] == "greedy+lp+lns" and sol.stats["lns_rounds"] > 0
    assert sol.value >= sol.greedy_value


def test_no_meeting_hours_leaves_every_pair_without_common_slot():
    inst = make(days=(0,), buyers=1, exhibitors=1, pairs=[(0, 0)], weights=[3])
    sol = solve(inst, seconds=1)
    assert sol.placements == [] and sol.value == 0 and sol.upper_bound == 0
    assert sol.unplaced == {0: "no_common_slot"}
