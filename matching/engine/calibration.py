"""Let the data say how much history counts.

How strongly an exhibitor's track record or similar buyers' outcomes predict a good meeting
differs from one trade show to another (in some, a few excellent suppliers win most deals;
in others, fit is everything). So before a run, the matcher replays its two latest past
exhibitions: for each, it learns from the exhibitions before that one and ranks that
exhibition's exhibitors for its buyers with a few candidate weightings (track record,
similar buyers, then text when the history carries texts), and keeps the weighting whose
rankings found the good outcomes best (nDCG@10 pooled over the replays), if it beats the
defaults by a margin. With too little history it keeps the defaults. Nothing here is
tuned to a particular generator; the candidates span "history barely matters" to
"history dominates". The track record's prior is not a candidate: scoring.py estimates it
from the history."""

from dataclasses import replace

import numpy as np

from .scoring import combine

TRACK_CANDIDATES = (0.5, 1.0, 2.0, 4.0)
CF_CANDIDATES = (0.6, 1.2)
TEXT_CANDIDATES = (0.3, 0.6, 1.2)
MARGIN = 0.02
GAIN = {"follow_up": 1.0, "quotation": 2.0, "deal": 3.0}
# How many of the latest past exhibitions are replayed (each learning from those before it).
FOLDS = 2


def _ndcg(score, rows_labels, e_pos, k=10):
    """Mean nDCG@k over the rows; `rows_labels[r]` maps exhibitor ids to good outcome kinds."""
    k = min(k, score.shape[1])
    top = np.argsort(-score, axis=1)[:, :k]
    column = {int(e): i for i, e in enumerate(np.asarray(e_pos).tolist())}
    gains = np.zeros(score.shape, dtype=np.float64)
    for r, labels in enumerate(rows_labels):
        for e, outcome in labels.items():
            gains[r, column[int(e)]] = GAIN.get(outcome, 0.0)
    discount = 1.0 / np.log2(np.arange(k) + 2)
    dcg = (np.take_along_axis(gains, top, axis=1) * discount).sum(axis=1)
    ideal = (-np.sort(-gains, axis=1)[:, :k] * discount).sum(axis=1)
    per_row = np.where(ideal > 0, dcg / np.maximum(ideal, 1e-12), 0.0)
    return float(per_row.sum()) / max(len(rows_labels), 1)


def _replay(history, moment, weights):
    """The replay of one past exhibition (`moment`), or None with too few buyers to tell."""
    from .replays import Replays

    return Replays(history, weights).get(moment)


def calibrate_weights(history, weights, replays=None):
    """The weights to use, chosen on replays of the latest past exhibitions (the defaults
    when there is too little history to tell). `replays`: the run's replays.Replays, shared
    with learning.py (built here if None)."""
    from .replays import Replays

    if history.when is None or len(history.kind) == 0:
        return weights
    replays = [(r, r.labels()) for r in (replays or Replays(history, weights)).latest(FOLDS)]
    if not replays:
        return weights

    def value(candidate):
        """nDCG@10 over the labelled buyers of every replay. The signals of each replay are
        computed once (they do not depend on the weights); only the combination changes."""
        total, n = 0.0, 0
        for replay, rows_labels in replays:
            model = replay.model
            model.weights = replace(candidate, fairness=0.0)
            total += _ndcg(combine(model, replay.rows, replay.parts), rows_labels, replay.e_ids) * len(rows_labels)
            n += len(rows_labels)
        return total / n

    # The defaults first; another weighting must beat the best so far by a margin, so that
    # noise in a small replay does not move the weights.
    best, best_score = weights, value(weights)
    for track in TRACK_CANDIDATES:
        for cf in CF_CANDIDATES:
            candidate = replace(weights, track=track, cf=cf)
            score = value(candidate)
            if score > best_score * (1 + MARGIN) + 1e-9:
                best, best_score = candidate, score
    # Then how much the texts say, when the history has them (one coordinate at a time).
    if history.text:
        for text in TEXT_CANDIDATES:
            candidate = replace(best, text=text)
            score = value(candidate)
            if score > best_score * (1 + MARGIN) + 1e-9:
                best, best_score = candidate, score
    return best
