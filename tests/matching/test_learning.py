"""The learnt combination on small hand-made histories: product-level associations, the
temporal fit and its fallbacks, the cold-start rule, fairness within its cost bound, and
reasons that follow the fitted contributions."""

import numpy as np
import pytest

from matching import evaluation, synthetic
from matching.engine import learning, scoring
from matching.engine.associations import association_lift
from matching.engine.features import HSSpace
from matching.engine.scoring import Companies, History, components, prepare
from matching.engine.shortlist import top_k

# Buyers state what they make (X); they need moulds of another chapter (Y); only the
# history tells which Y goes with which X.
NEEDS = {"870829": "848071", "853669": "820730", "901890": "848041", "392330": "848079"}


def side(ids, hs, text=None, languages=None):
    n = len(ids)
    return Companies(
        np.asarray(ids, dtype=np.int64),
        [list(h) for h in hs],
        list(text or [""] * n),
        [frozenset(lang) for lang in (languages or [()] * n)],
    )


def hidden_needs_world(n_shows=4, buyers_per_show=60, seed=0):
    """Past shows where buyers stating X end well only with exhibitors making NEEDS[X];
    every show has exhibitors of its own (ids show x 100 + 0..39), so only product-level
    history carries over; returns the history and the codes of a next show's exhibitors."""
    rng = np.random.default_rng(seed)
    stated = list(NEEDS)
    exhibitor_codes = {s * 100 + e: [NEEDS[stated[e % 4]]] for s in range(n_shows + 1) for e in range(40)}
    rows, when, hs = [], [], dict(exhibitor_codes)
    buyer_id = 1000
    returning = []
    for show in range(n_shows):
        buyers = returning[: buyers_per_show // 2]
        while len(buyers) < buyers_per_show:
            buyer_id += 1
            hs[buyer_id] = [stated[buyer_id % 4]]
            buyers.append(buyer_id)
        for b in buyers:
            need = NEEDS[hs[b][0]]
            met = (show * 100 + rng.choice(40, size=8, replace=False)).tolist()
            for e in met:
                good = exhibitor_codes[e][0] == need and rng.random() < 0.9
                rows.append((b, e, "quotation" if good else "no_interest"))
                when.append(show)
        returning = list(rng.permutation(buyers))
    history = History(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        [r[2] for r in rows],
        hs,
        np.array(when),
    )
    return history, {e: exhibitor_codes[n_shows * 100 + e] for e in range(40)}


def test_code_associations_transfer_to_buyers_and_exhibitors_never_seen():
    history, _codes = hidden_needs_world(n_shows=2)
    space = HSSpace([["870829"], ["848071"], ["820730"], ["853669"], ["999999"]])
    lift = association_lift(history, space)
    x, y, other = space.index["870829"], space.index["848071"], space.index["820730"]
    assert lift[x, y] > 0.1 > lift[x, other]
    # A new buyer stating 870829 and two new exhibitors: the one making 848071 scores higher.
    exhibitors = side([501, 502], [["820730"], ["848071"]])
    buyers = side([9001], [["870829"]])
    model = prepare(exhibitors, buyers, history, learn=False, calibrate=False)
    assoc = components(model, [0], learning=True)["assoc"][0]
    assert assoc[1] > 0 > assoc[0] or assoc[1] > assoc[0] + 0.05


def test_thin_history_keeps_the_hand_set_weights():
    history, _codes = hidden_needs_world(n_shows=2)
    model = prepare(side([901, 902], [["848071"], ["820730"]]), side([9001], [["870829"]]), history)
    assert model.ranker is None
    assert model.summary["kind"] == "defaults" and model.summary["reason"] == "thin history"
    assert set(model.summary["hand_set_weights"]) >= {"hs", "text", "track"}


def test_learnt_model_finds_what_the_stated_codes_hide_for_a_new_buyer():
    history, codes = hidden_needs_world()
    exhibitors = side([900 + e for e in range(40)], [codes[e] for e in range(40)])
    buyers = side([9001, 9002], [["870829"], ["853669"]])
    model = prepare(exhibitors, buyers, history)
    assert model.ranker is not None, model.summary
    summary = model.summary
    assert set(summary["weights"]) == set(learning.FEATURES)
    assert summary["validation"]["ndcg"] > summary["validation"]["hs_ndcg"]
    assert summary["kind"] in ("logistic", "pairwise") and summary["training_pairs"] > 100
    picks = top_k(model, [0, 1], k=10)
    for (_b, row), need in zip(picks, ["848071", "820730"], strict=True):
        assert all(codes[e] == [need] for e, _score, _reasons in row)
    # The reasons say what moved the pair: buyers stating the same code did well with it.
    reasons = picks[0][1][0][2]
    assert {"code": "product_history", "stated": "870829", "hs": "848071"} in reasons


def test_cold_start_buyers_keep_the_hs_order_and_the_learnt_score_only_breaks_ties():
    exhibitors = side([1, 2, 3, 4], [["848071"], ["8480"], ["84"], ["820730"]])
    buyers = side([9001], [["848071"]])
    model = prepare(exhibitors, buyers, History.empty(), learn=False, calibrate=False)
    ranker = learning.Ranker("logistic", np.zeros(len(learning.FEATURES)), np.ones(len(learning.FEATURES)))
    # A learnt score that prefers exactly the reverse of the HS order.
    ranker.coef = np.zeros(len(learning.FEATURES))
    ranker.coef[learning.FEATURES.index("hs")] = -50.0
    ranker.cold_blend = learning.HS_ORDER
    model.ranker = ranker
    parts = components(model, [0], learning=True)
    score = scoring.relevance(model, [0], parts)[0]
    hs = parts["hs"][0]
    assert list(np.argsort(-score, kind="stable"))[:3] == list(np.argsort(-hs, kind="stable"))[:3]
    assert not learning.damped_rows(ranker, model, [0])[0]
    # When the validation said the learnt score does better for them, it ranks them.
    ranker.cold_blend = None
    score = scoring.relevance(model, [0], parts)[0]
    assert np.argmax(score) != np.argmax(hs)


def test_fairness_strength_stays_within_its_cost_bound():
    rng = np.random.default_rng(0)
    n_b, n_e = 60, 100
    # Everyone's relevant exhibitors are the same three, which everybody ranks first just
    # ahead of the rest: any damping of them costs nDCG, so none is chosen.
    score = 0.4995 + rng.random((n_b, n_e)) * 0.0001
    score[:, :3] = 0.5
    gains = np.zeros((n_b, n_e))
    gains[:, :3] = 3.0
    assert learning._fairness_strength(score, gains) == (0.0, 0.0)
    # Scores far apart: the strongest damping reorders nothing that matters.
    score = np.tile(np.linspace(10.0, 0.01, n_e), (n_b, 1))
    strength, cost = learning._fairness_strength(score, np.where(score > 9.9, 1.0, 0.0))
    assert strength == learning.FAIRNESS_CANDIDATES[0] and cost <= learning.FAIRNESS_MAX_COST


def test_reasons_follow_the_largest_contributions_of_the_fit():
    exhibitors = side([1], [["848071"]], text=["injection mould for automotive parts"])
    buyers = side([9001], [["848071"]], text=["射出成形金型"])
    model = prepare(exhibitors, buyers, History.empty(), learn=False, calibrate=False)
    n = len(learning.FEATURES)

    def reasons_with(weights):
        ranker = learning.Ranker("logistic", np.zeros(n), np.ones(n), coef=np.zeros(n))
        for name, value in weights.items():
            ranker.coef[learning.FEATURES.index(name)] = value
        model.ranker = ranker
        model.__dict__.pop("_pair_features", None)
        return [r["code"] for r in top_k(model, [0], k=1)[0][1][0][2]]

    assert reasons_with({"text": 5.0, "hs": 1.0})[:2] == ["text_concepts", "hs_subheading"]
    assert reasons_with({"text": 1.0, "hs6": 5.0})[:2] == ["hs_subheading", "text_concepts"]
    # A feature that did not raise the pair gives no reason.
    assert "text_concepts" not in reasons_with({"hs": 1.0, "text": -1.0})


@pytest.mark.parametrize("variant", ["c", "d", "e"])
def test_cold_start_buyers_never_rank_much_worse_than_hs_overlap(variant):
    world = synthetic.generate(variant=variant, n_exhibitors=80, n_buyers=300, n_exhibitions=4, seed=3)
    exhibitors, buyers, history, labels = synthetic.engine_inputs(world)
    results = {
        r.name: r for r in evaluation.evaluate(exhibitors, buyers, history, labels, names={"hs_overlap", "matcher"})
    }
    assert results["matcher"].cold_buyers >= 20
    assert results["matcher"].ndcg_cold >= results["hs_overlap"].ndcg_cold - 0.03


@pytest.mark.parametrize("variant", ["a", "c", "d"])
def test_exhibitors_new_to_the_show_never_rank_much_worse_than_by_hs_overlap(variant):
    """Cold-start exhibitors (no past interaction), ranked among themselves: the matcher
    does not fall behind HS overlap by more than noise (one seed moves by about 0.02)."""
    world = synthetic.generate(variant=variant, n_exhibitors=80, n_buyers=300, n_exhibitions=4, seed=3)
    exhibitors, buyers, history, labels = synthetic.engine_inputs(world)
    newcomers, new_labels = evaluation.new_exhibitors_only(exhibitors, history, labels)
    assert len(newcomers) >= 5 and not set(newcomers.ids.tolist()) & set(history.exhibitor.tolist())
    results = {
        r.name: r for r in evaluation.evaluate(exhibitors, buyers, history, labels, names={"hs_overlap", "matcher"})
    }
    assert results["matcher"].new_exhibitor_buyers == len(new_labels) >= 20
    assert results["matcher"].ndcg_new_exhibitors >= results["hs_overlap"].ndcg_new_exhibitors - 0.03


def test_overlap_steps_mark_the_pairs_that_state_something_in_common_at_each_level():
    exhibitors = side([1, 2, 3, 4], [["848071"], ["848079"], ["847990"], ["392690"]], languages=[["ja"], [], [], []])
    buyers = side([9001], [["848071"]], languages=[["ja"]])
    model = prepare(exhibitors, buyers, History.empty(), learn=False, calibrate=False)
    feats = learning.pair_features(model, np.array([0]), components(model, [0], learning=True))
    assert feats["same_hs6"][0].tolist() == [1, 0, 0, 0]
    assert feats["same_hs4"][0].tolist() == [1, 1, 0, 0]
    assert feats["same_hs2"][0].tolist() == [1, 1, 1, 0]
    # A shared language counts apart where a chapter is shared too.
    language = feats["language"][0]
    assert language[0] != 0 and feats["language_same_hs2"][0].tolist() == [language[0], language[1], language[2], 0]


def test_chapter_share_says_how_few_exhibitors_share_the_buyer_s_chapter():
    exhibitors = side([1, 2, 3, 4], [["848071"], ["848079"], ["847990"], ["853690"]])
    buyers = side([9001, 9002, 9003], [["848071"], ["853690"], []])
    model = prepare(exhibitors, buyers, History.empty(), learn=False, calibrate=False)
    rows = np.arange(3)
    feats = learning.pair_features(model, rows, components(model, rows, learning=True))
    share = feats["same_hs2_share"]
    # Three of four exhibitors share chapter 84 with the first buyer, one shares 85 with the
    # second: a shared chapter that few exhibitors have counts for more (more negative log).
    np.testing.assert_allclose(share[0], [np.log(3 / 4)] * 3 + [0.0], rtol=1e-6)
    np.testing.assert_allclose(share[1], [0.0, 0.0, 0.0, np.log(1 / 4)], rtol=1e-6)
    assert share[2].tolist() == [0.0] * 4


def test_meeting_and_outcome_models_add_up_to_one_logistic_ranker(monkeypatch):
    """The factored fit (a meeting model on every training pair, an outcome model on the pairs
    that met) is one logistic ranker whose coefficients are the sum of the two fits."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    n = 3000
    X = rng.normal(size=(n, 3))
    met = rng.random(n) < 1 / (1 + np.exp(-(X[:, 0] - 1)))
    y = (met & (rng.random(n) < 1 / (1 + np.exp(-X[:, 1])))).astype(int)
    w, w_meet = np.where(y > 0, 2.0, 1.0), np.where(met, 1.0, 4.0)
    ranker = learning._fit("logistic", 1.0, X, y, w, np.arange(n) // 30, met, w_meet)
    Z = (X - ranker.mean) / ranker.scale
    meeting = LogisticRegression(C=1.0, max_iter=500).fit(Z, met.astype(int), sample_weight=w_meet)
    outcome = LogisticRegression(C=1.0, max_iter=500).fit(Z[met], y[met], sample_weight=w[met])
    np.testing.assert_allclose(ranker.coef, meeting.coef_[0] + outcome.coef_[0])
    assert ranker.coef[0] > 0 and ranker.coef[1] > 0  # what makes a meeting, what makes it end well
    monkeypatch.setattr(learning, "FACTORED", False)
    single = learning._fit("logistic", 1.0, X, y, w, np.arange(n) // 30, met, w_meet)
    assert not np.allclose(single.coef, ranker.coef)


def test_another_blend_replaces_the_learnt_score_only_when_it_wins_by_more_than_noise():
    rng = np.random.default_rng(0)
    learnt = rng.random(150)
    # Better on average but by much less than the spread of the per-buyer differences.
    noise = rng.normal(scale=0.3, size=150)
    noisy = learnt + 0.01 + (noise - noise.mean())
    assert noisy.mean() > learnt.mean() and not learning._beats(noisy, learnt)
    # Clearly better for most buyers.
    assert learning._beats(learnt + 0.05 + rng.normal(scale=0.05, size=150), learnt)
    assert not learning._beats(learnt[:1] + 1.0, learnt[:1])  # one buyer tells nothing
