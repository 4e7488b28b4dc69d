"""The hand-set reasons of a whole chunk at once (reasons.hand_set_reasons_chunk: sparse
products for the HS and liked-code reasons) word every pair as hand_set_reasons does."""

import numpy as np
import pytest

from matching.engine.scoring import History, prepare
from tests.matching.test_engine_speed import side


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chunk_reasons_at_once_equal_the_hand_set_reasons_pair_by_pair(seed):
    """hand_set_reasons_chunk (HS and liked-code reasons as sparse products over the chunk)
    words every pair as hand_set_reasons does, codes of every length mixed, signals on
    both sides of each threshold, languages and track record included."""
    from matching.engine import reasons

    rng = np.random.default_rng(seed)
    pool = ["84", "8480", "848071", "848079", "848041", "82", "8207", "820730", "8208", "85", "8501", "850110"]
    languages = [(), ("ko",), ("ja",), ("en", "ja"), ("zh",)]
    n_e, n_b = 40, 50
    e_codes = [list(rng.choice(pool, size=rng.integers(0, 4), replace=False)) for _ in range(n_e)]
    b_codes = [list(rng.choice(pool, size=rng.integers(0, 4), replace=False)) for _ in range(n_b)]
    exhibitors = side(range(n_e), e_codes, [languages[i] for i in rng.integers(0, 5, n_e)])
    buyers = side(range(100, 100 + n_b), b_codes, [languages[i] for i in rng.integers(0, 5, n_b)])
    exhibitors.text = [rng.choice(["injection mould", "hot runner", "press die", ""]) for _ in range(n_e)]
    buyers.text = [rng.choice(["injection mould hot runner", "press die", ""]) for _ in range(n_b)]
    model = prepare(exhibitors, buyers, History.empty(), calibrate=False, learn=False)
    model.b_liked = [
        {str(c): float(rng.random()) for c in rng.choice(pool, size=rng.integers(0, 5))} for _ in range(n_b)
    ]
    model.track_meetings = rng.integers(0, 6, n_e)
    model.pair_kind = {(int(b), int(e)): "deal" for b, e in rng.integers(0, [n_b, n_e], size=(30, 2))}
    b = np.repeat(np.arange(n_b), n_e)
    e = np.tile(np.arange(n_e), n_b)
    thresholds = np.array([0.0, 0.02, 0.05, 0.1, 0.3, -0.1], dtype=np.float32)
    hs, own, text, cf = (thresholds[rng.integers(0, len(thresholds), len(b))] for _ in range(4))
    got = reasons.hand_set_reasons_chunk(model, b, e, hs, own, text, cf)
    expected = [
        reasons.hand_set_reasons(model, bi, ei, float(h), float(o), float(t), float(c))
        for bi, ei, h, o, t, c in zip(b.tolist(), e.tolist(), hs, own, text, cf, strict=True)
    ]
    assert got == expected
    codes = {r["code"] for pair in got for r in pair}
    assert {"hs_subheading", "hs_heading_covers", "hs_heading", "hs_chapter", "history_codes"} <= codes
    assert {
        "past_meeting",
        "text_concepts",
        "similar_buyers",
        "newcomer",
        "language",
        "interpreter",
        "text_similar",
    } <= codes
