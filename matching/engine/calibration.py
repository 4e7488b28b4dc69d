"""Let the data say how much history counts.

How strongly an exhibitor's track record or similar buyers' outcomes predict a good meeting
differs from one trade show to another (in some, a few excellent suppliers win most deals;
in others, fit is everything). So before a run, the matcher replays its own latest past
exhibition: it learns from the exhibitions before that one, ranks that exhibition's
exhibitors for its buyers with a few candidate weightings (track record, similar buyers,
the track record's prior, then text when the history carries texts), and keeps the
weighting whose rankings found the good outcomes best (nDCG@10). With too little history it keeps the
defaults. Nothing here is tuned to a particular generator; the candidates span "history
barely matters" to "history dominates"."""

import math
from dataclasses import replace

import numpy as np

from .scoring import POSITIVE_OUTCOMES, Companies, prepare, score_chunk

TRACK_CANDIDATES = (0.3, 0.6, 1.2, 2.4)
CF_CANDIDATES = (0.6, 1.2)
PRIOR_CANDIDATES = (5.0, 20.0)
TEXT_CANDIDATES = (0.3, 0.6, 1.2)
MARGIN = 0.02
GAIN = {"follow_up": 1.0, "quotation": 2.0, "deal": 3.0}
MIN_BUYERS = 30
MAX_BUYERS = 400


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


def calibrate_weights(history, weights):
    if history.when is None or len(history.kind) == 0:
        return weights
    moments = np.unique(history.when)
    if len(moments) < 2:
        return weights
    last = moments[-1]
    is_last = history.when == last
    past = history.subset(~is_last)
    labels = {}
    for b, e, kind in zip(
        history.buyer[is_last].tolist(),
        history.exhibitor[is_last].tolist(),
        np.array(history.kind, dtype=object)[is_last].tolist(),
        strict=True,
    ):
        if kind in POSITIVE_OUTCOMES:
            labels.setdefault(b, {})[e] = kind
    if len(labels) < MIN_BUYERS:
        return weights
    e_ids = np.unique(history.exhibitor[is_last])
    b_ids = np.array(sorted(labels), dtype=np.int64)
    if len(b_ids) > MAX_BUYERS:
        b_ids = np.sort(np.random.default_rng(0).choice(b_ids, MAX_BUYERS, replace=False))

    def side(ids):
        return Companies(
            ids,
            [list(history.hs.get(int(i), ())) for i in ids],
            [history.text.get(int(i), "") for i in ids],
            [frozenset()] * len(ids),
        )

    exhibitors, buyers = side(e_ids), side(b_ids)
    rows_labels = [labels[int(b)] for b in b_ids]
    rows = np.arange(len(b_ids))
    # Features and history are built once; only the weights change between candidates.
    model = prepare(exhibitors, buyers, past, replace(weights, fairness=0.0), calibrate=False)
    # The defaults first; another weighting must beat the best so far by a margin, so that
    # noise in a small replay does not move the weights.
    model.weights = replace(weights, fairness=0.0)
    best, best_score = weights, _ndcg(score_chunk(model, rows)[0], rows_labels, e_ids)
    for prior in PRIOR_CANDIDATES:
        for track in TRACK_CANDIDATES:
            for cf in CF_CANDIDATES:
                chosen = {"track": track, "cf": cf, "prior_meetings": prior}
                model.weights = replace(weights, fairness=0.0, **chosen)
                score, _ = score_chunk(model, rows)
                value = _ndcg(score, rows_labels, e_ids)
                if value > best_score * (1 + MARGIN) + 1e-9:
                    best, best_score = replace(weights, **chosen), value
    # Then how much the texts say, when the history has them (one coordinate at a time).
    if history.text:
        for text in TEXT_CANDIDATES:
            model.weights = replace(best, text=text, fairness=0.0)
            score, _ = score_chunk(model, rows)
            value = _ndcg(score, rows_labels, e_ids)
            if value > best_score * (1 + MARGIN) + 1e-9:
                best, best_score = replace(best, text=text), value
    return best
