"""The scoring core on small hand-made arrays: each signal, the ranking, cold start, fairness."""

import numpy as np
import pytest

from matching.engine import glossary, records
from matching.engine.features import tokens
from matching.engine.scoring import Companies, History, Weights, components, prepare, score_chunk
from matching.engine.shortlist import top_k


def side(ids, hs, text=None, languages=None):
    n = len(ids)
    return Companies(
        np.asarray(ids, dtype=np.int64),
        [list(h) for h in hs],
        list(text or [""] * n),
        [frozenset(lang) for lang in (languages or [()] * n)],
    )


def history(rows, hs=None, when=None):
    return History(
        np.asarray([r[0] for r in rows], dtype=np.int64),
        np.asarray([r[1] for r in rows], dtype=np.int64),
        [r[2] for r in rows],
        hs or {},
        None if when is None else np.asarray(when),
    )


def ranked(model, row=0, k=10):
    return [e for e, _score, _reasons in top_k(model, [row], k)[0][1]]


NO_FAIRNESS = Weights(fairness=0)


# ---------------------------------------------------------------- HS hierarchy


def test_same_subheading_beats_same_heading_beats_same_chapter():
    exhibitors = side([1, 2, 3, 4], [["848071"], ["848079"], ["847710"], ["392690"]])
    buyers = side([10], [["848071"]])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS)
    hs = components(model, [0])["hs"][0]
    assert hs[0] > hs[1] > hs[2] > hs[3] == 0
    assert ranked(model) == [0, 1, 2]  # no overlap at all: not suggested


def test_a_stated_heading_covers_its_subheadings_but_less_than_the_exact_code():
    exhibitors = side([1, 2, 3], [["848071"], ["848079"], ["820730"]])
    heading_buyer = side([10, 11], [["8480"], ["848071"]])
    model = prepare(exhibitors, heading_buyer, History.empty(), NO_FAIRNESS)
    hs = components(model, [0, 1])["hs"]
    assert hs[0, 0] > 0 and hs[0, 1] > 0 and hs[0, 2] == 0
    # The buyer that states the subheading itself is a closer match than the broad one.
    assert hs[1, 0] > hs[0, 0]


def test_an_exhibitor_stating_a_heading_matches_buyers_of_its_subheadings():
    exhibitors = side([1, 2], [["8480"], ["820730"]])
    buyers = side([10], [["848071"]])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS)
    assert ranked(model) == [0]
    reasons = top_k(model, [0])[0][1][0][2]
    assert {"code": "hs_heading", "hs": "8480"} in reasons


# ---------------------------------------------------------------- text and glossary


@pytest.mark.parametrize(
    "text, concept",
    [
        ("Injection moulds for cars", "injection_mold"),
        ("사출금형 전문 기업", "injection_mold"),
        ("射出成形金型を探しています", "injection_mold"),
        ("프레스금형", "press_die"),
        ("プレス金型", "press_die"),
        ("aluminium die-casting", "die_casting"),
        ("다이캐스팅", "die_casting"),
        ("ダイカスト", "die_casting"),
        ("hot runner systems", "hot_runner"),
        ("ホットランナー", "hot_runner"),
        ("mould base", "mold_base"),
        ("放電加工", "edm"),
        ("자동차", "automotive"),
    ],
)
def test_glossary_maps_the_three_languages_onto_one_concept(text, concept):
    found, _rest = glossary.concepts_in(text)
    assert concept in found


def test_latin_terms_match_whole_words_only():
    found, _rest = glossary.concepts_in("carbide end mills")
    assert "automotive" not in found  # "car" inside "carbide"


def test_korean_and_japanese_texts_meet_through_the_glossary():
    exhibitors = side([1, 2], [[], []], ["사출금형 및 핫러너", "프레스금형"])
    buyers = side([10, 11], [[], []], ["射出成形金型とホットランナーを探しています", "the weather is nice"])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS)
    text = components(model, [0])["text"][0]
    assert text[0] > 0.3 and text[1] == 0
    assert ranked(model) == [0]
    reasons = top_k(model, [0])[0][1][0][2]
    assert {"code": "text_concepts", "concepts": ["hot_runner", "injection_mold"]} in reasons


def test_leftover_words_and_cjk_bigrams_become_tokens():
    toks = tokens("Gear housings 精密ギア")
    assert "gear" in toks and "housings" in toks and "ギア" in toks


# ---------------------------------------------------------------- history


def test_buyer_own_history_adds_codes_it_liked_beyond_what_it_states():
    exhibitors = side([1, 2], [["845630"], ["392690"]])
    buyers = side([10], [["848071"]])
    past = history([(10, 99, "deal")], hs={99: ["845630"], 10: ["848071"]})
    model = prepare(exhibitors, buyers, past, NO_FAIRNESS)
    own = components(model, [0])["own"][0]
    assert own[0] > 0 and own[1] == 0
    reasons = top_k(model, [0])[0][1][0][2]
    assert {"code": "history_codes", "hs": "845630"} in reasons


def test_collaborative_signal_from_buyers_with_similar_needs():
    exhibitors = side([1, 2], [["848071"], ["848071"]])
    buyers = side([10], [["848071"]])  # a newcomer: no history of its own
    past = history(
        [(20, 1, "deal"), (21, 1, "quotation"), (20, 2, "no_interest"), (21, 2, "no_interest")],
        hs={20: ["848071"], 21: ["848071"], 1: ["848071"], 2: ["848071"]},
    )
    model = prepare(exhibitors, buyers, past, NO_FAIRNESS)
    cf = components(model, [0])["cf"][0]
    assert cf[0] > 0 > cf[1]
    assert ranked(model) == [0, 1]


def test_track_record_is_smoothed_for_newcomers():
    exhibitors = side([1, 2, 3], [["848071"]] * 3)
    buyers = side([10], [["848071"]])
    rows = [(20 + i, 1, "deal") for i in range(10)] + [(40 + i, 2, "no_interest") for i in range(10)]
    model = prepare(exhibitors, buyers, history(rows, hs={}), NO_FAIRNESS)
    # Proven exhibitor above the newcomer (neutral), the newcomer above the poor record.
    assert model.track_factor[0] > model.track_factor[2] > model.track_factor[1]
    assert model.track_factor[2] == pytest.approx(1.0, abs=0.05)
    assert ranked(model) == [0, 2, 1]


def test_negatives_push_a_pair_down():
    exhibitors = side([1, 2], [["848071"], ["848071"]])
    buyers = side([10], [["848071"]])
    for kind in ("declined", "no_interest", "dismissed"):
        model = prepare(exhibitors, buyers, history([(10, 1, kind)], hs={}), NO_FAIRNESS)
        score, _ = score_chunk(model, [0])
        assert score[0, 0] < score[0, 1], kind


def test_excluded_pairs_are_never_suggested():
    exhibitors = side([1, 2], [["848071"], ["848071"]])
    buyers = side([10], [["848071"]])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS, excluded=[(10, 1)])
    assert ranked(model) == [1]


# ---------------------------------------------------------------- practicalities, cold start, fairness


def test_shared_language_wins_a_tie_and_is_given_as_reason():
    exhibitors = side([1, 2], [["848071"], ["848071"]], languages=[{"ko"}, {"ko", "ja"}])
    buyers = side([10], [["848071"]], languages=[{"ja"}])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS)
    picks = top_k(model, [0])[0][1]
    assert [e for e, *_ in picks] == [1, 0]
    assert {"code": "language", "lang": "ja"} in picks[0][2]
    assert {"code": "interpreter"} in picks[1][2]


def test_cold_start_from_categories_and_text_alone():
    exhibitors = side([1, 2, 3], [["848071"], ["820730"], []], ["", "", "다이캐스팅 금형"])
    buyers = side([10, 11], [["848071"], []], ["", "ダイカスト金型の調達"])
    model = prepare(exhibitors, buyers, History.empty(), NO_FAIRNESS)
    assert ranked(model, 0)[0] == 0
    assert ranked(model, 1)[0] == 2


def test_fairness_spreads_buyers_over_exhibitors_with_the_right_products():
    # 10 exhibitors every buyer slightly prefers (their text matches too), 30 with the same
    # products but no text; 200 buyers want the product.
    n_buyers, popular = 200, set(range(10))
    exhibitors = side(list(range(1, 41)), [["848071"]] * 40, ["hot runner"] * 10 + [""] * 30)
    buyers = side(list(range(100, 100 + n_buyers)), [["848071"]] * n_buyers, ["hot runner"] * n_buyers)
    plain = prepare(exhibitors, buyers, History.empty(), Weights(fairness=0, text=0.1))
    fair = prepare(exhibitors, buyers, History.empty(), Weights(fairness=0.5, fair_slack=1.0, text=0.1))
    assert fair.fair_factor[:10].max() < 1.0 == fair.fair_factor[10:].max() == plain.fair_factor.min()

    def popular_slots(model):
        return sum(1 for _, picks in top_k(model, np.arange(n_buyers), 10) for e, *_ in picks if e in popular)

    assert popular_slots(plain) == 10 * n_buyers
    assert popular_slots(fair) < popular_slots(plain) / 2
    # Still only relevant exhibitors, and a full list for everyone.
    assert all(len(picks) == 10 for _, picks in top_k(fair, np.arange(n_buyers), 10))


def test_fairness_keeps_relevance_first():
    exhibitors = side([1, 2], [["848071"], ["392690"]])
    buyers = side(list(range(10, 60)), [["848071"]] * 50)
    model = prepare(exhibitors, buyers, History.empty(), Weights(fairness=1.0, fair_slack=0.5))
    assert all(ranked(model, r) == [0] for r in range(50))


def test_top_k_is_sorted_and_bounded():
    rng = np.random.default_rng(0)
    codes = ["848071", "848079", "820730", "848041", "392690"]
    exhibitors = side(list(range(1, 51)), [[codes[i % 5]] for i in range(50)])
    buyers = side([100, 101], [[codes[0], codes[2]], [codes[rng.integers(5)]]])
    model = prepare(exhibitors, buyers, History.empty())
    for _b, picks in top_k(model, [0, 1], 7):
        assert len(picks) <= 7
        scores = [s for _e, s, _r in picks]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s < 1 for s in scores)


def test_calibration_picks_a_weighting_from_the_history_itself():
    from matching.engine import calibration

    # Two past exhibitions: exhibitor 1 (same heading only) ends well with everyone, the
    # exact-code exhibitors 2 and 3 never do.
    rows, when = [], []
    for moment in (1, 2):
        for b in range(100, 160):
            for e in (1, 2, 3):
                rows.append((b + 100 * moment, e, "deal" if e == 1 else "no_interest"))
                when.append(moment)
    hs = {b: ["848071"] for b in range(200, 360)} | {1: ["848079"], 2: ["848071"], 3: ["848071"]}
    past = history(rows, hs=hs, when=when)
    weights = calibration.calibrate_weights(past, Weights())
    assert weights.track in calibration.TRACK_CANDIDATES and weights.cf in calibration.CF_CANDIDATES
    # With the chosen weights, the model trained on all history puts exhibitor 1 first for a newcomer.
    model = prepare(side([1, 2, 3], [["848079"], ["848071"], ["848071"]]), side([999], [["848071"]]), past, weights)
    assert ranked(model)[0] == 0
    # Too little history: the defaults stay.
    assert calibration.calibrate_weights(past.subset(np.arange(len(rows)) < 30), Weights()) == Weights()
    assert calibration.calibrate_weights(History.empty(), Weights()) == Weights()


# ---------------------------------------------------------------- track record: empirical Bayes, floor


def test_prior_strength_is_weak_when_exhibitors_truly_differ_and_strong_when_rates_are_noise():
    from matching.engine.records import PRIOR_RANGE, track_prior_strength

    # Ten exhibitors, 20 meetings each. Telling: half end well every time, half never.
    telling = {e: [20, 20.0 if e < 5 else 0.0, 20.0 if e < 5 else 0.0] for e in range(10)}
    # Noise: every exhibitor ends well in 4 of 20 meetings (the same true rate).
    noise = {e: [20, 4.0, 4.0] for e in range(10)}
    # In between: true rates 0.1 to 0.5.
    mixed = {e: [20, 2.0 + e, 2.0 + e] for e in range(10)}
    weak, strong, middle = (track_prior_strength(c) for c in (telling, noise, mixed))
    assert PRIOR_RANGE[0] <= weak < 1.5  # a few meetings already say much
    assert strong == PRIOR_RANGE[1]
    assert weak < middle < strong
    # Too few exhibitors with meetings to estimate a spread: records count little.
    assert track_prior_strength({1: [20, 20.0, 20.0], 2: [20, 0.0, 0.0]}) == PRIOR_RANGE[1]


def test_estimated_prior_shrinks_a_short_record_more_in_a_noisy_history():
    # Exhibitor 1 has a short perfect record (3 deals); the rest of the history decides how
    # much that means. Where exhibitors truly differ, 3 deals lift it a lot; where every
    # exhibitor converts at the same rate, they barely do.
    def model_for(rows):
        exhibitors = side([1, 2], [["848071"], ["848071"]])
        rows = [(900 + i, 1, "deal") for i in range(3)] + rows
        return prepare(exhibitors, side([10], [["848071"]]), history(rows), NO_FAIRNESS)

    differ, same = [], []
    for e in range(10, 30):
        for i in range(10):
            differ.append((1000 + i, e, "deal" if e % 2 else "no_interest"))
            same.append((1000 + i, e, "deal" if i < 5 else "no_interest"))
    telling, noisy = model_for(differ), model_for(same)
    assert telling.track_prior < noisy.track_prior
    assert telling.track_lift[0] > noisy.track_lift[0] > 0
    # A newcomer stays neutral either way.
    assert telling.track_lift[1] == pytest.approx(0.0, abs=0.02)
    assert noisy.track_lift[1] == pytest.approx(0.0, abs=0.02)


def test_a_given_prior_overrides_the_estimate():
    rows = [(20 + i, 1, "deal") for i in range(3)] + [(40 + i, 2, "no_interest") for i in range(30)]
    exhibitors = side([1, 2], [["848071"]] * 2)
    weak = prepare(exhibitors, side([10], [["848071"]]), history(rows), Weights(fairness=0, prior_meetings=1.0))
    strong = prepare(exhibitors, side([10], [["848071"]]), history(rows), Weights(fairness=0, prior_meetings=50.0))
    assert weak.track_lift[0] > strong.track_lift[0] > 0


def test_declined_requests_do_not_count_against_the_track_record():
    exhibitors = side([1, 2], [["848071"]] * 2)
    rows = [(20 + i, 1, "deal") for i in range(5)] + [(20 + i, 2, "deal") for i in range(5)]
    rows += [(40 + i, 2, "declined") for i in range(20)]
    model = prepare(exhibitors, side([10], [["848071"]]), history(rows), Weights(fairness=0, prior_meetings=5.0))
    assert model.track_meetings.tolist() == [5, 5]
    assert model.track_factor[0] == pytest.approx(model.track_factor[1])


def test_track_floor_lets_a_proven_exhibitor_pass_on_thin_evidence_but_never_on_none():
    # Exhibitor 1 states the buyer's exact subheading but has never met anyone; exhibitor 2
    # shares only the chapter and ends well with everyone; exhibitor 3 is unrelated but proven.
    exhibitors = side([1, 2, 3], [["848071"], ["847989"], ["392690"]])
    buyers = side([10], [["848071"]])
    rows = [(20 + i, 2, "deal") for i in range(12)] + [(20 + i, 3, "deal") for i in range(12)]
    rows += [(40 + i, e, "no_interest") for i in range(12) for e in (4, 5, 6, 7, 8)]
    past = history(rows)
    with_floor = prepare(exhibitors, buyers, past, Weights(fairness=0, track=1.0, track_floor=1.0))
    without = prepare(exhibitors, buyers, past, Weights(fairness=0, track=1.0, track_floor=0.0))
    hs = components(without, [0])["hs"][0]
    assert hs[0] > 5 * hs[1] > 0 == hs[2]
    assert with_floor.track_factor[1] > 2 * with_floor.track_factor[0]
    # Without a floor the tenfold closer match wins; with it, the record decides.
    assert ranked(without) == [0, 1]
    assert ranked(with_floor) == [1, 0]
    # The floor never brings in an exhibitor with no evidence at all.
    score, _ = score_chunk(with_floor, [0])
    assert score[0, 2] <= 0


def test_calibration_replays_more_than_one_past_exhibition(monkeypatch):
    from matching.engine import calibration

    # Three past shows; outcomes depend only on the exhibitor (1 always ends well, 2 and 3
    # never), while stated codes point the other way: the track record should count a lot.
    rows, when = [], []
    for moment in (1, 2, 3):
        for b in range(100, 140):
            for e in (1, 2, 3):
                rows.append((b + 100 * moment, e, "deal" if e == 1 else "no_interest"))
                when.append(moment)
    hs = {b: ["848071"] for b in range(200, 440)} | {1: ["848079"], 2: ["848071"], 3: ["848071"]}
    past = history(rows, hs=hs, when=when)
    replays = [calibration._replay(past, m, Weights()) for m in (2, 3)]
    assert all(r is not None for r in replays)
    # The first show has no history before it: calibration (which weighs history signals)
    # does not replay it; learning does, from an empty history.
    from matching.engine.replays import Replays

    shows = Replays(past, Weights())
    assert len(shows.latest(3)) == 2
    first = shows.latest(3, from_scratch=True)[0]
    assert not first.model.b_has_history.any()
    calls = []
    real_ndcg = calibration._ndcg
    monkeypatch.setattr(calibration, "_ndcg", lambda *args, **kw: calls.append(1) or real_ndcg(*args, **kw))
    weights = calibration.calibrate_weights(past, Weights())
    # The defaults and every (track, cf) candidate, each on both replays.
    candidates = 1 + len(calibration.TRACK_CANDIDATES) * len(calibration.CF_CANDIDATES)
    assert len(calls) == 2 * candidates
    model = prepare(side([1, 2, 3], [["848079"], ["848071"], ["848071"]]), side([999], [["848071"]]), past, weights)
    assert ranked(model)[0] == 0


# ---------------------------------------------------------------- language effect learnt from history


def language_history(shared_good, shared_bad, none_good, none_bad):
    """Past meetings of Japanese buyers with exhibitor 50 (speaks ja: shares a language) and
    exhibitor 51 (ko only: shares none), deals and no-interest meetings in the given numbers;
    none of them is in the current exhibition."""
    kinds = (
        [(50, "deal")] * shared_good
        + [(50, "no_interest")] * shared_bad
        + [(51, "deal")] * none_good
        + [(51, "no_interest")] * none_bad
    )
    past = history([(1000 + i, e, kind) for i, (e, kind) in enumerate(kinds)])
    past.languages = {1000 + i: frozenset({"ja"}) for i in range(len(kinds))}
    past.languages.update({50: frozenset({"ja", "ko"}), 51: frozenset({"ko"})})
    return past


def test_language_ratio_is_the_prior_without_history():
    assert records.language_ratio(History.empty()) == pytest.approx(records.LANGUAGE_PRIOR_RATIO)
    # Meetings whose languages are unknown say nothing either.
    past = language_history(300, 100, 30, 370)
    past.languages = {}
    assert records.language_ratio(past) == pytest.approx(records.LANGUAGE_PRIOR_RATIO)


def test_language_ratio_follows_the_history_when_sharing_a_language_pays():
    # 60 % of meetings sharing a language ended in a deal, 20 % of the others: ratio near 3.
    ratio = records.language_ratio(language_history(600, 400, 200, 800))
    assert 2.6 < ratio < 3.0
    # A few meetings are shrunk towards the prior.
    few = records.language_ratio(language_history(6, 4, 2, 8))
    assert records.LANGUAGE_PRIOR_RATIO < few < 1.5


def test_language_ratio_is_bounded_and_neutral_when_language_does_not_matter():
    assert records.language_ratio(language_history(400, 600, 400, 600)) == pytest.approx(1.0, abs=0.05)
    # Shared-language pairs doing worse is taken as no effect, not as a reason to avoid them.
    assert records.language_ratio(language_history(100, 900, 500, 500)) == records.LANGUAGE_RANGE[0]
    assert records.language_ratio(language_history(1000, 0, 1, 999)) == records.LANGUAGE_RANGE[1]


def test_learnt_language_effect_can_outweigh_a_better_code_match():
    # Exhibitor 1 shares the buyer's heading only, in its language; exhibitor 2 has the exact
    # subheading but shares no language. With language mattering a lot in the past, 1 first.
    exhibitors = side([1, 2], [["8480"], ["848071"]], languages=[{"ja"}, {"ko"}])
    buyers = side([10], [["848071"]], languages=[{"ja"}])
    strong = prepare(exhibitors, buyers, language_history(700, 300, 100, 900), NO_FAIRNESS, calibrate=False)
    weak = prepare(exhibitors, buyers, language_history(400, 600, 400, 600), NO_FAIRNESS, calibrate=False)
    assert ranked(strong) == [0, 1]
    assert ranked(weak) == [1, 0]
    # Reasons are unchanged: the shared language, or an interpreter.
    picks = top_k(strong, [0])[0][1]
    assert {"code": "language", "lang": "ja"} in picks[0][2]
    assert {"code": "interpreter"} in picks[1][2]


def test_language_factor_leaves_pairs_with_unknown_languages_alone():
    exhibitors = side([1, 2, 3], [["848071"]] * 3, languages=[{"ja"}, {"ko"}, ()])
    buyers = side([10], [["848071"]], languages=[{"ja"}])
    model = prepare(exhibitors, buyers, language_history(600, 400, 200, 800), NO_FAIRNESS, calibrate=False)
    factor = model.language_factor([0])[0]
    assert factor[0] == pytest.approx(model.lang_ratio**0.5)
    assert factor[1] == pytest.approx(model.lang_ratio**-0.5)
    assert factor[2] == 1.0
