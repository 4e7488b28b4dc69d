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

import math
from dataclasses import replace

import numpy as np

from .scoring import POSITIVE_OUTCOMES, Companies, prepare, score_chunk

TRACK_CANDIDATES = (0.5, 1.0, 2.0, 4.0)
CF_CANDIDATES = (0.6, 1.2)
TEXT_CANDIDATES = (0.3, 0.6, 1.2)
MARGIN = 0.02
GAIN = {"follow_up": 1.0, "quotation": 2.0, "deal": 3.0}
MIN_BUYERS = 30
MAX_BUYERS = 400
# How many of the latest past exhibitions are replayed (each learning from those before it).
FOLDS = 2


def _ndcg(score, rows_labels, e_pos, k=10):
    total = 0.0
    top = np.argsort(-score, axis=1)[:, :k]
    for r, labels in enumerate(rows_labels):
        gains = [GAIN.get(labels.get(int(e_pos[e]), ""), 0.0) for e in top[r]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((GAIN[o] for o in labels.values()), reverse=True)[:k]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        total += dcg / idcg if idcg else 0.0
    return total / max(len(rows_labels), 1)


def _replay(history, moment, weights):
    """The replay of one past exhibition (`moment`): a model learnt from the history before
    it, its exhibitors and labelled buyers, or None with too few buyers to tell."""
    is_test = history.when == moment
    past = history.subset(history.when < moment)
    if len(past.kind) == 0:
        return None
    labels = {}
    for b, e, kind in zip(
        history.buyer[is_test].tolist(),
        history.exhibitor[is_test].tolist(),
        np.array(history.kind, dtype=object)[is_test].tolist(),
        strict=True,
    ):
        if kind in POSITIVE_OUTCOMES:
            labels.setdefault(b, {})[e] = kind
    if len(labels) < MIN_BUYERS:
        return None
    e_ids = np.unique(history.exhibitor[is_test])
    b_ids = np.array(sorted(labels), dtype=np.int64)
    if len(b_ids) > MAX_BUYERS:
        b_ids = np.sort(np.random.default_rng(0).choice(b_ids, MAX_BUYERS, replace=False))

    def side(ids):
        return Companies(
            ids,
            [list(history.hs.get(int(i), ())) for i in ids],
            [history.text.get(int(i), "") for i in ids],
            [frozenset(history.languages.get(int(i), ())) for i in ids],
        )

    # Features and history are built once; only the weights change between candidates.
    model = prepare(
        side(e_ids),
        side(b_ids),
        past,
        replace(weights, fairness=0.0),
        calibrate=False,
        learn=False,
        learning_features=False,
    )
    return model, np.arange(len(b_ids)), [labels[int(b)] for b in b_ids], e_ids


def calibrate_weights(history, weights):
    """The weights to use, chosen on replays of the latest past exhibitions (the defaults
    when there is too little history to tell)."""
    if history.when is None or len(history.kind) == 0:
        return weights
    moments = np.unique(history.when)
    replays = [r for r in (_replay(history, m, weights) for m in moments[1:][-FOLDS:]) if r is not None]
    if not replays:
        return weights

    def value(candidate):
        """nDCG@10 over the labelled buyers of every replay."""
        total, n = 0.0, 0
        for model, rows, rows_labels, e_ids in replays:
            model.weights = replace(candidate, fairness=0.0)
            total += _ndcg(score_chunk(model, rows)[0], rows_labels, e_ids) * len(rows)
            n += len(rows)
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
