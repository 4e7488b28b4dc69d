"""Past exhibitions replayed, once per run, for learning.py and calibration.py.

A replay of past exhibition M is a model prepared from the history before M, ranking M's
exhibitors for M's labelled buyers (those with a good outcome there). Learning fits and
validates on the replays; calibration, when the hand-set weights are kept, tries its
weightings on the same replays: both read one `Replays` of the run, so each past show is
prepared and its signals computed once (issue 11 prepared each twice).

Large shows: a replay describes every labelled buyer x every exhibitor, so its cost grows
with the product. Past MAX_BUYERS, or past REPLAY_PAIRS pairs, a fixed-seed sample of
the labelled buyers is kept (never fewer than MIN_SAMPLE), so a run on 2,000 exhibitors
replays about as many pairs as one on 750; small shows keep up to MAX_BUYERS buyers as before.
"""

from dataclasses import dataclass, replace

import numpy as np

from .records import POSITIVE_OUTCOMES
from .scoring import Companies, components, prepare

MIN_BUYERS = 30
MAX_BUYERS = 400
# Pairs (buyers x exhibitors) one replay describes at most, and the fewest buyers kept.
REPLAY_PAIRS = 300_000
MIN_SAMPLE = 150


def buyers_to_keep(n_exhibitors):
    """How many labelled buyers one replay keeps for a show of `n_exhibitors`."""
    return int(min(MAX_BUYERS, max(MIN_SAMPLE, REPLAY_PAIRS // max(n_exhibitors, 1))))


@dataclass
class Replay:
    model: object  # prepared from the history before the show, learning features on
    b_ids: np.ndarray  # its labelled buyers (sampled), sorted
    e_ids: np.ndarray  # its exhibitors (every company that met someone there), sorted
    buyer: np.ndarray  # the show's interactions: buyer, exhibitor, outcome kind
    exhibitor: np.ndarray
    kinds: list
    from_scratch: bool = False  # replayed from an empty history (the first past show)
    _parts: dict = None

    @property
    def rows(self):
        return np.arange(len(self.b_ids))

    @property
    def parts(self):
        """Every signal (with the learnt combination's extras) of every pair, computed once;
        they do not depend on the weights that calibration varies."""
        if self._parts is None:
            self._parts = components(self.model, self.rows, learning=True)
        return self._parts

    def labels(self):
        """[{exhibitor id: good outcome kind}] per buyer row."""
        out = {int(b): {} for b in self.b_ids.tolist()}
        for b, e, kind in zip(self.buyer.tolist(), self.exhibitor.tolist(), self.kinds, strict=True):
            if kind in POSITIVE_OUTCOMES and int(b) in out:
                out[int(b)][int(e)] = kind
        return [out[int(b)] for b in self.b_ids.tolist()]


class Replays:
    """The replays of one history, each built on first use."""

    def __init__(self, history, weights):
        self.history = history
        self.weights = weights
        self._cache = {}
        self.moments = np.unique(history.when) if history.when is not None and len(history.kind) else []

    def get(self, moment):
        key = float(moment)
        if key not in self._cache:
            self._cache[key] = _build(self.history, moment, self.weights)
        return self._cache[key]

    def latest(self, n, from_scratch=False):
        """The replays of the latest `n` past shows that have enough labelled buyers. The
        first show has no history before it: it is replayed only `from_scratch` (learning
        reads it, every buyer cold and every exhibitor new there; calibration, which weighs
        history signals, does not)."""
        moments = self.moments if from_scratch else self.moments[1:]
        return [r for r in (self.get(m) for m in moments[-n:]) if r is not None]


def _build(history, moment, weights):
    is_test = history.when == moment
    past = history.subset(history.when < moment)
    kinds = np.array(history.kind, dtype=object)[is_test].tolist()
    tb, te = history.buyer[is_test], history.exhibitor[is_test]
    labelled = sorted({int(b) for b, kind in zip(tb.tolist(), kinds, strict=True) if kind in POSITIVE_OUTCOMES})
    if len(labelled) < MIN_BUYERS:
        return None
    e_ids = np.unique(te)
    b_ids = np.array(labelled, dtype=np.int64)
    keep = buyers_to_keep(len(e_ids))
    if len(b_ids) > keep:
        b_ids = np.sort(np.random.default_rng(0).choice(b_ids, keep, replace=False))

    def side(ids):
        return Companies(
            ids,
            [list(history.hs.get(int(i), ())) for i in ids],
            [history.text.get(int(i), "") for i in ids],
            [frozenset(history.languages.get(int(i), ())) for i in ids],
        )

    model = prepare(side(e_ids), side(b_ids), past, replace(weights, fairness=0.0), calibrate=False, learn=False)
    return Replay(model, b_ids, e_ids, tb, te, kinds, from_scratch=len(past.kind) == 0)
