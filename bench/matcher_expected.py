"""World c's evaluation without the noise of its one test show: the expected nDCG@10.

`evaluate_matcher` scores a ranking against the one test show that happened; in world c a
buyer meets 3-6 exhibitors, partly at random, and outcomes carry logistic noise, so that
show alone moves a paired difference by about +-0.003 over 10 seeds (issue 11, fourth
pass). Here, for each seed, the matcher learns from the same past shows as the evaluation
and ranks the test show's exhibitors once; then the test show is drawn REPEATS times by
the generator's own show (`synthetic.world_c_test_show_gains`: the same companies, hidden needs,
qualities and capacities) and each ranking is scored on every draw exactly as the
evaluation scores it (its labelled buyers, gains 1/2/3): the mean is the evaluation's
expected value for that training history. The same for HS overlap, as the evaluation
ranks it.

    .venv/bin/python bench/matcher_expected.py [SEEDS=10] [REPEATS=100]
"""

from functools import partial

import world_c


def main():
    world_c.setup()
    import numpy as np

    from matching import evaluation, synthetic

    seeds, repeats = world_c.arguments(repeats=100)
    matcher, baseline = [], []
    for seed, world, (exhibitors, buyers, history, _labels) in world_c.worlds(seeds):
        every = np.arange(len(buyers))
        tops = {
            "matcher": evaluation.rankers()["matcher"](exhibitors, buyers, history, every, 10),
            "hs_overlap": evaluation._ranker_hs(exhibitors, buyers, history, every, 10),
        }
        rng = np.random.default_rng(7_000 + seed)
        draw = partial(synthetic.world_c_test_show_gains, world, rng, evaluation.GAIN)
        totals = evaluation.expected_ndcg(draw, tops, repeats)
        matcher.append(totals["matcher"])
        baseline.append(totals["hs_overlap"])
        print(
            f"seed {seed}: matcher {totals['matcher']:.4f}, HS overlap {totals['hs_overlap']:.4f},"
            f" {totals['matcher'] / totals['hs_overlap']:.3f}x",
            flush=True,
        )
    m, b = np.array(matcher), np.array(baseline)
    print(
        f"world c, {seeds} seeds, {repeats} draws of each test show: expected nDCG@10 matcher {m.mean():.4f}"
        f" +- {m.std(ddof=1) / np.sqrt(len(m)):.4f}, HS overlap {b.mean():.4f}; {m.mean() / b.mean():.3f}x"
    )


if __name__ == "__main__":
    main()
