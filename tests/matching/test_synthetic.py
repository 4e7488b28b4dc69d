"""The third generator (world c), kept apart from the matcher's design as a held-out check:
it must be sparse and coarse in the ways it promises, and usable by the evaluation."""

import numpy as np
import pytest

from matching import evaluation, synthetic
from matching.engine.scoring import Companies


def test_world_c_is_sparse_coarse_and_deterministic():
    world = synthetic.generate(variant="c", n_exhibitors=120, n_buyers=300, n_exhibitions=3, seed=1)
    again = synthetic.generate(variant="c", n_exhibitors=120, n_buyers=300, n_exhibitions=3, seed=1)
    assert world.meetings == again.meetings
    assert world.variant == "c" and world.exhibitions[-1] == "synthetic-c-2022"
    chapters_only = [b for b in world.buyers if b.hs and all(len(c) == 2 for c in b.hs)]
    silent = [b for b in world.buyers if not b.hs]
    no_text = [e for e in world.exhibitors if not e.text]
    assert 0.2 < len(chapters_only) / len(world.buyers) < 0.45
    assert silent and no_text
    assert 0.1 < len(no_text) / len(world.exhibitors) < 0.4
    outcomes = {m[4] for m in world.meetings}
    assert {"follow_up", "quotation", "deal", "no_interest"} <= outcomes
    # Buyers meet 3 to 6 exhibitors per show.
    per_buyer = {}
    for slug, b, _e, _status, _outcome in world.meetings:
        per_buyer[(slug, b)] = per_buyer.get((slug, b), 0) + 1
    assert min(per_buyer.values()) >= 1 and max(per_buyer.values()) <= 6


def test_world_c_outcomes_follow_heading_affinity():
    world = synthetic.generate(variant="c", n_exhibitors=120, n_buyers=300, n_exhibitions=3, seed=2)
    good, shared = [], []
    for _slug, b, e, status, outcome in world.meetings:
        if status != "held":
            continue
        good.append(outcome in synthetic.POSITIVE)
        shared.append(bool(set(world.buyers[b].true_codes) & set(world.exhibitors[e].true_codes)))
    good, shared = np.array(good), np.array(shared)
    assert good[shared].mean() > good[~shared].mean() + 0.1


def test_world_c_evaluates_like_the_others():
    world = synthetic.generate(variant="c", n_exhibitors=60, n_buyers=150, n_exhibitions=3, seed=0)
    exhibitors, buyers, history, labels = synthetic.engine_inputs(world)
    results = {r.name: r for r in evaluation.evaluate(exhibitors, buyers, history, labels)}
    assert set(results) >= {"random", "popularity", "hs_overlap", "matcher"}
    assert results["matcher"].buyers > 10 and results["matcher"].cold_buyers > 0
    assert results["matcher"].ndcg > results["random"].ndcg


def test_world_d_hides_needs_behind_stated_codes_and_brings_new_exhibitors():
    world = synthetic.generate(variant="d", n_exhibitors=150, n_buyers=300, n_exhibitions=4, seed=1)
    again = synthetic.generate(variant="d", n_exhibitors=150, n_buyers=300, n_exhibitions=4, seed=1)
    assert world.meetings == again.meetings and world.exhibitions[-1] == "synthetic-d-2023"
    # Stated codes are a poor guide: most buyers state none of what they need.
    guided = [b for b in world.buyers if set(b.hs) & set(b.true_codes)]
    assert len(guided) / len(world.buyers) < 0.6
    # Buyers differ in what they care about.
    assert {b.latent for b in world.buyers} == {"fit", "quality", "language"}
    # Many exhibitors of the last show have never been to one before.
    earlier = {e for slug in world.exhibitions[:-1] for e in world.participations[slug][0]}
    last = world.participations[world.exhibitions[-1]][0]
    assert sum(e not in earlier for e in last) / len(last) > 0.3
    outcomes = {m[4] for m in world.meetings}
    assert {"follow_up", "quotation", "deal", "no_interest"} <= outcomes


def test_expected_ndcg_scores_each_draw_as_the_evaluation_scores_the_show_that_happened():
    """bench/matcher_expected.py and bench/matcher_headroom.py average this over redraws of a
    test show: each draw must be scored exactly as evaluation.evaluate scores the real one
    (only buyers with a good outcome count, gains 1/2/3), and the result is the mean."""
    outcome_of = {gain: outcome for outcome, gain in evaluation.GAIN.items()}
    exhibitors = Companies(ids=np.arange(4), hs=[[]] * 4, text=[""] * 4, languages=[frozenset()] * 4)
    buyers = Companies(ids=np.arange(3) + 100, hs=[[]] * 3, text=[""] * 3, languages=[frozenset()] * 3)
    draws = [
        np.array([[0, 3, 1, 0], [0, 0, 0, 0], [2, 0, 0, 0]], dtype=float),  # buyer 1: nothing good
        np.array([[1, 0, 0, 2], [0, 1, 0, 0], [0, 0, 0, 0]], dtype=float),  # buyer 2: nothing good
    ]
    top = np.array([[1, 2, 0], [0, 1, 2], [1, 2, 3]])

    def evaluated(gains):
        labels = {
            int(buyers.ids[b]): {int(e): outcome_of[g] for e, g in enumerate(row) if g}
            for b, row in enumerate(gains)
            if row.any()
        }
        rows = np.array(sorted(b for b in range(3) if gains[b].any()))
        return np.mean(evaluation._metrics(top[rows], rows, buyers, exhibitors, labels, 3)[0])

    it = iter(draws)
    result = evaluation.expected_ndcg(lambda: next(it), {"top": top}, repeats=2, k=3)
    assert result["top"] == pytest.approx((evaluated(draws[0]) + evaluated(draws[1])) / 2)
    assert 0 < result["top"] < 1
