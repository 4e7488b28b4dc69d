"""Turn an Instance into what every stage uses: residual capacities after the fixed meetings,
interpreter classes, and each pair's candidate slots.

Interpreters with the same availability and the same qualified pairs are interchangeable, so
the models count them per class (a few classes instead of every person); `finish` picks the
actual person afterwards.
"""

from dataclasses import dataclass

import numpy as np

from .types import BOOTH, Instance


@dataclass
class Prepared:
    instance: Instance
    n_slots: int
    n_pairs: int
    buyer_free: np.ndarray  # bool [b, s]: available and not in a fixed meeting
    exhibitor_room: np.ndarray  # int [e, s]: meetings it may still take (capacity - fixed)
    booth_free: np.ndarray  # int [e, s]: 1 when its booth can still take a new meeting
    tables_free: np.ndarray  # int [s]
    tables_taken: list  # per slot: set of table numbers fixed meetings use
    interpreter_busy: np.ndarray  # bool [i, s]: in a fixed meeting
    class_members: list  # per interpreter class: interpreter indices
    class_room: np.ndarray  # int [k, s]: members available and not busy
    pair_classes: list  # per pair: None (no interpreter needed) or list of class indices
    pair_done: np.ndarray  # bool [p]: realised by a fixed meeting
    fixed_value: int
    candidates: list  # per pair (not done): int array of slots where it could go on an empty board
    common: list  # per pair: slots where buyer and exhibitor are both available (for reasons)
    slots_of_day: list  # per day: slot indices in time order


def prepare(instance: Instance) -> Prepared:
    inst = instance
    n_slots = len(inst.slot_day)
    n_pairs = len(inst.pair_buyer)
    buyer_free = np.array(inst.buyer_available, dtype=bool, copy=True)
    exhibitor_available = np.asarray(inst.exhibitor_available, dtype=bool)
    capacity = np.asarray(inst.exhibitor_capacity, dtype=np.int64)
    exhibitor_room = np.where(exhibitor_available, capacity[:, None], 0).astype(np.int64)
    booth_free = (exhibitor_available & np.asarray(inst.exhibitor_has_booth, dtype=bool)[:, None]).astype(np.int64)
    tables_free = np.full(n_slots, int(inst.n_tables), dtype=np.int64)
    tables_taken = [set() for _ in range(n_slots)]
    n_interpreters = len(inst.interpreter_available)
    interpreter_available = np.asarray(inst.interpreter_available, dtype=bool).reshape(n_interpreters, n_slots)
    interpreter_busy = np.zeros((n_interpreters, n_slots), dtype=bool)

    pair_of = {(int(b), int(e)): p for p, (b, e) in enumerate(zip(inst.pair_buyer, inst.pair_exhibitor, strict=True))}
    pair_done = np.zeros(n_pairs, dtype=bool)
    for fixed in inst.fixed:
        s = fixed.slot
        buyer_free[fixed.buyer, s] = False
        exhibitor_room[fixed.exhibitor, s] = max(0, exhibitor_room[fixed.exhibitor, s] - 1)
        if fixed.place == BOOTH:
            booth_free[fixed.exhibitor, s] = 0
        else:
            tables_free[s] -= 1
            if fixed.table is not None:
                tables_taken[s].add(fixed.table)
        if fixed.interpreter is not None:
            interpreter_busy[fixed.interpreter, s] = True
        pair = fixed.pair if fixed.pair is not None else pair_of.get((fixed.buyer, fixed.exhibitor))
        if pair is not None:
            pair_done[pair] = True
    tables_free = np.maximum(tables_free, 0)
    booth_free = np.minimum(booth_free, exhibitor_room)

    # Interpreter classes: same availability row and same set of pairs they qualify for.
    qualified_pairs = [[] for _ in range(n_interpreters)]
    for p, qualified in enumerate(inst.pair_interpreters):
        if qualified is not None:
            for i in np.unique(np.asarray(qualified, dtype=np.int64)):
                qualified_pairs[int(i)].append(p)
    class_of_key, class_members = {}, []
    interpreter_class = np.full(n_interpreters, -1, dtype=np.int64)
    for i in range(n_interpreters):
        key = (interpreter_available[i].tobytes(), tuple(qualified_pairs[i]))
        if key not in class_of_key:
            class_of_key[key] = len(class_members)
            class_members.append([])
        interpreter_class[i] = class_of_key[key]
        class_members[class_of_key[key]].append(i)
    free_interpreters = interpreter_available & ~interpreter_busy
    class_room = np.zeros((len(class_members), n_slots), dtype=np.int64)
    for k, members in enumerate(class_members):
        class_room[k] = free_interpreters[members].sum(axis=0)
    pair_classes = []
    for qualified in inst.pair_interpreters:
        if qualified is None:
            pair_classes.append(None)
        else:
            pair_classes.append(sorted({int(interpreter_class[i]) for i in np.asarray(qualified, dtype=np.int64)}))

    # A slot is a candidate when, on a board holding only the fixed meetings, the pair fits.
    place_possible = (booth_free > 0) | ((exhibitor_room > 0) & (tables_free[None, :] > 0))
    candidates, common = [], []
    pair_buyer = np.asarray(inst.pair_buyer, dtype=np.int64)
    pair_exhibitor = np.asarray(inst.pair_exhibitor, dtype=np.int64)
    for p in range(n_pairs):
        b, e = pair_buyer[p], pair_exhibitor[p]
        both = inst.buyer_available[b] & exhibitor_available[e]
        common.append(np.flatnonzero(both))
        if pair_done[p]:
            candidates.append(np.zeros(0, dtype=np.int64))
            continue
        ok = buyer_free[b] & (exhibitor_room[e] > 0) & place_possible[e]
        if pair_classes[p] is not None:
            ok &= class_room[pair_classes[p]].sum(axis=0) > 0 if pair_classes[p] else False
        candidates.append(np.flatnonzero(ok))

    slot_day = np.asarray(inst.slot_day, dtype=np.int64)
    order = np.lexsort((np.asarray(inst.slot_index_in_day), slot_day))
    n_days = int(slot_day.max()) + 1 if n_slots else 0
    slots_of_day = [[int(s) for s in order if slot_day[s] == d] for d in range(n_days)]
    fixed_value = int(np.asarray(inst.pair_weight)[pair_done].sum())
    return Prepared(
        instance=inst,
        n_slots=n_slots,
        n_pairs=n_pairs,
        buyer_free=buyer_free,
        exhibitor_room=exhibitor_room,
        booth_free=booth_free,
        tables_free=tables_free,
        tables_taken=tables_taken,
        interpreter_busy=interpreter_busy,
        class_members=class_members,
        class_room=class_room,
        pair_classes=pair_classes,
        pair_done=pair_done,
        fixed_value=fixed_value,
        candidates=candidates,
        common=common,
        slots_of_day=slots_of_day,
    )
