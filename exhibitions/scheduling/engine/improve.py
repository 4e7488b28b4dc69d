"""Improvement with OR-Tools CP-SAT: the exact per-slot model, started from the greedy board.

One boolean per (pair, candidate slot); per pair at most one; per buyer and slot at most one;
per exhibitor and slot its remaining capacity; per slot the tables beyond free booths; per
interpreter class and slot its free members (a pair with several usable classes in a slot
gets one boolean per class). Objective: weight first, lexicographically (scaled above
everything else), then the number of exhibitors with at least one meeting.
"""

import threading
import time

from ortools.sat.python import cp_model

from .board import Board
from .prepare import Prepared


class Model:
    def __init__(self, prep: Prepared, fairness: bool):
        inst = prep.instance
        self.prep = prep
        self.model = m = cp_model.CpModel()
        self.x = {}  # (p, s) -> BoolVar
        self.y = {}  # (p, s, k) -> BoolVar, only where a pair has several usable classes
        by_pair, by_buyer, by_exhibitor, by_class = {}, {}, {}, {}
        for p in range(prep.n_pairs):
            if prep.pair_done[p]:
                continue
            b, e = int(inst.pair_buyer[p]), int(inst.pair_exhibitor[p])
            classes = prep.pair_classes[p]
            for s in prep.candidates[p]:
                s = int(s)
                x = m.new_bool_var(f"x{p}_{s}")
                self.x[p, s] = x
                by_pair.setdefault(p, []).append(x)
                by_buyer.setdefault((b, s), []).append(x)
                by_exhibitor.setdefault((e, s), []).append(x)
                if classes is None:
                    continue
                usable = [k for k in classes if prep.class_room[k, s] > 0]
                if len(usable) == 1:
                    by_class.setdefault((usable[0], s), []).append(x)
                    continue
                ys = []
                for k in usable:
                    y = m.new_bool_var(f"y{p}_{s}_{k}")
                    self.y[p, s, k] = y
                    ys.append(y)
                    by_class.setdefault((k, s), []).append(y)
                m.add(sum(ys) == x)
        for xs in by_pair.values():
            if len(xs) > 1:
                m.add_at_most_one(xs)
        for xs in by_buyer.values():
            if len(xs) > 1:
                m.add_at_most_one(xs)
        table_terms = {}
        self.t = {}  # (e, s) -> (IntVar, free booth)
        for (e, s), xs in by_exhibitor.items():
            room = int(prep.exhibitor_room[e, s])
            if len(xs) > room:
                (m.add_at_most_one(xs) if room == 1 else m.add(sum(xs) <= room))
            booth = int(prep.booth_free[e, s])
            most = min(room, len(xs))
            if most <= booth:
                continue  # never needs a table here
            if booth == 0:
                table_terms.setdefault(s, []).append((sum(xs), most))
            else:
                t = m.new_int_var(0, most - booth, f"t{e}_{s}")
                self.t[e, s] = (t, booth)
                m.add(t >= sum(xs) - booth)
                table_terms.setdefault(s, []).append((t, most - booth))
        self.tables = {}
        for s, terms in table_terms.items():
            if sum(most for _, most in terms) > prep.tables_free[s]:
                m.add(sum(t for t, _ in terms) <= int(prep.tables_free[s]))
        for (k, s), vs in by_class.items():
            room = int(prep.class_room[k, s])
            if len(vs) > room:
                (m.add_at_most_one(vs) if room == 1 else m.add(sum(vs) <= room))
        self.by_exhibitor = by_exhibitor
        self.has = {}
        weight = sum(int(inst.pair_weight[p]) * x for (p, _), x in self.x.items())
        # Scale weight above the largest fairness count so fairness never costs weight.
        self.scale = inst.exhibitor_capacity.shape[0] + 1 if fairness else 1
        objective = self.scale * weight
        if fairness:
            has_fixed = {f.exhibitor for f in inst.fixed}
            exhibitor_xs = {}
            for (e, _), xs in by_exhibitor.items():
                exhibitor_xs.setdefault(e, []).extend(xs)
            for e, xs in exhibitor_xs.items():
                if e in has_fixed:
                    continue
                h = m.new_bool_var(f"has{e}")
                m.add_bool_or(xs).only_enforce_if(h)
                self.has[e] = h
            objective = objective + sum(self.has.values())
        m.maximize(objective)
        self.n_vars = len(self.x) + len(self.y) + len(self.t) + len(self.has)

    def hint(self, board: Board) -> None:
        m = self.model
        for (p, s), x in self.x.items():
            m.add_hint(x, board.slot_of[p] == s)
        for (p, s, k), y in self.y.items():
            m.add_hint(y, board.slot_of[p] == s and board.class_of[p] == k)
        for e, h in self.has.items():
            m.add_hint(h, any(board.exhibitor_new[e][s] > 0 for s in range(self.prep.n_slots)))
        for (e, s), (t, booth) in self.t.items():
            m.add_hint(t, max(0, board.exhibitor_new[e][s] - booth))

    def read(self, solver: cp_model.CpSolver, board: Board) -> None:
        """Replace the board's placements with the solver's."""
        for p, s in list(enumerate(board.slot_of)):
            if s >= 0:
                board.remove(p)
        chosen = {}
        for (p, s, k), y in self.y.items():
            if solver.boolean_value(y):
                chosen[p, s] = k
        for (p, s), x in self.x.items():
            if solver.boolean_value(x):
                klass = chosen.get((p, s))
                if klass is None and self.prep.pair_classes[p] is not None:
                    klass = next(k for k in self.prep.pair_classes[p] if self.prep.class_room[k, s] > 0)
                board.place(p, s, klass)


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports each new solution and stops once the weight meets the bound with every
    exhibitor that can have a meeting given one."""

    def __init__(self, model: Model, base: int, bound: float, best_fair: int, start: float, seconds: float, progress):
        super().__init__()
        self.m, self.base, self.bound, self.best_fair = model, base, bound, best_fair
        self.start, self.seconds, self.progress = start, seconds, progress
        self.history = []
        self.lock = threading.Lock()

    def on_solution_callback(self):
        objective = int(round(self.objective_value))
        value = self.base + objective // self.m.scale
        fair = objective % self.m.scale if self.m.scale > 1 else 0
        elapsed = time.monotonic() - self.start
        with self.lock:
            self.history.append((round(elapsed, 3), value, fair))
        if self.progress is not None:
            self.progress(min(1.0, elapsed / max(self.seconds, 1e-9)), value, self.bound)
        if value >= self.bound and fair >= self.best_fair:
            self.stop_search()


def improve(
    prep: Prepared,
    board: Board,
    *,
    bound: float,
    seconds: float,
    workers: int,
    seed: int,
    fairness: bool,
    progress=None,
) -> dict:
    start = time.monotonic()
    model = Model(prep, fairness)
    model.hint(board)
    built = time.monotonic() - start
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, seconds - built)
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.log_search_progress = False
    best_fair = len(model.has)
    watch = _Watch(model, prep.fixed_value, bound, best_fair, start, seconds, progress)
    status = solver.solve(model.model, watch)
    stats = {
        "cpsat_status": solver.status_name(status),
        "cpsat_build_seconds": round(built, 3),
        "cpsat_seconds": round(solver.wall_time, 3),
        "n_vars": model.n_vars,
        "history": watch.history,
    }
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        candidate_value = prep.fixed_value + int(round(solver.objective_value)) // model.scale
        if candidate_value >= board.value:
            model.read(solver, board)
        stats["cpsat_bound"] = prep.fixed_value + int(solver.best_objective_bound) // model.scale
    return stats
