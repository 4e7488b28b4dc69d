"""Where world c's remaining headroom lies: what knowing each hidden thing would be worth.

World c's ceiling (bench/matcher_ceiling.py) ranks every pair by its expected gain with
everything hidden known. Here that ceiling is taken apart, all in expected nDCG@10 over
REPEATS draws of each test show (as bench/matcher_expected.py, 200 x 500, seeds 0..SEEDS-1):

- ceiling: every pair by its expected gain (300 draws of the show with other randomness;
  finite draws can only lower it);
- ceiling, quality unknown / language ignored: the same with every exhibitor's hidden
  quality set to the median / everyone given one language before the expected gains are
  drawn, so the ranking cannot use that part, while the show it is scored on keeps it;
- matcher told the true quality: the learnt matcher with its track-record lift replaced
  by the exhibitor's true log quality (exhibitors with past meetings only; newcomers keep
  the prior), exactly or with the noise of an estimate that correlates rho with it (shrunk
  by rho^2, as a posterior mean would be); rho = 0.44 is what the smoothed track record
  reaches on these histories, about 0.6 what an exhibitor's 15 or so past meetings can
  tell at best (a rough count: quality's spread against the noise of 15 outcomes);
- matcher, languages hidden: every company given the same language (what the matcher gets
  from the language signals).

    .venv/bin/python bench/matcher_headroom.py [SEEDS=10] [REPEATS=100]
"""

import copy
from functools import partial

import world_c


def main():
    world_c.setup()
    import dataclasses

    import numpy as np

    from matching import evaluation, synthetic
    from matching.engine import scoring

    seeds, repeats = world_c.arguments(repeats=100)
    gain = evaluation.GAIN

    def by_expected_gain(world, seed):
        rng = np.random.default_rng(1_000 + seed)
        expected = sum(synthetic.world_c_test_show_gains(world, rng, gain) for _ in range(300))
        return np.argsort(-(expected + np.random.default_rng(5).random(expected.shape) * 1e-9), axis=1)[:, :10]

    def matcher(exhibitors, buyers, history):
        evaluation._PREPARED.clear()  # the rankers cache one prepared model per inputs
        return evaluation.rankers()["matcher"](exhibitors, buyers, history, np.arange(len(buyers.ids)), 10)

    def told_quality(world, inputs, rho):
        noise = np.random.default_rng(5).normal(size=len(world.exhibitors))
        spread = 0.5 * np.sqrt(1.0 / rho**2 - 1.0)  # log quality has sd 0.5 in world c
        original = scoring.track_arrays

        def patched(model):
            out = original(model)
            ids = model.exhibitors.ids.tolist()
            estimate = np.array([np.log(world.exhibitors[i].quality) + spread * noise[i] for i in ids]) * rho**2
            lift = np.where(model.track_meetings > 0, estimate, out["lift"])
            return {"rate": out["rate"], "lift": lift, "factor": np.exp(model.weights.track * lift)}

        scoring.track_arrays = patched
        try:
            return matcher(*inputs)
        finally:
            scoring.track_arrays = original

    def languages_hidden(exhibitors, buyers, history):
        one = frozenset({"ko"})
        return matcher(
            dataclasses.replace(exhibitors, languages=[one] * len(exhibitors.ids)),
            dataclasses.replace(buyers, languages=[one] * len(buyers.ids)),
            dataclasses.replace(history, languages=dict.fromkeys(history.languages, one)),
        )

    results = {}
    for seed, world, (*inputs, _labels) in world_c.worlds(seeds):
        tops = {
            "HS overlap": evaluation._ranker_hs(*inputs, np.arange(len(inputs[1].ids)), 10),
            "matcher": matcher(*inputs),
            "ceiling": by_expected_gain(world, seed),
        }
        blind = copy.deepcopy(world)
        median = float(np.median([e.quality for e in world.exhibitors]))
        for e in blind.exhibitors:
            e.quality = median
        tops["ceiling, quality unknown"] = by_expected_gain(blind, seed)
        blind = copy.deepcopy(world)
        for c in blind.exhibitors + blind.buyers:
            c.languages = ["ko"]
        tops["ceiling, language ignored"] = by_expected_gain(blind, seed)
        for rho in (1.0, 0.75, 0.6, 0.44):
            tops[f"matcher told quality, rho {rho}"] = told_quality(world, inputs, rho)
        tops["matcher, languages hidden"] = languages_hidden(*inputs)
        rng = np.random.default_rng(7_000 + seed)
        totals = evaluation.expected_ndcg(partial(synthetic.world_c_test_show_gains, world, rng, gain), tops, repeats)
        for name, value in totals.items():
            results.setdefault(name, []).append(value)
        print(f"seed {seed}: " + ", ".join(f"{name} {value:.4f}" for name, value in totals.items()), flush=True)

    base = np.array(results["matcher"])
    hs = np.mean(results["HS overlap"])
    print(f"world c, {seeds} seeds, {repeats} draws of each test show (expected nDCG@10; paired against the matcher):")
    for name, values in results.items():
        values = np.array(values)
        diff = values - base
        se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else float("nan")
        print(f"  {name:34s} {values.mean():.4f} ({values.mean() / hs:.3f}x HS)  {diff.mean():+.4f} +- {se:.4f}")


if __name__ == "__main__":
    main()
