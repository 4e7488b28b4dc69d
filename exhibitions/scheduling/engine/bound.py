"""A proven upper bound: the LP relaxation, solved by HiGHS through scipy.

The LP per slot (each pair at most once; per buyer and slot one meeting; per exhibitor and
slot its capacity; per slot the tables beyond the booths; per interpreter class and slot its
free members) is exact but large (5,000 pairs x 40 slots). Slots that look the same to
everyone (same availability of every buyer, exhibitor and interpreter) are merged into one
class, and the per-slot rows of a class are added up: any solution of the per-slot LP gives
one of the merged LP with the same value, so its optimum is still an upper bound, and when
slots of a class are truly identical it is the same bound (average a per-slot solution over
the class). Fixed meetings only lower the class capacities.
"""

import math

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .prepare import Prepared

# Pair variables in the LP at most (measured: 19k solve in 1.5 s, 200k did not in 10 s).
MAX_LP_VARS = 40_000


def slot_classes(prep: Prepared, level: str = "everyone") -> np.ndarray:
    """Class index per slot. "everyone": slots with identical availability columns for every
    buyer, exhibitor and interpreter (the exact LP when fixed meetings are few); "no_buyers":
    the same ignoring buyers' own gaps (blocked times); "day": one class per day. Coarser
    classes give a smaller LP and a bound at least as high, still valid."""
    inst = prep.instance
    parts = [np.asarray(inst.slot_day)[None, :]]
    if level in ("everyone", "no_buyers"):
        parts += [
            np.asarray(inst.exhibitor_available, dtype=bool),
            np.asarray(inst.interpreter_available, dtype=bool).reshape(len(inst.interpreter_available), prep.n_slots),
        ]
    if level == "everyone":
        parts.append(np.asarray(inst.buyer_available, dtype=bool))
    columns = np.vstack([p.astype(np.int64) for p in parts])
    keys = {}
    out = np.zeros(prep.n_slots, dtype=np.int64)
    for s in range(prep.n_slots):
        out[s] = keys.setdefault(columns[:, s].tobytes(), len(keys))
    return out


def choose_classes(prep: Prepared, max_vars: int = MAX_LP_VARS) -> tuple:
    """The finest slot classes whose LP stays under `max_vars` pair variables."""
    for level in ("everyone", "no_buyers", "day"):
        klass = slot_classes(prep, level)
        size = sum(len(np.unique(klass[c])) for c in prep.candidates)
        if size <= max_vars or level == "day":
            return level, klass
    raise AssertionError("unreachable")


def lp_bound(prep: Prepared, time_limit: float = 60.0, max_vars: int = MAX_LP_VARS) -> dict:
    """The LP bound on the value (fixed meetings included) and how it went."""
    inst = prep.instance
    level, klass = choose_classes(prep, max_vars)
    n_classes = int(klass.max()) + 1 if prep.n_slots else 0
    weight = np.asarray(inst.pair_weight, dtype=float)
    rows, cols, vals, rhs = [], [], [], []
    objective = []
    n_vars = 0

    def new_var(c_obj: float, upper: float) -> int:
        nonlocal n_vars
        objective.append((c_obj, upper))
        n_vars += 1
        return n_vars - 1

    row_index = {}

    def add(key, var: int, coef: float, bound: float):
        if key not in row_index:
            row_index[key] = len(rhs)
            rhs.append(bound)
        rows.append(row_index[key])
        cols.append(var)
        vals.append(coef)

    # Capacities summed over the slots of each class.
    in_class = np.zeros((prep.n_slots, n_classes))
    in_class[np.arange(prep.n_slots), klass] = 1.0
    buyer_in_class = prep.buyer_free.astype(float) @ in_class
    exhibitor_in_class = prep.exhibitor_room.astype(float) @ in_class
    booth_in_class = prep.booth_free.astype(float) @ in_class
    interpreters_in_class = prep.class_room.astype(float) @ in_class
    tables_in_class = prep.tables_free.astype(float) @ in_class
    class_room = prep.class_room
    exhibitor_x = {}  # (e, c) -> list of x vars, for the table rows
    x_of = []  # (pair, class, var)
    for p in range(prep.n_pairs):
        slots = prep.candidates[p]
        if prep.pair_done[p] or len(slots) == 0:
            continue
        b, e = int(inst.pair_buyer[p]), int(inst.pair_exhibitor[p])
        classes_of_pair = prep.pair_classes[p]
        for c in np.unique(klass[slots]):
            c = int(c)
            in_c = slots[klass[slots] == c]
            x = new_var(weight[p], 1.0)
            x_of.append((p, c, x))
            add(("pair", p), x, 1.0, 1.0)
            add(("buyer", b, c), x, 1.0, buyer_in_class[b, c])
            add(("exhibitor", e, c), x, 1.0, exhibitor_in_class[e, c])
            exhibitor_x.setdefault((e, c), []).append(x)
            if classes_of_pair is None:
                continue
            usable = [k for k in classes_of_pair if class_room[k, in_c].sum() > 0]
            if len(usable) == 1:
                k = usable[0]
                add(("interpreter", k, c), x, 1.0, interpreters_in_class[k, c])
                continue
            # x = sum of y over the classes that could interpret it here
            for k in usable:
                y = new_var(0.0, 1.0)
                add(("interpreter", k, c), y, 1.0, interpreters_in_class[k, c])
                add(("link", p, c), y, -1.0, 0.0)
            add(("link", p, c), x, 1.0, 0.0)
    # Tables: t_ec >= (new meetings of e in c) - (its free booth slots in c); sum_e t_ec <= tables.
    for (e, c), xs in exhibitor_x.items():
        booth = booth_in_class[e, c]
        t = new_var(0.0, np.inf)
        add(("tables", c), t, 1.0, float(tables_in_class[c]))
        add(("table_need", e, c), t, -1.0, booth)
        for x in xs:
            add(("table_need", e, c), x, 1.0, booth)
    if n_vars == 0:
        return {"bound": float(prep.fixed_value), "lp": 0.0, "status": "empty", "n_vars": 0, "n_rows": 0}
    a = sp.csr_matrix((vals, (rows, cols)), shape=(len(rhs), n_vars))
    c_obj = -np.array([o for o, _ in objective])
    bounds = [(0.0, None if math.isinf(u) else u) for _, u in objective]
    result = linprog(
        c_obj, A_ub=a, b_ub=np.array(rhs), bounds=bounds, method="highs", options={"time_limit": time_limit}
    )
    if result.status != 0:
        # Without an optimal LP we fall back on the trivial bound: every pair placed.
        trivial = float(
            prep.fixed_value + weight[~prep.pair_done & (np.array([len(c) for c in prep.candidates]) > 0)].sum()
        )
        return {"bound": trivial, "lp": None, "status": result.message, "n_vars": n_vars, "n_rows": len(rhs)}
    lp = -float(result.fun)
    # Values are integers: round the bound down, with room for the solver's tolerance.
    bound = math.floor(prep.fixed_value + lp + 1e-6 * max(1.0, lp))
    # How much of each pair the LP puts in each class: a guide for rounding.
    share = {}
    for p, c, x in x_of:
        if result.x[x] > 1e-6:
            share.setdefault(p, {})[c] = float(result.x[x])
    return {
        "bound": float(bound),
        "lp": prep.fixed_value + lp,
        "status": "optimal",
        "n_vars": n_vars,
        "n_rows": len(rhs),
        "classes": n_classes,
        "class_level": level,
        "slot_class": klass,
        "share": share,
    }
