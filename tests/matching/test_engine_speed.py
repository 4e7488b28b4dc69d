"""Issue 11/12, the speed work on the matcher: each faster form gives what the slower one
did (product-level cf, vectorised pairwise rows, the language table), past shows are
replayed once per run, and per-run arrays are computed once."""

import numpy as np
import pytest

from matching.engine import learning, learnt_logit, replays, scoring, shortlist
from matching.engine.scoring import Companies, History, Weights, prepare
from matching.engine.shortlist import top_k


def side(ids, hs, languages=None):
    n = len(ids)
    return Companies(
        np.asarray(ids, dtype=np.int64),
        [list(h) for h in hs],
        [""] * n,
        [frozenset(lang) for lang in (languages or [()] * n)],
    )


def small_world(seed=0, n_past=40, with_when=False):
    """Five exhibitors, past buyers with codes and graded meetings; current buyers include
    some past ones (whose own history must not count as a neighbour's)."""
    rng = np.random.default_rng(seed)
    codes = ["848071", "848079", "820730", "8480", "848041"]
    hs = {e: [codes[e]] for e in range(5)}
    rows, when = [], []
    for b in range(100, 100 + n_past):
        hs[b] = list(rng.choice(codes, size=rng.integers(1, 3), replace=False))
        for e in rng.choice(5, size=3, replace=False).tolist():
            rows.append((b, e, str(rng.choice(["deal", "quotation", "follow_up", "no_interest", "declined"]))))
            when.append(int(rng.integers(1, 4)))
    past = History(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        [r[2] for r in rows],
        hs,
        np.array(when) if with_when else None,
    )
    buyer_ids = [100, 101, 102, 500, 501]  # three with history, two new
    buyer_codes = [hs[100], hs[101], hs[102], ["848071"], ["8207"]]
    return side(list(range(5)), [hs[e] for e in range(5)]), side(buyer_ids, buyer_codes), past


def brute_force_cf(model, past):
    """The product-level cf by its definition, one pair at a time: over the buyer's codes
    (weights cf_weights), the mean outcome with the exhibitor of the OTHER history buyers
    having that code (membership 1 stated, 0.5 liked), shrunk by CF_PRIOR."""
    h_ids = model.H_rows.tolist()
    member = model.cf_member.toarray()
    R = model.R.toarray()
    U = model.cf_weights.toarray()
    out = np.zeros((model.n_buyers, model.n_exhibitors))
    for r, b in enumerate(model.buyers.ids.tolist()):
        for x in np.flatnonzero(U[r]):
            others = [i for i, h in enumerate(h_ids) if h != b]
            count = member[others, x].sum() + scoring.CF_PRIOR
            out[r] += U[r, x] * (member[others, x] @ R[others]) / count
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_product_level_cf_equals_its_definition_pair_by_pair(seed):
    exhibitors, buyers, past = small_world(seed)
    model = prepare(exhibitors, buyers, past, Weights(fairness=0), calibrate=False, learn=False)
    cf = scoring.collaborative(model, np.arange(model.n_buyers))
    assert cf.dtype == np.float32
    np.testing.assert_allclose(cf, brute_force_cf(model, past), atol=1e-6)
    # The buyers with history really had their own outcomes taken out (else the test is void).
    assert (model.b_history_row[:3] >= 0).all() and (model.b_history_row[3:] == -1).all()


def test_product_level_cf_does_not_grow_with_the_number_of_past_buyers():
    """What scoring holds per code and exhibitor has the same shape with 40 or 400 past
    buyers: the per-chunk cost is codes x exhibitors, not past buyers x exhibitors."""
    shapes = []
    for n_past in (40, 400):
        exhibitors, buyers, past = small_world(0, n_past=n_past)
        model = prepare(exhibitors, buyers, past, Weights(fairness=0), calibrate=False, learn=False)
        shapes.append(model.cf_sum.shape)
        assert model.R.shape[0] == n_past
    assert shapes[0] == shapes[1]


def test_cf_still_finds_what_buyers_like_this_one_liked():
    """Past buyers stating 848071 ended well with exhibitor 1 (not what they state); a new
    buyer stating 848071 gets cf for exhibitor 1 only."""
    rows = [(100 + i, 1, "deal") for i in range(10)] + [(100 + i, 2, "no_interest") for i in range(10)]
    hs = {100 + i: ["848071"] for i in range(10)} | {1: ["820730"], 2: ["848071"], 3: ["848079"]}
    past = History(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), [r[2] for r in rows], hs)
    model = prepare(
        side([1, 2, 3], [["820730"], ["848071"], ["848079"]]),
        side([999], [["848071"]]),
        past,
        Weights(fairness=0),
        calibrate=False,
        learn=False,
    )
    cf = scoring.components(model, [0])["cf"][0]
    assert cf[0] > 0.5 and cf[1] < 0 and cf[2] == 0


def test_pairwise_rows_equal_the_plain_loop():
    rng = np.random.default_rng(0)
    n = 400
    X = rng.normal(size=(n, 3))
    y = (rng.random(n) < 0.2).astype(int)
    w = rng.random(n)
    group = rng.integers(0, 30, n)
    expected = []
    order = np.argsort(group, kind="stable")
    for g in np.unique(group):
        block = order[group[order] == g]
        for i in block[y[block] == 1]:
            for j in block[y[block] == 0]:
                expected.append((i, j))
    expected = np.array(expected)
    D, signs, weights = learning._pairwise(X, y, w, group, None)
    alternating = np.where(np.arange(len(expected)) % 2 == 0, 1.0, -1.0)
    np.testing.assert_array_equal(D, (X[expected[:, 0]] - X[expected[:, 1]]) * alternating[:, None])
    np.testing.assert_array_equal(signs, (alternating > 0).astype(int))
    np.testing.assert_array_equal(weights, w[expected[:, 0]])


def test_language_table_gives_the_formula_for_every_pair_of_masks():
    exhibitors = side(range(4), [["848071"]] * 4, [(), ("ko",), ("ja", "ko"), ("en",)])
    buyers = side(range(10, 14), [["848071"]] * 4, [(), ("ja",), ("en", "ko"), ("zh",)])
    model = prepare(exhibitors, buyers, History.empty(), calibrate=False, learn=False)
    model.lang_ratio = 1.7
    factor = model.language_factor(np.arange(4))
    for r, lb in enumerate(buyers.languages):
        for e, le in enumerate(exhibitors.languages):
            sign = 0 if not lb or not le else (1 if lb & le else -1)
            assert factor[r, e] == pytest.approx(1.7 ** (0.5 * sign))
    # The per-run table the combination multiplies by: track record x language, per mask.
    table = model.exhibitor_factors()[model.lang_b]
    np.testing.assert_allclose(table, factor * model.track_factor[None, :], rtol=1e-6)


def three_show_history():
    """Three past shows of 40 buyers each; exhibitor 1 always ends well."""
    rows, when = [], []
    for moment in (1, 2, 3):
        for b in range(100, 140):
            for e in (1, 2, 3):
                rows.append((b + 100 * moment, e, "deal" if e == 1 else "no_interest"))
                when.append(moment)
    hs = {b: ["848071"] for b in range(200, 440)} | {1: ["848079"], 2: ["848071"], 3: ["848071"]}
    return History(
        np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), [r[2] for r in rows], hs, np.array(when)
    )


def test_each_past_show_is_prepared_once_for_learning_and_calibration(monkeypatch):
    built = []
    real = replays._build
    monkeypatch.setattr(
        replays, "_build", lambda history, moment, weights: built.append(moment) or real(history, moment, weights)
    )
    past = three_show_history()
    model = prepare(side([1, 2, 3], [["848079"], ["848071"], ["848071"]]), side([999], [["848071"]]), past)
    # Shows 1 (for learning, from an empty history), 2 and 3 are replayed once each;
    # calibration, when the hand-set weights are kept, reuses learning's replays of 2 and 3
    # instead of preparing them again.
    assert sorted(built) == [1, 2, 3]
    assert model.ranker is not None or model.summary.get("hand_set_weights")


def test_large_shows_replay_a_fixed_sample_of_fewer_buyers():
    assert replays.buyers_to_keep(200) == replays.MAX_BUYERS  # small shows: as before
    assert replays.buyers_to_keep(2000) == replays.MIN_SAMPLE
    assert replays.MIN_SAMPLE < replays.buyers_to_keep(1000) < replays.MAX_BUYERS
    past = three_show_history()
    first = replays.Replays(past, Weights()).get(3)
    again = replays.Replays(past, Weights()).get(3)
    np.testing.assert_array_equal(first.b_ids, again.b_ids)  # same seed, same buyers


def test_track_factors_are_computed_once_per_run(monkeypatch):
    exhibitors, buyers, past = small_world(0)
    model = prepare(exhibitors, buyers, past, calibrate=False, learn=False)
    calls = []
    real = scoring.track_arrays
    monkeypatch.setattr(scoring, "track_arrays", lambda m: calls.append(1) or real(m))
    model.__dict__.pop("_track_cache", None)
    picks = top_k(model, np.arange(model.n_buyers), 5)
    assert sum(len(p) for _b, p in picks) >= 10  # reasons were made for many pairs
    assert len(calls) == 1
    # Changing the weights (as calibration does) recomputes them, once.
    from dataclasses import replace

    model.weights = replace(model.weights, track=2.0)
    assert model.track_factor[0] == pytest.approx(np.exp(2.0 * model.track_lift[0]))
    model.track_factor  # noqa: B018 - read again: cached
    assert len(calls) == 2


def test_liked_codes_with_precomputed_prefixes_match_the_plain_prefix_test():
    """_Sides.liked_reason (prefix sets built once per company) picks the same liked code as
    _liked_reason (startswith both ways, per pair), codes of every length mixed."""
    from matching.engine import reasons

    rng = np.random.default_rng(3)
    pool = ["84", "8480", "848071", "848079", "82", "8207", "820730", "85", "8501", "850110"]
    e_codes = [list(rng.choice(pool, size=rng.integers(0, 4), replace=False)) for _ in range(30)]
    b_codes = [list(rng.choice(pool, size=rng.integers(0, 3), replace=False)) for _ in range(30)]
    liked = [{str(c): float(rng.random()) for c in rng.choice(pool, size=rng.integers(0, 5))} for _ in range(30)]
    exhibitors, buyers = side(range(30), e_codes), side(range(100, 130), b_codes)
    model = prepare(exhibitors, buyers, History.empty(), calibrate=False, learn=False)
    model.b_liked = liked
    sides = reasons._Sides(model)
    found = 0
    for b in range(30):
        for e in range(30):
            expected = reasons._liked_reason(liked[b], b_codes[b], e_codes[e])
            assert sides.liked_reason(model, b, e) == expected
            found += expected is not None
    assert found > 20


def test_chunk_reasons_equal_the_per_pair_reasons():
    """top_k's hand-set reasons (four signals per pair, per-company work shared) are those
    reasons_for gives pair by pair from the full signals."""
    from matching.engine.reasons import reasons_for

    exhibitors, buyers, past = small_world(seed=1)
    model = prepare(exhibitors, buyers, past, learn=False)
    rows = np.arange(model.n_buyers)
    _score, parts = scoring.score_chunk(model, rows)
    picked = 0
    for b, picks in top_k(model, rows, k=5):
        for e, _shown, got in picks:
            signals = {name: float(value[b, e]) for name, value in parts.items()}
            assert got == reasons_for(model, b, e, signals)
            picked += bool(got)
    assert picked >= 10


@pytest.mark.parametrize("variant", ["a", "d"])
@pytest.mark.parametrize("dense_cells", [scoring.DENSE_CELLS, 1])
def test_learnt_chunk_logit_equals_the_logit_of_the_built_features(variant, dense_cells, monkeypatch):
    """learnt_logit.chunk_logit (the run's stacked operands with the coefficients folded in: one
    product for the linear terms, one for the hand-set feature's signals) gives the logit
    of Ranker.logit over pair_features up to float32 rounding, and the same rankings; also
    with exhibitor sides too large to be dense (dense_cells=1: one product per block)."""
    from matching import synthetic

    monkeypatch.setattr(learning, "HAND_SET_CANDIDATE", False)  # the learnt combination, forced
    monkeypatch.setattr(scoring, "DENSE_CELLS", dense_cells)
    world = synthetic.generate(variant=variant, n_exhibitors=60, n_buyers=200, n_exhibitions=4, seed=2)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    model = prepare(exhibitors, buyers, history)
    assert model.ranker is not None and model.ranker.coef is not None
    # A new feature must be folded into the operands too (else chunk_logit builds the features).
    assert set(learning.FEATURES) <= learnt_logit.FOLDED and learnt_logit.folded(model.ranker)
    assert len(learnt_logit._logit_operands(model.ranker, model).groups) == (1 if dense_cells > 1 else 7)
    rows = np.arange(model.n_buyers)
    parts = scoring.components(model, rows)
    assert model.pair[rows].nnz and (~model.b_has_history).any() and model.b_has_history.any()
    assert model.R.nnz and model.assoc_by_e is not None
    expected = model.ranker.logit(learning.pair_features(model, rows, parts))
    got = learnt_logit.chunk_logit(model.ranker, model, rows, parts)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=2e-5 * max(1.0, float(np.abs(expected).max())))
    p = learning.sigmoid(expected).astype(np.float64)
    cold = ~model.b_has_history
    for blend, mask in ((model.ranker.cold_blend, cold), (model.ranker.warm_blend, ~cold)):
        if blend is not None and mask.any():
            p[mask] = parts["hs"][mask] + blend * p[mask]
    score = learnt_logit.relevance(model.ranker, model, rows, parts)
    np.testing.assert_allclose(score, p, rtol=0, atol=1e-5)
    # The same rankings (top 10 of every buyer, ties apart).
    top_expected, top_got = scoring._top_indices(p, 10), scoring._top_indices(score, 10)
    same = np.take_along_axis(p, top_expected, axis=1) == np.take_along_axis(p, top_got, axis=1)
    assert np.isclose(np.take_along_axis(p, top_expected, axis=1), np.take_along_axis(p, top_got, axis=1)).all()
    assert same.all(axis=1).mean() >= 0.95
    # Without the signals (score_chunk(signals=False), as the evaluation) the very same scores.
    assert np.array_equal(learnt_logit.relevance(model.ranker, model, rows, {}), score)
    with_signals, _parts = scoring.score_chunk(model, rows)
    without, no_parts = scoring.score_chunk(model, rows, signals=False)
    assert no_parts == {} and np.array_equal(with_signals, without)


def test_chapter_share_folded_into_the_steps_equals_the_built_feature(monkeypatch):
    """same_hs2_share (a per-buyer weight on the chapter step, from the count of the chunk's
    own steps) gives in chunk_logit what Ranker.logit gives from the built feature, also for
    a chunk of a few buyers; forced to a large coefficient so that it is what is compared."""
    from matching import synthetic

    monkeypatch.setattr(learning, "HAND_SET_CANDIDATE", False)
    world = synthetic.generate(variant="c", n_exhibitors=60, n_buyers=200, n_exhibitions=4, seed=2)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    model = prepare(exhibitors, buyers, history)
    ranker = model.ranker
    assert ranker is not None and learnt_logit.folded(ranker)
    j = learning.FEATURES.index("same_hs2_share")
    ranker.coef = ranker.coef.copy()
    ranker.coef[j] = -2.0 * ranker.scale[j]
    model.__dict__.pop("_logit_operands", None)
    rows = np.arange(model.n_buyers)
    parts = scoring.components(model, rows)
    share = learning.pair_features(model, rows, parts)["same_hs2_share"]
    assert (share < 0).any() and (share == 0).any()
    for chunk in (rows, rows[:7]):
        chunk_parts = {name: value[chunk] for name, value in parts.items()}
        expected = ranker.logit(learning.pair_features(model, chunk, chunk_parts))
        for given in (chunk_parts, {}):
            got = learnt_logit.chunk_logit(ranker, model, chunk, given)
            np.testing.assert_allclose(got, expected, rtol=0, atol=2e-5 * max(1.0, float(np.abs(expected).max())))


def test_a_feature_not_folded_into_the_operands_is_scored_from_the_built_features(monkeypatch):
    """A learnt feature _logit_operands does not know (say one added to FEATURES later) is
    not dropped: chunk_logit and score_chunk fall back to the features built from the
    signals, the same numbers as Ranker.logit."""
    from matching import synthetic

    monkeypatch.setattr(learning, "HAND_SET_CANDIDATE", False)
    world = synthetic.generate(variant="a", n_exhibitors=40, n_buyers=120, n_exhibitions=4, seed=3)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    model = prepare(exhibitors, buyers, history)
    monkeypatch.setattr(learnt_logit, "FOLDED", learnt_logit.FOLDED - {"text"})
    assert not learnt_logit.folded(model.ranker) and model.ranker.coef[learning.FEATURES.index("text")]
    rows = np.arange(model.n_buyers)
    parts = scoring.components(model, rows)
    expected = model.ranker.logit(learning.pair_features(model, rows, parts))
    assert np.array_equal(learnt_logit.chunk_logit(model.ranker, model, rows, parts), expected)
    _score, parts = scoring.score_chunk(model, rows, signals=False)
    assert "hs" in parts


def test_kept_signals_equal_the_chunk_signals_at_those_cells():
    """A learnt run's reasons read the signals of the kept pairs only (shortlist.kept_signals):
    the same float32 values as components() at those cells, cf's own-outcome correction and
    past pairs included."""
    from matching import synthetic
    from matching.engine import scoring

    world = synthetic.generate(variant="a", n_exhibitors=60, n_buyers=200, n_exhibitions=4, seed=2)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    model = scoring.prepare(exhibitors, buyers, history, learn=False, calibrate=False)
    rows = np.arange(5, len(buyers))  # a chunk that does not start at the first buyer
    parts = scoring.components(model, rows, learning=True)
    rng = np.random.default_rng(0)
    r_kept = rng.integers(0, len(rows), size=500)
    e_kept = rng.integers(0, len(exhibitors), size=500)
    # and every cell a past pair or cf's correction touches
    past = model.pair[rows].tocoo()
    r_kept, e_kept = np.concatenate([r_kept, past.row]), np.concatenate([e_kept, past.col])
    kept = shortlist.kept_signals(model, rows, r_kept, e_kept)
    assert past.nnz and model.R.nnz
    for name in ("hs", "hs6", "hs4", "hs2", "text", "own", "cf", "assoc", "pair"):
        np.testing.assert_allclose(kept[name], parts[name][r_kept, e_kept], rtol=1e-5, atol=1e-7, err_msg=name)
