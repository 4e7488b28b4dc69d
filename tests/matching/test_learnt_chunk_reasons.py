"""The learnt combination's reasons of a whole chunk at once (reasons.learnt_reasons_chunk:
group contributions of the kept pairs only, one argsort, sparse products for the HS and
liked-code reasons) word every pair as reasons_for does pair by pair."""

import numpy as np
import pytest

from matching import synthetic
from matching.engine import learning, reasons, scoring, shortlist

KINDS = {
    "past_meeting",
    "hs_subheading",
    "hs_heading_covers",
    "hs_heading",
    "history_codes",
    "product_history",
    "text_concepts",
    "track_record",
    "language",
    "newcomer",
    "interpreter",
}


def pair_by_pair(model, rows, parts, b, e):
    """reasons_for for each pair (rows[r], e) of a chunk, as top_k called it before."""
    model.__dict__.pop("_pair_features", None)
    position = {int(row): r for r, row in enumerate(rows.tolist())}
    out = []
    for bi, ei in zip(b.tolist(), e.tolist(), strict=True):
        r = position[bi]
        signals = {name: float(value[r, ei]) for name, value in parts.items()}
        out.append(reasons.reasons_for(model, bi, ei, signals, r, parts))
    return out


def at_once(model, rows, parts, b, e):
    r = np.searchsorted(rows, b)
    signals = {name: parts[name][r, e] for name in reasons.LEARNT_SIGNALS if name in parts}
    return reasons.learnt_reasons_chunk(model, b, e, signals)


def small_world(seed):
    world = synthetic.generate(variant="a", n_exhibitors=60, n_buyers=150, n_exhibitions=4, seed=seed)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    return scoring.prepare(exhibitors, buyers, history, learn=False, calibrate=False)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_learnt_reasons_at_once_equal_reasons_for_pair_by_pair(seed):
    """Random logistic rankers (weights of both signs, some zero; means and scales in float64
    or, as a fit on float32 features gives them, float32) on small worlds with history:
    every pair of two chunks, kept or not, is worded the same at once and pair by pair."""
    model = small_world(seed)
    rng = np.random.default_rng(seed)
    n = len(learning.FEATURES)
    dtype = np.float32 if seed == 2 else np.float64
    coef = rng.normal(size=n) * (rng.random(n) > 0.15)
    # Every reason group raises some pairs.
    groups = ("hs6", "text", "own", "cf", "assoc", "popularity", "pair_good", "language", "new_exhibitor")
    coef[[learning.FEATURES.index(f) for f in groups]] = 1.0
    hs = [j for j, f in enumerate(learning.FEATURES) if learning.REASON_GROUP.get(f) == "hs"]
    coef[hs] = np.abs(coef[hs])
    model.ranker = learning.Ranker(
        "logistic",
        (rng.normal(size=n) * 0.1).astype(dtype),
        (0.5 + rng.random(n)).astype(dtype),
        coef=coef,
        intercept=float(rng.normal()),
    )
    seen = set()
    for start, end in ((0, 70), (70, model.n_buyers)):
        rows = np.arange(start, end)
        _score, parts = scoring.score_chunk(model, rows)
        b = np.repeat(rows, model.n_exhibitors)
        e = np.tile(np.arange(model.n_exhibitors), len(rows))
        got = at_once(model, rows, parts, b, e)
        assert got == pair_by_pair(model, rows, parts, b, e)
        seen |= {r["code"] for pair in got for r in pair}
    assert seen >= KINDS


def test_top_k_words_a_fitted_ranker_s_picks_as_reasons_for():
    """A world where the fit chooses the learnt combination (variant d): top_k's reasons are
    reasons_for's, pick by pick."""
    world = synthetic.generate(variant="d", n_exhibitors=80, n_buyers=300, n_exhibitions=4, seed=0)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    model = scoring.prepare(exhibitors, buyers, history)
    assert model.ranker is not None and model.ranker.coef is not None, model.summary
    seen = set()
    for start, end in shortlist.chunks(model.n_buyers, 100):
        rows = np.arange(start, end)
        picks = shortlist.top_k(model, rows, 20)
        _score, parts = scoring.score_chunk(model, rows)
        b = np.array([bi for bi, items in picks for _e, _s, _r in items])
        e = np.array([ei for _b, items in picks for ei, _s, _r in items])
        got = [r for _b, items in picks for _e, _s, r in items]
        assert got == pair_by_pair(model, rows, parts, b, e)
        seen |= {r["code"] for pair in got for r in pair}
    assert {"product_history", "newcomer", "past_meeting"} <= seen


def test_product_history_reasons_at_once_keep_the_first_of_tied_lifts():
    """_ChunkSides.assoc_reasons equals _assoc_reason pair by pair where lifts tie (the
    first buyer code, then the first exhibitor code wins), codes outside the space and
    repeated codes included."""
    model = small_world(0)
    rng = np.random.default_rng(0)
    n_codes = len(model.hs_space.index)
    model.assoc_lift = rng.integers(-1, 3, size=(n_codes, n_codes)).astype(float)
    model.buyers.hs[0] = [*model.buyers.hs[0], "999999", *model.buyers.hs[0]]
    model.exhibitors.hs[0] = [*model.exhibitors.hs[0], "999999", *model.exhibitors.hs[0]]
    model.__dict__.pop("_reason_sides", None)
    sides = reasons._sides(model)
    chunk = reasons._ChunkSides(model, sides)
    b = np.repeat(np.arange(model.n_buyers), model.n_exhibitors)
    e = np.tile(np.arange(model.n_exhibitors), model.n_buyers)
    got = chunk.assoc_reasons(b, e)
    assert got == [reasons._assoc_reason(model, bi, ei) for bi, ei in zip(b.tolist(), e.tolist(), strict=True)]
    assert sum(r is not None for r in got) > len(got) // 4
