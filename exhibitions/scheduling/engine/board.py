"""The board: who is busy when, as the constructive stages place and move meetings.

Meetings here are anonymous per exhibitor and slot: an exhibitor's new meetings in a slot take
its booth first (when free) and tables after, so tables used in a slot are
sum over exhibitors of max(0, new meetings - booth free). `finish` names the actual places.
"""

from .prepare import Prepared
from .types import BUYER_FULL, EXHIBITOR_FULL, NO_INTERPRETER, NO_PLACE


class Board:
    def __init__(self, prep: Prepared):
        inst = prep.instance
        self.prep = prep
        self.pair_buyer = [int(b) for b in inst.pair_buyer]
        self.pair_exhibitor = [int(e) for e in inst.pair_exhibitor]
        self.pair_weight = [int(w) for w in inst.pair_weight]
        self.pair_classes = prep.pair_classes
        self.buyer_free = prep.buyer_free.tolist()  # becomes False as meetings are placed
        # Plain lists of what never changes, for the hot loops of the finishing passes.
        self.buyer_available = [[bool(v) for v in row] for row in inst.buyer_available]
        self.exhibitor_available = [[bool(v) for v in row] for row in inst.exhibitor_available]
        self.room_after_fixed = prep.exhibitor_room.tolist()
        self.capacity = [int(c) for c in inst.exhibitor_capacity]
        self.exhibitor_room = prep.exhibitor_room.tolist()
        self.booth_free = prep.booth_free.tolist()
        self.exhibitor_new = [[0] * prep.n_slots for _ in range(len(self.exhibitor_room))]
        self.tables_free = prep.tables_free.tolist()
        self.class_room = prep.class_room.tolist()
        self.slot_of = [-1] * prep.n_pairs
        self.class_of = [-1] * prep.n_pairs
        self.value = prep.fixed_value
        self.buyer_pair_at = {}  # (buyer, slot) -> new pair there
        self.exhibitor_pairs_at = {}  # (exhibitor, slot) -> set of new pairs there
        self.pairs_at = [set() for _ in range(prep.n_slots)]  # slot -> new pairs there

    def _needs_table(self, e: int, s: int) -> bool:
        return self.exhibitor_new[e][s] >= self.booth_free[e][s]

    def blocker(self, p: int, s: int):
        """Why pair p cannot go in slot s now (a reason code), or None when it can."""
        b, e = self.pair_buyer[p], self.pair_exhibitor[p]
        if self.exhibitor_room[e][s] <= 0:
            return EXHIBITOR_FULL
        if not self.buyer_free[b][s]:
            return BUYER_FULL
        classes = self.pair_classes[p]
        if classes is not None and not any(self.class_room[k][s] > 0 for k in classes):
            return NO_INTERPRETER
        if self._needs_table(e, s) and self.tables_free[s] <= 0:
            return NO_PLACE
        return None

    def best_class(self, p: int, s: int) -> int:
        classes = self.pair_classes[p]
        if classes is None:
            return -1
        return max(classes, key=lambda k: (self.class_room[k][s], -k))

    def place(self, p: int, s: int, klass: int | None = None) -> None:
        b, e = self.pair_buyer[p], self.pair_exhibitor[p]
        if self._needs_table(e, s):
            self.tables_free[s] -= 1
        self.exhibitor_new[e][s] += 1
        self.exhibitor_room[e][s] -= 1
        self.buyer_free[b][s] = False
        if self.pair_classes[p] is not None:
            klass = self.best_class(p, s) if klass is None or klass < 0 else klass
            self.class_room[klass][s] -= 1
            self.class_of[p] = klass
        self.slot_of[p] = s
        self.value += self.pair_weight[p]
        self.buyer_pair_at[b, s] = p
        self.exhibitor_pairs_at.setdefault((e, s), set()).add(p)
        self.pairs_at[s].add(p)

    def remove(self, p: int) -> None:
        s = self.slot_of[p]
        b, e = self.pair_buyer[p], self.pair_exhibitor[p]
        self.exhibitor_new[e][s] -= 1
        if self._needs_table(e, s):
            self.tables_free[s] += 1
        self.exhibitor_room[e][s] += 1
        self.buyer_free[b][s] = True
        if self.class_of[p] >= 0:
            self.class_room[self.class_of[p]][s] += 1
            self.class_of[p] = -1
        self.slot_of[p] = -1
        self.value -= self.pair_weight[p]
        del self.buyer_pair_at[b, s]
        self.exhibitor_pairs_at[e, s].discard(p)
        self.pairs_at[s].discard(p)
