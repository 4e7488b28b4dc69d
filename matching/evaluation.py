"""Offline evaluation on a temporal split: learn from past exhibitions, rank the exhibitors of
the latest one for each of its buyers, and check which pairs ended well (follow-up,
quotation, deal). Pure functions on the engine's arrays; the command loads them from the
database or from matching.synthetic."""

import math
from dataclasses import dataclass, replace

import numpy as np

from matching.engine import scoring, shortlist
from matching.engine.scoring import Companies, History, Weights

GAIN = {"follow_up": 1.0, "quotation": 2.0, "deal": 3.0}


@dataclass
class Result:
    name: str
    ndcg: float
    precision: float
    coverage: float
    ndcg_cold: float
    precision_cold: float
    buyers: int
    cold_buyers: int
    # Exhibitors new to the show (no past interaction): each buyer with a good outcome with
    # one of them, ranking only the newcomers (none: no such exhibitor or buyer).
    ndcg_new_exhibitors: float | None = None
    new_exhibitor_buyers: int = 0


_PREPARED = {}


def _prepared(exhibitors, buyers, history, learn):
    """One prepared model per (inputs, learn), shared by the rankers with and without the
    fairness re-rank (which only multiplies the scores by model.fair_factor)."""
    inputs, model = _PREPARED.get(learn, ((None, None, None), None))
    if model is None or any(a is not b for a, b in zip(inputs, (exhibitors, buyers, history), strict=True)):
        model = scoring.prepare(exhibitors, buyers, history, learn=learn)
        _PREPARED.clear()
        _PREPARED[learn] = ((exhibitors, buyers, history), model)
    return model


def _ranker_matcher(fairness=True, learn=True):
    def rank(exhibitors, buyers, history, rows, k):
        model = _prepared(exhibitors, buyers, history, learn)
        if not fairness:
            model = replace(model, fair_factor=np.ones(len(exhibitors)))
        out = []
        for start, end in shortlist.chunks(len(rows)):
            chunk = rows[start:end]
            score, _ = scoring.score_chunk(model, chunk, signals=False)
            out.append(scoring._top_indices(score, k))
        return np.vstack(out) if out else np.zeros((0, k), dtype=np.int64)

    return rank


def _ranker_hs(exhibitors, buyers, history, rows, k):
    """Baseline: HS overlap with the hierarchy, nothing else."""
    model = scoring.prepare(
        exhibitors, buyers, History.empty(), Weights(fairness=0), learn=False, learning_features=False
    )
    hs = (model.B_hs[rows] @ model.E_hs.T).toarray()
    # Ties (no overlap at all) broken at random, not by position.
    hs = hs + np.random.default_rng(1).random(hs.shape) * 1e-9
    return scoring._top_indices(hs, k)


def _ranker_hs_exact(exhibitors, buyers, history, rows, k):
    """Baseline: how many stated codes the two sides share exactly, nothing else."""
    e_sets = [set(codes) for codes in exhibitors.hs]
    score = np.array(
        [[len(set(buyers.hs[r]) & e) for e in e_sets] for r in np.asarray(rows).tolist()], dtype=float
    ).reshape(len(rows), len(exhibitors))
    score = score + np.random.default_rng(1).random(score.shape) * 1e-9
    return scoring._top_indices(score, k)


def _ranker_popularity(exhibitors, buyers, history, rows, k):
    """Baseline: exhibitors with the most good past outcomes first, for everyone."""
    index = {int(c): i for i, c in enumerate(exhibitors.ids.tolist())}
    counts = np.zeros(len(exhibitors))
    for e, kind in zip(history.exhibitor.tolist(), history.kind, strict=True):
        if kind in GAIN and e in index:
            counts[index[e]] += 1
    counts = counts + np.random.default_rng(2).random(len(counts)) * 1e-3
    order = np.argsort(-counts)[:k]
    return np.tile(order, (len(rows), 1))


def _ranker_track_rate(exhibitors, buyers, history, rows, k):
    """Reference, not a baseline: the matcher's track-record signal alone (good-outcome rate
    per meeting, smoothed by empirical Bayes; "popularity done right"), the same for everyone."""
    model = scoring.prepare(
        exhibitors, buyers, history, Weights(fairness=0), calibrate=False, learn=False, learning_features=False
    )
    rate = model.track_rate + np.random.default_rng(2).random(len(exhibitors)) * 1e-9
    return np.tile(np.argsort(-rate)[:k], (len(rows), 1))


def _ranker_random(exhibitors, buyers, history, rows, k):
    rng = np.random.default_rng(3)
    k = min(k, len(exhibitors))
    return np.array([rng.choice(len(exhibitors), size=k, replace=False) for _ in rows]).reshape(len(rows), k)


# The baselines the matcher is compared with (track_rate is a reference, see its docstring).
BASELINES = ("random", "popularity", "hs_exact", "hs_overlap")


def rankers():
    return {
        "random": _ranker_random,
        "popularity": _ranker_popularity,
        "hs_exact": _ranker_hs_exact,
        "hs_overlap": _ranker_hs,
        "track_rate": _ranker_track_rate,
        "matcher": _ranker_matcher(),
        "matcher_no_fairness": _ranker_matcher(fairness=False),
        # The hand-set combination of before the learnt one (`evaluate_matcher --legacy`).
        "matcher_legacy": _ranker_matcher(learn=False),
        "matcher_legacy_no_fairness": _ranker_matcher(fairness=False, learn=False),
    }


def _metrics(top, rows, buyers, exhibitors, labels, k):
    ids = buyers.ids
    e_ids = exhibitors.ids
    ndcgs, precs = [], []
    for r, b in enumerate(rows.tolist()):
        rel = labels.get(int(ids[b]), {})
        gains = [GAIN.get(rel.get(int(e_ids[e]), ""), 0.0) for e in top[r][:k]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((GAIN[o] for o in rel.values()), reverse=True)[:k]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcgs.append(dcg / idcg if idcg else 0.0)
        precs.append(sum(1 for g in gains if g > 0) / k)
    return ndcgs, precs


def expected_ndcg(draw, tops, repeats, k=10):
    """{name: mean nDCG@k} of each ranking in `tops` ({name: buyers x k exhibitor indexes})
    over `repeats` draws of the test show, `draw()` giving one draw's gains (buyers x
    exhibitors, in the rankings' order; 0 where no good outcome). Each draw is scored as the
    evaluation scores the show that happened: only the buyers with a good outcome in it."""
    discount = 1.0 / np.log2(np.arange(k) + 2)
    totals = dict.fromkeys(tops, 0.0)
    for _ in range(repeats):
        gains = draw()
        ideal = (-np.sort(-gains, axis=1)[:, :k] * discount).sum(axis=1)
        labelled = ideal > 0
        for name, top in tops.items():
            dcg = (np.take_along_axis(gains, top, axis=1) * discount).sum(axis=1)
            totals[name] += float((dcg[labelled] / ideal[labelled]).mean()) / repeats
    return totals


def new_exhibitors_only(exhibitors: Companies, history: History, labels):
    """(the exhibitors with no past interaction, the labels restricted to them), or None."""
    seen = set(history.exhibitor.tolist())
    keep = [i for i, e in enumerate(exhibitors.ids.tolist()) if int(e) not in seen]
    if not keep:
        return None
    newcomers = Companies(
        exhibitors.ids[keep],
        [exhibitors.hs[i] for i in keep],
        [exhibitors.text[i] for i in keep],
        [exhibitors.languages[i] for i in keep],
    )
    ids = set(newcomers.ids.tolist())
    new_labels = {b: {e: o for e, o in rel.items() if int(e) in ids} for b, rel in labels.items()}
    return newcomers, {b: rel for b, rel in new_labels.items() if rel}


def evaluate(exhibitors: Companies, buyers: Companies, history: History, labels, *, k=10, names=None):
    """Scores every ranker on the buyers that have at least one good outcome to find; and
    apart, among the exhibitors new to the show only (cold-start exhibitors), on the buyers
    with a good outcome with one of them."""
    rows = np.array([i for i, b in enumerate(buyers.ids.tolist()) if labels.get(int(b))], dtype=np.int64)
    seen = set(history.buyer.tolist())
    cold = np.array([int(buyers.ids[r]) not in seen for r in rows], dtype=bool)
    all_rows = np.arange(len(buyers))
    newcomers = new_exhibitors_only(exhibitors, history, labels)
    results = []
    for name, rank in rankers().items():
        if names and name not in names:
            continue
        ndcg_new, new_buyers = None, 0
        if newcomers and newcomers[1]:
            new_side, new_labels = newcomers
            new_rows = np.array([i for i, b in enumerate(buyers.ids.tolist()) if new_labels.get(int(b))])
            top_new = rank(new_side, buyers, history, new_rows, k)
            values, _p = _metrics(top_new, new_rows, buyers, new_side, new_labels, k)
            ndcg_new, new_buyers = float(np.mean(values)), len(new_rows)
        top_all = rank(exhibitors, buyers, history, all_rows, k)
        top = top_all[rows] if len(rows) else np.zeros((0, k), dtype=np.int64)
        ndcgs, precs = _metrics(top, rows, buyers, exhibitors, labels, k)
        coverage = len(np.unique(top_all)) / max(len(exhibitors), 1)
        cold_n = [v for v, c in zip(ndcgs, cold, strict=True) if c]
        cold_p = [v for v, c in zip(precs, cold, strict=True) if c]
        results.append(
            Result(
                name=name,
                ndcg=float(np.mean(ndcgs)) if ndcgs else 0.0,
                precision=float(np.mean(precs)) if precs else 0.0,
                coverage=coverage,
                ndcg_cold=float(np.mean(cold_n)) if cold_n else 0.0,
                precision_cold=float(np.mean(cold_p)) if cold_p else 0.0,
                buyers=len(rows),
                cold_buyers=int(cold.sum()),
                ndcg_new_exhibitors=ndcg_new,
                new_exhibitor_buyers=new_buyers,
            )
        )
    return results


def table(results, title=""):
    lines = []
    if title:
        lines.append(title)
    lines.append("| ranker | nDCG@10 | P@10 | coverage | nDCG@10 cold | P@10 cold | nDCG@10 new exhibitors |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in results:
        new = "-" if r.ndcg_new_exhibitors is None else f"{r.ndcg_new_exhibitors:.3f}"
        lines.append(
            f"| {r.name} | {r.ndcg:.3f} | {r.precision:.3f} | {r.coverage:.2f} | {r.ndcg_cold:.3f} |"
            f" {r.precision_cold:.3f} | {new} |"
        )
    if results:
        lines.append(
            f"({results[0].buyers} buyers with a good outcome to find, {results[0].cold_buyers} with no history;"
            f" {results[0].new_exhibitor_buyers} with a good outcome with an exhibitor new to the show,"
            " ranked among the new exhibitors only)"
        )
    return "\n".join(lines)


__all__ = ["Result", "evaluate", "table", "replace"]
