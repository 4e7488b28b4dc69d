"""What goes into the engine and what comes out: plain dataclasses over numpy arrays."""

from dataclasses import dataclass, field

import numpy as np

# Reasons a wished pair stays unplaced, most specific first (see `finish.unplaced_reasons`).
NO_COMMON_SLOT = "no_common_slot"
NO_INTERPRETER = "no_interpreter"
EXHIBITOR_FULL = "exhibitor_full"
BUYER_FULL = "buyer_full"
NO_PLACE = "no_place"

BOOTH = "booth"
TABLE = "table"


@dataclass
class Fixed:
    """A meeting that stays exactly where it is (accepted, or locked by staff)."""

    buyer: int
    exhibitor: int
    slot: int
    place: str  # BOOTH or TABLE
    table: int | None = None  # 1..n_tables when place == TABLE
    interpreter: int | None = None
    pair: int | None = None  # the wished pair it realises; found from (buyer, exhibitor) when None


@dataclass
class Instance:
    """One exhibition's scheduling problem, indices everywhere (the caller keeps the ids).

    Availability arrays say who can meet when, ignoring meetings: the fixed meetings occupy
    their buyer, exhibitor, place and interpreter on top of that.
    """

    slot_day: np.ndarray  # int [n_slots], day index; slots sorted by start time
    slot_index_in_day: np.ndarray  # int [n_slots], position in the day; a break leaves a jump > 1
    n_tables: int  # shared tables numbered 1..n_tables, one meeting each per slot
    buyer_available: np.ndarray  # bool [n_buyers, n_slots]
    exhibitor_available: np.ndarray  # bool [n_exhibitors, n_slots]
    exhibitor_capacity: np.ndarray  # int [n_exhibitors], parallel meetings, >= 1
    exhibitor_has_booth: np.ndarray  # bool [n_exhibitors]
    interpreter_available: np.ndarray  # bool [n_interpreters, n_slots]
    pair_buyer: np.ndarray  # int [n_pairs]
    pair_exhibitor: np.ndarray  # int [n_pairs]
    pair_weight: np.ndarray  # int [n_pairs], > 0
    pair_interpreters: list  # per pair: None (shared language) or int array of qualified interpreters
    fixed: list = field(default_factory=list)  # list[Fixed]
    priority_exhibitor_fairness: bool = True


@dataclass
class Placement:
    """A new meeting: the pair, its slot, where, and its interpreter (None when not needed)."""

    pair: int
    slot: int
    place: str
    table: int | None
    interpreter: int | None


@dataclass
class Solution:
    placements: list  # list[Placement], the new meetings only
    value: int  # wish weight of placed pairs, fixed ones included
    upper_bound: float  # proven bound on the best value, fixed ones included
    greedy_value: int  # value of the constructive start alone
    unplaced: dict  # pair -> reason code
    stats: dict = field(default_factory=dict)
